"""Class chains read statically with griffe: no import, nothing executed.

griffe (`allow_inspection=False`) parses every module of the package once per
process; bases are resolved through its import tracking, and the method
resolution order is Python's C3 over those bases. A base bound under a
module-level `if`/`try` (Keras 3 picks a backend's `Layer` that way) is
reported: statically only one branch can be followed.
"""

import ast
import inspect
import tokenize
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from scripts.explorer.source import BrokenSourceError, Source, is_test

# Member kinds a chain table lists.
KINDS = ("attribute", "property", "method", "classmethod", "staticmethod", "class")


@dataclass
class Member:
    name: str
    kind: str  # one of KINDS
    file: str
    line: int
    doc: str  # first docstring line, "" when there is none
    overrides: str = ""  # the base class whose member this one replaces


def first_line(doc) -> str:
    text = doc.value if hasattr(doc, "value") else doc
    return (
        inspect.cleandoc(text).strip().splitlines()[0] if text and text.strip() else ""
    )


@cache
def collection(source: Source):
    import griffe

    loader = griffe.GriffeLoader(
        search_paths=[source.search_path], allow_inspection=False
    )
    # A package's own tests (Keras ships ~280 `*_test.py` files) are not part
    # of its class chains; skipping them makes loading Keras a third faster.
    # A wheel's generated API package (source.skip_modules) only re-imports.
    submodules = loader.finder.submodules
    skipped = tuple(m.split(".") for m in source.skip_modules)

    def wanted(parts) -> bool:
        full = [*source.top_modules[:1], *parts]
        return not is_test(parts[-1]) and not any(full[: len(s)] == s for s in skipped)

    loader.finder.submodules = lambda module: [
        (parts, path) for parts, path in submodules(module) if wanted(parts)
    ]
    for top in source.top_modules:
        loader.load(top)
    return loader.modules_collection


def griffe_class(source: Source, path: str):
    try:
        obj = collection(source).get_member(path)
    except (KeyError, ValueError, AttributeError):
        return None
    while obj.is_alias:
        try:
            obj = obj.final_target
        except Exception:  # an import griffe cannot follow (outside the package)
            return None
    return obj if obj.is_class else None


def all_classes(source: Source):
    """Every class griffe found in the package (not the imported names)."""
    stack = [collection(source)[top] for top in source.top_modules]
    while stack:
        obj = stack.pop()
        for member in obj.members.values():
            if member.is_alias:
                continue
            if member.is_class:
                yield member
            if member.is_module or member.is_class:
                stack.append(member)


# Python makes these classmethods / a staticmethod without a decorator.
_IMPLICIT = {
    "__init_subclass__": "classmethod",
    "__class_getitem__": "classmethod",
    "__new__": "staticmethod",
}


def _member_kind(member) -> str | None:
    labels = member.labels
    if member.is_function:
        if member.name in _IMPLICIT:
            return _IMPLICIT[member.name]
        for kind in ("classmethod", "staticmethod"):
            if kind in labels:
                return kind
        return "property" if "property" in labels else "method"
    if member.is_attribute:
        if "property" in labels:
            return "property"
        return "attribute" if "class-attribute" in labels else None
    return "class" if member.is_class else None


def static_members(source: Source, cls) -> dict[str, Member]:
    found = {}
    for name, member in cls.members.items():
        if member.is_alias:
            continue
        kind = _member_kind(member)
        if kind:
            file = source.display(member.filepath)
            found[name] = Member(
                name, kind, file, member.lineno or 0, first_line(member.docstring)
            )
    # `variables = weights` in a class body is the same property under a
    # second name: give it the kind (and docstring) of what it names.
    for name, member in found.items():
        value = str(getattr(cls.members[name], "value", "") or "")
        if member.kind == "attribute" and value in found and value != name:
            member.kind = found[value].kind
            member.doc = member.doc or found[value].doc
    return found


def base_paths(cls) -> list[str]:
    paths = []
    for base in cls.bases:
        path = getattr(base, "canonical_path", str(base))
        paths.append(path)
    return paths


def resolved_path(source: Source, path: str) -> str:
    cls = griffe_class(source, path)
    return cls.path if cls is not None else path


def _c3(path: str, bases_of, visiting: tuple = ()) -> list[str]:
    """Python's method resolution order (C3), from a `path -> bases` function.

    Python refuses a class that is its own ancestor, but source read without
    running it can say so (`class A(B)` and `class B(A)`): `visiting` holds
    the classes on the way down, so a cycle is reported, not recursed into.
    """
    if path in visiting:
        loop = " -> ".join((*visiting[visiting.index(path) :], path))
        raise BrokenSourceError(f"inheritance cycle: {loop}")
    visiting = (*visiting, path)
    sequences = [_c3(base, bases_of, visiting) for base in bases_of(path)]
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


