"""The call traces in the built site: on their pages and in the chapters.

Reads the HTML the build wrote: each trace page and each chapter embedding a
trace stays under 200 KB, and every frame's link, as the reader follows it,
lands on the line of that frame's `def` (our annotated source) or names a
line of the installed Keras 3 holding that `def`.
"""

import html
import re
from importlib import metadata
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from scripts.docgen import traces

LIMIT = 200_000
# A frame: its link and its name, as scripts/docgen/traces.py writes them.
_FRAME = re.compile(r'<a href="([^"]+)"><code>([^<]+)</code></a>')
_SITE = "http://site.invalid/"


def trace_pages(site_dir: Path) -> list[Path]:
    return [
        site_dir / traces.FOLDER / trace.name / "index.html" for trace in traces.TRACES
    ]


def chapter_pages(site_dir: Path) -> dict[Path, list[str]]:
    chapters: dict[Path, list[str]] = {}
    for trace in traces.TRACES:
        page = site_dir / Path(trace.chapter).with_suffix("") / "index.html"
        chapters.setdefault(page, []).append(trace.name)
    return chapters


def test_every_trace_page_and_chapter_is_under_200_kb(site_dir: Path) -> None:
    pages = trace_pages(site_dir) + list(chapter_pages(site_dir))
    sizes = {
        page.relative_to(site_dir).as_posix(): page.stat().st_size for page in pages
    }
    too_big = {page: size for page, size in sizes.items() if size >= LIMIT}
    assert len(sizes) == len(traces.TRACES) + 8
    assert not too_big, f"pages of {LIMIT} bytes or more: {too_big}"


def test_each_chapter_embeds_the_traces_it_explains(site_dir: Path) -> None:
    for page, names in chapter_pages(site_dir).items():
        text = page.read_text(encoding="utf-8")
        embeds = text.count('class="nk-trace-embed"')
        assert embeds == len(names), f"{page}: {embeds} traces embedded, not {names}"
        for name in names:
            assert f'href="../../traces/{name}/"' in text, f"{page}: no link to {name}"
    index = (site_dir / traces.FOLDER / "index.html").read_text(encoding="utf-8")
    for trace in traces.TRACES:
        assert f'href="{trace.name}/"' in index


def source_line(page: Path, line: int) -> str:
    """The text of line `line` on an annotated-source page."""
    text = page.read_text(encoding="utf-8")
    match = re.search(rf'id="L{line}">(.*?)\n', text)
    assert match, f"{page} has no code line L{line}"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1)))


def frames(page: Path) -> list[tuple[str, str]]:
    text = page.read_text(encoding="utf-8")
    trees = "".join(re.findall(r'<div class="nk-trace">.*?</div></div>', text, re.S))
    return [
        (html.unescape(link), html.unescape(name))
        for link, name in _FRAME.findall(trees)
    ]


def is_def(text: str, name: str) -> bool:
    method = name.rpartition(".")[2]
    return re.match(rf"\s*(async\s+)?def {re.escape(method)}\(", text) is not None


@pytest.mark.parametrize("name", [trace.name for trace in traces.TRACES])
def test_every_frame_on_the_page_lands_on_its_def(site_dir: Path, name: str) -> None:
    page = site_dir / traces.FOLDER / name / "index.html"
    base = urljoin(_SITE, page.relative_to(site_dir).as_posix())
    distribution = metadata.distribution("keras")
    keras_root = Path(distribution.locate_file(""))
    tag = f"https://github.com/keras-team/keras/blob/v{distribution.version}/"
    ours = theirs = 0
    wrong = []
    for link, frame in frames(page):
        if link.startswith(tag):
            file, _, line = link.removeprefix(tag).partition("#L")
            text = (
                (keras_root / file)
                .read_text(encoding="utf-8")
                .splitlines()[int(line) - 1]
            )
            theirs += 1
        else:
            url = urlsplit(urljoin(base, link))
            target = site_dir / url.path.lstrip("/") / "index.html"
            assert url.fragment.startswith("L"), link
            text = source_line(target, int(url.fragment[1:]))
            ours += 1
        if not is_def(text, frame):
            wrong.append(f"{frame} -> {link}: {text.strip()!r}")
    assert ours > 20 and theirs > 20, (ours, theirs)
    assert not wrong, "\n".join(wrong)
