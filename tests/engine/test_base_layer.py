"""`Layer`: lazy build, `__call__`'s steps, weights, losses, config, symbolic calls."""

import numpy as np
import pytest

import nanokeras as nk
from nanokeras import backend, layers, ops


class SimpleDense(layers.Layer):
    """The chapter 2 example: build + add_weight + call."""

    def __init__(self, units=4):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), name="w")
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", name="b")

    def call(self, inputs):
        return ops.matmul(inputs, self.w) + self.b

    def get_config(self):
        return {**super().get_config(), "units": self.units}


class SumPenalty(layers.Layer):
    """Adds the sum of its inputs as a loss and returns them unchanged."""

    def call(self, inputs):
        self.add_loss(ops.sum(inputs))
        return inputs


def test_simple_dense_builds_lazily_on_first_call():
    layer = SimpleDense(4)
    assert not layer.built and layer.weights == []
    out = layer(ops.ones((2, 2)))
    assert layer.built
    assert out.shape == (2, 4)
    assert [w.name for w in layer.weights] == ["simple_dense/w:0", "simple_dense/b:0"]


def test_build_runs_once_even_when_called_by_hand(toy):
    layer = toy.Dense(3)
    layer.build((None, 5))
    kernel = layer.kernel
    layer(np.ones((2, 5)))
    layer(np.ones((4, 5)))
    assert layer.kernel is kernel and len(layer.weights) == 2


def test_numpy_and_list_inputs_become_tensors_of_the_layer_dtype(toy):
    layer = toy.Dense(2)
    out = layer(np.ones((3, 4), dtype="float64"))
    assert isinstance(out, nk.Tensor) and out.dtype == "float32"
    assert layer([[1.0, 2.0, 3.0, 4.0]]).shape == (1, 2)
    wide = toy.Dense(2, dtype="float64")
    assert wide(np.ones((1, 3), dtype="float32")).dtype == "float64"


def test_integer_inputs_keep_their_dtype():
    seen = []

    class Probe(layers.Layer):
        def call(self, inputs):
            seen.append(inputs.dtype)
            return inputs

    Probe()(np.array([[1, 2]], dtype="int64"))
    Probe()([[1, 2]])
    assert seen == ["int64", "int32"]


def test_auto_names_count_per_prefix_and_clear_session_resets(toy):
    assert [toy.Dense(1).name, toy.Dense(1).name, toy.Dropout().name] == [
        "toy_dense",
        "toy_dense_1",
        "toy_dropout",
    ]
    assert toy.Dense(1, name="custom").name == "custom"
    backend.clear_session()
    assert toy.Dense(1).name == "toy_dense"
    nk.utils.clear_session()
    assert toy.Dense(1).name == "toy_dense"


def test_keras_layer_kwargs_are_accepted(toy):
    assert toy.Dense(3, input_shape=(10,))._batch_input_shape == (None, 10)
    assert toy.Dense(3, input_dim=7, batch_size=4)._batch_input_shape == (4, 7)
    assert toy.Dense(3, batch_input_shape=(2, 5))._batch_input_shape == (2, 5)


def test_input_spec_error_matches_keras_message(toy):
    layer = toy.Dense(3)
    layer(np.ones((10, 5)))
    with pytest.raises(ValueError) as info:
        layer(np.ones((10, 4)))
    assert str(info.value) == (
        'Input 0 of layer "toy_dense" is incompatible with the layer: expected '
        "axis -1 of input shape to have value 5, but received input with shape "
        "(10, 4)"
    )


def test_training_propagates_to_nested_layers(toy):
    class Block(layers.Layer):
        def __init__(self):
            super().__init__()
            self.dropout = toy.Dropout()

        def call(self, inputs, training=None):
            return self.dropout(inputs)

    class Outer(layers.Layer):
        def __init__(self):
            super().__init__()
            self.block = Block()
            self.explicit = toy.Dropout()

        def call(self, inputs, training=False):
            return self.explicit(self.block(inputs), training=False)

    outer = Outer()
    x = np.ones((1, 2))
    outer(x, training=True)
    outer(x)  # the default of Outer.call, False, flows down
    assert outer.block.dropout.seen == [True, False]
    assert outer.explicit.seen == [False, False]  # an explicit value wins
    lone = toy.Dropout()
    lone(x)
    assert lone.seen == [None]


