"""The annotated source: every implementation file, prose beside code.

Each `.py` file of the implementation (`backend/`, `engine/`, `layers/`,
`losses/`, `optimizers/`, ... whatever exists when the site is built; the
same discovery rule as `scripts/gen_api.py`) becomes `source/<path>.md`, read
section by section like docco or pycco: the module docstring first, then the
imports, each class, each method and each top-level function. In every
section the docstring and the comments are rendered as prose on the left and
the code on the right, keeping its real line numbers. Every line N of the file
has the HTML id `L<N>` (a code line, or the prose it became), so
`source/engine/base_layer.md#L42` lands on line 42.

The file is split by scripts/docgen/sections.py (`ast` and `tokenize`, no
regex over code) and highlighted once as a whole with pygments, so strings
spanning lines keep their colours; each line then goes to its chunk.
"""

import ast
import html
import posixpath
import re
from pathlib import Path

import pygments
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from scripts.docgen import canonical_paths, prose, reference_page, source_page
from scripts.docgen.sections import (
    Chunk,
    Section,
    parse_module,
    split_lines,
    split_source,
)
from scripts.paths import ROOT, implementation
from scripts.realkeras import sources

FOLDER = "source"


# --- Which files -----------------------------------------------------------


def source_files(root: Path = ROOT) -> list[Path]:
    """Every implementation `.py` file, relative to `root`, in a stable order.

    The files of `scripts.paths.implementation()`, as `scripts/gen_api.py`
    imports them: each top-level module, and each top-level package with its
    sub-packages (folders with an `__init__.py`).
    """
    found: list[Path] = []
    for entry in implementation(root):
        if entry.is_dir():
            found += _package_files(entry, root)
        else:
            found.append(entry.relative_to(root))
    return found


def _package_files(folder: Path, root: Path) -> list[Path]:
    found = [folder.relative_to(root) / "__init__.py"]
    for entry in sorted(folder.iterdir()):
        if entry.is_dir() and (entry / "__init__.py").exists():
            found += _package_files(entry, root)
        elif entry.is_file() and entry.suffix == ".py" and entry.name != "__init__.py":
            found.append(entry.relative_to(root))
    return found