def _branch_import(file: Path, name: str, backend: str) -> str | None:
    """The path `name` is imported from under `if ... == "<backend>":`, if any."""
    for node in ast.parse(file.read_text(encoding="utf-8")).body:
        while isinstance(node, ast.If):
            if f"'{backend}'" in ast.unparse(node.test):
                for inner in node.body:
                    if isinstance(inner, ast.ImportFrom):
                        for alias in inner.names:
                            if (alias.asname or alias.name) == name:
                                return f"{inner.module}.{alias.name}"
            node = node.orelse[0] if len(node.orelse) == 1 else None
    return None


def direct_bases(source: Source, path: str) -> list[str]:
    """The resolved bases of one class (`object` left out), as paths.

    Follows `source.backend`'s branch for a base chosen at import time, and
    `source.outside_bases` for classes outside the package.
    """
    cls = griffe_class(source, path)
    if cls is None:
        return list(dict(source.outside_bases).get(path, ()))
    found = []
    for base, base_path in zip(cls.bases, base_paths(cls)):
        if base_path == "object":
            continue
        head = str(base).partition(".")[0]
        if source.backend and cls.filepath is not None:
            file = Path(cls.filepath)
            if head in _conditional_names(file):
                branch = _branch_import(file, head, source.backend)
                if branch is not None:
                    tail = str(base).partition(".")[2]
                    chosen = ".".join(filter(None, (branch, tail)))
                    found.append(resolved_path(source, chosen))
                    continue
        found.append(resolved_path(source, base_path))
    return found


def static_mro(source: Source, path: str) -> list[str]:
    return _c3(path, lambda p: direct_bases(source, p))


def primary_chain(source: Source, path: str) -> list[str]:
    """The class, its first base, that base's first base, ... (target first).

    The "Keras source" book reads a class this way: `Sequential ->
    Functional -> Model -> Layer -> tf.Module`; the other bases (mixins,
    version selectors, a backend's trainer) hang off that spine. It stops at
    the first class outside the package (`tf.Module` for tf.keras 2.6).
    """
    chain = [path]
    while griffe_class(source, chain[-1]) is not None:
        bases = direct_bases(source, chain[-1])
        if not bases or bases[0] in chain:
            return chain
        chain.append(bases[0])
    return chain


@cache
def _conditional_names(file: Path) -> dict[str, int]:
    """Module-level names bound under an `if`/`try`: chosen while importing."""
    found: dict[str, int] = {}
    with tokenize.open(file) as handle:  # honours a PEP 263 coding cookie
        text = handle.read()
    for node in ast.parse(text).body:
        if isinstance(node, ast.If | ast.Try):
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom | ast.Import):
                    for alias in inner.names:
                        found.setdefault(alias.asname or alias.name, node.lineno)
                elif isinstance(inner, ast.Name) and isinstance(inner.ctx, ast.Store):
                    found.setdefault(inner.id, node.lineno)
    return found


def import_time_notes(source: Source, paths: list[str]) -> list[str]:
    notes = []
    for path in paths:
        cls = griffe_class(source, path)
        if cls is None or cls.filepath is None:
            continue
        chosen = _conditional_names(Path(cls.filepath))
        for base, base_path in zip(cls.bases, base_paths(cls)):
            head = str(base).partition(".")[0]
            if head in chosen:
                where_ = f"{source.display(cls.filepath)}:{chosen[head]}"
                branch = source.backend and _branch_import(
                    Path(cls.filepath), head, source.backend
                )
                if branch:
                    notes.append(
                        f"`{cls.name}`'s base `{base}` is chosen at import time "
                        f"(`{where_}`); this chain follows the "
                        f"`{source.backend}` backend's branch "
                        f"(`{branch.rpartition('.')[2]}`)."
                    )
                    continue
                notes.append(
                    f"`{cls.name}`'s base `{base}` is chosen at import time "
                    f"(`{where_}`); the static chain follows one branch "
                    f"(`{resolved_path(source, base_path).rpartition('.')[2]}`): "
                    "run with --runtime for the chain Python builds."
                )
    return notes


@cache
def subclass_index(source: Source) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for cls in all_classes(source):
        for base in base_paths(cls):
            index.setdefault(resolved_path(source, base), []).append(cls.path)
    return {base: sorted(set(subs)) for base, subs in index.items()}
