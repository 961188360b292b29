"""The import-alias pages: every public path -> its code, and the reverse.

`aliases/index.md` is the whole public API in one table (public path, kind,
implementation, file:line linked to the annotated source); `aliases/reverse.md`
groups the public paths by the object they name, like the "aliases" boxes of
the TensorFlow docs. Both are read statically from the `@export` decorators by
the explorer (scripts/explorer/); a test checks they equal the runtime registry.
"""

from scripts import explorer
from scripts.docgen import (
    GENERATED,
    cell,
    chain_page,
    reference_page,
    relative,
    source_link,
)

INDEX = "aliases/index.md"
REVERSE = "aliases/reverse.md"


def _public(path: str, page: str) -> str:
    if reference_page(path) in GENERATED:
        return f"[`{path}`]({relative(reference_page(path), page)})"
    return f"`{path}`"


def _kind(entry: explorer.Alias, canonical: str, page: str) -> str:
    if entry.kind != "class":
        return entry.kind
    return f"class ([chain]({relative(chain_page(canonical), page)}))"


def index_page(table: explorer.AliasTable) -> str:
    reverse = table.reverse()
    lines = [
        "# Import aliases",
        "",
        f"The {len(table.entries)} public paths of nanokeras and the "
        f"{len(reverse)} objects behind them. The code of each object lives in "
        "one implementation file; `@export(...)` above it gives it its public "
        "paths, and `scripts/gen_api.py` writes the `nanokeras/` package from "
        "them. Use the search box (`s`) to find a name; the "
        f"[reverse index]({relative(REVERSE, INDEX)}) lists every public path "
        "of each object.",
        "",
        "| Public path | Kind | Implementation | Defined at |",
        "|---|---|---|---|",
    ]
    for entry in sorted(table.entries, key=lambda e: e.public_path):
        canonical = reverse[entry.implementation][0].public_path
        lines.append(
            f"| {_public(entry.public_path, INDEX)} "
            f"| {_kind(entry, canonical, INDEX)} "
            f"| `{cell(entry.implementation)}` "
            f"| {source_link(entry.file, entry.line, INDEX)} |"
        )
    return "\n".join(lines) + "\n"


def reverse_page(table: explorer.AliasTable) -> str:
    lines = [
        "# Implementation -> public paths",
        "",
        "Each object defined in the implementation, with every public path it "
        "is exported under (the first one is its canonical name, used for its "
        "class-chain page).",
        "",
        "| Implementation | Defined at | Public paths |",
        "|---|---|---|",
    ]
    for implementation, entries in sorted(table.reverse().items()):
        first = entries[0]
        paths = ", ".join(_public(e.public_path, REVERSE) for e in entries)
        lines.append(
            f"| `{cell(implementation)}` "
            f"| {source_link(first.file, first.line, REVERSE)} | {paths} |"
        )
    return "\n".join(lines) + "\n"


def pages() -> dict[str, str]:
    table = explorer.aliases()
    return {
        INDEX: index_page(table),
        REVERSE: reverse_page(table),
        "aliases/SUMMARY.md": (
            "* [Public path -> implementation](index.md)\n"
            "* [Implementation -> public paths](reverse.md)\n"
        ),
    }
