"""The API reference: one page per public object, with a "View aliases" box.

`nanokeras.layers.Dense` gets `reference/nanokeras/layers/Dense.md`. Many
objects have several public paths (`nanokeras.Model` and
`nanokeras.models.Model`); the page of the first `@export` path (the *main*
path, the one the class-chain pages use too) opens with a "View aliases" box
in the style of the TensorFlow docs: every public path of the object and the
file and line that define it, linked to the annotated source.

The other paths get no page of their own but a redirect (`redirects()`,
written by the build hook), so `reference/nanokeras/models/Model/` still
opens: a second page would render the object twice, with the same anchors
(`engine.training.Model.fit`) on two pages, and autorefs could not tell which
one a cross-reference means (a warning, so a failed `mkdocs build --strict`).

The facts come statically from the export decorators, through the explorer's
`aliases()` (scripts/explorer/; no import of the implementation).
"""

import ast
import posixpath
from functools import cache
from pathlib import Path

from scripts.docgen import address, chain_of, chain_page, reference_page
from scripts.docgen import source_link as docgen_source_link
from scripts.docgen.source import escape, page_path
from scripts.explorer import Alias, aliases
from scripts.paths import ROOT

FOLDER = "reference"


def index_for(namespace: str) -> str:
    """`nanokeras.layers` -> `reference/nanokeras/layers/index.md`."""
    return f"{FOLDER}/{namespace.replace('.', '/')}/index.md"


def alias_groups() -> dict[str, list[Alias]]:
    """`module.qualname` -> its aliases, the canonical (first) one first."""
    return aliases().reverse()


def source_link(alias: Alias, here: str) -> str:
    """`[file:line](../source/file.md#L<line>)`, relative to the folder `here`."""
    target = f"{page_path(Path(alias.file))}#L{alias.line}"
    return f"[`{alias.file}:{alias.line}`]({posixpath.relpath(target, here)})"


def _relative(target: str, here: str) -> str:
    return posixpath.relpath(target, here)


def _link(public_path: str, here: str) -> str:
    return f"[`{public_path}`]({posixpath.relpath(reference_page(public_path), here)})"


@cache
def _tree(file: str) -> ast.Module:
    return ast.parse((ROOT / file).read_text(encoding="utf-8"))


def summary(alias: Alias) -> str:
    """The first line of the object's docstring, read statically."""
    body: list[ast.stmt] = _tree(alias.file).body
    node = None
    for name in alias.qualname.split("."):
        node = _find(body, name)
        if node is None:
            return ""
        body = node.body
    doc = ast.get_docstring(node) if node is not None else None
    return (doc or "").strip().split("\n")[0]


def _find(body: list[ast.stmt], name: str):
    for node in body:
        if isinstance(node, ast.If | ast.Try):
            found = _find(node.body + getattr(node, "orelse", []), name)
            if found is not None:
                return found
        elif getattr(node, "name", None) == name and hasattr(node, "body"):
            return node
    return None


def alias_box(group: list[Alias], here: str) -> list[str]:
    """The "View aliases" admonition of one object (Markdown lines)."""
    main, others = group[0], group[1:]
    lines = [
        '!!! info "View aliases"',
        "",
        f"    **Main alias:** {_link(main.public_path, here)}",
    ]
    if others:
        # Each of them redirects to this page.
        names = ", ".join(f"`{alias.public_path}`" for alias in others)
        lines += ["", f"    **Other aliases:** {names}"]
    lines += [
        "",
        f"    **Defined in:** {source_link(main, here)} as `{main.implementation}`",
        "",
    ]
    if main.kind == "class":
        # scripts/docgen/chain.py gives every public class a page.
        link = _relative(chain_page(main.public_path), here)
        lines += [
            f"    **Class chain:** [its bases, and what each one adds]({link})",
            "",
        ]
    return lines


def render_symbol(group: list[Alias]) -> str:
    """The page of one public object, at its main path."""
    main = group[0]
    here = posixpath.dirname(reference_page(main.public_path))
    out = [f"# {escape(main.public_path)}", "", *alias_box(group, here)]
    # Only what the object defines itself (its own members and its
    # overrides): inherited members are one line per base below, so a
    # learner finds `Dense.build` without scrolling past `Layer`.
    out += [f"::: {main.implementation}", "    options:", "      heading_level: 2"]
    out += ["", *inherited_summary(main, here)]
    return "\n".join(out)


def redirects() -> dict[str, str]:
    """Site folder of each other public path -> the site folder of its main page."""
    found = {}
    for group in alias_groups().values():
        target = address(reference_page(group[0].public_path))
        for alias in group[1:]:
            found[f"{FOLDER}/{alias.public_path.replace('.', '/')}/"] = target
    return found


