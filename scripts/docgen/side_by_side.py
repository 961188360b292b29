"""Side-by-side pages: our key methods beside tf.keras 2.6's, Keras 3's in a tab.

For each engine class the book reads (Layer, Model, Functional, Sequential, the
DataHandler, the LossesContainer, the optimizer), the methods are matched by
name through each class's method resolution order: ours (read from the
repository), keras 2.6.0's and Keras 3.15.1's (read from the pinned wheels,
scripts/realkeras/). Each method gets its three sources, with their real line
numbers and a pinned permalink, and a generated note of what ours leaves out:
the features the tf.keras 2.6 code handles (`tf.function`, distribution,
ragged tensors, ...) that ours never mentions.
"""

import ast
import re
from functools import cache
from pathlib import Path

from scripts import explorer
from scripts.docgen import relative, source_link
from scripts.docgen.real_keras import LICENSE, ORDER, chain_page, def_line
from scripts.paths import ROOT
from scripts.realkeras import sources
from scripts.realkeras.facts import facts

INDEX = "real-keras/side-by-side/index.md"

# page -> (the class, ours: a nanokeras class, the key methods). `Model`
# has two pages: its training methods are the longest code of all.
PAGES = {
    "Layer": (
        "Layer",
        "nanokeras.layers.Layer",
        ("__call__", "_maybe_build", "add_weight"),
    ),
    "Model": ("Model", "nanokeras.Model", ("__new__", "__init__", "compile")),
    "Model-training": (
        "Model",
        "nanokeras.Model",
        ("fit", "make_train_function", "train_step"),
    ),
    "Functional": (
        "Functional",
        "engine.functional.Functional",
        ("_init_graph_network", "_run_internal_graph", "call"),
    ),
    "Sequential": (
        "Sequential",
        "nanokeras.Sequential",
        ("add", "_build_graph_network_for_inferred_shape", "build"),
    ),
    "DataHandler": (
        "DataHandler",
        "engine.data_adapter.DataHandler",
        ("__init__", "enumerate_epochs"),
    ),
    "LossesContainer": (
        "LossesContainer",
        "engine.compile_utils.LossesContainer",
        ("__init__", "__call__"),
    ),
    "Optimizer": (
        "Optimizer",
        "nanokeras.optimizers.Optimizer",
        ("minimize", "apply_gradients"),
    ),
}

# What a tf.keras 2.6 method may handle that a miniature leaves out: a name
# for the reader, and the words in the code that show it.
FEATURES = (
    ("`tf.function` compilation", r"tf\.function|def_function|autograph"),
    ("distribution strategies", r"distribute|strategy|replica"),
    ("ragged tensors", r"[Rr]agged"),
    ("sparse tensors", r"[Ss]parse"),
    ("mixed precision (autocast, dtype policies)", r"autocast|mixed_precision|policy"),
    ("TF1 graph mode", r"executing_eagerly|compat\.v1|in_graph_mode|get_default_graph"),
    ("SavedModel tracking", r"_trackable|saved_model|checkpoint"),
    ("TPU and `steps_per_execution`", r"tpu|TPU|steps_per_execution"),
    ("multi-worker training", r"multi_worker|cluster_coordinator"),
    ("masks", r"\bmask"),
    ("`tf.data` datasets", r"tf\.data|DatasetV2|dataset"),
)


@cache
def _tree(file: Path) -> ast.Module:
    return ast.parse(file.read_text(encoding="utf-8"))


def _lines(file: Path) -> list[str]:
    return file.read_text(encoding="utf-8").splitlines()


