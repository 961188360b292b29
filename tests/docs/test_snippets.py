"""Every tutorial snippet runs, and prints what its page says it prints.

The site runs these snippets with markdown-exec while it is built; these tests
run them again through Sybil, one test per snippet, so a failure points at the
page and line. A snippet that is silently skipped would make a chapter look
tested when it is not, so the number of snippets found on each page is
asserted against the table below: adding a snippet means updating the table.
"""

from pathlib import Path

import pytest
from sybil import Example, Sybil
from sybil.example import SybilFailure

from tests.docs.markdown_exec_parser import (
    MarkdownExecBlock,
    MarkdownExecParser,
    count_exec_fences,
)

ROOT = Path(__file__).resolve().parents[2]
TUTORIALS = ROOT / "docs" / "tutorials"

# page -> (executed snippets, expected-output blocks). Update when a page changes.
EXPECTED_COUNTS = {
    "01-modeling-api-overview.md": (14, 2),
    "02-layer.md": (12, 3),
    "03-model.md": (12, 1),
    "04-functional.md": (19, 1),
    "05-sequential.md": (10, 1),
    "06-training-api-overview.md": (10, 0),
    "07-compile.md": (10, 0),
    "08-fit.md": (13, 0),
    "09-predict.md": (5, 0),
    "10-evaluate.md": (7, 0),
    "11-losses.md": (9, 1),
    "12-metrics.md": (8, 1),
    "13-optimizers.md": (9, 0),
    "14-saving-and-loading.md": (10, 0),
}

_OUTCOMES = "__snippet_outcomes__"

SYBIL = Sybil(parsers=[MarkdownExecParser()], pattern="*.md")
DOCUMENTS = {path.name: SYBIL.parse(path) for path in sorted(TUTORIALS.glob("*.md"))}
EXAMPLES = [
    (name, example) for name, document in DOCUMENTS.items() for example in document
]


def _is_snippet(example: Example) -> bool:
    return isinstance(example.parsed, MarkdownExecBlock)


def test_every_tutorial_page_is_counted() -> None:
    with_snippets = {name for name, example in EXAMPLES if _is_snippet(example)}
    assert with_snippets <= set(EXPECTED_COUNTS), (
        f"pages with snippets missing from EXPECTED_COUNTS: "
        f"{sorted(with_snippets - set(EXPECTED_COUNTS))}"
    )
    assert set(EXPECTED_COUNTS) <= set(DOCUMENTS), (
        f"EXPECTED_COUNTS names pages that do not exist: "
        f"{sorted(set(EXPECTED_COUNTS) - set(DOCUMENTS))}"
    )


def test_each_session_belongs_to_one_page() -> None:
    """markdown-exec keeps a session's namespace for the whole site build, so a
    session name shared by two pages would leak one page's state into the other
    at build time (and not in these tests, which give each page its own)."""
    pages_of: dict[str, set[str]] = {}
    for name, example in EXAMPLES:
        if _is_snippet(example) and example.parsed.session is not None:
            pages_of.setdefault(example.parsed.session, set()).add(name)
    shared = {session: pages for session, pages in pages_of.items() if len(pages) > 1}
    assert not shared, f"session names used on several pages: {shared}"


@pytest.mark.parametrize("page", sorted(EXPECTED_COUNTS))
def test_snippet_count(page: str) -> None:
    examples = list(DOCUMENTS[page])
    snippets = sum(_is_snippet(example) for example in examples)
    expectations = len(examples) - snippets
    text = (TUTORIALS / page).read_text(encoding="utf-8")
    assert snippets == count_exec_fences(text), (
        f"{page}: the parser found {snippets} executed fences, a line match finds "
        f"{count_exec_fences(text)}: a fence is written in a form the parser skips"
    )
    assert (snippets, expectations) == EXPECTED_COUNTS[page]


@pytest.mark.parametrize(
    "example",
    [example for _, example in EXAMPLES],
    ids=[f"{name}:{example.line}" for name, example in EXAMPLES],
)
def test_snippet(example: Example) -> None:
    """Report one snippet's outcome from a single in-order run of its page.

    Snippets of a page build on each other (a `session`) and the page states
    what they print, automatic names (`dense_1`) included. So the first test of
    a page runs the whole page, top to bottom, once, as the site build does,
    and every test of that page reports its own snippet's outcome from that
    run. In whatever order the tests come (`pytest -k ...:120`, pytest-randomly)
    no snippet runs twice or out of order, and no other page's snippet runs in
    between and moves the automatic names.
    """
    __tracebackhide__ = True
    outcomes = _run_page(example.document)
    failure = outcomes[example.start]
    if failure is not None:
        raise failure


def _run_page(document) -> dict:
    """Evaluate every example of a page in order once; `start -> exception`."""
    if _OUTCOMES not in document.namespace:
        outcomes = {}
        for example in document:
            try:
                example.evaluate()
            except Exception as failure:  # reported by that snippet's own test
                outcomes[example.start] = failure
            else:
                outcomes[example.start] = None
        document.namespace[_OUTCOMES] = outcomes
    return document.namespace[_OUTCOMES]


def test_parser_shares_sessions_and_checks_claims(tmp_path: Path) -> None:
    """The parser can fail: sessions share names, lone blocks do not, and a
    claimed output that differs from the printed one is reported."""
    page = tmp_path / "page.md"
    page.write_text(
        '```python exec="on" session="s"\nx = 2\n```\n\n'
        '```python exec="on" session="s"\nprint(x * 21)\n```\n\n'
        '```{.text .expected-output title="Expected output"}\n42\n```\n\n'
        '```{.text .expected-output title="Expected output"}\n41\n```\n\n'
        '```python exec="on"\nprint("x" in globals())\n```\n\n'
        '```pycon exec="on"\n>>> 1\n```\n',
        encoding="utf-8",
    )
    examples = list(SYBIL.parse(page))
    assert [type(example.parsed).__name__ for example in examples] == [
        "MarkdownExecBlock",
        "MarkdownExecBlock",
        "ExpectedOutput",
        "ExpectedOutput",
        "MarkdownExecBlock",
    ]
    examples[0].evaluate()
    examples[1].evaluate()
    examples[2].evaluate()  # "42" was printed
    with pytest.raises(SybilFailure, match="41"):
        examples[3].evaluate()
    examples[4].evaluate()
    assert examples[4].namespace["__markdown_exec_last_output__"] == "False\n"
    # The pycon block is run by markdown-exec but not by this parser: the line
    # count sees it, so test_snippet_count would fail for such a page.
    assert count_exec_fences(page.read_text(encoding="utf-8")) == 4
