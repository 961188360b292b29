"""scripts/explore.py: static aliases and chains, checked against Python itself.

The static answers (an `ast` scan of the export decorators, griffe for the
classes) are compared with what importing the code says: Keras's own
generated API files, Python's `__mro__` and `vars()` of each class.
"""

import ast
import importlib
import inspect
import json
import os
import re
import subprocess
import sys

import pytest

from scripts import explore
from scripts.gen_api import load_registry
from scripts.paths import ROOT

EXPLORE = [sys.executable, str(ROOT / "scripts" / "explore.py")]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*EXPLORE, *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


def public_classes() -> dict[str, str]:
    """implementation path -> canonical public path, for every exported class."""
    return {
        impl: entries[0].public_path
        for impl, entries in explore.aliases().reverse().items()
        if entries[0].kind == "class"
    }


def runtime_class(path: str) -> type:
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


# --- Real Keras 3: the explorer reproduces the API Keras generated ----------


def generated_keras_api(keras_dir) -> dict[str, str]:
    """public path -> `module.name` from keras/**/__init__.py (not keras/src)."""
    found = {}
    for init in sorted(keras_dir.rglob("__init__.py")):
        relative = init.relative_to(keras_dir.parent)
        if relative.parts[1] == "src":
            continue
        namespace = ".".join(relative.parts[:-1])
        for node in ast.parse(init.read_text()).body:
            if isinstance(node, ast.ImportFrom) and node.module.startswith("keras.src"):
                for name in node.names:
                    path = f"{namespace}.{name.asname or name.name}"
                    found[path] = f"{node.module}.{name.name}"
    return found


def expected_from_decorators(entries: list[explore.Alias]) -> dict[str, str]:
    """What Keras's api_gen.py makes of the `@keras_export` paths.

    1. Every path outside `keras._legacy` is generated as written.
    2. `keras._tf_keras.keras.*` (the tf.keras-compatible tree) is the core API
       copied, plus the `keras._legacy.*` paths moved under it. In a namespace
       that has legacy paths, a core line importing a name as itself is dropped
       when the legacy file imports that same name (api_gen: "if the same
       module is in legacy and core_api, use legacy").
    """
    legacy_root, tf_root = "keras._legacy.", "keras._tf_keras.keras."
    core = {e.public_path: e.implementation for e in entries}
    legacy = {
        p[len(legacy_root) :]: core.pop(p)
        for p in list(core)
        if p.startswith(legacy_root)
    }
    legacy_names: dict[str, set[str]] = {}
    for rest, impl in legacy.items():
        legacy_names.setdefault(rest.rpartition(".")[0], set()).add(
            impl.rpartition(".")[2]
        )
    expected = dict(core)
    for path, impl in core.items():
        rest = path[len("keras.") :]
        namespace, _, name = rest.rpartition(".")
        if name == impl.rpartition(".")[2] and name in legacy_names.get(namespace, ()):
            continue
        expected[tf_root + rest] = impl
    expected.update({tf_root + rest: impl for rest, impl in legacy.items()})
    return expected


@pytest.mark.keras
def test_keras_aliases_reproduce_the_generated_api_name_for_name():
    table = explore.aliases("keras", "keras_export")
    source = explore.source_for("keras", "keras_export")
    generated = generated_keras_api(source.search_path / "keras")
    # Principled exclusion: api_gen.py appends `__version__` to two __init__
    # files by hand (export_version_string); no decorator declares it.
    generated = {p: t for p, t in generated.items() if not p.endswith(".__version__")}
    expected = expected_from_decorators(table.entries)
    assert len(expected) > 3000
    missing = sorted(set(generated.items()) - set(expected.items()))
    extra = sorted(set(expected.items()) - set(generated.items()))
    assert (missing, extra) == ([], [])


@pytest.mark.keras
def test_keras_where_and_reverse_index_point_at_the_definition():
    dense = explore.where("keras.layers.Dense")
    assert (dense.kind, dense.implementation) == (
        "class",
        "keras.src.layers.core.dense.Dense",
    )
    text = (explore.source_for("keras").search_path / dense.file).read_text()
    assert text.splitlines()[dense.line - 1].startswith(
        '@keras_export("keras.layers.Dense")'
    )
    layer_paths = [
        e.public_path
        for e in explore.aliases("keras").reverse()["keras.src.layers.layer.Layer"]
    ]
    assert layer_paths == ["keras.Layer", "keras.layers.Layer"]  # list form, in order


