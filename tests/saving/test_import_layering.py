"""Who imports whom: saving sits beside the engine, not in a circle with it.

`saving/` may use the `@export` registry (the bottom of the house) and the
backend, never the engine's classes or the functional graph's internals:
objects come back through `serialization_lib`, which finds classes in the
registry. The engine uses only `serialization_lib` (to write and read layer
configs, as Keras 3's `models/functional.py` does), and `Model`'s own
`save`/`load_weights` methods reach the file formats lazily, at call time.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imports(path: Path) -> list[tuple[str, bool]]:
    """`(module, at module level?)` for every import in `path`."""
    tree = ast.parse(path.read_text())
    top_level = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found += [(name, id(node) in top_level) for name in names]
    return found


def test_saving_imports_only_the_export_registry_from_the_engine():
    for path in sorted((ROOT / "saving").glob("*.py")):
        for module, _ in imports(path):
            if module.startswith("engine"):
                assert module.startswith("api_export"), (path.name, module)


def test_the_engine_imports_only_serialization_lib_from_saving():
    for path in sorted((ROOT / "engine").glob("*.py")):
        for module, top_level in imports(path):
            if not module.startswith("saving"):
                continue
            if module == "saving.serialization_lib":
                continue
            # Model.save / to_json / save_weights / load_weights, at call time.
            assert path.name == "training.py" and not top_level, (path.name, module)
            assert module in ("saving.saving_api", "saving.saving_lib"), module


def test_serialization_lib_is_a_leaf():
    allowed = ("backend.", "api_export.", "saving.object_registration")
    for module, _ in imports(ROOT / "saving" / "serialization_lib.py"):
        if module.split(".")[0] in ("backend", "engine", "saving", "layers"):
            assert module.startswith(allowed), module
