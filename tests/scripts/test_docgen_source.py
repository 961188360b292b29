"""The annotated-source generator: splitting, line anchors, links, the built pages."""

import ast
import html
import io
import json
import re
import textwrap
import tokenize
from pathlib import Path

import pytest

from scripts.docgen import canonical_paths, prose, source
from scripts.docgen.sections import Section, split_lines, split_source
from scripts.gen_api import implementation_modules

ROOT = Path(__file__).resolve().parents[2]
FILES = source.source_files()

SAMPLE = textwrap.dedent('''\
    """The module docstring.

    Mirrors: keras/engine/base_layer.py (tf.keras 2.x)
    """

    import os  # why os

    # A comment introducing the constant.
    LIMIT = 3


    class Thing(Base):
        """Adds nothing to `Base`.

        Args:
            size: How big.
        """

        kind = "thing"

        @property
        def size(self):
            """The size."""
            # Halved, because.
            half = self.n / 2
            values = [
                # stays with the code: inside brackets
                1,
            ]
            return half  # noqa: trailing comments stay too


    def helper(x):
        return x
    ''')


def line_numbers(section: Section) -> list[int]:
    return [n for chunk in section.chunks for n in chunk.prose_lines + chunk.code_lines]


@pytest.fixture(scope="module")
def texts() -> dict[Path, str]:
    """One snapshot of the files (others may edit them while the tests run)."""
    return {path: (ROOT / path).read_text() for path in FILES}


@pytest.fixture(scope="module")
def pages(texts) -> dict[str, str]:
    canonical = canonical_paths()
    rendered = {
        source.page_path(path): source.render_page(path, text, canonical)
        for path, text in texts.items()
    }
    rendered["source/index.md"] = source.render_index(texts)
    rendered["source/SUMMARY.md"] = source.render_summary(texts)
    return rendered


def test_files_are_the_implementation_modules_of_gen_api():
    modules = {source.module_name(path) for path in FILES}
    assert modules == set(implementation_modules())
    assert Path("backend/module.py") in FILES and Path("api_export.py") in FILES


def test_sample_sections_and_where_each_line_goes():
    sections = split_source(SAMPLE)
    kinds = [(s.kind, s.qualname, s.start, s.end) for s in sections]
    assert kinds == [
        ("docstring", None, 1, 5),
        ("imports", None, 6, 7),
        ("code", None, 8, 11),
        ("class", "Thing", 12, 20),
        ("method", "Thing.size", 21, 32),
        ("function", "helper", 33, 34),
    ]
    by_name = {s.qualname or s.kind: s for s in sections}
    assert by_name["docstring"].chunks[0].prose_lines == [1, 2, 3, 4, 5]
    assert by_name["imports"].chunks[0].code_lines == [6, 7]  # trailing comment stays
    constant = by_name["code"].chunks[0]
    assert constant.prose_lines == [8] and constant.code_lines == [9, 10, 11]
    assert constant.pieces == ["A comment introducing the constant."]
    thing = by_name["Thing"].chunks
    assert [c.prose_lines for c in thing] == [[13, 14, 15, 16, 17]]
    assert thing[0].code_lines == [12, 18, 19, 20]
    assert "- `size`: How big." in thing[0].pieces[0]
    method = by_name["Thing.size"].chunks
    assert [c.code_lines for c in method] == [
        [21, 22],
        [25, 26, 27, 28, 29, 30, 31, 32],
    ]
    assert method[0].prose_lines == [23] and method[1].prose_lines == [24]
    assert method[1].pieces == ["Halved, because."]
    assert by_name["Thing.size"].documented
    assert by_name["helper"].chunks[0].code_lines == [33, 34]


def test_every_line_of_every_file_once_in_order(texts):
    for path, text in texts.items():
        count = len(split_lines(text))
        sections = split_source(text)
        assert [n for s in sections for n in s.lines] == list(range(1, count + 1)), path
        for section in sections:
            assert sorted(line_numbers(section)) == list(section.lines), path
            for before, after in zip(section.chunks, section.chunks[1:]):
                last = max(before.prose_lines + before.code_lines)
                assert last < min(after.prose_lines + after.code_lines), path


