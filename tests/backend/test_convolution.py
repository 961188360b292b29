"""conv, depthwise_conv, separable_conv and conv_transpose: values, shapes,
gradients and errors, checked against finite differences and real Keras."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nanokeras as keras
from nanokeras import ops

FEW = settings(max_examples=20, deadline=None)


def _ints_or_tuple(draw, values, rank):
    """One int for every axis, or a tuple with one per axis (both are valid)."""
    if draw(st.booleans()):
        return draw(values)
    return tuple(draw(values) for _ in range(rank))


@st.composite
def geometries(draw, transpose=False):
    """A random small 1D or 2D convolution setup that fits its inputs."""
    rank = draw(st.sampled_from([1, 2]))
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(rank))
    strides = _ints_or_tuple(draw, st.integers(1, 3), rank)
    dilation = _ints_or_tuple(draw, st.integers(1, 2), rank)
    per_axis = dilation if isinstance(dilation, tuple) else (dilation,) * rank
    reach = [(k - 1) * d + 1 for k, d in zip(kernel, per_axis)]
    sizes = tuple(r + draw(st.integers(0, 3)) for r in reach)
    output_padding = None
    if transpose and draw(st.booleans()):
        per_axis = strides if isinstance(strides, tuple) else (strides,) * rank
        output_padding = tuple(draw(st.integers(0, s - 1)) for s in per_axis)
    return {
        "batch": draw(st.integers(1, 2)),
        "sizes": sizes,
        "channels": draw(st.integers(1, 3)),
        "filters": draw(st.integers(1, 3)),
        "kernel": kernel,
        "strides": strides,
        "dilation_rate": dilation,
        "padding": draw(st.sampled_from(["valid", "same"])),
        "output_padding": output_padding,
        "seed": draw(st.integers(0, 2**16)),
    }


def _arrays(g, *kernel_tails, dtype="float64"):
    rng = np.random.default_rng(g["seed"])
    shapes = [(g["batch"], *g["sizes"], g["channels"])]
    shapes += [(*g["kernel"], *tail) for tail in kernel_tails]
    return [rng.standard_normal(shape).astype(dtype) for shape in shapes]


def _options(g):
    return dict(
        strides=g["strides"], padding=g["padding"], dilation_rate=g["dilation_rate"]
    )


# --- Gradients against central finite differences (float64) ---


@FEW
@given(geometries())
def test_conv_gradients(check_gradients, g):
    x, k = _arrays(g, (g["channels"], g["filters"]))
    check_gradients(lambda x, k: ops.conv(x, k, **_options(g)), x, k)


@FEW
@given(geometries())
def test_depthwise_conv_gradients(check_gradients, g):
    x, k = _arrays(g, (g["channels"], g["filters"]))
    check_gradients(lambda x, k: ops.depthwise_conv(x, k, **_options(g)), x, k)


@FEW
@given(geometries())
def test_separable_conv_gradients(check_gradients, g):
    x, depthwise = _arrays(g, (g["channels"], 2))
    rng = np.random.default_rng(g["seed"] + 1)
    pointwise = rng.standard_normal((1,) * len(g["sizes"]) + (2 * g["channels"], 2))
    check_gradients(
        lambda x, d, p: ops.separable_conv(x, d, p, **_options(g)),
        x,
        depthwise,
        pointwise,
    )


@FEW
@given(geometries(transpose=True))
def test_conv_transpose_gradients(check_gradients, g):
    x, k = _arrays(g, (g["filters"], g["channels"]))
    check_gradients(
        lambda x, k: ops.conv_transpose(
            x, k, output_padding=g["output_padding"], **_options(g)
        ),
        x,
        k,
    )


# --- Values and shapes ---


def test_same_padding_puts_the_odd_row_at_the_end():
    # Total padding 1 for a kernel of 2 goes after the inputs, as in TF/Keras:
    # the last window sees [4, 0], not the first [0, 1].
    x = np.arange(1.0, 5.0).reshape(1, 4, 1)
    out = ops.conv(x, np.ones((2, 1, 1)), padding="same")
    np.testing.assert_array_equal(out.numpy().ravel(), [3.0, 5.0, 7.0, 4.0])


@pytest.mark.parametrize(
    "input_shape, kernel_shape, strides, padding, dilation, expected",
    [
        ((2, 7, 6, 3), (3, 2, 3, 4), 2, "valid", 1, (2, 3, 3, 4)),
        ((2, 7, 6, 3), (3, 2, 3, 4), 2, "same", 1, (2, 4, 3, 4)),
        ((2, 7, 6, 3), (3, 3, 3, 5), (1, 2), "valid", 2, (2, 3, 1, 5)),
        ((2, 7, 6, 3), (3, 3, 3, 5), 1, "SAME", (2, 1), (2, 7, 6, 5)),
        ((4, 10, 2), (3, 2, 8), 3, "valid", 1, (4, 3, 8)),
        ((4, 10, 2), (3, 2, 8), 3, "same", 1, (4, 4, 8)),
    ],
)
def test_conv_output_shapes(
    input_shape, kernel_shape, strides, padding, dilation, expected
):
    out = ops.conv(
        np.zeros(input_shape, "float32"),
        np.zeros(kernel_shape, "float32"),
        strides=strides,
        padding=padding,
        dilation_rate=dilation,
    )
    assert out.shape == expected
    assert out.dtype == "float32"


def test_depthwise_and_separable_output_channels():
    x = np.zeros((1, 5, 5, 3), "float32")
    assert ops.depthwise_conv(x, np.zeros((3, 3, 3, 2))).shape == (1, 3, 3, 6)
    out = ops.separable_conv(x, np.zeros((3, 3, 3, 2)), np.zeros((1, 1, 6, 7)))
    assert out.shape == (1, 3, 3, 7)


@FEW
@given(geometries(transpose=True))
def test_conv_transpose_output_shape_follows_keras_rule(real_keras, g):
    from keras.src.backend.common.backend_utils import (
        compute_conv_transpose_output_shape,
    )

    x, k = _arrays(g, (g["filters"], g["channels"]), dtype="float32")
    out = ops.conv_transpose(x, k, output_padding=g["output_padding"], **_options(g))
    expected = compute_conv_transpose_output_shape(
        x.shape,
        g["kernel"],
        g["filters"],
        g["strides"],
        g["padding"],
        g["output_padding"],
        "channels_last",
        g["dilation_rate"],
    )
    assert out.shape == tuple(expected)


def test_conv_kernel_gradient_through_a_variable():
    x = np.random.default_rng(0).standard_normal((2, 5, 5, 1)).astype("float32")
    kernel = keras.Variable(np.ones((3, 3, 1, 2), "float32"))
    with keras.GradientTape() as tape:
        loss = ops.sum(ops.conv(x, kernel))
    grad = tape.gradient(loss, kernel)
    assert grad.dtype == "float32"
    # d(sum of outputs)/d(kernel tap) is the sum of the inputs that tap reads.
    expected = [[x[:, i : i + 3, j : j + 3].sum() for j in range(3)] for i in range(3)]
    np.testing.assert_allclose(grad.numpy()[:, :, 0, 0], expected, rtol=1e-5)


# --- Parity with real Keras (numpy backend) ---


def _assert_close(ours, theirs):
    theirs = np.asarray(theirs)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours.numpy(), theirs, rtol=1e-5, atol=1e-6)


@pytest.mark.keras
@FEW
@given(geometries())
def test_conv_matches_keras(real_keras, g):
    x, k = _arrays(g, (g["channels"], g["filters"]), dtype="float32")
    ours = ops.conv(x, k, **_options(g))
    _assert_close(ours, real_keras.ops.conv(x, k, **_options(g)))


@pytest.mark.keras
@FEW
@given(geometries())
def test_depthwise_conv_matches_keras(real_keras, g):
    x, k = _arrays(g, (g["channels"], g["filters"]), dtype="float32")
    ours = ops.depthwise_conv(x, k, **_options(g))
    _assert_close(ours, real_keras.ops.depthwise_conv(x, k, **_options(g)))


@pytest.mark.keras
@FEW
@given(geometries())
def test_separable_conv_matches_keras(real_keras, g):
    x, depthwise = _arrays(g, (g["channels"], 2), dtype="float32")
    pointwise = np.random.default_rng(1).standard_normal(
        (1,) * len(g["sizes"]) + (2 * g["channels"], g["filters"])
    )
    pointwise = pointwise.astype("float32")
    ours = ops.separable_conv(x, depthwise, pointwise, **_options(g))
    theirs = real_keras.ops.separable_conv(x, depthwise, pointwise, **_options(g))
    _assert_close(ours, theirs)


@pytest.mark.keras
@FEW
@given(geometries(transpose=True))
def test_conv_transpose_matches_keras(real_keras, g):
    x, k = _arrays(g, (g["filters"], g["channels"]), dtype="float32")
    extra = {"output_padding": g["output_padding"], **_options(g)}
    ours = ops.conv_transpose(x, k, **extra)
    _assert_close(ours, real_keras.ops.conv_transpose(x, k, **extra))


# --- Errors ---


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: ops.conv(np.zeros((5, 3)), np.zeros((3, 3, 2))), "rank 3"),
        (lambda: ops.conv(np.zeros((1, 5, 3)), np.zeros((3, 3, 3, 2))), "rank 3"),
        (
            lambda: ops.conv(np.zeros((1, 5, 5, 3)), np.zeros((3, 3, 2, 4))),
            "expects 2 input channels",
        ),
        (
            lambda: ops.depthwise_conv(np.zeros((1, 5, 5, 3)), np.zeros((3, 3, 1, 4))),
            "expects 1 input channels",
        ),
        (
            lambda: ops.conv_transpose(np.zeros((1, 5, 5, 3)), np.zeros((3, 3, 3, 2))),
            "expects 2 input channels",
        ),
        (
            lambda: ops.conv(np.zeros((1, 5, 5, 3)), np.zeros((3, 3, 3, 2)), strides=0),
            "strides=0",
        ),
        (
            lambda: ops.conv(
                np.zeros((1, 5, 5, 3)), np.zeros((3, 3, 3, 2)), strides=(1, 1, 1)
            ),
            "a tuple of 2 ints, all positive",
        ),
        (
            lambda: ops.conv(
                np.zeros((1, 5, 5, 3)), np.zeros((3, 3, 3, 2)), dilation_rate=-1
            ),
            "dilation_rate=-1",
        ),
        (
            lambda: ops.conv(
                np.zeros((1, 5, 5, 3)), np.zeros((3, 3, 3, 2)), padding="full"
            ),
            "padding='full'",
        ),
        (
            lambda: ops.conv(
                np.zeros((1, 5, 5, 3)),
                np.zeros((3, 3, 3, 2)),
                data_format="channels_first",
            ),
            "channels_first is not supported",
        ),
        (
            lambda: ops.conv(np.zeros((1, 2, 2, 3)), np.zeros((3, 3, 3, 2))),
            "larger than the padded inputs",
        ),
    ],
)
def test_bad_arguments_raise_clear_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_strides_must_be_ints():
    with pytest.raises(ValueError, match="Received: strides='2'"):
        ops.conv(np.zeros((1, 5, 5, 3)), np.zeros((3, 3, 3, 2)), strides="2")


def test_conv_transpose_rejects_negative_output_padding():
    with pytest.raises(ValueError, match="all >= 0. Received: output_padding=-1"):
        ops.conv_transpose(
            np.zeros((1, 5, 5, 3)), np.zeros((3, 3, 2, 3)), 2, output_padding=-1
        )
