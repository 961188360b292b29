"""`Functional`: Input/KerasTensor/Node, graph recovery and order, multi-IO, nesting."""

import numpy as np
import pytest

import nanokeras as nk
from nanokeras import layers


def test_input_returns_a_keras_tensor_with_history():
    x = nk.Input(shape=(3,), name="features")
    assert isinstance(x, nk.KerasTensor)
    assert (x.shape, x.dtype, x.name) == ((None, 3), "float32", "features")
    layer, node_index, tensor_index = x._keras_history
    assert isinstance(layer, layers.InputLayer) and (node_index, tensor_index) == (
        0,
        0,
    )
    assert layer._inbound_nodes[0].is_input
    assert nk.Input(batch_shape=(4, 2), dtype="int32").shape == (4, 2)
    assert nk.Input(shape=(2,), batch_size=8).shape == (8, 2)
    assert nk.layers.Input is nk.Input


def test_model_new_returns_a_functional(toy):
    x = nk.Input(shape=(3,))
    model = nk.Model(inputs=x, outputs=toy.Dense(2)(x))
    assert type(model).__name__ == "Functional"
    assert isinstance(model, nk.Model)
    positional = nk.Model(x, toy.Dense(1)(x))
    assert type(positional).__name__ == "Functional"


def test_nodes_link_layers_both_ways(toy):
    x = nk.Input(shape=(3,))
    first = toy.Dense(4)
    second = toy.Dense(2)
    y = second(first(x))
    node = second._inbound_nodes[0]
    assert node.inbound_layers == [first]
    assert first._outbound_nodes == [node]
    assert node.parent_nodes == [first._inbound_nodes[0]]
    assert y._keras_history.layer is second


def test_graph_runs_in_topological_order_with_branches(toy):
    x = nk.Input(shape=(3,), name="x")
    left = toy.Dense(4, name="left")(x)
    right = toy.Dense(4, name="right")(x)
    merged = toy.Add(name="merge")([left, right])
    out = toy.Dense(1, name="head")(merged)
    model = nk.Model(x, out)
    assert [layer.name for layer in model.layers] == [
        "x",
        "left",
        "right",
        "merge",
        "head",
    ]
    order = [node.layer.name for node in model._run_order]
    assert order.index("merge") > max(order.index("left"), order.index("right"))
    data = np.random.default_rng(0).normal(size=(5, 3)).astype("float32")
    get = {layer.name: layer for layer in model.layers}
    expected = (
        (data @ get["left"].kernel.numpy() + get["left"].bias.numpy())
        + (data @ get["right"].kernel.numpy() + get["right"].bias.numpy())
    ) @ get["head"].kernel.numpy() + get["head"].bias.numpy()
    np.testing.assert_allclose(np.asarray(model(data)), expected, rtol=1e-5)


def test_multiple_inputs_and_outputs_as_lists_and_dicts(toy):
    a = nk.Input(shape=(2,), name="a")
    b = nk.Input(shape=(3,), name="b")
    joined = toy.Add()([toy.Dense(4)(a), toy.Dense(4)(b)])
    out1, out2 = toy.Dense(1)(joined), toy.Dense(2)(joined)
    model = nk.Model([a, b], [out1, out2])
    data_a, data_b = np.ones((5, 2)), np.ones((5, 3))
    first, second = model([data_a, data_b])
    assert (first.shape, second.shape) == ((5, 1), (5, 2))
    by_name = model({"a": data_a, "b": data_b})
    np.testing.assert_allclose(np.asarray(by_name[1]), np.asarray(second))

    dict_model = nk.Model({"left": a, "right": b}, {"small": out1, "big": out2})
    result = dict_model({"left": data_a, "right": data_b})
    assert set(result) == {"small", "big"} and result["big"].shape == (5, 2)
    np.testing.assert_allclose(np.asarray(result["big"]), np.asarray(second))


def test_shared_layer_shares_weights(toy):
    shared = toy.Dense(3)
    a, b = nk.Input(shape=(2,)), nk.Input(shape=(2,))
    model = nk.Model([a, b], toy.Add()([shared(a), shared(b)]))
    assert len(shared._inbound_nodes) == 2
    assert len(model.weights) == 2
    out = model([np.ones((1, 2)), np.ones((1, 2))])
    single = np.ones((1, 2)) @ shared.kernel.numpy() + shared.bias.numpy()
    np.testing.assert_allclose(np.asarray(out), 2 * single, rtol=1e-6)


