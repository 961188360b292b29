"""The engine's misuse catalogue: each mistake gives a clear error.

Every case asserts the exception type and that the message names the layer
or model involved and the offending value, as Keras's messages do.
"""

import re

import numpy as np
import pytest

import nanokeras as nk
from nanokeras import layers


def built_dense(toy, width=5, **kwargs):
    layer = toy.Dense(3, **kwargs)
    layer(np.ones((10, width)))
    return layer


def chain(toy):
    return nk.Sequential([nk.Input(shape=(3,)), toy.Dense(2, name="hidden")])


# The advice closing the error for a sub-layer set before `super().__init__()`.
_START_WITH_SUPER = "Always start your `__init__` with `super().__init__()`."

CASES = {
    # --- Layer construction ---
    "unknown layer kwarg": (
        lambda toy: toy.Dense(3, unit=4),
        TypeError,
        ["ToyDense", "'unit': 4"],
    ),
    "invalid layer name": (
        # Keras refuses only "/" (it separates name scopes) in a layer name.
        lambda toy: toy.Dense(3, name="bad/name"),
        ValueError,
        ["Argument `name` of ToyDense", "'bad/name'", "'/'"],
    ),
    "invalid layer dtype": (
        lambda toy: toy.Dense(3, dtype="float7"),
        ValueError,
        ["Invalid dtype 'float7' for layer \"toy_dense\""],
    ),
    "layer before super().__init__ in a Layer": (
        lambda toy: _forgetful(layers.Layer, toy),
        RuntimeError,
        ["subclassing `Layer`", "Forgetful", "'dense'", _START_WITH_SUPER],
    ),
    "layer before super().__init__ in a Model": (
        lambda toy: _forgetful(nk.Model, toy),
        RuntimeError,
        ["subclassing `Model`", "Forgetful", "'dense'", _START_WITH_SUPER],
    ),
    "a layer called without super().__init__": (
        lambda toy: _never_initialised()(np.ones((1, 2))),
        RuntimeError,
        ["In layer 'Unready'", "call `super().__init__()` as the first statement"],
    ),
    # --- Calling a layer ---
    "wrong last axis": (
        lambda toy: built_dense(toy)(np.ones((10, 4))),
        ValueError,
        ['layer "toy_dense"', "expected axis -1", "value 5", "(10, 4)"],
    ),
    "wrong rank (min_ndim)": (
        lambda toy: toy.Dense(3)(np.ones((4,))),
        ValueError,
        ['layer "toy_dense"', "min_ndim=2", "found ndim=1", "(4,)"],
    ),
    "wrong rank (ndim)": (
        lambda toy: _spec_layer(layers.InputSpec(ndim=3))(np.ones((2, 2))),
        ValueError,
        ['layer "spec_layer"', "expected ndim=3", "found ndim=2", "(2, 2)"],
    ),
    "too high rank (max_ndim)": (
        lambda toy: _spec_layer(layers.InputSpec(max_ndim=2))(np.ones((1, 2, 3))),
        ValueError,
        ['layer "spec_layer"', "max_ndim=2", "found ndim=3"],
    ),
    "wrong dtype": (
        lambda toy: _spec_layer(layers.InputSpec(dtype="int32"))(np.ones((2,))),
        ValueError,
        ['layer "spec_layer"', "expected dtype=int32", "found dtype=float32"],
    ),
    "wrong full shape": (
        lambda toy: _spec_layer(layers.InputSpec(shape=(None, 4)))(np.ones((2, 5))),
        ValueError,
        ['layer "spec_layer"', "expected shape=(None, 4)", "found shape=(2, 5)"],
    ),
    "wrong number of inputs": (
        lambda toy: _spec_layer([layers.InputSpec(), layers.InputSpec()])(
            np.ones((2, 2))
        ),
        ValueError,
        ['Layer "spec_layer"', "expects 2 input(s)", "received 1"],
    ),
    "a layer passed as input": (
        lambda toy: _spec_layer(layers.InputSpec(ndim=2))(toy.Dense(1)),
        ValueError,
        ["spec_layer", "ToyDense"],
    ),
    "called without inputs": (
        lambda toy: toy.Dense(2)(),
        ValueError,
        ['"toy_dense"', "without inputs"],
    ),
    "wrong symbolic last axis": (
        lambda toy: built_dense(toy)(nk.Input(shape=(6,))),
        ValueError,
        ['layer "toy_dense"', "value 5", "(None, 6)"],
    ),
    # --- Weights ---
    "set_weights with too few arrays": (
        lambda toy: built_dense(toy).set_weights([np.ones((5, 3))]),
        ValueError,
        ['layer "toy_dense"', "length 1", "expecting 2", "(5, 3)", "(3,)"],
    ),
    "set_weights with a wrong shape": (
        lambda toy: built_dense(toy).set_weights([np.ones((5, 4)), np.ones(3)]),
        ValueError,
        ['"toy_dense"', "(5, 3)", "(5, 4)", "toy_dense/kernel:0"],
    ),
    "set_weights on a layer without weights": (
        lambda toy: layers.Layer(name="holder").set_weights([np.ones(2)]),
        ValueError,
        ['layer "holder"', "length 1", "was expecting 0 weights."],
    ),
    "a constructor argument without get_config": (
        lambda toy: _without_get_config().get_config(),
        NotImplementedError,
        ["Layer Scaled", "['factor']", "must override `get_config()`"],
    ),
    "count_params on an unbuilt layer": (
        lambda toy: toy.Dense(3).count_params(),
        ValueError,
        ["'toy_dense'", "but the layer isn't built. You can build it manually"]
        + ["via: `toy_dense.build(batch_input_shape)`"],
    ),
    "add_weight with an unknown initializer": (
        lambda toy: layers.Layer(name="holder").add_weight(
            "w", (2,), initializer="glorot"
        ),
        ValueError,
        ["'glorot'"],
    ),
    "add_weight with an unknown argument": (
        lambda toy: layers.Layer(name="holder").add_weight(
            "w", (2,), initialiser="ones"
        ),
        TypeError,
        ['"holder"', "initialiser"],
    ),
    "add_weight given the shape twice": (
        lambda toy: layers.Layer(name="holder").add_weight("w", (2,), shape=(3,)),
        TypeError,
        ['`add_weight` of layer "holder"', "`shape` both positionally and as a"],
    ),
    "add_weight with Keras 3's float8 switch": (
        lambda toy: layers.Layer(name="holder").add_weight(
            shape=(2,), overwrite_with_gradient=True
        ),
        NotImplementedError,
        ['layer "holder"', "overwrite_with_gradient=True"],
    ),
    "add_weight with an unknown regularizer": (
        lambda toy: layers.Layer(name="holder").add_weight("w", (2,), regularizer="l3"),
        ValueError,
        ["'l3'"],
    ),
    "layer output before any symbolic call": (
        lambda toy: toy.Dense(3).output,
        AttributeError,
        ["toy_dense", "output"],
    ),
    # --- Input / InputLayer ---
    "Input without a shape": (
        lambda toy: nk.Input(),
        ValueError,
        ["`shape`", 'InputLayer "input_layer"'],
    ),
    "Input with an int shape": (
        lambda toy: nk.Input(shape=3),
        ValueError,
        ["shape=3", "shape=(3,)"],
    ),
    "Input with a negative size": (
        lambda toy: nk.Input(shape=(-2,)),
        ValueError,
        ["shape=(-2,)", "non-negative"],
    ),
    "Input with shape and batch_shape": (
        lambda toy: nk.Input(shape=(2,), batch_shape=(1, 2)),
        ValueError,
        ["shape=(2,)", "batch_shape=(1, 2)"],
    ),
    # --- Functional ---
    "graph disconnected": (
        lambda toy: _disconnected(toy),
        ValueError,
        ["Graph disconnected", 'layer "toy_add"', "name=b"],
    ),
    "duplicate layer names in a functional model": (
        lambda toy: _duplicate_functional(toy),
        ValueError,
        ['"twin"', "2 times"],
    ),
    "non-tensor outputs": (
        lambda toy: nk.Model(nk.Input(shape=(2,)), np.ones(2)),
        TypeError,
        ["outputs", "ndarray"],
    ),
    "the same input twice": (
        lambda toy: _same_input_twice(toy),
        ValueError,
        ["more than once", "'functional'"],
    ),
    "model called with too many inputs": (
        lambda toy: nk.Model(_x := nk.Input(shape=(2,)), toy.Dense(1)(_x), name="one")(
            [np.ones((1, 2)), np.ones((1, 2))]
        ),
        ValueError,
        ['"one"', "expects 1 input(s)", "received 2"],
    ),
    "model called with a dict missing a key": (
        lambda toy: _two_input_model(toy)({"a": np.ones((1, 2))}),
        ValueError,
        ['"b"', '"two"'],
    ),
    "subclassed functional model given an unknown argument": (
        lambda toy: _subclass_with_graph(toy),
        TypeError,
        ["Sub", "'colour'", "`inputs` and `outputs`"],
    ),
    # --- Model / Sequential ---
    "subclassed model without call": (
        lambda toy: type("NoCall", (nk.Model,), {})()(np.ones((1, 2))),
        NotImplementedError,
        ["'no_call'", "`call()`"],
    ),
    "get_layer with an unknown name": (
        lambda toy: chain(toy).get_layer("output"),
        ValueError,
        ["'output'", "'sequential'", "hidden"],
    ),
    "get_layer with an index out of range": (
        lambda toy: chain(toy).get_layer(index=5),
        ValueError,
        ["index 5", "'sequential'", "only has 1"],
    ),
    "get_layer with both name and index": (
        lambda toy: chain(toy).get_layer("hidden", 0),
        ValueError,
        ["name='hidden'", "index=0"],
    ),
    "adding a non-layer to a Sequential": (
        lambda toy: nk.Sequential().add("dense"),
        TypeError,
        ["instance of class Layer", "layer='dense'", "str"],
    ),
    "duplicate names in a Sequential": (
        lambda toy: nk.Sequential(
            [toy.Dense(2, name="same"), toy.Dense(2, name="same")]
        ),
        ValueError,
        ['"same"', "unique names", "'sequential'"],
    ),
    "summary of an unbuilt Sequential": (
        lambda toy: nk.Sequential([toy.Dense(2)]).summary(),
        ValueError,
        ["'sequential'", "not yet been built"],
    ),
    "pop on an empty Sequential": (
        lambda toy: nk.Sequential().pop(),
        TypeError,
        ["no layers", "'sequential'"],
    ),
    "build a Sequential without a shape": (
        lambda toy: nk.Sequential([toy.Dense(2)]).build(),
        ValueError,
        ["`input_shape`", "'sequential'"],
    ),
    "an Input added after layers": (
        lambda toy: nk.Sequential([toy.Dense(2), nk.Input(shape=(3,))]),
        ValueError,
        ["'sequential'", 'InputLayer "input_layer"', "first"],
    ),
    "incompatible layer added to a built Sequential": (
        lambda toy: nk.Sequential(
            [nk.Input(shape=(3,)), _spec_layer(layers.InputSpec(ndim=3))]
        ),
        ValueError,
        ['layer "spec_layer"', "expected ndim=3", "(None, 3)"],
    ),
}