def module_name(path: Path) -> str:
    """`engine/base_layer.py` -> `engine.base_layer`; a package's `__init__`."""
    parts = list(path.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def page_path(path: Path) -> str:
    """`engine/base_layer.py` -> `source/engine/base_layer.md` (docs-relative)."""
    return source_page(path.as_posix())


# --- Splitting a file into sections and chunks -----------------------------

# --- Rendering ---------------------------------------------------------------


def highlighted_lines(text: str) -> list[str]:
    """The file highlighted once as a whole, as one HTML string per line."""
    lexer = PythonLexer(stripnl=False, ensurenl=True)
    rendered = pygments.highlight(text, lexer, HtmlFormatter(nowrap=True))
    return rendered.split("\n")[: len(split_lines(text))]


def _code_html(chunk: Chunk, lines: list[str], code: list[str]) -> str:
    rows = []
    previous = None
    # Blank lines that close the chunk are hidden by the stylesheet.
    trailing = set()
    for number in reversed(chunk.code_lines):
        if lines[number - 1].strip():
            break
        trailing.add(number)
    for number in chunk.code_lines:
        if previous is not None and number > previous + 1:
            rows.append(_fold(previous + 1, number - 1, lines))
        # A line is the code block's child with an id (no class: a thousand
        # lines of `class="..."` weigh more than a big file's prose). Its
        # number is drawn by the stylesheet from `data-line`, so copying the
        # code leaves it out.
        css = ' class="nk-trailing"' if number in trailing else ""
        rows.append(
            f'<span{css} id="L{number}">'
            f'<a href="#L{number}" data-line="{number}"></a>'
            f"{code[number - 1]}\n</span>"
        )
        previous = number
    return (
        '<div class="nk-code language-python highlight"><pre><code>'
        + "".join(rows)
        + "</code></pre></div>"
    )


def _fold(first: int, last: int, lines: list[str]) -> str:
    """One dim line standing for lines moved to the prose column."""
    text = lines[first - 1]
    indent = text[: len(text) - len(text.lstrip())]
    mark = "# …" if text.lstrip().startswith("#") else '"""…"""'
    span = f"{first}" if first == last else f"{first}-{last}"
    return (
        f'<span class="nk-fold" title="line {span}: shown as prose">'
        f'<span class="nk-ln" data-line="{span}"></span>{indent}{html.escape(mark)}'
        "\n</span>"
    )


def _chunk_html(chunk: Chunk, lines: list[str], code: list[str]) -> str:
    anchors = "".join(
        f'<span class="nk-anchor" id="L{number}"></span>'
        for number in chunk.prose_lines
    )
    text = prose.to_html("\n\n".join(chunk.pieces)) if chunk.pieces else ""
    left = f'<div class="nk-prose">{anchors}{text}</div>'
    if not chunk.code_lines:
        return f'<div class="nk-chunk nk-chunk--prose">{left}</div>'
    right = _code_html(chunk, lines, code)
    return f'<div class="nk-chunk">{left}{right}</div>'


def _heading(section: Section, link: str | None, used: set[str]) -> str:
    level = "###" if section.kind == "method" else "##"
    title = f"[{section.title}]({link})" if link else section.title
    # attr_list reads `{ #id }` after emphasis, so an id has no underscore at
    # the edge of a name (`__init__` would turn bold): `Module.__init__` ->
    # `Module.init`; underscores inside a word are safe.
    anchor = section.qualname or re.sub(r"[\W_]+", "-", section.title.lower())
    anchor = ".".join(part.strip("_-") for part in anchor.split("."))
    while anchor in used or re.fullmatch(r"L\d+", anchor):
        anchor += "-"
    used.add(anchor)
    return f"{level} {title} {{ #{anchor} }}"


# Where the files named on a "Mirrors:" line can be read: at the tags of the
# pinned releases (tf.keras 2.6 in keras-team/keras, with the TensorFlow of
# the same version; Keras 3), so a link shows the code the line describes.
_MIRROR_REPOS = (
    ("keras/src/", sources.KERAS3.permalink("")),
    ("tensorflow/", "https://github.com/tensorflow/tensorflow/blob/v2.6.0/"),
    ("keras/", sources.KERAS2.permalink("")),
)
_MIRROR_PATH = re.compile(r"[\w./-]+\.py\b")


def mirrors_markdown(docstring: str) -> str | None:
    """The docstring's `Mirrors:` paragraph with each named file linked."""
    lines = docstring.split("\n")
    for index, line in enumerate(lines):
        if line.strip().startswith("Mirrors:"):
            paragraph = [line.strip()]
            for following in lines[index + 1 :]:
                if not following.strip():
                    break
                paragraph.append(following.strip())
            text = " ".join(paragraph).removeprefix("Mirrors:").strip()
            return _MIRROR_PATH.sub(_mirror_link, text)
    return None


def _mirror_link(match: re.Match) -> str:
    path = match.group(0)
    for prefix, base in _MIRROR_REPOS:
        if path.startswith(prefix):
            return f"[`{path}`]({base}{path})"
    return f"`{path}`"


def escape(text: str) -> str:
    """A file name as Markdown text (`__init__.py` is not bold)."""
    return text.replace("_", r"\_")


def render_page(path: Path, text: str, canonical: dict[tuple[str, str], str]) -> str:
    """The Markdown of `source/<path>.md`.

    Args:
        path: The file, relative to the repository root.
        text: Its contents.
        canonical: `(module, qualname)` -> canonical public path, for the
            links from section headings to the API reference.
    """
    here = posixpath.dirname(page_path(path))
    module = module_name(path)
    lines, code = split_lines(text), highlighted_lines(text)
    sections = split_source(text)
    docstring = ast.get_docstring(parse_module(text)) or ""
    out = [f"# {escape(path.as_posix())}", ""]
    facts = []
    mirrors = mirrors_markdown(docstring)
    if mirrors:
        facts.append(f"**Mirrors:** {mirrors}")
    public = sorted(
        (line_of(qualname, sections), public_path)
        for (owner, qualname), public_path in canonical.items()
        if owner == module
    )
    if public:
        links = ", ".join(
            f"[`{public_path}`]({posixpath.relpath(reference_page(public_path), here)})"
            for _, public_path in public
        )
        facts.append(f"**Public API:** {links}")
    facts.append(f"**Lines:** {len(lines)}" if lines else "This file is empty.")
    out += [
        '!!! abstract "About this file"',
        "",
        *(f"    {fact}\n" for fact in facts),
    ]
    used: set[str] = set()
    for section in sections:
        link = _section_link(section, module, canonical, here)
        if section.kind != "docstring":
            out += ["", _heading(section, link, used)]
        out.append("")
        for chunk in section.chunks:
            out += [_chunk_html(chunk, lines, code), ""]
    return "\n".join(out)


def line_of(qualname: str, sections: list[Section]) -> int:
    """The first line of the section defining `qualname` (0 if none)."""
    found = [section.start for section in sections if section.qualname == qualname]
    return found[0] if found else 0


def _section_link(
    section: Section, module: str, canonical: dict[tuple[str, str], str], here: str
) -> str | None:
    """The API reference page (or member anchor) of a public section."""
    if section.qualname is None:
        return None
    owner = section.qualname.partition(".")[0]
    public_path = canonical.get((module, owner))
    if public_path is None:
        return None
    link = posixpath.relpath(reference_page(public_path), here)
    if section.kind != "method":
        return link
    if not section.documented:
        return None
    return f"{link}#{module}.{section.qualname}"


def first_docstring_line(text: str) -> str:
    docstring = ast.get_docstring(parse_module(text)) or ""
    return docstring.strip().split("\n")[0]


def render_index(files: dict[Path, str]) -> str:
    """`source/index.md`: the files by folder, each with its docstring's first line."""
    out = [
        "# Annotated source",
        "",
        "Every file of the implementation, read section by section: docstrings and",
        "comments on the left, the code on the right with its real line numbers.",
        "Any line can be linked to: `source/engine/base_layer.md#L42` is line 42.",
    ]
    by_folder: dict[str, list[Path]] = {}
    for path in files:
        folder = path.parent.as_posix()
        by_folder.setdefault("" if folder == "." else folder, []).append(path)
    # Folders first, as in the navigation; the top-level modules last.
    for folder, paths in sorted(
        by_folder.items(), key=lambda item: (not item[0], item)
    ):
        title = f"`{folder}/`" if folder else "Top-level modules"
        out += ["", f"## {title}", "", "| File | What it is |", "| --- | --- |"]
        for path in paths:
            link = posixpath.relpath(page_path(path), FOLDER)
            summary = first_docstring_line(files[path]).replace("|", r"\|")
            out.append(f"| [{escape(path.name)}]({link}) | {summary} |")
    return "\n".join(out) + "\n"


def render_summary(files: dict[Path, str]) -> str:
    """`source/SUMMARY.md` for literate-nav: the overview only.

    The overview lists every file by folder. Listing the 150 files in the
    navigation too would put them into every source page's HTML (about
    70 KB a page) for a column the source pages hide anyway.
    """
    return "* [All files](index.md)\n"


def pages(root: Path = ROOT) -> dict[str, str]:
    """Every page of the annotated source: docs-relative path -> Markdown."""
    canonical = canonical_paths()
    files = {
        path: (root / path).read_text(encoding="utf-8") for path in source_files(root)
    }
    result = {}
    for path, text in files.items():
        try:
            result[page_path(path)] = render_page(path, text, canonical)
        except SyntaxError as error:
            # One clear line instead of a traceback from deep inside `ast`.
            raise ValueError(
                f"The annotated source cannot split {path}: line {error.lineno}: "
                f"{error.msg}. Fix the file (it cannot be imported either)."
            ) from None
    result[f"{FOLDER}/index.md"] = render_index(files)
    result[f"{FOLDER}/SUMMARY.md"] = render_summary(files)
    return result
