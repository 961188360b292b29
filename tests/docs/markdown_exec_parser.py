"""A Sybil parser for the tutorials' markdown-exec fences.

The tutorials mark every snippet the site runs at build time with a fence like

    ```python exec="on" source="above" result="text" session="ch1"

Sybil's stock Markdown parser only accepts a bare `python` info string, so it
would skip every one of them without a word. This parser reads those fences,
runs each block the way markdown-exec does (blocks of one `session` share a
namespace; a block without a session runs alone) and records what it printed.

A page may also state what a snippet prints, in a block of its own:

    ```{.text .expected-output title="tf.Variable prints"}

Such a block is checked against the output of the closest executed block
above it: its lines must appear, in order and contiguously, in that output.
"""

import contextlib
import functools
import io
import re
import shlex
import textwrap
from collections.abc import Iterable

from sybil import Document, Example, Region
from sybil.evaluators.python import pad
from sybil.parsers.markdown.lexers import RawFencedCodeBlockLexer

from scripts.mkdocs_hooks import PrintStream

# The info string of an executed block: a language markdown-exec runs, then
# attributes that include exec="on" (or "1" / "true", which it also accepts).
EXEC_INFO = re.compile(
    r"(?P<language>python|py)[ \t]+"
    r"(?P<attributes>[^\n]*\bexec=\"?(?:on|1|true)\b[^\n]*)$\n",
    re.MULTILINE,
)
EXPECTED_INFO = re.compile(
    r"\{(?P<attributes>[^}\n]*\.expected-output\b[^}\n]*)\}[ \t]*$\n", re.MULTILINE
)
# How a reader spots an executed fence, in any language: used to cross-check the
# parser's count, so a `pycon` or `console` block that markdown-exec runs but
# this parser does not understand fails the count instead of going untested.
EXEC_FENCE_LINE = re.compile(r"^[ \t]*(?:`{3,}|~{3,})[^\n`]*\bexec=", re.MULTILINE)

_SESSIONS = "__markdown_exec_sessions__"
_LAST_OUTPUT = "__markdown_exec_last_output__"


def parse_attributes(text: str) -> dict[str, str]:
    """`exec="on" session="ch1"` -> `{"exec": "on", "session": "ch1"}`."""
    attributes = {}
    for token in shlex.split(text):
        key, _, value = token.partition("=")
        attributes[key] = value
    return attributes


class MarkdownExecBlock:
    """One executed snippet: its code and the session it shares a namespace with."""

    def __init__(self, source: str, session: str | None, line_offset: int):
        self.source = source
        self.session = session
        self.line_offset = line_offset

    def __repr__(self) -> str:
        return f"<MarkdownExecBlock session={self.session!r}>"


class ExpectedOutput:
    """A block stating what the executed snippet above it prints."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return f"<ExpectedOutput {self.text[:40]!r}>"


def evaluate_block(example: Example) -> None:
    """Run a snippet as the site build does, keeping what it printed.

    As markdown-exec does, the snippet's globals get a `print` bound to a
    buffer; as scripts/mkdocs_hooks.py adds, whatever library code writes to
    `sys.stdout` meanwhile (the progress bar, `model.summary()`) goes to that
    same `print`, in order. So the output checked here is the page's output.
    """
    __tracebackhide__ = True
    block: MarkdownExecBlock = example.parsed
    sessions = example.namespace.setdefault(_SESSIONS, {})
    if block.session is None:
        namespace: dict = {}
    else:
        namespace = sessions.setdefault(block.session, {})
    namespace.setdefault("__name__", "__main__")
    printed = io.StringIO()
    namespace["print"] = functools.partial(_print_to, printed)
    code = compile(
        pad(block.source, example.line + block.line_offset), example.path, "exec"
    )
    with contextlib.redirect_stdout(PrintStream(namespace["print"])):
        exec(code, namespace)
    example.namespace[_LAST_OUTPUT] = printed.getvalue()


def _print_to(
    buffer: io.StringIO, *values: object, end: str = "\n", **_: object
) -> None:
    """markdown-exec's `print`: joins with spaces, ignores `sep` and `file`."""
    buffer.write(" ".join(str(value) for value in values) + end)


def check_expected_output(example: Example) -> str | None:
    """Sybil's convention: return a message on failure, None on success."""
    expected: ExpectedOutput = example.parsed
    output = example.namespace.get(_LAST_OUTPUT)
    if output is None:
        return f"line {example.line}: no executed snippet above this expected output"
    want = [line.rstrip() for line in expected.text.strip("\n").splitlines()]
    got = [line.rstrip() for line in output.splitlines()]
    for start in range(len(got) - len(want) + 1):
        if got[start : start + len(want)] == want:
            return None
    return (
        f"line {example.line}: the page says the snippet prints\n"
        + textwrap.indent("\n".join(want), "    ")
        + "\nbut it printed\n"
        + textwrap.indent(output.rstrip("\n"), "    ")
    )


class MarkdownExecParser:
    """Yields a region for each executed fence and each expected-output block."""

    def __init__(self) -> None:
        self.exec_lexer = RawFencedCodeBlockLexer(info_pattern=EXEC_INFO)
        self.expected_lexer = RawFencedCodeBlockLexer(info_pattern=EXPECTED_INFO)

    def __call__(self, document: Document) -> Iterable[Region]:
        for region in self.exec_lexer(document):
            attributes = parse_attributes(region.lexemes["attributes"])
            source = region.lexemes["source"]
            region.parsed = MarkdownExecBlock(
                str(source), attributes.get("session"), source.line_offset
            )
            region.evaluator = evaluate_block
            yield region
        for region in self.expected_lexer(document):
            region.parsed = ExpectedOutput(str(region.lexemes["source"]))
            region.evaluator = check_expected_output
            yield region


def count_exec_fences(text: str) -> int:
    """Executed fences counted by a plain line match, independent of the parser."""
    return len(EXEC_FENCE_LINE.findall(text))
