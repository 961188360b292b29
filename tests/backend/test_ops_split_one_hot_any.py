"""ops.split, ops.one_hot, ops.any, ops.all: parity with Keras 3, gradients, misuse."""

import numpy as np
import pytest

from nanokeras import GradientTape, Variable, ops


@pytest.mark.parametrize("sections, axis", [(2, 1), ([1, 3], 1), (3, 0), ([2], -1)])
def test_split_matches_keras(real_keras, sections, axis):
    x = np.arange(24, dtype="float32").reshape(3, 4, 2)
    theirs = real_keras.ops.split(x, sections, axis=axis)
    ours = ops.split(x, sections, axis=axis)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a.numpy(), np.asarray(b))


def test_split_gradient_goes_back_to_each_part():
    x = Variable(np.arange(6.0).reshape(2, 3))
    with GradientTape() as tape:
        first, second = ops.split(x, [1], axis=1)
        loss = ops.sum(first * 2.0) + ops.sum(second * 3.0)
    np.testing.assert_array_equal(tape.gradient(loss, x).numpy(), [[2, 3, 3]] * 2)


def test_split_into_unequal_parts_is_a_clear_error():
    with pytest.raises(ValueError, match="axis 1 of size 3 into 2 equal parts"):
        ops.split(np.ones((2, 3)), 2, axis=1)


@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_one_hot_matches_keras(real_keras, axis):
    ids = np.array([[0, 2], [1, -1]])
    expected = np.asarray(real_keras.ops.one_hot(ids, 3, axis=axis))
    ours = ops.one_hot(ids, 3, axis=axis)
    assert ours.dtype == "float32"
    np.testing.assert_array_equal(ours.numpy(), expected)


def test_one_hot_rejects_non_integer_ids_and_sparse():
    with pytest.raises(TypeError, match="integer class ids"):
        ops.one_hot(np.array(["a"]), 2)
    with pytest.raises(ValueError, match="sparse=True"):
        ops.one_hot(np.array([1]), 2, sparse=True)


@pytest.mark.parametrize("op", ["any", "all"])
@pytest.mark.parametrize("axis, keepdims", [(None, False), (-1, True), (0, False)])
def test_any_all_match_keras(real_keras, op, axis, keepdims):
    x = np.array([[0.0, 1.0, 2.0], [0.0, 0.0, 3.0]])
    expected = np.asarray(getattr(real_keras.ops, op)(x, axis=axis, keepdims=keepdims))
    ours = getattr(ops, op)(x, axis=axis, keepdims=keepdims)
    np.testing.assert_array_equal(ours.numpy(), expected)
