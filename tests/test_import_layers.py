"""The import graph: no circles, and the contract's exceptions are truly lazy.

`make lint` runs import-linter on the layers contract in pyproject.toml; these
tests check what a layers contract cannot: that no group of modules imports
itself round in a circle, and that each import the contract lets through is
written inside a function, as tf.keras 2.6 writes the same ones.
"""

import ast
import tomllib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETTINGS = CONFIG["tool"]["importlinter"]
(CONTRACT,) = SETTINGS["contracts"]
EXCEPTIONS = [tuple(rule.split(" -> ")) for rule in CONTRACT["ignore_imports"]]
ROOT_MODULES = sorted(
    path.stem
    for path in ROOT.glob("*.py")
    if path.stem not in {"conftest"} and not path.stem.startswith("_")
)


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*SETTINGS["root_packages"], include_external_packages=True)


def project_edges(graph) -> dict[str, set[str]]:
    ours = set(SETTINGS["root_packages"]) | set(ROOT_MODULES)
    edges = {}
    for module in graph.modules:
        if module.split(".")[0] in ours:
            edges[module] = {
                imported
                for imported in graph.find_modules_directly_imported_by(module)
                if imported.split(".")[0] in ours
            }
    for importer, imported in EXCEPTIONS:
        edges[importer].discard(imported)
    return edges


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(start: str) -> None:
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        found.append(sorted(group))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    return found


def test_circles_are_found():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(edges) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_itself_round_a_circle(graph):
    assert circles(project_edges(graph)) == []


@pytest.mark.parametrize("importer, imported", EXCEPTIONS)
def test_each_allowed_upward_import_is_made_inside_a_function(importer, imported):
    path = ROOT / (importer.replace(".", "/") + ".py")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package, _, name = imported.rpartition(".")
    at_top = [
        node
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
        and (
            node.module == imported
            or (node.module == package and name in {a.name for a in node.names})
        )
    ]
    inside = [
        node
        for function in ast.walk(tree)
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef))
        for node in ast.walk(function)
        if isinstance(node, ast.ImportFrom) and node.module == imported
    ]
    assert not at_top, f"{importer} imports {imported} when it is imported itself"
    assert inside, f"{importer} no longer imports {imported}: drop the exception"


def test_every_module_has_a_place_in_the_layers(graph):
    """A new file outside the contract's layers would go unchecked."""
    placed = {
        name.strip()
        for layer in CONTRACT["layers"]
        for name in layer.replace("|", ":").split(":")
    }
    ours = set(SETTINGS["root_packages"]) | set(ROOT_MODULES)
    unplaced = sorted(
        module
        for module in graph.modules
        if module.split(".")[0] in ours
        and module not in SETTINGS["root_packages"]  # the packages' __init__.py
        and not any(module == p or module.startswith(p + ".") for p in placed)
    )
    assert unplaced == []
