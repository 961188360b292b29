"""Elementwise arithmetic, matmul and reductions, each with its gradient.

Mirrors: tensorflow/python/ops/math_ops.py + math_grad.py (tf.keras 2.6's
backend); keras/src/ops/numpy.py (Keras 3). Stand-in, not Keras code.

Every op reads like a micrograd operator: compute the output with numpy, then
`record` it together with one vector-Jacobian product (vjp) per input. A vjp
takes `g`, the gradient of the loss with respect to the output, and returns the
gradient with respect to that input. The functions inside are only called
when a `GradientTape` needs them, so a forward pass pays for a closure, not
for a gradient.
"""

import math
from typing import Any

import numpy as np

from api_export import export
from backend.ops import dispatch
from backend.ops.core import (
    elementwise,
    normalize_axis,
    record,
    unbroadcast,
    value_of,
)
from backend.tensor import Tensor

# --- Elementwise binary ops (broadcasting: unbroadcast sums the gradient back) ---


@export("nanokeras.ops.add")
@dispatch.add_dispatch_support
def add(x1: Any, x2: Any) -> Tensor:
    """`x1 + x2`, elementwise, with broadcasting."""
    a, b = value_of(x1), value_of(x2)
    return record(
        elementwise(np.add, "add", a, b),
        (x1, lambda g: unbroadcast(g, np.shape(a))),
        (x2, lambda g: unbroadcast(g, np.shape(b))),
    )


@export("nanokeras.ops.subtract")
@dispatch.add_dispatch_support
def subtract(x1: Any, x2: Any) -> Tensor:
    """`x1 - x2`, elementwise, with broadcasting."""
    a, b = value_of(x1), value_of(x2)
    return record(
        elementwise(np.subtract, "subtract", a, b),
        (x1, lambda g: unbroadcast(g, np.shape(a))),
        (x2, lambda g: unbroadcast(-g, np.shape(b))),
    )


@export("nanokeras.ops.multiply")
@dispatch.add_dispatch_support
def multiply(x1: Any, x2: Any) -> Tensor:
    """`x1 * x2`, elementwise; d/dx1 = x2 and d/dx2 = x1."""
    a, b = value_of(x1), value_of(x2)
    return record(
        elementwise(np.multiply, "multiply", a, b),
        (x1, lambda g: unbroadcast(g * b, np.shape(a))),
        (x2, lambda g: unbroadcast(g * a, np.shape(b))),
    )


@export("nanokeras.ops.divide", "nanokeras.ops.true_divide")
@dispatch.add_dispatch_support
def divide(x1: Any, x2: Any) -> Tensor:
    """`x1 / x2`, elementwise; d/dx1 = 1/x2 and d/dx2 = -x1/x2^2."""
    a, b = value_of(x1), value_of(x2)
    out = elementwise(np.true_divide, "divide", a, b)
    return record(
        out,
        (x1, lambda g: unbroadcast(g / b, np.shape(a))),
        (x2, lambda g: unbroadcast(-g * out / b, np.shape(b))),
    )


@export("nanokeras.ops.power")
@dispatch.add_dispatch_support
def power(x1: Any, x2: Any) -> Tensor:
    """`x1 ** x2`; d/dx1 = x2 x1^(x2-1) and d/dx2 = x1^x2 log(x1)."""
    a, b = value_of(x1), value_of(x2)
    out = elementwise(np.power, "power", a, b)

    def exponent_grad(g):
        # log(x1) is only defined for x1 > 0; elsewhere the term is taken as 0.
        safe_log = np.log(np.where(np.asarray(a) > 0, a, 1))
        return unbroadcast(g * out * safe_log, np.shape(b))

    return record(
        out,
        (x1, lambda g: unbroadcast(g * b * np.power(a, b - 1), np.shape(a))),
        (x2, exponent_grad),
    )


@export("nanokeras.ops.maximum")
@dispatch.add_dispatch_support
def maximum(x1: Any, x2: Any) -> Tensor:
    """Elementwise max; the gradient goes to the larger input (to `x1` on ties)."""
    a, b = value_of(x1), value_of(x2)
    first_wins = np.greater_equal(a, b)
    return record(
        elementwise(np.maximum, "maximum", a, b),
        (x1, lambda g: unbroadcast(g * first_wins, np.shape(a))),
        (x2, lambda g: unbroadcast(g * ~first_wins, np.shape(b))),
    )


@export("nanokeras.ops.minimum")
@dispatch.add_dispatch_support
def minimum(x1: Any, x2: Any) -> Tensor:
    """Elementwise min; the gradient goes to the smaller input (to `x1` on ties)."""
    a, b = value_of(x1), value_of(x2)
    first_wins = np.less_equal(a, b)
    return record(
        elementwise(np.minimum, "minimum", a, b),
        (x1, lambda g: unbroadcast(g * first_wins, np.shape(a))),
        (x2, lambda g: unbroadcast(g * ~first_wins, np.shape(b))),
    )


