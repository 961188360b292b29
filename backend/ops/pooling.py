"""Max and average pooling over 1D or 2D windows, with their gradients.

Mirrors: tensorflow/python/ops/nn_ops.py + nn_grad.py (tf.nn.max_pool,
tf.nn.avg_pool); keras/src/ops/nn.py (Keras 3). Stand-in, not Keras code.

Only `data_format="channels_last"` is supported (channels_first raises).
1D pooling runs as 2D pooling on a height of 1.

A pooling window is small (2x2 is typical), so both ops loop over the
window's taps, not over pixels: each iteration combines one whole strided
slice of the input into the output. That touches every input value once per
window that reads it and never builds a `(..., pool_h, pool_w)` copy.
"""

from typing import Any

import numpy as np

from api_export import export
from backend.config import floatx
from backend.ops import dispatch
from backend.ops.core import record, value_of
from backend.ops.windows import (
    check_data_format,
    check_padding,
    check_rank,
    crop_spatial,
    pad_spatial,
    padding_amounts,
    spatial_tuple,
    tap_slices,
)
from backend.tensor import Tensor


def _setup(inputs, pool_size, strides, padding, data_format, op, fill):
    """Validate, view 1D as 2D, pad with `fill`; return what both pools need."""
    check_data_format(data_format, op)
    x = np.asarray(value_of(inputs))
    rank = check_rank(x.shape, op)
    pool = spatial_tuple(pool_size, rank, "pool_size", op)
    strides = pool if strides is None else spatial_tuple(strides, rank, "strides", op)
    padding = check_padding(padding, op)
    x4 = x[:, None] if rank == 1 else x
    if rank == 1:
        pool, strides = (1, *pool), (1, *strides)
    pads = padding_amounts(x4.shape[1:3], pool, strides, padding)
    if fill == -np.inf and not np.issubdtype(x.dtype, np.floating):
        fill = np.iinfo(x.dtype).min  # integers have no -inf
    padded = pad_spatial(x4, pads, fill)
    out = tuple((n - p) // s + 1 for n, p, s in zip(padded.shape[1:3], pool, strides))
    if min(out) < 1:
        raise ValueError(
            f"`{op}`: pool_size {pool[2 - rank :]} is larger than the inputs "
            f"{x.shape[1:-1]}. Use a smaller pool_size or padding='same'."
        )
    return x, rank, pool, strides, pads, padded, out


def _taps(pool: tuple, strides: tuple, out: tuple) -> list[tuple]:
    """The slice of the padded input read by each position in the window."""
    return [
        tap_slices(p, q, strides, (1, 1), out)
        for p in range(pool[0])
        for q in range(pool[1])
    ]


def _final_shape(x: np.ndarray, rank: int, out: tuple) -> tuple:
    return (x.shape[0], *out[2 - rank :], x.shape[-1])


@export("nanokeras.ops.max_pool")
@dispatch.add_dispatch_support
def max_pool(
    inputs: Any,
    pool_size: Any,
    strides: Any = None,
    padding: str = "valid",
    data_format: str | None = None,
) -> Tensor:
    """The maximum of each window; the gradient goes to the window's maximum.

    Args:
        inputs: `(batch, steps, channels)` or `(batch, height, width, channels)`.
        pool_size: An int or a tuple, one per spatial axis.
        strides: An int or a tuple; defaults to `pool_size`.
        padding: `"valid"` or `"same"` (padded values never win).
        data_format: Only `"channels_last"` (or None) is supported.

    Returns:
        `(batch, ..., channels)`.

    Example:

    >>> x = np.arange(16.0).reshape(1, 4, 4, 1)
    >>> max_pool(x, 2).numpy()[0, :, :, 0]
    array([[ 5.,  7.],
           [13., 15.]])
    """
    x, rank, pool, strides, pads, padded, out = _setup(
        inputs, pool_size, strides, padding, data_format, "max_pool", -np.inf
    )
    taps = _taps(pool, strides, out)
    result = padded[taps[0]].copy()
    for where in taps[1:]:
        np.maximum(result, padded[where], out=result)

    # Windows that do not overlap (the usual strides == pool_size) never send
    # two gradients to one pixel, so each tap can write instead of add.
    overlapping = strides[0] < pool[0] or strides[1] < pool[1]

    def input_grad(g):
        g = np.reshape(g, result.shape)
        grad = np.zeros(padded.shape, dtype=g.dtype)
        # Like TensorFlow, a tie sends the whole gradient to the first maximum
        # in the window (row-major order), so `unclaimed` tracks the windows
        # whose maximum has not been found yet. The buffers are reused across
        # taps (`out=`): this loop is a hot spot of convnet training.
        unclaimed = np.ones(result.shape, dtype=bool)
        winner = np.empty(result.shape, dtype=bool)
        share = np.empty(result.shape, dtype=g.dtype) if overlapping else None
        for where in taps:
            np.equal(padded[where], result, out=winner)
            np.logical_and(winner, unclaimed, out=winner)
            if overlapping:
                grad[where] += np.multiply(winner, g, out=share)
            else:
                np.multiply(winner, g, out=grad[where])
            np.logical_xor(unclaimed, winner, out=unclaimed)
        return crop_spatial(grad, pads).reshape(x.shape)

    return record(result.reshape(_final_shape(x, rank, out)), (inputs, input_grad))


@export("nanokeras.ops.average_pool")
@dispatch.add_dispatch_support
def average_pool(
    inputs: Any,
    pool_size: Any,
    strides: Any = None,
    padding: str = "valid",
    data_format: str | None = None,
) -> Tensor:
    """The mean of each window, over its non-padded values only.

    Args:
        inputs: `(batch, steps, channels)` or `(batch, height, width, channels)`.
        pool_size: An int or a tuple, one per spatial axis.
        strides: An int or a tuple; defaults to `pool_size`.
        padding: `"valid"` or `"same"` (a window on the border divides by the
            number of real values it covers, as TensorFlow does).
        data_format: Only `"channels_last"` (or None) is supported.

    Returns:
        `(batch, ..., channels)`.
    """
    x, rank, pool, strides, pads, padded, out = _setup(
        inputs, pool_size, strides, padding, data_format, "average_pool", 0.0
    )
    if not np.issubdtype(padded.dtype, np.floating):
        padded = padded.astype(floatx())  # a mean of integers is not an integer
    taps = _taps(pool, strides, out)
    total = padded[taps[0]].copy()
    for where in taps[1:]:
        total += padded[where]
    # How many real (non-padded) values each window covers: the product of
    # the counts along each axis, each found from the window's ends.
    sizes = (1, x.shape[1]) if rank == 1 else x.shape[1:3]
    counts = [
        _window_counts(n, pad, p, s, o)
        for n, pad, p, s, o in zip(sizes, pads, pool, strides, out)
    ]
    scale = (1.0 / np.multiply.outer(*counts)).astype(total.dtype)[:, :, None]
    result = total * scale
    overlapping = strides[0] < pool[0] or strides[1] < pool[1]

    def input_grad(g):
        share = np.reshape(g, result.shape) * scale
        grad = np.zeros(padded.shape, dtype=share.dtype)
        for where in taps:
            if overlapping:
                grad[where] += share
            else:  # each pixel is in at most one window: write, don't add
                grad[where] = share
        return crop_spatial(grad, pads).reshape(x.shape)

    return record(result.reshape(_final_shape(x, rank, out)), (inputs, input_grad))


def _window_counts(size: int, pad: tuple, pool: int, stride: int, out: int):
    """The number of real values in each of `out` windows along one axis."""
    starts = np.arange(out) * stride - pad[0]
    return np.minimum(starts + pool, size) - np.maximum(starts, 0)
