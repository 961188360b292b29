"""MkDocs hook: put each call trace into the chapter that explains it.

A chapter asks for a trace with one comment line of its own,

    <!-- trace: fit -->

which stays invisible wherever the Markdown is read without this hook (on
GitHub, in the downloaded notebooks). While the site is built, the line
becomes the collapsible block of `scripts/docgen/traces.py`: our call tree
beside Keras 3's, linked to the source lines. The traces themselves were
recorded by the gen-files script earlier in the same build. A marker naming
no trace stops the build.
"""

import re
from typing import Any

from mkdocs.exceptions import PluginError

_MARKER = re.compile(r"^<!-- trace: ([\w-]+) -->$", re.MULTILINE)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if "<!-- trace:" not in markdown:
        return markdown
    from scripts.docgen import traces

    def embed(match: re.Match) -> str:
        name = match.group(1)
        if name not in traces.RESULTS:
            raise PluginError(
                f"{page.file.src_uri}: `<!-- trace: {name} -->` names no trace; "
                f"the traces are {', '.join(sorted(traces.BY_NAME))}"
            )
        return traces.embed_html(name, page.file.src_uri)

    return _MARKER.sub(embed, markdown)
