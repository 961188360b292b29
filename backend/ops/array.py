"""Shape and indexing ops: reshape, transpose, slicing, gather, join, pad.

Mirrors: tensorflow/python/ops/array_ops.py + array_grad.py (tf.keras 2.6's
backend); keras/src/ops/numpy.py (Keras 3). Stand-in, not Keras code.

These ops move values around without changing them, so each vjp moves the
gradient back: reshape it back, transpose it back, scatter it back into the
positions that were read.
"""

from typing import Any, Sequence

import numpy as np

from api_export import export
from backend import config
from backend.ops import dispatch
from backend.ops.core import (
    frozen_value_of,
    normalize_axis,
    record,
    unbroadcast,
    value_of,
)
from backend.tensor import Tensor


@export("nanokeras.ops.reshape")
@dispatch.add_dispatch_support
def reshape(x: Any, newshape: Sequence[int]) -> Tensor:
    """Same values, new shape (one axis may be -1); the gradient is reshaped back."""
    a = frozen_value_of(x)
    try:
        out = a.reshape(tuple(newshape))
    except ValueError:
        raise ValueError(
            f"Cannot reshape a tensor of shape {a.shape} ({a.size} values) into "
            f"shape {tuple(newshape)}: the number of values must stay the same."
        ) from None
    return record(out, (x, lambda g: np.reshape(g, a.shape)))


@export("nanokeras.ops.transpose")
@dispatch.add_dispatch_support
def transpose(x: Any, axes: Sequence[int] | None = None) -> Tensor:
    """Permute the axes (reverse them by default); the gradient is permuted back."""
    a = frozen_value_of(x)
    axes = tuple(range(a.ndim))[::-1] if axes is None else tuple(axes)
    if sorted(i % max(a.ndim, 1) for i in axes) != list(range(a.ndim)):
        raise ValueError(
            f"`transpose` needs `axes` to be a permutation of {tuple(range(a.ndim))} "
            f"for a tensor of shape {a.shape}. Received: axes={axes}."
        )
    inverse = tuple(np.argsort(axes))
    return record(np.transpose(a, axes), (x, lambda g: np.transpose(g, inverse)))


@export("nanokeras.ops.expand_dims")
@dispatch.add_dispatch_support
def expand_dims(x: Any, axis: int) -> Tensor:
    """Insert an axis of size 1 at `axis`."""
    a = frozen_value_of(x)
    normalize_axis(axis, a.ndim + 1)  # a clear error for an out-of-range axis
    return record(np.expand_dims(a, axis), (x, lambda g: np.reshape(g, a.shape)))


@export("nanokeras.ops.squeeze")
@dispatch.add_dispatch_support
def squeeze(x: Any, axis: Any = None) -> Tensor:
    """Remove axes of size 1 (all of them, or those in `axis`)."""
    a = frozen_value_of(x)
    axes = normalize_axis(axis, a.ndim)
    if axes is not None and any(a.shape[i] != 1 for i in axes):
        raise ValueError(
            f"`squeeze` can only remove axes of size 1, but axis={axis} of a "
            f"tensor of shape {a.shape} is larger."
        )
    return record(np.squeeze(a, axis=axes), (x, lambda g: np.reshape(g, a.shape)))


@export("nanokeras.ops.broadcast_to")
@dispatch.add_dispatch_support
def broadcast_to(x: Any, shape: Sequence[int]) -> Tensor:
    """Repeat `x` along broadcast axes; the gradient sums the repeats."""
    a = value_of(x)
    try:
        out = np.array(np.broadcast_to(a, tuple(shape)))
    except ValueError:
        raise ValueError(
            f"`broadcast_to` cannot broadcast shape {np.shape(a)} to {tuple(shape)}: "
            "aligned from the right, each size must equal the target's or be 1."
        ) from None
    return record(out, (x, lambda g: unbroadcast(g, np.shape(a))))


@export("nanokeras.ops.concatenate")
@dispatch.add_dispatch_support
def concatenate(xs: Sequence[Any], axis: int = 0) -> Tensor:
    """Join tensors along an existing axis; each input gets its slice of `g`."""
    arrays = [value_of(x) for x in xs]
    try:
        out = np.concatenate(arrays, axis=axis)
    except ValueError:
        raise ValueError(
            f"`concatenate` along axis {axis} needs inputs of equal rank whose "
            "sizes match on every other axis. Received shapes "
            f"{[np.shape(a) for a in arrays]}."
        ) from None
    bounds = np.cumsum([a.shape[axis] for a in arrays])[:-1]

    def slice_vjp(index):
        return lambda g: np.split(g, bounds, axis=axis)[index]

    return record(out, *[(x, slice_vjp(i)) for i, x in enumerate(xs)])


