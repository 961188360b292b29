"""MkDocs hook: the build imports the repository's code; weight, search, serve.

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

The site's weight and search are kept in check here too (the limits are
tested in tests/docs/test_site_weight.py): the annotated source, the chain
pages and the alias lists stay out of the search index, and so do the
signatures, parameter tables and inherited members of the API reference;
each page's HTML loses its template indentation; the other public paths of
an API object are redirects to its page, not pages; the footer names the
versions compared; and `make serve` (`mkdocs serve --dirty`) renders again
only the pages whose Markdown changed (see `_skip_unchanged`).

mermaid.js (2.7 MB, served by the site itself) is listed in `extra_javascript`
so that Material finds a global `mermaid` and never fetches it from a CDN.
Material only needs it on a page that has a diagram, so `on_post_page` drops
the script from the other pages (most API reference and source pages), which
saves the browser parsing it on every page.

Snippets show what the library writes to `sys.stdout`, too. markdown-exec
only collects the snippet's own `print` calls: it puts a `print` bound to a
buffer in the snippet's globals. Code in the library does not see that
`print`, so the progress lines of `fit`, the table of `model.summary()` and
the messages of callbacks would vanish from the page, and a learner copying
the snippet would see more in a terminal than the page shows. `on_config`
therefore wraps the function markdown-exec runs each Python (and pycon) block
with, `exec_python`, in `contextlib.redirect_stdout` to a stream that hands
every write to that same `print`: both kinds of output land in one buffer, in
the order they were written. The hooked name is private; markdown-exec is
pinned in requirements/docs.txt, and if an upgrade moves it the build stops
with an error naming it rather than quietly dropping output again.
"""

import contextlib
import functools
import hashlib
import html
import io
import json
import logging
import posixpath
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

try:
    from . import paths
except ImportError:  # loaded by MkDocs from its path, with scripts/ first on sys.path
    import paths

# Third-party code that lives inside the repository folder is never reloaded.
_NOT_OURS = (paths.ROOT / ".venv", paths.ROOT / "node_modules")


def _is_repository_module(module: Any) -> bool:
    file = getattr(module, "__file__", None)
    if not file or Path(file).resolve() == Path(__file__).resolve():
        return False
    path = Path(file).resolve()
    if not path.is_relative_to(paths.ROOT):
        return False
    return not any(path.is_relative_to(folder) for folder in _NOT_OURS)


class PrintStream(io.TextIOBase):
    """A text stream whose writes go to a snippet's `print` (not a terminal)."""

    def __init__(self, print_: Callable[..., Any]):
        self._print = print_

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._print(text, end="")
        return len(text)


def _capture_stdout(exec_python: Callable[..., Any]) -> Callable[..., Any]:
    """`exec_python`, with `sys.stdout` sent to the `print` the snippet got."""

    @functools.wraps(exec_python)
    def run(code: str, filename: str, exec_globals: dict[str, Any]) -> Any:
        print_ = exec_globals.get("print")
        if print_ is None:
            raise PluginError(
                "scripts/mkdocs_hooks.py: markdown-exec gave the snippet no `print`"
                " to collect output with; update the hook for this version"
            )
        # A snippet runs as the reader's script or notebook does, in
        # `__main__`: a class it defines must not print markdown-exec's
        # internal module name (`_code_block_session_...`) as its module.
        exec_globals["__name__"] = "__main__"
        with contextlib.redirect_stdout(PrintStream(print_)):
            return exec_python(code, filename, exec_globals)

    run.captures_stdout = True  # type: ignore[attr-defined]
    return run


