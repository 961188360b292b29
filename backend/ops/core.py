"""What every op module shares: reading values and undoing broadcasting.

Mirrors: tensorflow/python/ops/math_grad.py helpers (stand-in, not Keras code)
"""

from typing import Any

import numpy as np

# Re-exported so op modules import all their plumbing from one place.
from backend.tape import record  # noqa: F401
from backend.tensor import Tensor, TensorLike


def value_of(x: Any) -> Any:
    """The numpy array inside a Tensor or Variable; other inputs as numpy sees them.

    Python numbers are returned unchanged: numpy treats them as "weak" scalars,
    so `float32_tensor * 2.0` stays float32 instead of turning into float64.
    """
    if isinstance(x, TensorLike):
        return x._value
    if isinstance(x, (int, float, bool)):
        return x
    return np.asarray(x)


def frozen_value_of(x: Any) -> np.ndarray:
    """The array of `x`, safe to return a view of in a new `Tensor`.

    A `Tensor`'s array never changes, so views of it are safe. A `Variable` or
    a caller's numpy array can change later, so ops that return views (reshape,
    transpose, slicing) copy those first: the result must stay immutable.
    """
    if isinstance(x, Tensor):
        return x._value
    return np.array(value_of(x), copy=True)


def from_owned_array(array: Any) -> Tensor:
    """A `Tensor` around `array` without copying it.

    For code outside the ops that builds a fresh array (a batch, a metric's
    result, an initializer's draw) and hands it over: the caller must not
    write to the array afterwards, as the tensor marks it read-only.
    """
    return Tensor._from_array(array)


def unbroadcast(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum `grad` down to `shape`, undoing numpy broadcasting.

    When `a` of shape `(3,)` is added to `b` of shape `(2, 3)`, each element of
    `a` is used twice, so its gradient is the sum of both uses: the sum over
    the leading axis that broadcasting added. Axes where `shape` has size 1
    were stretched the same way and are summed too, keeping the axis.
    """
    if grad.shape == shape:
        return grad
    extra_axes = grad.ndim - len(shape)
    if extra_axes:
        grad = grad.sum(axis=tuple(range(extra_axes)))
    stretched = tuple(
        i for i, size in enumerate(shape) if size == 1 and grad.shape[i] != 1
    )
    if stretched:
        grad = grad.sum(axis=stretched, keepdims=True)
    return grad


def normalize_axis(axis: Any, ndim: int) -> tuple | None:
    """`None` (all axes), an int or a sequence -> a sorted tuple of positive axes."""
    if axis is None:
        return None
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    for a in axes:
        if not -ndim <= a < max(ndim, 1):
            raise ValueError(f"Axis {a} is out of bounds for a tensor of rank {ndim}.")
    return tuple(sorted(a % max(ndim, 1) for a in axes))


def elementwise(ufunc: Any, name: str, a: Any, b: Any) -> np.ndarray:
    """`ufunc(a, b)`, with an error naming the op when the shapes don't broadcast."""
    try:
        return ufunc(a, b)
    except ValueError:
        raise ValueError(
            f"`{name}` cannot combine shapes {np.shape(a)} and {np.shape(b)}: "
            "aligned from the right, each pair of sizes must be equal or 1 "
            "(numpy broadcasting). Reshape or expand one of the inputs."
        ) from None
