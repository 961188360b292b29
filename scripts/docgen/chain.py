"""The class-chain pages: one per public class, and the headline overview.

`chain/<canonical public path>.md` draws the bases of a class back to `Module`
(a mermaid class diagram), then walks the chain base first: for each class, a
table of the members it *introduces* and the ones it *overrides*, each linked
to its line in the annotated source. `chain/index.md` is the overview of the
chain every Keras model is built on, `Module -> Layer -> Model -> Functional ->
Sequential`. Everything comes from the explorer (scripts/explorer/: static, griffe).
"""

import posixpath
import re

from scripts import explorer
from scripts.docgen import (
    GENERATED,
    anchored_lines,
    cell,
    chain_of,
    relative,
    source_link,
    source_page,
)

INDEX = "chain/index.md"
# The chain a reader of Keras meets first, root first.
HEADLINE = ("Module", "Layer", "Model", "Functional", "Sequential")


def public_classes(table: explorer.AliasTable) -> dict[str, str]:
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


# How many members a class box shows, and the order: the methods a learner
# meets first (the lifecycle of a layer, then of a model) before the rest.
# The tables below the diagram list every member.
BOX_MEMBERS = 8
LIFECYCLE = (
    "__init__",
    "build",
    "call",
    "__call__",
    "compile",
    "fit",
    "train_step",
    "add",
    "evaluate",
    "predict",
    "test_step",
    "predict_step",
    "compute_output_shape",
    "get_config",
    "from_config",
)


def defining_members(node: explorer.ChainClass) -> list[explorer.Member]:
    """The members that define a class: its own and its overrides, ranked.

    Lifecycle methods first (in `LIFECYCLE` order), then the other public
    methods, then properties and attributes, each group in source order.
    """
    members = [
        m
        for m in node.introduces + node.overrides
        if m.name in LIFECYCLE or not m.name.startswith("_")
    ]

    def rank(member: explorer.Member) -> tuple[int, int, int]:
        if member.name in LIFECYCLE:
            return (0, LIFECYCLE.index(member.name), 0)
        group = 1 if member.kind.endswith("method") else 2
        return (group, 0, member.line)

    return sorted(members, key=rank)


def _box_members(node: explorer.ChainClass) -> list[str]:
    """Up to `BOX_MEMBERS` defining members, in mermaid notation."""
    found = []
    for member in defining_members(node)[:BOX_MEMBERS]:
        call = "()" if member.kind.endswith("method") else ""
        # mermaid reads `__init__` as Markdown emphasis: write `_` as an entity.
        found.append(f"+{member.name.replace('_', '#95;')}{call}")
    return found


def _box_link(node: explorer.ChainClass, page: str) -> str | None:
    """The URL (relative to the built page) of a class's annotated source."""
    target = source_page(node.file) if node.file else ""
    if node.external or target not in GENERATED:
        return None
    anchor = f"#L{node.line}" if node.line in anchored_lines(target) else ""
    # mermaid writes the href as given: relative to the page's built URL
    # (`chain/nanokeras.Model/`), one folder deeper than its Markdown file.
    built_page = posixpath.splitext(page)[0] + "/"
    built_target = posixpath.splitext(target)[0] + "/"
    return posixpath.relpath(built_target, built_page) + "/" + anchor


def mermaid(result: explorer.Chain, page: str) -> str:
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
    for node in result.classes:
        link = _box_link(node, page)
        if link:
            tip = f"{node.name}: annotated source"
            lines.append(f'    click {ids[node.path]} href "{link}" "{tip}"')
    lines.append("```")
    return "\n".join(lines)


def _member_rows(node: explorer.ChainClass, page: str) -> list[str]:
    rows = []
    for member in defining_members(node) + [
        m for m in node.introduces + node.overrides if m not in defining_members(node)
    ]:
        status = "introduces"
        if member.overrides:
            status = f"overrides `{member.overrides.rpartition('.')[2]}`"
        where = source_link(member.file, member.line, page, text=f"L{member.line}")
        rows.append(
            f"| `{cell(member.name)}` | {member.kind} | {status} | {where} "
            f"| {cell(member.doc)} |"
        )
    return rows


def class_section(node, canonical: dict[str, str], page: str) -> list[str]:
    """What one class of the chain is and adds (Markdown lines, no heading)."""
    title = node.public_paths[0] if node.public_paths else node.path
    if node.external:
        return [f"`{node.path}` is outside the package: its members are not listed."]
    lines = []
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
        ]
    else:
        lines += ["It adds no members of its own."]
    return lines


def ancestor_summary(node, canonical: dict[str, str], page: str) -> list[str]:
    """A public ancestor in a few lines: its full table is on its own page
    (repeating `Layer`'s hundred rows on every layer's page would weigh
    megabytes)."""
    lines = [f"*{cell(node.doc)}*", ""] if node.doc else []
    where = source_link(node.file, node.line, page)
    members = defining_members(node)
    shown = ", ".join(
        source_link(m.file, m.line, page, text=m.name) for m in members[:BOX_MEMBERS]
    )
    more = len(members) - BOX_MEMBERS
    lines += [
        f"Defined at {where}. It defines {shown}"
        + (f" and {more} more" if more > 0 else "")
        + f": every member is listed on {_name_link(node.path, canonical, page)}'s "
        "own chain page."
    ]
    return lines


def class_page(result: explorer.Chain, public: str, canonical: dict[str, str]) -> str:
    """The class first, then its ancestors (folded), nearest base first."""
    page = page_of(public)
    target = result.classes[-1]
    names = " -> ".join(f"`{node.name}`" for node in result.classes)
    lines = [f"# Class chain of `{public}`", ""]
    if target.doc:
        lines += [cell(target.doc), ""]
    lines += [
        f"The chain, base first: {names}. Each box shows the members that "
        "define the class (its own and the ones it overrides, lifecycle methods "
        "first); click a box to open its annotated source.",
        "",
        mermaid(result, page),
        "",
    ]
    if result.subclasses:
        subs = ", ".join(_name_link(s, canonical, page) for s in result.subclasses)
        lines += [f"**Known subclasses:** {subs}", ""]
    lines += [f"!!! note\n    {note}\n" for note in result.notes]
    lines += [f"## What `{target.name}` defines", ""]
    lines += class_section(target, canonical, page) + [""]
    ancestors = result.classes[-2::-1]
    if ancestors:
        lines += [
            "## What it inherits",
            "",
            "Nearest base first; open one to see what that class adds.",
            "",
        ]
    for node in ancestors:
        body = (
            ancestor_summary(node, canonical, page)
            if node.path in canonical
            else class_section(node, canonical, page)
        )
        # A stable anchor per ancestor: `chain/nanokeras.Sequential.md#functional`.
        body[0] = f'<span id="{node.name.lower()}"></span>{body[0]}'
        lines += [f'??? abstract "`{node.name}`"', ""]
        lines += [f"    {line}" if line else "" for line in body] + [""]
    return "\n".join(lines)


def headline_chain() -> explorer.Chain | None:
    """The static chain of the deepest headline class that exists yet."""
    for name in reversed(HEADLINE):
        try:
            return chain_of(name)
        except explorer.ExploreError:
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
        lines += [mermaid(result, INDEX), ""]
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
    canonical = public_classes(explorer.aliases())
    found = {INDEX: index_page(canonical)}
    for impl, public in canonical.items():
        found[page_of(public)] = class_page(chain_of(impl), public, canonical)
    # The overview lists every class: the navigation shows only it, so the
    # 150 chain pages do not each carry a list of all the others.
    found["chain/SUMMARY.md"] = "* [All class chains](index.md)\n"
    return found
