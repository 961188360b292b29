"""Every public path a Keras release declares, with TensorFlow's API versions.

tf.keras 2.6 exports with TensorFlow's `keras_export`: positional arguments
are the names of API version 2 (`tf.keras.layers.Dense`); the keyword `v1=`
lists the names of version 1 (`tf.compat.v1.keras...`) and, when it is
absent, the version 1 names are the positional ones. So
`keras_export('keras.optimizers.Adam', v1=[])` is a v2-only name and
`keras_export(v1=['keras.layers.BatchNormalization'])` a v1-only one.
Keras 3's `keras_export(path)` has one API; its names are reported as v2.

Three forms are read, statically (`ast`, nothing imported):

- a decorator, `@keras_export('keras.Model', 'keras.models.Model')`;
- a call on a name, `keras_export('keras.preprocessing.text.Tokenizer')(Tokenizer)`,
  whose implementation is wherever that name is bound (a `def`/`class` of the
  module, `from m import x`, or `x = module.attr`);
- a constant, `keras_export('keras.__version__')` followed by
  `.export_constant(__name__, '__version__')`.
"""

import ast
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from scripts.explorer.source import Source

API_VERSIONS = ("v1", "v2")


@dataclass(frozen=True)
class Export:
    """One public path of one API version, and the definition behind it."""

    public_path: str  # "keras.layers.Dense" (as written: without "tf.")
    api: str  # "v1" or "v2"
    kind: str  # "class", "function" or "constant"
    module: str  # where the object is defined ("keras.layers.core")
    qualname: str
    file: str  # relative to the release folder; "" when outside the wheel
    line: int  # the export's first line (its first decorator, or the call)

    @property
    def implementation(self) -> str:
        return f"{self.module}.{self.qualname}"


def _literal(node: ast.expr) -> list[str]:
    try:
        value = ast.literal_eval(node)
    except ValueError:
        return []  # a computed path cannot be read statically
    return [value] if isinstance(value, str) else list(value)


def _versions(call: ast.Call, tf_versions: bool) -> dict[str, list[str]]:
    """{"v2": [...], "v1": [...]} of one `keras_export(...)` call.

    Without TensorFlow's versions (Keras 3) every name is a v2 name.
    """
    v2 = [path for arg in call.args for path in _literal(arg)]
    keywords = {kw.arg: kw.value for kw in call.keywords}
    if "path" in keywords:  # Keras 3: keras_export(path=...)
        v2 = _literal(keywords["path"])
    if not tf_versions:
        return {"v2": v2}
    return {"v1": _literal(keywords["v1"]) if "v1" in keywords else list(v2), "v2": v2}


def _is_export(node: ast.expr, decorator: str) -> bool:
    func = node.func if isinstance(node, ast.Call) else None
    name = getattr(func, "id", None) or getattr(func, "attr", None)
    return name == decorator


