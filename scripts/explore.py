"""Trace a package's public API and class chains from its source.

Usage:
    python scripts/explore.py chain nanokeras.Sequential
    python scripts/explore.py chain engine.sequential.Sequential --format markdown
    python scripts/explore.py aliases
    python scripts/explore.py where nanokeras.layers.Dense
    python scripts/explore.py chain keras.Sequential --runtime
    python scripts/explore.py aliases --package keras --decorator keras_export

Keras-style code keeps its implementation in one place (`engine/sequential.py`)
and gives it public names with a decorator (`@export("nanokeras.Sequential")`,
`@keras_export(...)` in Keras). This tool reads those decorators and the class
definitions *statically*, without importing anything: the export decorators
are found with a plain `ast` scan (all of Keras 3 in well under a second), and
the classes are read with griffe (`allow_inspection=False`). Code that picks
its base class while it is imported (Keras 3's `Layer` picks one per backend)
reads differently statically; `--runtime` imports it, walks `__mro__`, and says
where the two chains disagree.

The functions `source_for`, `aliases`, `where` and `chain` are the library the
docs generators in `scripts/docgen/` build their pages from.
"""

import argparse
import ast
import difflib
import importlib
import importlib.util
import inspect
import json
import re
import sys
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.explore_format import render  # noqa: E402
from scripts.gen_api import API_PACKAGE, NOT_IMPLEMENTATION  # noqa: E402

# Member kinds a chain table lists, in the order the tables show them.
KINDS = ("attribute", "property", "method", "classmethod", "staticmethod", "class")


class ExploreError(Exception):
    """Bad input: the message is one line naming what was not found."""


def _not_found(what: str, query: str, candidates, where: str = "") -> ExploreError:
    close = difflib.get_close_matches(query, list(candidates), n=3, cutoff=0.6)
    hint = f"; closest: {', '.join(close)}" if close else "; nothing close"
    return ExploreError(f"{what} {query!r} not found{where}{hint}")


# --- Where a package's code lives -----------------------------------------


@dataclass(frozen=True)
class Source:
    """A package as files on disk: the repo for nanokeras, site-packages else."""

    package: str  # the public root: "nanokeras", "keras"
    decorator: str  # "export", "keras_export"
    search_path: Path  # the folder holding the top-level modules
    top_modules: tuple[str, ...]  # what griffe loads

    def files(self) -> list[tuple[str, Path]]:
        """(module name, path) of every Python file, in a stable order."""
        found = []
        for top in self.top_modules:
            base = self.search_path / top
            paths = (
                sorted(base.rglob("*.py"))
                if base.is_dir()
                else [base.with_suffix(".py")]
            )
            for path in paths:
                parts = list(path.relative_to(self.search_path).with_suffix("").parts)
                if parts[-1] == "__init__":
                    parts.pop()
                if any(_is_test(part) for part in parts):
                    continue  # a package's tests are not its API
                found.append((".".join(parts), path))
        return found

    def display(self, path: str | Path) -> str:
        """A file path as shown to readers: relative to the search path."""
        try:
            return Path(path).relative_to(self.search_path).as_posix()
        except ValueError:
            return str(path)


def _default_decorator(package: str) -> str:
    return "export" if package == API_PACKAGE else f"{package}_export"


@cache
def source_for(package: str = API_PACKAGE, decorator: str | None = None) -> Source:
    """Locate `package` without importing it (the repository for nanokeras)."""
    decorator = decorator or _default_decorator(package)
    if package == API_PACKAGE:
        tops = []
        for entry in sorted(ROOT.iterdir()):
            if entry.name.startswith((".", "_")) or entry.name in NOT_IMPLEMENTATION:
                continue
            if entry.is_dir() and (entry / "__init__.py").exists():
                tops.append(entry.name)
            elif entry.suffix == ".py":
                tops.append(entry.stem)
        return Source(package, decorator, ROOT, tuple(tops))
    try:
        spec = importlib.util.find_spec(package) if "." not in package else None
    except (ImportError, ValueError):
        spec = None
    if spec is None or not (spec.submodule_search_locations or spec.origin):
        import pkgutil

        installed = {m.name for m in pkgutil.iter_modules()} | {API_PACKAGE}
        raise _not_found("package", package, installed, " (not installed)")
    if spec.submodule_search_locations:
        folder = Path(list(spec.submodule_search_locations)[0])
    else:
        folder = Path(spec.origin).with_suffix("")
    return Source(package, decorator, folder.parent, (package,))