def test_training_is_not_passed_to_calls_without_it(toy):
    layer = toy.Dense(2)
    assert layer(np.ones((1, 3)), training=True).shape == (1, 2)


def test_nested_layers_in_attributes_lists_and_dicts_are_tracked(toy):
    class Container(layers.Layer):
        def __init__(self):
            super().__init__()
            self.first = toy.Dense(2)
            self.blocks = [toy.Dense(3), {"inner": toy.Dense(4)}]
            self.later = []

        def call(self, inputs):
            x = self.first(inputs)
            x = self.blocks[0](x)
            x = self.blocks[1]["inner"](x)
            for layer in self.later:
                x = layer(x)
            return x

    container = Container()
    container.later.append(toy.Dense(1))  # appended after assignment: found too
    container(np.ones((1, 5)))
    shapes = [tuple(w.shape) for w in container.weights]
    assert shapes == [(5, 2), (2,), (2, 3), (3,), (3, 4), (4,), (4, 1), (1,)]
    assert len(container.trainable_weights) == 8
    assert len(container.submodules) == 4


def test_weights_order_trainable_first_then_non_trainable_then_sublayers():
    class Stats(layers.Layer):
        def build(self, input_shape):
            self.count = self.add_weight("count", (), trainable=False)
            self.scale = self.add_weight("scale", (input_shape[-1],))

        def call(self, inputs):
            return inputs * self.scale

    layer = Stats()
    layer(np.ones((2, 3)))
    assert [w.name for w in layer.weights] == ["stats/scale:0", "stats/count:0"]
    assert [w.name for w in layer.non_trainable_weights] == ["stats/count:0"]
    assert layer.count.dtype == "float32"


def test_default_initializers_glorot_for_floats_zeros_for_ints():
    layer = layers.Layer()
    kernel = layer.add_weight("kernel", (50, 50))
    counter = layer.add_weight("counter", (3,), dtype="int32", trainable=False)
    assert np.abs(kernel.numpy()).max() <= np.sqrt(6 / 100)
    assert kernel.numpy().std() > 0.05
    assert counter.numpy().tolist() == [0, 0, 0] and counter.dtype == "int32"


def test_add_weight_with_constraint_and_seeded_initializer():
    layer = layers.Layer()
    weight = layer.add_weight(
        "w",
        (3,),
        initializer=nk.initializers.RandomNormal(seed=1),
        constraint="non_neg",
    )
    assert isinstance(weight.constraint, nk.constraints.NonNeg)
    again = layers.Layer().add_weight(
        "w", (3,), initializer=nk.initializers.RandomNormal(seed=1)
    )
    np.testing.assert_array_equal(weight.numpy(), again.numpy())


def test_trainable_toggle_freezes_weights_and_sublayers(toy):
    class Outer(layers.Layer):
        def __init__(self):
            super().__init__()
            self.inner = toy.Dense(2)

        def call(self, inputs):
            return self.inner(inputs)

    outer = Outer()
    outer(np.ones((1, 3)))
    outer.trainable = False
    assert outer.trainable_weights == [] and len(outer.non_trainable_weights) == 2
    assert not outer.inner.trainable and not outer.inner.kernel.trainable
    outer.trainable = True
    assert len(outer.trainable_weights) == 2
    outer.inner.trainable = False
    assert outer.trainable_weights == []


def test_get_and_set_weights_round_trip(toy):
    layer = toy.Dense(2)
    layer(np.ones((1, 3)))
    new = [np.full((3, 2), 0.5, "float32"), np.array([1.0, -1.0], "float32")]
    layer.set_weights(new)
    for got, expected in zip(layer.get_weights(), new):
        np.testing.assert_array_equal(got, expected)
    got = layer.get_weights()[0]
    got[0, 0] = 99.0  # a copy: writing to it leaves the layer alone
    assert layer.kernel.numpy()[0, 0] == 0.5
    np.testing.assert_allclose(np.asarray(layer(np.ones((1, 3)))), [[2.5, 0.5]])


def test_weights_kwarg_sets_initial_weights(toy):
    values = [np.ones((2, 1), "float32"), np.zeros((1,), "float32")]
    layer = toy.Dense(1, weights=values)
    np.testing.assert_allclose(np.asarray(layer(np.ones((1, 2)))), [[2.0]])


