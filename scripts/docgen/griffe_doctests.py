"""A griffe extension: doctests in docstrings render as code on API pages.

nanokeras docstrings show examples as doctests (`>>> layer(x)` and the output
below it) under an `Example:` line, as Keras's do. griffe's Google parser
only knows `Examples:` as a section, so under `Example:` the doctest is
Markdown text: `>>>` turns into nested quotes and `__init__` into bold.
This extension fences every doctest run as ```pycon before the docstring is
parsed, the way the annotated source does (scripts/docgen/prose.py).

The API reference pages (scripts/docgen/reference.py) load it through their
mkdocstrings options: `extensions: [scripts/docgen/griffe_doctests.py]`.
"""

from typing import Any

import griffe

from scripts.docgen.prose import fence_doctests


class FenceDoctests(griffe.Extension):
    """Wrap the doctests of every docstring in ```pycon fences."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        docstring = obj.docstring
        if docstring is not None and ">>>" in docstring.value:
            docstring.value = fence_doctests(docstring.value.split("\n"))
