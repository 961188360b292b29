"""`chain()`: the bases of a class back to the root, with their members.

Static by default (griffe). With `runtime=True` the class is imported and
`__mro__` decides which classes form the chain (griffe still describes the
classes it knows, Python's `vars()` the others), and a note says whether the
static chain agrees.
"""

import importlib
import inspect
import sys
from dataclasses import dataclass, field

from scripts.explorer.aliases import AliasTable, alias_table, package_of
from scripts.explorer.source import (
    BrokenSourceError,
    ExploreError,
    Source,
    not_found,
    source_for,
)
from scripts.explorer.static import (
    Member,
    all_classes,
    base_paths,
    direct_bases,
    first_line,
    griffe_class,
    import_time_notes,
    primary_chain,
    resolved_path,
    static_members,
    static_mro,
    subclass_index,
)


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
    # The primary-base chain, base first: the target, its first base, that
    # base's first base... (`Module -> Layer -> Model -> Functional ->
    # Sequential`, the book's view); `classes` is the full MRO.
    primary: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict) -> "Chain":
        """The chain `dataclasses.asdict` (the CLI's `--format json`) wrote."""
        classes = [
            ChainClass(
                **{
                    **node,
                    "introduces": [Member(**m) for m in node["introduces"]],
                    "overrides": [Member(**m) for m in node["overrides"]],
                }
            )
            for node in data["classes"]
        ]
        return cls(**{**data, "classes": classes})


def _safe_aliases(source: Source) -> AliasTable:
    try:
        return alias_table(source)
    except BrokenSourceError:
        raise
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
    if griffe_class(source, query) is not None:
        return griffe_class(source, query).path
    classes = {c.path for c in all_classes(source)}
    names = {p for p, e in public.items() if e.kind == "class"} | classes
    by_tail = sorted(p for p in names if p.rpartition(".")[2] == query)
    implementations = {public[p].implementation if p in public else p for p in by_tail}
    if len(implementations) == 1:
        return implementations.pop()
    raise not_found("class", query, names, f" in {source.package}")


def _runtime_class(source: Source, path: str):
    module_name, qualname = _split_path(source, path)
    if str(source.search_path) not in sys.path:  # the repository, for nanokeras
        sys.path.insert(0, str(source.search_path))
    try:
        obj = importlib.import_module(module_name)
        for part in qualname.split("."):
            obj = getattr(obj, part)
    # Any import failure is the user's environment; a package may even call
    # `sys.exit()` while it is imported, which must not end this tool.
    except (Exception, SystemExit) as error:
        hint = ""
        if source.package == "keras":  # Keras picks a backend while importing
            hint = " (set KERAS_BACKEND to an installed backend, e.g. numpy)"
        raise ExploreError(
            f"cannot import {path} for --runtime: {type(error).__name__}: "
            f"{str(error).splitlines()[0] if str(error) else ''}{hint}"
        ) from None
    return obj


def _split_path(source: Source, path: str) -> tuple[str, str]:
    """`engine.sequential.Sequential` -> (`engine.sequential`, `Sequential`)."""
    cls = griffe_class(source, path)
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
            first_line(inspect.getdoc(function) or "") if kind != "attribute" else "",
        )
    return found


def _chain_class(source: Source, path: str, public, runtime_cls=None):
    public_paths = [entry.public_path for entry in public.get(path, [])]
    cls = griffe_class(source, path)
    if cls is not None:
        return ChainClass(
            path,
            public_paths,
            source.display(cls.filepath),
            cls.lineno or 0,
            first_line(cls.docstring),
            [resolved_path(source, b) for b in base_paths(cls)],
        ), static_members(source, cls)
    if runtime_cls is None:
        bases = direct_bases(source, path)  # known bases of an outside class
        return ChainClass(path, public_paths, "", 0, "", bases, external=True), {}
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
        first_line(inspect.getdoc(runtime_cls) or ""),
        bases,
    )
    return node, _runtime_members(source, runtime_cls, file)


def chain(
    query: str,
    package: str | None = None,
    decorator: str | None = None,
    runtime: bool = False,
    api: str | None = None,
) -> Chain:
    """The bases of a class back to the root, base first, with their members."""
    source = source_for(package or package_of(query), decorator, api)
    path = _resolve_class(source, query)
    public = _safe_aliases(source).reverse()
    static = static_mro(source, path)
    notes = []
    runtime_classes: dict[str, type] = {}
    if runtime:
        cls = _runtime_class(source, path)
        for klass in cls.__mro__:
            if klass is not object:
                runtime_classes[f"{klass.__module__}.{klass.__qualname__}"] = klass
        mro = list(runtime_classes)
        if mro != static:
            static_only = [f"`{p}`" for p in static if p not in runtime_classes]
            runtime_only = [f"`{p}`" for p in mro if p not in static]
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
            for n in import_time_notes(source, static)
        ]
    else:
        mro = static
        notes += import_time_notes(source, mro)
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
    subclasses = subclass_index(source).get(path, [])
    if runtime:
        primary, klass = [], runtime_classes[mro[0]]
        while klass is not object:
            primary.append(f"{klass.__module__}.{klass.__qualname__}")
            klass = klass.__bases__[0]
    else:
        primary = primary_chain(source, path)
    return Chain(
        path,
        source.package,
        "runtime" if runtime else "static",
        nodes[::-1],
        subclasses,
        notes,
        primary[::-1],
    )
