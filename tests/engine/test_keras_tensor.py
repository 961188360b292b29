"""`KerasTensor`: a shape, a dtype and a name; operators become graph layers."""

import operator
import re

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import KerasTensor

DATA = np.array([[1.5, -2.0, 4.0]], dtype="float32")
OTHER = np.array([[0.5, 3.0, -1.5]], dtype="float32")
BINARY = [
    operator.add, operator.sub, operator.mul, operator.truediv, operator.floordiv,
    operator.mod, operator.pow, operator.lt, operator.le, operator.gt, operator.ge,
]  # fmt: skip


@pytest.mark.parametrize("op", BINARY, ids=lambda op: op.__name__)
def test_each_operator_with_a_keras_tensor_on_either_side_computes_numpy_s_result(op):
    x = keras.Input((3,))
    # A tensor on the left, a number on the left, and two KerasTensors.
    model = keras.Model(x, [op(x, 2.0), op(2.0, x), op(x, x * 0.5 + 3.0)])
    base = np.abs(DATA) if op is operator.pow else DATA
    expected = [op(base, 2.0), op(2.0, base), op(base, base * 0.5 + 3.0)]
    for ours, want in zip(model(base), expected):
        np.testing.assert_allclose(ours.numpy(), want, rtol=1e-6)


def test_matmul_negation_abs_and_indexing_on_keras_tensors():
    x = keras.Input((3,))
    stack = keras.Input((3, 2))
    weights = np.arange(6, dtype="float32").reshape(3, 2)
    left = np.arange(6, dtype="float32").reshape(2, 3)
    model = keras.Model([x, stack], [x @ weights, left @ stack, -x, abs(x), x[:, 1]])
    stacked = np.arange(6, dtype="float32").reshape(1, 3, 2) - 2.0
    expected = [DATA @ weights, left @ stacked, -DATA, np.abs(DATA), DATA[:, 1]]
    for ours, want in zip(model([DATA, stacked]), expected):
        np.testing.assert_allclose(ours.numpy(), want, rtol=1e-6)


def test_an_array_on_the_left_builds_the_op_instead_of_asking_for_values():
    """As tf.keras's `__array_priority__`: numpy defers to the KerasTensor."""
    x = keras.Input((3,))
    model = keras.Model(x, [OTHER[0] + x, OTHER[0] * x, OTHER[0] < x])
    expected = [OTHER[0] + DATA, OTHER[0] * DATA, OTHER[0] < DATA]
    for ours, want in zip(model(DATA), expected):
        np.testing.assert_array_equal(ours.numpy(), want)


def test_defaults_and_names():
    keras.utils.clear_session()
    first, second = KerasTensor((None, 3)), KerasTensor((2,), sparse=True)
    assert (first.name, second.name) == ("keras_tensor", "keras_tensor_1")
    assert (first.sparse, second.sparse) == (False, True)
    assert first.ragged is False
    assert first.record_history is True
    assert KerasTensor((2,), record_history=False).record_history is False
    assert repr(first) == (
        "<KerasTensor shape=(None, 3), dtype=float32, sparse=False, name=keras_tensor>"
    )


def test_ragged_tensors_are_refused_but_keras_s_none_details_are_accepted():
    KerasTensor((None, 3), ragged_rank=None, row_splits_dtype=None)
    with pytest.raises(
        TypeError,
        match=re.escape(
            "KerasTensor: ragged tensors are not supported by nanokeras. "
            "Received: ragged=True, {}"
        ),
    ):
        KerasTensor((None, 3), ragged=True)
    with pytest.raises(TypeError, match=re.escape("ragged=False, {'ragged_rank': 1}")):
        KerasTensor((None, 3), ragged_rank=1)


def test_asking_a_keras_tensor_for_values_or_a_bool_explains_why_not():
    x = KerasTensor((None, 3), name="features")
    with pytest.raises(
        TypeError,
        match=re.escape(
            "KerasTensor 'features' is symbolic: it has a shape (None, 3) but no "
            "values. Use it only as an input or output of layers to build a model, "
            "then call the model on real data."
        ),
    ):
        np.asarray(x)
    with pytest.raises(
        TypeError,
        match=re.escape(
            "KerasTensor 'features' is symbolic and cannot be used as a Python bool "
            "(in `if` or `while`). Build the model with layers, or write a "
            "subclassed model whose `call` runs on real tensors."
        ),
    ):
        bool(x)
