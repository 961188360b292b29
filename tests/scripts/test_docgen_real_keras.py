"""The generated Real Keras pages: chains, aliases and side-by-side methods."""

import re

import pytest

from scripts.docgen import real_keras, side_by_side
from scripts.realkeras import permalinks


@pytest.fixture(scope="module")
def pages():
    found = real_keras.pages()
    found.update(side_by_side.pages())
    return found


def _mermaid(text: str) -> str:
    return text.split("```mermaid", 1)[1].split("```", 1)[0]


def test_keras26_sequential_primary_chain_is_the_books(pages):
    page = pages[real_keras.chain_page("keras2", "Sequential")]
    diagram = _mermaid(page)
    classes = re.findall(r"^\s+class (\w+)", diagram, re.M)
    assert classes == ["tf_Module", "Layer", "Model", "Functional", "Sequential"]
    assert "<<TensorFlow>>" in diagram  # tf.Module is outside the wheel
    for edge in ("tf_Module <|-- Layer", "Model <|-- Functional"):
        assert edge in diagram
    # The full MRO beside it passes through TensorFlow's bases and the
    # version selectors.
    for name in ("AutoTrackable", "Trackable", "LayerVersionSelector"):
        assert f"| `{name}` |" in page


def test_keras3_sequential_follows_the_tensorflow_backend(pages):
    page = pages[real_keras.chain_page("keras3", "Sequential")]
    assert "`TensorFlowTrainer`" in page and "`TFLayer`" in page
    assert "`tensorflow` backend's branch" in page


_ROW = re.compile(
    r"^\| `(?P<name>[^`]+)` \|.*?\[L(?P<line>\d+)\]\((?P<url>[^)]+)\)", re.M
)


def test_every_member_link_opens_on_its_line(pages):
    checked = 0
    for text in pages.values():
        for match in _ROW.finditer(text):
            url = match["url"]
            tag, _, rest = url.split("/blob/")[1].partition("/")
            file = rest.split("#")[0]
            name = match["name"].replace("\\", "")
            assert permalinks.check(name, tag, file, int(match["line"])) == "", url
            checked += 1
        for match in permalinks.PERMALINK.finditer(text):
            line = int(match["line"]) if match["line"] else None
            why = permalinks.check(match["text"], match["tag"], match["file"], line)
            assert why == "", match["url"]
            checked += 1
    assert checked > 2000


def test_every_github_link_is_pinned(pages):
    links = [
        link
        for text in pages.values()
        for link in re.findall(r"github\.com/keras-team/keras/?([^)\s]*)", text)
    ]
    assert len(links) > 2000
    for rest in links:
        kind, _, tail = rest.partition("/")
        assert kind in ("blob", "tree"), rest
        assert tail.partition("/")[0] in ("v2.6.0", "v3.15.1"), rest


def test_alias_pages_show_api_versions(pages):
    keras2 = pages[real_keras.aliases_namespace_page("keras2", "keras.layers")]
    assert "| `keras.layers.CuDNNLSTM` | v1 |" in keras2
    assert "| `keras.layers.Dense` | v1 v2 |" in keras2


def test_alias_index_links_one_page_per_namespace_holding_every_path(pages):
    for key in ("keras2", "keras3"):
        index = pages[real_keras.aliases_page(key)]
        total = int(re.search(r"^(\d+) public paths", index, re.M).group(1))
        listed = 0
        for namespace, count in re.findall(
            r"^\| \[`([\w.]+)`\]\([^)]+\) \| (\d+) \|", index, re.M
        ):
            page = pages[real_keras.aliases_namespace_page(key, namespace)]
            rows = re.findall(r"^\| `([\w.]+)` \|", page, re.M)
            assert len(rows) == int(count), namespace
            assert all(real_keras.namespace_of(row) == namespace for row in rows)
            listed += len(rows)
        assert listed == total > 500


def test_side_by_side_matches_methods_and_notes_what_ours_leaves_out(pages):
    layer = pages["real-keras/side-by-side/Layer.md"]
    assert "## `__call__`" in layer
    assert "What ours leaves out" in layer
    assert '=== "tf.keras 2.6"' in layer and '=== "Keras 3.15"' in layer
    functional = pages["real-keras/side-by-side/Functional.md"]
    assert "Keras 3 does this in `_run_through_graph`" in functional


def test_left_out_names_features_only_theirs_mentions():
    theirs = "with tf.function():\n  strategy.run(x)\n  ragged = 1"
    assert side_by_side.left_out("x = 1", theirs) == [
        "`tf.function` compilation",
        "distribution strategies",
        "ragged tensors",
    ]
    assert side_by_side.left_out(theirs, theirs) == []
