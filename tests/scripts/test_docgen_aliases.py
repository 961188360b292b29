"""The import-alias pages: the static table equals the runtime @export registry."""

import inspect
import re
from pathlib import Path

from scripts import docgen, explorer
from scripts.docgen import aliases
from scripts.gen_api import load_registry
from scripts.paths import ROOT


def runtime_table() -> set[tuple]:
    rows = set()
    for path, entry in load_registry().items():
        obj = inspect.unwrap(entry.obj)  # an op's own code, not its dispatch wrapper
        file = Path(inspect.getsourcefile(obj)).relative_to(ROOT).as_posix()
        line = inspect.getsourcelines(entry.obj)[1]
        kind = "class" if inspect.isclass(entry.obj) else "function"
        rows.add((path, kind, entry.module, entry.qualname, file, line))
    return rows


def test_alias_table_equals_the_runtime_registry_name_for_name_and_file_for_file():
    static = {
        (e.public_path, e.kind, e.module, e.qualname, e.file, e.line)
        for e in explorer.aliases().entries
    }
    runtime = runtime_table()
    assert len(runtime) > 100
    assert sorted(static - runtime) == [] and sorted(runtime - static) == []


def table_rows(text: str) -> list[list[str]]:
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in row.strip("|").split(" | ")] for row in rows[1:]]


def test_index_page_has_one_linked_row_per_public_path(with_source_pages):
    page = aliases.pages()["aliases/index.md"]
    rows = table_rows(page)
    table = explorer.aliases()
    assert [re.search(r"`([^`]+)`", row[0]).group(1) for row in rows] == sorted(
        e.public_path for e in table.entries
    )
    dense_like = table.by_public_path()["nanokeras.Module"]
    (row,) = [r for r in rows if r[0] == "`nanokeras.Module`"]
    assert row[1] == "class ([chain](../chain/nanokeras.Module.md))"
    assert row[2] == "`backend.module.Module`"
    link = f"../source/backend/module.md#L{dense_like.line}"
    assert row[3] == f"[`backend/module.py:{dense_like.line}`]({link})"


def test_links_wait_for_the_pages_they_point_to():
    saved = dict(docgen.GENERATED)
    docgen.GENERATED.clear()
    try:
        page = aliases.pages()["aliases/index.md"]
    finally:
        docgen.GENERATED.update(saved)
    assert "../source/" not in page and "../reference/" not in page


def test_reverse_page_groups_every_public_path_of_an_object(with_source_pages):
    page = aliases.pages()["aliases/reverse.md"]
    (row,) = [r for r in table_rows(page) if r[0] == "`backend.ops.math.divide`"]
    assert row[2] == "`nanokeras.ops.divide`, `nanokeras.ops.true_divide`"
    assert len(table_rows(page)) == len(explorer.aliases().reverse())


def test_a_line_missing_from_the_source_page_links_the_page_not_a_dead_anchor():
    saved = dict(docgen.GENERATED)
    docgen.GENERATED["source/a/b.md"] = '<span id="L1"></span>'
    try:
        here = docgen.source_link("a/b.py", 1, "aliases/index.md")
        gone = docgen.source_link("a/b.py", 7, "aliases/index.md")
    finally:
        docgen.GENERATED.clear()
        docgen.GENERATED.update(saved)
    assert here == "[`a/b.py:1`](../source/a/b.md#L1)"
    assert gone == "[`a/b.py:7`](../source/a/b.md)"