def _docstring_lines(tree: ast.Module) -> set[int]:
    """Lines of the docstrings of the module, classes, functions and methods."""
    definitions = (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    owners = [tree, *(node for node in tree.body if isinstance(node, definitions))]
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            owners += [item for item in node.body if isinstance(item, definitions[1:])]
    found = set()
    for owner in owners:
        if ast.get_docstring(owner, clean=False) is not None:
            found.update(range(owner.body[0].lineno, owner.body[0].end_lineno + 1))
    return found


def test_docstrings_and_comments_are_prose_and_only_they_are(texts):
    for path, text in texts.items():
        lines = split_lines(text)
        sections = split_source(text)
        prose_lines = {n for s in sections for c in s.chunks for n in c.prose_lines}
        docstrings = _docstring_lines(ast.parse(text))
        assert docstrings <= prose_lines, path
        tokens = tokenize.generate_tokens(io.StringIO(text).readline)
        comment_lines = {t.start[0] for t in tokens if t.type == tokenize.COMMENT}
        for number in prose_lines - docstrings:
            stripped = lines[number - 1].strip()
            assert not stripped or number in comment_lines and stripped[0] == "#", (
                f"{path}:{number} is code but was moved to the prose: {stripped!r}"
            )


def code_rows(page: str) -> dict[int, str]:
    rows = re.findall(r'<span(?: class="[^"]*")? id="L(\d+)"><a (.*?)\n</span>', page)
    return {
        int(n): html.unescape(re.sub(r"<[^>]+>", "", "<a " + body)) for n, body in rows
    }


def test_pages_anchor_every_line_once_and_show_the_real_code(pages, texts):
    for path, text in texts.items():
        lines = split_lines(text)
        page = pages[source.page_path(path)]
        ids = [int(n) for n in re.findall(r'id="L(\d+)"', page)]
        assert sorted(ids) == list(range(1, len(lines) + 1)), path
        for number, shown in code_rows(page).items():
            assert shown == lines[number - 1], f"{path}:{number}"


def test_public_objects_link_to_their_reference_page(pages):
    for (module, qualname), public_path in canonical_paths().items():
        path = next(p for p in FILES if source.module_name(p) == module)
        page = pages[source.page_path(path)]
        target = public_path.replace(".", "/") + ".md"
        if "." not in qualname:  # a top-level class or function: its heading
            heading = (
                rf"^## \[(class )?`{qualname}(\(\))?`\]\((\.\./)*reference/{target}\)"
            )
            assert re.search(heading, page, re.M), f"{module}.{qualname}"


def test_pages_are_one_per_file_plus_index_and_nav():
    expected = {source.page_path(path) for path in source.source_files()}
    assert set(source.pages()) == expected | {"source/index.md", "source/SUMMARY.md"}


def test_index_and_summary_list_every_file(pages):
    for path in FILES:
        link = source.page_path(path).removeprefix("source/")
        assert f"]({link})" in pages["source/index.md"], path
    # The overview lists the files; the navigation only links to it.
    assert pages["source/SUMMARY.md"] == "* [All files](index.md)\n"


def test_mirrors_line_links_each_named_file_at_its_pinned_release():
    text = source.mirrors_markdown(
        "Doc.\n\nMirrors: keras/engine/base_layer.py + tensorflow/python/x.py\n"
        "(tf.keras 2.x), keras/src/layers/layer.py (Keras 3)\n\nMore."
    )
    assert text == (
        "[`keras/engine/base_layer.py`](https://github.com/keras-team/keras/blob/"
        "v2.6.0/keras/engine/base_layer.py) + [`tensorflow/python/x.py`]("
        "https://github.com/tensorflow/tensorflow/blob/v2.6.0/tensorflow/python/x.py) "
        "(tf.keras 2.x), [`keras/src/layers/layer.py`](https://github.com/keras-team/"
        "keras/blob/v3.15.1/keras/src/layers/layer.py) (Keras 3)"
    )


def test_every_mirrored_keras_file_is_in_its_pinned_wheel(pages):
    from scripts.realkeras import sources

    linked = set()
    for text in pages.values():
        linked |= set(
            re.findall(r"keras-team/keras/blob/(v[\d.]+)/([\w/]+\.py)\)", text)
        )
    assert len(linked) > 50
    folders = {release.tag: release.folder for release in sources.RELEASES.values()}
    missing = [
        f"{tag}/{path}" for tag, path in linked if not (folders[tag] / path).is_file()
    ]
    assert not missing, missing


def test_docstring_sections_become_lists_and_doctests_fences():
    markdown = prose.docstring_to_markdown(
        "Summary.\n\nArgs:\n    units (int): How many.\n        Positive.\n"
        "    **kwargs: Passed on.\n\nExample:\n\n>>> 1 + 1\n2\n"
    )
    assert "- `units` (int): How many. Positive." in markdown
    assert "- `**kwargs`: Passed on." in markdown
    assert "```pycon\n>>> 1 + 1\n2\n```" in markdown
    rendered = prose.to_html(markdown)
    assert "<li><code>units</code> (int): How many. Positive.</li>" in rendered


# --- The built site ----------------------------------------------------------


def test_built_pages_keep_the_line_anchors(site_dir):
    for path in FILES:
        built = site_dir / source.page_path(path).removesuffix(".md") / "index.html"
        count = len(split_lines((ROOT / path).read_text()))
        ids = set(re.findall(r'id="L(\d+)"', built.read_text()))
        assert ids == {str(n) for n in range(1, count + 1)}, path


def test_search_finds_name_scope_in_the_lesson_and_the_reference(site_dir):
    """The annotated source is not indexed (it repeats every name): search
    leads to the chapter that explains `name_scope` and to its reference."""
    index = json.loads((site_dir / "search" / "search_index.json").read_text())
    hits = {
        doc["location"].split("#")[0]
        for doc in index["docs"]
        if "name_scope" in doc["text"] or "name_scope" in doc["title"]
    }
    assert "reference/nanokeras/name_scope/" in hits
    assert any(hit.startswith("tutorials/") for hit in hits), hits
    assert not any(hit.startswith("source/") for hit in hits), hits


def test_comment_blocks_become_paragraphs_and_dividers_titles():
    block = ["# Why this works:", "#", "#     x = 1", "# is `fast`."]
    assert (
        prose.comment_to_markdown(block) == "Why this works:\n\n    x = 1\nis `fast`."
    )
    assert prose.comment_to_markdown(["# --- Losses ---"]) == "**Losses**"
    assert prose.is_pragma("# noqa: E501") and not prose.is_pragma("# note")


def test_section_ids_are_unique_and_survive_markdown(pages):
    for page, text in pages.items():
        ids = re.findall(r"^#+ .* \{ #(\S+) \}$", text, re.M)
        assert len(ids) == len(set(ids)), page
        for anchor in ids:
            # An underscore at the edge of a name would start emphasis.
            assert not re.search(r"(^|\W)_|_(\W|$)", anchor), (page, anchor)
            assert not re.fullmatch(r"L\d+", anchor), (page, anchor)


def test_empty_and_comment_only_files():
    assert split_source("") == []
    empty = source.render_page(Path("pkg/__init__.py"), "", {})
    assert "This file is empty." in empty and 'id="L' not in empty
    comment = split_source("# only a comment\n\nx = 1\n")
    assert [(s.kind, s.start, s.end) for s in comment] == [("code", 1, 3)]
    assert comment[0].chunks[0].prose_lines == [1, 2]


def test_code_set_aside_from_markdown_comes_back_whole_with_its_line_ids():
    import markdown

    from scripts import mkdocs_hooks

    path = Path("engine/sequential.py")
    page = source.render_page(path, path.read_text(encoding="utf-8"), {})
    lines = len(split_lines(path.read_text(encoding="utf-8")))
    aside = mkdocs_hooks.set_code_aside(page, "source/engine/sequential.md")
    blocks = re.findall(r'<div class="nk-code.*?</code></pre></div>', page, re.S)
    # Markdown sees no highlighted code, only one marker per block.
    assert 'class="nk-code' not in aside
    assert aside.count("data-nk-code=") == len(blocks) > 5
    rendered = markdown.Markdown(extensions=["attr_list", "md_in_html"]).convert(aside)
    back, ids = mkdocs_hooks.put_code_back(rendered, "source/engine/sequential.md")
    assert 'data-nk-code="' not in back
    # Every code block is back exactly as generated, in its place.
    assert (
        re.findall(r'<div class="nk-code.*?</code></pre></div>', back, re.S) == blocks
    )
    # MkDocs is told about the line anchors the tutorials link to.
    code_lines = {f"L{n}" for n in range(1, lines + 1)}
    assert code_lines <= ids | set(re.findall(r'id="(L\d+)"', rendered))