def test_model_used_as_a_layer_in_another_model(toy):
    inner_in = nk.Input(shape=(4,))
    inner = nk.Model(inner_in, toy.Dense(2)(toy.Dense(3)(inner_in)), name="inner")
    x = nk.Input(shape=(4,))
    y = inner(x)
    assert y.shape == (None, 2)
    outer = nk.Model(x, toy.Dense(1)(y), name="outer")
    assert [layer.name for layer in outer.layers][1] == "inner"
    assert len(outer.weights) == 6
    data = np.ones((2, 4), "float32")
    np.testing.assert_allclose(
        np.asarray(outer(data)),
        np.asarray(outer.layers[2](inner(data))),
        rtol=1e-6,
    )


def test_training_flag_reaches_layers_inside_the_graph(toy):
    x = nk.Input(shape=(2,))
    dropout = toy.Dropout()
    model = nk.Model(x, dropout(x))
    model(np.ones((1, 2)), training=True)
    model(np.ones((1, 2)))
    assert dropout.seen[-2:] == [True, None]


def test_explicit_training_in_the_graph_is_kept(toy):
    x = nk.Input(shape=(2,))
    dropout = toy.Dropout()
    model = nk.Model(x, dropout(x, training=True))
    out = model(np.ones((1, 2)), training=False)
    assert dropout.seen[-1] is True and float(np.asarray(out).sum()) == 0.0


def test_inputs_are_cast_to_the_input_dtype(toy):
    seen = []

    class Probe(layers.Layer):
        def call(self, inputs):
            seen.append(inputs.dtype)
            return inputs

    x = nk.Input(shape=(2,), dtype="int32")
    model = nk.Model(x, Probe()(x))
    model(np.array([[1, 2]], dtype="int64"))
    assert seen[-1] == "int32"


def test_get_config_from_config_round_trip_gives_identical_outputs(toy):
    a = nk.Input(shape=(3,), name="a")
    b = nk.Input(shape=(3,), name="b")
    shared = toy.Dense(4, name="shared")
    merged = toy.Add(name="merge")([shared(a), shared(b)])
    model = nk.Model([a, b], [toy.Dense(2, name="head")(merged), merged], name="m")
    config = model.get_config()
    custom = {"ToyDense": toy.Dense, "ToyAdd": toy.Add}
    clone = nk.Model.from_config(config, custom_objects=custom)
    assert [layer.name for layer in clone.layers] == [
        layer.name for layer in model.layers
    ]
    clone.set_weights(model.get_weights())
    data = [np.ones((2, 3)), np.arange(6.0).reshape(2, 3)]
    for got, expected in zip(clone(data), model(data)):
        np.testing.assert_allclose(np.asarray(got), np.asarray(expected), rtol=1e-6)
    assert clone.get_config() == config


def test_functional_input_spec_checks_shapes(toy):
    x = nk.Input(shape=(3,))
    model = nk.Model(x, toy.Dense(2)(x), name="tiny")
    with pytest.raises(ValueError, match=r'layer "tiny".*expected shape=\(None, 3\)'):
        model(np.ones((2, 4)))


def test_symbolic_ops_on_keras_tensors_explain_themselves():
    x = nk.Input(shape=(3,))
    with pytest.raises(TypeError, match="symbolic"):
        np.asarray(x)
    with pytest.raises(TypeError, match="symbolic"):
        bool(x)


def test_config_of_nested_catalogue_layers_is_json_and_round_trips():
    import json

    block = nk.Sequential(
        [nk.Input(shape=(3,)), layers.Dense(4, activation="relu")], name="block"
    )
    x = nk.Input(shape=(3,))
    model = nk.Model(x, layers.Dense(2)(layers.Dropout(0.2)(block(x))))
    config = json.loads(json.dumps(model.get_config()))
    clone = nk.Model.from_config(config)
    assert [type(layer).__name__ for layer in clone.layers] == [
        "InputLayer",
        "Sequential",
        "Dropout",
        "Dense",
    ]
    clone.set_weights(model.get_weights())
    data = np.random.default_rng(1).normal(size=(2, 3))
    np.testing.assert_allclose(np.asarray(clone(data)), np.asarray(model(data)))
