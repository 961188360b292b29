"""Symbolic calls: the specs a layer returns on `KerasTensor`s, without values."""

import warnings

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import layers, ops


class Parts(layers.Layer):
    """Returns a dict or a list of tensors, with a formula for their shapes."""

    def __init__(self, kind, **kwargs):
        super().__init__(**kwargs)
        self.kind = kind

    def call(self, inputs):
        if self.kind == "dict":
            return {"all": inputs, "head": inputs[:, :2]}
        return [inputs, inputs[:, :2]]

    def compute_output_shape(self, input_shape):
        if self.kind == "dict":
            return {"all": input_shape, "head": (input_shape[0], 2)}
        return [input_shape, (input_shape[0], 2)]


@pytest.mark.parametrize("kind", ["dict", "list"])
def test_structured_output_shapes_give_specs_of_the_layer_s_dtype(kind):
    outputs = Parts(kind, dtype="float64")(keras.Input((3,)))
    if kind == "dict":
        assert sorted(outputs) == ["all", "head"]
        outputs = [outputs["all"], outputs["head"]]
    assert isinstance(outputs, list)
    assert [(x.shape, x.dtype) for x in outputs] == [
        ((None, 3), "float64"),
        ((None, 2), "float64"),
    ]


def test_a_size_that_depends_on_a_boolean_input_s_values_is_unknown():
    """Boolean placeholders are True: a selection keeps every entry, so its size
    follows the batch size and is marked unknown, not fixed at 0."""

    class Select(layers.Layer):
        def call(self, inputs):
            values, flags = inputs
            return values[flags]

    selected = Select()([keras.Input((4,)), keras.Input((4,), dtype="bool")])
    assert selected.shape == (None,)


def test_tracing_on_placeholder_zeros_gives_no_numpy_warning():
    class Inverse(layers.Layer):
        def call(self, inputs):
            return 1.0 / inputs

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert Inverse()(keras.Input((3,))).shape == (None, 3)


def test_a_traced_call_runs_in_inference_mode_and_leaves_the_mode_as_it_was():
    class Counts(layers.Layer):
        """Counts the training steps it sees; records what `call` was told."""

        def build(self, input_shape):
            self.steps = self.add_weight(shape=(), initializer="zeros")

        def call(self, inputs, training=None):
            self.seen = training
            if training:
                self.steps.assign_add(1.0)
            return inputs * 2.0

    layer = Counts()
    assert layer(keras.Input((3,))).shape == (None, 3)
    assert layer.seen is False
    assert float(layer.steps.numpy()) == 0.0

    class Outer(layers.Layer):
        """Traces an inner layer in the middle of its own training call."""

        def call(self, inputs, training=None):
            layer(keras.Input((3,)))
            return Dropout(inputs)

    Dropout = layers.Dropout(0.5, seed=1)
    out = Outer()(np.ones((200, 10), "float32"), training=True).numpy()
    # After the trace the outer call is still in training mode: Dropout drops.
    assert (out == 0).any() and set(np.unique(out)) == {0.0, 2.0}


def test_compute_output_shape_without_a_formula_builds_and_traces():
    class Project(layers.Layer):
        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(input_shape[-1], 4))

        def call(self, inputs):
            return ops.matmul(inputs, self.kernel)

    layer = Project()
    assert layer.compute_output_shape((None, 3)) == (None, 4)
    assert layer.built and layer.kernel.shape == (3, 4)


def test_layers_inside_a_traced_call_also_run_in_inference_mode():
    class Normalized(layers.Layer):
        """Its `call` takes no `training`: the inner layer reads the mode."""

        def __init__(self):
            super().__init__()
            self.norm = layers.BatchNormalization()

        def call(self, inputs):
            return self.norm(inputs)

    layer = Normalized()
    assert layer(keras.Input((3,))).shape == (None, 3)
    # In training mode the placeholder batch would have moved the statistics.
    np.testing.assert_array_equal(layer.norm.moving_variance.numpy(), np.ones(3))
    np.testing.assert_array_equal(layer.norm.moving_mean.numpy(), np.zeros(3))
