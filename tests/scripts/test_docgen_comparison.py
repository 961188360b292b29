"""The nanokeras-vs-Keras page: the `Mirrors:` lines and Keras 3's own chain."""

import pytest

from scripts import explorer
from scripts.docgen import cache, comparison


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "keras/engine/base_layer.py (tf.keras 2.x), "
            "keras/src/layers/layer.py (Keras 3)",
            {
                "tf.keras 2.x": "keras/engine/base_layer.py",
                "Keras 3": "keras/src/layers/layer.py",
            },
        ),
        (
            "tensorflow/python/module/module.py (tf.Module; stand-in, not Keras code)",
            {"TensorFlow": "tensorflow/python/module/module.py (tf.Module)"},
        ),
        (
            "tensorflow/python/ops/math_ops.py + math_grad.py "
            "(tf.keras 2.x's backend); "
            "keras/src/ops/numpy.py (Keras 3). Stand-in, not Keras code.",
            {
                "TensorFlow": "tensorflow/python/ops/math_ops.py + math_grad.py",
                "Keras 3": "keras/src/ops/numpy.py",
            },
        ),
        (
            "a.py + b.py (tf.nn.max_pool, tf.nn.avg_pool); c.py (Keras 3). "
            "Stand-in, not Keras code.",
            {
                "TensorFlow": "a.py + b.py (tf.nn.max_pool, tf.nn.avg_pool)",
                "Keras 3": "c.py",
            },
        ),
    ],
)
def test_parse_mirrors_reads_the_fixed_form_and_its_backend_variants(text, expected):
    assert comparison.parse_mirrors(text) == expected


def test_every_mirrors_line_names_a_keras_or_tensorflow_file():
    rows, _ = comparison.module_rows(explorer.source_for())
    files = {row["file"] for row in rows}
    assert {
        "engine/base_layer.py",
        "backend/module.py",
        "engine/sequential.py",
    } <= files
    for row in rows:
        # Some files have no tf.keras 2.x counterpart (Keras 3 split them out).
        assert {"tf.keras 2.x", "Keras 3", "TensorFlow"} & set(row), row
    base_layer = next(row for row in rows if row["file"] == "engine/base_layer.py")
    assert base_layer["tf.keras 2.x"] == "keras/engine/base_layer.py"
    assert base_layer["Keras 3"] == "keras/src/layers/layer.py"


def test_left_out_and_simplified_paragraphs_fill_the_last_column(tmp_path):
    (tmp_path / "thing.py").write_text(
        '"""A thing.\n\nMirrors: keras/thing.py (tf.keras 2.x), '
        "keras/src/thing.py (Keras 3)\n\n"
        'Left out: masking and\nragged inputs.\n\nSimplified: one dtype.\n"""\n'
    )
    source = explorer.Source("nanokeras", "export", tmp_path, ("thing",))
    (row,), without = comparison.module_rows(source)
    assert row["left out"] == "masking and ragged inputs. one dtype."
    assert without == []


@pytest.mark.keras
def test_page_puts_keras_runtime_chain_beside_ours(real_keras):
    page = comparison.pages()["keras-comparison.md"]
    assert "| `engine/base_layer.py` |" in page or "engine/base_layer.py" in page
    table = page[page.index("| | nanokeras | Keras 3 |") :]
    assert "`keras.src.backend.numpy.layer.NumpyLayer`" in table
    assert "`nanokeras.Sequential`" in table and "`keras.Sequential`" in table
    assert "static and runtime chains disagree" in page


def test_page_builds_without_keras_and_says_why(monkeypatch, tmp_path):
    # An empty cache: the traced chain of the installed Keras is not reused.
    monkeypatch.setattr(cache, "FOLDER", tmp_path)
    # The chain is traced in a subprocess: ask it for a package that is not
    # installed, as a machine without Keras would.
    monkeypatch.setattr(comparison, "KERAS_SEQUENTIAL", "nosuchkeras.Sequential")
    page = comparison.pages()["keras-comparison.md"]
    assert "package 'nosuchkeras' not found" in page
    table = page[page.index("| | nanokeras | Keras 3 |") :]
    assert "`nanokeras.Sequential`" in table
