"""max_pool and average_pool: values, shapes, gradients and errors, checked
against finite differences and real Keras."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nanokeras as keras
from nanokeras import ops

FEW = settings(max_examples=20, deadline=None)


@st.composite
def pooling_setups(draw):
    """A random small 1D or 2D pooling setup with windows that fit."""
    rank = draw(st.sampled_from([1, 2]))
    pool = tuple(draw(st.integers(1, 3)) for _ in range(rank))
    strides = draw(
        st.one_of(
            st.none(),
            st.integers(1, 3),
            st.tuples(*[st.integers(1, 3)] * rank),
        )
    )
    sizes = tuple(p + draw(st.integers(0, 4)) for p in pool)
    seed = draw(st.integers(0, 2**16))
    shape = (draw(st.integers(1, 2)), *sizes, draw(st.integers(1, 3)))
    return {
        # A permutation: distinct values, so no window has a tied maximum.
        "x": np.random.default_rng(seed).permutation(int(np.prod(shape))),
        "shape": shape,
        "pool_size": pool if draw(st.booleans()) else pool[0] if rank == 1 else pool,
        "strides": strides,
        "padding": draw(st.sampled_from(["valid", "same"])),
    }


def _inputs(setup, dtype="float64"):
    return (setup["x"].reshape(setup["shape"]) / 10).astype(dtype)


def _options(setup):
    return {k: setup[k] for k in ("pool_size", "strides", "padding")}


@FEW
@given(pooling_setups())
def test_max_pool_gradient(check_gradients, setup):
    check_gradients(lambda x: ops.max_pool(x, **_options(setup)), _inputs(setup))


@FEW
@given(pooling_setups())
def test_average_pool_gradient(check_gradients, setup):
    check_gradients(lambda x: ops.average_pool(x, **_options(setup)), _inputs(setup))


@pytest.mark.keras
@FEW
@given(pooling_setups())
def test_pooling_matches_keras(real_keras, setup):
    x = _inputs(setup, "float32")
    # Keras 3.15's numpy backend fails on strides=None (it expands the
    # default twice), so Keras is given the documented default explicitly.
    keras_options = _options(setup)
    if keras_options["strides"] is None:
        keras_options["strides"] = keras_options["pool_size"]
    for ours, theirs in [
        (ops.max_pool, real_keras.ops.max_pool),
        (ops.average_pool, real_keras.ops.average_pool),
    ]:
        expected = np.asarray(theirs(x, **keras_options))
        result = ours(x, **_options(setup))
        assert result.shape == expected.shape
        assert result.dtype == "float32"
        np.testing.assert_allclose(result.numpy(), expected, rtol=1e-5, atol=1e-6)


def test_average_pool_same_divides_by_the_real_values_only():
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0]).reshape(1, 5, 1)
    out = ops.average_pool(x, 2, padding="same")
    # The last window holds [5, padding]: its mean is 5, not 2.5.
    np.testing.assert_allclose(out.numpy().ravel(), [1.5, 3.5, 5.0])


def test_max_pool_same_never_picks_the_padding():
    x = -np.ones((1, 3, 3, 1))
    out = ops.max_pool(x, 2, padding="same")
    np.testing.assert_array_equal(out.numpy(), -np.ones((1, 2, 2, 1)))


def test_max_pool_gradient_goes_to_the_first_of_tied_maxima():
    x = keras.Variable(np.ones((1, 2, 2, 1), "float32"))
    with keras.GradientTape() as tape:
        y = ops.sum(ops.max_pool(x, 2))
    grad = tape.gradient(y, x).numpy()
    np.testing.assert_array_equal(grad.ravel(), [1.0, 0.0, 0.0, 0.0])


@pytest.mark.parametrize(
    "shape, pool, strides, padding, expected",
    [
        ((2, 28, 28, 3), 2, None, "valid", (2, 14, 14, 3)),
        ((2, 7, 7, 3), 2, None, "valid", (2, 3, 3, 3)),
        ((2, 7, 7, 3), 2, None, "same", (2, 4, 4, 3)),
        ((2, 7, 6, 3), (3, 2), (2, 1), "valid", (2, 3, 5, 3)),
        ((4, 9, 2), 3, 2, "same", (4, 5, 2)),
    ],
)
def test_pooling_output_shapes(shape, pool, strides, padding, expected):
    x = np.zeros(shape, "float32")
    assert ops.max_pool(x, pool, strides, padding).shape == expected
    assert ops.average_pool(x, pool, strides, padding).shape == expected


@pytest.mark.parametrize("op", [ops.max_pool, ops.average_pool])
@pytest.mark.parametrize(
    "args, message",
    [
        (((5, 5), 2), "rank 3"),
        (((1, 5, 5, 3), 0), "pool_size=0"),
        (((1, 5, 5, 3), 2, -1), "strides=-1"),
        (((1, 5, 5, 3), 2, 1, "full"), "padding='full'"),
        (((1, 5, 5, 3), 2, 1, "valid", "channels_first"), "channels_first is not"),
        (((1, 2, 2, 3), 3), "larger than the inputs"),
    ],
)
def test_bad_arguments_raise_clear_errors(op, args, message):
    shape, *rest = args
    with pytest.raises(ValueError, match=message):
        op(np.zeros(shape), *rest)


def test_integer_inputs():
    x = np.arange(10).reshape(1, 10, 1)
    np.testing.assert_array_equal(
        ops.max_pool(x, 3, padding="same").numpy().ravel(), [1, 4, 7, 9]
    )
    mean = ops.average_pool(x, 3, padding="same")
    assert mean.dtype == "float32"
    np.testing.assert_allclose(mean.numpy().ravel(), [0.5, 3.0, 6.0, 8.5])
