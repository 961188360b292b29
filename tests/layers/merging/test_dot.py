"""Dot: shapes, gradients (with normalize), parity with Keras 3, config, misuse."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nanokeras as keras
from tests.layers.gradcheck import check_layer_gradients


@settings(max_examples=25, deadline=None)
@given(
    rest1=st.lists(st.integers(1, 3), max_size=2),
    rest2=st.lists(st.integers(1, 3), max_size=2),
    depth=st.integers(1, 3),
    data=st.data(),
)
def test_output_shape_matches_compute_output_shape(rest1, rest2, depth, data):
    axis1 = data.draw(st.integers(1, len(rest1) + 1))
    axis2 = data.draw(st.integers(1, len(rest2) + 1))
    shape1 = [2] + rest1
    shape1.insert(axis1, depth)
    shape2 = [2] + rest2
    shape2.insert(axis2, depth)
    layer = keras.layers.Dot(axes=(axis1, axis2))
    out = layer([np.ones(shape1), np.ones(shape2)])
    assert out.shape == layer.compute_output_shape([tuple(shape1), tuple(shape2)])


CASES = [
    ((1, 2), [(2, 3, 5), (2, 10, 3)]),
    (1, [(4, 3), (4, 3)]),
    (-1, [(2, 3, 4), (2, 4)]),
    ((2, 1), [(2, 3, 4), (2, 4, 2, 2)]),
]


@pytest.mark.parametrize("normalize", [False, True])
@pytest.mark.parametrize("axes, shapes", CASES)
def test_gradients_match_finite_differences(axes, shapes, normalize):
    rng = np.random.default_rng(0)
    xs = [rng.normal(size=s) for s in shapes]
    layer = keras.layers.Dot(axes=axes, normalize=normalize, dtype="float64")
    check_layer_gradients(layer, xs)


@pytest.mark.parametrize("normalize", [False, True])
@pytest.mark.parametrize("axes, shapes", CASES)
def test_parity_with_keras(real_keras, axes, shapes, normalize):
    rng = np.random.default_rng(1)
    xs = [rng.normal(size=s).astype("float32") for s in shapes]
    theirs = real_keras.layers.Dot(axes=axes, normalize=normalize)(xs)
    ours = keras.layers.Dot(axes=axes, normalize=normalize)(xs)
    np.testing.assert_allclose(ours.numpy(), np.asarray(theirs), rtol=1e-5, atol=1e-6)
    functional = keras.layers.dot(xs, axes=axes, normalize=normalize)
    np.testing.assert_allclose(
        functional.numpy(), np.asarray(theirs), rtol=1e-5, atol=1e-6
    )


def test_symbolic_call_and_config_round_trip():
    a, b = keras.Input(shape=(3, 5)), keras.Input(shape=(10, 3))
    layer = keras.layers.Dot(axes=(1, 2), normalize=True, name="cos")
    assert layer([a, b]).shape == (None, 5, 10)
    config = layer.get_config()
    assert config["axes"] == (1, 2) and config["normalize"] is True
    assert keras.layers.Dot.from_config(config).get_config() == config


def test_mismatched_axis_sizes_name_layer_and_shapes():
    with pytest.raises(ValueError) as info:
        keras.layers.Dot(axes=1, name="d")([np.ones((2, 3)), np.ones((2, 4))])
    message = str(info.value)
    assert "axis values 3 (at axis 1) != 4 (at axis 1)" in message and '"d"' in message


def test_batch_axis_cannot_be_contracted():
    with pytest.raises(ValueError, match=r'"d" \(Dot\) cannot contract axis 0'):
        keras.layers.Dot(axes=0, name="d")([np.ones((2, 3)), np.ones((2, 3))])


@pytest.mark.parametrize(
    "axes, error", [((1, 2, 3), ValueError), ((1, "a"), ValueError), ("1", TypeError)]
)
def test_bad_axes_name_layer_and_value(axes, error):
    with pytest.raises(error) as info:
        keras.layers.Dot(axes=axes)
    assert "Dot" in str(info.value) and f"axes={axes!r}" in str(info.value)


def test_three_inputs_are_refused():
    with pytest.raises(ValueError, match="`Dot` layer should be called on exactly 2"):
        keras.layers.Dot(axes=1)([np.ones((2, 3))] * 3)
