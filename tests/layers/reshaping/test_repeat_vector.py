"""RepeatVector: shapes, gradients, parity with Keras 3, config, misuse."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nanokeras as keras
from tests.layers.gradcheck import check_layer_gradients


@settings(max_examples=20, deadline=None)
@given(batch=st.integers(1, 3), features=st.integers(1, 4), n=st.integers(0, 4))
def test_output_shape_matches_compute_output_shape(batch, features, n):
    layer = keras.layers.RepeatVector(n)
    out = layer(np.zeros((batch, features)))
    assert out.shape == layer.compute_output_shape((batch, features))
    assert out.shape == (batch, n, features)


def test_gradients_sum_over_the_copies():
    layer = keras.layers.RepeatVector(3, dtype="float64")
    check_layer_gradients(layer, np.random.default_rng(0).normal(size=(2, 4)))


def test_parity_with_keras(real_keras):
    x = np.random.default_rng(1).normal(size=(2, 5)).astype("float32")
    expected = np.asarray(real_keras.layers.RepeatVector(3)(x))
    np.testing.assert_array_equal(keras.layers.RepeatVector(3)(x).numpy(), expected)


def test_symbolic_call_and_config_round_trip():
    layer = keras.layers.RepeatVector(4)
    assert layer(keras.Input(shape=(6,))).shape == (None, 4, 6)
    config = layer.get_config()
    assert config["n"] == 4
    assert keras.layers.RepeatVector.from_config(config).get_config() == config


@pytest.mark.parametrize(
    "n, error", [(2.0, TypeError), ("3", TypeError), (-1, ValueError)]
)
def test_invalid_n_names_layer_and_value(n, error):
    with pytest.raises(error) as info:
        keras.layers.RepeatVector(n)
    assert "RepeatVector" in str(info.value) and f"n={n!r}" in str(info.value)


def test_wrong_input_rank_names_the_layer():
    with pytest.raises(ValueError, match=r'layer "rep".*expected ndim=2, found ndim=3'):
        keras.layers.RepeatVector(2, name="rep")(np.ones((2, 3, 4)))