@pytest.mark.keras
def test_static_mode_reads_keras_without_importing_it():
    code = (
        "import sys; from scripts import explore; "
        "explore.main(['aliases', '--package', 'keras']); "
        "explore.main(['chain', 'keras.Sequential']); "
        "assert 'keras' not in sys.modules and 'griffe' in sys.modules"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "keras.layers.Dense " in result.stdout


def full_parse(source: explore.Source) -> set[tuple]:
    """The slow, obviously right scan: every file parsed whole."""
    aliases_module = importlib.import_module("scripts.explorer.aliases")
    entries: list = []
    for module, path in source.files():
        tree = ast.parse(path.read_text())
        file = source.display(path)
        aliases_module._scan(tree.body, module, "", source.decorator, file, entries)
    return {(e.public_path, e.kind, e.implementation, e.file, e.line) for e in entries}


@pytest.mark.parametrize(
    "package", ["nanokeras", pytest.param("keras", marks=pytest.mark.keras)]
)
def test_fast_decorator_scan_equals_parsing_every_file_whole(package):
    source = explore.source_for(package)
    fast = {
        (e.public_path, e.kind, e.implementation, e.file, e.line)
        for e in explore.aliases(package).entries
    }
    assert fast == full_parse(source)


def test_decorator_scan_handles_groups_methods_and_definitions_under_if(tmp_path):
    # Top level only: the fast path (comments, other decorators, multi-line
    # arguments and two export decorators on one definition).
    (tmp_path / "top.py").write_text(
        "x = [\n    1,\n]\n"
        "# a comment above the decorators\n"
        "@other\n"
        "@export(\n    'nanokeras.A',\n    'nanokeras.AA',\n)\n"
        "@export('nanokeras.AAA')\n"
        "class A:\n    pass\n"
    )
    # A method and a definition under `if`: the whole file is parsed.
    (tmp_path / "nested.py").write_text(
        "import sys\n\n"
        "class B:\n"
        "    @export('nanokeras.B.make')\n"
        "    def make(self):\n        pass\n\n"
        "if sys.version_info > (3,):\n"
        "    @export(['nanokeras.f'])\n"
        "    async def f():\n        pass\n"
    )
    source = explore.Source("nanokeras", "export", tmp_path, ("nested", "top"))
    table = importlib.import_module("scripts.explorer.aliases").alias_table(source)
    found = {(e.public_path, e.kind, e.implementation, e.line) for e in table.entries}
    assert found == {
        ("nanokeras.A", "class", "top.A", 5),
        ("nanokeras.AA", "class", "top.A", 5),
        ("nanokeras.AAA", "class", "top.A", 5),
        ("nanokeras.B.make", "function", "nested.B.make", 4),
        ("nanokeras.f", "function", "nested.f", 9),
    }
    assert found == {(p, k, i, line) for p, k, i, _, line in full_parse(source)}


# --- nanokeras: static chains equal Python's ---------------------------------


def test_static_chain_of_every_public_class_equals_its_runtime_mro():
    load_registry()
    classes = public_classes()
    assert (
        "backend.module.Module" in classes and "backend.variables.Variable" in classes
    )
    for impl in classes:
        static = [node.path for node in explore.chain(impl).classes]
        cls = runtime_class(impl)
        runtime = [f"{c.__module__}.{c.__qualname__}" for c in reversed(cls.__mro__)]
        assert static == runtime[1:], impl  # base first, without `object`


def test_introduces_and_overrides_match_the_class_dicts():
    """Every member griffe lists is in the class's own dict; overrides are real."""
    load_registry()
    for impl in public_classes():
        result = explore.chain(impl)
        mro = runtime_class(impl).__mro__
        for node, cls in zip(result.classes, reversed(mro[:-1])):
            bases = cls.__mro__[1:-1]
            for member in node.introduces + node.overrides:
                assert member.name in vars(cls), (impl, node.path, member.name)
            for member in node.introduces:
                assert not any(member.name in vars(b) for b in bases), (
                    node.path,
                    member,
                )
            for member in node.overrides:
                owner = next(b for b in bases if member.name in vars(b))
                assert member.overrides == f"{owner.__module__}.{owner.__qualname__}"


def test_module_chain_members_carry_kind_line_and_first_docstring_line():
    load_registry()
    result = explore.chain("nanokeras.Module")
    (module,) = result.classes
    assert module.public_paths == ["nanokeras.Module"]
    members = {m.name: m for m in module.introduces}
    from backend.module import Module

    assert members["name_scope"].kind == "property"
    assert members["with_name_scope"].kind == "classmethod"
    assert members["__init__"].kind == "method"
    assert members["_TF_MODULE_IGNORED_PROPERTIES"].kind == "attribute"
    init_line = inspect.getsourcelines(Module.__init__)[1]
    assert (members["__init__"].file, members["__init__"].line) == (
        "backend/module.py",
        init_line,
    )
    assert (
        members["name_scope"].doc == inspect.getdoc(Module.name_scope).splitlines()[0]
    )
    assert (module.file, module.line) == (
        "backend/module.py",
        inspect.getsourcelines(Module)[1],
    )


def test_variable_chain_is_base_first_and_lists_known_subclasses():
    result = explore.chain("nanokeras.Variable")
    assert result.classes[-1].path == "backend.variables.Variable"
    assert [node.name for node in result.classes][-1] == "Variable"
    module = explore.chain("backend.module.Module")
    from backend.module import Module

    load_registry()
    direct = {
        f"{c.__module__}.{c.__qualname__}"
        for c in Module.__subclasses__()
        if c.__module__.partition(".")[0] in explore.source_for().top_modules
    }
    assert direct and direct <= set(module.subclasses)


def test_sequential_chain_is_the_keras_2_headline_chain():
    result = explore.chain("nanokeras.Sequential")
    names = [node.name for node in result.classes]
    assert names == ["Module", "Layer", "Model", "Functional", "Sequential"]
    assert result.classes[1].public_paths[0] == "nanokeras.layers.Layer"
    layer = {m.name: m for m in result.classes[1].introduces}
    assert layer["__init_subclass__"].kind == "classmethod"  # implicit in Python
    from engine.sequential import Sequential

    model = result.classes[2]
    assert model.bases == ["engine.base_layer.Layer"]
    sequential = result.classes[-1]
    assert {m.name for m in sequential.introduces} >= {"add", "pop"}
    # Complete: every method and property Python finds in the class body.
    callables = (property, classmethod, staticmethod, type(lambda: 0))
    defined = {n for n, v in vars(Sequential).items() if isinstance(v, callables)}
    listed = sequential.introduces + sequential.overrides
    assert {m.name for m in listed if m.kind != "attribute"} == defined


def test_bare_class_names_and_implementation_paths_resolve_too():
    by_public = explore.chain("nanokeras.Module").target
    assert explore.chain("Module").target == by_public
    assert (
        explore.chain("backend.module.Module").target
        == by_public
        == "backend.module.Module"
    )


def test_runtime_mode_agrees_with_static_on_nanokeras():
    result = explore.chain("nanokeras.Module", runtime=True)
    assert result.mode == "runtime"
    assert result.notes == ["static and runtime chains agree."]


# --- Keras 3: a base chosen at import time ----------------------------------


@pytest.mark.keras
def test_static_chain_of_keras_sequential_says_bases_are_chosen_at_import(real_keras):
    result = explore.chain("keras.Sequential")
    assert result.classes[-1].public_paths == [
        "keras.Sequential",
        "keras.models.Sequential",
    ]
    assert any(
        "chosen at import time" in note and "--runtime" in note for note in result.notes
    )


@pytest.mark.keras
def test_runtime_chain_of_keras_sequential_is_the_mro_and_says_it_disagrees(real_keras):
    result = explore.chain("keras.Sequential", runtime=True)
    runtime = [
        f"{c.__module__}.{c.__qualname__}" for c in real_keras.Sequential.__mro__[:-1]
    ]
    assert [node.path for node in result.classes] == runtime[::-1]
    assert "keras.src.backend.numpy.layer.NumpyLayer" in runtime
    (disagree,) = [
        n for n in result.notes if n.startswith("static and runtime chains disagree")
    ]
    assert "NumpyLayer" in disagree and "OpenvinoLayer" in disagree


# --- The command line ----------------------------------------------------------


def test_cli_text_chain_is_numbered_base_first_with_members():
    out = run("chain", "nanokeras.Sequential").stdout.splitlines()
    assert out[0].startswith("Class chain of nanokeras.Sequential = ")
    numbered = [line.split()[1] for line in out if re.match(r"\d+\. ", line)]
    assert numbered == [
        "backend.module.Module",
        "engine.base_layer.Layer",
        "engine.training.Model",
        "engine.functional.Functional",
        "engine.sequential.Sequential",
    ]
    add = next(line for line in out if re.match(r"\s+method\s+add\s", line))
    assert re.search(r"engine/sequential\.py:\d+", add)


def test_cli_formats():
    as_json = json.loads(run("chain", "nanokeras.Module", "--format", "json").stdout)
    assert as_json["classes"][0]["path"] == "backend.module.Module"
    markdown = run("chain", "nanokeras.Module", "--format", "markdown").stdout
    assert "| member | kind | | where | first docstring line |" in markdown
    # (Compared with the CLI's own output: other engineers edit the tree while
    # the tests run, so an in-process cache could be seconds older.)
    text = run("where", "nanokeras.ops.true_divide").stdout.strip()
    assert re.fullmatch(
        r"nanokeras\.ops\.true_divide -> backend\.ops\.math\.divide \(function\) "
        r"at backend/ops/math\.py:\d+",
        text,
    )
    aliases = json.loads(run("aliases", "--format", "json").stdout)
    paths = [entry["public_path"] for entry in aliases["entries"]]
    assert len(paths) == len(set(paths)) > 100
    assert sorted(p for ps in aliases["reverse"].values() for p in ps) == sorted(paths)
    divide = aliases["reverse"]["backend.ops.math.divide"]
    assert divide == ["nanokeras.ops.divide", "nanokeras.ops.true_divide"]


@pytest.mark.parametrize(
    ("args", "message", "close"),
    [
        (
            ("chain", "nanokeras.Modul"),
            "class 'nanokeras.Modul' not found",
            "nanokeras.Module",
        ),
        (
            ("where", "nanokeras.ops.ad"),
            "public path 'nanokeras.ops.ad' not found",
            "nanokeras.ops.add",
        ),
        (
            ("aliases", "--package", "kears"),
            "package 'kears' not found (not installed)",
            "keras",
        ),
        (
            ("aliases", "--package", "keras", "--decorator", "keras_exprt"),
            "decorator 'keras_exprt' not found in keras",
            "keras_export",
        ),
        (("chain", "nanokeras.ops.add"), "'nanokeras.ops.add' is a function", None),
    ],
)
def test_bad_input_is_one_clear_line_and_a_failing_exit(args, message, close):
    result = run(*args)
    assert result.returncode != 0
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"explore: {message}"), line
    if close:
        assert close in line.partition("; closest: ")[2].split(", "), line


