"""`Sequential`: a Functional built as layers are added, or deferred until the data."""

import numpy as np
import pytest

import nanokeras as nk
from nanokeras import layers


def test_sequential_is_a_functional_model():
    names = [cls.__name__ for cls in nk.Sequential.__mro__]
    assert names[:5] == ["Sequential", "Functional", "Model", "Layer", "Module"]
    for cls in nk.Sequential.__mro__[:5]:
        first_line = cls.__doc__.strip().splitlines()[0]
        assert first_line.startswith("Adds to `") or cls.__name__ == "Module"


def test_with_input_shape_the_graph_grows_as_layers_are_added(toy):
    model = nk.Sequential()
    model.add(toy.Dense(input_shape=(10,), units=10))
    assert model.built and model.outputs[0].shape == (None, 10)
    model.add(toy.Dense(units=1))
    assert model.outputs[0].shape == (None, 1)
    assert [layer.name for layer in model.layers] == ["toy_dense", "toy_dense_1"]
    assert isinstance(model._layers[0], layers.InputLayer)
    assert model.count_params() == 10 * 10 + 10 + 10 + 1
    assert model(np.ones((4, 10))).shape == (4, 1)


def test_an_input_added_first_fixes_the_shape(toy):
    model = nk.Sequential([nk.Input(shape=(3,)), toy.Dense(2)])
    assert model.built and model.outputs[0].shape == (None, 2)
    model2 = nk.Sequential([layers.InputLayer(shape=(3,)), toy.Dense(2)])
    assert model2.outputs[0].shape == (None, 2)


def test_without_input_shape_the_build_is_deferred_to_the_first_call(toy):
    model = nk.Sequential([toy.Dense(3), toy.Dense(2)])
    assert not model.built and model.weights == []
    out = model(np.ones((5, 7)))
    assert out.shape == (5, 2) and model.built
    assert model.inputs[0].shape == (None, 7)  # the batch axis stays unknown
    assert model(np.ones((1, 7))).shape == (1, 2)


def test_build_with_an_input_shape(toy):
    model = nk.Sequential([toy.Dense(3)])
    model.build((None, 4))
    assert model.built and model.layers[0].kernel.shape == (4, 3)
    assert model.outputs[0].shape == (None, 3)


def test_pop_removes_the_last_layer_and_keeps_the_graph(toy):
    model = nk.Sequential([nk.Input(shape=(3,)), toy.Dense(4), toy.Dense(2)])
    removed = model.pop()
    assert removed.units == 2 and len(model.layers) == 1
    assert model.outputs[0].shape == (None, 4)
    assert model(np.ones((2, 3))).shape == (2, 4)
    model.pop()
    assert model.layers == [] and not model.built


def test_training_reaches_sequential_layers(toy):
    dropout = toy.Dropout()
    model = nk.Sequential([nk.Input(shape=(2,)), dropout])
    model(np.ones((1, 2)), training=True)
    assert dropout.seen[-1] is True


def test_config_round_trip(toy):
    model = nk.Sequential([nk.Input(shape=(3,)), toy.Dense(4), toy.Dense(1)], name="s")
    clone = nk.Sequential.from_config(
        model.get_config(), custom_objects={"ToyDense": toy.Dense}
    )
    clone.set_weights(model.get_weights())
    data = np.arange(6.0).reshape(2, 3)
    np.testing.assert_allclose(np.asarray(clone(data)), np.asarray(model(data)))
    assert clone.name == "s" and clone.get_config() == model.get_config()


def test_sequential_inside_a_functional_model(toy):
    block = nk.Sequential([nk.Input(shape=(3,)), toy.Dense(4)], name="block")
    x = nk.Input(shape=(3,))
    model = nk.Model(x, toy.Dense(1)(block(x)))
    assert [layer.name for layer in model.layers] == [
        "input_layer_1",
        "block",
        "toy_dense_1",
    ]
    assert model(np.ones((2, 3))).shape == (2, 1)