@export("nanokeras.ops.stack")
@dispatch.add_dispatch_support
def stack(x: Sequence[Any], axis: int = 0) -> Tensor:
    """Join tensors along a new axis; each input gets its slice of `g`."""
    xs = x
    arrays = [value_of(x) for x in xs]
    if len({np.shape(a) for a in arrays}) > 1:
        raise ValueError(
            "`stack` needs inputs of one shape. Received shapes "
            f"{[np.shape(a) for a in arrays]}."
        )
    out = np.stack(arrays, axis=axis)

    def slice_vjp(index):
        return lambda g: np.take(g, index, axis=axis)

    return record(out, *[(x, slice_vjp(i)) for i, x in enumerate(xs)])


def _is_basic_index(key: Any) -> bool:
    """True for ints, slices, `...` and `None`: numpy's basic indexing."""
    keys = key if isinstance(key, tuple) else (key,)
    return all(
        k is None
        or k is Ellipsis
        or isinstance(k, slice)
        or (isinstance(k, (int, np.integer)) and not isinstance(k, bool))
        for k in keys
    )


def _scatter_back(shape: tuple, dtype: Any, key: Any, g: np.ndarray) -> np.ndarray:
    """Zeros of the input's shape with `g` added where `key` read.

    `np.add.at` (not `grad[key] = g`) so that an index read twice receives the
    gradient of both reads. Basic indexing (ints, slices) never reads an
    element twice, so there a plain assignment is exact, and several times
    faster (RNN cells slice their gates this way at every step).
    """
    grad = np.zeros(shape, dtype=dtype)
    if _is_basic_index(key):
        grad[key] = g
    else:
        np.add.at(grad, key, g)
    return grad


@export("nanokeras.ops.getitem")
@dispatch.add_dispatch_support
def getitem(x: Any, key: Any) -> Tensor:
    """`x[key]` with numpy indexing (slices, ints, ellipsis, arrays)."""
    a = frozen_value_of(x)
    if isinstance(key, Tensor):
        key = key._value
    elif isinstance(key, tuple):
        key = tuple(k._value if isinstance(k, Tensor) else k for k in key)
    out = a[key]
    return record(
        np.asarray(out), (x, lambda g: _scatter_back(a.shape, a.dtype, key, g))
    )


@export("nanokeras.ops.take")
@dispatch.add_dispatch_support
def take(x: Any, indices: Any, axis: int | None = None) -> Tensor:
    """Gather the entries at `indices` along `axis` (flattened if `None`).

    This is the op behind `Embedding`: the gradient of each row read is added
    back into that row, however many times it was read.
    """
    a = value_of(x)
    index = np.asarray(value_of(indices))
    if index.dtype.kind not in "iu":
        raise TypeError(f"take() needs integer indices, got dtype {index.dtype}.")
    out = np.take(a, index, axis=axis)
    if axis is not None:
        axis = normalize_axis(axis, a.ndim)[0]  # the vjp counts axes from 0

    def vjp(g):
        if axis is None:
            return _scatter_back((a.size,), a.dtype, index, g).reshape(a.shape)
        moved = np.moveaxis(np.zeros_like(a), axis, 0)
        g_moved = np.moveaxis(g, range(axis, axis + index.ndim), range(index.ndim))
        np.add.at(moved, index, g_moved)
        return np.moveaxis(moved, 0, axis)

    return record(out, (x, vjp))


@export("nanokeras.ops.split")
@dispatch.add_dispatch_support
def split(x: Any, indices_or_sections: Any, axis: int = 0) -> list:
    """Cut `x` along `axis`: into N equal parts, or at the given indices.

    Each part's gradient goes back into its own slice of the input.
    """
    a = frozen_value_of(x)
    axis = normalize_axis(axis, a.ndim)[0]
    if isinstance(indices_or_sections, (int, np.integer)):
        if a.shape[axis] % indices_or_sections:
            raise ValueError(
                f"`split` cannot cut axis {axis} of size {a.shape[axis]} into "
                f"{indices_or_sections} equal parts. Pass sizes that divide it, "
                "or a list of split indices."
            )
    parts = np.split(a, indices_or_sections, axis=axis)
    bounds = np.cumsum([0] + [part.shape[axis] for part in parts])

    def slice_vjp(index):
        def vjp(g):
            grad = np.zeros(a.shape, dtype=g.dtype)
            where = [slice(None)] * a.ndim
            where[axis] = slice(bounds[index], bounds[index + 1])
            grad[tuple(where)] = g
            return grad

        return vjp

    return [record(part, (x, slice_vjp(i))) for i, part in enumerate(parts)]