# --- Broken packages: one stderr line and a failing exit, never a traceback ---


def _export(package: str) -> str:
    return f"def {package}_export(*paths):\n    return lambda obj: obj\n\n"


BROKEN_PACKAGES = {
    # Python refuses this at import; read statically it must not recurse.
    "inheritance cycle": (
        "cyclepkg",
        _export("cyclepkg").encode()
        + b'@cyclepkg_export("cyclepkg.A")\nclass A(B):\n    pass\n\n'
        b'@cyclepkg_export("cyclepkg.B")\nclass B(A):\n    pass\n',
        ("chain", "cyclepkg.A"),
        "inheritance cycle: cyclepkg.A -> cyclepkg.B -> cyclepkg.A",
    ),
    "non-UTF-8 source": (
        "latinpkg",
        _export("latinpkg").encode()
        + b'@latinpkg_export("latinpkg.Cafe")\nclass Cafe:\n    """caf\xe9"""\n',
        ("aliases",),
        "cannot read latinpkg/__init__.py: not valid Python source",
    ),
    "decorator called with a number": (
        "nonstrpkg",
        _export("nonstrpkg").encode() + b"@nonstrpkg_export(42)\nclass A:\n    pass\n",
        ("aliases",),
        "nonstrpkg/__init__.py:4: the export decorator was called with 42",
    ),
    "decorator called with a list holding a number": (
        "nonstrlistpkg",
        _export("nonstrlistpkg").encode()
        + b'@nonstrlistpkg_export(["nonstrlistpkg.B", 7])\nclass B:\n    pass\n',
        ("where", "nonstrlistpkg.B"),
        "called with ['nonstrlistpkg.B', 7]",
    ),
    "package calling sys.exit on import": (
        "exitpkg",
        b"import sys\n\n"
        + _export("exitpkg").encode()
        + b'@exitpkg_export("exitpkg.A")\nclass A:\n    pass\n\nsys.exit(3)\n',
        ("chain", "exitpkg.A", "--runtime"),
        "cannot import exitpkg.A for --runtime: SystemExit: 3",
    ),
    "public path exported twice": (
        "twicepkg",
        _export("twicepkg").encode()
        + b'@twicepkg_export("twicepkg.A")\nclass A:\n    pass\n\n'
        b'@twicepkg_export("twicepkg.A")\nclass B:\n    pass\n',
        ("where", "twicepkg.A"),
        "public path 'twicepkg.A' is exported twice: by twicepkg.A "
        "(twicepkg/__init__.py:4) and by twicepkg.B (twicepkg/__init__.py:8)",
    ),
}


