"""The site's one gen-files script: write every generated page at build time.

Listed in mkdocs.yml under `gen-files: scripts:`. MkDocs runs it during each
build; the pages it writes exist only in the build (nothing generated is
committed), so they always match the code. Each generator in `scripts/docgen/`
returns `{docs-relative path: Markdown}` from a `pages()` function.

Generating takes seconds (griffe reads the package, pygments colours every
file), so the pages are kept in `.cache/docs/` (scripts/docgen/cache.py) and
reused while the Python files and the packages named in `PACKAGES` stay the
same. A generator that reads anything else must add it to `INPUTS`.

MkDocs runs this file by its path once the build hook (scripts/mkdocs_hooks.py)
has put the repository root first on `sys.path`, so `scripts` below is this
checkout's.
"""

import mkdocs_gen_files

from scripts.docgen import (
    GENERATED,
    aliases,
    backlinks,
    cache,
    chain,
    comparison,
    real_keras,
    reference,
    side_by_side,
    source,
    traces,
)
from scripts.paths import ROOT
from scripts.realkeras import facts


def generate() -> tuple[dict[str, str], dict]:
    """Every generated page, in the order the generators need them, and the
    call traces the chapters embed (`traces.RESULTS`)."""
    # Real Keras is imported, and its wheels read, only in subprocesses, which
    # run while the other pages are written (scripts/docgen/traces.py,
    # comparison.py, scripts/realkeras/facts.py).
    traces.start()
    comparison.start()
    facts.start()
    found: dict[str, str] = {}
    # The annotated source (source/) and the API reference (reference/) come
    # first: the pages below link into them only once they exist (GENERATED).
    generators = (source, reference, chain, aliases, comparison, traces)
    # Real Keras: the pinned wheels, read statically (parsed once, cached).
    generators += (real_keras, side_by_side)
    for generator in generators:
        pages = generator.pages()
        GENERATED.update(pages)
        found.update(pages)
    return found, dict(traces.RESULTS)


# The pages depend on the repository's Python files and the installed
# packages below, nothing else: when none changed since the last build (a
# tutorial edit under `mkdocs serve`, say), the last build's pages are reused.
INPUTS = tuple(
    path
    for path in sorted(ROOT.iterdir())
    if path.suffix == ".py"
    or (path.is_dir() and path.name == "scripts")
    or (path / "__init__.py").exists()
    and path.name not in {"tests", "benchmarks", "docs", "site"}
)
PACKAGES = ("griffe", "keras", "jax", "mkdocstrings-python")

pages, traced = cache.cached("generated-pages", PACKAGES, INPUTS, generate)
GENERATED.update(pages)
traces.RESULTS.update(traced)
# Each page a tutorial links to says where it is explained. This reads the
# tutorials, so it runs on every build.
for path, text in backlinks.add_backlinks(pages).items():
    with mkdocs_gen_files.open(path, "w") as page:
        page.write(text)
