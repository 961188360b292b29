"""Fixtures for the site tests: its pages, and a local server for it.

The built site itself is the `site_dir` fixture of `tests/conftest.py`.
"""

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def html_pages(site_dir: Path) -> list[Path]:
    """Every HTML page of the built site, sorted."""
    pages = sorted(site_dir.rglob("*.html"))
    assert pages, f"no HTML pages under {site_dir}"
    return pages


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without printing a log line per request into the test output."""

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    """The built site served on 127.0.0.1 (a free port), e.g. `http://127.0.0.1:41234/`."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
