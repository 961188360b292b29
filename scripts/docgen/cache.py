"""A small disk cache for build steps whose inputs are pinned packages.

Tracing real Keras (griffe parses its ~700 modules, then `import keras`)
takes several seconds, yet its answer only changes when the installed Keras
or our explorer code changes. `cached()` keeps such an answer in
`.cache/docs/` under a key made of those inputs, so the next build (and
every rebuild of `mkdocs serve`) reads it back instead. Deleting the folder
is always safe.
"""

import hashlib
import pickle
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from scripts.paths import DOCS_CACHE

# Where the answers are kept (a test points it at a temporary folder).
FOLDER = DOCS_CACHE
T = TypeVar("T")


def key(name: str, packages: tuple[str, ...], code: tuple[Path, ...]) -> str:
    """A file name for `name` that changes with the packages' versions and code."""
    digest = hashlib.sha256(name.encode())
    for package in packages:
        try:
            digest.update(f"{package}=={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package} missing".encode())
    for path in code:
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.read_bytes())
    return f"{name}-{digest.hexdigest()[:16]}.pickle"


def is_cached(name: str, packages: tuple[str, ...], code: tuple[Path, ...]) -> bool:
    """Whether `cached()` with these inputs would answer from disk."""
    return (FOLDER / key(name, packages, code)).exists()


def cached(
    name: str,
    packages: tuple[str, ...],
    code: tuple[Path, ...],
    compute: Callable[[], T],
) -> T:
    """`compute()`, or its answer from the last build with the same inputs."""
    path = FOLDER / key(name, packages, code)
    if path.exists():
        try:
            return pickle.loads(path.read_bytes())
        except Exception:  # a cache from another Python: compute again
            pass
    value = compute()
    FOLDER.mkdir(parents=True, exist_ok=True)
    for old in FOLDER.glob(f"{name}-*.pickle"):
        old.unlink()
    path.write_bytes(pickle.dumps(value))
    return value
