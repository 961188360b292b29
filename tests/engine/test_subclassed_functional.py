"""A subclass of Model created with inputs and outputs becomes a functional model.

tf.keras 2.x rewrites the subclass's bases (`inject_functional_model_class`),
so the subclass keeps its overrides (`train_step`, extra attributes) and
gains the graph from `Functional`. These tests pin what a user relies on.
"""

import json

import numpy as np
import pytest

import nanokeras as keras
from engine.functional import Functional
from engine.training import inject_functional_model_class


def _graph():
    inputs = keras.Input(shape=(4,), name="x")
    outputs = keras.layers.Dense(2, name="head")(inputs)
    return inputs, outputs


def test_positional_inputs_and_outputs_make_the_subclass_functional():
    class Plain(keras.Model):
        pass

    inputs, outputs = _graph()
    model = Plain(inputs, outputs, name="plain")
    assert isinstance(model, Functional) and isinstance(model, Plain)
    assert Plain.__mro__[1] is Functional
    assert [layer.name for layer in model.layers] == ["x", "head"]
    data = np.ones((3, 4), "float32")
    np.testing.assert_allclose(model(data), model.layers[1](data))


def test_super_init_with_keywords_keeps_the_subclass_state_and_train_step():
    class Tracked(keras.Model):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.steps = keras.metrics.Sum(name="steps")

        def train_step(self, data):
            self.steps.update_state(1.0)
            logs = super().train_step(data)
            return {**logs, "steps": self.steps.result()}

    inputs, outputs = _graph()
    model = Tracked(inputs=inputs, outputs=outputs)
    model.compile("sgd", "mse")
    history = model.fit(
        np.ones((8, 4)), np.zeros((8, 2)), batch_size=4, epochs=1, verbose=0
    )
    assert history.history["steps"] == [2.0]
    # The metric is not a layer of the graph: no weights, not in `layers`.
    assert len(model.weights) == 2 and len(model.layers) == 2


def test_a_second_instance_of_an_injected_class_is_functional_too():
    class Again(keras.Model):
        pass

    first = Again(*_graph())
    second = Again(*_graph())
    assert isinstance(first, Functional) and isinstance(second, Functional)
    assert first.layers[1] is not second.layers[1]


def test_injection_stops_at_model_and_leaves_other_bases():
    class Mixin:
        def describe(self):
            return "mixin"

    class Mixed(Mixin, keras.Model):
        pass

    assert inject_functional_model_class(Mixed) is Mixed
    assert Mixed.__bases__ == (Mixin, Functional)
    assert Mixed(*_graph()).describe() == "mixin"


def test_subclassed_functional_round_trips_through_its_config():
    class Saved(keras.Model):
        pass

    model = Saved(*_graph(), name="saved")
    config = json.loads(json.dumps(model.get_config()))
    clone = Saved.from_config(config)
    assert type(clone) is Saved and clone.name == "saved"
    assert [layer.name for layer in clone.layers] == ["x", "head"]


def test_unknown_keyword_with_inputs_and_outputs_is_a_clear_error():
    class Strict(keras.Model):
        pass

    with pytest.raises(TypeError, match=r"Strict.*`inputs` and `outputs`.*'colour'"):
        Strict(*_graph(), colour="red")


def test_keras_model_called_directly_is_a_plain_functional():
    model = keras.Model(*_graph())
    assert type(model) is Functional
