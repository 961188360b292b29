"""Sliding windows over channels_last arrays, shared by convolution and pooling.

Mirrors: tensorflow/python/ops/nn_ops.py padding and window helpers (stand-in,
not Keras code)

Everything a windowed op needs besides its arithmetic: checking its
arguments, working out TensorFlow's "same" padding, viewing every window
of an array without copying it (`windows_view`), and the reverse, adding
per-window values back to the pixels they came from (`add_tap_products`).
All work on 4D `(batch, height, width, channels)` arrays; 1D ops reshape
to a height of 1 first.
"""

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import as_strided

# --- Argument checks ---


def check_data_format(data_format: Any, op: str) -> None:
    if data_format not in (None, "channels_last"):
        raise ValueError(
            f"`{op}` only supports data_format='channels_last' (or None); "
            f"channels_first is not supported. Received: data_format={data_format!r}. "
            "Transpose your inputs to (batch, ..., channels) instead."
        )


def check_padding(padding: Any, op: str) -> str:
    if not isinstance(padding, str) or padding.lower() not in ("valid", "same"):
        raise ValueError(
            f"`{op}` expects padding='valid' or padding='same'. "
            f"Received: padding={padding!r}."
        )
    return padding.lower()


def spatial_tuple(
    value: Any, rank: int, name: str, op: str, low: int = 1
) -> tuple[int, ...]:
    """An int or a tuple of `rank` ints >= `low` (strides, pool size, ...)."""
    values = (value,) * rank if isinstance(value, (int, np.integer)) else value
    try:
        values = tuple(int(v) for v in values)
    except (TypeError, ValueError):
        values = ()
    if len(values) != rank or any(v < low for v in values):
        kind = "positive" if low == 1 else f">= {low}"
        raise ValueError(
            f"`{op}` expects `{name}` to be an int or a tuple of {rank} ints, "
            f"all {kind}. Received: {name}={value!r}."
        )
    return values


def check_rank(shape: tuple, op: str, what: str = "inputs") -> int:
    """The number of spatial dimensions (1 or 2) of a channels_last input."""
    if len(shape) not in (3, 4):
        raise ValueError(
            f"`{op}` expects {what} of rank 3 (batch, steps, channels) or rank 4 "
            f"(batch, height, width, channels). Received {what} of shape {shape}."
        )
    return len(shape) - 2


def padding_amounts(
    sizes: tuple, windows: tuple, strides: tuple, padding: str
) -> tuple[tuple[int, int], ...]:
    """`(before, after)` per spatial axis, split as TensorFlow splits "same".

    "same" pads so that `ceil(size / stride)` windows fit; when the total is
    odd the extra row goes at the end, as in TensorFlow and Keras.
    """
    if padding == "valid":
        return tuple((0, 0) for _ in sizes)
    pads = []
    for size, window, stride in zip(sizes, windows, strides):
        total = max((-(-size // stride) - 1) * stride + window - size, 0)
        pads.append((total // 2, total - total // 2))
    return tuple(pads)


def pad_spatial(x: np.ndarray, pads: tuple, value: float = 0.0) -> np.ndarray:
    """Pad the two spatial axes of a 4D array (no copy when nothing is padded)."""
    if not any(before or after for before, after in pads):
        return x
    return np.pad(x, ((0, 0), *pads, (0, 0)), constant_values=value)


def crop_spatial(x: np.ndarray, pads: tuple) -> np.ndarray:
    """Undo `pad_spatial`: drop the padded rows and columns again."""
    (top, bottom), (left, right) = pads
    return x[:, top : x.shape[1] - bottom, left : x.shape[2] - right]


# --- Windows: gather (im2col) and scatter back (col2im) ---


def windows_view(
    x: np.ndarray, window: tuple, strides: tuple, dilation: tuple, out: tuple
) -> np.ndarray:
    """A read-only view of shape `(batch, out_h, out_w, win_h, win_w, channels)`.

    Element `[b, i, j, p, q, c]` is `x[b, i*stride + p*dilation, ..., c]`:
    only the strides of the view change, no data is copied.
    """
    batch, _, _, channels = x.shape
    sb, sh, sw, sc = x.strides
    return as_strided(
        x,
        shape=(batch, out[0], out[1], window[0], window[1], channels),
        strides=(
            sb,
            sh * strides[0],
            sw * strides[1],
            sh * dilation[0],
            sw * dilation[1],
            sc,
        ),
        writeable=False,
    )


def tap_slices(
    p: int, q: int, strides: tuple, dilation: tuple, out: tuple
) -> tuple[slice, slice, slice]:
    """The slice of the padded input that kernel tap `(p, q)` reads, for all
    `out` output positions at once."""
    top, left = p * dilation[0], q * dilation[1]
    return (
        slice(None),
        slice(top, top + (out[0] - 1) * strides[0] + 1, strides[0]),
        slice(left, left + (out[1] - 1) * strides[1] + 1, strides[1]),
    )


def add_tap_products(
    rows: np.ndarray,
    kernel: np.ndarray,
    shape: tuple,
    strides: tuple,
    dilation: tuple,
    out: tuple,
) -> np.ndarray:
    """col2im: scatter `rows @ kernel[p, q].T` back to where each tap read.

    `rows` holds one row per output position, `(batch * out_h * out_w, n)`,
    and `kernel` is `(kh, kw, m, n)`. For every tap `(p, q)` the product is
    added to the strided slice of a zero array of `shape` that the tap
    reads in the forward pass (`windows_view`'s reverse). One small matrix
    product per tap into a reused buffer measured faster than one big
    product followed by the scatter, and never holds the kh * kw times
    larger temporary.
    """
    kh, kw = kernel.shape[:2]
    result = np.zeros(shape, dtype=np.result_type(rows, kernel))
    product = np.empty((rows.shape[0], kernel.shape[2]), result.dtype)
    for p in range(kh):
        for q in range(kw):
            np.matmul(rows, kernel[p, q].T, out=product)
            result[tap_slices(p, q, strides, dilation, out)] += product.reshape(
                shape[0], *out, -1
            )
    return result
