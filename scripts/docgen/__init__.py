"""Generators of the site's pages, called by `scripts/gen_docs.py` at build time.

Each generator module has a `pages()` function returning `{docs-relative path:
Markdown text}`; nothing it produces is committed. The URL conventions are
shared by all of them (see the site contract):

- annotated source of `engine/base_layer.py` -> `source/engine/base_layer.md`,
  line N anchored as `#LN`;
- API reference of `nanokeras.layers.Dense` -> `reference/nanokeras/layers/Dense.md`
  (another public path of the same object redirects to that page);
- class chain of a public class -> `chain/<canonical public path>.md`;
- import aliases -> `aliases/index.md` and `aliases/reverse.md`;
- call traces -> `traces/<workload>.md` (scripts/docgen/traces.py).

The helpers below build those links from any generated page, so a page never
spells a URL by hand.
"""

import posixpath
import re
from functools import cache

from scripts import explorer

# Every page generated so far in this build, docs-relative path -> Markdown
# (filled by `scripts/gen_docs.py`). Links to the annotated source and the API
# reference are written only once those pages exist, so a strict build never
# points at a page nobody generated; gen_docs.py runs their generators first.
GENERATED: dict[str, str] = {}

_ANCHOR = re.compile(r"""\bid=["']L(\d+)["']|\{#L(\d+)\b""")
_anchors: dict[str, tuple[int, set[int]]] = {}


def anchored_lines(page: str) -> set[int]:
    """The line numbers N that generated page `page` has an `L<N>` anchor for."""
    text = GENERATED.get(page, "")
    cached = _anchors.get(page)
    if cached is None or cached[0] != id(text):
        lines = {int(a or b) for a, b in _ANCHOR.findall(text)}
        _anchors[page] = cached = (id(text), lines)
    return cached[1]


def relative(target: str, page: str) -> str:
    """The link from docs page `page` to docs path `target` (both docs-relative)."""
    anchor = ""
    if "#" in target:
        target, anchor = target.split("#", 1)
        anchor = "#" + anchor
    start = posixpath.dirname(page) or "."
    return posixpath.relpath(target, start) + anchor


def source_page(file: str) -> str:
    """`engine/base_layer.py` -> `source/engine/base_layer.md`."""
    return "source/" + posixpath.splitext(file)[0] + ".md"


def source_link(file: str, line: int, page: str, text: str | None = None) -> str:
    """Markdown for `file:line`, linked to that line of the annotated source."""
    label = f"`{text or f'{file}:{line}'}`"
    target = source_page(file) if file else ""
    if target not in GENERATED:
        return label
    # A file edited while the site builds can be shorter on its source page
    # than when it was traced: then the link opens the page, not a dead anchor.
    anchor = f"#L{line}" if line in anchored_lines(target) else ""
    return f"[{label}]({relative(target + anchor, page)})"


@cache
def _main_paths() -> dict[str, str]:
    """Every public path -> the main (first exported) path of its object."""
    return {
        alias.public_path: group[0].public_path
        for group in explorer.aliases().reverse().values()
        for alias in group
    }


def canonical_paths() -> dict[tuple[str, str], str]:
    """`(module, qualname)` -> the canonical public path of every public object."""
    return {
        (group[0].module, group[0].qualname): group[0].public_path
        for group in explorer.aliases().reverse().values()
    }


def reference_page(public_path: str) -> str:
    """`nanokeras.layers.Dense` -> `reference/nanokeras/layers/Dense.md`.

    Another public path of the same object (`nanokeras.models.Model`) gives
    the main path's page: only that one is rendered (scripts/docgen/reference.py).
    """
    main = _main_paths().get(public_path, public_path)
    return "reference/" + main.replace(".", "/") + ".md"


def address(page: str) -> str:
    """The folder URL MkDocs serves a docs page at: `a/b.md` -> `a/b/`."""
    stem = posixpath.splitext(page)[0]
    if posixpath.basename(stem) == "index":
        stem = posixpath.dirname(stem)
    return stem + "/" if stem else ""


def chain_page(public_path: str) -> str:
    """`nanokeras.Sequential` -> `chain/nanokeras.Sequential.md`."""
    return f"chain/{public_path}.md"


def cell(text: str) -> str:
    """Text that is safe inside one Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


@cache
def chain_of(implementation: str) -> explorer.Chain:
    """`explorer.chain` of a class, traced once a build for every page using it."""
    return explorer.chain(implementation)
