"""Crossentropy ops: Keras 3 values, gradients, stability on huge logits, errors."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import ops

# Reseeded from each test's id by tests/conftest.py.
RNG = np.random.default_rng(3)


def _one_hot(shape):
    return np.eye(shape[-1], dtype="float32")[RNG.integers(0, shape[-1], shape[:-1])]


def _probs(shape):
    p = RNG.uniform(0.05, 1, size=shape).astype("float32")
    return p / p.sum(-1, keepdims=True)


@pytest.mark.keras
@pytest.mark.parametrize("from_logits", [False, True])
def test_values_match_keras_ops(real_keras, from_logits):
    shape = (4, 3, 5)
    output = RNG.normal(0, 2, shape).astype("float32") if from_logits else _probs(shape)
    target = _one_hot(shape)
    labels = target.argmax(-1)
    pairs = [
        (
            ops.categorical_crossentropy(target, output, from_logits=from_logits),
            real_keras.ops.categorical_crossentropy(
                target, output, from_logits=from_logits
            ),
        ),
        (
            ops.sparse_categorical_crossentropy(
                labels, output, from_logits=from_logits
            ),
            real_keras.ops.sparse_categorical_crossentropy(
                labels, output, from_logits=from_logits
            ),
        ),
    ]
    if not from_logits:  # Keras's numpy backend goes through sigmoid for logits
        pairs.append(
            (
                ops.binary_crossentropy(target, output),
                real_keras.ops.binary_crossentropy(target, output),
            )
        )
    for ours, theirs in pairs:
        np.testing.assert_allclose(
            ours.numpy(), np.asarray(theirs), rtol=1e-6, atol=1e-6
        )


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_sparse_equals_one_hot_on_any_axis(axis):
    output = RNG.normal(size=(3, 4, 5)).astype("float32")
    classes = output.shape[axis]
    labels = RNG.integers(0, classes, size=np.delete(output.shape, axis % 3))
    one_hot = np.moveaxis(np.eye(classes, dtype="float32")[labels], -1, axis)
    dense = ops.categorical_crossentropy(one_hot, output, from_logits=True, axis=axis)
    sparse = ops.sparse_categorical_crossentropy(labels, output, True, axis=axis)
    np.testing.assert_allclose(sparse.numpy(), dense.numpy(), rtol=1e-6)


def _check_gradient(fn, x):
    variable = keras.Variable(x.astype("float64"))
    with keras.GradientTape() as tape:
        value = ops.sum(fn(variable))
    analytic = tape.gradient(value, variable).numpy()
    numeric = np.zeros_like(analytic)
    for index in np.ndindex(x.shape):
        plus, minus = x.astype("float64"), x.astype("float64")
        plus[index] += 1e-6
        minus[index] -= 1e-6
        numeric[index] = (float(ops.sum(fn(plus))) - float(ops.sum(fn(minus)))) / 2e-6
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("from_logits", [False, True])
def test_gradients_match_finite_differences(from_logits):
    shape = (3, 4)
    x = RNG.normal(size=shape) if from_logits else _probs(shape).astype("float64")
    target = _one_hot(shape).astype("float64")
    soft = np.full(shape, 0.25)
    labels = target.argmax(-1)
    _check_gradient(lambda o: ops.categorical_crossentropy(target, o, from_logits), x)
    _check_gradient(lambda o: ops.categorical_crossentropy(soft, o, from_logits), x)
    _check_gradient(
        lambda o: ops.sparse_categorical_crossentropy(labels, o, from_logits), x
    )
    binary_x = x if from_logits else RNG.uniform(0.05, 0.95, shape)
    _check_gradient(lambda o: ops.binary_crossentropy(target, o, from_logits), binary_x)


def test_target_gradient_for_soft_labels():
    logits = np.array([[1.0, 2.0, 3.0]])
    target = keras.Variable([[0.2, 0.3, 0.5]], dtype="float64")
    with keras.GradientTape() as tape:
        value = ops.sum(ops.categorical_crossentropy(target, logits, from_logits=True))
    log_softmax = logits - np.log(np.exp(logits).sum())
    np.testing.assert_allclose(tape.gradient(value, target).numpy(), -log_softmax)


def test_huge_logits_are_finite():
    logits = keras.Variable([[1e4, -1e4], [-3e4, 3e4]])
    with keras.GradientTape(persistent=True) as tape:
        values = [
            ops.categorical_crossentropy([[0.0, 1.0]] * 2, logits, from_logits=True),
            ops.sparse_categorical_crossentropy([1, 0], logits, from_logits=True),
            ops.binary_crossentropy([[0.0, 1.0]] * 2, logits, from_logits=True),
        ]
        totals = [ops.sum(value) for value in values]
    for value, total in zip(values, totals):
        grad = tape.gradient(total, logits).numpy()
        assert np.all(np.isfinite(value.numpy())) and np.all(np.isfinite(grad))
    np.testing.assert_allclose(values[1].numpy(), [2e4, 6e4])


def test_probabilities_at_zero_are_clipped_not_inf():
    value = ops.categorical_crossentropy([[1.0, 0.0]], [[0.0, 1.0]])
    assert float(value[0]) == pytest.approx(-np.log(1e-7), rel=1e-3)


def test_errors_name_the_op_and_shapes():
    with pytest.raises(
        ValueError, match=r"`categorical_crossentropy`.*\(2, 3\).*\(2, 4\)"
    ):
        ops.categorical_crossentropy(np.zeros((2, 3)), np.ones((2, 4)))
    with pytest.raises(ValueError, match=r"`binary_crossentropy`.*\(2,\).*\(3,\)"):
        ops.binary_crossentropy(np.zeros(2), np.ones(3) / 2)
    with pytest.raises(ValueError, match=r"shape without the class axis, \(2,\)"):
        ops.sparse_categorical_crossentropy(np.zeros(3, int), np.ones((2, 4)))
    with pytest.raises(ValueError, match=r"label outside \[0, 4\)"):
        ops.sparse_categorical_crossentropy(np.array([0, 4]), np.ones((2, 4)))


def test_integer_targets_give_a_loss_in_floatx():
    """Integer labels are cast to floatx first, so they do not promote a
    float32 loss to float64."""
    probabilities = np.array([0.3, 0.8], dtype="float32")
    loss = ops.binary_crossentropy(np.array([0, 1]), probabilities)
    assert loss.dtype == "float32"
    expected = -np.log([0.7, 0.8])
    np.testing.assert_allclose(loss.numpy(), expected, rtol=1e-6)


def test_shape_mismatch_error_names_both_shapes_and_the_fix():
    with pytest.raises(ValueError) as error:
        ops.categorical_crossentropy(np.zeros((2, 3)), np.full((2, 4), 0.25))
    assert str(error.value) == (
        "`categorical_crossentropy` needs `target` and `output` of the same "
        "shape. Received: target.shape=(2, 3), output.shape=(2, 4). One-hot "
        "encode integer labels, or use `sparse_categorical_crossentropy`."
    )
