"""SYLLABUS chapters 1-5: every snippet the modeling chapters show, run as tests.

Written the way the tutorials write it (`import nanokeras as keras`), so a
chapter's claim fails here before it fails on the site.
"""

import numpy as np
import pytest

import nanokeras as keras

# --- Chapter 1: Modeling API overview ---


def test_ch1_the_smallest_model():
    model = keras.Sequential()
    model.add(keras.layers.Dense(input_shape=(10,), units=10, activation="relu"))
    model.add(keras.layers.Dense(units=1))
    assert model.built and model.count_params() == 121
    assert model(np.ones((4, 10))).shape == (4, 1)


def test_ch1_the_class_chain():
    chain = [cls.__name__ for cls in keras.Sequential.__mro__]
    assert chain == ["Sequential", "Functional", "Model", "Layer", "Module", "object"]


def test_ch1_module_as_a_variable_container():
    class MyModule(keras.Module):
        def __init__(self, name=None):
            super().__init__(name=name)
            with self.name_scope:
                self.my_variable = keras.Variable([10, 20, 30], name="my_variable")

    module = MyModule()
    assert module.name == "my_module"
    assert repr(module.my_variable) == (
        "<Variable 'my_module/my_variable:0' shape=(3,) dtype=int32, "
        "numpy=array([10, 20, 30], dtype=int32)>"
    )


