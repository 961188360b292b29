"""Reshape: shapes (with -1), gradients, parity with Keras 3, config, misuse."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nanokeras as keras
from tests import strategies
from tests.layers.gradcheck import check_layer_gradients


@settings(max_examples=25, deadline=None)
@given(shape=strategies.shapes(min_dims=2), data=st.data())
def test_output_shape_matches_compute_output_shape(shape, data):
    total = math.prod(shape[1:])
    first = data.draw(
        st.sampled_from([d for d in range(1, total + 1) if total % d == 0])
    )
    target = data.draw(st.sampled_from([(first, total // first), (first, -1), (-1,)]))
    layer = keras.layers.Reshape(target)
    out = layer(np.zeros(shape))
    assert out.shape == layer.compute_output_shape(shape)
    assert out.shape[0] == shape[0] and math.prod(out.shape[1:]) == total


def test_gradients_match_finite_differences():
    layer = keras.layers.Reshape((2, -1), dtype="float64")
    check_layer_gradients(layer, np.random.default_rng(0).normal(size=(2, 3, 2)))


@pytest.mark.parametrize("target", [(3, 4), (-1, 2), (2, 3, 2), (12,)])
def test_parity_with_keras(real_keras, target):
    x = np.random.default_rng(1).normal(size=(2, 4, 3)).astype("float32")
    expected = np.asarray(real_keras.layers.Reshape(target)(x))
    np.testing.assert_array_equal(keras.layers.Reshape(target)(x).numpy(), expected)


def test_symbolic_call_resolves_minus_one_or_keeps_unknown():
    assert keras.layers.Reshape((-1, 2))(keras.Input(shape=(3, 4))).shape == (
        None,
        6,
        2,
    )
    unknown = keras.layers.Reshape((-1, 2))(keras.Input(shape=(None, 4)))
    assert unknown.shape == (None, None, 2)


def test_config_round_trip():
    layer = keras.layers.Reshape((2, -1), name="re")
    config = layer.get_config()
    assert config["target_shape"] == (2, -1)
    assert keras.layers.Reshape.from_config(config).get_config() == config


def test_size_mismatch_names_layer_and_shapes():
    layer = keras.layers.Reshape((5,), name="re")
    with pytest.raises(ValueError) as info:
        layer(np.ones((2, 3, 4)))
    message = str(info.value)
    assert '"re"' in message and "(3, 4)" in message and "target_shape=(5,)" in message
    with pytest.raises(ValueError, match="target_shape=\\(5, -1\\)"):
        keras.layers.Reshape((5, -1))(np.ones((2, 12)))


@pytest.mark.parametrize("target", [(-1, -1), (0, 3), (2.5,), 7, ("a",)])
def test_invalid_target_shape_names_layer_and_value(target):
    with pytest.raises(ValueError) as info:
        keras.layers.Reshape(target)
    assert "Reshape" in str(info.value) and "target_shape=" in str(info.value)
