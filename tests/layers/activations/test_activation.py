"""Activation layer: shapes, gradients, parity with Keras 3, config, misuse."""

import numpy as np
import pytest
from hypothesis import given, settings

import nanokeras as keras
from tests import strategies
from tests.layers.gradcheck import check_layer_gradients


@settings(max_examples=20, deadline=None)
@given(shape=strategies.shapes(min_dims=1))
def test_output_shape_matches_compute_output_shape(shape):
    layer = keras.layers.Activation("tanh")
    out = layer(np.zeros(shape))
    assert out.shape == layer.compute_output_shape(shape) == shape


@pytest.mark.parametrize("name", ["tanh", "sigmoid", "softmax", "elu", "linear"])
def test_gradients_match_finite_differences(name):
    layer = keras.layers.Activation(name, dtype="float64")
    check_layer_gradients(layer, np.random.default_rng(0).normal(size=(3, 4)))


@pytest.mark.parametrize("name", ["relu", "gelu", "softmax", "selu", "softplus"])
def test_parity_with_keras(real_keras, name):
    x = np.random.default_rng(1).normal(size=(4, 5)).astype("float32")
    expected = np.asarray(real_keras.layers.Activation(name)(x))
    ours = keras.layers.Activation(name)(x).numpy()
    np.testing.assert_allclose(ours, expected, rtol=1e-5, atol=1e-6)


def test_accepts_a_callable_and_has_no_weights():
    layer = keras.layers.Activation(lambda x: x * 2.0)
    np.testing.assert_allclose(layer(np.ones((1, 2))).numpy(), [[2.0, 2.0]])
    assert layer.weights == []


def test_config_round_trip():
    layer = keras.layers.Activation("relu", name="act")
    clone = keras.layers.Activation.from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()
    assert clone.get_config()["activation"] == "relu"


def test_symbolic_call():
    y = keras.layers.Activation("relu")(keras.Input(shape=(2, 3)))
    assert y.shape == (None, 2, 3)


def test_unknown_activation_names_it():
    with pytest.raises(ValueError, match="relux"):
        keras.layers.Activation("relux")
