"""Lambda: calls, shapes, gradients, parity with Keras 3, config and its limits."""

import numpy as np
import pytest
from hypothesis import given, settings

import nanokeras as keras
from engine.masking import get_keras_mask
from saving.serialization_lib import SafeModeScope
from tests import strategies
from tests.layers.gradcheck import check_layer_gradients


def double(x):
    """A module-level function: portable through a config."""
    return x * 2.0


def scaled(x, factor=1.0):
    return x * factor


@settings(max_examples=20, deadline=None)
@given(shape=strategies.shapes(min_dims=2))
def test_output_shape_matches_compute_output_shape(shape):
    layer = keras.layers.Lambda(lambda x: keras.ops.sum(x, axis=-1))
    out = layer(np.ones(shape))
    assert out.shape == layer.compute_output_shape(shape) == shape[:-1]


def test_arguments_are_passed_as_keywords():
    layer = keras.layers.Lambda(scaled, arguments={"factor": 3.0})
    np.testing.assert_allclose(layer(np.ones((1, 2))).numpy(), [[3.0, 3.0]])


def test_gradients_match_finite_differences():
    layer = keras.layers.Lambda(lambda x: keras.ops.tanh(x) * x, dtype="float64")
    check_layer_gradients(layer, np.random.default_rng(0).normal(size=(3, 4)))


def test_parity_with_keras(real_keras):
    x = np.random.default_rng(1).normal(size=(3, 4)).astype("float32")
    theirs = real_keras.layers.Lambda(lambda t: real_keras.ops.square(t) + 1.0)
    ours = keras.layers.Lambda(lambda t: keras.ops.square(t) + 1.0)
    np.testing.assert_allclose(ours(x).numpy(), np.asarray(theirs(x)), rtol=1e-5)


def test_symbolic_call_traces_or_uses_the_given_output_shape():
    x = keras.Input(shape=(4, 3))
    assert keras.layers.Lambda(lambda t: t[:, 0])(x).shape == (None, 3)
    given_shape = keras.layers.Lambda(lambda t: t[:, 0], output_shape=(3,))
    assert given_shape(x).shape == (None, 3)
    as_function = keras.layers.Lambda(
        lambda t: t[:, 0], output_shape=lambda shape: (shape[0], shape[2])
    )
    assert as_function(x).shape == (None, 3)


def test_a_function_taking_training_receives_it():
    layer = keras.layers.Lambda(lambda x, training=None: x * (2.0 if training else 1.0))
    assert layer(np.ones((1,)), training=True).numpy()[0] == 2.0
    assert layer(np.ones((1,)), training=False).numpy()[0] == 1.0


def test_mask_is_dropped_unless_given_as_keras_does():
    embedded = keras.layers.Embedding(4, 2, mask_zero=True)(np.array([[1, 0]]))
    assert get_keras_mask(keras.layers.Lambda(double)(embedded)) is None
    kept = keras.layers.Lambda(double, mask=lambda inputs, mask: mask)(embedded)
    np.testing.assert_array_equal(get_keras_mask(kept).numpy(), [[True, False]])


def test_named_function_config_round_trip_needs_safe_mode_off():
    layer = keras.layers.Lambda(double, output_shape=(3,), name="twice")
    config = layer.get_config()
    assert config["function"] == {
        "module": __name__,
        "class_name": "function",
        "config": "double",
        "registered_name": "double",
    }
    with pytest.raises(ValueError, match=r'Lambda layer "twice".*safe_mode=False'):
        keras.layers.Lambda.from_config(config)
    with keras.saving.custom_object_scope({"double": double}):
        assert keras.layers.Lambda.from_config(config).function is double
    clone = keras.layers.Lambda.from_config(config, custom_objects={"double": double})
    assert clone.function is double and clone.get_config() == config


def test_python_lambda_is_stored_as_bytecode_and_refused_in_safe_mode():
    config = keras.layers.Lambda(lambda x: x + 1, name="anon").get_config()
    assert config["function"]["class_name"] == "__lambda__"
    with pytest.raises(ValueError) as info:
        keras.layers.Lambda.from_config(config)
    message = str(info.value)
    assert 'Lambda layer "anon"' in message and "Python lambda" in message
    assert "safe_mode=False" in message
    with SafeModeScope(False):
        rebuilt = keras.layers.Lambda.from_config(config)
    np.testing.assert_array_equal(rebuilt(np.ones((1, 2))).numpy(), [[2.0, 2.0]])


def test_lambda_in_a_functional_model_config_needs_custom_objects():
    inputs = keras.Input(shape=(2,))
    model = keras.Model(inputs, keras.layers.Lambda(double)(inputs))
    with pytest.raises(ValueError, match="safe_mode=False"):
        keras.Model.from_config(model.get_config())
    clone = keras.Model.from_config(
        model.get_config(), custom_objects={"double": double}
    )
    np.testing.assert_allclose(clone(np.ones((1, 2))).numpy(), [[2.0, 2.0]])


def test_non_callable_function_names_the_layer():
    with pytest.raises(TypeError, match=r'"lam" \(Lambda\).*function=3'):
        keras.layers.Lambda(3, name="lam")


def test_config_keys_match_keras(real_keras):
    ours = keras.layers.Lambda(double).get_config()
    theirs = real_keras.layers.Lambda(double).get_config()
    assert set(ours) == set(theirs)
    with_shape = keras.layers.Lambda(double, output_shape=(3,)).get_config()
    assert with_shape["output_shape"] == (3,)
