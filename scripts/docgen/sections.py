"""Split a Python file into docco-style sections and chunks.

Used by the annotated source (scripts/docgen/source.py). A *section* is a run
of lines the reader meets as one thing: the module docstring, the imports, a
class (its header, docstring and attributes), each method, each top-level
function, a group of module-level names. Sections cover lines 1..n exactly
once, in order. Each section is cut into *chunks*, the rows of the page: the
prose of a chunk (docstrings, and comments that fill their line) sits beside
the code that follows it. A new chunk starts where a comment block follows
code, which is docco's rule.

Statements come from `ast`, comments from `tokenize`: no regex reads code.
"""

import ast
import io
import tokenize
from dataclasses import dataclass, field
from functools import lru_cache

from scripts.docgen import prose


@dataclass
class Chunk:
    """One row of a section: prose (left) beside the code it explains (right)."""

    prose_lines: list[int] = field(default_factory=list)
    code_lines: list[int] = field(default_factory=list)
    # Markdown pieces in source order (comment blocks and docstrings).
    pieces: list[str] = field(default_factory=list)


@dataclass
class Section:
    """A contiguous run of lines: the docstring, imports, a class, a method ..."""

    kind: str  # "docstring", "imports", "code", "class", "function", "method"
    title: str
    qualname: str | None  # classes, functions and methods
    start: int
    end: int
    node: ast.AST | None = None
    chunks: list[Chunk] = field(default_factory=list)
    # Methods: whether the API reference renders this member (and its anchor).
    documented: bool = False

    @property
    def lines(self) -> range:
        return range(self.start, self.end + 1)


def split_lines(text: str) -> list[str]:
    """The file's lines as `ast` and `tokenize` number them (only `\\n` ends one)."""
    if not text:
        return []
    lines = text.split("\n")
    return lines[:-1] if text.endswith("\n") else lines


def prose_comments(text: str) -> dict[int, str]:
    """Line -> comment, for comments that fill their line outside brackets.

    Those become prose. A comment after code, inside a bracketed expression,
    or talking to a tool (`# noqa`) stays in the code.
    """
    found: dict[int, str] = {}
    depth = 0
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.OP and token.string in "([{":
            depth += 1
        elif token.type == tokenize.OP and token.string in ")]}":
            depth -= 1
        elif token.type == tokenize.COMMENT and depth == 0:
            row, col = token.start
            if not token.line[:col].strip() and not prose.is_pragma(token.string):
                found[row] = token.string
    return found


def _docstring_node(node: ast.AST) -> ast.Expr | None:
    body = getattr(node, "body", None)
    if body and isinstance(body[0], ast.Expr):
        value = body[0].value
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return body[0]
    return None


def _first_line(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", [])
    return min([node.lineno, *(d.lineno for d in decorators)])


def _assigned_names(node: ast.stmt) -> list[str]:
    targets = getattr(node, "targets", None) or [getattr(node, "target", None)]
    return [t.id for t in targets if isinstance(t, ast.Name)]


def _kind(node: ast.stmt) -> str:
    if isinstance(node, ast.Import | ast.ImportFrom):
        return "imports"
    if isinstance(node, ast.ClassDef):
        return "class"
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return "function"
    return "code"


def _heads(tree: ast.Module, comments: dict[int, str]) -> list[Section]:
    """The sections' starts (ends are filled in by the caller)."""

    def leading(line: int) -> int:
        # A comment block directly above a statement introduces it.
        while line - 1 in comments:
            line -= 1
        return line

    heads: list[Section] = []
    body = list(tree.body)
    doc = _docstring_node(tree)
    if doc is not None:
        heads.append(Section("docstring", "", None, 1, 0, tree))
        body = body[1:]
    for node in body:
        kind, start = _kind(node), leading(_first_line(node))
        previous = heads[-1] if heads else None
        if previous and (start <= previous.start or kind == previous.kind == "imports"):
            continue
        if previous and kind == previous.kind == "code":
            names = _assigned_names(node)
            previous.title += "".join(f", `{name}`" for name in names)
            continue
        if kind == "class":
            heads.append(
                Section(kind, f"class `{node.name}`", node.name, start, 0, node)
            )
            methods = [item for item in node.body if _kind(item) == "function"]
            # mkdocstrings shows a public member when its first definition (a
            # property's getter, not its setter) has a docstring.
            first = {}
            for item in methods:
                first.setdefault(item.name, item)
            for item in methods:
                item_start = leading(_first_line(item))
                if item_start > heads[-1].start:
                    qualname = f"{node.name}.{item.name}"
                    title = f"`{qualname}`"
                    method = Section("method", title, qualname, item_start, 0, item)
                    method.documented = not item.name.startswith("_") and bool(
                        _docstring_node(first[item.name])
                    )
                    heads.append(method)
        elif kind == "function":
            title = f"`{node.name}()`"
            heads.append(Section(kind, title, node.name, start, 0, node))
        elif kind == "imports":
            heads.append(Section(kind, "Imports", None, start, 0, None))
        else:
            names = ", ".join(f"`{name}`" for name in _assigned_names(node))
            heads.append(Section(kind, names or "Module-level code", None, start, 0))
    if heads:
        heads[0].start = 1
    return heads


@lru_cache(maxsize=512)
def parse_module(text: str) -> ast.Module:
    """`ast.parse(text)`, once per text: the source page, its index row and the
    comparison table all read the same files. Callers must not change the tree."""
    return ast.parse(text)


def split_source(text: str) -> list[Section]:
    """Sections covering lines 1..n exactly once, in order, each cut in chunks."""
    lines = split_lines(text)
    if not lines:
        return []
    tree = parse_module(text)
    comments = prose_comments(text)
    sections = _heads(tree, comments)
    if not sections:  # only comments and blank lines
        sections = [Section("code", "Module-level code", None, 1, 0)]
    for section, following in zip(sections, sections[1:]):
        section.end = following.start - 1
    sections[-1].end = len(lines)
    for section in sections:
        section.chunks = _chunks(section, lines, comments)
    return sections


def _chunks(
    section: Section, lines: list[str], comments: dict[int, str]
) -> list[Chunk]:
    """Cut a section where a comment block follows code (docco's rule).

    The section's own docstring (and the comments just above its `def`) is
    the prose of its first chunk, beside the signature and the body.
    """
    doc = _docstring_node(section.node) if section.node is not None else None
    doc_lines = range(doc.lineno, doc.end_lineno + 1) if doc else range(0)
    chunks = [Chunk()]
    comment_block: list[str] = []
    last = None  # kind of the previous non-blank line
    for number in section.lines:
        chunk, text = chunks[-1], lines[number - 1]
        if number in doc_lines:
            chunk.prose_lines.append(number)
            if number == doc.lineno:
                doc_text = ast.get_docstring(section.node) or ""
                chunk.pieces.append(prose.docstring_to_markdown(doc_text))
            last = "doc"
        elif number in comments:
            if chunk.code_lines and last != "comment":
                chunk = Chunk()
                chunks.append(chunk)
            if last != "comment":
                comment_block = []
                chunk.pieces.append(comment_block)  # filled in place below
            comment_block.append(comments[number])
            chunk.prose_lines.append(number)
            last = "comment"
        elif not text.strip():
            (chunk.code_lines if chunk.code_lines else chunk.prose_lines).append(number)
            if last == "comment":
                comment_block.append("")
        else:
            chunk.code_lines.append(number)
            last = "code"
    for chunk in chunks:
        chunk.pieces = [
            piece if isinstance(piece, str) else prose.comment_to_markdown(piece)
            for piece in chunk.pieces
        ]
    return chunks
