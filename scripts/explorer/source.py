"""Where a package's code lives, found without importing it.

nanokeras is the repository itself (its top-level packages and modules, minus
the generated `nanokeras/` API, scripts, tests and docs); any other package is
found on `sys.path` with `importlib.util.find_spec`, which reads no code.
"""

import difflib
import importlib.util
import pkgutil
import tokenize
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from scripts.paths import API_PACKAGE, ROOT, implementation
from scripts.realkeras import sources


class ExploreError(Exception):
    """Bad input: the message is one line naming what was not found."""


class BrokenSourceError(ExploreError):
    """The package's own source is faulty (unreadable, contradictory)."""


def not_found(what: str, query: str, candidates, where: str = "") -> ExploreError:
    close = difflib.get_close_matches(query, list(candidates), n=3, cutoff=0.6)
    hint = f"; closest: {', '.join(close)}" if close else "; nothing close"
    return ExploreError(f"{what} {query!r} not found{where}{hint}")


@dataclass(frozen=True)
class Source:
    """A package as files on disk: the repo for nanokeras, site-packages else."""

    package: str  # the public root: "nanokeras", "keras"
    decorator: str  # "export", "keras_export"
    search_path: Path  # the folder holding the top-level modules
    top_modules: tuple[str, ...]  # what griffe loads
    # TensorFlow's API version to read ("v1" or "v2"); None: the package's only
    # API, read by the fast decorator scan (scripts/explorer/aliases.py).
    api: str | None = None
    tf_versions: bool = False  # `keras_export(..., v1=[...])` (tf.keras 2.x)
    # Modules not scanned for exports (a wheel's generated API package), and
    # public prefixes that belong to another namespace (Keras 3 routes
    # `keras._legacy.*` to `keras._tf_keras`, not to `keras`).
    skip_modules: tuple[str, ...] = ()
    other_namespaces: tuple[str, ...] = ()
    release: str = ""  # a pinned reference release ("keras==2.6.0"), if one
    # Keras 3 picks some bases per backend while importing (`if
    # backend.backend() == "tensorflow": from ... import TFLayer as
    # BackendLayer`): the static chain follows this backend's branch.
    backend: str = ""
    # Bases of classes outside the package that a chain should still show,
    # as ((class path, (its bases, ...)), ...): TensorFlow's `tf.Module` for
    # tf.keras 2.6, whose code is not in the keras wheel.
    outside_bases: tuple[tuple[str, tuple[str, ...]], ...] = ()

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
                if any(is_test(part) for part in parts):
                    continue  # a package's tests are not its API
                found.append((".".join(parts), path))
        return found

    def display(self, path: str | Path) -> str:
        """A file path as shown to readers: relative to the search path."""
        # griffe reports files with symlinks resolved: a search path reached
        # through a link (a shared `.cache/reference`, a linked virtualenv)
        # is compared resolved too.
        for folder in (self.search_path, self.search_path.resolve()):
            if Path(path).is_relative_to(folder):
                return Path(path).relative_to(folder).as_posix()
        return str(path)


def default_decorator(package: str) -> str:
    return "export" if package == API_PACKAGE else f"{package}_export"


def source_for(
    package: str = API_PACKAGE, decorator: str | None = None, api: str | None = None
) -> Source:
    """Locate `package` without importing it (the repository for nanokeras).

    `keras==2.6.0` and `keras==3.15.1` name the pinned reference wheels
    (scripts/realkeras/sources.py), unpacked and read in place. `api` picks
    TensorFlow's API version ("v1"/"v2") of a package exporting with
    `keras_export(..., v1=...)`.
    """
    found = _source_for(package, decorator)
    if api is None:
        return found
    if api not in ("v1", "v2"):
        raise ExploreError(f"api must be 'v1' or 'v2', got {api!r}")
    if api == "v1" and not found.tf_versions and found.package == API_PACKAGE:
        raise ExploreError(f"{API_PACKAGE} has one API; --api v1 is for tf.keras")
    return replace(found, api=api)


@cache
def _source_for(package: str, decorator: str | None) -> Source:
    if "==" in package:
        try:
            release = sources.release_of(package)
        except KeyError as error:
            raise ExploreError(str(error.args[0])) from None
        return release_source(release)
    decorator = decorator or default_decorator(package)
    if package == API_PACKAGE:
        tops = [e.name if e.is_dir() else e.stem for e in implementation()]
        return Source(package, decorator, ROOT, tuple(tops))
    try:
        spec = importlib.util.find_spec(package) if "." not in package else None
    except (ImportError, ValueError):
        spec = None
    if spec is None or not (spec.submodule_search_locations or spec.origin):
        installed = {m.name for m in pkgutil.iter_modules()} | {API_PACKAGE}
        raise not_found("package", package, installed, " (not installed)")
    if spec.submodule_search_locations:
        folder = Path(list(spec.submodule_search_locations)[0])
    else:
        # A frozen module (`os` since Python 3.11) still names its source file.
        filename = spec.origin
        if spec.origin == "frozen":
            filename = getattr(spec.loader_state, "filename", None)
        if not filename or not Path(filename).is_file() or filename[-3:] != ".py":
            raise ExploreError(
                f"package {package!r} has no Python source to read "
                f"(origin: {spec.origin}): it is built into the interpreter "
                "or compiled"
            )
        folder = Path(filename).with_suffix("")
    return Source(package, decorator, folder.parent, (package,))


def release_source(release: sources.Release) -> Source:
    """A pinned release of Keras: package `keras` in its unpacked wheel."""
    return Source(
        "keras",
        "keras_export",
        sources.fetch(release),
        ("keras",),
        api="v2",
        tf_versions=release.tf_versions,
        skip_modules=release.skip_modules,
        other_namespaces=release.other_namespaces,
        release=f"keras=={release.version}",
        backend=release.backend,
        outside_bases=release.outside_bases,
    )


def read_source(source: Source, path: Path) -> str:
    """A Python file's text, decoded as Python decodes it (PEP 263 cookie).

    A file Python itself could not read is bad input, not a crash: the error
    names the file and the offending byte.
    """
    try:
        with tokenize.open(path) as file:
            return file.read()
    except (UnicodeDecodeError, SyntaxError) as error:
        reason = str(error).splitlines()[0]
        raise BrokenSourceError(
            f"cannot read {source.display(path)}: not valid Python source "
            f"({reason}). Save it as UTF-8 or declare its encoding "
            "(`# -*- coding: latin-1 -*-`)"
        ) from None


def is_test(name: str) -> bool:
    return name.endswith("_test") or name.startswith("test_") or name == "tests"