@export("nanokeras.ops.pad")
@dispatch.add_dispatch_support
def pad(
    x: Any, pad_width: Any, mode: str = "constant", constant_values: Any = None
) -> Tensor:
    """Pad with a constant, None meaning 0 (the gradient is the un-padded middle)."""
    if constant_values is None:
        constant_values = 0
    if mode != "constant":
        raise ValueError(f"pad() supports mode='constant' only, got {mode!r}.")
    a = value_of(x)
    try:
        widths = np.broadcast_to(np.asarray(pad_width), (a.ndim, 2))
    except ValueError:
        raise ValueError(
            f"`pad` needs `pad_width` as one (before, after) pair per axis, "
            f"{a.ndim} pairs for shape {a.shape}. Received: pad_width={pad_width}."
        ) from None
    middle = tuple(
        slice(int(lo), int(lo) + size) for (lo, _), size in zip(widths, a.shape)
    )
    out = np.pad(a, widths, mode="constant", constant_values=constant_values)
    return record(out, (x, lambda g: g[middle]))


@export("nanokeras.ops.repeat")
@dispatch.add_dispatch_support
def repeat(x: Any, repeats: int, axis: int | None = None) -> Tensor:
    """Repeat each element `repeats` times along `axis`; the gradient sums them."""
    a = value_of(x)
    normalize_axis(axis, a.ndim)  # a clear error for an out-of-range axis
    out = np.repeat(a, repeats, axis=axis)

    def vjp(g):
        if axis is None:
            return g.reshape(a.size, repeats).sum(axis=1).reshape(a.shape)
        ax = normalize_axis(axis, a.ndim)[0]
        split = g.shape[:ax] + (a.shape[ax], repeats) + g.shape[ax + 1 :]
        return g.reshape(split).sum(axis=ax + 1)

    return record(out, (x, vjp))


@export("nanokeras.ops.tile")
@dispatch.add_dispatch_support
def tile(x: Any, repeats: Sequence[int]) -> Tensor:
    """Repeat the whole tensor `repeats[i]` times along axis `i`."""
    a = value_of(x)
    reps = tuple(repeats)
    out = np.tile(a, reps)
    ndim = out.ndim
    shape = (1,) * (ndim - a.ndim) + a.shape
    reps = (1,) * (ndim - len(reps)) + reps

    def vjp(g):
        split = [d for pair in zip(reps, shape) for d in pair]
        summed = g.reshape(split).sum(axis=tuple(range(0, 2 * ndim, 2)))
        return summed.reshape(a.shape)

    return record(out, (x, vjp))


@export("nanokeras.ops.shape")
@dispatch.add_dispatch_support
def shape(x: Any) -> tuple:
    """The static shape as a tuple of ints."""
    return np.shape(value_of(x))


@export("nanokeras.ops.zeros")
@dispatch.add_dispatch_support
def zeros(shape: Sequence[int], dtype: Any = None) -> Tensor:
    return Tensor._from_array(np.zeros(tuple(shape), dtype=dtype or config.floatx()))


@export("nanokeras.ops.ones")
@dispatch.add_dispatch_support
def ones(shape: Sequence[int], dtype: Any = None) -> Tensor:
    return Tensor._from_array(np.ones(tuple(shape), dtype=dtype or config.floatx()))


@export("nanokeras.ops.zeros_like")
@dispatch.add_dispatch_support
def zeros_like(x: Any, dtype: Any = None) -> Tensor:
    return Tensor._from_array(np.zeros_like(value_of(x), dtype=dtype))


@export("nanokeras.ops.ones_like")
@dispatch.add_dispatch_support
def ones_like(x: Any, dtype: Any = None) -> Tensor:
    return Tensor._from_array(np.ones_like(value_of(x), dtype=dtype))


@export("nanokeras.ops.stop_gradient")
@dispatch.add_dispatch_support
def stop_gradient(variable: Any) -> Tensor:
    """The same values, with no gradient flowing back through them."""
    return Tensor._from_array(frozen_value_of(variable))
