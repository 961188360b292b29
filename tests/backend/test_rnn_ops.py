"""The fused `lstm` and `gru` ops: their equations, and their one backward
pass through time against finite differences for every output, mask and
direction."""

import numpy as np
import pytest

import nanokeras as keras
from backend.ops import rnn as rnn_ops
from tests.backend.test_op_gradients import assert_gradients_match

BATCH, STEPS, FEATURES, UNITS = 3, 5, 2, 3
# Row 0 is right-padded, row 1 starts masked, row 2 has gaps.
MASK = np.array([[1, 1, 1, 0, 0], [0, 0, 1, 1, 1], [1, 0, 1, 0, 1]], bool)


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


class LSTM:
    """`rnn_ops.lstm` with its arrays, and its equations one step at a time."""

    outputs = ("last_output", "outputs", "h", "c")
    reset_after = None

    @staticmethod
    def arrays(seed, bias=True):
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

    @staticmethod
    def run(x, h, c, kernel, recurrent_kernel, bias=None, mask=None, **options):
        return rnn_ops.lstm(x, h, c, mask, kernel, recurrent_kernel, bias, **options)

    @staticmethod
    def step(x, states, kernel, recurrent_kernel, bias):
        h, c = states
        z = x @ kernel + h @ recurrent_kernel + bias
        i, f, g, o = np.split(z, 4, axis=1)
        c_new = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
        return [_sigmoid(o) * np.tanh(c_new), c_new]


class GRU:
    """`rnn_ops.gru` (reset_after=True) and its equations."""

    outputs = ("last_output", "outputs", "h")
    reset_after = True

    @classmethod
    def arrays(cls, seed, bias=True):
        rng = np.random.default_rng(seed)
        arrays = [
            rng.normal(size=(BATCH, STEPS, FEATURES)),
            rng.normal(size=(BATCH, UNITS)),
            rng.normal(scale=0.7, size=(FEATURES, 3 * UNITS)),
            rng.normal(scale=0.7, size=(UNITS, 3 * UNITS)),
        ]
        if bias:
            shape = (2, 3 * UNITS) if cls.reset_after else (3 * UNITS,)
            arrays.append(rng.normal(scale=0.5, size=shape))
        return arrays

    @classmethod
    def run(cls, x, h, kernel, recurrent_kernel, bias=None, mask=None, **options):
        return rnn_ops.gru(
            x, h, mask, kernel, recurrent_kernel, bias, reset_after=cls.reset_after,
            **options,
        )  # fmt: skip

    @classmethod
    def step(cls, x, states, kernel, recurrent_kernel, bias):
        (h,) = states
        u_zr, u_h = recurrent_kernel[:, : 2 * UNITS], recurrent_kernel[:, 2 * UNITS :]
        if cls.reset_after:
            input_bias, (b_zr, b_h) = bias[0], np.split(bias[1], [2 * UNITS])
        else:
            input_bias, b_zr, b_h = bias, 0.0, 0.0
        x_zr, x_h = np.split(x @ kernel + input_bias, [2 * UNITS], axis=1)
        z, r = np.split(_sigmoid(x_zr + h @ u_zr + b_zr), 2, axis=1)
        if cls.reset_after:
            candidate = np.tanh(x_h + r * (h @ u_h + b_h))
        else:
            candidate = np.tanh(x_h + (r * h) @ u_h)
        return [z * h + (1 - z) * candidate]


class GRUResetBefore(GRU):
    """`rnn_ops.gru` with reset_after=False."""

    reset_after = False


CELLS = [LSTM, GRU, GRUResetBefore]
OPTIONS = [
    {},
    {"go_backwards": True},
    {"mask": MASK},
    {"mask": MASK, "go_backwards": True},
    {"mask": MASK, "zero_output_for_mask": True},
    {"mask": MASK, "go_backwards": True, "zero_output_for_mask": True},
]
IDS = ["plain", "backwards", "masked", "masked-backwards", "zeros", "zeros-backwards"]


def _named_outputs(cell, *tensors, **options):
    last, outputs, states = cell.run(*tensors, **options)
    return dict(zip(cell.outputs, (last, outputs, *states)))


def _reference(cell, arrays, mask=None, go_backwards=False, zero_output_for_mask=False):
    """The docstring's equations and `RNN`'s masking, one step at a time."""
    x, *rest = arrays
    count = len(cell.outputs) - 2
    states, weights = rest[:count], rest[count:]
    if len(weights) == 2:  # no bias: the equations with a zero bias
        weights.append(np.zeros_like(cell.arrays(seed=0)[-1]))
    order = range(STEPS - 1, -1, -1) if go_backwards else range(STEPS)
    output, outputs = np.zeros_like(states[0]), []
    for t in order:
        new = cell.step(x[:, t], states, *weights)
        keep = np.ones((BATCH, 1), bool) if mask is None else mask[:, t, None]
        states = [np.where(keep, n, s) for n, s in zip(new, states)]
        output = np.where(keep, new[0], 0.0 if zero_output_for_mask else output)
        outputs.append(output)
    values = (output, np.stack(outputs, axis=1), *states)
    return dict(zip(cell.outputs, values))


