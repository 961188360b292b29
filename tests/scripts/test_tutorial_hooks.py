"""The build's additions to the chapters (scripts/tutorial_hooks.py)."""

import json

import pytest
from mkdocs.exceptions import PluginError

from scripts import tutorial_hooks as hooks
from scripts.docgen import backlinks
from scripts.paths import ROOT


def test_a_line_link_goes_to_the_definition_or_the_line_containing_its_title():
    lines = (ROOT / "engine/base_layer.py").read_text().split("\n")
    text = "[x](../source/engine/base_layer.md#Layer.__call__)"
    resolved = hooks.resolve_line_links(text)
    number = int(resolved.rpartition("#L")[2].rstrip(")"))
    assert lines[number - 1].lstrip().startswith("def __call__(")
    titled = '[x](../source/engine/base_layer.md#Layer.__call__ "self.call(")'
    number = int(hooks.resolve_line_links(titled).rpartition("#L")[2].rstrip(")"))
    assert "self.call(" in lines[number - 1]
    # A section anchor of the source page is left for the build to check.
    section = "[x](../source/engine/base_layer.md#Layer.setattr)"
    assert hooks.resolve_line_links(section) == section


def test_a_line_link_to_something_gone_stops_the_build():
    with pytest.raises(PluginError, match="no line of that definition contains"):
        hooks.resolve_line_links(
            '[x](../source/engine/base_layer.md#Layer.__call__ "no such code")'
        )
    with pytest.raises(PluginError, match="no such definition"):
        hooks.resolve_line_links(
            '[x](../source/engine/base_layer.md#Layer.nothing "self.call(")'
        )


def test_expected_output_blocks_leave_the_page_and_the_notebook():
    chapter = (
        "# 9. A chapter\n\n"
        '```python exec="on" source="above" result="text" session="c"\n'
        'print("hi")\n```\n\n'
        '```{.text .expected-output title="Says hi"}\nhi\n```\n\nThe end.\n'
    )
    assert "expected-output" not in hooks.lesson_markdown(chapter)
    notebook = json.loads(hooks.notebook(chapter))
    assert notebook["nbformat"] == 4
    kinds = [cell["cell_type"] for cell in notebook["cells"]]
    assert kinds == ["markdown", "code", "markdown"]
    code = notebook["cells"][1]
    assert "".join(code["source"]) == 'print("hi")' and code["metadata"] == {}
    assert "hi\n```" not in "".join(notebook["cells"][2]["source"])


def test_a_chapter_gives_the_same_notebook_file_on_every_build():
    chapter = '# 1. A chapter\n\n```python exec="on"\nx = 1\n```\n\nText.\n'
    first = hooks.notebook(chapter)
    assert hooks.notebook(chapter) == first
    ids = [cell["id"] for cell in json.loads(first)["cells"]]
    assert len(set(ids)) == len(ids) == 3


def test_read_the_source_lists_each_linked_file_once():
    text = (
        "See [a](../source/engine/base_layer.md#L3), "
        "[b](../source/engine/base_layer.md) and [c](../source/backend/module.md)."
    )
    closing = hooks.read_the_source(text)
    assert closing.startswith("## Read the source")
    assert closing.count("base_layer") == 2  # the label and the link, once
    assert "- [`backend/module.py`](../source/backend/module.md)" in closing


def test_backlinks_name_the_chapter_and_section_that_link_to_a_page(tmp_path):
    (tmp_path / "03-model.md").write_text(
        "# 3. The Model class\n\nIntro [m](../source/engine/training.md).\n\n"
        "## `fit` runs the loop\n\n```python\n# [not a link](../chain/x.md)\n```\n\n"
        "Read [fit](../source/engine/training.md#L10) and "
        "[chain](../chain/nanokeras.Model.md).\n"
    )
    found = backlinks.explained_in(tmp_path)
    sections = [
        (s.number, s.title, s.target) for s in found["source/engine/training.md"]
    ]
    assert sections == [
        (3, "", "tutorials/03-model.md"),
        (3, "fit runs the loop", "tutorials/03-model.md#fit-runs-the-loop"),
    ]
    assert "chain/x.md" not in found  # links inside code blocks do not count
    assert backlinks.sibling("chain/nanokeras.Model.md") == (
        "reference/nanokeras/Model.md"
    )
