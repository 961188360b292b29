"""Small test-local layers for the engine tests (the catalogue lives in layers/).

They follow Keras's layer pattern exactly, so engine behaviour can be tested
without depending on the catalogue's own correctness.
"""

import pytest

from nanokeras import backend, layers, ops


class ToyDense(layers.Layer):
    """A dense layer: `inputs @ kernel + bias`, with an InputSpec after build."""

    def __init__(self, units, kernel_regularizer=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.kernel_regularizer = kernel_regularizer
        self.input_spec = layers.InputSpec(min_ndim=2)

    def build(self, input_shape):
        self.kernel = self.add_weight(
            "kernel",
            (input_shape[-1], self.units),
            regularizer=self.kernel_regularizer,
        )
        self.bias = self.add_weight("bias", (self.units,), initializer="zeros")
        self.input_spec = layers.InputSpec(min_ndim=2, axes={-1: input_shape[-1]})

    def call(self, inputs):
        return ops.add(ops.matmul(inputs, self.kernel), self.bias)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        return {**super().get_config(), "units": self.units}


class ToyDropout(layers.Layer):
    """Records the `training` value each call received; scales by 0 when training."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen = []

    def call(self, inputs, training=None):
        self.seen.append(training)
        return ops.multiply(inputs, 0.0) if training else inputs


class ToyAdd(layers.Layer):
    """Sums a list of inputs (a multi-input layer without compute_output_shape)."""

    def call(self, inputs):
        total = inputs[0]
        for x in inputs[1:]:
            total = ops.add(total, x)
        return total


@pytest.fixture(autouse=True)
def fresh_names():
    """Every test starts with fresh layer names (`dense`, not `dense_7`)."""
    backend.clear_session()
    yield


@pytest.fixture
def toy():
    """The toy layer classes, as a namespace: `toy.Dense(3)`."""

    class Namespace:
        Dense = ToyDense
        Dropout = ToyDropout
        Add = ToyAdd

    return Namespace
