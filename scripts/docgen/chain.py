"""The class-chain pages: one per public class, and the headline overview.

`chain/<canonical public path>.md` draws the bases of a class back to `Module`
(a mermaid class diagram), then walks the chain base first: for each class, a
table of the members it *introduces* and the ones it *overrides*, each linked
to its line in the annotated source. `chain/index.md` is the overview of the
chain every Keras model is built on, `Module -> Layer -> Model -> Functional ->
Sequential`. Everything comes from `scripts/explore.py` (static, griffe).
"""

import re

from scripts import explore
from scripts.docgen import cell, relative, source_link

INDEX = "chain/index.md"
# The chain a reader of Keras meets first, root first.
HEADLINE = ("Module", "Layer", "Model", "Functional", "Sequential")


def public_classes(table: explore.AliasTable) -> dict[str, str]:
    """implementation path -> canonical public path (its first @export path)."""
    return {
        impl: entries[0].public_path
        for impl, entries in table.reverse().items()
        if entries[0].kind == "class"
    }


def page_of(canonical: str) -> str:
    return f"chain/{canonical}.md"


def _name_link(path: str, canonical: dict[str, str], page: str) -> str:
    short = path.rpartition(".")[2]
    if path in canonical:
        return f"[`{short}`]({relative(page_of(canonical[path]), page)})"
    return f"`{short}`"


# How many public members a class box shows: methods first (they say what a
# class can do), then properties. The tables below the diagram list them all.
BOX_MEMBERS = 6


def _box_members(node: explore.ChainClass) -> list[str]:
    """Up to `BOX_MEMBERS` public members a class introduces, in mermaid notation."""
    public = [m for m in node.introduces if not m.name.startswith("_")]
    methods = [f"+{m.name}()" for m in public if m.kind.endswith("method")]
    others = [f"+{m.name}" for m in public if not m.kind.endswith("method")]
    return (methods + others)[:BOX_MEMBERS]


def mermaid(result: explore.Chain) -> str:
    """A class diagram of the chain: each class points at its bases."""
    ids: dict[str, str] = {}
    for node in result.classes:
        base_id = re.sub(r"\W", "_", node.name)
        ident, n = base_id, 2
        while ident in ids.values():
            ident, n = f"{base_id}_{n}", n + 1
        ids[node.path] = ident
    lines = ["```mermaid", "classDiagram"]
    for node in result.classes:
        ident = ids[node.path]
        # A renamed node (two bases with one name) keeps its name as the label.
        label = "" if ident == node.name else f'["{node.name}"]'
        members = _box_members(node)
        lines.append(f"    class {ident}{label}" + (" {" if members else ""))
        if members:
            lines += [f"        {member}" for member in members] + ["    }"]
    for node in result.classes:
        for base in node.bases:
            if base in ids:
                lines.append(f"    {ids[base]} <|-- {ids[node.path]}")
    lines.append("```")
    return "\n".join(lines)


def _member_rows(node: explore.ChainClass, page: str) -> list[str]:
    rows = []
    members = [("introduces", m) for m in node.introduces]
    members += [("overrides", m) for m in node.overrides]
    for status, member in members:
        if member.overrides:
            status = f"overrides `{member.overrides.rpartition('.')[2]}`"
        where = source_link(member.file, member.line, page, text=f"L{member.line}")
        rows.append(
            f"| `{cell(member.name)}` | {member.kind} | {status} | {where} "
            f"| {cell(member.doc)} |"
        )
    return rows


