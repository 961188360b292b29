"""Each chapter's notebook runs, and prints what the chapter's page shows.

The build writes `tutorials/<chapter>.ipynb` from the chapter's Markdown
(scripts/tutorial_hooks.py, with jupytext). Here every notebook of the built
site is executed by nbclient in a fresh Python kernel, from the repository
root so that `import nanokeras` finds the code, and the text each code cell
prints is compared with the "Output" box under the same snippet on the page.
"""

import html
import os
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
# A snippet on the page: its code block, then (maybe) its Output box.
_SNIPPET = re.compile(
    r'<div class="language-python highlight"><pre[^>]*>(?P<code>.*?)</pre></div>\s*'
    r'(?:<div class="language-text nk-output[^"]*"><span class="filename">Output'
    r"</span><pre[^>]*>(?P<output>.*?)</pre></div>)?",
    re.DOTALL,
)


def text_of(fragment: str) -> str:
    """The text of an HTML fragment (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def page_outputs(page: Path) -> dict[str, str]:
    """Snippet code -> the output its page shows, for snippets with an output."""
    found = {}
    for match in _SNIPPET.finditer(page.read_text(encoding="utf-8")):
        if match["output"] is not None:
            found[text_of(match["code"]).strip()] = text_of(match["output"])
    return found


def printed(cell) -> str:
    return "".join(
        output.get("text", "")
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream" and output.get("name") == "stdout"
    )


# `fit`'s progress lines report how long a step took: never the same twice.
_DURATION = re.compile(r"\b\d+(?:\.\d+)?(?:ms|us|s)(?=\b|/)")


def lines(text: str) -> list[str]:
    """The printed lines, durations blanked out."""
    return [
        _DURATION.sub("<t>", line.rstrip()) for line in text.strip("\n").split("\n")
    ]


def notebooks(site_dir: Path) -> list[Path]:
    found = sorted((site_dir / "tutorials").glob("*.ipynb"))
    assert len(found) >= 14, f"expected a notebook per chapter, found {found}"
    return found


def test_every_chapter_has_a_notebook(site_dir: Path) -> None:
    chapters = sorted((ROOT / "docs" / "tutorials").glob("[0-9][0-9]-*.md"))
    names = [path.with_suffix(".ipynb").name for path in notebooks(site_dir)]
    assert names == [path.with_suffix(".ipynb").name for path in chapters]


@pytest.mark.parametrize(
    "chapter",
    sorted(p.stem for p in (ROOT / "docs" / "tutorials").glob("[0-9][0-9]-*.md")),
)
def test_notebook_runs_and_prints_what_the_page_shows(
    site_dir: Path, chapter: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    notebook = nbformat.read(site_dir / "tutorials" / f"{chapter}.ipynb", as_version=4)
    shown = page_outputs(site_dir / "tutorials" / chapter / "index.html")
    assert shown, f"{chapter}: no snippet with an Output box on its page"
    # The kernel imports the repository's code, as a reader's would after
    # installing it; its own config stays in a temporary folder.
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    monkeypatch.setenv("PYTHONPATH", path)
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(ROOT)}},
    )
    client.execute()
    compared = 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        code = cell.source.strip()
        if code in shown:
            assert lines(printed(cell)) == lines(shown[code]), (
                f"{chapter}: the notebook printed something else than the page "
                f"under:\n{code[:300]}"
            )
            compared += 1
    assert compared == len(shown), (
        f"{chapter}: {len(shown) - compared} outputs on the page have no cell"
    )
