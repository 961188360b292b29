"""The "Real Keras" section: the class chains and import aliases of real Keras.

Generated at each build from the pinned wheels (scripts/realkeras/): keras
2.6.0, the tf.keras the book "Keras source" reads, and Keras 3.15.1. Every
class and member links to its line on GitHub at the release's tag, so a reader
crosses from our miniature straight into the real file.

- `real-keras/index.md`: the versions compared, the book, the pages below;
- `real-keras/<release>/chain/<Class>.md`: the primary-base chain (each class's
  first base: the book's view) as a diagram, beside the full method resolution
  order, then what each class of the chain introduces and overrides;
- `real-keras/<release>/aliases.md`: every public path and the file:line that
  defines it (tf.keras 2.6 with TensorFlow's v1 and v2 API versions).
"""

import re
from functools import cache

from scripts import explorer
from scripts.docgen import cell, relative
from scripts.realkeras import sources
from scripts.realkeras.facts import ReleaseFacts, facts

INDEX = "real-keras/index.md"
LICENSE = (
    "Code and docstrings shown from keras 2.6.0 (Copyright The TensorFlow "
    "Authors) and Keras 3.15.1 (Copyright The Keras Authors) are under the "
    "[Apache License 2.0](http://www.apache.org/licenses/LICENSE-2.0); the "
    "repository holds none of it, the build reads the wheels from PyPI."
)
ORDER = ("Layer", "Model", "Functional", "Sequential", "Dense", "Conv2D")


def chain_page(key: str, name: str) -> str:
    return f"real-keras/{key}/chain/{name}.md"


def aliases_page(key: str) -> str:
    return f"real-keras/{key}/aliases/index.md"


def short(path: str) -> str:
    return path.rpartition(".")[2]


def display(path: str) -> str:
    """`tensorflow.compat.v2.Module` -> `tf.Module`; others by their name."""
    if path.startswith("tensorflow."):
        return "tf." + short(path) if short(path) == "Module" else short(path)
    return short(path)


def link(release: sources.Release, file: str, line: int, text: str) -> str:
    return f"[{text}]({release.permalink(file, line)})"


@cache
def _file_lines(release: sources.Release, file: str) -> list[str]:
    return (release.folder / file).read_text(encoding="utf-8").splitlines()


def def_line(release: sources.Release, file: str, line: int, name: str) -> int:
    """The line naming `name` at or below `line`: past decorators to the `def`.

    griffe reports a decorated function at its first decorator; a link should
    open on the line that names the member.
    """
    lines = _file_lines(release, file)
    for number in range(line, min(line + 12, len(lines) + 1)):
        if re.search(rf"\b{re.escape(name)}\b", lines[number - 1]):
            return number
    return line


def _ids(paths: list[str]) -> dict[str, str]:
    ids: dict[str, str] = {}
    for path in paths:
        base = re.sub(r"\W", "_", display(path))
        ident, n = base, 2
        while ident in ids.values():
            ident, n = f"{base}_{n}", n + 1
        ids[path] = ident
    return ids


def mermaid(result: explorer.Chain, paths: list[str]) -> str:
    """A class diagram of `paths` (base first), edges from each class's bases."""
    nodes = {node.path: node for node in result.classes}
    ids = _ids(paths)
    lines = ["```mermaid", "classDiagram", "    direction LR"]
    for path in paths:
        node = nodes.get(path)
        label = f'["{display(path)}"]' if ids[path] != display(path) else ""
        if node is None or node.external:
            lines.append(f"    class {ids[path]}{label} {{")
            lines.append("        <<TensorFlow>>")
            lines.append("    }")
        else:
            lines.append(f"    class {ids[path]}{label}")
    for path in paths:
        node = nodes.get(path)
        for base in node.bases if node else []:
            if base in ids:
                lines.append(f"    {ids[base]} <|-- {ids[path]}")
    lines.append("```")
    return "\n".join(lines)


def _where(release, node) -> str:
    if node.external:
        return (
            "outside the wheel (TensorFlow)"
            if node.path.startswith("tensorflow.")
            else "outside the wheel"
        )
    line = def_line(release, node.file, node.line, f"class {node.name}")
    return link(release, node.file, line, f"`class {node.name}`") + (
        f" in `{node.file}:{line}`"
    )


def _members(release, node) -> list[str]:
    rows = []
    items = [("introduces", m) for m in node.introduces]
    items += [("overrides", m) for m in node.overrides]
    for status, member in items:
        if member.overrides:
            status = f"overrides `{display(member.overrides)}`"
        line = def_line(release, member.file, member.line, member.name)
        where = link(release, member.file, line, f"L{line}")
        rows.append(
            f"| `{cell(member.name)}` | {member.kind} | {status} | {where} "
            f"| {cell(member.doc)} |"
        )
    return rows