def _forgetful(base, toy):
    class Forgetful(base):
        def __init__(self):
            self.dense = toy.Dense(2)
            super().__init__()

    return Forgetful()


def _never_initialised():
    class Unready(layers.Layer):
        def __init__(self):
            self.factor = 2

    return Unready()


def _without_get_config():
    class Scaled(layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

    return Scaled()


def _spec_layer(spec):
    class SpecLayer(layers.Layer):
        def __init__(self):
            super().__init__()
            self.input_spec = spec

    return SpecLayer()


def _disconnected(toy):
    a, b = nk.Input(shape=(2,), name="a"), nk.Input(shape=(2,), name="b")
    return nk.Model(a, toy.Add()([a, b]))


def _duplicate_functional(toy):
    x = nk.Input(shape=(2,))
    return nk.Model(x, toy.Dense(2, name="twin")(toy.Dense(2, name="twin")(x)))


def _same_input_twice(toy):
    x = nk.Input(shape=(2,))
    return nk.Model([x, x], toy.Add()([x, x]))


def _two_input_model(toy):
    a, b = nk.Input(shape=(2,), name="a"), nk.Input(shape=(2,), name="b")
    return nk.Model([a, b], toy.Add()([a, b]), name="two")


def _subclass_with_graph(toy):
    class Sub(nk.Model):
        pass

    x = nk.Input(shape=(2,))
    return Sub(x, toy.Dense(1)(x), colour="red")


def test_the_catalogue_has_at_least_thirty_cases():
    assert len(CASES) >= 30


def test_the_misuse_tables_together_hold_at_least_120_cases():
    # The catalogue is split by where the mistake is refused; each table's
    # cases assert the error type and the names and values in the message.
    from tests.backend import test_ops_errors
    from tests.engine import test_misuse_training
    from tests.layers.core import test_embedding
    from tests.scripts import test_explore

    tables = [
        CASES,
        test_misuse_training.CASES,
        test_ops_errors.CASES,
        test_embedding.BAD_IDS,
        test_explore.BROKEN_PACKAGES,
    ]
    assert sum(len(table) for table in tables) >= 120


@pytest.mark.parametrize("case", sorted(CASES))
def test_misuse_gives_a_clear_error(case, toy):
    action, error, fragments = CASES[case]
    with pytest.raises(error) as info:
        action(toy)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert not re.search(r"Traceback|numpy\.core", message)
