"""`Model.to_json` / `models.model_from_json`: the architecture as JSON text."""

import json

import numpy as np
import pytest

import nanokeras as keras

X = np.random.default_rng(0).normal(size=(4, 3)).astype("float32")


def _same_outputs(rebuilt, model, inputs=X):
    rebuilt.set_weights(model.get_weights())
    np.testing.assert_allclose(
        rebuilt.predict(inputs, verbose=0), model.predict(inputs, verbose=0)
    )


def test_sequential_round_trip_keeps_layers_and_outputs():
    model = keras.Sequential(
        [
            keras.Input((3,)),
            keras.layers.Dense(2, activation="relu"),
            keras.layers.Dense(1),
        ]
    )
    text = model.to_json(indent=2)
    assert json.loads(text)["class_name"] == "Sequential"
    rebuilt = keras.models.model_from_json(text)
    assert [layer.name for layer in rebuilt.layers] == [
        layer.name for layer in model.layers
    ]
    _same_outputs(rebuilt, model)


def test_model_built_without_input_is_rebuilt_from_its_build_shape():
    model = keras.Sequential([keras.layers.Dense(2), keras.layers.Dense(1)])
    model.build((None, 3))
    rebuilt = keras.models.model_from_json(model.to_json())
    assert rebuilt.built and [w.shape for w in rebuilt.weights] == [
        w.shape for w in model.weights
    ]
    _same_outputs(rebuilt, model)


def test_functional_round_trip():
    inputs = keras.Input((3,))
    shared = keras.layers.Dense(2)
    outputs = keras.layers.Add()([shared(inputs), keras.layers.Dense(2)(inputs)])
    model = keras.Model(inputs, outputs)
    _same_outputs(keras.models.model_from_json(model.to_json()), model)


def test_keras_json_rebuilds_the_same_model(real_keras):
    layers = real_keras.layers
    theirs = real_keras.Sequential(
        [real_keras.Input((3,)), layers.Dense(2), layers.Dense(1)]
    )
    ours = keras.models.model_from_json(theirs.to_json())
    ours.set_weights(theirs.get_weights())
    np.testing.assert_allclose(
        ours.predict(X, verbose=0), np.asarray(theirs(X)), rtol=1e-6
    )


def test_custom_layers_need_custom_objects():
    class Twice(keras.layers.Layer):
        def call(self, inputs):
            return inputs * 2

        def get_config(self):
            return super().get_config()

    model = keras.Sequential([keras.Input((3,)), Twice()])
    text = model.to_json()
    with pytest.raises(TypeError, match="Twice.*custom_objects"):
        keras.models.model_from_json(text)
    rebuilt = keras.models.model_from_json(text, custom_objects={"Twice": Twice})
    _same_outputs(rebuilt, model)