# --- Public paths from the export decorators ------------------------------


@dataclass(frozen=True)
class Alias:
    """One public path and the definition behind it."""

    public_path: str
    kind: str  # "class" or "function"
    module: str
    qualname: str
    file: str  # relative to the source's search path
    line: int  # first decorator line, like `inspect.getsourcelines`

    @property
    def implementation(self) -> str:
        return f"{self.module}.{self.qualname}"


@dataclass
class AliasTable:
    package: str
    decorator: str
    entries: list[Alias] = field(default_factory=list)

    def by_public_path(self) -> dict[str, Alias]:
        return {entry.public_path: entry for entry in self.entries}

    def reverse(self) -> dict[str, list[Alias]]:
        """implementation -> its aliases, in decorator order (first = canonical)."""
        found: dict[str, list[Alias]] = {}
        for entry in self.entries:
            found.setdefault(entry.implementation, []).append(entry)
        return found


def _decorator_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _export_paths(call: ast.Call) -> list[str]:
    """The public paths of `@export("a", "b")` or `@keras_export(["a", "b"])`."""
    paths = []
    for arg in [*call.args, *(kw.value for kw in call.keywords)]:
        try:
            value = ast.literal_eval(arg)
        except ValueError:
            continue  # a computed path cannot be read statically
        paths.extend([value] if isinstance(value, str) else list(value))
    return paths


def _scan(body, module: str, prefix: str, decorator: str, file: str, out) -> None:
    for node in body:
        if isinstance(node, ast.If | ast.Try):
            # Definitions under a module-level `if`/`try` are still module level.
            for block in (node.body, getattr(node, "orelse", [])):
                _scan(block, module, prefix, decorator, file, out)
            continue
        if not isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        qualname = prefix + node.name
        for dec in node.decorator_list:
            if isinstance(dec, ast.Call) and _decorator_name(dec.func) == decorator:
                kind = "class" if isinstance(node, ast.ClassDef) else "function"
                line = node.decorator_list[0].lineno
                for path in _export_paths(dec):
                    out.append(Alias(path, kind, module, qualname, file, line))
        if isinstance(node, ast.ClassDef):
            _scan(node.body, module, qualname + ".", decorator, file, out)


@cache
def _alias_table(source: Source) -> AliasTable:
    entries: list[Alias] = []
    for module, path in source.files():
        text = path.read_text(encoding="utf-8")
        if source.decorator not in text:  # most files: no need to parse
            continue
        tree = ast.parse(text, filename=str(path))
        _scan(tree.body, module, "", source.decorator, source.display(path), entries)
    if not entries:
        seen = set()
        for _, path in source.files():
            seen.update(re.findall(r"@\s*([A-Za-z_][\w.]*)\s*\(", path.read_text()))
        names = {name.rpartition(".")[2] for name in seen}
        raise _not_found("decorator", source.decorator, names, f" in {source.package}")
    return AliasTable(source.package, source.decorator, entries)


def aliases(package: str = API_PACKAGE, decorator: str | None = None) -> AliasTable:
    """Every public path of `package`, read from its export decorators."""
    return _alias_table(source_for(package, decorator))


def where(public_path: str, package: str | None = None, decorator=None) -> Alias:
    """The definition behind one public path."""
    table = aliases(package or _package_of(public_path), decorator)
    found = table.by_public_path()
    if public_path not in found:
        raise _not_found("public path", public_path, found, f" in {table.package}")
    return found[public_path]


def _package_of(path: str) -> str:
    top = path.partition(".")[0]
    if (
        "." not in path
        or top == API_PACKAGE
        or top in source_for(API_PACKAGE).top_modules
    ):
        return API_PACKAGE
    return top


# --- Class chains -----------------------------------------------------------


@dataclass
class Member:
    name: str
    kind: str  # one of KINDS
    file: str
    line: int
    doc: str  # first docstring line, "" when there is none
    overrides: str = ""  # the base class whose member this one replaces


@dataclass
class ChainClass:
    path: str  # module.qualname where it is defined
    public_paths: list[str]
    file: str
    line: int
    doc: str
    bases: list[str]  # direct bases, as paths
    introduces: list[Member] = field(default_factory=list)
    overrides: list[Member] = field(default_factory=list)
    external: bool = False  # outside the package (members not listed)

    @property
    def name(self) -> str:
        return self.path.rpartition(".")[2]