def capture_snippet_stdout() -> None:
    """Make markdown-exec's Python blocks show `sys.stdout` too (see above)."""
    try:
        from markdown_exec._internal.formatters import python as formatter
    except ImportError as error:
        raise PluginError(
            "scripts/mkdocs_hooks.py: cannot import "
            "markdown_exec._internal.formatters.python to capture sys.stdout in "
            f"snippets ({error}); update the hook for this markdown-exec version"
        ) from error
    exec_python = getattr(formatter, "exec_python", None)
    run_python = getattr(formatter, "_run_python", None)
    # Replacing the module's name only helps if the runner looks it up there.
    code = getattr(run_python, "__code__", None)
    calls_it = code is not None and "exec_python" in code.co_names
    if not callable(exec_python) or not calls_it:
        raise PluginError(
            "scripts/mkdocs_hooks.py: markdown-exec no longer runs snippets "
            "through markdown_exec._internal.formatters.python.exec_python, so "
            "library output to sys.stdout would vanish from the pages; update the "
            "hook for this markdown-exec version"
        )
    if not getattr(exec_python, "captures_stdout", False):
        formatter.exec_python = _capture_stdout(exec_python)


# The Keras releases the site compares nanokeras with: tf.keras 2.6.0 is the
# one the "Keras source" book reads; Keras 3 is the pin in
# requirements/constraints.txt.
BOOK_KERAS = "2.6.0"


def versions_footer() -> str:
    """The footer line: nanokeras's version and the Keras releases compared."""
    import tomllib

    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pins = (paths.ROOT / "requirements" / "constraints.txt").read_text(encoding="utf-8")
    keras3 = re.search(r"^keras==(\S+)", pins, re.MULTILINE)
    return (
        f"nanokeras {project['project']['version']} · compared with "
        f"tf.keras {BOOK_KERAS} (the book's internals) and "
        f"Keras {keras3.group(1) if keras3 else '3'}"
    )


def on_config(config: Any) -> Any:
    """Put the repository root first on `sys.path`, drop stale modules, make
    snippets show what they write to `sys.stdout`, and write the footer."""
    config["copyright"] = versions_footer()
    paths.put_root_first()
    for name, module in list(sys.modules.items()):
        if _is_repository_module(module):
            del sys.modules[name]
    capture_snippet_stdout()
    return config


# `make serve` runs `mkdocs serve --dirty`: after an edit only the pages whose
# Markdown changed are rendered again, so a tutorial edit shows in seconds.
# MkDocs decides by file times, and gen-files writes every generated page anew
# on each build; `_LAST_BUILD` remembers each page's text from the previous
# build (this module lives as long as the server), so an unchanged generated
# page is not rendered again. A change to the code re-renders the tutorials
# too: their outputs come from running it.
_SERVE = {"dirty": False}
_LAST_BUILD: dict[str, str] = {}


