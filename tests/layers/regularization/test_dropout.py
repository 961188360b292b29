"""Dropout: inference identity, training statistics and scaling, noise_shape, misuse."""

import numpy as np
import pytest
from hypothesis import given, settings

import nanokeras as keras
from tests import strategies
from tests.layers.gradcheck import check_layer_gradients


@settings(max_examples=20, deadline=None)
@given(shape=strategies.shapes(min_dims=1))
def test_output_shape_matches_compute_output_shape(shape):
    layer = keras.layers.Dropout(0.3, seed=0)
    out = layer(np.ones(shape), training=True)
    assert out.shape == layer.compute_output_shape(shape) == shape


def test_inference_is_the_identity():
    x = np.random.default_rng(0).normal(size=(4, 5)).astype("float32")
    layer = keras.layers.Dropout(0.5)
    np.testing.assert_array_equal(layer(x).numpy(), x)  # default training=False
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)


def test_training_drops_the_rate_and_scales_the_rest():
    layer = keras.layers.Dropout(0.25, seed=3)
    out = layer(np.ones((200, 100)), training=True).numpy()
    kept = out != 0
    assert abs(1 - kept.mean() - 0.25) < 0.01
    np.testing.assert_allclose(out[kept], 1 / 0.75, rtol=1e-6)


def test_statistics_match_keras(real_keras):
    x = np.ones((300, 100), dtype="float32")
    theirs = np.asarray(real_keras.layers.Dropout(0.4, seed=5)(x, training=True))
    ours = keras.layers.Dropout(0.4, seed=5)(x, training=True).numpy()
    assert abs((ours == 0).mean() - (theirs == 0).mean()) < 0.01
    assert set(np.unique(ours)) == set(np.unique(theirs))
    np.testing.assert_array_equal(
        np.asarray(real_keras.layers.Dropout(0.4)(x, training=False)),
        keras.layers.Dropout(0.4)(x, training=False).numpy(),
    )


@pytest.mark.parametrize("noise_shape", [None, (None, 1, 5)])
def test_same_seed_gives_keras_numpy_backend_masks_call_after_call(
    real_keras, noise_shape
):
    # Both draw from numpy's PCG64 seeded by [seed, counter], so the masks of
    # successive calls are the same bits as Keras 3's numpy backend.
    x = np.random.default_rng(0).normal(size=(3, 4, 5)).astype("float32")
    ours = keras.layers.Dropout(0.3, noise_shape=noise_shape, seed=11)
    theirs = real_keras.layers.Dropout(0.3, noise_shape=noise_shape, seed=11)
    for _ in range(3):
        np.testing.assert_allclose(
            ours(x, training=True).numpy(),
            np.asarray(theirs(x, training=True)),
            rtol=1e-6,
        )


def test_seeded_layers_repeat_and_successive_calls_differ():
    x = np.ones((10, 10))
    a, b = keras.layers.Dropout(0.5, seed=7), keras.layers.Dropout(0.5, seed=7)
    first = a(x, training=True).numpy()
    np.testing.assert_array_equal(first, b(x, training=True).numpy())
    assert not np.array_equal(first, a(x, training=True).numpy())


def test_noise_shape_drops_whole_features():
    layer = keras.layers.Dropout(0.5, noise_shape=(None, 1, 6), seed=1)
    out = layer(np.ones((3, 4, 6)), training=True).numpy()
    # The same features are dropped at every step of a sample.
    np.testing.assert_array_equal(out, np.broadcast_to(out[:, :1, :], out.shape))


def test_gradient_goes_through_kept_values_only():
    layer = keras.layers.Dropout(0.5, seed=2, dtype="float64")
    x = np.random.default_rng(0).normal(size=(3, 4))

    def call(inputs):
        # Reset the generator each call so every evaluation uses one mask.
        layer.seed_generator = keras.random.SeedGenerator(2)
        return layer(inputs, training=True)

    check_layer_gradients(layer, x, call=call)


def test_training_flag_flows_from_an_outer_model():
    inputs = keras.Input(shape=(50,))
    model = keras.Model(inputs, keras.layers.Dropout(0.5, seed=0)(inputs))
    x = np.ones((4, 50))
    assert (model(x, training=True).numpy() == 0).any()
    np.testing.assert_array_equal(model(x).numpy(), x)


def test_config_round_trip():
    layer = keras.layers.Dropout(0.2, noise_shape=(None, 1), seed=4, name="drop")
    config = layer.get_config()
    assert config["rate"] == 0.2 and config["seed"] == 4
    assert keras.layers.Dropout.from_config(config).get_config() == config


def test_no_weights():
    layer = keras.layers.Dropout(0.5)
    layer(np.ones((2, 2)), training=True)
    assert layer.weights == [] and layer.get_weights() == []


@pytest.mark.parametrize("rate", [-0.1, 1.5, "half", None])
def test_invalid_rate_names_layer_and_value(rate):
    with pytest.raises(ValueError) as info:
        keras.layers.Dropout(rate)
    assert "Dropout" in str(info.value) and f"rate={rate!r}" in str(info.value)


def test_noise_shape_of_wrong_rank_names_the_layer():
    layer = keras.layers.Dropout(0.5, noise_shape=(None, 1), name="drop")
    with pytest.raises(ValueError, match=r'"drop".*noise_shape=\(None, 1\)'):
        layer(np.ones((2, 3, 4)), training=True)
