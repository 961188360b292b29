"""MkDocs hook: what the build adds to every tutorial chapter.

Listed under `hooks:` in mkdocs.yml. A chapter's Markdown holds the lesson
only; this hook adds the parts a reader uses but should not have to read past
in the source:

- **Line links.** `[text](../source/engine/base_layer.md#Layer.__call__)` names
  a definition, not a line number: the link is rewritten to the line that
  defines `Layer.__call__` (`#L388`); other anchors (a section's id) stay as
  they are. With a link title,
  `(... #Layer.__call__ "self.call(")`, it goes to the first line of that
  definition containing the title's text. Line numbers therefore follow the
  code, and a name or text that is gone stops the build.
- **Outputs.** A snippet's printed output (`result="text"`) is shown in a box
  labelled "Output", without a copy button. The `.expected-output` blocks
  under some snippets are assertions for the test suite
  (tests/docs/test_snippets.py): the page already shows the real output, so
  they are left out of the page.
- **Search.** Chapters get Material's search boost, so a search for a name
  lists the lesson that explains it before the reference pages.
- **Read the source.** Each chapter ends with links to the annotated source of
  every file it linked to.
- **Notebook.** Each chapter is also written out as a Jupyter notebook by
  jupytext, from the same Markdown, and the page links to it.
"""

import ast
import posixpath
import re
from functools import cache
from pathlib import Path
from typing import Any

import jupytext
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

try:
    from . import paths
except ImportError:  # loaded by MkDocs from its path, with scripts/ first on sys.path
    import paths

# The numbered chapters (`tutorials/02-layer.md`), not the tutorials' index.
CHAPTER = re.compile(r"^tutorials/(\d+)-[\w-]+\.md$")
SEARCH_BOOST = 100

# ```{.text .expected-output title="..."} ... ``` (any fence length).
_EXPECTED = re.compile(
    r"^(?P<fence>`{3,})\{[^}\n]*\.expected-output\b[^}\n]*\}[ \t]*\n"
    r".*?^(?P=fence)[ \t]*\n\n?",
    re.MULTILINE | re.DOTALL,
)
# The header of an executed snippet whose output is printed as text.
_EXEC_TEXT = re.compile(r'^(`{3,}python\b[^\n]*\bexec="on"[^\n]*)\bresult="text"', re.M)
# markdown-exec uses `result` as the output fence's header: superfences reads
# this one as a text block with a title and classes (no copy button).
OUTPUT_FENCE = "{.text .nk-output .no-copy title='Output'}"
# [text](../source/<file>.md#Qualname "text to find") -- the title is optional.
_LINE_LINK = re.compile(
    r"\]\((?P<page>(?:\.\./)*source/(?P<file>[\w/]+)\.md)"
    r"#(?P<qualname>[A-Za-z_][\w.]*)"
    r"""(?: (?:"(?P<find>[^"]+)"|'(?P<find1>[^']+)'))?\)"""
)
_SOURCE_LINK = re.compile(r"\]\(((?:\.\./)*source/([\w/]+)\.md)(?:#[^)\s]*)?\)")


def is_chapter(src_uri: str) -> bool:
    return CHAPTER.match(src_uri) is not None


