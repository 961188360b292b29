"""The fused `lstm` op: its equations, and its one backward pass through time
against finite differences for every output, mask and direction."""

import numpy as np
import pytest

import nanokeras as keras
from backend.ops import rnn as rnn_ops
from tests.backend.test_op_gradients import assert_gradients_match

BATCH, STEPS, FEATURES, UNITS = 3, 5, 2, 3
# Row 0 is right-padded, row 1 starts masked, row 2 has gaps.
MASK = np.array([[1, 1, 1, 0, 0], [0, 0, 1, 1, 1], [1, 0, 1, 0, 1]], bool)
OUTPUTS = ("last_output", "outputs", "h", "c")


def _arrays(seed=0, bias=True):
    rng = np.random.default_rng(seed)
    arrays = [
        rng.normal(size=(BATCH, STEPS, FEATURES)),
        rng.normal(size=(BATCH, UNITS)),
        rng.normal(size=(BATCH, UNITS)),
        rng.normal(scale=0.7, size=(FEATURES, 4 * UNITS)),
        rng.normal(scale=0.7, size=(UNITS, 4 * UNITS)),
    ]
    if bias:
        arrays.append(rng.normal(scale=0.5, size=(4 * UNITS,)))
    return arrays


def _named_outputs(x, h, c, kernel, recurrent_kernel, bias=None, mask=None, **options):
    last, outputs, (h, c) = rnn_ops.lstm(
        x, h, c, mask, kernel, recurrent_kernel, bias, **options
    )
    return dict(zip(OUTPUTS, (last, outputs, h, c)))


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _reference(x, h, c, kernel, recurrent_kernel, bias, mask, go_backwards, zeros):
    """The docstring's equations and `RNN`'s masking, one step at a time."""
    order = range(STEPS - 1, -1, -1) if go_backwards else range(STEPS)
    output, outputs = np.zeros_like(h), []
    for t in order:
        z = x[:, t] @ kernel + h @ recurrent_kernel + bias
        i, f, g, o = np.split(z, 4, axis=1)
        c_new = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
        h_new = _sigmoid(o) * np.tanh(c_new)
        keep = np.ones((BATCH, 1), bool) if mask is None else mask[:, t, None]
        h, c = np.where(keep, h_new, h), np.where(keep, c_new, c)
        output = np.where(keep, h_new, 0.0 if zeros else output)
        outputs.append(output)
    return dict(zip(OUTPUTS, (output, np.stack(outputs, axis=1), h, c)))


OPTIONS = [
    {},
    {"go_backwards": True},
    {"mask": MASK},
    {"mask": MASK, "go_backwards": True},
    {"mask": MASK, "zero_output_for_mask": True},
    {"mask": MASK, "go_backwards": True, "zero_output_for_mask": True},
]
IDS = ["plain", "backwards", "masked", "masked-backwards", "zeros", "zeros-backwards"]


@pytest.mark.parametrize("options", OPTIONS, ids=IDS)
def test_lstm_computes_the_equations_and_rnn_masking(options):
    arrays = _arrays()
    expected = _reference(
        *arrays,
        options.get("mask"),
        options.get("go_backwards", False),
        options.get("zero_output_for_mask", False),
    )
    actual = _named_outputs(*map(keras.ops.convert_to_tensor, arrays), **options)
    for name in OUTPUTS:
        np.testing.assert_allclose(
            actual[name].numpy(), expected[name], rtol=1e-12, atol=1e-13, err_msg=name
        )


@pytest.mark.parametrize("options", OPTIONS, ids=IDS)
def test_lstm_gradients_of_all_outputs_match_finite_differences(options):
    def fn(*tensors):
        return tuple(_named_outputs(*tensors, **options).values())

    assert_gradients_match(fn, *_arrays(), tolerance=1e-6)


@pytest.mark.parametrize("name", OUTPUTS)
@pytest.mark.parametrize("masked", [False, True], ids=["", "masked"])
def test_each_output_alone_sends_its_gradient_back(name, masked):
    # Only one output reaches the loss: the others' vjps never run, and the
    # handed-over gradient must still reach every input.
    options = {"mask": MASK} if masked else {}

    def fn(*tensors):
        return _named_outputs(*tensors, **options)[name]

    assert_gradients_match(fn, *_arrays(seed=1), tolerance=1e-6)


def test_lstm_without_bias_gradients_match_finite_differences():
    def fn(*tensors):
        return tuple(_named_outputs(*tensors, mask=MASK).values())

    assert_gradients_match(fn, *_arrays(seed=2, bias=False), tolerance=1e-6)


def _gradients(tape, outputs, sources):
    loss = sum(keras.ops.sum(out * (n + 1.0)) for n, out in enumerate(outputs))
    return [g.numpy() for g in tape.gradient(loss, sources)]


def test_a_persistent_tape_differentiates_the_op_twice_alike():
    tensors = [keras.Variable(a) for a in _arrays(seed=3)]
    with keras.GradientTape(persistent=True) as tape:
        outputs = list(_named_outputs(*tensors, mask=MASK).values())
        first_loss = sum(
            keras.ops.sum(out * (n + 1.0)) for n, out in enumerate(outputs)
        )
        second_loss = keras.ops.sum(outputs[3])
    first = [g.numpy() for g in tape.gradient(first_loss, tensors)]
    only_c = [g.numpy() for g in tape.gradient(second_loss, tensors)]
    again = [g.numpy() for g in tape.gradient(first_loss, tensors)]
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    # The gradient of c alone is not the first loss's: nothing was left over.
    assert not np.allclose(first[3], only_c[3])


def test_nested_tapes_each_get_the_op_gradients():
    tensors = [keras.Variable(a) for a in _arrays(seed=4)]
    with keras.GradientTape() as outer:
        with keras.GradientTape() as inner:
            outputs = list(_named_outputs(*tensors).values())
            loss = sum(keras.ops.sum(out * (n + 1.0)) for n, out in enumerate(outputs))
        inner_gradients = [g.numpy() for g in inner.gradient(loss, tensors)]
    outer_gradients = [g.numpy() for g in outer.gradient(loss, tensors)]
    for a, b in zip(inner_gradients, outer_gradients):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_untracked_inputs_get_no_gradient_and_weights_still_do():
    x, h, c, kernel, recurrent_kernel, bias = _arrays(seed=5)
    weights = [keras.Variable(a) for a in (kernel, recurrent_kernel, bias)]
    with keras.GradientTape() as tape:
        last, _, _ = rnn_ops.lstm(x, h, c, None, *weights)
        loss = keras.ops.sum(last)
    gradients = tape.gradient(loss, weights)
    assert [g.shape for g in gradients] == [w.shape for w in weights]
    assert all(np.any(g.numpy() != 0) for g in gradients)


def test_lstm_outputs_keep_the_input_dtype():
    arrays = [a.astype("float32") for a in _arrays(seed=6)]
    outputs = _named_outputs(*arrays, mask=MASK)
    assert {out.dtype for out in outputs.values()} == {"float32"}