def inherited_summary(alias: Alias, here: str) -> list[str]:
    """One line per base class: the public members this class inherits from it.

    Each base links to its own reference page, each member to its line in
    the annotated source. Members the class overrides are not repeated (the
    reference shows them above).
    """
    if alias.kind != "class":
        return []
    result = chain_of(alias.implementation)
    page = posixpath.join(here, "_")  # any page in the folder `here`
    target = result.classes[-1]
    seen = {m.name for m in target.introduces + target.overrides}
    lines = []
    for node in reversed(result.classes[:-1]):
        names = [
            m
            for m in node.introduces + node.overrides
            if not m.name.startswith("_") and m.name not in seen
        ]
        seen.update(m.name for m in node.introduces + node.overrides)
        if not names or node.external:
            continue
        title = f"`{node.name}`"
        if node.public_paths:
            target = reference_page(node.public_paths[0])
            title = f"[`{node.name}`]({_relative(target, here)})"
        links = ", ".join(
            docgen_source_link(m.file, m.line, page, text=m.name)
            for m in sorted(names, key=lambda m: m.name)
        )
        lines.append(f"- **From {title}:** {links}")
    if not lines:
        return []
    # Search indexes what a class defines; its inherited names would put
    # every layer's page under `name_scope`.
    return ["## Inherited members { data-search-exclude }", "", *lines, ""]


def namespaces(groups: dict[str, list[Alias]]) -> dict[str, list[Alias]]:
    """Every namespace (with its parents) -> the aliases directly inside it."""
    found: dict[str, list[Alias]] = {}
    for group in groups.values():
        for alias in group:
            namespace = alias.public_path.rpartition(".")[0]
            parts = namespace.split(".")
            for depth in range(1, len(parts)):
                found.setdefault(".".join(parts[:depth]), [])
            found.setdefault(namespace, []).append(alias)
    return {
        name: sorted(found[name], key=lambda a: a.public_path) for name in sorted(found)
    }


def _children(namespace: str, all_namespaces) -> list[str]:
    prefix = namespace + "."
    return [
        name
        for name in all_namespaces
        if name.startswith(prefix) and "." not in name.removeprefix(prefix)
    ]


def render_namespace(namespace: str, members: list[Alias], all_namespaces) -> str:
    here = posixpath.dirname(index_for(namespace))
    out = [f"# Module: {escape(namespace)}", ""]
    children = _children(namespace, all_namespaces)
    if children:
        out += ["Namespaces:", ""]
        for child in children:
            out.append(f"- [`{child}`]({posixpath.relpath(index_for(child), here)})")
        out.append("")
    if members:
        out += [
            "| Name | Kind | What it is | Defined in |",
            "| --- | --- | --- | --- |",
        ]
        for alias in members:
            name = alias.public_path.rpartition(".")[2]
            link = posixpath.relpath(reference_page(alias.public_path), here)
            what = summary(alias).replace("|", r"\|")
            where = source_link(alias, here)
            out.append(f"| [`{name}`]({link}) | {alias.kind} | {what} | {where} |")
    return "\n".join(out) + "\n"


def render_index(spaces: dict[str, list[Alias]]) -> str:
    out = [
        "# API reference",
        "",
        "One page per public object, generated from the `@export` decorators. Each",
        "page opens with a *View aliases* box: every public path of the object (the",
        "others redirect to its page), and the line of the annotated source that",
        "defines it.",
        "",
        "| Namespace | Public names |",
        "| --- | --- |",
    ]
    for namespace, members in spaces.items():
        link = posixpath.relpath(index_for(namespace), FOLDER)
        out.append(f"| [`{namespace}`]({link}) | {len(members)} |")
    return "\n".join(out) + "\n"


def render_summary(spaces: dict[str, list[Alias]]) -> str:
    """`reference/SUMMARY.md`: the overview and the namespaces, nested.

    Each namespace page lists its names with one line each; the 440 name
    pages themselves stay out of the navigation, which every reference page
    carries in its HTML.
    """
    out = ["* [All namespaces](index.md)"]

    def walk(namespace: str, depth: int) -> None:
        indent = "    " * depth
        link = posixpath.relpath(index_for(namespace), FOLDER)
        out.append(f"{indent}* [{escape(namespace)}]({link})")
        for child in _children(namespace, spaces):
            walk(child, depth + 1)

    for root in [name for name in spaces if "." not in name]:
        walk(root, 0)
    return "\n".join(out) + "\n"


def pages() -> dict[str, str]:
    """Every page of the API reference: docs-relative path -> Markdown."""
    groups = alias_groups()
    result = {}
    for group in groups.values():
        result[reference_page(group[0].public_path)] = render_symbol(group)
    spaces = namespaces(groups)
    for namespace, members in spaces.items():
        result[index_for(namespace)] = render_namespace(namespace, members, spaces)
    result[f"{FOLDER}/index.md"] = render_index(spaces)
    result[f"{FOLDER}/SUMMARY.md"] = render_summary(spaces)
    return result
