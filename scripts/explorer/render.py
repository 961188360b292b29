"""Text and Markdown renderings of what the explorer finds.

Kept apart from the tracing itself: these functions only lay out the
dataclasses (`Chain`, `AliasTable`, `Alias`) the explorer returns; the JSON
format needs no code at all (`dataclasses.asdict`).
"""

from typing import Any


def render(result: Any, fmt: str = "text") -> str:
    """Lay out a `Chain`, an `AliasTable` or one `Alias` as text or Markdown."""
    kind = type(result).__name__
    markdown = fmt == "markdown"
    if kind == "Chain":
        return chain_markdown(result) if markdown else chain_text(result)
    if kind == "AliasTable":
        return aliases_markdown(result) if markdown else aliases_text(result)
    if kind == "Alias":
        line = where_text(result)
        return (
            f"`{result.public_path}` -> {line.partition(' -> ')[2]}"
            if markdown
            else line
        )
    raise TypeError(f"render() cannot lay out a {kind}.")


def _columns(rows: list[tuple[str, ...]]) -> list[str]:
    """Left-aligned columns, two spaces apart."""
    if not rows:
        return []
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths))
        + "  "
        + row[-1]
        for row in rows
    ]


def _where(file: str, line: int) -> str:
    return f"{file}:{line}" if file else "(outside the package)"


def _heading(result) -> str:
    public = result.classes[-1].public_paths if result.classes else []
    name = f"{public[0]} = {result.target}" if public else result.target
    return f"Class chain of {name} ({result.mode}, base first)"


def _spines(result) -> list[tuple[str, str]]:
    """The primary-base chain beside the full MRO, both base first."""
    short = [p.rpartition(".")[2] for p in result.primary]
    mro = [node.name for node in result.classes]
    return [
        ("primary-base chain (first bases, the book's view)", " -> ".join(short)),
        ("full method resolution order, base first", " -> ".join(mro)),
    ]


def chain_text(result) -> str:
    lines = [_heading(result), ""]
    if result.primary:
        lines += [f"{title}:\n  {text}" for title, text in _spines(result)] + [""]
    for number, node in enumerate(result.classes, 1):
        also = f"  [{', '.join(node.public_paths)}]" if node.public_paths else ""
        lines.append(f"{number}. {node.path}{also}  {_where(node.file, node.line)}")
        if node.doc:
            lines.append(f"   {node.doc}")
        for title, members in (
            ("introduces", node.introduces),
            ("overrides", node.overrides),
        ):
            if members:
                lines.append(f"   {title}:")
                rows = [
                    (
                        m.kind,
                        m.name,
                        f"{m.file}:{m.line}",
                        m.doc + (f" (from {m.overrides})" if m.overrides else ""),
                    )
                    for m in members
                ]
                lines += ["     " + row for row in _columns(rows)]
    if result.subclasses:
        lines += ["", "known subclasses: " + ", ".join(result.subclasses)]
    lines += [f"note: {note}" for note in result.notes]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def chain_markdown(result) -> str:
    lines = [f"# {_heading(result)}", ""]
    if result.primary:
        lines += [f"- {title}: `{text}`" for title, text in _spines(result)] + [""]
    for number, node in enumerate(result.classes, 1):
        lines.append(f"## {number}. `{node.path}`")
        lines.append("")
        if node.public_paths:
            lines.append(
                "Public: " + ", ".join(f"`{p}`" for p in node.public_paths) + "  "
            )
        lines.append(f"Defined at `{_where(node.file, node.line)}`  ")
        if node.doc:
            lines.append(_cell(node.doc))
        lines.append("")
        members = [("introduces", m) for m in node.introduces]
        members += [("overrides", m) for m in node.overrides]
        if members:
            lines += [
                "| member | kind | | where | first docstring line |",
                "|---|---|---|---|---|",
            ]
            for status, m in members:
                if m.overrides:
                    status = f"overrides `{m.overrides.rpartition('.')[2]}`"
                lines.append(
                    f"| `{m.name}` | {m.kind} | {status} | `{m.file}:{m.line}` "
                    f"| {_cell(m.doc)} |"
                )
            lines.append("")
    if result.subclasses:
        lines += [
            "Known subclasses: " + ", ".join(f"`{s}`" for s in result.subclasses),
            "",
        ]
    lines += [f"!!! note\n    {note}\n" for note in result.notes]
    return "\n".join(lines)


def aliases_text(table) -> str:
    rows = [
        (e.public_path, e.kind, e.implementation, f"{e.file}:{e.line}")
        for e in sorted(table.entries, key=lambda e: e.public_path)
    ]
    lines = [f"{len(rows)} public paths of {table.package} (@{table.decorator}):", ""]
    lines += _columns(rows)
    reverse = table.reverse()
    lines += ["", f"{len(reverse)} implementations -> their public paths:", ""]
    lines += _columns(
        [
            (
                impl,
                f"{entries[0].file}:{entries[0].line}",
                "<- " + ", ".join(e.public_path for e in entries),
            )
            for impl, entries in sorted(reverse.items())
        ]
    )
    return "\n".join(lines)


def aliases_markdown(table) -> str:
    lines = ["| public path | kind | implementation | file:line |", "|---|---|---|---|"]
    for e in sorted(table.entries, key=lambda e: e.public_path):
        lines.append(
            f"| `{e.public_path}` | {e.kind} | `{e.implementation}` "
            f"| `{e.file}:{e.line}` |"
        )
    lines += ["", "| implementation | public paths |", "|---|---|"]
    for impl, entries in sorted(table.reverse().items()):
        lines.append(
            f"| `{impl}` | {', '.join(f'`{e.public_path}`' for e in entries)} |"
        )
    return "\n".join(lines)


def where_text(entry) -> str:
    return (
        f"{entry.public_path} -> {entry.implementation} ({entry.kind}) "
        f"at {entry.file}:{entry.line}"
    )