def test_ch1_layers_find_their_weights_through_tracking():
    class Block(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.stack = [keras.layers.Dense(4), keras.layers.Dense(2)]
            self.heads = {"out": keras.layers.Dense(1)}

        def call(self, inputs):
            for layer in self.stack:
                inputs = layer(inputs)
            return self.heads["out"](inputs)

    block = Block()
    block(np.ones((1, 3)))
    assert len(block.weights) == 6 and len(block.trainable_variables) == 6
    assert len(block.submodules) == 3


def test_ch1_file_locations_and_the_import_mechanism():
    from pathlib import Path

    assert keras.layers.Layer.__module__ == "engine.base_layer"
    assert keras.Model.__module__ == "engine.training"
    assert keras.Sequential.__module__ == "engine.sequential"
    assert keras.layers.Dense.__module__ == "layers.core.dense"
    assert "nanokeras.layers.Layer" in keras.layers.Layer._api_names
    generated = Path(keras.__file__).parent / "layers" / "__init__.py"
    assert "from engine.base_layer import Layer as Layer" in generated.read_text()


# --- Chapter 2: The Layer class ---


class SimpleDense(keras.layers.Layer):
    def __init__(self, units=4):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(
            shape=(input_shape[-1], self.units), initializer="random_normal"
        )
        self.b = self.add_weight(shape=(self.units,), initializer="zeros")

    def call(self, inputs):
        return keras.ops.matmul(inputs, self.w) + self.b


def test_ch2_simple_dense_builds_lazily():
    layer = SimpleDense(4)
    assert not layer.built
    out = layer(keras.ops.ones((2, 2)))
    assert out.shape == (2, 4) and layer.built and len(layer.weights) == 2


def test_ch2_dense_on_a_numpy_array():
    layer = keras.layers.Dense(input_shape=(10,), units=15)
    assert layer(np.random.rand(20, 10)).shape == (20, 15)


def test_ch2_auto_names():
    keras.backend.clear_session()
    assert [keras.layers.Dense(1).name for _ in range(3)] == [
        "dense",
        "dense_1",
        "dense_2",
    ]


def test_ch2_trainable_and_non_trainable_weights():
    layer = keras.layers.Dense(2)
    layer(np.ones((1, 3)))
    assert len(layer.trainable_weights) == 2 and layer.non_trainable_weights == []
    layer.trainable = False
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 2


def test_ch2_the_incompatible_input_error():
    keras.backend.clear_session()
    layer = keras.layers.Dense(3)
    layer(np.ones((10, 5)))
    with pytest.raises(ValueError) as info:
        layer(np.ones((10, 4)))
    assert str(info.value) == (
        'Input 0 of layer "dense" is incompatible with the layer: expected axis '
        "-1 of input shape to have value 5, but received input with shape (10, 4)"
    )


def test_ch2_the_symbolic_branch():
    x = keras.Input(shape=(10,))
    y = keras.layers.Dense(3)(x)
    assert isinstance(y, keras.KerasTensor) and y.shape == (None, 3)
    assert y._keras_history.layer._inbound_nodes[0].outputs is y


# --- Chapter 3: The Model class ---


class MyModel(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense1 = keras.layers.Dense(32, activation="relu")
        self.dropout = keras.layers.Dropout(0.5)
        self.dense2 = keras.layers.Dense(5, activation="softmax")

    def call(self, inputs, training=False):
        x = self.dense1(inputs)
        x = self.dropout(x, training=training)
        return self.dense2(x)


def test_ch3_a_subclassed_model_tracks_its_layers():
    model = MyModel()
    assert model.layers == [model.dense1, model.dropout, model.dense2]
    out = model(np.ones((2, 8)))
    assert out.shape == (2, 5)
    np.testing.assert_allclose(np.asarray(out).sum(axis=1), 1.0, rtol=1e-5)
    assert [tuple(w.shape) for w in model.weights] == [(8, 32), (32,), (32, 5), (5,)]
    # Inference (the default) leaves dropout off: two calls agree.
    np.testing.assert_array_equal(np.asarray(model(np.ones((2, 8)))), np.asarray(out))


def test_ch3_what_model_adds_to_layer():
    added = set(vars(keras.Model)) - set(vars(keras.layers.Layer))
    assert {"summary", "get_layer", "layers"} <= added


def test_ch3_layer_before_super_init():
    class Broken(keras.Model):
        def __init__(self):
            self.dense = keras.layers.Dense(1)
            super().__init__()

    with pytest.raises(
        RuntimeError, match="forgot to call `super\\(\\).__init__\\(\\)`"
    ):
        Broken()


# --- Chapter 4: The Functional class ---


def test_ch4_input_and_model_new():
    inputs = keras.Input(shape=(3,))
    assert isinstance(inputs, keras.KerasTensor)
    outputs = keras.layers.Dense(2)(keras.layers.Dense(4, activation="relu")(inputs))
    model = keras.Model(inputs=inputs, outputs=outputs)
    assert type(model).__name__ == "Functional"
    assert isinstance(model, keras.Model)
    assert model(np.ones((5, 3))).shape == (5, 2)


def test_ch4_nodes_and_histories():
    inputs = keras.Input(shape=(3,))
    dense = keras.layers.Dense(2)
    outputs = dense(inputs)
    layer, node_index, tensor_index = outputs._keras_history
    assert layer is dense and (node_index, tensor_index) == (0, 0)
    node = dense._inbound_nodes[0]
    assert node.input_tensors == [inputs]
    assert node.parent_nodes == [inputs._keras_history.layer._inbound_nodes[0]]


def test_ch4_multi_input_with_add():
    a, b = keras.Input(shape=(3,), name="a"), keras.Input(shape=(3,), name="b")
    total = keras.layers.Add()([keras.layers.Dense(4)(a), keras.layers.Dense(4)(b)])
    model = keras.Model(inputs=[a, b], outputs=keras.layers.Dense(1)(total))
    assert [type(layer).__name__ for layer in model.layers] == [
        "InputLayer", "InputLayer", "Dense", "Dense", "Add", "Dense"
    ]  # fmt: skip
    add_node = model.get_layer(index=4)._inbound_nodes[0]
    assert len(add_node.input_tensors) == 2 and len(add_node.parent_nodes) == 2
    assert model([np.ones((2, 3)), np.zeros((2, 3))]).shape == (2, 1)
    lines = []
    model.summary(print_fn=lines.append)
    assert "Connected to" in lines[2]


def test_ch4_shared_layers():
    shared = keras.layers.Dense(4)
    a, b = keras.Input(shape=(3,)), keras.Input(shape=(3,))
    model = keras.Model([a, b], [shared(a), shared(b)])
    assert len(shared._inbound_nodes) == 2 and len(model.weights) == 2
    first, second = model([np.ones((1, 3)), np.ones((1, 3))])
    np.testing.assert_array_equal(np.asarray(first), np.asarray(second))


def test_ch4_graph_disconnected():
    a, b = keras.Input(shape=(3,), name="a"), keras.Input(shape=(3,), name="b")
    dense = keras.layers.Dense(2, name="needs_b")
    with pytest.raises(ValueError, match='Graph disconnected.*layer "needs_b"'):
        keras.Model(a, dense(b))


def test_ch4_duplicate_names():
    x = keras.Input(shape=(3,))
    y = keras.layers.Dense(2, name="same")(keras.layers.Dense(2, name="same")(x))
    with pytest.raises(ValueError, match='The name "same" is used 2 times'):
        keras.Model(x, y)


# --- Chapter 5: The Sequential class ---


def test_ch5_sequential_with_an_input_shape_builds_as_layers_are_added():
    model = keras.Sequential()
    model.add(keras.Input(shape=(4,)))
    model.add(keras.layers.Dense(8, activation="relu"))
    assert model.built and model.outputs[0].shape == (None, 8)
    model.add(keras.layers.Dense(1))
    assert model.outputs[0].shape == (None, 1)
    assert isinstance(model, keras.models.Sequential)
    assert len(model.layers) == 2  # no InputLayer
    lines = []
    model.summary(print_fn=lines.append)
    assert "Total params: 49" in lines


def test_ch5_sequential_without_input_shape_defers():
    model = keras.Sequential([keras.layers.Dense(8), keras.layers.Dense(1)])
    assert not model.built
    with pytest.raises(ValueError, match="has not yet been built"):
        model.summary()
    model(np.ones((2, 4)))
    assert model.built and model.count_params() == 49
    deferred = keras.Sequential([keras.layers.Dense(3)])
    deferred.build((None, 5))
    assert deferred.count_params() == 18


def test_ch5_add_pop_and_errors():
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(3)])
    model.add(keras.layers.Dense(1))
    assert model.pop().units == 1 and model.outputs[0].shape == (None, 3)
    with pytest.raises(TypeError, match="must be an instance of class Layer"):
        model.add(np.ones(3))
    with pytest.raises(ValueError, match="unique names"):
        model.add(keras.layers.Dense(1, name=model.layers[0].name))
