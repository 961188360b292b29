"""Dense: shapes, gradients, parity with Keras 3, config, symbolic calls, misuse."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nanokeras as keras
from tests.layers.gradcheck import check_layer_gradients


@settings(max_examples=20, deadline=None)
@given(
    batch=st.integers(1, 3),
    middle=st.lists(st.integers(1, 3), max_size=2),
    features=st.integers(1, 4),
    units=st.integers(1, 4),
    use_bias=st.booleans(),
)
def test_output_shape_matches_compute_output_shape(
    batch, middle, features, units, use_bias
):
    layer = keras.layers.Dense(units, use_bias=use_bias)
    shape = (batch, *middle, features)
    out = layer(np.random.default_rng(0).normal(size=shape))
    assert out.shape == layer.compute_output_shape(shape) == (*shape[:-1], units)


def test_syllabus_input_shape_example():
    layer = keras.layers.Dense(input_shape=(10,), units=15)
    assert layer(np.ones((20, 10))).shape == (20, 15)
    assert [w.shape for w in layer.weights] == [(10, 15), (15,)]


def test_auto_names_count_up():
    keras.backend.clear_session()
    assert keras.layers.Dense(2).name == "dense"
    assert keras.layers.Dense(2).name == "dense_1"


def test_incompatible_input_message_is_keras_text():
    keras.backend.clear_session()
    layer = keras.layers.Dense(3)
    layer(np.ones((10, 5)))
    with pytest.raises(ValueError) as info:
        layer(np.ones((10, 4)))
    assert str(info.value) == (
        'Input 0 of layer "dense" is incompatible with the layer: expected axis '
        "-1 of input shape to have value 5, but received input with shape (10, 4)"
    )


@pytest.mark.parametrize("activation", [None, "relu", "tanh", "sigmoid"])
@pytest.mark.parametrize("shape", [(3, 4), (2, 3, 4)])
def test_gradients_match_finite_differences(activation, shape):
    layer = keras.layers.Dense(3, activation=activation, dtype="float64")
    # Inputs away from 0 keep relu off its kink for a 1e-6 step.
    x = np.random.default_rng(1).normal(size=shape)
    check_layer_gradients(layer, x)


@pytest.mark.parametrize(
    "config",
    [
        {"units": 4},
        {"units": 3, "activation": "relu", "use_bias": False},
        {"units": 2, "activation": "softmax"},
    ],
)
@pytest.mark.parametrize("shape", [(5, 6), (2, 3, 6)])
def test_parity_with_keras(real_keras, config, shape):
    ours = keras.layers.Dense(**config)
    theirs = real_keras.layers.Dense(**config)
    theirs.build(shape)
    ours.build(shape)
    ours.set_weights(theirs.get_weights())
    x = np.random.default_rng(2).normal(size=shape).astype("float32")
    expected = np.asarray(theirs(x, training=False))
    np.testing.assert_allclose(np.asarray(ours(x)), expected, rtol=1e-5, atol=1e-6)


def test_weight_names_and_layout_follow_keras(real_keras):
    ours, theirs = keras.layers.Dense(3), real_keras.layers.Dense(3)
    ours.build((None, 4))
    theirs.build((None, 4))
    assert [w.name.split("/")[-1].split(":")[0] for w in ours.weights] == [
        w.name for w in theirs.weights
    ]
    assert [w.shape for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]


def test_config_round_trip_gives_the_same_outputs():
    layer = keras.layers.Dense(
        4,
        activation="relu",
        kernel_initializer="he_normal",
        bias_initializer=keras.initializers.Constant(0.5),
        kernel_regularizer=keras.regularizers.L2(0.01),
        kernel_constraint=keras.constraints.MaxNorm(2.0),
    )
    x = np.random.default_rng(3).normal(size=(2, 3))
    expected = layer(x).numpy()
    clone = keras.layers.Dense.from_config(layer.get_config())
    clone(x)
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(clone(x).numpy(), expected)
    config = clone.get_config()
    assert config["units"] == 4 and config["activation"] == "relu"
    assert config["kernel_initializer"]["class_name"] == "HeNormal"
    assert config["bias_initializer"]["config"] == {"value": 0.5}
    assert len(clone.losses) == 1


def test_config_keys_match_keras(real_keras):
    ours = set(keras.layers.Dense(3).get_config())
    theirs = set(real_keras.layers.Dense(3).get_config())
    assert theirs - ours <= {"quantization_config", "lora_rank", "lora_alpha"}


def test_symbolic_call_gives_keras_tensor():
    x = keras.Input(shape=(7, 5))
    y = keras.layers.Dense(3)(x)
    assert isinstance(y, keras.KerasTensor) and y.shape == (None, 7, 3)


def test_integer_inputs_are_computed_in_floats():
    layer = keras.layers.Dense(2, kernel_initializer="ones")
    out = layer(np.array([[1, 2, 3]], dtype="int32"))
    assert out.dtype == "float32"
    np.testing.assert_allclose(out.numpy(), [[6.0, 6.0]])


@pytest.mark.parametrize("units", [-1, 0, 2.5, "3", None])
def test_invalid_units_name_the_layer_and_value(units):
    with pytest.raises(ValueError) as info:
        keras.layers.Dense(units)
    message = str(info.value)
    assert "Dense" in message and f"units={units!r}" in message


def test_rank_one_input_is_rejected():
    layer = keras.layers.Dense(2, name="head")
    with pytest.raises(ValueError, match=r'layer "head".*min_ndim=2, found ndim=1'):
        layer(np.ones((3,)))


def test_unknown_keyword_is_a_type_error_naming_it():
    with pytest.raises(TypeError, match="Dense.*unit_count"):
        keras.layers.Dense(3, unit_count=4)


def test_mask_passes_through_dense_activation_and_dropout():
    from engine.masking import get_keras_mask

    x = keras.layers.Embedding(5, 3, mask_zero=True)(np.array([[2, 0, 1]]))
    for layer in (
        keras.layers.Dense(4),
        keras.layers.Activation("relu"),
        keras.layers.Dropout(0.5),
    ):
        x = (
            layer(x, training=True)
            if isinstance(layer, keras.layers.Dropout)
            else layer(x)
        )
        np.testing.assert_array_equal(get_keras_mask(x).numpy(), [[True, False, True]])