def _module_of(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module an `ImportFrom` reads from."""
    if not node.level:
        return node.module or ""
    parts = module.split(".")
    base = parts if is_package else parts[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


class _Bindings:
    """Where each module-level name of one file comes from."""

    def __init__(self, tree: ast.Module, module: str, is_package: bool):
        self.defined: dict[str, tuple[str, int]] = {}  # name -> (kind, line)
        self.imported: dict[str, tuple[str, str]] = {}  # name -> (module, attr)
        self.modules: dict[str, str] = {}  # local name -> module it names
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                kind = "class" if isinstance(node, ast.ClassDef) else "function"
                self.defined.setdefault(node.name, (kind, node.lineno))
            elif isinstance(node, ast.ImportFrom):
                source = _module_of(module, is_package, node)
                for alias in node.names:
                    local = alias.asname or alias.name
                    self.imported.setdefault(local, (source, alias.name))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    self.modules.setdefault(
                        alias.asname or alias.name.partition(".")[0],
                        alias.name if alias.asname else alias.name.partition(".")[0],
                    )
        self.assigned: dict[str, ast.expr] = {}
        for node in tree.body:
            for inner in [node, *getattr(node, "body", [])]:
                if isinstance(inner, ast.Assign) and len(inner.targets) == 1:
                    target = inner.targets[0]
                    if isinstance(target, ast.Name):
                        self.assigned.setdefault(target.id, inner.value)

    def resolve(self, name: str, module: str) -> tuple[str, str, str]:
        """(module, qualname, kind) of a module-level name."""
        if name in self.defined:
            return module, name, self.defined[name][0]
        if name in self.imported:
            source, attr = self.imported[name]
            return source, attr, ""
        value = self.assigned.get(name)
        if isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name):
            base = value.value.id
            if base in self.imported:  # `from keras_preprocessing import text`
                source, attr = self.imported[base]
                return f"{source}.{attr}", value.attr, ""
            if base in self.modules:
                return self.modules[base], value.attr, ""
        return module, name, "constant"


def _scan_file(
    source: Source, module: str, path: Path, tf_versions: bool, out: list
) -> None:
    text = path.read_text(encoding="utf-8")
    decorator = source.decorator
    if decorator not in text:
        return
    tree = ast.parse(text, filename=str(path))
    file = source.display(path)
    bindings = None

    def add(call, kind, mod, qualname, line, file_=file):
        for api, paths in _versions(call, tf_versions).items():
            for public in paths:
                out.append(Export(public, api, kind, mod, qualname, file_, line))

    def walk(body, prefix):
        nonlocal bindings
        for node in body:
            if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                kind = "class" if isinstance(node, ast.ClassDef) else "function"
                for dec in node.decorator_list:
                    if _is_export(dec, decorator):
                        line = node.decorator_list[0].lineno
                        add(dec, kind, module, prefix + node.name, line)
                if isinstance(node, ast.ClassDef):
                    walk(node.body, prefix + node.name + ".")
                continue
            if isinstance(node, ast.If | ast.Try | ast.With):
                for block in ("body", "orelse", "finalbody"):
                    walk(getattr(node, block, []), prefix)
                for handler in getattr(node, "handlers", []):
                    walk(handler.body, prefix)
                continue
            if not isinstance(node, ast.Expr) or not isinstance(node.value, ast.Call):
                continue
            call = node.value
            # keras_export(...)(name)
            if _is_export(call.func, decorator) and call.args:
                target = call.args[0]
                if isinstance(target, ast.Name):
                    bindings = bindings or _Bindings(
                        tree, module, path.name == "__init__.py"
                    )
                    mod, qualname, kind = bindings.resolve(target.id, module)
                    kind = kind or "function"
                    add(call.func, kind, mod, qualname, node.lineno, file_="")
            # keras_export(...).export_constant(__name__, 'name')
            elif (
                isinstance(call.func, ast.Attribute)
                and call.func.attr == "export_constant"
                and _is_export(call.func.value, decorator)
                and len(call.args) == 2
            ):
                name = _literal(call.args[1])[0]
                add(call.func.value, "constant", module, name, node.lineno)

    walk(tree.body, "")


@cache
def scan(source: Source, tf_versions: bool, skip: tuple[str, ...] = ()) -> list[Export]:
    """Every export of a release in file order (v1 and v2 with `tf_versions`).

    `skip`: module prefixes not to read (a wheel's generated API). Cached per
    folder: reading v1 after v2 costs nothing.
    """
    return _scan(replace(source, api=None), tf_versions, skip)


@cache
def _scan(source: Source, tf_versions: bool, skip: tuple[str, ...]) -> list[Export]:
    found: list[Export] = []
    for module, path in source.files():
        if module.startswith(skip):
            continue
        _scan_file(source, module, path, tf_versions, found)
    files = {module: source.display(path) for module, path in source.files()}
    # A call-form export names an object bound elsewhere: its file is the
    # module that defines it, when that module is in the wheel.
    return [
        e if e.file else Export(**{**e.__dict__, "file": files.get(e.module, "")})
        for e in found
    ]


@dataclass(frozen=True)
class GeneratedName:
    """One public name as a release's generated API package imports it."""

    public_path: str  # "keras.layers.Dense"
    module: str  # the module the generated file imports it from
    name: str  # the name it imports (before any `as`)


def generated_api(folder: Path, api_root: str, skip: tuple[str, ...] = ()) -> list:
    """The names the generated `__init__.py` files of a release import.

    `api_root` is the package folder whose tree is the public `keras`
    namespace: `keras/api/_v2/keras` for tf.keras 2.6 (TensorFlow's generator),
    `keras` for Keras 3 (the wheel moves the repository's `keras/api` there).
    Imports of another namespace of the same tree (`from keras import layers`)
    are the tree's structure, not names; `skip` lists subfolders that are not
    part of the namespace (Keras 3's `src` and `_tf_keras`).
    """
    base = folder / api_root
    found = []
    for init in sorted(base.rglob("__init__.py")):
        relative = init.parent.relative_to(base).parts
        if relative[:1] and relative[0] in skip:
            continue
        namespace = ".".join(("keras", *relative))
        for node in ast.parse(init.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.ImportFrom) or node.module == "__future__":
                continue
            for alias in node.names:
                if (folder / Path(*node.module.split("."), alias.name)).is_dir():
                    continue  # `from keras import layers`: a child namespace
                public = f"{namespace}.{alias.asname or alias.name}"
                found.append(GeneratedName(public, node.module, alias.name))
    return found