@dataclass
class Chain:
    target: str  # path of the class asked about
    package: str
    mode: str  # "static" or "runtime"
    classes: list[ChainClass]  # base first, the target last
    subclasses: list[str] = field(default_factory=list)  # known direct subclasses
    notes: list[str] = field(default_factory=list)


def _first_line(doc) -> str:
    text = doc.value if hasattr(doc, "value") else doc
    return (
        inspect.cleandoc(text).strip().splitlines()[0] if text and text.strip() else ""
    )


def _is_test(name: str) -> bool:
    return name.endswith("_test") or name.startswith("test_") or name == "tests"


@cache
def _collection(source: Source):
    import griffe

    loader = griffe.GriffeLoader(
        search_paths=[source.search_path], allow_inspection=False
    )
    # A package's own tests (Keras ships ~280 `*_test.py` files) are not part
    # of its class chains; skipping them makes loading Keras a third faster.
    submodules = loader.finder.submodules
    loader.finder.submodules = lambda module: [
        (parts, path) for parts, path in submodules(module) if not _is_test(parts[-1])
    ]
    for top in source.top_modules:
        loader.load(top)
    return loader.modules_collection


def _griffe_class(source: Source, path: str):
    try:
        obj = _collection(source).get_member(path)
    except (KeyError, ValueError, AttributeError):
        return None
    while obj.is_alias:
        try:
            obj = obj.final_target
        except Exception:  # an import griffe cannot follow (outside the package)
            return None
    return obj if obj.is_class else None


def _all_classes(source: Source):
    """Every class griffe found in the package (not the imported names)."""
    stack = [_collection(source)[top] for top in source.top_modules]
    while stack:
        obj = stack.pop()
        for member in obj.members.values():
            if member.is_alias:
                continue
            if member.is_class:
                yield member
            if member.is_module or member.is_class:
                stack.append(member)


def _member_kind(member) -> str | None:
    labels = member.labels
    if member.is_function:
        for kind in ("classmethod", "staticmethod"):
            if kind in labels:
                return kind
        return "property" if "property" in labels else "method"
    if member.is_attribute:
        if "property" in labels:
            return "property"
        return "attribute" if "class-attribute" in labels else None
    return "class" if member.is_class else None


def _static_members(source: Source, cls) -> dict[str, Member]:
    found = {}
    for name, member in cls.members.items():
        if member.is_alias:
            continue
        kind = _member_kind(member)
        if kind:
            file = source.display(member.filepath)
            found[name] = Member(
                name, kind, file, member.lineno or 0, _first_line(member.docstring)
            )
    return found


def _base_paths(cls) -> list[str]:
    paths = []
    for base in cls.bases:
        path = getattr(base, "canonical_path", str(base))
        paths.append(path)
    return paths


def _resolved_path(source: Source, path: str) -> str:
    cls = _griffe_class(source, path)
    return cls.path if cls is not None else path


def _c3(path: str, bases_of) -> list[str]:
    """Python's method resolution order (C3), from a `path -> bases` function."""
    sequences = [_c3(base, bases_of) for base in bases_of(path)]
    sequences.append(list(bases_of(path)))
    order = [path]
    while any(sequences):
        sequences = [seq for seq in sequences if seq]
        for seq in sequences:
            head = seq[0]
            if not any(head in other[1:] for other in sequences):
                break
        else:  # inconsistent hierarchy: keep going rather than fail
            head = sequences[0][0]
        order.append(head)
        sequences = [seq[1:] if seq[0] == head else seq for seq in sequences]
    return order


def _static_mro(source: Source, path: str) -> list[str]:
    def bases_of(p: str) -> list[str]:
        cls = _griffe_class(source, p)
        if cls is None:
            return []
        return [_resolved_path(source, b) for b in _base_paths(cls) if b != "object"]

    return _c3(path, bases_of)


@cache
def _conditional_names(file: Path) -> dict[str, int]:
    """Module-level names bound under an `if`/`try`: chosen while importing."""
    found: dict[str, int] = {}
    for node in ast.parse(file.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.If | ast.Try):
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom | ast.Import):
                    for alias in inner.names:
                        found.setdefault(alias.asname or alias.name, node.lineno)
                elif isinstance(inner, ast.Name) and isinstance(inner.ctx, ast.Store):
                    found.setdefault(inner.id, node.lineno)
    return found


