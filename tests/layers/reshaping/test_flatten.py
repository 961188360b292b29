"""Flatten: shapes, gradients, parity with Keras 3, config, symbolic calls, misuse."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nanokeras as keras
from tests import strategies
from tests.layers.gradcheck import check_layer_gradients


@settings(max_examples=20, deadline=None)
@given(
    shape=strategies.shapes(min_dims=1, max_dims=4),
    data_format=st.sampled_from(["channels_last", "channels_first"]),
)
def test_output_shape_matches_compute_output_shape(shape, data_format):
    layer = keras.layers.Flatten(data_format=data_format)
    out = layer(np.zeros(shape))
    assert out.shape == layer.compute_output_shape(shape)
    assert out.shape == (shape[0], int(np.prod(shape[1:])))


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_gradients_match_finite_differences(data_format):
    layer = keras.layers.Flatten(data_format=data_format, dtype="float64")
    check_layer_gradients(layer, np.random.default_rng(0).normal(size=(2, 3, 2, 2)))


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("shape", [(2, 3), (2, 3, 4), (2, 3, 4, 5), (4,)])
def test_parity_with_keras(real_keras, data_format, shape):
    x = np.random.default_rng(1).normal(size=shape).astype("float32")
    expected = np.asarray(real_keras.layers.Flatten(data_format=data_format)(x))
    ours = keras.layers.Flatten(data_format=data_format)(x).numpy()
    np.testing.assert_array_equal(ours, expected)


def test_symbolic_call_with_unknown_sizes():
    assert keras.layers.Flatten()(keras.Input(shape=(3, 4))).shape == (None, 12)
    assert keras.layers.Flatten()(keras.Input(shape=(None, 4))).shape == (None, None)


def test_config_round_trip():
    layer = keras.layers.Flatten(data_format="channels_first", name="flat")
    config = layer.get_config()
    assert keras.layers.Flatten.from_config(config).get_config() == config


def test_scalar_input_is_rejected_naming_the_layer():
    with pytest.raises(ValueError, match=r'layer "flat".*min_ndim=1, found ndim=0'):
        keras.layers.Flatten(name="flat")(np.float32(1.0))


def test_bad_data_format_names_layer_and_value():
    with pytest.raises(ValueError, match="Flatten.*data_format='nhwc'"):
        keras.layers.Flatten(data_format="nhwc")