def test_count_params(toy):
    layer = toy.Dense(15, input_shape=(10,))
    layer(np.ones((20, 10)))
    assert layer.count_params() == 10 * 15 + 15


def test_losses_from_regularizers_and_add_loss(toy):
    class Model(layers.Layer):
        def __init__(self):
            super().__init__()
            self.dense = toy.Dense(2, kernel_regularizer=nk.regularizers.L2(0.5))
            self.activity = SumPenalty()

        def call(self, inputs):
            return self.activity(self.dense(inputs))

    model = Model()
    model(np.ones((1, 3)))
    kernel = model.dense.kernel.numpy()
    expected_l2 = 0.5 * np.sum(kernel**2)
    output_sum = float(np.sum(np.ones((1, 3)) @ kernel))
    values = sorted(float(loss) for loss in model.losses)
    np.testing.assert_allclose(values, sorted([expected_l2, output_sum]), rtol=1e-5)
    model(np.ones((1, 3)))  # a new call replaces the call-time losses
    assert len(model.losses) == 2
    with nk.GradientTape() as tape:
        penalty = model.dense.losses[0]
    gradient = tape.gradient(penalty, model.dense.kernel)
    np.testing.assert_allclose(np.asarray(gradient), kernel, rtol=1e-6)


def test_activity_regularizer_divides_by_batch_size():
    layer = layers.Layer(activity_regularizer="l1")
    layer(np.full((4, 2), -1.0))
    np.testing.assert_allclose(float(layer.losses[0]), 0.01 * 8 / 4)


def test_get_config_from_config_round_trip(toy):
    layer = toy.Dense(3, name="head", trainable=False, input_shape=(4,))
    config = layer.get_config()
    assert config == {
        "name": "head",
        "trainable": False,
        "dtype": "float32",
        "batch_input_shape": (None, 4),
        "units": 3,
    }
    clone = toy.Dense.from_config(config)
    assert clone.get_config() == config


def test_symbolic_call_returns_keras_tensors_and_records_a_node(toy):
    inputs = nk.KerasTensor((None, 5))
    layer = toy.Dense(3)
    outputs = layer(inputs)
    assert isinstance(outputs, nk.KerasTensor) and outputs.shape == (None, 3)
    assert layer.built and layer.kernel.shape == (5, 3)
    history = outputs._keras_history
    assert history.layer is layer and (history.node_index, history.tensor_index) == (
        0,
        0,
    )
    node = layer._inbound_nodes[0]
    assert node.input_tensors == [inputs] and node.outputs is outputs
    assert layer.output is outputs and layer.input is inputs


def test_symbolic_call_without_compute_output_shape_traces_call(toy):
    add = toy.Add()
    a, b = nk.KerasTensor((None, 4, 2)), nk.KerasTensor((None, 4, 2))
    out = add([a, b])
    assert out.shape == (None, 4, 2) and out.dtype == "float32"
    assert add.compute_output_shape([(None, 3), (None, 3)]) == (None, 3)


def test_symbolic_call_checks_the_input_spec(toy):
    layer = toy.Dense(2)
    layer(nk.KerasTensor((None, 5)))
    with pytest.raises(ValueError, match=r"toy_dense.*expected axis -1.*value 5"):
        layer(nk.KerasTensor((None, 6)))


def test_call_is_fast_path_friendly(toy):
    """`__call__` on a built layer does no InputSpec rebuilding and no build."""
    layer = toy.Dense(2)
    x = nk.Tensor(np.ones((2, 3), "float32"))
    layer(x)
    spec = layer.input_spec
    layer(x)
    assert layer.input_spec is spec


class ZeroMasker(layers.Layer):
    """Like `Embedding(mask_zero=True)`: marks the zero entries as padding."""

    def call(self, inputs):
        return ops.cast(inputs, "float32")

    def compute_mask(self, inputs, mask=None):
        return ops.not_equal(inputs, 0)


