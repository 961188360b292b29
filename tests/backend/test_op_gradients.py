"""Every differentiable op's tape gradient against central finite differences.

For an op `f` and fixed random weights `w`, the tape's gradient of
`sum(f(x) * w)` must match `(L(x + eps) - L(x - eps)) / (2 eps)` element by
element, in float64, to a relative error below 1e-6. The random weights make
every output element count with its own factor, so a gradient routed to the
wrong element cannot hide. hypothesis picks the shapes, including broadcasting
for binary ops and axis/keepdims variants for reductions.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nanokeras as nk
from backend.ops.nn import batch_normalization, fused_normalization
from nanokeras import ops, random
from tests import strategies as sts

EXAMPLES = settings(max_examples=25, deadline=None)


def assert_gradients_match(fn, *arrays, tolerance=1e-6, eps=1e-6, seed=0):
    """Assert the tape's gradients of `sum(fn(*arrays) * w)` equal finite differences.

    `fn` may return one tensor or a tuple of them (each gets its own weights).
    """
    arrays = [np.asarray(a, dtype=np.float64) for a in arrays]
    tensors = [nk.Tensor(a) for a in arrays]
    rng = np.random.default_rng(seed)
    weights = None

    def weighted_sum(outputs, as_numpy):
        nonlocal weights
        outputs = outputs if isinstance(outputs, tuple) else (outputs,)
        if weights is None:
            weights = [rng.standard_normal(np.shape(out)) for out in outputs]
        if as_numpy:
            return sum(
                float(np.sum(out.numpy() * w)) for out, w in zip(outputs, weights)
            )
        return sum(ops.sum(out * w) for out, w in zip(outputs, weights))

    with nk.GradientTape() as tape:
        tape.watch(tensors)
        loss = weighted_sum(fn(*tensors), as_numpy=False)
    analytic = tape.gradient(loss, tensors, unconnected_gradients="zero")

    for index, array in enumerate(arrays):
        numeric = np.zeros_like(array)
        # What rounding alone can make a central difference wrong by: the
        # loss is summed with a relative error of a few float64 epsilons, and
        # dividing by 2 * eps magnifies that. Near-zero gradients of a large
        # loss (x1 ** 1e-5 over a broadcast batch) sit at that level.
        rounding = np.zeros_like(array)
        for position in np.ndindex(array.shape):
            shifted = [a.copy() for a in arrays]
            shifted[index][position] = array[position] + eps
            up = weighted_sum(fn(*map(nk.Tensor, shifted)), as_numpy=True)
            shifted[index][position] = array[position] - eps
            down = weighted_sum(fn(*map(nk.Tensor, shifted)), as_numpy=True)
            numeric[position] = (up - down) / (2 * eps)
            loss_size = max(abs(up), abs(down), 1.0)
            rounding[position] = 8 * np.finfo(np.float64).eps * loss_size / eps
        grad = analytic[index].numpy()
        assert grad.shape == array.shape, f"argument {index}: gradient shape"
        assert grad.dtype == np.float64, f"argument {index}: gradient dtype"
        # Relative error, plus the rounding bound above for near-zero gradients.
        scale = max(np.linalg.norm(numeric), np.linalg.norm(grad), 1e-3)
        error = max(np.linalg.norm(numeric - grad) - np.linalg.norm(rounding), 0.0)
        error /= scale
        assert error < tolerance, f"argument {index}: relative error {error:.2e}"


# --- Elementwise binary ops, with broadcasting ---

BINARY = {
    "add": (ops.add, sts.float_arrays, sts.float_arrays),
    "subtract": (ops.subtract, sts.float_arrays, sts.float_arrays),
    "multiply": (ops.multiply, sts.float_arrays, sts.float_arrays),
    "divide": (ops.divide, sts.float_arrays, sts.nonzero_arrays),
    "power": (
        ops.power,
        lambda shape: sts.float_arrays(shape, 0.5, 2.0),
        lambda shape: sts.float_arrays(shape, -2.0, 2.0),
    ),
}


@pytest.mark.parametrize("name", sorted(BINARY))
@EXAMPLES
@given(data=st.data())
def test_binary_op_gradients(name, data):
    op, first, second = BINARY[name]
    shape1, shape2 = data.draw(sts.broadcastable_shapes(2))
    assert_gradients_match(op, data.draw(first(shape1)), data.draw(second(shape2)))


@pytest.mark.parametrize("op", [ops.maximum, ops.minimum], ids=["maximum", "minimum"])
@EXAMPLES
@given(data=st.data())
def test_maximum_minimum_gradients(op, data):
    shapes = data.draw(sts.broadcastable_shapes(2))
    assert_gradients_match(op, *data.draw(sts.separated_arrays(shapes)))


@pytest.mark.parametrize("op", [ops.maximum, ops.minimum], ids=["maximum", "minimum"])
def test_maximum_minimum_send_a_tie_to_the_first_input_as_tensorflow(op):
    """Finite differences have no answer at a tie; TensorFlow's rule is that
    `x1` gets the whole gradient there (`x1 >= x2` for maximum, `<=` for
    minimum), and `x2` none, also when `x2` is broadcast."""
    x1 = nk.Variable([1.0, 2.0, 3.0, 4.0])
    x2 = nk.Variable([1.0, 5.0, 0.0, 4.0])  # ties at 0 and 3
    scalar = nk.Variable(2.0)  # ties with x1[1]
    weights = np.array([1.0, 10.0, 100.0, 1000.0], dtype=np.float32)
    with nk.GradientTape() as tape:
        loss = ops.sum(op(x1, x2) * weights) + ops.sum(op(x1, scalar) * weights)
    g1, g2, g_scalar = (np.asarray(g) for g in tape.gradient(loss, [x1, x2, scalar]))
    first_wins = np.array([1, 0, 1, 1]) if op is ops.maximum else np.array([1, 1, 0, 1])
    first_vs_scalar = np.array([0, 1, 1, 1]) if op is ops.maximum else [1, 1, 0, 0]
    np.testing.assert_array_equal(g2, weights * (1 - first_wins))
    np.testing.assert_array_equal(g1, weights * (first_wins + first_vs_scalar))
    assert g_scalar == np.sum(weights * (1 - np.asarray(first_vs_scalar)))


@EXAMPLES
@given(data=st.data())
def test_where_gradients(data):
    condition_shape, shape1, shape2 = data.draw(sts.broadcastable_shapes(3))
    condition = data.draw(hnp.arrays(bool, condition_shape))
    assert_gradients_match(
        lambda x1, x2: ops.where(condition, x1, x2),
        data.draw(sts.float_arrays(shape1)),
        data.draw(sts.float_arrays(shape2)),
    )


# --- Elementwise unary ops and activations ---

SMOOTH = {
    "negative": (ops.negative, (-3, 3)),
    "square": (ops.square, (-3, 3)),
    "sqrt": (ops.sqrt, (0.2, 4)),
    "exp": (ops.exp, (-3, 3)),
    "log": (ops.log, (0.2, 4)),
    "log1p": (ops.log1p, (-0.7, 3)),
    "cast": (lambda x: ops.cast(x, "float64"), (-3, 3)),
    "sigmoid": (ops.sigmoid, (-6, 6)),
    "tanh": (ops.tanh, (-4, 4)),
    "softplus": (ops.softplus, (-6, 6)),
    "softsign": (ops.softsign, (-4, 4)),
    "silu": (ops.silu, (-6, 6)),
    "swish": (ops.swish, (-6, 6)),
    "gelu": (ops.gelu, (-5, 5)),
    "gelu_exact": (lambda x: ops.gelu(x, approximate=False), (-6, 6)),
    "elu": (ops.elu, (-4, 4)),  # alpha=1: the slope is continuous at 0
    "dropout": (lambda x: random.dropout(x, 0.4, seed=3), (-3, 3)),
    "dropout_noise_shape": (
        lambda x: random.dropout(x, 0.5, noise_shape=(1,) * x.ndim, seed=1),
        (-3, 3),
    ),
}

# Ops with a kink at an integer: their inputs come from `separated_arrays`.
KINKED = {
    "abs": ops.abs,
    "clip": lambda x: ops.clip(x, -1.0, 2.0),
    "relu": ops.relu,
    "relu6": ops.relu6,
    "leaky_relu": ops.leaky_relu,
    "leaky_relu_0.5": lambda x: ops.leaky_relu(x, negative_slope=0.5),
    "hard_sigmoid": ops.hard_sigmoid,
    "hard_silu": ops.hard_silu,
    "elu_alpha_0.5": lambda x: ops.elu(x, alpha=0.5),
    "selu": ops.selu,
}


@pytest.mark.parametrize("name", sorted(SMOOTH))
@EXAMPLES
@given(data=st.data())
def test_smooth_unary_gradients(name, data):
    op, (low, high) = SMOOTH[name]
    x = data.draw(sts.float_arrays(data.draw(sts.shapes()), low, high))
    assert_gradients_match(op, x)


@pytest.mark.parametrize("name", sorted(KINKED))
@EXAMPLES
@given(data=st.data())
def test_kinked_unary_gradients(name, data):
    (x,) = data.draw(sts.separated_arrays((data.draw(sts.shapes()),)))
    assert_gradients_match(KINKED[name], x)


# --- Reductions, softmax and moments: every axis/keepdims variant ---

REDUCTIONS = {"sum": ops.sum, "mean": ops.mean, "logsumexp": ops.logsumexp}


@pytest.mark.parametrize("name", ["sum", "mean", "logsumexp", "max", "min"])
@EXAMPLES
@given(data=st.data(), keepdims=st.booleans())
def test_reduction_gradients(name, data, keepdims):
    shape = data.draw(sts.shapes())
    axis = data.draw(sts.axes(len(shape)))
    if name in ("max", "min"):  # ties would make the max non-differentiable
        (x,) = data.draw(sts.separated_arrays((shape,)))
    else:
        x = data.draw(sts.float_arrays(shape))
    op = getattr(ops, name)
    assert_gradients_match(lambda t: op(t, axis=axis, keepdims=keepdims), x)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@EXAMPLES
@given(data=st.data())
def test_softmax_gradients(name, data):
    shape = data.draw(sts.shapes(min_dims=1))
    axis = data.draw(sts.axes(len(shape)).filter(lambda a: a is not None))
    x = data.draw(sts.float_arrays(shape, -5, 5))
    op = getattr(ops, name)
    assert_gradients_match(lambda t: op(t, axis=axis), x)


@EXAMPLES
@given(data=st.data(), keepdims=st.booleans())
def test_moments_gradients(data, keepdims):
    shape = data.draw(sts.shapes(min_dims=1))
    axes = data.draw(sts.axes(len(shape)).filter(lambda a: a is not None))
    x = data.draw(sts.float_arrays(shape))
    assert_gradients_match(lambda t: ops.moments(t, axes, keepdims=keepdims), x)


# --- matmul: 1-D operands, batches and broadcast batch axes ---


@st.composite
def matmul_shapes(draw):
    n, k, m, batch = (draw(st.integers(1, 4)) for _ in range(4))
    return draw(
        st.sampled_from(
            [
                ((n, k), (k, m)),
                ((k,), (k, m)),
                ((n, k), (k,)),
                ((k,), (k,)),
                ((batch, n, k), (k, m)),
                ((batch, n, k), (batch, k, m)),
                ((1, n, k), (batch, k, m)),
                ((k,), (batch, k, m)),
                ((batch, n, k), (k,)),
            ]
        )
    )


@EXAMPLES
@given(data=st.data())
def test_matmul_gradients(data):
    shape1, shape2 = data.draw(matmul_shapes())
    x1 = data.draw(sts.float_arrays(shape1))
    x2 = data.draw(sts.float_arrays(shape2))
    assert_gradients_match(ops.matmul, x1, x2)


# --- Shape and indexing ops ---


@st.composite
def reshape_cases(draw):
    shape = draw(sts.shapes())
    size = int(np.prod(shape))
    newshape = draw(
        st.sampled_from([(size,), (-1,), shape[::-1], (1, size), (size, 1, 1)])
    )
    if newshape == shape[::-1] and shape:
        position = draw(st.integers(0, len(shape) - 1))
        newshape = newshape[:position] + (-1,) + newshape[position + 1 :]
    return shape, newshape


@EXAMPLES
@given(data=st.data())
def test_reshape_gradients(data):
    shape, newshape = data.draw(reshape_cases())
    x = data.draw(sts.float_arrays(shape))
    assert_gradients_match(lambda t: ops.reshape(t, newshape), x)


@EXAMPLES
@given(data=st.data())
def test_transpose_gradients(data):
    shape = data.draw(sts.shapes())
    axes = data.draw(st.one_of(st.none(), sts.permutations_of_axes(len(shape))))
    x = data.draw(sts.float_arrays(shape))
    assert_gradients_match(lambda t: ops.transpose(t, axes), x)


@EXAMPLES
@given(data=st.data())
def test_expand_dims_and_squeeze_gradients(data):
    shape = data.draw(sts.shapes())
    axis = data.draw(st.integers(-len(shape) - 1, len(shape)))
    x = data.draw(sts.float_arrays(shape))
    assert_gradients_match(lambda t: ops.expand_dims(t, axis), x)
    ones = [i for i, size in enumerate(shape) if size == 1]
    squeeze_axis = data.draw(st.one_of(st.none(), st.sampled_from(ones or [None])))
    assert_gradients_match(lambda t: ops.squeeze(t, squeeze_axis), x)


@EXAMPLES
@given(data=st.data())
def test_broadcast_to_gradients(data):
    target = data.draw(sts.shapes())
    shape = data.draw(sts.shapes_broadcasting_to(target))
    x = data.draw(sts.float_arrays(shape))
    assert_gradients_match(lambda t: ops.broadcast_to(t, target), x)


@EXAMPLES
@given(data=st.data())
def test_concatenate_gradients(data):
    shape = data.draw(sts.shapes(min_dims=1))
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    sizes = data.draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    arrays = []
    for size in sizes:
        part = list(shape)
        part[axis] = size
        arrays.append(data.draw(sts.float_arrays(tuple(part))))
    assert_gradients_match(lambda *ts: ops.concatenate(ts, axis=axis), *arrays)


@EXAMPLES
@given(data=st.data())
def test_stack_gradients(data):
    shape = data.draw(sts.shapes())
    axis = data.draw(st.integers(-len(shape) - 1, len(shape)))
    count = data.draw(st.integers(1, 3))
    arrays = [data.draw(sts.float_arrays(shape)) for _ in range(count)]
    assert_gradients_match(lambda *ts: ops.stack(ts, axis=axis), *arrays)


@EXAMPLES
@given(data=st.data())
def test_getitem_gradients(data):
    shape = data.draw(sts.shapes(min_dims=1))
    key = data.draw(
        st.one_of(
            hnp.basic_indices(shape, allow_ellipsis=True),
            # Integer arrays may repeat an index: its gradient must add up.
            hnp.integer_array_indices(shape, result_shape=sts.shapes(max_dims=2)),
        )
    )
    x = data.draw(sts.float_arrays(shape))
    assert_gradients_match(lambda t: t[key], x)


@EXAMPLES
@given(data=st.data())
def test_take_gradients(data):
    shape = data.draw(sts.shapes(min_dims=1))
    axis = data.draw(st.one_of(st.none(), st.integers(-len(shape), len(shape) - 1)))
    limit = int(np.prod(shape)) if axis is None else shape[axis]
    indices = data.draw(
        hnp.arrays(np.int64, sts.shapes(max_dims=2), elements=st.integers(0, limit - 1))
    )
    x = data.draw(sts.float_arrays(shape))
    assert_gradients_match(lambda t: ops.take(t, indices, axis=axis), x)


@EXAMPLES
@given(data=st.data())
def test_pad_gradients(data):
    shape = data.draw(sts.shapes(min_dims=1))
    widths = data.draw(
        st.lists(
            st.tuples(st.integers(0, 2), st.integers(0, 2)),
            min_size=len(shape),
            max_size=len(shape),
        )
    )
    x = data.draw(sts.float_arrays(shape))
    assert_gradients_match(lambda t: ops.pad(t, widths, constant_values=1.5), x)


@EXAMPLES
@given(data=st.data())
def test_repeat_and_tile_gradients(data):
    shape = data.draw(sts.shapes())
    repeats = data.draw(st.integers(1, 3))
    axis = data.draw(sts.axes(len(shape)).filter(lambda a: not isinstance(a, tuple)))
    x = data.draw(sts.float_arrays(shape))
    assert_gradients_match(lambda t: ops.repeat(t, repeats, axis=axis), x)
    reps = tuple(data.draw(st.lists(st.integers(1, 3), max_size=len(shape) + 1)))
    assert_gradients_match(lambda t: ops.tile(t, reps), x)


# --- Cases finite differences cannot check ---


def test_max_shares_the_gradient_among_ties():
    x = nk.Variable(np.array([[1.0, 3.0, 3.0], [2.0, 0.0, 2.0]]))
    with nk.GradientTape() as tape:
        total = ops.sum(ops.max(x, axis=1) * np.array([1.0, 10.0]))
    expected = np.array([[0.0, 0.5, 0.5], [5.0, 0.0, 5.0]])
    np.testing.assert_array_equal(tape.gradient(total, x).numpy(), expected)


@pytest.mark.parametrize("op", [ops.max, ops.min], ids=["max", "min"])
def test_an_initial_value_that_wins_takes_the_gradient_away(op):
    """`initial` competes like numpy's: a row it beats gets a zero gradient."""
    x = nk.Variable(np.array([[1.0, 3.0, 3.0], [2.0, 6.0, 2.0]]))
    initial = 4.0
    with nk.GradientTape() as tape:
        out = op(x, axis=1, initial=initial)
        total = ops.sum(out * np.array([1.0, 10.0]))
    if op is ops.max:  # row 0: 4 beats every element; row 1: 6 wins
        values, expected = [4.0, 6.0], [[0.0, 0.0, 0.0], [0.0, 10.0, 0.0]]
    else:  # row 0: 1 wins; row 1: the two 2s tie below 4
        values, expected = [1.0, 2.0], [[1.0, 0.0, 0.0], [5.0, 0.0, 5.0]]
    np.testing.assert_array_equal(out.numpy(), values)
    np.testing.assert_array_equal(tape.gradient(total, x).numpy(), expected)


