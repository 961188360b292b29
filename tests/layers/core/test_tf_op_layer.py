"""Ops on KerasTensors: recorded as TFOpLambda layers, run, saved and reloaded."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import nanokeras as keras
from layers.core.tf_op_layer import TFOpLambda
from nanokeras import ops


def _model():
    x = keras.Input((3,), name="x")
    y = keras.Input((3,), name="y")
    mixed = ops.mean(x * 2.0 + y, axis=-1, keepdims=True)
    joined = ops.concatenate([mixed, x[:, 1:]], axis=-1)
    return keras.Model([x, y], [joined, -mixed, 1.0 - ops.relu(y)])


def _expected(a, b):
    mixed = np.mean(a * 2.0 + b, axis=-1, keepdims=True)
    return [np.concatenate([mixed, a[:, 1:]], axis=-1), -mixed, 1.0 - np.maximum(b, 0)]


DATA = [
    np.random.default_rng(0).normal(size=(4, 3)).astype("float32"),
    np.random.default_rng(1).normal(size=(4, 3)).astype("float32"),
]


def test_ops_and_operators_on_keras_tensors_become_graph_layers():
    model = _model()
    op_layers = [layer for layer in model.layers if isinstance(layer, TFOpLambda)]
    names = sorted(layer.symbol for layer in op_layers)
    assert names == sorted(
        ["ops.multiply", "ops.add", "ops.mean", "ops.getitem", "ops.concatenate"]
        + ["ops.negative", "ops.relu", "ops.subtract"]
    )
    assert model.outputs[0].shape == (None, 3) and model.outputs[1].shape == (None, 1)
    assert all(layer.weights == [] for layer in op_layers)


def test_the_model_computes_what_the_ops_say():
    for ours, expected in zip(_model()(DATA), _expected(*DATA)):
        np.testing.assert_allclose(ours.numpy(), expected, rtol=1e-6)


def test_the_config_is_json_and_rebuilds_the_same_graph():
    model = _model()
    config = json.loads(json.dumps(model.get_config()))
    ops_config = [e for e in config["layers"] if e["class_name"] == "TFOpLambda"]
    assert {e["config"]["function"] for e in ops_config} >= {"ops.mean", "ops.getitem"}
    clone = keras.Model.from_config(config)
    for ours, theirs in zip(clone(DATA), model(DATA)):
        np.testing.assert_allclose(ours.numpy(), theirs.numpy())


def test_the_model_trains_saves_and_loads(tmp_path):
    model = _model()
    model.compile("sgd", ["mse", "mse", "mse"])
    model.fit(DATA, _expected(*DATA), epochs=1, verbose=0)
    path = tmp_path / "ops.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    for ours, theirs in zip(loaded(DATA), model(DATA)):
        np.testing.assert_allclose(ours.numpy(), theirs.numpy())


def test_ops_between_layers_carry_gradients_to_the_layers():
    x = keras.Input((2,))
    hidden = keras.layers.Dense(3)(x)
    model = keras.Model(x, keras.layers.Dense(1)(ops.square(hidden) * 0.5))
    model.compile("sgd", "mse")
    before = [w.copy() for w in model.get_weights()]
    model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0)
    assert all(not np.allclose(a, b) for a, b in zip(before, model.get_weights()))


def test_shape_of_a_keras_tensor_is_its_static_shape():
    x = keras.Input((None, 4))
    assert ops.shape(x) == (None, None, 4)


def test_a_non_public_function_cannot_be_saved():
    layer = TFOpLambda(lambda t: t)
    with pytest.raises(ValueError, match="no public `nanokeras.ops` path"):
        layer.get_config()


def test_an_unknown_op_in_a_config_is_a_clear_error():
    with pytest.raises(ValueError, match="Unknown op `nanokeras.ops.frobnicate`"):
        TFOpLambda.from_config({"name": "f", "function": "ops.frobnicate"})


def test_comparisons_keep_identity_semantics():
    x = keras.Input((2,))
    y = keras.Input((2,))
    assert [x, y].index(y) == 1
    assert (x > 0.0).dtype == "bool"


def test_importing_nanokeras_alone_lets_ops_take_keras_tensors():
    # A fresh interpreter, so no test's import of tf_op_layer registers the
    # dispatcher first: `import nanokeras` must be enough, as in a tutorial.
    code = (
        "import nanokeras as keras\n"
        "x = keras.Input((4,))\n"
        "y = x - keras.ops.mean(x, axis=-1, keepdims=True)\n"
        "print(type(keras.Model(x, y).layers[-1]).__name__)\n"
    )
    root = Path(__file__).resolve().parents[3]
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "TFOpLambda"


def test_a_number_on_the_left_of_any_operator_takes_the_reflected_op():
    x = keras.Input((3,))
    outputs = [2.0 + x, 2.0 - x, 2.0 * x, 2.0 / x, 7.0 // x, 7.0 % x, 2.0**x]
    model = keras.Model(x, outputs)
    data = np.array([[1.5, -2.0, 4.0]], dtype="float32")
    expected = [2 + data, 2 - data, 2 * data, 2 / data, 7 // data, 7 % data, 2**data]
    for ours, want in zip(model(data), expected):
        np.testing.assert_allclose(ours.numpy(), want, rtol=1e-6)
