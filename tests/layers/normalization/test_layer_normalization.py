"""LayerNormalization: shapes, gradients, parity with Keras 3, config, misuse."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nanokeras as keras
from tests.layers.gradcheck import check_layer_gradients

LN = keras.layers.LayerNormalization


@settings(max_examples=20, deadline=None)
@given(
    shape=st.lists(st.integers(1, 4), min_size=2, max_size=4).map(tuple), data=st.data()
)
def test_output_shape_matches_compute_output_shape(shape, data):
    axes = data.draw(st.lists(st.integers(1, len(shape) - 1), min_size=1, unique=True))
    layer = LN(axis=axes if len(axes) > 1 else axes[0])
    out = layer(np.random.default_rng(0).normal(size=shape))
    assert out.shape == layer.compute_output_shape(shape) == shape


def _randomize(layer, seed=0):
    rng = np.random.default_rng(seed)
    layer.set_weights([rng.uniform(0.5, 2, w.shape) for w in layer.get_weights()])


@pytest.mark.parametrize(
    "axis, shape", [(-1, (3, 4)), ([1, 2], (2, 3, 4)), (1, (2, 3, 4))]
)
@pytest.mark.parametrize(
    "flags", [{}, {"center": False}, {"scale": False, "center": False}]
)
def test_gradients_match_finite_differences(axis, shape, flags):
    layer = LN(axis=axis, dtype="float64", **flags)
    x = np.random.default_rng(1).normal(size=shape)
    layer(x)
    _randomize(layer)
    check_layer_gradients(layer, x)


@pytest.mark.parametrize(
    "config",
    [
        {},
        {"axis": [1, 2]},
        {"axis": 1},
        {"center": False},
        {"scale": False, "epsilon": 1e-5},
    ],
)
def test_parity_with_keras(real_keras, config):
    shape = (3, 4, 5)
    ours, theirs = LN(**config), real_keras.layers.LayerNormalization(**config)
    ours.build(shape)
    theirs.build(shape)
    rng = np.random.default_rng(2)
    theirs.set_weights(
        [rng.uniform(0.5, 2, w.shape).astype("float32") for w in theirs.get_weights()]
    )
    ours.set_weights(theirs.get_weights())
    x = (rng.normal(size=shape) * 3 + 1).astype("float32")
    np.testing.assert_allclose(
        ours(x).numpy(), np.asarray(theirs(x)), rtol=1e-5, atol=1e-6
    )
    names = [w.name.split("/")[-1].split(":")[0] for w in ours.weights]
    assert names == [w.name for w in theirs.weights]


def test_each_sample_is_normalised_alone():
    x = np.array([[1.0, 2.0, 3.0], [10.0, 20.0, 30.0]], dtype="float32")
    out = LN(epsilon=1e-6)(x).numpy()
    np.testing.assert_allclose(out[0], out[1], rtol=1e-5)
    np.testing.assert_allclose(out.mean(axis=1), 0, atol=1e-6)


def test_symbolic_call_and_config_round_trip(real_keras):
    layer = LN(axis=[1, 2], epsilon=1e-5, beta_regularizer="l1", name="ln")
    assert layer(keras.Input(shape=(3, 4))).shape == (None, 3, 4)
    config = layer.get_config()
    assert LN.from_config(config).get_config() == config
    assert set(real_keras.layers.LayerNormalization().get_config()) <= set(config)


@pytest.mark.parametrize(
    "kwargs, error, text",
    [
        ({"axis": "last"}, TypeError, "'last'"),
        ({"axis": [1, 2.0]}, TypeError, "[1, 2.0]"),
        ({"epsilon": -1}, ValueError, "epsilon=-1"),
        ({"rms_scaling": True}, NotImplementedError, "rms_scaling=True"),
    ],
)
def test_bad_arguments_name_layer_and_value(kwargs, error, text):
    with pytest.raises(error) as info:
        LN(**kwargs)
    assert "LayerNormalization" in str(info.value) and text in str(info.value)


def test_batch_axis_and_out_of_range_axis_are_refused():
    with pytest.raises(ValueError, match=r'Axis 0 is out of bounds.*"ln"'):
        LN(axis=0, name="ln")(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"Axis 2 is out of bounds.*\(2, 3\)"):
        LN(axis=2)(np.ones((2, 3)))