def _import_time_notes(source: Source, paths: list[str]) -> list[str]:
    notes = []
    for path in paths:
        cls = _griffe_class(source, path)
        if cls is None or cls.filepath is None:
            continue
        chosen = _conditional_names(Path(cls.filepath))
        for base, base_path in zip(cls.bases, _base_paths(cls)):
            head = str(base).partition(".")[0]
            if head in chosen:
                where_ = f"{source.display(cls.filepath)}:{chosen[head]}"
                notes.append(
                    f"{cls.name}'s base `{base}` is chosen at import time ({where_}); "
                    f"the static chain follows one branch "
                    f"({_resolved_path(source, base_path).rpartition('.')[2]}): "
                    "run with --runtime for the chain Python builds."
                )
    return notes


@cache
def _subclass_index(source: Source) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for cls in _all_classes(source):
        for base in _base_paths(cls):
            index.setdefault(_resolved_path(source, base), []).append(cls.path)
    return {base: sorted(set(subs)) for base, subs in index.items()}


def _safe_aliases(source: Source) -> AliasTable:
    try:
        return _alias_table(source)
    except ExploreError:  # a chain still works without public names
        return AliasTable(source.package, source.decorator)


def _resolve_class(source: Source, query: str) -> str:
    """A public path, an implementation path or a bare class name -> path."""
    table = _safe_aliases(source)
    public = table.by_public_path()
    if query in public:
        entry = public[query]
        if entry.kind != "class":
            raise ExploreError(
                f"{query!r} is a function ({entry.file}:{entry.line}), not a class"
            )
        return entry.implementation
    if _griffe_class(source, query) is not None:
        return _griffe_class(source, query).path
    classes = {c.path for c in _all_classes(source)}
    names = {p for p, e in public.items() if e.kind == "class"} | classes
    by_tail = sorted(p for p in names if p.rpartition(".")[2] == query)
    implementations = {public[p].implementation if p in public else p for p in by_tail}
    if len(implementations) == 1:
        return implementations.pop()
    raise _not_found("class", query, names, f" in {source.package}")


def _runtime_class(source: Source, path: str):
    module_name, qualname = _split_path(source, path)
    try:
        obj = importlib.import_module(module_name)
        for part in qualname.split("."):
            obj = getattr(obj, part)
    except Exception as error:  # any import failure is the user's environment
        hint = " (set KERAS_BACKEND?)" if source.package == "keras" else ""
        raise ExploreError(
            f"cannot import {path} for --runtime: {type(error).__name__}: "
            f"{str(error).splitlines()[0] if str(error) else ''}{hint}"
        ) from None
    return obj


def _split_path(source: Source, path: str) -> tuple[str, str]:
    """`engine.sequential.Sequential` -> (`engine.sequential`, `Sequential`)."""
    cls = _griffe_class(source, path)
    if cls is not None:
        return cls.module.path, path[len(cls.module.path) + 1 :]
    return path.rpartition(".")[0], path.rpartition(".")[2]


_AUTOMATIC = {
    "__dict__",
    "__weakref__",
    "__module__",
    "__doc__",
    "__qualname__",
    "__annotations__",
    "__orig_bases__",
    "__parameters__",
    "__slots__",
    "__abstractmethods__",
    "_abc_impl",
    "__firstlineno__",
    "__static_attributes__",
    "__annotate_func__",
    "__annotations_cache__",
}


def _runtime_members(source: Source, cls: type, file: str) -> dict[str, Member]:
    found = {}
    for name, value in vars(cls).items():
        if name in _AUTOMATIC:
            continue
        function = value
        if isinstance(value, property):
            kind, function = "property", value.fget
        elif isinstance(value, classmethod | staticmethod):
            kind, function = type(value).__name__, value.__func__
        elif inspect.isfunction(value):
            kind = "method"
        elif inspect.isclass(value):
            kind = "class"
        else:
            kind = "attribute"
        code = getattr(function, "__code__", None)
        line = code.co_firstlineno if code is not None else 0
        found[name] = Member(
            name,
            kind,
            file,
            line,
            _first_line(inspect.getdoc(function) or "") if kind != "attribute" else "",
        )
    return found


