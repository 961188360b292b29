"""The class-chain pages: one per public class, diagrams and member tables."""

import re

import pytest

from scripts import explore
from scripts.docgen import chain


@pytest.fixture(scope="module")
def pages(with_source_pages):
    return chain.pages()


def canonical_classes() -> dict[str, str]:
    return chain.public_classes(explore.aliases())


def test_one_page_per_public_class_named_by_its_first_export_path(pages):
    canonical = canonical_classes()
    assert canonical["backend.module.Module"] == "nanokeras.Module"
    expected = {f"chain/{public}.md" for public in canonical.values()}
    assert set(pages) == expected | {"chain/index.md", "chain/SUMMARY.md"}
    nav = pages["chain/SUMMARY.md"].splitlines()
    assert nav[:2] == ["* [Overview](index.md)", "* nanokeras"]
    linked = [
        re.search(r"\]\((.*)\.md\)", line).group(1) for line in nav[2:] if "](" in line
    ]
    assert sorted(linked) == sorted(canonical.values())
    assert "    * [Dense](nanokeras.layers.Dense.md)" in nav


def diagram(page: str) -> str:
    return re.search(r"```mermaid\n(.*?)```", page, re.S).group(1)


def test_sequential_page_draws_the_headline_chain_and_walks_it_base_first(pages):
    page = pages["chain/nanokeras.Sequential.md"]
    lines = diagram(page).splitlines()
    assert lines[0] == "classDiagram"
    assert "        +add()" in lines  # a public method Sequential introduces
    edges = [line.strip() for line in lines if "<|--" in line]
    assert edges == [
        "Module <|-- Layer",
        "Layer <|-- Model",
        "Model <|-- Functional",
        "Functional <|-- Sequential",
    ]
    headings = re.findall(r"^## \d+\. `(\w+)`", page, re.M)
    assert headings == ["Module", "Layer", "Model", "Functional", "Sequential"]


def test_member_rows_link_to_their_line_in_the_annotated_source(pages):
    page = pages["chain/nanokeras.Module.md"]
    result = explore.chain("nanokeras.Module")
    init = next(m for m in result.classes[0].introduces if m.name == "__init__")
    row = f"| `__init__` | method | introduces | [`L{init.line}`]"
    assert row + f"(../source/backend/module.md#L{init.line}) |" in page
    layer = pages["chain/nanokeras.layers.Layer.md"]
    assert re.search(r"\| `__setattr__` \| method \| introduces \|", layer)
    overridden = explore.chain("nanokeras.Model").classes[-1].overrides
    assert overridden, "Model overrides members of Layer"
    model = pages["chain/nanokeras.Model.md"]
    for member in overridden:
        base = member.overrides.rpartition(".")[2]
        assert f"| `{member.name}` | {member.kind} | overrides `{base}` |" in model


def test_known_subclasses_are_listed_and_linked(pages):
    page = pages["chain/nanokeras.Model.md"]
    line = next(x for x in page.splitlines() if x.startswith("**Known subclasses:**"))
    assert "`Functional`" in line


def test_index_overview_has_the_five_headline_classes_and_what_they_add(pages):
    page = pages["chain/index.md"]
    nodes = [
        x.split()[1]
        for x in diagram(page).splitlines()
        if x.strip().startswith("class ")
    ]
    assert nodes == list(chain.HEADLINE)
    for node in explore.chain("nanokeras.Sequential").classes:
        assert node.doc and node.doc in page  # "what it adds", one line each
    assert "[`Module`](nanokeras.Module.md)" in page


def test_two_bases_with_one_name_get_distinct_diagram_nodes():
    node = explore.ChainClass
    result = explore.Chain(
        "b.Trainer",
        "pkg",
        "static",
        [
            node("a.Trainer", [], "a.py", 1, "", []),
            node("b.Trainer", [], "b.py", 1, "", ["a.Trainer"]),
        ],
    )
    lines = chain.mermaid(result).splitlines()
    assert 'class Trainer_2["Trainer"]' in [x.strip() for x in lines]
    assert "Trainer <|-- Trainer_2" in [x.strip() for x in lines]
