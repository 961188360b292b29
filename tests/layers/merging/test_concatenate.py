"""Concatenate: shapes, gradients, parity with Keras 3, masks, config, misuse."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nanokeras as keras
from engine.masking import get_keras_mask
from tests.layers.gradcheck import check_layer_gradients


@settings(max_examples=25, deadline=None)
@given(
    base=st.lists(st.integers(1, 3), min_size=2, max_size=4),
    count=st.integers(1, 3),
    data=st.data(),
)
def test_output_shape_matches_compute_output_shape(base, count, data):
    axis = data.draw(st.integers(1, len(base) - 1)) * data.draw(
        st.sampled_from([1, -1])
    )
    shapes = []
    for _ in range(count):
        shape = list(base)
        shape[axis] = data.draw(st.integers(1, 3))
        shapes.append(tuple(shape))
    layer = keras.layers.Concatenate(axis=axis)
    out = layer([np.zeros(s) for s in shapes])
    assert out.shape == layer.compute_output_shape(shapes)


def test_gradients_match_finite_differences():
    rng = np.random.default_rng(0)
    xs = [rng.normal(size=(2, 3, 2)), rng.normal(size=(2, 1, 2))]
    check_layer_gradients(keras.layers.Concatenate(axis=1, dtype="float64"), xs)


@pytest.mark.parametrize(
    "axis, shapes", [(-1, [(2, 3), (2, 4)]), (1, [(2, 3, 4), (2, 1, 4)])]
)
def test_parity_with_keras(real_keras, axis, shapes):
    rng = np.random.default_rng(1)
    xs = [rng.normal(size=s).astype("float32") for s in shapes]
    expected = np.asarray(real_keras.layers.Concatenate(axis=axis)(xs))
    np.testing.assert_array_equal(
        keras.layers.Concatenate(axis=axis)(xs).numpy(), expected
    )
    np.testing.assert_array_equal(
        keras.layers.concatenate(xs, axis=axis).numpy(),
        np.asarray(real_keras.layers.concatenate(xs, axis=axis)),
    )


def test_symbolic_call_with_unknown_axis_sizes():
    a, b = keras.Input(shape=(None, 4)), keras.Input(shape=(3, 4))
    assert keras.layers.Concatenate(axis=1)([a, b]).shape == (None, None, 4)
    assert keras.layers.Concatenate()([a, b]).shape == (None, 3, 8)


def test_mask_follows_keras(real_keras):
    ids = np.array([[1, 0, 2]])
    ours = keras.layers.Embedding(4, 2, mask_zero=True)(ids)
    plain = np.ones((1, 3, 2), dtype="float32")
    mask = get_keras_mask(keras.layers.Concatenate(axis=1)([ours, plain]))
    theirs = real_keras.layers.Concatenate(axis=1).compute_mask(
        [np.zeros((1, 3, 2)), plain], [ids != 0, None]
    )
    np.testing.assert_array_equal(mask.numpy(), np.asarray(theirs))


def test_config_round_trip():
    layer = keras.layers.Concatenate(axis=1, name="cat")
    config = layer.get_config()
    assert config["axis"] == 1
    assert keras.layers.Concatenate.from_config(config).get_config() == config


def test_mismatched_shapes_name_layer_and_shapes():
    with pytest.raises(ValueError) as info:
        keras.layers.Concatenate(name="cat")([np.ones((2, 3, 4)), np.ones((2, 2, 5))])
    message = str(info.value)
    assert "matching shapes except for the concatenation axis" in message
    assert '"cat"' in message and "(2, 2, 5)" in message


def test_different_ranks_and_bad_axis_are_refused():
    with pytest.raises(ValueError, match="matching shapes"):
        keras.layers.Concatenate()([np.ones((2, 3)), np.ones((2, 3, 1))])
    with pytest.raises(TypeError, match="Concatenate.*axis='x'"):
        keras.layers.Concatenate(axis="x")
