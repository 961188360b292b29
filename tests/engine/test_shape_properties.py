"""Property tests: symbolic shapes always agree with the shapes real data gets.

For random stacks and graphs of layers, the `KerasTensor` shapes a model is
built with must match what running it on data returns (the batch axis left
unknown), and `compute_output_shape` must agree with both. Parity with real
Keras 3 covers the parameter counts `summary()` prints.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nanokeras as keras
from nanokeras import layers, ops

EXAMPLES = settings(max_examples=25, deadline=None)


class Tile(layers.Layer):
    """A layer with no `compute_output_shape`: shapes come from tracing `call`."""

    def __init__(self, times, **kwargs):
        super().__init__(**kwargs)
        self.times = times

    def call(self, inputs):
        return ops.concatenate([inputs] * self.times, axis=-1)


@EXAMPLES
@given(
    feature_shape=st.lists(st.integers(1, 4), min_size=1, max_size=3),
    units=st.lists(st.integers(1, 5), min_size=1, max_size=4),
    batch=st.integers(1, 3),
)
def test_sequential_symbolic_shapes_match_data(feature_shape, units, batch):
    model = keras.Sequential([keras.Input(shape=tuple(feature_shape))])
    for count in units:
        model.add(keras.layers.Dense(count))
    expected = (None, *feature_shape[:-1], units[-1])
    assert model.outputs[0].shape == expected
    out = model(np.ones((batch, *feature_shape), "float32"))
    assert out.shape == (batch, *feature_shape[:-1], units[-1])
    assert model.compute_output_shape((None, *feature_shape)) == expected


@EXAMPLES
@given(
    width=st.integers(1, 4),
    times=st.lists(st.integers(1, 3), min_size=1, max_size=3),
    unknown_length=st.booleans(),
    length=st.integers(1, 3),
)
def test_traced_shapes_keep_unknown_axes_unknown(width, times, unknown_length, length):
    time_axis = None if unknown_length else length
    x = keras.Input(shape=(time_axis, width))
    y = x
    for count in times:
        y = Tile(count)(y)
    total = width * int(np.prod(times))
    assert y.shape == (None, time_axis, total)
    model = keras.Model(x, y)
    assert model(np.ones((2, length, width), "float32")).shape == (2, length, total)


@EXAMPLES
@given(branches=st.integers(1, 4), width=st.integers(1, 4), units=st.integers(1, 4))
def test_branching_graph_shapes_match_data(branches, width, units):
    x = keras.Input(shape=(width,))
    outputs = [keras.layers.Dense(units)(x) for _ in range(branches)]
    model = keras.Model(x, outputs)
    results = model(np.ones((3, width), "float32"))
    assert [tuple(t.shape) for t in outputs] == [(None, units)] * branches
    assert [r.shape for r in results] == [(3, units)] * branches
    assert len(model.layers) == 1 + branches


@pytest.mark.keras
def test_parameter_counts_equal_keras(real_keras):
    ours_in = keras.Input(shape=(6,))
    hidden = keras.layers.Dense(5, activation="relu")(ours_in)
    ours = keras.Model(
        ours_in, [keras.layers.Dense(3)(hidden), keras.layers.Dense(1)(hidden)]
    )

    theirs_in = real_keras.Input(shape=(6,))
    theirs_hidden = real_keras.layers.Dense(5, activation="relu")(theirs_in)
    theirs = real_keras.Model(
        theirs_in,
        [
            real_keras.layers.Dense(3)(theirs_hidden),
            real_keras.layers.Dense(1)(theirs_hidden),
        ],
    )
    assert ours.count_params() == theirs.count_params()
    assert [layer.count_params() for layer in ours.layers] == [
        layer.count_params() for layer in theirs.layers
    ]
    assert [type(layer).__name__ for layer in ours.layers] == [
        type(layer).__name__ for layer in theirs.layers
    ]
    # Same weight order, so Keras's weights load into ours and agree.
    ours.set_weights(theirs.get_weights())
    data = np.random.default_rng(0).normal(size=(4, 6)).astype("float32")
    for got, expected in zip(ours(data), theirs(data)):
        np.testing.assert_allclose(
            np.asarray(got), np.asarray(expected), rtol=1e-5, atol=1e-6
        )


@pytest.mark.keras
def test_sequential_weight_layout_equals_keras(real_keras):
    ours = keras.Sequential(
        [keras.Input(shape=(4,)), keras.layers.Dense(3), keras.layers.Dense(2)]
    )
    theirs = real_keras.Sequential(
        [
            real_keras.Input(shape=(4,)),
            real_keras.layers.Dense(3),
            real_keras.layers.Dense(2),
        ]
    )
    assert [w.shape for w in ours.get_weights()] == [
        w.shape for w in theirs.get_weights()
    ]
    assert ours.count_params() == theirs.count_params() == 23
    ours.set_weights(theirs.get_weights())
    data = np.ones((2, 4), "float32")
    np.testing.assert_allclose(
        np.asarray(ours(data)), np.asarray(theirs(data)), rtol=1e-6
    )


def _branchy(api):
    a, b = api.Input(shape=(3,), name="a"), api.Input(shape=(3,), name="b")
    d1, d2 = api.layers.Dense(4, name="d1"), api.layers.Dense(4, name="d2")
    total = api.layers.Add(name="add")([d1(a), d2(b)])
    side = api.layers.Dense(2, name="side")(a)
    deep = api.layers.Dense(3, name="deep")(api.layers.Dense(3, name="mid")(side))
    return api.Model([a, b], [api.layers.Dense(1, name="out")(total), deep, side])


@pytest.mark.keras
def test_layer_order_and_weight_layout_of_a_branching_graph_equal_keras(real_keras):
    ours, theirs = _branchy(keras), _branchy(real_keras)
    assert [layer.name for layer in ours.layers] == [
        layer.name for layer in theirs.layers
    ]
    assert [w.shape for w in ours.get_weights()] == [
        w.shape for w in theirs.get_weights()
    ]
    ours.set_weights(theirs.get_weights())
    data = [np.ones((2, 3), "float32"), np.arange(6, dtype="float32").reshape(2, 3)]
    for got, expected in zip(ours(data), theirs(data)):
        np.testing.assert_allclose(np.asarray(got), np.asarray(expected), rtol=1e-5)
