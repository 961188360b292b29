"""MkDocs hook: let the site's build import the repository's own code.

Listed under `hooks:` in mkdocs.yml. Two things need `import nanokeras` during
a build: markdown-exec, which runs every tutorial snippet, and the gen-files
script `scripts/gen_docs.py`, which writes the chain, alias and source pages.
MkDocs loads this file with a temporary `sys.path` that it restores right
after, so the repository root is added in `on_config`, which runs at the start
of every build.

Under `mkdocs serve` the same Python process rebuilds the site after each
edit. Modules imported by the previous build would stay cached in
`sys.modules` and the pages would show stale code, so `on_config` also forgets
every module that was loaded from the repository.

Finally, the `SUMMARY.md` files only feed mkdocs-literate-nav (the hand-written
one in docs/ and one per generated folder). `on_files` drops them after
literate-nav has read them, so they are not rendered as pages of their own.

mermaid.js (2.7 MB, served by the site itself) is listed in `extra_javascript`
so that Material finds a global `mermaid` and never fetches it from a CDN.
Material only needs it on a page that has a diagram, so `on_post_page` drops
the script from the other pages (most API reference and source pages), which
saves the browser parsing it on every page.
"""

import re
import sys
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parent.parent
# Third-party code that lives inside the repository folder is never reloaded.
_NOT_OURS = (ROOT / ".venv", ROOT / "node_modules")


def _is_repository_module(module: Any) -> bool:
    file = getattr(module, "__file__", None)
    if not file or Path(file).resolve() == Path(__file__).resolve():
        return False
    path = Path(file).resolve()
    if not path.is_relative_to(ROOT):
        return False
    return not any(path.is_relative_to(folder) for folder in _NOT_OURS)


def on_config(config: Any) -> Any:
    """Put the repository root first on `sys.path` and drop stale modules."""
    root = str(ROOT)
    if root not in sys.path:
        sys.path.insert(0, root)
    for name, module in list(sys.modules.items()):
        if _is_repository_module(module):
            del sys.modules[name]
    return config


# literate-nav reads the nav files at priority -100; this runs after it.
@event_priority(-110)
def on_files(files: Any, config: Any) -> Any:
    """Drop every `SUMMARY.md`: it is navigation, not a page."""
    for file in list(files):
        if file.is_documentation_page() and Path(file.src_uri).name == "SUMMARY.md":
            files.remove(file)
    return files


_MERMAID_SCRIPT = re.compile(
    r'<script src="[^"]*assets/javascripts/mermaid\.min\.js"></script>\s*'
)


def on_post_page(output: str, page: Any, config: Any) -> str:
    """Load mermaid.js only where there is a diagram to draw."""
    if 'class="mermaid"' in output:
        return output
    return _MERMAID_SCRIPT.sub("", output)
