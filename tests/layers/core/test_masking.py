"""Masking: the mask it makes, the zeroed outputs, parity with Keras 3, config."""

import numpy as np

import nanokeras as keras

X = np.array(
    [[[1.0, 2.0], [0.0, 0.0], [3.0, 0.0]], [[-1.0, -1.0], [-1.0, -1.0], [0.0, 0.0]]],
    "float32",
)


def test_mask_and_outputs_match_keras(real_keras):
    for value in (0.0, -1.0):
        ours = keras.layers.Masking(mask_value=value)(X)
        layer = real_keras.layers.Masking(mask_value=value)
        np.testing.assert_array_equal(ours.numpy(), np.asarray(layer(X)))
        # Keras's numpy arrays hold no attribute: ask the layer for the mask.
        np.testing.assert_array_equal(
            ours._keras_mask.numpy(), np.asarray(layer.compute_mask(X))
        )


def test_compute_mask_and_symbolic_mask():
    layer = keras.layers.Masking()
    np.testing.assert_array_equal(
        layer.compute_mask(X).numpy(), [[True, False, True], [True, True, False]]
    )
    symbolic = keras.layers.Masking()(keras.Input((None, 2)))
    assert symbolic._keras_mask.shape == (None, None)
    assert symbolic._keras_mask.dtype == "bool"


def test_config_round_trip():
    layer = keras.layers.Masking(mask_value=-1.0, name="pad")
    clone = keras.layers.Masking.from_config(layer.get_config())
    assert clone.mask_value == -1.0 and clone.name == "pad"