def method_source(file: Path, line: int) -> tuple[int, str] | None:
    """(first line, code) of the function defined (or decorated) at `line`."""
    for node in ast.walk(_tree(file)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            decorators = node.decorator_list
            start = decorators[0].lineno if decorators else node.lineno
            if line in (node.lineno, start):
                code = _lines(file)[start - 1 : node.end_lineno]
                return start, "\n".join(code)
    return None


def find_method(result: explorer.Chain, name: str):
    """The class of `result`'s MRO (target first) defining `name`, and the member."""
    for node in reversed(result.classes):
        for member in [*node.introduces, *node.overrides]:
            if member.name == name and member.kind != "attribute":
                return node, member
    return None, None


def _fence(code: str, start: int, title: str) -> list[str]:
    # One list item a line: the tab around it indents every line.
    return [f'```python linenums="{start}" title="{title}"', *code.splitlines(), "```"]


# Keras 3 does some jobs under another method name: method -> its name there.
KERAS3_NAMES = {
    "_run_internal_graph": "_run_through_graph",
    "_init_graph_network": "__init__",
    "enumerate_epochs": "enumerate_epoch",
}


def _release_block(release, result, name: str, page: str) -> tuple[list[str], str]:
    node, member = find_method(result, name)
    renamed = ""
    if member is None and release is sources.KERAS3 and name in KERAS3_NAMES:
        node, member = find_method(result, KERAS3_NAMES[name])
        renamed = f"*Keras 3 does this in `{KERAS3_NAMES[name]}`.* "
    if member is None:
        title = _page_class(result)
        chain = f"`{result.classes[-1].name}`"
        if title in ORDER:
            chain = f"[{chain}]({relative(chain_page(release.key, title), page)})"
        return [f"*No method `{name}` in the chain of {chain} in {release.label}.*"], ""
    found = method_source(release.folder / member.file, member.line)
    line = def_line(release, member.file, member.line, member.name)
    url = release.permalink(member.file, line)
    lines = [
        f"{renamed}[`{node.name}.{member.name}`]({url}), `{member.file}:{line}`",
        "",
    ]
    if found is None:
        return lines, ""
    start, code = found
    return lines + _fence(code, start, f"{member.file} ({release.label})"), code


def _page_class(result: explorer.Chain) -> str:
    name = result.classes[-1].name
    return {"OptimizerV2": "Optimizer", "EpochIterator": "DataHandler"}.get(name, name)


def _indented(lines: list[str]) -> list[str]:
    return [("    " + line) if line else "" for line in lines]


def left_out(ours: str, theirs: str) -> list[str]:
    """The FEATURES tf.keras's code mentions and ours does not."""
    return [
        feature
        for feature, pattern in FEATURES
        if re.search(pattern, theirs) and not re.search(pattern, ours)
    ]


def method_section(name: str, ours_chain, page: str, results) -> list[str]:
    lines = [f"## `{name}`", ""]
    node, member = find_method(ours_chain, name)
    ours_code = ""
    left: list[str] = []
    if member is None:
        left = [f"*nanokeras has no method `{name}` on this chain.*"]
    else:
        found = method_source(ROOT / member.file, member.line)
        where = source_link(member.file, member.line, page)
        left = [f"nanokeras `{node.name}.{name}`, {where}", ""]
        if found:
            ours_code = found[1]
            left += _fence(found[1], found[0], f"{member.file} (nanokeras)")
    right, k2_code = [], ""
    for release in sources.RELEASES.values():
        block, code = _release_block(release, results[release.key], name, page)
        if release is sources.KERAS2:
            k2_code = code
        right += [f'=== "{release.label}"', "", *_indented(block), ""]
    if ours_code and k2_code:
        missing = left_out(ours_code, k2_code)
        counts = (
            f"nanokeras: {len(ours_code.splitlines())} lines; tf.keras 2.6: "
            f"{len(k2_code.splitlines())} lines."
        )
        if missing:
            lines += [
                f'!!! info "What ours leaves out"\n    {counts} The tf.keras 2.6 '
                f"code handles {', '.join(missing)}; ours does not.",
                "",
            ]
        else:
            lines += [f'!!! info "Size"\n    {counts}', ""]
    lines += [
        '<div class="grid" style="display:grid;grid-template-columns:'
        'minmax(0,1fr) minmax(0,1fr);gap:1rem" markdown>',
        "",
        "<div markdown>",
        "",
        *left,
        "",
        "</div>",
        "",
        "<div markdown>",
        "",
        *right,
        "</div>",
        "",
        "</div>",
        "",
    ]
    return lines


def matched_table(ours_chain, results, page: str) -> list[str]:
    """Every method of our class matched by name in each release's class."""
    names = sorted(
        {
            m.name
            for n in ours_chain.classes[-1:]
            for m in [*n.introduces, *n.overrides]
            if m.kind != "attribute"
        }
    )
    header = (
        "| Our method | "
        + " | ".join(r.label for r in sources.RELEASES.values())
        + " |"
    )
    lines = [header, "|---|---|---|"]
    for name in names:
        cells = []
        for release in sources.RELEASES.values():
            node, member = find_method(results[release.key], name)
            line = member and def_line(release, member.file, member.line, name)
            cells.append(
                f"[`{node.name}.{name}`]"
                f"({release.permalink(member.file, line)}) L{line}"
                if member
                else "-"
            )
        lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    return lines


def class_page(name: str, title: str, ours_path: str, methods) -> str:
    """Page `name`: the `methods` of class `title` (ours is `ours_path`)."""
    page = f"real-keras/side-by-side/{name}.md"
    ours_chain = explorer.chain(ours_path)
    results = {key: facts(key).chains[title] for key in sources.RELEASES}
    theirs = ", ".join(
        f"{r.label} `{results[r.key].classes[-1].path}`"
        for r in sources.RELEASES.values()
    )
    lines = [
        f"# Side by side: `{title}`"
        + ("" if name == title else f", {', '.join(f'`{m}`' for m in methods)}"),
        "",
        f"Our `{ours_chain.classes[-1].path}` beside {theirs}. Each method is "
        "matched by name through the class's method resolution order; line "
        "numbers are the files' own, and each heading links to the pinned line "
        "on GitHub. The note above each pair is generated: the features the "
        "tf.keras 2.6 code handles that ours never mentions.",
        "",
    ]
    for method in methods:
        lines += method_section(method, ours_chain, page, results)
    if name == title:  # once a class, on its first page
        lines += [
            "## Every method of our class, matched by name",
            "",
            *matched_table(ours_chain, results, page),
            "",
        ]
    lines += [
        "---",
        "",
        LICENSE,
        "",
    ]
    return "\n".join(lines)


def pages() -> dict[str, str]:
    found = {}
    lines = [
        "# Side by side",
        "",
        "Our key methods beside the ones the book reads in tf.keras 2.6, with "
        "Keras 3's in a tab:",
        "",
    ]
    nav = ["* [Overview](index.md)"]
    for name, (title, ours, methods) in PAGES.items():
        found[f"real-keras/side-by-side/{name}.md"] = class_page(
            name, title, ours, methods
        )
        listed = ", ".join(f"`{m}`" for m in methods)
        part = "" if name == title else ", training"
        lines.append(f"- [`{title}`{part}]({name}.md): {listed}")
        nav.append(f"* [{title}{part}]({name}.md)")
    found[INDEX] = "\n".join(lines) + "\n"
    found["real-keras/side-by-side/SUMMARY.md"] = "\n".join(nav) + "\n"
    return found