def test_stop_gradient_blocks_the_gradient():
    x = nk.Variable(np.array([1.0, 2.0]))
    with nk.GradientTape() as tape:
        total = ops.sum(ops.stop_gradient(x) * x)
    np.testing.assert_array_equal(tape.gradient(total, x).numpy(), [1.0, 2.0])


# --- Numerical edge cases real frameworks get right ---


@EXAMPLES
@given(data=st.data())
def test_mod_gradients_are_those_of_x1_minus_floor_times_x2(data):
    # TF and JAX: d/dx1 = 1, d/dx2 = -floor(x1 / x2). Values stay away from
    # the jumps of the floor, where finite differences are meaningless.
    shape = data.draw(sts.shapes(min_dims=1))
    x1 = data.draw(sts.float_arrays(shape, -5, 5))
    x2 = data.draw(sts.float_arrays(shape, 0.5, 3))
    ratio = x1 / x2
    near_jump = np.abs(ratio - np.round(ratio)) < 1e-3
    x1 = np.where(near_jump, x1 + 0.01, x1)
    assert_gradients_match(ops.mod, x1, x2)


def test_mod_gradient_with_respect_to_x_is_one():
    x = nk.Variable(np.array([5.5, -3.2, 0.25], "float32"))
    with nk.GradientTape() as tape:
        y = ops.sum(ops.mod(x, 2.0))
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), [1.0, 1.0, 1.0])