class _DirtyNotice(logging.Filter):
    """Drop MkDocs's warning about --dirty builds, which --strict would count."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


def on_startup(*, command: str, dirty: bool) -> None:
    _SERVE["dirty"] = command == "serve" and dirty
    if _SERVE["dirty"]:
        logging.getLogger("mkdocs.commands.build").addFilter(_DirtyNotice())


def _code_stamp() -> str:
    """The size and time of every Python file outside the docs and tests."""
    stamps = []
    for path in sorted(paths.ROOT.rglob("*.py")):
        relative = path.relative_to(paths.ROOT)
        if relative.parts[0] in {".venv", "node_modules", "tests", "docs", ".cache"}:
            continue
        stat = path.stat()
        stamps.append(f"{relative}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(stamps).encode()).hexdigest()


def _skip_unchanged(files: Any) -> None:
    """Under `serve --dirty`: render only the pages that changed (see above)."""
    code = _code_stamp()
    code_changed = _LAST_BUILD.get("<code>") != code
    _LAST_BUILD["<code>"] = code
    for file in files.documentation_pages():
        text = Path(file.abs_src_path).read_text(encoding="utf-8")
        digest = hashlib.sha256(text.encode()).hexdigest()
        unchanged = _LAST_BUILD.get(file.src_uri) == digest
        _LAST_BUILD[file.src_uri] = digest
        if code_changed and file.src_uri.startswith("tutorials/"):
            file.is_modified = lambda: True
        elif unchanged:
            file.is_modified = lambda: False


# literate-nav reads the nav files at priority -100; this runs after it.
@event_priority(-110)
def on_files(files: Any, config: Any) -> Any:
    """Drop every `SUMMARY.md`: it is navigation, not a page."""
    for file in list(files):
        if file.is_documentation_page() and Path(file.src_uri).name == "SUMMARY.md":
            files.remove(file)
    if _SERVE["dirty"]:
        _skip_unchanged(files)
    return files


_MERMAID_SCRIPT = re.compile(
    r'<script src="[^"]*assets/javascripts/mermaid\.min\.js"></script>\s*'
)


# Search finds lessons and API pages. The annotated source, the chain tables
# and the alias lists repeat the same names hundreds of times (every `build`
# of every layer) and would bury the chapters, so they are not indexed.
# The same holds for the chains and alias lists of the real Keras releases.
_NOT_SEARCHED = (
    "source/",
    "chain/",
    "aliases/",
    "traces/",
    "real-keras/keras2/",
    "real-keras/keras3/",
)

_HEADING = re.compile(r"^# (.+)$", re.MULTILINE)
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)  # a `# comment`


def title_of(markdown: str) -> str | None:
    """The page's first `# heading` as plain text, for the browser tab."""
    heading = _HEADING.search(_FENCE.sub("", markdown))
    if not heading:
        return None
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading.group(1))
    return text.replace("`", "").replace("\\", "").strip() or None


# The annotated source's code column is finished HTML (scripts/docgen/source.py
# highlights it). Markdown would parse every one of its thousands of spans as
# raw HTML only to copy them through, a second of every build: each block is
# set aside before Markdown runs and put back into the page it renders.
_SOURCE_CODE = re.compile(r'<div class="nk-code.*?</code></pre></div>', re.DOTALL)
_SET_ASIDE = re.compile(r'<div data-nk-code="(\d+)"></div>')
_ID = re.compile(r' id="([^"]+)"')
_set_aside: dict[str, list[str]] = {}


def set_code_aside(markdown: str, page: str) -> str:
    """`markdown` with each code block of a source page replaced by a marker."""
    blocks = _set_aside[page] = []

    def marker(match: re.Match) -> str:
        blocks.append(match.group(0))
        return f'<div data-nk-code="{len(blocks) - 1}"></div>'

    return _SOURCE_CODE.sub(marker, markdown)


def put_code_back(html: str, page: str) -> tuple[str, set[str]]:
    """The rendered page with the code blocks `set_code_aside` took out, and
    the ids in them (MkDocs checks links to `#L42` against the page's ids)."""
    blocks = _set_aside.pop(page, [])
    ids = {found for block in blocks for found in _ID.findall(block)}
    return _SET_ASIDE.sub(lambda match: blocks[int(match.group(1))], html), ids


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if page.file.src_uri.startswith("source/"):
        markdown = set_code_aside(markdown, page.file.src_uri)
    if page.file.src_uri.startswith(_NOT_SEARCHED):
        page.meta.setdefault("search", {})["exclude"] = True
    # The navigation's short labels ("Overview", "Dense") repeat across
    # sections; the tab and the bookmark get the page's own heading.
    if "title" not in page.meta and not page.is_homepage and title_of(markdown):
        page.meta["title"] = title_of(markdown)
    # The annotated source needs the screen's width for its two columns.
    if page.file.src_uri.startswith("source/") and "hide" not in page.meta:
        page.meta["hide"] = ["navigation", "toc"]
    return markdown


