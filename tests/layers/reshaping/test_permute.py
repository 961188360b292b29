"""Permute: shapes, gradients, parity with Keras 3, config, misuse."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nanokeras as keras
from tests import strategies
from tests.layers.gradcheck import check_layer_gradients


@settings(max_examples=25, deadline=None)
@given(shape=strategies.shapes(min_dims=2, max_dims=4), data=st.data())
def test_output_shape_matches_compute_output_shape(shape, data):
    dims = tuple(data.draw(st.permutations(range(1, len(shape)))))
    layer = keras.layers.Permute(dims)
    out = layer(np.zeros(shape))
    assert out.shape == layer.compute_output_shape(shape)
    assert out.shape == (shape[0],) + tuple(shape[d] for d in dims)


def test_gradients_match_finite_differences():
    layer = keras.layers.Permute((3, 1, 2), dtype="float64")
    check_layer_gradients(layer, np.random.default_rng(0).normal(size=(2, 3, 2, 2)))


@pytest.mark.parametrize("dims", [(2, 1), (1, 2)])
def test_parity_with_keras(real_keras, dims):
    x = np.random.default_rng(1).normal(size=(2, 4, 3)).astype("float32")
    expected = np.asarray(real_keras.layers.Permute(dims)(x))
    np.testing.assert_array_equal(keras.layers.Permute(dims)(x).numpy(), expected)


def test_symbolic_call():
    y = keras.layers.Permute((2, 1))(keras.Input(shape=(10, 64)))
    assert y.shape == (None, 64, 10)


def test_config_round_trip():
    layer = keras.layers.Permute((2, 1))
    config = layer.get_config()
    assert keras.layers.Permute.from_config(config).get_config() == config


@pytest.mark.parametrize("dims", [(0, 1), (1, 3), (2, 2), 5])
def test_invalid_dims_name_layer_and_value(dims):
    with pytest.raises(ValueError) as info:
        keras.layers.Permute(dims)
    assert "Permute" in str(info.value) and f"dims={dims!r}" in str(info.value)


def test_wrong_input_rank_names_the_layer():
    with pytest.raises(
        ValueError, match=r'layer "perm".*expected ndim=3, found ndim=2'
    ):
        keras.layers.Permute((2, 1), name="perm")(np.ones((2, 3)))