def class_section(number: int, node, canonical: dict[str, str], page: str) -> str:
    title = node.public_paths[0] if node.public_paths else node.path
    lines = [f"## {number}. `{node.name}`", ""]
    if node.external:
        lines += [
            f"`{node.path}` is outside the package: its members are not listed.",
            "",
        ]
        return "\n".join(lines)
    if node.doc:
        lines += [f"*{cell(node.doc)}*", ""]
    where = source_link(node.file, node.line, page)
    links = (
        f" Its own chain page: {_name_link(node.path, canonical, page)}."
        if (node.path in canonical and page_of(canonical[node.path]) != page)
        else ""
    )
    lines += [f"`{title}` is defined at {where} as `{node.path}`.{links}", ""]
    if node.public_paths[1:]:
        others = ", ".join(f"`{p}`" for p in node.public_paths[1:])
        lines += [f"Also exported as {others}.", ""]
    rows = _member_rows(node, page)
    if rows:
        lines += [
            "| Member | Kind | | Line | First docstring line |",
            "|---|---|---|---|---|",
            *rows,
            "",
        ]
    else:
        lines += ["It adds no members of its own.", ""]
    return "\n".join(lines)


def class_page(result: explore.Chain, public: str, canonical: dict[str, str]) -> str:
    page = page_of(public)
    target = result.classes[-1]
    names = " -> ".join(f"`{node.name}`" for node in result.classes)
    lines = [f"# `{public}`", ""]
    if target.doc:
        lines += [cell(target.doc), ""]
    lines += [
        f"The chain, base first: {names}. Each box shows a few public members "
        "the class introduces; the tables below list every member it introduces "
        "and every one it overrides, and each line number opens the annotated "
        "source at that line.",
        "",
        mermaid(result),
        "",
    ]
    if result.subclasses:
        subs = ", ".join(_name_link(s, canonical, page) for s in result.subclasses)
        lines += [f"**Known subclasses:** {subs}", ""]
    lines += [f"!!! note\n    {note}\n" for note in result.notes]
    for number, node in enumerate(result.classes, 1):
        lines.append(class_section(number, node, canonical, page))
    return "\n".join(lines)


def headline_chain() -> explore.Chain | None:
    """The static chain of the deepest headline class that exists yet."""
    for name in reversed(HEADLINE):
        try:
            return explore.chain(name)
        except explore.ExploreError:
            continue
    return None


def index_page(canonical: dict[str, str]) -> str:
    lines = [
        "# Class chains",
        "",
        "Every Keras model is a chain of classes, each adding one idea to its "
        "parent: `Module` tracks variables, `Layer` adds building and calling, "
        "`Model` adds training, `Functional` runs a graph of layers, and "
        "`Sequential` builds that graph from a list. This page shows the chain "
        "as it exists in the code today; each class has a page of its own that "
        "lists, member by member, what it introduces and what it overrides.",
        "",
    ]
    result = headline_chain()
    if result is not None:
        lines += [mermaid(result), ""]
        lines += ["| Class | Defined at | What it adds |", "|---|---|---|"]
        for node in result.classes:
            lines.append(
                f"| {_name_link(node.path, canonical, INDEX)} "
                f"| {source_link(node.file, node.line, INDEX)} | {cell(node.doc)} |"
            )
        missing = [n for n in HEADLINE if n not in {c.name for c in result.classes}]
        if missing:
            lines += ["", f"Not written yet: {', '.join(f'`{n}`' for n in missing)}."]
        lines.append("")
    lines += ["## Every public class", ""]
    for public in sorted(canonical.values()):
        lines.append(f"- [`{public}`]({relative(page_of(public), INDEX)})")
    return "\n".join(lines) + "\n"


def pages() -> dict[str, str]:
    canonical = public_classes(explore.aliases())
    found = {INDEX: index_page(canonical)}
    by_namespace: dict[str, list[str]] = {}
    for impl, public in canonical.items():
        found[page_of(public)] = class_page(explore.chain(impl), public, canonical)
        by_namespace.setdefault(public.rpartition(".")[0], []).append(public)
    # The navigation groups the pages by namespace, `nanokeras` first.
    nav = ["* [Overview](index.md)"]
    for namespace in sorted(by_namespace, key=lambda ns: (ns.count("."), ns)):
        nav.append(f"* {namespace}")
        for public in sorted(by_namespace[namespace]):
            nav.append(f"    * [{public.rpartition('.')[2]}]({public}.md)")
    found["chain/SUMMARY.md"] = "\n".join(nav) + "\n"
    return found