def run_with_packages(folder, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(folder)}
    return subprocess.run(
        [*EXPLORE, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env=env,
    )


@pytest.mark.parametrize("case", sorted(BROKEN_PACKAGES))
def test_a_broken_package_is_one_clear_line_and_a_failing_exit(case, tmp_path):
    package, source, args, message = BROKEN_PACKAGES[case]
    (tmp_path / package).mkdir()
    (tmp_path / package / "__init__.py").write_bytes(source)
    result = run_with_packages(tmp_path, *args, "--package", package)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("explore: ") and message in line, line


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("aliases", "--package", "sys"), "package 'sys' has no Python source"),
        (("aliases", "--package", "math"), "package 'math' has no Python source"),
        # `os` is frozen since Python 3.11: its file is still found and read.
        (("aliases", "--package", "os"), "decorator 'os_export' not found in os"),
    ],
)
def test_modules_without_a_package_folder_are_one_clear_line(args, message):
    result = run(*args)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"explore: {message}"), line


def test_a_frozen_module_is_read_from_its_source_file():
    result = run("chain", "os.PathLike", "--package", "os")
    assert result.returncode == 0, result.stderr
    assert "PathLike" in result.stdout and "os.py" in result.stdout


def test_a_declared_latin_1_source_is_read(tmp_path):
    (tmp_path / "cookiepkg").mkdir()
    (tmp_path / "cookiepkg" / "__init__.py").write_bytes(
        b"# -*- coding: latin-1 -*-\n"
        + _export("cookiepkg").encode()
        + b'@cookiepkg_export("cookiepkg.Cafe")\nclass Cafe:\n    """caf\xe9"""\n'
    )
    result = run_with_packages(
        tmp_path, "where", "cookiepkg.Cafe", "--package", "cookiepkg"
    )
    assert result.returncode == 0, result.stderr
    assert "cookiepkg/__init__.py:5" in result.stdout


def test_a_file_under_a_linked_search_path_is_shown_relative_to_it(tmp_path):
    real = tmp_path / "real"
    (real / "pkg").mkdir(parents=True)
    (real / "pkg" / "mod.py").write_text("")
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    source = explore.Source("pkg", "pkg_export", link, ("pkg",))
    assert source.display(link / "pkg" / "mod.py") == "pkg/mod.py"
    # What griffe reports: the same file with the link resolved.
    assert source.display(real / "pkg" / "mod.py") == "pkg/mod.py"
    assert source.display(tmp_path / "other.py") == str(tmp_path / "other.py")
