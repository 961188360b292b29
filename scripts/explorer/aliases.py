"""Public paths read from the export decorators with a plain `ast` scan.

`@export("nanokeras.ops.divide", "nanokeras.ops.true_divide")` above a
function, or `@keras_export(["keras.Layer", "keras.layers.Layer"])` above a
class, gives that definition its public paths. The arguments are read with
`ast.literal_eval`, so a string, a list or a tuple all work. Only files that
mention the decorator are parsed: all of Keras 3 takes well under a second.
"""

import ast
import re
from dataclasses import dataclass, field
from functools import cache

from scripts.explorer.source import (
    API_PACKAGE,
    Source,
    not_found,
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
def alias_table(source: Source) -> AliasTable:
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
        raise not_found("decorator", source.decorator, names, f" in {source.package}")
    return AliasTable(source.package, source.decorator, entries)


def aliases(package: str = API_PACKAGE, decorator: str | None = None) -> AliasTable:
    """Every public path of `package`, read from its export decorators."""
    return alias_table(source_for(package, decorator))


def where(public_path: str, package: str | None = None, decorator=None) -> Alias:
    """The definition behind one public path."""
    table = aliases(package or package_of(public_path), decorator)
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