# --- Elementwise unary ops ---


@export("nanokeras.ops.negative")
@dispatch.add_dispatch_support
def negative(x: Any) -> Tensor:
    """`-x`."""
    return record(np.negative(value_of(x)), (x, lambda g: -g))


@export("nanokeras.ops.abs", "nanokeras.ops.absolute")
@dispatch.add_dispatch_support
def abs(x: Any) -> Tensor:
    """`|x|`; the gradient is `sign(x)` (0 at 0, as TensorFlow)."""
    a = value_of(x)
    return record(np.abs(a), (x, lambda g: g * np.sign(a)))


@export("nanokeras.ops.square")
@dispatch.add_dispatch_support
def square(x: Any) -> Tensor:
    """`x^2`; d/dx = 2x."""
    a = value_of(x)
    return record(np.square(a), (x, lambda g: g * 2 * a))


@export("nanokeras.ops.sqrt")
@dispatch.add_dispatch_support
def sqrt(x: Any) -> Tensor:
    """`sqrt(x)`; d/dx = 1 / (2 sqrt(x))."""
    out = np.sqrt(value_of(x))
    return record(out, (x, lambda g: g / (2 * out)))


@export("nanokeras.ops.exp")
@dispatch.add_dispatch_support
def exp(x: Any) -> Tensor:
    """`e^x`; its own derivative."""
    out = np.exp(value_of(x))
    return record(out, (x, lambda g: g * out))


@export("nanokeras.ops.log")
@dispatch.add_dispatch_support
def log(x: Any) -> Tensor:
    """Natural logarithm; d/dx = 1/x."""
    a = value_of(x)
    return record(np.log(a), (x, lambda g: g / a))


@export("nanokeras.ops.log1p")
@dispatch.add_dispatch_support
def log1p(x: Any) -> Tensor:
    """`log(1 + x)`, accurate for small `x`; d/dx = 1 / (1 + x)."""
    a = value_of(x)
    return record(np.log1p(a), (x, lambda g: g / (1 + a)))


@export("nanokeras.ops.clip")
@dispatch.add_dispatch_support
def clip(x: Any, x_min: Any, x_max: Any) -> Tensor:
    """Limit `x` to `[x_min, x_max]`; the gradient is 0 where `x` was clipped."""
    a = value_of(x)
    inside = (a >= x_min) & (a <= x_max)
    return record(np.clip(a, x_min, x_max), (x, lambda g: g * inside))


@export("nanokeras.ops.where")
@dispatch.add_dispatch_support
def where(condition: Any, x1: Any = None, x2: Any = None) -> Any:
    """Pick `x1` where `condition` holds, else `x2`; each gets its share of `g`.

    Without `x1` and `x2`, the indices where `condition` holds (a tuple of
    int tensors, one per axis), as Keras and `np.nonzero`.
    """
    mask = np.asarray(value_of(condition), dtype=bool)
    if x1 is None and x2 is None:
        return tuple(Tensor._from_array(i) for i in np.nonzero(mask))
    if x1 is None or x2 is None:
        raise ValueError(
            "`where` needs both `x1` and `x2`, or neither (to get the indices "
            f"where `condition` holds). Received: x1={x1!r}, x2={x2!r}."
        )
    a, b = value_of(x1), value_of(x2)
    return record(
        np.where(mask, a, b),
        (x1, lambda g: unbroadcast(np.where(mask, g, 0), np.shape(a))),
        (x2, lambda g: unbroadcast(np.where(mask, 0, g), np.shape(b))),
    )


# --- Matrix product ---


@export("nanokeras.ops.matmul")
@dispatch.add_dispatch_support
def matmul(x1: Any, x2: Any) -> Tensor:
    """Matrix product with numpy's rules (1-D operands, batched leading axes).

    For `out = a @ b`: `grad_a = g @ b^T` and `grad_b = a^T @ g`.
    """
    a, b = value_of(x1), value_of(x2)
    try:
        out = np.matmul(a, b)
    except ValueError:
        raise ValueError(
            f"`matmul` cannot multiply shapes {np.shape(a)} and {np.shape(b)}: the "
            "last axis of `x1` must have the size of the second-to-last axis of "
            "`x2` (of its only axis if 1-D)."
        ) from None
    if a.ndim == 2 and b.ndim == 2:  # the common case, kept short and fast
        return record(out, (x1, lambda g: g @ b.T), (x2, lambda g: a.T @ g))
    # 1-D operands are promoted to matrices and the promoted axis removed again.
    a2 = a[None, :] if a.ndim == 1 else a
    b2 = b[:, None] if b.ndim == 1 else b

    def promoted(g):
        # Restore b's column axis first, then a's row axis: for 1-D @ 1-D the
        # scalar gradient becomes (1,) and then (1, 1), the promoted output.
        g = np.asarray(g)
        if b.ndim == 1:
            g = np.expand_dims(g, -1)
        if a.ndim == 1:
            g = np.expand_dims(g, -2)
        return g

    def grad_a(g):
        grad = promoted(g) @ np.swapaxes(b2, -1, -2)
        return unbroadcast(grad, a2.shape).reshape(a.shape)

    def grad_b(g):
        grad = np.swapaxes(a2, -1, -2) @ promoted(g)
        return unbroadcast(grad, b2.shape).reshape(b.shape)

    return record(out, (x1, grad_a), (x2, grad_b))