@cache
def _definitions(file: str) -> dict[str, ast.AST]:
    """`Qualname` -> its class or function node, for one repository file."""
    tree = ast.parse((paths.ROOT / file).read_text(encoding="utf-8"))
    found: dict[str, ast.AST] = {}

    def walk(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                name = prefix + node.name
                found.setdefault(name, node)
                walk(node.body, name + ".")
            elif isinstance(node, ast.If | ast.Try):
                walk(node.body + getattr(node, "orelse", []), prefix)

    walk(tree.body, "")
    return found


def line_of(file: str, qualname: str, find: str | None = None) -> int:
    """The line defining `qualname` in `file`, or its first line containing `find`."""
    node = _definitions(file).get(qualname)
    if node is None:
        raise PluginError(f"a tutorial links to {file}#{qualname}: no such definition")
    if find is None:
        return node.lineno
    lines = (paths.ROOT / file).read_text(encoding="utf-8").split("\n")
    for number in range(node.lineno, node.end_lineno + 1):
        if find in lines[number - 1]:
            return number
    raise PluginError(
        f"a tutorial links to the line of {file}#{qualname} containing {find!r}:"
        " no line of that definition contains it"
    )


def resolve_line_links(markdown: str) -> str:
    """`...md#Qualname "text"` -> `...md#L<line>` (see the module docstring)."""

    def replace(match: re.Match) -> str:
        file = match["file"] + ".py"
        find = match["find"] or match["find1"]
        if find is None and match["qualname"] not in _definitions(file):
            # A section anchor of the source page (`#Layer.setattr`): the
            # build checks those itself.
            return match.group(0)
        return f"]({match['page']}#L{line_of(file, match['qualname'], find)})"

    return _LINE_LINK.sub(replace, markdown)


def lesson_markdown(markdown: str) -> str:
    """The chapter without the test suite's expected-output blocks."""
    return _EXPECTED.sub("", markdown)


def read_the_source(markdown: str) -> str:
    """A closing section linking every annotated source file the chapter uses."""
    pages: dict[str, str] = {}
    for page, file in _SOURCE_LINK.findall(markdown):
        if file != "index":
            pages.setdefault(file, page)
    if not pages:
        return ""
    lines = [
        "## Read the source",
        "",
        "The annotated source of every file this chapter opened:",
        "",
    ]
    lines += [f"- [`{file}.py`]({page})" for file, page in pages.items()]
    return "\n".join(lines) + "\n"


def notebook_name(src_uri: str) -> str:
    """`tutorials/02-layer.md` -> `tutorials/02-layer.ipynb`."""
    return posixpath.splitext(src_uri)[0] + ".ipynb"


def notebook(markdown: str) -> str:
    """The chapter as a Jupyter notebook (JSON): Markdown cells and code cells.

    Snippets become code cells without markdown-exec's options; the test
    suite's expected-output blocks are left out, as on the page.
    """
    document = jupytext.reads(lesson_markdown(markdown), fmt="md")
    for number, cell in enumerate(document.cells, start=1):
        if cell.cell_type == "code":
            cell.metadata = {}
        # nbformat draws each cell's id at random; numbered ids keep the file
        # the same from build to build.
        cell.id = f"cell-{number}"
    document.metadata = {
        "kernelspec": {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        },
        "language_info": {"name": "python"},
    }
    return jupytext.writes(document, fmt="ipynb")


def on_files(files: Any, config: Any) -> Any:
    """Add a notebook next to each chapter (built from its Markdown)."""
    for file in list(files.documentation_pages()):
        if is_chapter(file.src_uri):
            text = Path(file.abs_src_path).read_text(encoding="utf-8")
            name = notebook_name(file.src_uri)
            files.append(File.generated(config, name, content=notebook(text)))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if not is_chapter(page.file.src_uri):
        return markdown
    page.meta.setdefault("search", {}).setdefault("boost", SEARCH_BOOST)
    markdown = lesson_markdown(markdown)
    markdown = _EXEC_TEXT.sub(rf'\1result="{OUTPUT_FENCE}"', markdown)
    markdown = resolve_line_links(markdown)
    name = posixpath.basename(notebook_name(page.file.src_uri))
    button = (
        f"[:material-notebook-outline: Download this chapter as a notebook]({name})"
        f'{{ .md-button .nk-notebook download="{name}" }}'
    )
    # The button goes right under the chapter's title.
    title, newline, rest = markdown.partition("\n")
    if not title.startswith("# "):
        title, newline, rest = "", "", markdown
    markdown = f"{title}{newline}\n{button}\n{rest}"
    closing = read_the_source(markdown)
    return markdown.rstrip("\n") + "\n\n" + closing if closing else markdown