@pytest.mark.parametrize("cell", CELLS, ids=lambda cell: cell.__name__)
@pytest.mark.parametrize("options", OPTIONS, ids=IDS)
def test_op_computes_the_equations_and_rnn_masking(cell, options):
    arrays = cell.arrays(seed=0)
    expected = _reference(cell, arrays, **options)
    tensors = map(keras.ops.convert_to_tensor, arrays)
    actual = _named_outputs(cell, *tensors, **options)
    for name in cell.outputs:
        np.testing.assert_allclose(
            actual[name].numpy(), expected[name], rtol=1e-12, atol=1e-13, err_msg=name
        )


@pytest.mark.parametrize("cell", CELLS, ids=lambda cell: cell.__name__)
@pytest.mark.parametrize("options", OPTIONS, ids=IDS)
def test_gradients_of_all_outputs_match_finite_differences(cell, options):
    def fn(*tensors):
        return tuple(_named_outputs(cell, *tensors, **options).values())

    assert_gradients_match(fn, *cell.arrays(seed=0), tolerance=1e-6)


@pytest.mark.parametrize(
    "cell, name",
    [(cell, name) for cell in CELLS for name in cell.outputs],
    ids=lambda value: getattr(value, "__name__", value),
)
@pytest.mark.parametrize("masked", [False, True], ids=["", "masked"])
def test_each_output_alone_sends_its_gradient_back(cell, name, masked):
    # Only one output reaches the loss: the others' vjps never run, and the
    # handed-over gradient must still reach every input.
    options = {"mask": MASK} if masked else {}

    def fn(*tensors):
        return _named_outputs(cell, *tensors, **options)[name]

    assert_gradients_match(fn, *cell.arrays(seed=1), tolerance=1e-6)


@pytest.mark.parametrize("cell", CELLS, ids=lambda cell: cell.__name__)
def test_without_bias_gradients_match_finite_differences(cell):
    arrays = cell.arrays(seed=2, bias=False)
    expected = _reference(cell, arrays, mask=MASK)
    actual = _named_outputs(cell, *arrays, mask=MASK)
    for name in cell.outputs:
        np.testing.assert_allclose(actual[name].numpy(), expected[name], rtol=1e-12)

    def fn(*tensors):
        return tuple(_named_outputs(cell, *tensors, mask=MASK).values())

    assert_gradients_match(fn, *arrays, tolerance=1e-6)


def test_a_persistent_tape_differentiates_the_op_twice_alike():
    tensors = [keras.Variable(a) for a in LSTM.arrays(seed=3)]
    with keras.GradientTape(persistent=True) as tape:
        outputs = list(_named_outputs(LSTM, *tensors, mask=MASK).values())
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
    tensors = [keras.Variable(a) for a in GRU.arrays(seed=4)]
    with keras.GradientTape() as outer:
        with keras.GradientTape() as inner:
            outputs = list(_named_outputs(GRU, *tensors).values())
            loss = sum(keras.ops.sum(out * (n + 1.0)) for n, out in enumerate(outputs))
        inner_gradients = [g.numpy() for g in inner.gradient(loss, tensors)]
    outer_gradients = [g.numpy() for g in outer.gradient(loss, tensors)]
    for a, b in zip(inner_gradients, outer_gradients):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_untracked_inputs_get_no_gradient_and_weights_still_do():
    x, h, c, kernel, recurrent_kernel, bias = LSTM.arrays(seed=5)
    weights = [keras.Variable(a) for a in (kernel, recurrent_kernel, bias)]
    with keras.GradientTape() as tape:
        last, _, _ = rnn_ops.lstm(x, h, c, None, *weights)
        loss = keras.ops.sum(last)
    gradients = tape.gradient(loss, weights)
    assert [g.shape for g in gradients] == [w.shape for w in weights]
    assert all(np.any(g.numpy() != 0) for g in gradients)


@pytest.mark.parametrize("cell", CELLS, ids=lambda cell: cell.__name__)
def test_outputs_keep_the_input_dtype(cell):
    arrays = [a.astype("float32") for a in cell.arrays(seed=6)]
    outputs = _named_outputs(cell, *arrays, mask=MASK)
    assert {out.dtype for out in outputs.values()} == {"float32"}


def test_gru_resets_after_the_recurrent_product_by_default():
    # As Keras 3's `backend.gru` and the `GRU` layer: reset_after=True.
    arrays = GRU.arrays(seed=2)
    x, h, kernel, recurrent_kernel, bias = arrays
    last, outputs, states = rnn_ops.gru(x, h, None, kernel, recurrent_kernel, bias)
    expected = _reference(GRU, arrays)
    np.testing.assert_allclose(outputs.numpy(), expected["outputs"], rtol=1e-12)


@pytest.mark.parametrize("cell", CELLS, ids=lambda cell: cell.__name__)
def test_a_mask_of_ones_and_zeros_works_as_a_boolean_mask(cell):
    # Keras casts a non-boolean mask to bool before the recurrence.
    float_mask = MASK.astype("float32")

    def fn(*tensors):
        return tuple(_named_outputs(cell, *tensors, mask=float_mask).values())

    arrays = cell.arrays(seed=1)
    expected = _named_outputs(cell, *map(keras.Tensor, arrays), mask=MASK)
    actual = _named_outputs(cell, *map(keras.Tensor, arrays), mask=float_mask)
    for name in cell.outputs:
        np.testing.assert_array_equal(actual[name].numpy(), expected[name].numpy())
    assert_gradients_match(fn, *arrays, tolerance=1e-6)