def class_page(release: sources.Release, name: str, result: explorer.Chain) -> str:
    page = chain_page(release.key, name)
    primary = result.primary
    mro = [node.path for node in result.classes]
    target = result.classes[-1]
    public = target.public_paths[0] if target.public_paths else target.path
    lines = [
        f"# {release.label}: `{public}`",
        "",
        f"The class chain of `{public}` in keras {release.version}, read "
        "statically from the wheel (nothing imported). Every line number "
        f"opens the file on GitHub at the tag `{release.tag}`.",
        "",
        "## The primary-base chain",
        "",
        "Each class's first base, back to the root: how the book reads the "
        "chain. Classes outside the wheel are marked `<<TensorFlow>>`; their "
        "members are not listed.",
        "",
        mermaid(result, primary),
        "",
        "| Primary-base chain, base first | Full method resolution order, base first |",
        "|---|---|",
    ]
    for i in range(max(len(primary), len(mro))):
        left = f"`{display(primary[i])}`" if i < len(primary) else ""
        right = f"`{display(mro[i])}`" if i < len(mro) else ""
        lines.append(f"| {left} | {right} |")
    lines.append("")
    off = [p for p in mro if p not in primary]
    if off:
        lines += [
            "Off the primary chain, the full order also passes through "
            + ", ".join(f"`{display(p)}`" for p in off)
            + ": mixins, version selectors, bases outside the wheel.",
            "",
        ]
    lines += [f"!!! note\n    {cell(note)}\n" for note in result.notes]
    others = [
        f"[{r.label}]({relative(chain_page(r.key, name), page)})"
        for r in sources.RELEASES.values()
        if r is not release
    ]
    lines += [f"The same class in {', '.join(others)}.", ""]
    for number, node in enumerate(result.classes[::-1], 1):
        lines += [f"## {number}. `{display(node.path)}`", ""]
        lines += [f"`{node.path}`, {_where(release, node)}.", ""]
        if node.public_paths:
            lines += ["Public: " + ", ".join(f"`{p}`" for p in node.public_paths)]
            lines.append("")
        if node.doc:
            lines += [f"*{cell(node.doc)}*", ""]
        rows = _members(release, node)
        if rows:
            lines += [
                "| Member | Kind | | Line | First docstring line |",
                "|---|---|---|---|---|",
                *rows,
                "",
            ]
    lines += ["---", "", LICENSE, ""]
    return "\n".join(lines)


def aliases_namespace_page(key: str, namespace: str) -> str:
    """`keras.layers` -> `real-keras/<key>/aliases/keras.layers.md`."""
    return f"real-keras/{key}/aliases/{namespace}.md"


# Keras 3's `keras.ops` alone holds some 600 names (each op again under
# `keras.ops.numpy` or `keras.ops.nn`): its sub-packages get pages of their own.
_SPLIT_NAMESPACES = ("keras.ops",)


def namespace_of(public_path: str) -> str:
    """The page a public path is listed on: `keras` and its first sub-package
    (`keras.layers.Dense` and `keras.layers.experimental.X` -> `keras.layers`),
    one level deeper inside `_SPLIT_NAMESPACES`."""
    parts = public_path.split(".")[:-1]
    depth = 3 if ".".join(parts[:2]) in _SPLIT_NAMESPACES else 2
    return ".".join(parts[:depth])


def _alias_rows(release: sources.Release, found: ReleaseFacts) -> dict[str, list]:
    """Public path -> `[entry, the API versions that name it]`."""
    rows: dict[str, list] = {}
    for api, table in found.aliases.items():
        for entry in table.entries:
            rows.setdefault(entry.public_path, [entry, []])[1].append(api)
    return rows


def _alias_intro(found: ReleaseFacts) -> list[str]:
    if len(found.aliases) > 1:
        return [
            "tf.keras 2.6 exports with TensorFlow's `keras_export`: the "
            "positional names are API version 2 (`tf.keras...`), the `v1=` "
            "keyword names version 1 (`tf.compat.v1.keras...`); without `v1=`, "
            "a name is in both. The API column says which. A test checks these "
            "tables against the wheel's own generated `keras/api/_v2` and "
            "`keras/api/_v1`, name for name and file for file.",
            "",
        ]
    return [
        "Keras 3 has one API. Its `keras._legacy.*` exports fill the "
        "tf.keras compatibility namespace `keras._tf_keras`, not `keras`, "
        "and are left out. A test checks these tables against the wheel's "
        "generated API (the `__init__.py` files of `keras/`, "
        "`keras/api` in the repository), name for name and file for file.",
        "",
    ]


def alias_index_page(release: sources.Release, found: ReleaseFacts) -> str:
    """The namespaces of one release, each linked to its table."""
    page = aliases_page(release.key)
    rows = _alias_rows(release, found)
    counts: dict[str, int] = {}
    for public in rows:
        counts[namespace_of(public)] = counts.get(namespace_of(public), 0) + 1
    lines = [f"# {release.label}: import aliases", "", *_alias_intro(found)]
    lines += [
        f"{len(rows)} public paths, one page per namespace:",
        "",
        "| Namespace | Public paths |",
        "|---|---|",
    ]
    for namespace in sorted(counts):
        target = relative(aliases_namespace_page(release.key, namespace), page)
        lines.append(f"| [`{namespace}`]({target}) | {counts[namespace]} |")
    lines += ["", "---", "", LICENSE, ""]
    return "\n".join(lines)


