"""The API reference generator: a page per public path, alias boxes, one render each."""

import posixpath
import re
from collections import defaultdict

import pytest

from scripts.docgen import reference, reference_page, source
from scripts.gen_api import load_registry
from scripts.paths import ROOT


@pytest.fixture(scope="module")
def registry() -> dict:
    return load_registry()


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return reference.pages()


@pytest.fixture(scope="module")
def same_object(registry) -> dict[str, set[str]]:
    """Public path -> every public path of the same object (runtime registry)."""
    groups = defaultdict(set)
    for path, entry in registry.items():
        groups[(entry.module, entry.qualname)].add(path)
    return {path: groups[(e.module, e.qualname)] for path, e in registry.items()}


def alias_box(page: str) -> str:
    match = re.search(r'^!!! info "View aliases"\n((?:\n|    .*\n)+)', page, re.M)
    assert match, "no View aliases box"
    return match.group(1)


def test_a_page_for_every_registry_entry_and_nothing_else(registry, pages):
    symbol_pages = {
        path
        for path in pages
        if not path.endswith(("/index.md", "/SUMMARY.md"))
        and path != "reference/index.md"
    }
    assert symbol_pages == {reference_page(path) for path in registry}


def test_alias_boxes_list_exactly_the_registry_paths(registry, pages, same_object):
    for path in registry:
        box = alias_box(pages[reference_page(path)])
        main = re.search(r"\*\*Main alias:\*\* \[`([\w.]+)`\]", box).group(1)
        others = re.search(r"\*\*Other aliases:\*\* (.*)", box)
        listed = {main, *re.findall(r"`([\w.]+)`", others.group(1) if others else "")}
        assert listed == same_object[path], path


def test_each_object_is_rendered_once_on_its_main_page(registry, pages):
    rendered = defaultdict(list)
    for page, text in pages.items():
        for target in re.findall(r"^::: ([\w.]+)$", text, re.M):
            rendered[target].append(page)
    expected = {f"{e.module}.{e.qualname}" for e in registry.values()}
    assert set(rendered) == expected
    for target, where in rendered.items():
        assert len(where) == 1, f"{target} rendered on {where}"
        main = re.search(r"\*\*Main alias:\*\* \[`([\w.]+)`\]", pages[where[0]])
        assert where[0] == reference_page(main.group(1))


def test_every_other_public_path_redirects_to_the_main_page(registry, pages):
    redirects = reference.redirects()
    for path in registry:
        own = "reference/" + path.replace(".", "/") + "/"
        main_page = reference_page(path)
        if own + "index.md" == main_page.replace(".md", "/index.md"):
            assert own not in redirects, path  # the main path has the page
            continue
        assert redirects[own] == main_page.removesuffix(".md") + "/", path
        assert main_page in pages
    assert len(redirects) == len(registry) - len(
        {(e.module, e.qualname) for e in registry.values()}
    )


def test_a_redirect_page_sends_the_anchor_on():
    from scripts.mkdocs_hooks import redirect_html

    text = redirect_html("nanokeras.models.Model", "../../Model/")
    assert '<meta http-equiv="refresh" content="0; url=../../Model/">' in text
    assert 'location.replace("../../Model/" + location.hash)' in text
    assert "<title>nanokeras.models.Model - nanokeras</title>" in text


def test_defined_in_links_to_an_anchored_source_line(registry, pages):
    sources = source.pages()
    for path, entry in registry.items():
        here = posixpath.dirname(reference_page(path))
        box = alias_box(pages[reference_page(path)])
        link = re.search(
            r"\*\*Defined in:\*\* \[`([\w/.]+):(\d+)`\]\(([^)#]+)#L(\d+)\)", box
        )
        file, line, target, anchor = link.groups()
        assert file.replace("/", ".").removesuffix(".py").removesuffix(".__init__") == (
            entry.module
        )
        assert line == anchor
        target_page = posixpath.normpath(posixpath.join(here, target))
        assert f'id="L{line}"' in sources[target_page], f"{path}: {target_page}#L{line}"
        # The line is the object's first decorator or its `def`/`class` line.
        text = (ROOT / file).read_text().split("\n")[int(line) - 1].strip()
        assert text.startswith(("@", "class ", "def ")), f"{path}: {text}"


def test_namespace_pages_and_navigation_cover_everything(registry, pages):
    namespaces = {path.rpartition(".")[0] for path in registry}
    for namespace in namespaces:
        index = reference.index_for(namespace)
        assert index in pages, namespace
    # The navigation lists the namespaces; each namespace page lists its names.
    summary = pages["reference/SUMMARY.md"]
    for link in re.findall(r"\]\(([^)]+)\)", summary):
        assert f"reference/{link}" in pages, link
    for namespace in namespaces:
        assert f"]({reference.index_for(namespace).removeprefix('reference/')})" in (
            summary
        )
    for path in registry:
        index = reference.index_for(path.rpartition(".")[0])
        here = posixpath.dirname(index)
        link = posixpath.relpath(reference_page(path), here)
        assert f"]({link})" in pages[index], path


def test_classes_link_to_their_class_chain_page(registry, pages):
    from scripts.docgen import chain

    chain_pages = chain.pages()
    for path, entry in registry.items():
        box = alias_box(pages[reference_page(path)])
        link = re.search(r"\*\*Class chain:\*\* \[[^\]]+\]\(([^)]+)\)", box)
        assert bool(link) == isinstance(entry.obj, type), path
        if link:
            here = posixpath.dirname(reference_page(path))
            assert (
                posixpath.normpath(posixpath.join(here, link.group(1))) in chain_pages
            )


def test_doctests_reach_mkdocstrings_fenced(pages):
    import griffe

    from scripts.docgen.griffe_doctests import FenceDoctests

    # Every `:::` block gets the handler's options from mkdocs.yml.
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "- scripts/docgen/griffe_doctests.py" in config
    assert "- griffe_inherited_docstrings" in config
    module = griffe.load(
        "backend.module",
        search_paths=[str(ROOT)],
        extensions=griffe.load_extensions(FenceDoctests),
        allow_inspection=False,
    )
    doc = module["Module"].docstring.value
    assert "```pycon\n>>> class Counter(Module):" in doc
