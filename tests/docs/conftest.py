"""Fixtures for the site tests: the built site, and a local server for it.

`make test` builds `site/` with `mkdocs build --strict` and passes its path in
`NANOKERAS_SITE_DIR`, so the site is built once. Run alone (say
`pytest tests/docs`), the fixture builds the site itself into a temporary
folder, and a build warning fails the tests with mkdocs's own output.
"""

import functools
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def build_site(site_dir: Path) -> None:
    """Run `mkdocs build --strict` into `site_dir`; fail the test on any warning."""
    env = dict(
        os.environ,
        NO_MKDOCS_2_WARNING="1",
        DISABLE_MKDOCS_2_WARNING="true",
        PYTHONPATH=str(ROOT),
    )
    command = [sys.executable, "-m", "mkdocs", "build", "--strict"]
    command += ["--site-dir", str(site_dir)]
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    if result.returncode != 0 or not (site_dir / "index.html").is_file():
        pytest.fail(
            f"`mkdocs build --strict` failed (exit {result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built site: `$NANOKERAS_SITE_DIR` if it holds one, else a fresh build."""
    given = os.environ.get("NANOKERAS_SITE_DIR")
    if given and (Path(given) / "index.html").is_file():
        return Path(given)
    built = tmp_path_factory.mktemp("site")
    build_site(built)
    return built


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