# --- Reductions ---


def _expand_reduced(
    g: np.ndarray, input_shape: tuple, axes: tuple | None, keepdims: bool
):
    """Put back the reduced axes of `g` (size 1) so it broadcasts over the input."""
    if keepdims:
        return g
    # A reshape, not np.expand_dims: same result, a fraction of the overhead.
    if axes is None:
        return np.reshape(g, (1,) * len(input_shape))
    kept = tuple(1 if i in axes else size for i, size in enumerate(input_shape))
    return np.reshape(g, kept)


@export("nanokeras.ops.sum")
@dispatch.add_dispatch_support
def sum(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """Sum over `axis` (all axes by default); every input gets `g` unchanged."""
    a = value_of(x)
    axes = normalize_axis(axis, np.ndim(a))
    return record(
        np.sum(a, axis=axes, keepdims=keepdims),
        (
            x,
            lambda g: np.broadcast_to(
                _expand_reduced(g, a.shape, axes, keepdims), a.shape
            ),
        ),
    )


@export("nanokeras.ops.mean")
@dispatch.add_dispatch_support
def mean(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """Mean over `axis`; every input gets `g / count`."""
    a = value_of(x)
    axes = normalize_axis(axis, np.ndim(a))
    count = a.size if axes is None else math.prod(a.shape[i] for i in axes)
    out = np.mean(a, axis=axes, keepdims=keepdims)
    if a.dtype.kind == "f":
        out = out.astype(a.dtype, copy=False)

    def vjp(g):
        expanded = _expand_reduced(g, a.shape, axes, keepdims) / count
        return np.broadcast_to(expanded, a.shape).astype(a.dtype, copy=False)

    return record(out, (x, vjp))


def _extremum(x: Any, axis: Any, keepdims: bool, reduce, initial: Any) -> Tensor:
    """max/min: the gradient is shared equally among the positions that won."""
    a = value_of(x)
    axes = normalize_axis(axis, np.ndim(a))
    # `initial` takes part in the comparison (numpy's meaning); when it wins,
    # no element did and that output's gradient is zero.
    extra = {} if initial is None else {"initial": initial}
    out = reduce(a, axis=axes, keepdims=keepdims, **extra)

    def vjp(g):
        winner = reduce(a, axis=axes, keepdims=True, **extra)
        mask = a == winner
        ties = np.maximum(mask.sum(axis=axes, keepdims=True), 1)
        return mask * (_expand_reduced(g, a.shape, axes, keepdims) / ties)

    return record(np.asarray(out), (x, vjp))


@export("nanokeras.ops.max")
@dispatch.add_dispatch_support
def max(
    x: Any, axis: Any = None, keepdims: bool = False, initial: Any = None
) -> Tensor:
    """Largest value over `axis` (and `initial`, when given)."""
    return _extremum(x, axis, keepdims, np.max, initial)


@export("nanokeras.ops.min")
@dispatch.add_dispatch_support
def min(
    x: Any, axis: Any = None, keepdims: bool = False, initial: Any = None
) -> Tensor:
    """Smallest value over `axis` (and `initial`, when given)."""
    return _extremum(x, axis, keepdims, np.min, initial)


@export("nanokeras.ops.logsumexp")
@dispatch.add_dispatch_support
def logsumexp(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """`log(sum(exp(x)))` computed without overflow; d/dx = softmax(x)."""
    a = value_of(x)
    axes = normalize_axis(axis, np.ndim(a))
    shift = np.max(a, axis=axes, keepdims=True)
    shift = np.where(np.isfinite(shift), shift, 0)
    exps = np.exp(a - shift)
    sums = np.sum(exps, axis=axes, keepdims=True)
    total = np.log(sums) + shift
    out = total if keepdims else np.squeeze(total, axis=axes)

    def vjp(g):
        # softmax from the shifted exponentials, not `exp(a - total)`: `total`
        # is rounded to the dtype, so equal inputs of 1000 would get
        # 0.4999855 each instead of exactly 0.5 (and 1e30 would get 1 each).
        return _expand_reduced(g, a.shape, axes, keepdims) * (exps / sums)

    return record(np.asarray(out), (x, vjp))


# --- Not differentiable: comparisons, rounding, casts and index ops ---


def _constant(value: np.ndarray) -> Tensor:
    return Tensor._from_array(np.asarray(value))


@export("nanokeras.ops.any")
@dispatch.add_dispatch_support
def any(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """Whether any entry along `axis` is true (nonzero)."""
    a = value_of(x)
    return _constant(
        np.any(a, axis=normalize_axis(axis, np.ndim(a)), keepdims=keepdims)
    )


@export("nanokeras.ops.all")
@dispatch.add_dispatch_support
def all(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """Whether every entry along `axis` is true (nonzero)."""
    a = value_of(x)
    return _constant(
        np.all(a, axis=normalize_axis(axis, np.ndim(a)), keepdims=keepdims)
    )


@export("nanokeras.ops.equal")
@dispatch.add_dispatch_support
def equal(x1: Any, x2: Any) -> Tensor:
    return _constant(np.equal(value_of(x1), value_of(x2)))


@export("nanokeras.ops.not_equal")
@dispatch.add_dispatch_support
def not_equal(x1: Any, x2: Any) -> Tensor:
    return _constant(np.not_equal(value_of(x1), value_of(x2)))


@export("nanokeras.ops.less")
@dispatch.add_dispatch_support
def less(x1: Any, x2: Any) -> Tensor:
    return _constant(np.less(value_of(x1), value_of(x2)))


@export("nanokeras.ops.less_equal")
@dispatch.add_dispatch_support
def less_equal(x1: Any, x2: Any) -> Tensor:
    return _constant(np.less_equal(value_of(x1), value_of(x2)))


@export("nanokeras.ops.greater")
@dispatch.add_dispatch_support
def greater(x1: Any, x2: Any) -> Tensor:
    return _constant(np.greater(value_of(x1), value_of(x2)))


@export("nanokeras.ops.greater_equal")
@dispatch.add_dispatch_support
def greater_equal(x1: Any, x2: Any) -> Tensor:
    return _constant(np.greater_equal(value_of(x1), value_of(x2)))


@export("nanokeras.ops.floor_divide")
@dispatch.add_dispatch_support
def floor_divide(x1: Any, x2: Any) -> Tensor:
    """`x1 // x2` (piecewise constant: no gradient, as in TensorFlow)."""
    return _constant(np.floor_divide(value_of(x1), value_of(x2)))


@export("nanokeras.ops.mod")
@dispatch.add_dispatch_support
def mod(x1: Any, x2: Any) -> Tensor:
    """`x1 mod x2` (the sign of `x2`), differentiable as in TF and JAX.

    `mod(x1, x2) = x1 - floor(x1 / x2) * x2`, and the floor is flat almost
    everywhere: d/dx1 = 1 and d/dx2 = -floor(x1 / x2).
    """
    a, b = value_of(x1), value_of(x2)
    return record(
        elementwise(np.mod, "mod", a, b),
        (x1, lambda g: unbroadcast(g, np.shape(a))),
        (x2, lambda g: unbroadcast(-g * np.floor_divide(a, b), np.shape(b))),
    )


@export("nanokeras.ops.sign")
@dispatch.add_dispatch_support
def sign(x: Any) -> Tensor:
    return _constant(np.sign(value_of(x)))


@export("nanokeras.ops.round")
@dispatch.add_dispatch_support
def round(x: Any, decimals: int = 0) -> Tensor:
    return _constant(np.round(value_of(x), decimals))


@export("nanokeras.ops.argmax")
@dispatch.add_dispatch_support
def argmax(x: Any, axis: int | None = None, keepdims: bool = False) -> Tensor:
    return _constant(
        np.argmax(value_of(x), axis=axis, keepdims=keepdims).astype("int32")
    )


@export("nanokeras.ops.argmin")
@dispatch.add_dispatch_support
def argmin(x: Any, axis: int | None = None, keepdims: bool = False) -> Tensor:
    return _constant(
        np.argmin(value_of(x), axis=axis, keepdims=keepdims).astype("int32")
    )


@export("nanokeras.ops.cast")
@dispatch.add_dispatch_support
def cast(x: Any, dtype: Any) -> Tensor:
    """Convert to `dtype`. Float-to-float casts pass the gradient through."""
    a = value_of(x)
    out = np.asarray(a).astype(dtype)
    if not np.issubdtype(out.dtype, np.floating):
        return _constant(out)
    source_dtype = np.asarray(a).dtype
    return record(out, (x, lambda g: g.astype(source_dtype, copy=False)))