# On a reference page, search indexes the prose of each docstring; the
# signatures, parameter tables and source listings only repeat names and
# would double the index (Material skips elements marked data-search-exclude).
_REFERENCE_UNSEARCHED = (
    ('<div class="language-python doc-signature', "<div data-search-exclude "),
    ('<details class="mkdocstrings-source"', "<details data-search-exclude "),
    ("<table>", "<table data-search-exclude>"),
)


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    if page.file.src_uri.startswith("source/"):
        html, ids = put_code_back(html, page.file.src_uri)
        page.present_anchor_ids = (page.present_anchor_ids or set()) | ids
        return html
    if page.file.src_uri.startswith("tutorials/"):
        # A chapter's embedded call tree is names only, like the traces pages.
        return html.replace(
            '<details class="nk-trace-embed"',
            '<details class="nk-trace-embed" data-search-exclude',
        )
    if not page.file.src_uri.startswith("reference/"):
        return html
    for marker, tag in _REFERENCE_UNSEARCHED:
        html = html.replace(marker, tag + marker.partition(" ")[2])
    return html


# Material's templates indent every line; across 800 pages the indentation
# alone is a quarter of the site. Outside `<pre>` a run of whitespace that
# starts a line shows as one space either way, so it goes.
_PRE = re.compile(r"(<pre\b.*?</pre>)", re.DOTALL)
_INDENT = re.compile(r"\n[ \t\n]+")


def without_indentation(html: str) -> str:
    parts = _PRE.split(html)
    for index in range(0, len(parts), 2):  # the even parts are outside <pre>
        parts[index] = _INDENT.sub("\n", parts[index])
    return "".join(parts)


# Pygments wraps every name (`n`) and run of spaces (`w`) of highlighted code
# in a span, and Material draws both in the code's own colour: a megabyte of
# markup over the site that changes nothing on screen.
_PLAIN_TOKEN = re.compile(r'<span class="[nw]">([^<]*)</span>')


def on_post_page(output: str, page: Any, config: Any) -> str:
    """Load mermaid.js only where there is a diagram to draw; drop indentation
    and the spans that do not colour anything."""
    if 'class="mermaid"' not in output:
        output = _MERMAID_SCRIPT.sub("", output)
    return _PLAIN_TOKEN.sub(r"\1", without_indentation(output))


def on_post_template(output: str, template_name: str, config: Any) -> str:
    """The 404 page has no diagram either."""
    return _MERMAID_SCRIPT.sub("", without_indentation(output))


# Files Material ships that this site never asks for: source maps (for
# debugging Material itself) and lunr's word splitters for other languages
# (search here is English only). Together over 2 MB.
_UNUSED_ASSETS = ("assets/javascripts/lunr", "**/*.map")


def redirect_html(public_path: str, target: str) -> str:
    """A page that sends the browser on to `target` (a relative URL), keeping
    the `#anchor`; the link is there for a reader without JavaScript."""
    name, url = html.escape(public_path), html.escape(target)
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{name} - nanokeras</title>\n"
        f'<link rel="canonical" href="{url}">\n'
        '<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={url}">\n'
        f"<script>location.replace({json.dumps(target)} + location.hash)</script>\n"
        "</head>\n<body>\n"
        f"<p><code>{name}</code> is another public path of the object documented "
        f'<a href="{url}">here</a>.</p>\n</body>\n</html>\n'
    )


def write_reference_redirects(site: Path) -> None:
    """One small redirect page for each public path that has no page of its own."""
    from scripts.docgen import reference

    for folder, target in reference.redirects().items():
        page = site / folder / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        relative = posixpath.relpath(target, folder) + "/"
        public_path = folder.removeprefix("reference/").strip("/").replace("/", ".")
        page.write_text(redirect_html(public_path, relative), encoding="utf-8")


def on_post_build(config: Any) -> None:
    site = Path(config["site_dir"])
    write_reference_redirects(site)
    search = [plugin for name, plugin in config["plugins"].items() if "search" in name]
    languages = [lang for plugin in search for lang in (plugin.config.lang or ["en"])]
    if set(languages) - {"en"}:
        return
    for pattern in _UNUSED_ASSETS:
        for path in sorted(site.glob(pattern), reverse=True):
            if path.is_dir():
                shutil.rmtree(path)
            elif path.is_file():
                path.unlink()