def alias_page(release: sources.Release, found: ReleaseFacts, namespace: str) -> str:
    """The public paths of one namespace of a release, each with its definition."""
    rows = _alias_rows(release, found)
    back = relative(
        aliases_page(release.key), aliases_namespace_page(release.key, namespace)
    )
    lines = [
        f"# {release.label}: `{namespace}` import aliases",
        "",
        f"Part of the [import aliases of {release.label}]({back}).",
        "",
        "| Public path | API | Kind | Implementation | Defined at |",
        "|---|---|---|---|---|",
    ]
    for public in sorted(p for p in rows if namespace_of(p) == namespace):
        entry, apis = rows[public]
        where = "outside the wheel"
        if entry.file:
            name = entry.qualname.rpartition(".")[2]
            line = def_line(release, entry.file, entry.line, name)
            where = link(release, entry.file, line, f"`{name}`")
            where += f" `{entry.file}:{line}`"
        lines.append(
            f"| `{public}` | {' '.join(sorted(apis))} | {entry.kind} "
            f"| `{entry.implementation}` | {where} |"
        )
    lines += ["", "---", "", LICENSE, ""]
    return "\n".join(lines)


def alias_pages(release: sources.Release, found: ReleaseFacts) -> dict[str, str]:
    """The index of a release's aliases and one page per namespace."""
    result = {aliases_page(release.key): alias_index_page(release, found)}
    for namespace in sorted({namespace_of(p) for p in _alias_rows(release, found)}):
        page = aliases_namespace_page(release.key, namespace)
        result[page] = alias_page(release, found, namespace)
    return result


def index_page() -> str:
    k2, k3 = sources.KERAS2, sources.KERAS3
    lines = [
        "# Real Keras",
        "",
        "nanokeras is a miniature; these pages are the real thing. They are "
        "generated at each build from two pinned releases, read statically "
        "from their wheels (never imported, no TensorFlow needed):",
        "",
        f"- **keras {k2.version}**, the tf.keras of TensorFlow 2.6 that the "
        f'book *"{sources.BOOK}"* by {sources.BOOK_AUTHOR} reads '
        f"(`keras/engine/...`), linked at the tag [`{k2.tag}`]"
        f"({sources.REPOSITORY}/tree/{k2.tag});",
        f"- **Keras {k3.version}**, today's multi-backend Keras, linked at "
        f"[`{k3.tag}`]({sources.REPOSITORY}/tree/{k3.tag}). Where Keras 3 "
        "picks a base class per backend while importing, the chains follow "
        "the `tensorflow` branch, the one closest to tf.keras.",
        "",
        "## Class chains",
        "",
        "| Class | " + " | ".join(r.label for r in sources.RELEASES.values()) + " |",
        "|---|---|---|",
    ]
    for name in ORDER:
        cells = []
        for release in sources.RELEASES.values():
            result = facts(release.key).chains[name]
            spine = " -> ".join(display(p) for p in result.primary)
            target = relative(chain_page(release.key, name), INDEX)
            cells.append(f"[`{spine}`]({target})")
        lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Import aliases",
        "",
    ]
    for release in sources.RELEASES.values():
        found = facts(release.key)
        counts = ", ".join(
            f"{len(table.entries)} {api} names" for api, table in found.aliases.items()
        )
        target = relative(aliases_page(release.key), INDEX)
        lines.append(f"- [{release.label}]({target}): {counts}.")
    lines += [
        "",
        "## Side by side",
        "",
        "[Our key methods beside tf.keras 2.6's](side-by-side/index.md), "
        "with Keras 3's in a tab: `Layer.__call__`, `Model.fit`, "
        "`Functional._run_internal_graph`, `Sequential.add`, the `DataHandler`, "
        "the `LossesContainer`, `Optimizer.minimize`, ...",
        "",
        "The explorer prints the same from the command line: "
        "`python scripts/explore.py chain keras.Sequential --package "
        f"keras=={k2.version}`, `python scripts/explore.py aliases --package "
        f"keras=={k2.version} --api v1`.",
        "",
        "---",
        "",
        LICENSE,
        "",
    ]
    return "\n".join(lines)


def pages() -> dict[str, str]:
    found = {INDEX: index_page()}
    nav = ["* [Overview](index.md)"]
    for release in sources.RELEASES.values():
        release_facts = facts(release.key)
        nav.append(f"* {release.label}")
        for name in ORDER:
            result = release_facts.chains[name]
            found[chain_page(release.key, name)] = class_page(release, name, result)
            nav.append(f"    * [{name}]({release.key}/chain/{name}.md)")
        found.update(alias_pages(release, release_facts))
        nav.append(f"    * [Import aliases]({release.key}/aliases/index.md)")
    nav.append("* [Side by side](side-by-side/)")
    found["real-keras/SUMMARY.md"] = "\n".join(nav) + "\n"
    return found
