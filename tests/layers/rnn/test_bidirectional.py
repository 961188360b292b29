"""Bidirectional: Keras 3 parity for every merge mode, gradients, shapes, config."""

import numpy as np
import pytest

import nanokeras as keras
from tests.layers.gradcheck import check_layer_gradients

MASK = np.array([[1, 1, 1, 0, 0], [0, 1, 1, 1, 1]], bool)
CASES = [
    (name, merge_mode, options)
    for name in ("SimpleRNN", "GRU", "LSTM")
    for merge_mode in ("concat", "sum", "ave", "mul", None)
    for options in (
        {},
        {"return_sequences": True},
        {"return_sequences": True, "return_state": True},
    )
]


def _as_list(outputs):
    return list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]


@pytest.mark.parametrize("name, merge_mode, options", CASES, ids=str)
def test_parity_with_keras(real_keras, name, merge_mode, options):
    shape = (2, 5, 3)
    theirs = real_keras.layers.Bidirectional(
        getattr(real_keras.layers, name)(3, **options), merge_mode=merge_mode
    )
    ours = keras.layers.Bidirectional(
        getattr(keras.layers, name)(3, **options), merge_mode=merge_mode
    )
    theirs.build(shape)
    ours.build(shape)
    rng = np.random.default_rng(0)
    theirs.set_weights(
        [rng.normal(scale=0.5, size=w.shape).astype("float32") for w in theirs.weights]
    )
    ours.set_weights(theirs.get_weights())
    x = rng.normal(size=shape).astype("float32")
    for mask in (None, MASK):
        expected = _as_list(theirs(x, mask=mask))
        actual = _as_list(ours(x, mask=mask))
        assert len(actual) == len(expected)
        for a, e in zip(actual, expected):
            np.testing.assert_allclose(a.numpy(), np.asarray(e), rtol=1e-5, atol=1e-6)
    expected_shape = str(theirs.compute_output_shape(shape))
    assert str(ours.compute_output_shape(shape)) == expected_shape.replace(
        "[", "("
    ).replace("]", ")")


def test_weights_are_forward_then_backward_copies(real_keras):
    layer = keras.layers.LSTM(3, name="encoder")
    ours = keras.layers.Bidirectional(layer)
    ours.build((None, 4, 2))
    assert ours.forward_layer is not layer  # copies, as Keras makes
    assert ours.forward_layer.name == "forward_encoder"
    assert ours.backward_layer.name == "backward_encoder"
    assert ours.backward_layer.go_backwards and not ours.forward_layer.go_backwards
    forward = ours.forward_layer.weights
    assert ours.weights[:3] == forward and len(ours.weights) == 6
    theirs = real_keras.layers.Bidirectional(real_keras.layers.LSTM(3))
    theirs.build((None, 4, 2))
    assert [w.shape for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]


@pytest.mark.parametrize("merge_mode", ["concat", "ave", None])
def test_gradients_match_finite_differences(merge_mode):
    layer = keras.layers.Bidirectional(
        keras.layers.GRU(2, return_sequences=True, dtype="float64"),
        merge_mode=merge_mode,
        dtype="float64",
    )
    layer.build((2, 4, 2))
    rng = np.random.default_rng(1)
    layer.set_weights([rng.normal(scale=0.5, size=w.shape) for w in layer.weights])
    check_layer_gradients(
        layer, rng.normal(size=(2, 4, 2)), call=lambda t: layer(t, mask=MASK[:, 1:])
    )


def test_custom_backward_layer_and_initial_state():
    forward = keras.layers.SimpleRNN(2, return_state=True)
    backward = keras.layers.SimpleRNN(2, return_state=True, go_backwards=True)
    layer = keras.layers.Bidirectional(forward, backward_layer=backward)
    assert layer.backward_layer is backward
    x = np.ones((3, 4, 2), "float32")
    states = [np.zeros((3, 2), "float32"), np.ones((3, 2), "float32")]
    output, forward_h, backward_h = layer(x, initial_state=states)
    assert output.shape == (3, 4)
    np.testing.assert_allclose(output.numpy()[:, 2:], backward_h.numpy())
    expected = backward(x, initial_state=[states[1]])[1].numpy()
    np.testing.assert_allclose(backward_h.numpy(), expected, rtol=1e-6)


def test_config_round_trip_gives_the_same_outputs(real_keras):
    layer = keras.layers.Bidirectional(
        keras.layers.LSTM(2, return_sequences=True), merge_mode="sum"
    )
    x = np.random.default_rng(2).normal(size=(2, 3, 2))
    expected = layer(x).numpy()
    config = layer.get_config()
    clone = keras.layers.Bidirectional.from_config(config)
    clone(x)
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(clone(x).numpy(), expected)
    assert clone.get_config()["layer"] == config["layer"]
    theirs = real_keras.layers.Bidirectional(real_keras.layers.LSTM(2))
    assert set(theirs.get_config()) == set(config)


def test_in_a_functional_model_with_an_embedding_mask():
    inputs = keras.Input(shape=(None,), dtype="int32")
    x = keras.layers.Embedding(10, 3, mask_zero=True)(inputs)
    x = keras.layers.Bidirectional(keras.layers.LSTM(2, return_sequences=True))(x)
    outputs = keras.layers.Bidirectional(keras.layers.GRU(2))(x)
    model = keras.Model(inputs, outputs)
    assert model.output.shape == (None, 4)
    padded = model(np.array([[3, 4, 0, 0, 0]])).numpy()
    trimmed = model(np.array([[3, 4]])).numpy()
    np.testing.assert_allclose(padded, trimmed, rtol=1e-5, atol=1e-6)