@pytest.mark.parametrize("value", [1000.0, 1e30, -1e30, 3e38])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_logsumexp_of_equal_large_inputs_splits_the_gradient_exactly(value, dtype):
    x = nk.Variable(np.full(2, value, dtype))
    with nk.GradientTape() as tape:
        y = ops.logsumexp(x)
    assert float(y) == pytest.approx(value + np.log(2.0), rel=1e-6)
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), [0.5, 0.5])


@pytest.mark.parametrize("scale", [1e4, 1e30, 3e38])
def test_softmax_and_log_softmax_are_finite_at_large_logits(scale):
    x = np.array([[1.0, 0.0, -1.0]], "float32") * np.float32(scale)
    with np.errstate(over="raise", invalid="raise"):  # no warning for a right answer
        probabilities = ops.softmax(x).numpy()
        logs = ops.log_softmax(x).numpy()
    np.testing.assert_array_equal(probabilities, [[1.0, 0.0, 0.0]])
    assert logs[0, 0] == 0.0 and np.all(logs[0, 1:] < -1e3)
    w = nk.Variable(x)
    with nk.GradientTape() as tape:
        loss = ops.sum(ops.softmax(w) * np.array([1.0, 2.0, 3.0], "float32"))
    assert np.all(np.isfinite(tape.gradient(loss, w).numpy()))


