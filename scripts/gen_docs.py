"""The site's one gen-files script: write every generated page at build time.

Listed in mkdocs.yml under `gen-files: scripts:`. MkDocs runs it during each
build; the pages it writes exist only in the build (nothing generated is
committed), so they always match the code. Each generator in `scripts/docgen/`
returns `{docs-relative path: Markdown}` from a `pages()` function.
"""

import sys
from pathlib import Path

import mkdocs_gen_files

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.docgen import (  # noqa: E402
    GENERATED,
    aliases,
    backlinks,
    chain,
    comparison,
    reference,
    source,
    traces,
)


def write(pages: dict[str, str]) -> None:
    """Hand generated pages to mkdocs-gen-files (docs-relative paths).

    Each page a tutorial links to says where it is explained (backlinks.py).
    """
    pages = backlinks.add_backlinks(pages)
    for path, text in pages.items():
        with mkdocs_gen_files.open(path, "w") as page:
            page.write(text)
    GENERATED.update(pages)


# Real Keras is traced in subprocesses that run while the pages below are
# written (scripts/docgen/traces.py).
traces.start()

# The annotated source (source/) and the API reference (reference/) come
# first: the pages below link into them only once they exist. Their calls
# (scripts/docgen/source.py and reference.py) go here.
write(source.pages())
write(reference.pages())
write(chain.pages())
write(aliases.pages())
write(comparison.pages())
write(traces.pages())
