"""Where things are in the repository: the one module that knows the root.

Every script and docs generator takes its locations from here, so the root is
computed once, from this file's place (`scripts/paths.py`), and a moved clone,
a copy of the repository or a second checkout sharing one virtualenv each find
their own files.

A file run by its path (`python scripts/explore.py`, or a hook MkDocs loads
from `mkdocs.yml`) is not part of the `scripts` package, and Python (or MkDocs)
puts its own folder, `scripts/`, first on `sys.path`: another clone named by
the virtualenv could answer `import scripts`. Such a file imports this module
as its sibling, then puts the root first before importing anything else:

    try:
        from . import paths  # imported as part of the `scripts` package
    except ImportError:  # run by its path: scripts/ is first on sys.path
        import paths

    paths.put_root_first()
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The public API package, written by scripts/gen_api.py from the `@export`
# registry; the implementation never imports it.
API_PACKAGE = "nanokeras"
# Top-level folders and files of the repository that are not implementation code.
NOT_IMPLEMENTATION = {API_PACKAGE, "scripts", "tests", "benchmarks", "docs", "site"}

SCRIPTS = ROOT / "scripts"
DOCS = ROOT / "docs"
TUTORIALS = DOCS / "tutorials"
# Answers of slow build steps, keyed by their inputs (scripts/docgen/cache.py).
DOCS_CACHE = ROOT / ".cache" / "docs"
# The pinned Keras wheels, unpacked and read in place (scripts/realkeras/sources.py).
REFERENCE_CACHE = ROOT / ".cache" / "reference"


def implementation(root: Path = ROOT) -> list[Path]:
    """The top-level packages and modules of the implementation, sorted by name.

    A package is a folder with an `__init__.py`; hidden and private names and
    the entries of `NOT_IMPLEMENTATION` are not implementation code. The API
    generator, the explorer and the annotated source all start from this list.
    """
    found = []
    for entry in sorted(root.iterdir()):
        if entry.name.startswith((".", "_")) or entry.name in NOT_IMPLEMENTATION:
            continue
        if entry.is_dir() and (entry / "__init__.py").exists():
            found.append(entry)
        elif entry.is_file() and entry.suffix == ".py":
            found.append(entry)
    return found


def put_root_first() -> None:
    """Put the repository root on `sys.path` (first), if it is not there yet.

    `import scripts...`, `import engine...` then read this checkout's files,
    even when the virtualenv's editable install names another clone.
    """
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
