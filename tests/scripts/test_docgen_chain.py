"""The class-chain pages: one per public class, diagrams and member tables."""

import re

import pytest

from scripts import explorer
from scripts.docgen import chain


@pytest.fixture(scope="module")
def pages(with_source_pages):
    return chain.pages()


def canonical_classes() -> dict[str, str]:
    return chain.public_classes(explorer.aliases())


def test_one_page_per_public_class_named_by_its_first_export_path(pages):
    canonical = canonical_classes()
    assert canonical["backend.module.Module"] == "nanokeras.Module"
    expected = {f"chain/{public}.md" for public in canonical.values()}
    assert set(pages) == expected | {"chain/index.md", "chain/SUMMARY.md"}
    # The navigation holds the overview only; the overview lists every class.
    assert pages["chain/SUMMARY.md"] == "* [All class chains](index.md)\n"
    listed = re.findall(r"^- \[`[\w.]+`\]\((.*)\.md\)$", pages["chain/index.md"], re.M)
    assert sorted(listed) == sorted(canonical.values())


def diagram(page: str) -> str:
    return re.search(r"```mermaid\n(.*?)```", page, re.S).group(1)


def boxes(page: str) -> dict[str, list[str]]:
    """Each class box of a page's diagram -> the members it shows, in order."""
    return {
        name: [
            member.replace("#95;", "_")
            for member in re.findall(r"^\s+\+([\w#;]+)", body, re.M)
        ]
        for name, body in re.findall(
            r"class (\w+) \{\n(.*?)\n    \}", diagram(page), re.S
        )
    }


def test_boxes_show_the_defining_members_lifecycle_first(pages):
    """Own members and overrides, ranked: what a learner looks for comes first."""
    model = boxes(pages["chain/nanokeras.Sequential.md"])
    assert model["Layer"][:4] == ["__init__", "build", "call", "__call__"]
    assert {"compile", "fit", "train_step"} <= set(model["Model"])
    assert model["Model"].index("compile") < model["Model"].index("fit")
    # Functional and Sequential define little that is new but override a lot.
    assert "call" in model["Functional"]
    assert model["Sequential"][:3] == ["__init__", "build", "call"]
    assert "add" in model["Sequential"]
    dense = boxes(pages["chain/nanokeras.layers.Dense.md"])["Dense"]
    assert dense[:3] == ["__init__", "build", "call"]
    assert "get_config" in dense


def test_each_box_opens_its_annotated_source(pages):
    lines = diagram(pages["chain/nanokeras.layers.Dense.md"]).splitlines()
    clicks = [line.strip() for line in lines if line.strip().startswith("click ")]
    dense = explorer.chain("nanokeras.layers.Dense").classes[-1]
    # The built page is chain/nanokeras.layers.Dense/, so two folders up.
    assert (
        f'click Dense href "../../source/layers/core/dense/#L{dense.line}" '
        '"Dense: annotated source"'
    ) in clicks
    assert len(clicks) == 3  # Module, Layer, Dense


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
    # The class itself first, then its ancestors folded, nearest base first.
    assert re.findall(r"^## .*$", page, re.M)[:2] == [
        "## What `Sequential` defines",
        "## What it inherits",
    ]
    folded = re.findall(r'^\?\?\? abstract "`(\w+)`"$', page, re.M)
    assert folded == ["Functional", "Model", "Layer", "Module"]


def test_member_rows_link_to_their_line_in_the_annotated_source(pages):
    page = pages["chain/nanokeras.Module.md"]
    result = explorer.chain("nanokeras.Module")
    init = next(m for m in result.classes[0].introduces if m.name == "__init__")
    row = f"| `__init__` | method | introduces | [`L{init.line}`]"
    assert row + f"(../source/backend/module.md#L{init.line}) |" in page
    layer = pages["chain/nanokeras.layers.Layer.md"]
    assert re.search(r"\| `__setattr__` \| method \| introduces \|", layer)
    overridden = explorer.chain("nanokeras.Model").classes[-1].overrides
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
    for node in explorer.chain("nanokeras.Sequential").classes:
        assert node.doc and node.doc in page  # "what it adds", one line each
    assert "[`Module`](nanokeras.Module.md)" in page


def test_two_bases_with_one_name_get_distinct_diagram_nodes():
    node = explorer.ChainClass
    result = explorer.Chain(
        "b.Trainer",
        "pkg",
        "static",
        [
            node("a.Trainer", [], "a.py", 1, "", []),
            node("b.Trainer", [], "b.py", 1, "", ["a.Trainer"]),
        ],
    )
    lines = chain.mermaid(result, "chain/b.Trainer.md").splitlines()
    assert 'class Trainer_2["Trainer"]' in [x.strip() for x in lines]
    assert "Trainer <|-- Trainer_2" in [x.strip() for x in lines]