# --- The fused normalisation both normalisation layers train with ---


@pytest.mark.parametrize(
    "axes, param_shape",
    [((0, 1), (1, 1, 4)), ((2,), (1, 1, 4)), ((1, 2), (1, 3, 4))],
    ids=["batch_norm", "layer_norm", "layer_norm_two_axes"],
)
def test_fused_normalization_gradients(axes, param_shape):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 3, 4))
    weight_shape = tuple(size for size in param_shape if size != 1)
    gamma = rng.uniform(0.5, 1.5, weight_shape)
    beta = rng.standard_normal(weight_shape)

    def fn(x, gamma, beta):
        return fused_normalization(x, gamma, beta, axes, param_shape, 1e-3)[0]

    assert_gradients_match(fn, x, gamma, beta, tolerance=1e-5)


@pytest.mark.parametrize("with_beta", [True, False], ids=["beta", "no_beta"])
@pytest.mark.parametrize("with_gamma", [True, False], ids=["gamma", "no_gamma"])
@pytest.mark.parametrize(
    "axes, param_shape",
    [((0, 1), (1, 1, 4)), ((0, 2), (1, 3, 1)), ((2,), (1, 1, 4))],
    ids=["batch_norm", "batch_norm_middle_axis", "layer_norm"],
)
def test_fused_normalization_is_the_normalisation_formula(
    axes, param_shape, with_gamma, with_beta
):
    # A large epsilon, so that adding it (not subtracting) shows; a middle
    # feature axis (`BatchNormalization(axis=1)`), where the weights'
    # gradients must keep their axes to line up with the input.
    epsilon = 0.5
    rng = np.random.default_rng(5)
    x = rng.standard_normal((2, 3, 4)) * 2.0 + 1.0
    weight_shape = tuple(size for size in param_shape if size != 1)
    gamma = rng.uniform(0.5, 1.5, weight_shape) if with_gamma else None
    beta = rng.standard_normal(weight_shape) if with_beta else None
    out, mean, variance = fused_normalization(
        x, gamma, beta, axes, param_shape, epsilon
    )
    expected_mean = x.mean(axis=axes, keepdims=True)
    expected_variance = x.var(axis=axes, keepdims=True)
    expected = (x - expected_mean) / np.sqrt(expected_variance + epsilon)
    if with_gamma:
        expected = expected * gamma.reshape(param_shape)
    if with_beta:
        expected = expected + beta.reshape(param_shape)
    np.testing.assert_allclose(mean, expected_mean, rtol=1e-12)
    np.testing.assert_allclose(variance, expected_variance, rtol=1e-12)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12, atol=1e-12)

    weights = [w for w in (gamma, beta) if w is not None]

    def fn(x, *given):
        given = list(given)
        g = given.pop(0) if with_gamma else None
        b = given.pop(0) if with_beta else None
        return fused_normalization(x, g, b, axes, param_shape, epsilon)[0]

    assert_gradients_match(fn, x, *weights, tolerance=1e-5)


