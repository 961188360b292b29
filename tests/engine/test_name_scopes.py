"""Weight names as tf.keras 2.x gives them: `scope/name:0`, scopes per call.

Each layer call opens the layer's name scope around build and call, under the
caller's scope; a functional model's symbolic calls start at the root; and a
`build` that calls `super().build()` never repeats the scope.
"""

import numpy as np

import nanokeras as keras
from nanokeras import layers


def _names(layer):
    return [weight.name for weight in layer.weights]


class MLP(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = layers.Dense(3, name="dense")
        self.out = layers.Dense(1, name="out")

    def call(self, inputs):
        return self.out(self.hidden(inputs))


def test_layers_built_in_a_model_call_are_named_under_the_model():
    model = MLP(name="mlp")
    model(np.ones((2, 4)))
    assert _names(model) == [
        "mlp/dense/kernel:0",
        "mlp/dense/bias:0",
        "mlp/out/kernel:0",
        "mlp/out/bias:0",
    ]


def test_a_layer_inside_a_layer_is_named_under_it():
    class Block(layers.Layer):
        def __init__(self):
            super().__init__(name="block")
            self.inner = layers.Dense(2, name="proj")

        def call(self, inputs):
            return self.inner(inputs)

    outer = Block()
    outer(np.ones((1, 3)))
    assert _names(outer) == ["block/proj/kernel:0", "block/proj/bias:0"]


def test_model_build_by_hand_builds_its_layers_at_the_root():
    model = MLP(name="mlp")
    model.build((None, 4))  # tf.keras 2.x's Model.build traces outside the scope
    assert _names(model)[0] == "dense/kernel:0"


def test_functional_and_sequential_layers_keep_their_own_names():
    inputs = keras.Input((3,))
    functional = keras.Model(inputs, layers.Dense(2, name="head")(inputs))
    deferred = keras.Sequential([layers.Dense(2, name="first")], name="seq")
    deferred(np.ones((1, 3)))
    assert _names(functional) == ["head/kernel:0", "head/bias:0"]
    assert _names(deferred) == ["first/kernel:0", "first/bias:0"]


def test_overriding_build_does_not_repeat_the_scope():
    class CountingDense(layers.Dense):
        def build(self, input_shape):
            super().build(input_shape)
            self.count = self.add_weight(
                shape=(), initializer="zeros", trainable=False, name="count"
            )

    called = CountingDense(2, name="counting_dense")
    called(np.ones((1, 3)))
    by_hand = CountingDense(2, name="by_hand")
    by_hand.build((None, 3))
    assert _names(called) == [
        "counting_dense/kernel:0",
        "counting_dense/bias:0",
        "counting_dense/count:0",
    ]
    assert _names(by_hand)[0] == "by_hand/kernel:0"


def test_an_rnn_names_its_cell_under_itself():
    lstm = layers.LSTM(2, name="reader")
    lstm(np.ones((1, 3, 2)))
    assert _names(lstm)[0] == "reader/lstm_cell/kernel:0"


def test_weights_save_and_load_across_fresh_models(tmp_path):
    model = MLP(name="mlp")
    model(np.ones((2, 4)))
    path = tmp_path / "mlp.weights.npz"
    model.save_weights(path)
    fresh = MLP(name="mlp")
    fresh(np.ones((2, 4)))
    fresh.load_weights(path)
    np.testing.assert_allclose(fresh(np.ones((2, 4))), model(np.ones((2, 4))))
