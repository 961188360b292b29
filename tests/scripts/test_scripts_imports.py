"""scripts/ is layered: no import circles, one module that knows the root.

The graph is read statically with `ast` from every `.py` file under
`scripts/`: every `import` and `from ... import` counts, at the top of a file
or inside a function (a lazy import still ties two modules together), and a
relative import counts as the absolute one it names.
"""

import ast
from pathlib import Path

from scripts.paths import ROOT

PATHS_MODULE = "scripts.paths"
CLI_MODULE = "scripts.explore"


def modules(root: Path) -> dict[str, Path]:
    """`scripts.docgen.source` -> its file, for every module under root/scripts."""
    found = {}
    for path in sorted((root / "scripts").rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _known(name: str, known: dict[str, Path]) -> str | None:
    """The longest prefix of dotted `name` that is a module under scripts/."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The modules under scripts/ that module `name` imports, anywhere in it."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {_known(alias.name, known) for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            for alias in node.names:
                # `from scripts.docgen import source` imports the submodule;
                # `from scripts.docgen import GENERATED` the package itself.
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in known else _known(base, known))
    return found - {None, name}


def import_graph(root: Path) -> dict[str, set[str]]:
    known = modules(root)
    return {name: imports(name, path, known) for name, path in known.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _walks_up(node: ast.AST) -> bool:
    """`x.parent`, `x.parents`, or a call of `dirname`."""
    if isinstance(node, ast.Attribute):
        return node.attr in ("parent", "parents")
    if isinstance(node, ast.Call):
        function = node.func
        name = function.attr if isinstance(function, ast.Attribute) else ""
        return name == "dirname" or (
            isinstance(function, ast.Name) and function.id == "dirname"
        )
    return False


def _uses_file(node: ast.AST) -> bool:
    return any(
        isinstance(inner, ast.Name) and inner.id == "__file__"
        for inner in ast.walk(node)
    )


def root_computations(root: Path) -> list[str]:
    """`file:line` of each place outside scripts/paths.py that finds the root.

    That is an assignment to `ROOT`, or a walk up from `__file__`
    (`Path(__file__).parent`, `.parents[...]`, `os.path.dirname(__file__)`).
    """
    found = []
    for name, path in modules(root).items():
        if name == PATHS_MODULE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, ast.AnnAssign | ast.AugAssign):
                targets = [node.target]
            assigns_root = any(
                isinstance(target, ast.Name) and target.id == "ROOT"
                for target in targets
            )
            if assigns_root or (_walks_up(node) and _uses_file(node)):
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    return sorted(set(found))


def test_scripts_import_no_circles():
    found = cycles(import_graph(ROOT))
    assert found == [], f"import circles among scripts modules: {found}"


def test_only_the_paths_module_computes_the_root():
    found = root_computations(ROOT)
    assert found == [], (
        f"the repository root is computed outside scripts/paths.py: {found}; "
        "import ROOT (or the other locations) from scripts.paths"
    )


def test_nothing_in_scripts_imports_the_command_line():
    graph = import_graph(ROOT)
    assert CLI_MODULE in graph
    importers = sorted(name for name, targets in graph.items() if CLI_MODULE in targets)
    assert importers == [], (
        f"{importers} import the command line {CLI_MODULE}; "
        "import the package scripts.explorer instead"
    )


def test_docgen_reads_through_the_explorer_package():
    graph = import_graph(ROOT)
    docgen = {name for name in graph if name.startswith("scripts.docgen")}
    assert any(
        target.startswith("scripts.explorer")
        for name in docgen
        for target in graph[name]
    )


def _write(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / "scripts" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_a_lazy_or_relative_import_circle_is_found(tmp_path):
    _write(
        tmp_path,
        {
            "tool/__init__.py": "from scripts.tool.a import A\n",
            "tool/a.py": "def f():\n    from .b import B\n",
            "tool/b.py": "from scripts.tool import a\n",
            "other.py": "import scripts.tool.a\n",
        },
    )
    graph = import_graph(tmp_path)
    assert graph["scripts.other"] == {"scripts.tool.a"}
    assert cycles(graph) == [["scripts.tool.a", "scripts.tool.b"]]


def test_a_root_computed_outside_paths_is_found(tmp_path):
    _write(
        tmp_path,
        {
            "paths.py": "ROOT = Path(__file__).resolve().parent.parent\n",
            "one.py": "from pathlib import Path\nHERE = Path(__file__).parents[1]\n",
            "two.py": "import os\nTOP = os.path.dirname(os.path.dirname(__file__))\n",
            "three.py": "from scripts.paths import DOCS\nROOT = DOCS.parent\n",
            "fine.py": "from pathlib import Path\nME = Path(__file__).resolve()\n",
        },
    )
    assert root_computations(tmp_path) == [
        "scripts/one.py:2",
        "scripts/three.py:2",
        "scripts/two.py:2",
    ]