# --- The deferred build (tf.keras 2.x `_build_graph_network_for_inferred_shape`)


def _deferred_sequence_model():
    return nk.Sequential(
        [nk.layers.Embedding(20, 4), nk.layers.LSTM(3), nk.layers.Dense(1)]
    )


def test_deferred_build_keeps_the_first_shape():
    model = _deferred_sequence_model()
    model(np.ones((2, 10), "int32"))
    assert model.inputs[0].shape == (None, 10)
    assert model.inputs[0].dtype == "int32"
    assert model.layers[0].output.shape == (None, 10, 4)


def test_a_new_length_relaxes_only_that_axis():
    model = _deferred_sequence_model()
    model(np.ones((2, 10), "int32"))
    weights = [w.copy() for w in model.get_weights()]
    assert model(np.ones((3, 12), "int32")).shape == (3, 1)
    assert model.inputs[0].shape == (None, None)
    # Same layers, same weights; the old graph's calls are forgotten.
    assert all(np.array_equal(a, b) for a, b in zip(weights, model.get_weights()))
    assert len(model.layers[0]._inbound_nodes) == 1
    assert model(np.ones((1, 7), "int32")).shape == (1, 1)


def test_a_changed_feature_axis_is_still_an_error_and_the_model_survives():
    model = nk.Sequential([nk.layers.Dense(2, name="d")])
    model(np.ones((1, 5)))
    with pytest.raises(ValueError, match='"d".*axis -1 of input shape to have value 5'):
        model(np.ones((1, 6)))
    assert model(np.ones((4, 5))).shape == (4, 2)


def test_build_by_hand_is_deferred_too():
    model = nk.Sequential([nk.layers.LSTM(2)])
    model.build((None, 4, 3))
    assert model(np.ones((1, 6, 3))).shape == (1, 2)
    assert model.inputs[0].shape == (None, None, 3)


def _state(model):
    lines = []
    model.summary(print_fn=lines.append)
    return {
        "layers": list(model.layers),
        "graph": list(model._layers),
        "outputs": [tensor.shape for tensor in model.outputs],
        "weights": [weight.name for weight in model.weights],
        "summary": lines,
    }


def test_a_refused_add_leaves_the_model_as_it_was(toy, tmp_path):
    model = nk.Sequential([nk.Input(shape=(4,)), toy.Dense(3)])
    before = _state(model)
    incompatible = layers.Conv2D(2, 3)  # wants 4-D inputs, receives (None, 3)
    try:
        model.add(incompatible)
    except ValueError as error:
        assert "conv2d" in str(error) and "ndim=4" in str(error)
    else:
        raise AssertionError("adding Conv2D after a Dense must be refused")
    assert _state(model) == before
    assert "conv2d" not in "\n".join(before["summary"])
    # The model still grows, runs and saves as if the refused layer never came.
    model.add(toy.Dense(2))
    assert [layer.name for layer in model.layers][-1] == "toy_dense_1"
    assert model(np.ones((5, 4))).shape == (5, 2)
    path = tmp_path / "model.keras"
    model.save(path)
    restored = nk.saving.load_model(path, custom_objects={"ToyDense": toy.Dense})
    assert [type(layer).__name__ for layer in restored.layers] == ["ToyDense"] * 2


def test_a_refused_first_layer_takes_its_input_shape_back(toy):
    model = nk.Sequential()
    try:
        model.add(layers.Conv2D(2, 3, input_shape=(4,)))
    except ValueError:
        pass
    else:
        raise AssertionError("a Conv2D on (None, 4) inputs must be refused")
    assert model.layers == [] and not model.built
    # The next layer's own input_shape decides the input, not the refused one's.
    model.add(toy.Dense(2, input_shape=(5,)))
    assert model.inputs[0].shape == (None, 5)
    assert model(np.ones((3, 5))).shape == (3, 2)