@pytest.mark.parametrize("with_beta", [True, False], ids=["beta", "no_beta"])
@pytest.mark.parametrize("with_gamma", [True, False], ids=["gamma", "no_gamma"])
def test_batch_normalization_uses_the_given_statistics(with_gamma, with_beta):
    # The inference-mode formula: the moving statistics, not the batch's.
    rng = np.random.default_rng(6)
    x = rng.standard_normal((3, 4))
    mean, variance = rng.standard_normal(4), rng.uniform(0.5, 2.0, 4)
    gamma = rng.uniform(0.5, 1.5, 4) if with_gamma else None
    beta = rng.standard_normal(4) if with_beta else None
    out = batch_normalization(x, mean, variance, gamma, beta, 0.25)
    expected = (x - mean) / np.sqrt(variance + 0.25)
    if with_gamma:
        expected = expected * gamma
    if with_beta:
        expected = expected + beta
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12, atol=1e-12)
    arrays = [a for a in (x, mean, variance, gamma, beta) if a is not None]

    def fn(x, mean, variance, *given):
        given = list(given)
        g = given.pop(0) if with_gamma else None
        b = given.pop(0) if with_beta else None
        return batch_normalization(x, mean, variance, g, b, 0.25)

    assert_gradients_match(fn, *arrays)


def test_activations_compute_on_integers_and_python_numbers_as_floats():
    np.testing.assert_array_equal(ops.relu([-1, 2]).numpy(), [0.0, 2.0])
    half = ops.sigmoid(0)
    assert half.dtype == "float32" and half.numpy() == 0.5


@pytest.mark.parametrize("alpha", [0.5, 2.0])
def test_elu_gradient_at_zero_is_alpha(alpha):
    # Keras computes elu(x, alpha) as tf.where(x > 0, elu(x), alpha * elu(x)),
    # so at exactly 0 the gradient is that of the negative side: alpha.
    x = nk.Variable([0.0, 1.0, -1.0])
    with nk.GradientTape() as tape:
        loss = ops.sum(ops.elu(x, alpha=alpha))
    np.testing.assert_allclose(
        tape.gradient(loss, x).numpy(), [alpha, 1.0, alpha * np.exp(-1.0)], rtol=1e-6
    )
