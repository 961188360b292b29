"""A snippet's page shows what the library writes to `sys.stdout`, in order.

markdown-exec alone collects only the snippet's own `print` calls, so the
progress bar of `fit` or the table of `model.summary()` would vanish from the
page. scripts/mkdocs_hooks.py sends `sys.stdout` to the same buffer during the
build, and the snippet tests' parser does the same. Both are checked here: the
site hook through markdown-exec's own runner, the parser through Sybil.
"""

from pathlib import Path

import pytest
from markdown_exec._internal.formatters import python as formatter
from mkdocs.exceptions import PluginError
from sybil import Sybil

from scripts.mkdocs_hooks import capture_snippet_stdout
from tests.docs.markdown_exec_parser import MarkdownExecParser

# `builtins.print` is the `print` library code calls: markdown-exec's
# replacement lives only in the snippet's globals. Then a write as the progress
# bar does it, and a real library call with its default `print_fn`.
SNIPPET = """\
import builtins
import sys

import nanokeras as keras

print("snippet 1")
builtins.print("library print")
print("snippet 2")
sys.stdout.write("library write\\n")
model = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
model.summary()
print("snippet 3")
"""


def _assert_page_output(output: str) -> None:
    lines = output.splitlines()
    head = ["snippet 1", "library print", "snippet 2", "library write"]
    assert lines[:4] == head, output
    assert lines[4].startswith('Model: "sequential'), output
    assert "Total params: 8" in lines, output
    assert lines[-1] == "snippet 3", output


def test_site_build_shows_library_stdout() -> None:
    """The hook the build installs: markdown-exec's runner returns it all.

    (`on_config` calls it; calling `on_config` here would also drop every
    repository module from `sys.modules` under the rest of the test session.)
    """
    capture_snippet_stdout()
    output = formatter._run_python(SNIPPET)
    _assert_page_output(output)


def test_site_build_fails_if_markdown_exec_moves_the_hooked_function(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After an upgrade that renames `exec_python`, the build stops, loudly."""
    monkeypatch.delattr(formatter, "exec_python")
    with pytest.raises(PluginError, match="exec_python"):
        capture_snippet_stdout()


def test_snippet_tests_see_library_stdout(tmp_path: Path) -> None:
    """The parser of test_snippets.py captures exactly what the page shows."""
    page = tmp_path / "page.md"
    page.write_text(f'```python exec="on"\n{SNIPPET}```\n', encoding="utf-8")
    (example,) = Sybil(parsers=[MarkdownExecParser()], pattern="*.md").parse(page)
    example.evaluate()
    _assert_page_output(example.namespace["__markdown_exec_last_output__"])