class PassThrough(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True


class MaskReader(layers.Layer):
    """Like an RNN: its `call` takes the mask."""

    def __init__(self):
        super().__init__()
        self.masks = []

    def call(self, inputs, mask=None):
        self.masks.append(None if mask is None else np.asarray(mask).tolist())
        return inputs


def test_masks_flow_to_layers_whose_call_takes_them():
    from engine.masking import get_keras_mask

    reader = MaskReader()
    data = np.array([[3, 0, 5]])
    masked = ZeroMasker()(data)
    assert np.asarray(get_keras_mask(masked)).tolist() == [[True, False, True]]
    reader(PassThrough()(masked))
    # A layer without masking support gives a new tensor, without a mask.
    reader(layers.Lambda(lambda x: x * 1.0)(masked))
    assert reader.masks == [[[True, False, True]], None]


def test_masks_flow_through_a_functional_model():
    reader = MaskReader()
    x = nk.Input(shape=(3,), dtype="int32")
    model = nk.Model(x, reader(PassThrough()(ZeroMasker()(x))))
    model(np.array([[0, 2, 0]]))
    assert reader.masks[-1] == [[False, True, False]]


def test_further_positional_numpy_arguments_are_converted_too():
    class Pair(layers.Layer):
        def call(self, first, second, scale=1.0):
            assert isinstance(second, nk.Tensor) and second.dtype == "float32"
            return ops.multiply(ops.add(first, second), scale)

    out = Pair()(np.ones((1, 2)), np.full((1, 2), 2.0), 2.0)
    np.testing.assert_allclose(np.asarray(out), [[6.0, 6.0]])


def test_build_config_rebuilds_the_weights(toy):
    layer = toy.Dense(3)
    assert layer.get_build_config() is None
    layer(np.ones((2, 5)))
    build_config = layer.get_build_config()
    assert build_config == {"input_shape": (2, 5)}
    clone = toy.Dense.from_config(layer.get_config())
    clone.build_from_config(build_config)
    assert clone.built and [w.shape for w in clone.weights] == [(5, 3), (3,)]
    clone.set_weights(layer.get_weights())


def test_names_follow_keras_rule_not_tf_module_rule():
    # Keras allows a leading digit or spaces; only "/" (a scope separator)
    # and ":" (the output index of `kernel:0`) cannot appear.
    inputs = nk.Input((2,))
    model = nk.Model(inputs, nk.layers.Dense(1)(inputs), name="3_layer_mlp")
    model(np.ones((1, 2)))
    assert model.name == "3_layer_mlp"
    assert nk.layers.Dense(1, name="my dense").name == "my dense"
    for bad in ("a/b", "a:0", 3):
        with pytest.raises(ValueError, match="must be a non-empty string"):
            nk.layers.Dense(1, name=bad)


def test_a_custom_build_called_by_hand_counts_as_the_build():
    # Defined here, not at module level, so the class is created by the code
    # under test: `Layer.__init_subclass__` wraps each `build` it sees.
    class Scale(layers.Layer):
        def build(self, input_shape):
            self.scale = self.add_weight(shape=(input_shape[-1],), name="scale")

        def call(self, inputs):
            return inputs * self.scale

    layer = Scale()
    layer.build((None, 3))
    assert layer.built and layer.get_build_config() == {"input_shape": (None, 3)}
    assert [w.name for w in layer.weights] == ["scale/scale:0"]
    layer(np.ones((2, 3)))
    assert len(layer.weights) == 1  # the call did not build a second scale


def test_the_base_build_called_by_hand_marks_the_layer_built():
    layer = layers.Layer()
    layer.build((None, 4))
    assert layer.built and layer.get_build_config() == {"input_shape": (None, 4)}


def test_build_from_config_of_nothing_leaves_the_layer_unbuilt(toy):
    layer = toy.Dense(2)
    layer.build_from_config(None)  # what `get_build_config` gives before a build
    assert not layer.built and layer.weights == []


def test_inputs_may_be_passed_by_keyword(toy):
    layer = toy.Dense(2)
    x = np.ones((3, 4))
    np.testing.assert_array_equal(np.asarray(layer(inputs=x)), np.asarray(layer(x)))


def test_a_float64_tensor_is_cast_to_the_layer_dtype_and_gradients_flow_back(toy):
    layer = toy.Dense(2)
    x = ops.convert_to_tensor(np.ones((3, 4)), dtype="float64")
    with nk.GradientTape() as tape:
        tape.watch(x)
        out = layer(x)
        total = ops.sum(out)
    assert out.dtype == "float32"
    gradient = tape.gradient(total, x)
    expected = np.tile(layer.kernel.numpy().sum(axis=1), (3, 1))
    np.testing.assert_allclose(np.asarray(gradient), expected, rtol=1e-6)


def test_a_list_of_arrays_becomes_a_list_of_tensors_of_the_layer_dtype(toy):
    seen = []

    class Collect(layers.Layer):
        def call(self, inputs):
            seen.extend((type(x), x.dtype) for x in inputs)
            return inputs[0]

    Collect()([np.ones((1, 2)), np.zeros((1, 2))])
    assert seen == [(nk.Tensor, "float32"), (nk.Tensor, "float32")]


def test_a_scalar_output_is_regularized_without_a_batch_to_average_over():
    class Total(layers.Layer):
        def call(self, inputs):
            return ops.sum(inputs)

    layer = Total(activity_regularizer="l1")
    layer(np.full((4, 2), -1.0))
    np.testing.assert_allclose(float(layer.losses[0]), 0.01 * 8)


def test_repr_names_the_class_the_layer_and_whether_it_is_built(toy):
    layer = toy.Dense(2, name="head")
    assert repr(layer) == "<ToyDense name=head, built=False>"
    assert layer.autocast is True  # Keras 3's default, kept as an attribute
    layer(np.ones((1, 3)))
    assert repr(layer) == "<ToyDense name=head, built=True>"


def test_add_variable_is_add_weight_with_shape_and_initializer_first():
    layer = layers.Layer(name="holder")
    variable = layer.add_variable(
        (2, 3),
        "ones",
        dtype="float64",
        regularizer=nk.regularizers.L1(0.5),
        constraint="non_neg",
        name="v",
    )
    assert variable.name == "holder/v:0" and variable.shape == (2, 3)
    assert variable.dtype == "float64" and variable.trainable
    np.testing.assert_array_equal(variable.numpy(), np.ones((2, 3)))
    assert isinstance(variable.constraint, nk.constraints.NonNeg)
    np.testing.assert_allclose(float(layer.losses[0]), 0.5 * 6)
    frozen = layer.add_variable((1,), "zeros", trainable=False)
    assert not frozen.trainable and layer.non_trainable_weights == [frozen]


def test_deleting_a_sub_layer_attribute_stops_tracking_it(toy):
    class Pair(layers.Layer):
        def __init__(self):
            super().__init__()
            self.first = toy.Dense(2)
            self.second = toy.Dense(3)

    pair = Pair()
    pair.first.build((None, 1))
    pair.second.build((None, 1))
    first = pair.first
    del pair.first
    assert [w.shape for w in pair.weights] == [(1, 3), (3,)]
    pair.first = first  # set again: tracked again, now after `second`
    assert [w.shape for w in pair.weights] == [(1, 3), (3,), (1, 2), (2,)]
    pair.note = "plain"
    del pair.note  # a plain attribute deletes as on any object
    assert not hasattr(pair, "note")
    bare = layers.Layer()
    bare.note = 1
    del bare.note
    assert not hasattr(bare, "note")


def test_a_layer_with_only_base_arguments_needs_no_get_config():
    class Plain(layers.Layer):
        def __init__(self, trainable=True, name=None, dtype=None, **kwargs):
            super().__init__(trainable=trainable, name=name, dtype=dtype, **kwargs)

    assert Plain(name="p").get_config()["name"] == "p"


def test_a_layer_called_in_a_new_thread_starts_from_a_fresh_call_context():
    import threading

    class Tagged(layers.Layer):
        def call(self, inputs, training=True):
            self.seen = training
            self.add_loss(ops.sum(inputs))
            return inputs

    layer = Tagged()
    results = []

    def work():
        layer(np.ones((1, 2)))
        results.append(layer.seen)
        layer(np.ones((1, 2)))
        results.append(len(layer.losses))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    # The default of `call` applies, and the second call's loss replaces the first.
    assert results == [True, 1]


def test_a_shared_sub_layer_counts_once_and_hides_nothing_after_it(toy):
    shared = toy.Dense(2, kernel_regularizer=nk.regularizers.L2(1.0))

    class Branch(layers.Layer):
        def __init__(self, tail):
            super().__init__()
            self.shared = shared
            self.tail = tail

    class Tree(layers.Layer):
        def __init__(self):
            super().__init__()
            self.left = Branch(toy.Dense(3))
            self.right = Branch(toy.Dense(4))

    tree = Tree()
    for layer in (shared, tree.left.tail, tree.right.tail):
        layer.build((None, 1))
    assert len(tree.losses) == 1  # the shared kernel's penalty, once
    assert [w.shape for w in tree.weights] == [(1, 2), (2,), (1, 3), (3,), (1, 4), (4,)]
    below = list(tree._flatten_layers(include_self=False))
    assert below == [tree.left, shared, tree.left.tail, tree.right, tree.right.tail]
    assert list(tree._flatten_layers(recursive=False)) == [tree, tree.left, tree.right]


def test_sub_layers_in_a_dict_come_in_insertion_order_as_in_keras_3(toy):
    # Real Keras 3 gives [(4, 3), (3,), (4, 2), (2,)] for this layer: "b"
    # was added first, so its weights come first although "a" sorts earlier.
    class Blocks(layers.Layer):
        def __init__(self):
            super().__init__()
            self.blocks = {"b": toy.Dense(3), "a": toy.Dense(2)}

    holder = Blocks()
    for block in holder.blocks.values():
        block.build((None, 4))
    assert [w.shape for w in holder.weights] == [(4, 3), (3,), (4, 2), (2,)]


def test_add_weight_without_a_shape_makes_a_scalar_and_non_floats_start_at_zero():
    layer = layers.Layer()
    step = layer.add_weight(name="step", initializer="zeros")
    assert step.shape == () and float(step.numpy()) == 0.0
    flags = layer.add_weight(name="flags", shape=(8, 8), dtype="bool")
    assert flags.numpy().dtype == bool and not flags.numpy().any()


def test_symbolic_outputs_carry_the_layer_dtype(toy):
    outputs = toy.Dense(2, dtype="float64")(nk.Input(shape=(3,), dtype="float64"))
    assert outputs.dtype == "float64"


def test_a_mask_passed_explicitly_becomes_the_outputs_mask_on_both_paths():
    # tf.keras 2.6 takes an explicit `mask=` argument as the input's mask,
    # eagerly and symbolically alike.
    class PassThrough(layers.Layer):
        def __init__(self):
            super().__init__()
            self.supports_masking = True

        def call(self, inputs, mask=None):
            return inputs

    mask = np.array([[True, False, True]])
    layer = PassThrough()
    for _ in range(2):  # the second call runs once this thread has seen a mask
        eager = layer(np.ones((1, 3)), mask=mask)
        np.testing.assert_array_equal(np.asarray(eager._keras_mask), mask)
    symbolic_mask = nk.Input(shape=(3,), dtype="bool")
    outputs = PassThrough()(nk.Input(shape=(3,)), mask=symbolic_mask)
    assert outputs._keras_mask is not None and outputs._keras_mask.shape == (None, 3)


def test_a_traced_symbolic_call_receives_the_inputs_mask_and_its_own_arguments():
    class Probe(layers.Layer):
        def __init__(self):
            super().__init__()
            self.seen = []

        def call(self, inputs, mask=None, scale=1.0):
            self.seen.append((mask is not None, scale))
            return inputs * scale

    probe = Probe()
    masked = layers.Masking()(nk.Input(shape=(4, 2)))
    probe(masked, scale=2.0)
    assert probe.seen and set(probe.seen) == {(True, 2.0)}


def test_a_keras_tensor_after_a_tensor_argument_still_makes_the_call_symbolic():
    class Pair(layers.Layer):
        def call(self, first, second):
            return ops.add(first, second)

    pair = Pair()
    out = pair(ops.ones((1, 2)), nk.Input(shape=(2,)))
    # The layer itself made the output (a graph node of `pair`), not the op
    # inside its call meeting a KerasTensor.
    assert out._keras_history.layer is pair and out.shape == (None, 2)
    out = pair(ops.ones((1, 2)), second=nk.Input(shape=(2,)))  # by keyword too
    assert out._keras_history.layer is pair and out.shape == (None, 2)


def test_positional_arguments_convert_arrays_and_leave_python_numbers_alone():
    seen = []

    class Pair(layers.Layer):
        def call(self, first, second, scale=1.0):
            seen.append((type(second), type(scale)))
            return ops.multiply(ops.add(first, second), scale)

    Pair()(np.ones((1, 2)), np.ones((1, 2)))
    Pair()(np.ones((1, 2)), np.ones((1, 2)), 2.0)
    assert seen == [(nk.Tensor, float), (nk.Tensor, float)]


def test_a_layer_calling_itself_names_later_weights_under_its_scope_once():
    # A recursive layer (a tree network applies itself to each subtree)
    # may create a weight after an inner call to itself has returned.
    class Recursive(layers.Layer):
        def call(self, inputs, depth=1):
            if depth:
                inputs = self(inputs, depth=depth - 1)
                if not hasattr(self, "gate"):
                    self.gate = self.add_weight(name="gate", shape=())
            return inputs

    layer = Recursive(name="tree")
    layer(np.ones((1, 2)))
    assert layer.gate.name == "tree/gate:0"

    class Holder(layers.Layer):
        def call(self, inputs):
            return nested(inputs)

    nested = Recursive(name="tree")
    Holder(name="holder")(np.ones((1, 2)))  # built inside the holder's call
    assert nested.gate.name == "holder/tree/gate:0"


def test_a_layer_called_twice_in_one_outer_call_keeps_both_losses():
    class Twice(layers.Layer):
        def __init__(self):
            super().__init__()
            self.inner = SumPenalty()

        def call(self, inputs):
            return self.inner(self.inner(inputs) * 2.0)

    outer = Twice()
    outer(np.ones((1, 2)))
    assert sorted(float(loss) for loss in outer.losses) == [2.0, 4.0]
    outer(np.ones((1, 2)))  # the next outer call starts afresh
    assert len(outer.losses) == 2


def test_losses_are_those_of_the_last_call_even_with_other_layers_called_between():
    penalised, other = SumPenalty(), layers.Layer()
    penalised(np.ones((1, 2)))
    other(np.ones((1, 2)))  # an outermost call of another layer in between
    penalised(np.ones((1, 2)))
    assert len(penalised.losses) == 1


def test_training_reaches_every_sub_layer_called_one_after_another(toy):
    class Chain(layers.Layer):
        def __init__(self):
            super().__init__()
            self.first, self.second = toy.Dropout(), toy.Dropout()

        def call(self, inputs):
            return self.second(self.first(inputs))

    chain = Chain()
    chain(np.ones((1, 2)), training=True)
    assert chain.first.seen == [True] and chain.second.seen == [True]


def test_a_masked_functional_model_runs_each_layer_once_per_call():
    class Counted(layers.Layer):
        def __init__(self):
            super().__init__()
            self.supports_masking = True
            self.calls = 0

        def call(self, inputs):
            self.calls += 1
            self.add_loss(ops.sum(inputs))
            return inputs

    inputs = nk.Input(shape=(3, 2))
    counted = Counted()
    model = nk.Model(inputs, counted(layers.Masking()(inputs)))
    counted.calls = 0
    outputs = model(np.ones((1, 3, 2)))
    assert counted.calls == 1 and len(model.losses) == 1
    assert outputs._keras_mask.shape == (1, 3)  # the mask Masking attached


def test_a_float64_weight_is_drawn_in_float64_not_rounded_from_float32():
    initializer = nk.initializers.RandomNormal(seed=1)
    weight = layers.Layer().add_weight(
        shape=(3,), dtype="float64", initializer=initializer
    )
    drawn = np.asarray(nk.initializers.RandomNormal(seed=1)((3,), dtype="float64"))
    np.testing.assert_array_equal(weight.numpy(), drawn)


def test_a_new_layer_has_keras_defaults_for_spec_and_masking():
    layer = layers.Layer()
    assert layer.input_spec is None and layer.supports_masking is False


def test_a_symbolic_call_leaves_no_scope_behind():
    """The scopes a call on KerasTensors opens (the root, then the layer's own)
    are both closed after it: a layer built eagerly next is named at the root."""
    inputs = nk.Input((3,))
    outputs = SimpleDense(2)(SimpleDense(4)(inputs))
    nk.Model(inputs, outputs)
    later = SimpleDense(1)
    later(np.ones((1, 2), "float32"))
    assert [w.name for w in later.weights] == [f"{later.name}/w:0", f"{later.name}/b:0"]


def test_an_invalid_name_scope_is_refused_with_the_reason():
    for name in ("a:b", 3):
        with pytest.raises(ValueError) as error:
            nk.name_scope(name)
        assert str(error.value) == (
            f"Invalid name scope {name!r}: a scope is a string without `:` "
            "(`:` starts a variable's output index, as in `kernel:0`)."
        )
