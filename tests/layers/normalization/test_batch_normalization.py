"""BatchNormalization: training vs inference, moving statistics, parity, misuse."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nanokeras as keras
from tests.layers.gradcheck import check_layer_gradients

BN = keras.layers.BatchNormalization


@settings(max_examples=20, deadline=None)
@given(
    shape=st.lists(st.integers(1, 4), min_size=2, max_size=4).map(tuple),
    data=st.data(),
    training=st.booleans(),
)
def test_output_shape_matches_compute_output_shape(shape, data, training):
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    layer = BN(axis=axis)
    out = layer(np.random.default_rng(0).normal(size=shape), training=training)
    assert out.shape == layer.compute_output_shape(shape) == shape


def _random_weights(layer, seed=0):
    # Positive values suit every weight, the moving variance included.
    rng = np.random.default_rng(seed)
    layer.set_weights([rng.uniform(0.5, 2, w.shape) for w in layer.get_weights()])


@pytest.mark.parametrize("training", [False, True])
@pytest.mark.parametrize(
    "axis, shape", [(-1, (5, 3)), (1, (4, 3, 2, 2)), (-1, (2, 3, 4))]
)
@pytest.mark.parametrize(
    "flags", [{}, {"scale": False}, {"scale": False, "center": False}]
)
def test_gradients_match_finite_differences(training, axis, shape, flags):
    layer = BN(axis=axis, dtype="float64", **flags)
    x = np.random.default_rng(1).normal(size=shape) * 2 + 1
    layer(x)  # build
    _random_weights(layer)
    # Training calls move the moving statistics, which do not feed the output.
    check_layer_gradients(layer, x, call=lambda t: layer(t, training=training))


@pytest.mark.parametrize(
    "config",
    [
        {},
        {"axis": 1, "momentum": 0.9},
        {"center": False},
        {"scale": False, "epsilon": 0.1},
    ],
)
@pytest.mark.parametrize("shape", [(8, 3), (4, 3, 2, 5)])
def test_parity_with_keras_in_training_and_inference(real_keras, config, shape):
    if config.get("axis") == 1 and len(shape) == 2:
        config = {**config, "axis": -1}
    ours, theirs = BN(**config), real_keras.layers.BatchNormalization(**config)
    ours.build(shape)
    theirs.build(shape)
    rng = np.random.default_rng(2)
    weights = [
        rng.uniform(0.5, 2, w.shape).astype("float32") for w in theirs.get_weights()
    ]
    theirs.set_weights(weights)
    ours.set_weights(theirs.get_weights())
    for step in range(3):
        x = (rng.normal(size=shape) * 3 + step).astype("float32")
        for training in (True, False):
            np.testing.assert_allclose(
                ours(x, training=training).numpy(),
                np.asarray(theirs(x, training=training)),
                rtol=1e-5,
                atol=1e-6,
            )
        # The moving statistics follow Keras's momentum rule step by step.
        for mine, keras_weight in zip(ours.get_weights(), theirs.get_weights()):
            np.testing.assert_allclose(mine, keras_weight, rtol=1e-5, atol=1e-6)


def test_weight_order_names_and_trainability_follow_keras(real_keras):
    ours, theirs = BN(), real_keras.layers.BatchNormalization()
    ours.build((None, 3))
    theirs.build((None, 3))
    names = [w.name.split("/")[-1].split(":")[0] for w in ours.weights]
    assert names == [w.name for w in theirs.weights]
    assert names == ["gamma", "beta", "moving_mean", "moving_variance"]
    assert len(ours.trainable_weights) == 2 and len(ours.non_trainable_weights) == 2


def test_momentum_rule_and_inference_uses_moving_statistics():
    layer = BN(momentum=0.9, epsilon=1e-3)
    x = np.array([[0.0], [2.0], [4.0], [6.0]], dtype="float32")
    layer(x, training=True)
    mean, variance = layer.get_weights()[2:]
    np.testing.assert_allclose(mean, [0.9 * 0 + 0.1 * 3.0], rtol=1e-6)
    np.testing.assert_allclose(variance, [0.9 * 1 + 0.1 * 5.0], rtol=1e-6)
    inference = layer(x, training=False).numpy()
    np.testing.assert_allclose(inference, (x - 0.3) / np.sqrt(1.4 + 1e-3), rtol=1e-5)
    np.testing.assert_allclose(layer(x).numpy(), inference)  # default: inference


def test_a_frozen_layer_runs_in_inference_mode_even_in_training():
    layer = BN()
    x = np.random.default_rng(3).normal(size=(6, 2)).astype("float32")
    layer(x)
    layer.trainable = False
    before = layer.get_weights()
    out = layer(x, training=True).numpy()
    np.testing.assert_array_equal(out, layer(x, training=False).numpy())
    for a, b in zip(before, layer.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_training_flag_flows_from_a_model_fit_step():
    inputs = keras.Input(shape=(3,))
    model = keras.Model(inputs, BN()(inputs))
    x = np.random.default_rng(4).normal(size=(16, 3)).astype("float32") + 5
    model(x, training=True)
    assert not np.allclose(model.layers[-1].get_weights()[2], 0)


def test_masked_steps_do_not_count_in_the_statistics(real_keras):
    x = np.random.default_rng(5).normal(size=(2, 4, 3)).astype("float32")
    mask = np.array([[True, True, False, False], [True, True, True, False]])
    ours, theirs = BN(), real_keras.layers.BatchNormalization()
    ours.build(x.shape)
    theirs.build(x.shape)
    ours_out = ours(x, training=True, mask=mask)
    theirs_out = theirs(x, training=True, mask=mask)
    np.testing.assert_allclose(
        ours_out.numpy(), np.asarray(theirs_out), rtol=1e-5, atol=1e-6
    )
    np.testing.assert_allclose(
        ours.get_weights()[2], theirs.get_weights()[2], rtol=1e-5, atol=1e-7
    )


def test_symbolic_call_and_config_round_trip(real_keras):
    layer = BN(axis=1, momentum=0.8, gamma_regularizer="l2", name="bn")
    assert layer(keras.Input(shape=(3, 4, 5))).shape == (None, 3, 4, 5)
    config = layer.get_config()
    assert BN.from_config(config).get_config() == config
    assert set(real_keras.layers.BatchNormalization().get_config()) <= set(config)


@pytest.mark.parametrize(
    "kwargs, error, text",
    [
        ({"axis": "last"}, TypeError, "axis='last'"),
        ({"momentum": 1.5}, ValueError, "momentum=1.5"),
        ({"epsilon": 0}, ValueError, "epsilon=0"),
        ({"renorm": True}, NotImplementedError, "renorm=True"),
    ],
)
def test_bad_arguments_name_layer_and_value(kwargs, error, text):
    with pytest.raises(error) as info:
        BN(**kwargs)
    assert "BatchNormalization" in str(info.value) and text in str(info.value)


def test_axis_out_of_range_and_wrong_width_name_the_layer():
    with pytest.raises(ValueError, match=r'Axis 3 is out of bounds.*"bn"'):
        BN(axis=3, name="bn")(np.ones((2, 3)))
    layer = BN(name="bn2")
    layer(np.ones((2, 3)))
    with pytest.raises(
        ValueError,
        match=r'layer "bn2".*expected axis -1 of input shape to have value 3',
    ):
        layer(np.ones((2, 4)))
