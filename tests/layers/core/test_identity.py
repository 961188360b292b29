"""Identity: returns its inputs (values, dtype, mask) unchanged."""

import numpy as np
from hypothesis import given, settings

import nanokeras as keras
from engine.masking import get_keras_mask
from tests import strategies
from tests.layers.gradcheck import check_layer_gradients


@settings(max_examples=20, deadline=None)
@given(shape=strategies.shapes(min_dims=1))
def test_output_shape_matches_compute_output_shape(shape):
    layer = keras.layers.Identity()
    x = np.random.default_rng(0).normal(size=shape)
    out = layer(x)
    assert out.shape == layer.compute_output_shape(shape) == shape
    np.testing.assert_allclose(out.numpy(), x.astype("float32"))


def test_gradient_is_the_identity():
    check_layer_gradients(
        keras.layers.Identity(dtype="float64"),
        np.random.default_rng(1).normal(size=(2, 3)),
    )


def test_parity_with_keras(real_keras):
    x = np.random.default_rng(2).normal(size=(2, 3)).astype("float32")
    np.testing.assert_array_equal(
        keras.layers.Identity()(x).numpy(), np.asarray(real_keras.layers.Identity()(x))
    )


def test_symbolic_call_keeps_shape_and_dtype():
    y = keras.layers.Identity()(keras.Input(shape=(3,), dtype="int32"))
    assert y.shape == (None, 3) and y.dtype == "int32"


def test_mask_passes_through():
    embedded = keras.layers.Embedding(4, 2, mask_zero=True)(np.array([[0, 3]]))
    out = keras.layers.Identity()(embedded)
    np.testing.assert_array_equal(get_keras_mask(out).numpy(), [[False, True]])


def test_config_round_trip_and_no_weights():
    layer = keras.layers.Identity(name="same")
    assert keras.layers.Identity.from_config(layer.get_config()).name == "same"
    assert layer.weights == [] and layer.built
