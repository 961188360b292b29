"""Claims about real Keras in the hand-written pages are checkable and pinned.

Every link into keras-team/keras names a pinned release tag, and every
"Real Keras" permalink holds, on the linked line of the unpacked wheel, the
code its link text names. Every chapter names the book it follows and links
its chapter, and says which Keras its printed outputs follow; the home page
states the versions the site compares against.
"""

import re
from pathlib import Path

import pytest

from scripts.realkeras import permalinks, sources

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
CHAPTERS = sorted((DOCS / "tutorials").glob("[0-9][0-9]-*.md"))


def _text(path: Path) -> str:
    # A link may wrap inside an admonition: read it as one line.
    return re.sub(r"\n\s+", " ", path.read_text(encoding="utf-8"))


def test_the_tutorials_carry_pinned_permalinks():
    found = sum(len(permalinks.PERMALINK.findall(_text(page))) for page in CHAPTERS)
    assert found >= 40


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_every_keras_link_is_pinned_and_holds_its_symbol(page):
    text = _text(page)
    problems = []
    for url in permalinks.ANY_LINK.findall(text):
        tag = url.split("/blob/")[1].split("/")[0]
        if permalinks.release_of_tag(tag) is None:
            problems.append(f"{url}: not a pinned release tag")
    for match in permalinks.PERMALINK.finditer(text):
        line = int(match["line"]) if match["line"] else None
        why = permalinks.check(match["text"], match["tag"], match["file"], line)
        if why:
            problems.append(f"[{match['text']}]({match['url']}): {why}")
    assert problems == []


def test_check_catches_a_drifted_line():
    assert (
        permalinks.check(
            "def add(self, layer):", "v2.6.0", "keras/engine/sequential.py", 149
        )
        == ""
    )
    assert "not" in permalinks.check(
        "def add(self, layer):", "v2.6.0", "keras/engine/sequential.py", 150
    )
    assert "does not exist" in permalinks.check(
        "x", "v2.6.0", "keras/engine/nothing.py", 1
    )
    assert "pinned" in permalinks.check("x", "master", "keras/engine/sequential.py", 1)
    # A dotted name matches its last part on the line.
    assert (
        permalinks.check("Layer.__call__", "v2.6.0", "keras/engine/base_layer.py", 926)
        == ""
    )


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.name)
def test_every_chapter_names_the_book_and_its_output_version(chapter):
    text = _text(chapter)
    number = int(chapter.name[:2])
    assert f"*{sources.BOOK}* by {sources.BOOK_AUTHOR}" in text
    if number in sources.BOOK_CHAPTERS:
        slug, _ = sources.BOOK_CHAPTERS[number]
        assert f"({sources.BOOK_URL}{slug}/)" in text
    else:
        assert sources.BOOK_URL in text
    assert "Printed outputs" in text
    assert "tf.keras 2.6" in text


def test_home_page_states_the_book_and_the_versions():
    text = _text(DOCS / "index.md")
    assert f"*{sources.BOOK}* by {sources.BOOK_AUTHOR}" in text
    assert sources.BOOK_URL in text
    for release in sources.RELEASES.values():
        assert release.version in text


@pytest.mark.parametrize(
    "false_claim",
    [
        "character for character what\nTensorFlow prints",
        "is left alone: the switch applies to `Model` itself only",
    ],
)
def test_known_false_claims_are_gone(false_claim):
    texts = [page.read_text(encoding="utf-8") for page in CHAPTERS]
    assert not any(false_claim in text for text in texts)
