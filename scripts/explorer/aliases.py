"""Public paths read from the export decorators with a plain `ast` scan.

`@export("nanokeras.ops.divide", "nanokeras.ops.true_divide")` above a
function, or `@keras_export(["keras.Layer", "keras.layers.Layer"])` above a
class, gives that definition its public paths. The arguments are read with
`ast.literal_eval`, so a string, a list or a tuple all work. Only files that
mention the decorator are read, and of those only the decorator lines of
top-level definitions are parsed (a file with an indented export is parsed
whole): all of Keras 3 takes about 0.15 s of CPU.
"""

import ast
import re
from dataclasses import dataclass, field
from functools import cache

from scripts.explorer.source import (
    API_PACKAGE,
    BrokenSourceError,
    ExploreError,
    Source,
    not_found,
    read_source,
    source_for,
)


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


def _export_paths(call: ast.Call, where: str) -> list[str]:
    """The public paths of `@export("a", "b")` or `@keras_export(["a", "b"])`.

    `where` (`file:line`) names the decorator when an argument is not a
    string or a list of strings: that is a mistake in the package, reported
    rather than guessed around.
    """
    paths = []
    # TensorFlow's `v1=[...]` names belong to API version 1 only: a package
    # that uses them is read with `api=` (scripts/explorer/exports.py).
    keywords = [
        kw.value
        for kw in call.keywords
        if kw.arg not in ("v1", "allow_multiple_exports")
    ]
    for arg in [*call.args, *keywords]:
        try:
            value = ast.literal_eval(arg)
        except ValueError:
            continue  # a computed path cannot be read statically
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list | tuple) or not all(
            isinstance(item, str) for item in values
        ):
            raise BrokenSourceError(
                f"{where}: the export decorator was called with {value!r}; "
                "public paths must be strings (or a list of strings)"
            )
        paths.extend(values)
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
                for path in _export_paths(dec, f"{file}:{dec.lineno}"):
                    out.append(Alias(path, kind, module, qualname, file, line))
        if isinstance(node, ast.ClassDef):
            _scan(node.body, module, qualname + ".", decorator, file, out)


_HEADER = re.compile(r"(?:async\s+def|def|class)\s+(\w+)")
# Lines that can sit between a decorator and the decorators above it: more
# decorators, their indented or closing continuation lines, comments.
_IN_GROUP = tuple(" \t)]}@#")


def _scan_top_level(
    lines: list[str], text: str, decorator: str, file: str
) -> list | None:
    """The fast path: parse only the decorator lines of top-level definitions.

    Parsing a whole file costs far more than its decorators, and every export
    in Keras sits above a top-level `def` or `class`. Returns
    `[(first decorator line, kind, name, paths)]`, or None when a decorator is
    indented (a method, or a definition under an `if`) or a slice does not
    parse: the caller then parses the whole file.
    """
    pattern = rf"^([ \t]*)@[ \t]*(?:[\w.]+\.)?{re.escape(decorator)}[ \t]*\("
    found, seen = [], set()
    for match in re.finditer(pattern, text, re.MULTILINE):
        if match.group(1):
            return None
        line = text.count("\n", 0, match.start())
        start, above = line, line - 1
        while above >= 0 and lines[above].startswith(_IN_GROUP):
            start = above if lines[above].startswith("@") else start
            above -= 1
        header = line + 1
        while header < len(lines) and not _HEADER.match(lines[header]):
            header += 1
        if header == len(lines):
            return None
        if start in seen:  # two export decorators on one definition
            continue
        seen.add(start)
        try:
            stub = "\n".join(lines[start:header]) + "\nclass _:\n    pass\n"
            decorators = ast.parse(stub).body[0].decorator_list
        except SyntaxError:
            return None
        kind = "class" if lines[header].startswith("class") else "function"
        name = _HEADER.match(lines[header]).group(1)
        paths = [
            path
            for dec in decorators
            if isinstance(dec, ast.Call) and _decorator_name(dec.func) == decorator
            for path in _export_paths(dec, f"{file}:{start + dec.lineno}")
        ]
        found.append((start + 1, kind, name, paths))
    return found


def _versioned_table(source: Source) -> AliasTable:
    """The names of one API version (`source.api`), every export form read."""
    from scripts.explorer.exports import scan

    entries = [
        Alias(e.public_path, e.kind, e.module, e.qualname, e.file, e.line)
        for e in scan(source, source.tf_versions, source.skip_modules)
        if e.api == source.api and not e.public_path.startswith(source.other_namespaces)
    ]
    if not entries:
        raise ExploreError(
            f"no {source.api} names exported with @{source.decorator} "
            f"in {source.package}"
        )
    return AliasTable(source.package, source.decorator, entries)


@cache
def alias_table(source: Source) -> AliasTable:
    if source.api is not None:
        return _versioned_table(source)
    entries: list[Alias] = []
    for module, path in source.files():
        text = read_source(source, path)
        if source.decorator not in text:  # most files: no need to parse
            continue
        file = source.display(path)
        fast = _scan_top_level(text.splitlines(), text, source.decorator, file)
        if fast is None:
            tree = ast.parse(text, filename=str(path))
            _scan(tree.body, module, "", source.decorator, file, entries)
            continue
        for line, kind, name, paths in fast:
            entries += [Alias(p, kind, module, name, file, line) for p in paths]
    if not entries:
        seen = set()
        for _, path in source.files():
            text = read_source(source, path)
            seen.update(re.findall(r"@\s*([A-Za-z_][\w.]*)\s*\(", text))
        names = {name.rpartition(".")[2] for name in seen}
        raise not_found("decorator", source.decorator, names, f" in {source.package}")
    _refuse_duplicates(entries)
    return AliasTable(source.package, source.decorator, entries)


def _refuse_duplicates(entries: list[Alias]) -> None:
    """One public path, one definition: two would make every answer a guess."""
    first: dict[str, Alias] = {}
    for entry in entries:
        other = first.setdefault(entry.public_path, entry)
        if other is not entry and other.implementation != entry.implementation:
            raise BrokenSourceError(
                f"public path {entry.public_path!r} is exported twice: by "
                f"{other.implementation} ({other.file}:{other.line}) and by "
                f"{entry.implementation} ({entry.file}:{entry.line})"
            )


def aliases(
    package: str = API_PACKAGE, decorator: str | None = None, api: str | None = None
) -> AliasTable:
    """Every public path of `package`, read from its export decorators.

    `api="v1"`/`"v2"` reads one of TensorFlow's API versions (tf.keras 2.x's
    `keras_export(..., v1=[...])`); the pinned releases (`keras==2.6.0`,
    `keras==3.15.1`) default to v2.
    """
    return alias_table(source_for(package, decorator, api))


def where(
    public_path: str, package: str | None = None, decorator=None, api=None
) -> Alias:
    """The definition behind one public path."""
    table = aliases(package or package_of(public_path), decorator, api)
    found = table.by_public_path()
    if public_path not in found:
        raise not_found("public path", public_path, found, f" in {table.package}")
    return found[public_path]


def package_of(path: str) -> str:
    top = path.partition(".")[0]
    if (
        "." not in path
        or top == API_PACKAGE
        or top in source_for(API_PACKAGE).top_modules
    ):
        return API_PACKAGE
    return top
