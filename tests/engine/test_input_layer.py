"""`Input` and `InputLayer`: the shapes they accept and the errors they give."""

import re

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import KerasTensor, layers


def test_tf_keras_2_shape_spellings_and_layer_arguments_are_accepted():
    assert layers.InputLayer(input_shape=(3,)).batch_shape == (None, 3)
    assert layers.InputLayer(batch_input_shape=(4, 3)).batch_shape == (4, 3)
    assert layers.InputLayer(shape=(3,), trainable=False).trainable is False
    with pytest.raises(TypeError, match=re.escape("InputLayer: {'foo': 1}")):
        layers.InputLayer(shape=(3,), foo=1)


def test_a_size_of_zero_is_a_valid_size():
    assert keras.Input(shape=(0,)).shape == (None, 0)
    assert keras.Input(batch_shape=(0, 2)).shape == (0, 2)


def test_get_config_states_a_dense_required_input():
    layer = layers.InputLayer(shape=(3,), name="x")
    assert layer.get_config() == {
        "batch_shape": (None, 3),
        "dtype": "float32",
        "sparse": False,
        "ragged": False,
        "name": "x",
        "optional": False,
    }


def test_an_existing_keras_tensor_is_used_as_it_is():
    tensor = KerasTensor((None, 4), dtype="int32")
    assert keras.Input(tensor=tensor) is tensor
    layer = tensor._keras_history.layer
    assert layer.batch_shape == (None, 4)
    with pytest.raises(
        TypeError,
        match=re.escape(
            'InputLayer "x" expects `input_tensor` to be a KerasTensor. '
            "Received: input_tensor=[1, 2]"
        ),
    ):
        keras.Input(tensor=[1, 2], name="x")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (
            dict(shape=3),
            'The `shape` argument of InputLayer "x" must be a tuple of integers '
            "(use None for an unknown size). Received: shape=3. For one feature "
            "axis, write shape=(3,).",
        ),
        (
            dict(shape="3"),
            'The `shape` argument of InputLayer "x" must be a tuple of integers '
            "(use None for an unknown size). Received: shape='3'.",
        ),
        (
            dict(batch_shape=(None, -1)),
            'The `batch_shape` argument of InputLayer "x" must contain only '
            "non-negative integers or None. Received: batch_shape=(None, -1)",
        ),
        (
            dict(),
            'You must pass a `shape` argument to InputLayer "x", for example '
            "`keras.Input(shape=(3,))`.",
        ),
        (
            dict(shape=(3,), sparse=True),
            'InputLayer "x": sparse inputs are not supported by nanokeras '
            "(received sparse=True). Use dense arrays.",
        ),
        (
            dict(shape=(3,), ragged=True),
            'InputLayer "x": ragged inputs are not supported by nanokeras '
            "(received ragged=True). Use dense arrays.",
        ),
    ],
)
def test_a_bad_input_definition_names_the_layer_and_the_argument(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        keras.Input(name="x", **kwargs)


def test_optional_inputs_are_refused():
    with pytest.raises(
        NotImplementedError,
        match=re.escape(
            'InputLayer "x": optional inputs (which accept None) are not '
            "supported by nanokeras. Received: optional=True."
        ),
    ):
        keras.Input(shape=(3,), name="x", optional=True)


def test_calling_an_input_layer_on_data_points_at_the_model():
    layer = layers.InputLayer(shape=(3,), name="x")
    with pytest.raises(
        RuntimeError,
        match=re.escape(
            'InputLayer "x" is a graph input: it is not called on data. '
            "Call the model that uses it instead."
        ),
    ):
        layer(np.ones((1, 3)))
