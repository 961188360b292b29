"""Turn docstrings and comments into the prose column of the annotated source.

The annotated-source pages (scripts/docgen/source.py) show each file's
docstrings and comments as prose beside the code. Docstrings here are Google
style: an `Args:` header followed by indented `name: text` lines, which plain
Markdown would render as a code block. This module rewrites those sections as
bold headers and bullet lists, wraps `>>>` examples in `pycon` fences, and
renders the result to HTML with the same pygments the site uses.
"""

import re
import textwrap
from functools import lru_cache

import markdown

# Google-style section headers whose bodies are lists of `name: description`.
_LIST_SECTIONS = {
    "Args",
    "Arguments",
    "Attributes",
    "Call arguments",
    "Keyword arguments",
    "Raises",
}
# Headers whose bodies stay text (examples become code fences).
_TEXT_SECTIONS = {
    "Example",
    "Examples",
    "Input shape",
    "Note",
    "Notes",
    "Output shape",
    "Reference",
    "References",
    "Return",
    "Returns",
    "See also",
    "Warning",
    "Yields",
}
_HEADER = re.compile(r"^([A-Z][A-Za-z ]*):\s*$")
_ITEM = re.compile(r"^(\*{0,2}[A-Za-z_][\w.]*)(\s*\([^)]*\))?\s*:(?:\s+(.*))?$")
_DIVIDER = re.compile(r"^[-=#*]{3,}\s*([^-=#*].*?)\s*[-=#*]*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
# Comments that talk to tools, not to readers.
_PRAGMA = re.compile(r"^#\s*(noqa|type:|fmt:|pragma|pyright|mypy|ruff|-\*-)|^#!")


def is_pragma(comment: str) -> bool:
    """`# noqa`, `# type: ignore`, a shebang ...: kept in the code column."""
    return bool(_PRAGMA.match(comment.strip()))


def comment_to_markdown(lines: list[str]) -> str:
    """`# text` lines (one comment block, blanks allowed) -> Markdown text."""
    out = []
    for line in lines:
        text = line.strip()
        if text.startswith("#"):
            text = text[1:]
            text = text[1:] if text.startswith(" ") else text
        out.append(text)
    # A divider such as `# --- Losses ---` titles what follows.
    divider = _DIVIDER.match(" ".join(out).strip())
    if divider:
        return f"**{divider.group(1)}**"
    return fence_doctests(out)


def docstring_to_markdown(doc: str) -> str:
    """A cleaned Google-style docstring -> Markdown (sections, lists, fences)."""
    lines = doc.expandtabs().split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        header = _HEADER.match(line)
        if header and header.group(1) in _LIST_SECTIONS | _TEXT_SECTIONS:
            body_end = index + 1
            while body_end < len(lines) and (
                not lines[body_end].strip() or lines[body_end].startswith((" ", "\t"))
            ):
                body_end += 1
            body = textwrap.dedent("\n".join(lines[index + 1 : body_end])).split("\n")
            out += ["", f"**{header.group(1)}:**", ""]
            if header.group(1) in _LIST_SECTIONS:
                out += _items(body)
            else:
                out += fence_doctests(body).split("\n")
            out.append("")
            index = body_end
            continue
        # Plain text up to the next section header.
        end = index + 1
        while end < len(lines) and not _is_section_header(lines[end]):
            end += 1
        out += fence_doctests(lines[index:end]).split("\n")
        index = end
    return "\n".join(out).strip() + "\n"


def _is_section_header(line: str) -> bool:
    header = _HEADER.match(line)
    return bool(header) and header.group(1) in _LIST_SECTIONS | _TEXT_SECTIONS


def _items(body: list[str]) -> list[str]:
    """`name (type): text` lines with indented continuations -> bullets."""
    items: list[str] = []
    for line in body:
        if not line.strip():
            continue
        match = _ITEM.match(line) if not line.startswith((" ", "\t")) else None
        if match:
            name, kind, text = match.group(1), match.group(2) or "", match.group(3)
            items.append(f"- `{name}`{kind.rstrip()}: {text or ''}".rstrip())
        elif items:
            items[-1] += " " + line.strip()
        else:
            items.append(line.strip())
    return items


def fence_doctests(lines: list[str]) -> str:
    """Wrap runs of `>>>` lines (with their output) in ```pycon fences.

    A run ends at a blank line or a line indented less than its `>>>`. The
    fences take the run's indentation, so a doctest inside an indented
    docstring section stays in that section.
    """
    out: list[str] = []
    in_fence = False
    indent: str | None = None  # the open doctest's indentation
    for line in lines:
        stripped = line.lstrip()
        if indent is not None:
            if stripped and line.startswith(indent):
                out.append(line)
                continue
            out += [indent + "```", ""]
            indent = None
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and stripped.startswith(">>>"):
            indent = line[: len(line) - len(stripped)]
            out += ["", indent + "```pycon"]
        out.append(line)
    if indent is not None:
        out.append(indent + "```")
    return "\n".join(out)


@lru_cache(maxsize=1)
def _renderer() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["pymdownx.superfences", "pymdownx.highlight", "sane_lists"],
        extension_configs={"pymdownx.highlight": {"pygments_lang_class": True}},
    )


def to_html(text: str) -> str:
    """Render prose Markdown to HTML (the page embeds it in a raw HTML block)."""
    renderer = _renderer()
    renderer.reset()
    return renderer.convert(text)
