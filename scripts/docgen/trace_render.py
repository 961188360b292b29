"""Drawing a call tree: nested HTML `details`, and a mermaid sequence diagram.

The tree needs no script: each call with callees is a `details` element whose
`summary` is the call's line (its name linked to its source, its arguments'
types and shapes, what it returned, its file and line), and a call without
callees is a plain line. A node `scripts/docgen/calltrace.py` folded says
`× n`; one it pruned says how many calls it leaves out. The sequence diagram
draws only the top levels: who calls whom, with folded runs as `loop`s.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable

from scripts.docgen.calltrace import Call

# The sequence diagrams show this many levels below the traced statements.
DIAGRAM_DEPTH = 2
DIAGRAM_MESSAGES = 40


def tree_html(
    root: Call, link: Callable[[Call], str | None], open_depth: int = 2
) -> str:
    """The calls below `root` as nested `details`; `link(call)` gives an href."""
    out: list[str] = []
    for child in root.children:
        _node_html(child, link, 1, open_depth, out)
    if root.hidden:
        out.append(_more(root.hidden))
    return '<div class="nk-trace">' + "".join(out) + "</div>"


def _node_html(call: Call, link, depth: int, open_depth: int, out: list[str]) -> None:
    repeat = f'<span class="nk-trace-repeat">× {call.repeat}</span> '
    repeat = repeat if call.repeat > 1 else ""
    if not call.name:  # a folded group of several calls
        line = (
            f'{repeat}<span class="nk-trace-group">these {len(call.children)} '
            "calls, the same each time (shown: the first)</span>"
        )
    else:
        name = f"<code>{html.escape(call.name)}</code>"
        target = link(call)
        if target:
            name = f'<a href="{html.escape(target)}">{name}</a>'
        where = call.file.removeprefix("keras/src/")
        line = f'{repeat}{name}<span class="nk-trace-args">({html.escape(call.args)})'
        line += "</span>"
        if call.returns and call.returns != "None":
            line += f' <span class="nk-trace-ret">→ {html.escape(call.returns)}</span>'
        line += f' <span class="nk-trace-where">{where}:{call.line}</span>'
    if not call.children and not call.hidden:
        out.append(f'<div class="nk-trace-leaf">{line}</div>')
        return
    out.append(f"<details{' open' if depth <= open_depth else ''}><summary>")
    out.append(line + "</summary>")
    for child in call.children:
        _node_html(child, link, depth + 1, open_depth, out)
    if call.hidden:
        out.append(_more(call.hidden))
    out.append("</details>")


def _more(count: int) -> str:
    calls = "call" if count == 1 else "calls"
    return f'<div class="nk-trace-more">… {count} more {calls} (left out)</div>'


def _participant(call: Call) -> str:
    """Who receives the call: the object's class, else the module."""
    match = re.match(r"(?:self|cls)=(\w+)", call.args)
    if match:
        return match.group(1)
    owner = call.name.split(".<locals>")[0].rpartition(".")[0]
    return owner or posixpath.splitext(posixpath.basename(call.file))[0]


def _method(call: Call) -> str:
    return call.name.split(".<locals>.")[-1].rpartition(".")[2]


# Attribute plumbing: in a tree it is honest detail, in a diagram only noise.
_NOT_DRAWN = {"__setattr__", "__getattr__", "__delattr__", "_setattr_hook"}


def sequence_diagram(root: Call) -> str:
    """A mermaid sequence diagram of the top levels of a call tree."""
    lines = ["sequenceDiagram", "    participant user as your code"]
    seen: dict[str, str] = {}
    messages: list[str] = []

    def actor(name: str) -> str:
        if name not in seen:
            seen[name] = f"p{len(seen)}"
            lines.append(f"    participant {seen[name]} as {name}")
        return seen[name]

    def walk(call: Call, caller: str, depth: int, indent: str) -> None:
        for child in call.children:
            if len(messages) >= DIAGRAM_MESSAGES:
                return
            if not child.name:
                messages.append(f"{indent}loop × {child.repeat}")
                walk(child, caller, depth, indent + "    ")
                messages.append(f"{indent}end")
                continue
            if _method(child) in _NOT_DRAWN:
                continue
            callee = actor(_participant(child))
            times = f" × {child.repeat}" if child.repeat > 1 else ""
            messages.append(f"{indent}{caller}->>{callee}: {_method(child)}{times}")
            if depth < DIAGRAM_DEPTH:
                walk(child, callee, depth + 1, indent)

    walk(root, "user", 0, "    ")
    # A loop cut short by the message limit still needs its `end`.
    opened = sum(m.strip().startswith("loop") for m in messages)
    closed = sum(m.strip() == "end" for m in messages)
    messages += ["    end"] * (opened - closed)
    return "\n".join(lines + messages)


def method_names(root: Call, depth: int = 4) -> set[str]:
    """The method names called in the first `depth` levels."""
    return {
        _method(call)
        for level, call in root.walk()
        if 0 < level <= depth and call.name and not _method(call).startswith("<")
    }