def _chain_class(source: Source, path: str, public, runtime_cls=None):
    public_paths = [entry.public_path for entry in public.get(path, [])]
    cls = _griffe_class(source, path)
    if cls is not None:
        return ChainClass(
            path,
            public_paths,
            source.display(cls.filepath),
            cls.lineno or 0,
            _first_line(cls.docstring),
            [_resolved_path(source, b) for b in _base_paths(cls)],
        ), _static_members(source, cls)
    if runtime_cls is None:
        return ChainClass(path, public_paths, "", 0, "", [], external=True), {}
    try:
        file = source.display(inspect.getsourcefile(runtime_cls) or "")
        line = inspect.getsourcelines(runtime_cls)[1]
    except (OSError, TypeError):
        file, line = "", 0
    bases = [
        f"{b.__module__}.{b.__qualname__}"
        for b in runtime_cls.__bases__
        if b is not object
    ]
    node = ChainClass(
        path,
        public_paths,
        file,
        line,
        _first_line(inspect.getdoc(runtime_cls) or ""),
        bases,
    )
    return node, _runtime_members(source, runtime_cls, file)


def chain(
    query: str,
    package: str | None = None,
    decorator: str | None = None,
    runtime: bool = False,
) -> Chain:
    """The bases of a class back to the root, base first, with their members."""
    source = source_for(package or _package_of(query), decorator)
    path = _resolve_class(source, query)
    public = _safe_aliases(source).reverse()
    static_mro = _static_mro(source, path)
    notes = []
    runtime_classes: dict[str, type] = {}
    if runtime:
        cls = _runtime_class(source, path)
        for klass in cls.__mro__:
            if klass is not object:
                runtime_classes[f"{klass.__module__}.{klass.__qualname__}"] = klass
        mro = list(runtime_classes)
        if mro != static_mro:
            static_only = [p for p in static_mro if p not in runtime_classes]
            runtime_only = [p for p in mro if p not in static_mro]
            same = "the same classes in another order"
            notes.append(
                "static and runtime chains disagree: static has "
                f"{', '.join(static_only) or same}; runtime has "
                f"{', '.join(runtime_only) or same}."
            )
        else:
            notes.append("static and runtime chains agree.")
        notes += [
            n.replace(
                "run with --runtime for the chain Python builds.",
                "the runtime chain above is the one Python builds.",
            )
            for n in _import_time_notes(source, static_mro)
        ]
    else:
        mro = static_mro
        notes += _import_time_notes(source, mro)
    nodes, members = [], []
    for p in mro:
        node, own = _chain_class(source, p, public, runtime_classes.get(p))
        nodes.append(node)
        members.append(own)
    for i, (node, own) in enumerate(zip(nodes, members)):
        for name, member in own.items():
            owner = next(
                (nodes[j].path for j in range(i + 1, len(nodes)) if name in members[j]),
                "",
            )
            if owner:
                member.overrides = owner
                node.overrides.append(member)
            else:
                node.introduces.append(member)
    subclasses = _subclass_index(source).get(path, [])
    return Chain(
        path,
        source.package,
        "runtime" if runtime else "static",
        nodes[::-1],
        subclasses,
        notes,
    )


# --- Command line -------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--package", help="installed package to read (default nanokeras)"
    )
    common.add_argument(
        "--decorator", help="export decorator name (default: export / <package>_export)"
    )
    common.add_argument(
        "--format", choices=("text", "markdown", "json"), default="text"
    )
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser(
        "chain", parents=[common], help="bases of a class, base first"
    )
    one.add_argument("cls", metavar="CLASS")
    one.add_argument("--runtime", action="store_true", help="import and use __mro__")
    commands.add_parser(
        "aliases", parents=[common], help="public path <-> implementation"
    )
    two = commands.add_parser(
        "where", parents=[common], help="where a public path is defined"
    )
    two.add_argument("public_path", metavar="PUBLIC_PATH")
    args = parser.parse_args(argv)
    try:
        if args.command == "chain":
            result = chain(args.cls, args.package, args.decorator, runtime=args.runtime)
        elif args.command == "aliases":
            result = aliases(args.package or API_PACKAGE, args.decorator)
        else:
            result = where(args.public_path, args.package, args.decorator)
    except ExploreError as error:
        print(f"explore: {error}", file=sys.stderr)
        return 1
    text = json.dumps(asdict(result), indent=1) if args.format == "json" else None
    try:
        print(text or render(result, args.format))
    except BrokenPipeError:  # `explore.py aliases | head` closed the pipe early
        sys.stderr.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
