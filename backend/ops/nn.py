"""Activations, softmax, moments and normalisation, each with its gradient.

Mirrors: tensorflow/python/ops/nn_ops.py + nn_grad.py (tf.keras 2.6's
backend); keras/src/ops/nn.py (Keras 3). Stand-in, not Keras code.

Same pattern as `backend/ops/math.py`: compute the output with numpy, then
`record` it with one vjp per input. Most vjps reuse the forward output
(`sigmoid`: `g * s * (1 - s)`), so the backward pass costs one or two
elementwise products and never recomputes an exponential it already has.

Numerical care: `sigmoid` and `softplus` never evaluate `exp` of a large
positive number, and `softmax` / `log_softmax` subtract the maximum first, so
no input overflows to `inf` or `nan`.
"""

import math
from typing import Any

import numpy as np

from api_export import export
from backend import config
from backend.ops import array as array_ops
from backend.ops import dispatch
from backend.ops import math as math_ops
from backend.ops.core import normalize_axis, record, value_of
from backend.tensor import Tensor, TensorLike

# Python floats, not numpy scalars: numpy treats Python numbers as "weak", so
# `float32_array * _SQRT_2_OVER_PI` stays float32 instead of becoming float64.
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_INV_SQRT_2 = 1.0 / math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _float_value(x: Any) -> np.ndarray:
    """The array of `x`, as floats: ints, bools and Python numbers become `floatx()`."""
    a = value_of(x)
    if isinstance(a, np.ndarray) and a.dtype.kind == "f":
        return a
    return np.asarray(a, dtype=config.floatx())


# --- Piecewise-linear activations: the gradient is a 0/1 (or slope) mask ---


@export("nanokeras.ops.relu")
@dispatch.add_dispatch_support
def relu(x: Any) -> Tensor:
    """`max(x, 0)`; the gradient passes where `x > 0`."""
    a = _float_value(x)
    return record(np.maximum(a, 0), (x, lambda g: g * (a > 0)))


@export("nanokeras.ops.relu6")
@dispatch.add_dispatch_support
def relu6(x: Any) -> Tensor:
    """`min(max(x, 0), 6)`; the gradient passes where `0 < x < 6`."""
    a = _float_value(x)
    return record(np.clip(a, 0, 6), (x, lambda g: g * ((a > 0) & (a < 6))))


@export("nanokeras.ops.leaky_relu")
@dispatch.add_dispatch_support
def leaky_relu(x: Any, negative_slope: float = 0.2) -> Tensor:
    """`x` where `x >= 0`, else `negative_slope * x`."""
    a = _float_value(x)
    positive = a > 0
    return record(
        np.where(positive, a, negative_slope * a),
        (x, lambda g: np.where(positive, g, negative_slope * g)),
    )


@export("nanokeras.ops.hard_sigmoid")
@dispatch.add_dispatch_support
def hard_sigmoid(x: Any) -> Tensor:
    """`relu6(x + 3) / 6`: a piecewise-linear sigmoid; slope 1/6 on `(-3, 3)`."""
    a = _float_value(x)
    return record(
        np.clip(a / 6 + 0.5, 0, 1),
        (x, lambda g: g * ((a > -3) & (a < 3)) / 6),
    )


@export("nanokeras.ops.hard_silu", "nanokeras.ops.hard_swish")
@dispatch.add_dispatch_support
def hard_silu(x: Any) -> Tensor:
    """`x * hard_sigmoid(x)`; d/dx = hard_sigmoid(x) + x/6 on `(-3, 3)`."""
    a = _float_value(x)
    gate = np.clip(a / 6 + 0.5, 0, 1)
    return record(
        a * gate,
        (x, lambda g: g * (gate + a * ((a > -3) & (a < 3)) / 6)),
    )


# --- Smooth activations ---


def _stable_sigmoid(a: np.ndarray) -> np.ndarray:
    """`1 / (1 + e^-a)` without overflow: only `e^-|a|`, which is <= 1, is computed."""
    small = np.exp(-np.abs(a))
    return np.where(a >= 0, 1 / (1 + small), small / (1 + small))


@export("nanokeras.ops.sigmoid")
@dispatch.add_dispatch_support
def sigmoid(x: Any) -> Tensor:
    """`1 / (1 + e^-x)`; d/dx = s (1 - s)."""
    out = _stable_sigmoid(_float_value(x))
    return record(out, (x, lambda g: g * out * (1 - out)))


@export("nanokeras.ops.tanh")
@dispatch.add_dispatch_support
def tanh(x: Any) -> Tensor:
    """Hyperbolic tangent; d/dx = 1 - tanh(x)^2."""
    out = np.tanh(_float_value(x))
    return record(out, (x, lambda g: g * (1 - out * out)))


@export("nanokeras.ops.softplus")
@dispatch.add_dispatch_support
def softplus(x: Any) -> Tensor:
    """`log(1 + e^x)`, computed as `logaddexp(x, 0)` (no overflow); d/dx = sigmoid."""
    a = _float_value(x)
    return record(np.logaddexp(a, 0), (x, lambda g: g * _stable_sigmoid(a)))


@export("nanokeras.ops.softsign")
@dispatch.add_dispatch_support
def softsign(x: Any) -> Tensor:
    """`x / (1 + |x|)`; d/dx = 1 / (1 + |x|)^2."""
    a = _float_value(x)
    denominator = 1 + np.abs(a)
    return record(a / denominator, (x, lambda g: g / (denominator * denominator)))


@export("nanokeras.ops.silu", "nanokeras.ops.swish")
@dispatch.add_dispatch_support
def silu(x: Any) -> Tensor:
    """`x * sigmoid(x)`; d/dx = s + x s (1 - s)."""
    a = _float_value(x)
    s = _stable_sigmoid(a)
    return record(a * s, (x, lambda g: g * (s + a * s * (1 - s))))


def _elu_forward(a: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """ELU's output and its derivative, sharing one `exp`."""
    # Clamp before expm1 so large positive inputs (where the branch is unused)
    # don't overflow to inf and raise numpy warnings.
    exp_part = np.expm1(np.minimum(a, 0))
    positive = a > 0
    out = np.where(positive, a, alpha * exp_part)
    derivative = np.where(positive, 1, alpha * (exp_part + 1))
    return out, derivative.astype(a.dtype, copy=False)


@export("nanokeras.ops.elu")
@dispatch.add_dispatch_support
def elu(x: Any, alpha: float = 1.0) -> Tensor:
    """`x` where `x > 0`, else `alpha (e^x - 1)`; d/dx = `alpha e^x` below 0."""
    out, derivative = _elu_forward(_float_value(x), alpha)
    return record(out, (x, lambda g: g * derivative))


@export("nanokeras.ops.selu")
@dispatch.add_dispatch_support
def selu(x: Any) -> Tensor:
    """`scale * elu(x, alpha)` with the self-normalising constants of Klambauer+17."""
    out, derivative = _elu_forward(_float_value(x), _SELU_ALPHA)
    return record(_SELU_SCALE * out, (x, lambda g: g * (_SELU_SCALE * derivative)))


def _normal_cdf(x: np.ndarray) -> np.ndarray:
    """`Phi(x) = 0.5 erfc(-x / sqrt(2))`, in numpy alone, to double precision.

    numpy has no `erf` and nanokeras depends on numpy only. With `s = |x| /
    sqrt(2)`: below `s = 2.5` we sum the series `erf(s) = 2/sqrt(pi) e^-s^2
    sum_n (2 s^2)^n s / (2n+1)!!`, whose terms are all positive (no
    cancellation); above, `erfc(s)` comes from its continued fraction, which
    converges fast there. Working with `erfc` keeps the far-left tail, where
    `Phi` is tiny, accurate to the last digits.
    """
    s = np.abs(x) * _INV_SQRT_2
    erfc = np.empty_like(s)
    near = s < 2.5
    t = s[near]
    term, total = t.copy(), t.copy()
    for n in range(1, 50):
        term *= 2 * t * t / (2 * n + 1)
        total += term
    erfc[near] = 1 - (2 / math.sqrt(math.pi)) * np.exp(-t * t) * total
    t = s[~near]
    fraction = t.copy()  # erfc(t) = e^-t^2 / (sqrt(pi) (t + 1/2 / (t + 1 / ...)))
    for k in range(40, 0, -1):
        fraction = t + (k / 2) / fraction
    erfc[~near] = np.exp(-t * t) / (math.sqrt(math.pi) * fraction)
    return np.where(x < 0, 0.5 * erfc, 1 - 0.5 * erfc)


@export("nanokeras.ops.gelu")
@dispatch.add_dispatch_support
def gelu(x: Any, approximate: bool = True) -> Tensor:
    """`x * Phi(x)`, Phi the standard normal CDF (or its tanh approximation).

    Args:
        x: Input tensor.
        approximate: Use `0.5 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))` for
            `Phi`, as Keras does by default; `False` uses the exact `erf`.
    """
    a = _float_value(x)
    if approximate:
        inner = _SQRT_2_OVER_PI * (a + 0.044715 * a * a * a)
        t = np.tanh(inner)
        out = 0.5 * a * (1 + t)
        # d/dx = 0.5 (1 + t) + 0.5 x (1 - t^2) d(inner)/dx
        slope = _SQRT_2_OVER_PI * (1 + 3 * 0.044715 * a * a)
        derivative = 0.5 * (1 + t) + 0.5 * a * (1 - t * t) * slope
    else:
        cdf = _normal_cdf(a)
        out = a * cdf
        # d/dx = Phi(x) + x phi(x), phi the standard normal density.
        derivative = cdf + a * _INV_SQRT_2PI * np.exp(-0.5 * a * a)
    return record(out, (x, lambda g: g * derivative))


# --- Softmax family: normalise over `axis` ---


def _softmax_axes(a: np.ndarray, axis: Any, name: str) -> tuple:
    if a.ndim == 0:
        raise ValueError(
            f"`{name}` needs a tensor with at least one axis, got a scalar. "
            "Reshape it first, for example with `ops.reshape(x, (1,))`."
        )
    return normalize_axis(axis, a.ndim)


@export("nanokeras.ops.softmax")
@dispatch.add_dispatch_support
def softmax(x: Any, axis: Any = -1) -> Tensor:
    """`e^x / sum(e^x)` over `axis`, shifted by the max so `exp` can't overflow.

    For `s = softmax(x)`: `grad_x = s * (g - sum(g * s, axis))`.
    """
    a = _float_value(x)
    axes = _softmax_axes(a, axis, "softmax")
    # Array methods rather than np.max / np.sum: the same reductions without
    # the Python-level dispatch of the function wrappers (this op is hot).
    # Logits of opposite sign near the float limit overflow the subtraction
    # to -inf, whose exp is the right 0: no warning for a correct result.
    with np.errstate(over="ignore"):
        exps = np.exp(a - a.max(axis=axes, keepdims=True))
    out = exps / exps.sum(axis=axes, keepdims=True)

    def vjp(g):
        return out * (g - (g * out).sum(axis=axes, keepdims=True))

    return record(out, (x, vjp))


@export("nanokeras.ops.log_softmax")
@dispatch.add_dispatch_support
def log_softmax(x: Any, axis: Any = -1) -> Tensor:
    """`x - logsumexp(x)` over `axis`, computed with a max shift.

    For `out = log_softmax(x)`: `grad_x = g - softmax(x) * sum(g, axis)`.
    """
    a = _float_value(x)
    axes = _softmax_axes(a, axis, "log_softmax")
    with np.errstate(over="ignore"):  # as in softmax: -inf is the right limit
        shifted = a - a.max(axis=axes, keepdims=True)
    out = shifted - np.log(np.exp(shifted).sum(axis=axes, keepdims=True))

    def vjp(g):
        return g - np.exp(out) * g.sum(axis=axes, keepdims=True)

    return record(out, (x, vjp))


# --- Statistics ---


@export("nanokeras.ops.moments")
@dispatch.add_dispatch_support
def moments(
    x: Any, axes: Any, keepdims: bool = False, synchronized: bool = False
) -> tuple[Tensor, Tensor]:
    """Mean and variance of `x` over `axes`, as `BatchNormalization` needs them.

    Built from the differentiable `mean`, `subtract` and `square` ops, so the
    tape differentiates it without a vjp of its own. Unlike Keras's numpy
    backend (`E[x^2] - E[x]^2`), the variance is the mean squared deviation,
    which cannot come out negative.

    Args:
        x: Input tensor.
        axes: The axis or axes to reduce over.
        keepdims: Keep the reduced axes with size 1.
        synchronized: Accepted for Keras compatibility; only `False` (a single
            device) is meaningful here.

    Returns:
        The tuple `(mean, variance)`.
    """
    if synchronized:
        raise NotImplementedError(
            "`moments(synchronized=True)` needs several devices; nanokeras runs "
            "on one. Pass `synchronized=False`."
        )
    if not isinstance(x, TensorLike):
        x = _float_value(x)
    mean = math_ops.mean(x, axis=axes, keepdims=True)
    variance = math_ops.mean(
        math_ops.square(math_ops.subtract(x, mean)), axis=axes, keepdims=keepdims
    )
    if not keepdims:
        mean = array_ops.reshape(mean, variance.shape)
    return mean, variance


# --- Normalisation: the maths of the normalisation layers ---


def batch_normalization(
    x: Any, mean: Any, variance: Any, gamma: Any, beta: Any, epsilon: float
) -> Tensor:
    """`gamma * (x - mean) / sqrt(variance + epsilon) + beta`, from given statistics.

    The part of `tf.nn.batch_normalization` that `BatchNormalization` uses at
    inference, with its moving statistics; `gamma` and `beta` may be None.

    Written as `x * inv + (beta - mean * inv)` with `inv = gamma /
    sqrt(variance + epsilon)`: only two operations touch the full-size
    input, the rest work on the small statistics.
    """
    inv = math_ops.divide(1.0, math_ops.sqrt(math_ops.add(variance, epsilon)))
    if gamma is not None:
        inv = math_ops.multiply(inv, gamma)
    shift = math_ops.negative(math_ops.multiply(mean, inv))
    if beta is not None:
        shift = math_ops.add(shift, beta)
    return math_ops.add(math_ops.multiply(x, inv), shift)


def fused_normalization(
    x: Any, gamma: Any, beta: Any, axes: tuple, param_shape: tuple, epsilon: float
) -> tuple:
    """Normalise `x` over `axes` with its own statistics: ONE recorded op.

    The stand-in for `tf.nn.fused_batch_norm` (which returns the output and
    the batch statistics too), generalised to any `axes`, so that it serves
    `BatchNormalization` in training (`axes` = all but the
    features) and `LayerNormalization` (`axes` = the features). Composed of
    small ops, this would record ten full-size operations and their
    gradients; fused, it costs about what hand-written numpy does. With
    `xhat = (x - mean) * inv`, `inv = 1 / sqrt(variance + epsilon)` and
    `g_hat = g * gamma`, the gradients are `d_beta = sum(g)`, `d_gamma =
    sum(g * xhat)` (over the axes `gamma` is broadcast along) and
    `d_x = inv * (g_hat - mean(g_hat) - xhat * mean(g_hat * xhat))` (over
    `axes`): the statistics depend on every value, hence the two corrections.

    Args:
        x: Input tensor.
        gamma: Scale weight, or None.
        beta: Offset weight, or None.
        axes: The axes the statistics are taken over.
        param_shape: `gamma`'s shape with a 1 for every axis it is
            broadcast along (full rank).
        epsilon: Added to the variance.

    Returns:
        The output tensor, and the mean and variance (numpy arrays, kept dims;
        no gradient flows through them).
    """
    a = value_of(x)
    mean = a.mean(axis=axes, keepdims=True)
    xhat = a - mean
    variance = np.square(xhat).mean(axis=axes, keepdims=True)
    inv = 1.0 / np.sqrt(variance + epsilon)
    xhat *= inv  # in place: the centred copy becomes xhat
    scale = None if gamma is None else value_of(gamma).reshape(param_shape)
    out = xhat if scale is None else xhat * scale
    if beta is not None:
        out = out + value_of(beta).reshape(param_shape)
    elif scale is None:
        out = out.copy()  # `xhat` stays private to the vjps
    # Axes the weights are broadcast along: their gradients sum over them.
    param_axes = tuple(i for i, size in enumerate(param_shape) if size == 1)
    count = a.size // mean.size
    # The tape calls the vjps one after another with the same `g`: what they
    # share is computed once per `g`.
    last: list = [None, None]

    def sums(g):
        if last[0] is not g:
            d_beta = g.sum(axis=param_axes, keepdims=True)
            d_gamma = (g * xhat).sum(axis=param_axes, keepdims=True)
            last[:] = [g, (d_beta, d_gamma)]
        return last[1]

    def x_vjp(g):
        if param_axes == axes:  # batch norm: reuse the weight gradients
            d_beta, d_gamma = sums(g)
            factor = inv / count if scale is None else scale * inv / count
            return factor * (count * g - d_beta - xhat * d_gamma)
        g_hat = g if scale is None else g * scale
        return inv * (
            g_hat
            - g_hat.mean(axis=axes, keepdims=True)
            - xhat * (g_hat * xhat).mean(axis=axes, keepdims=True)
        )

    parents = [(x, x_vjp)]
    if gamma is not None:
        parents.append((gamma, lambda g: sums(g)[1].reshape(gamma.shape)))
    if beta is not None:
        parents.append((beta, lambda g: sums(g)[0].reshape(beta.shape)))
    return record(out, *parents), mean, variance


@export("nanokeras.ops.one_hot")
@dispatch.add_dispatch_support
def one_hot(
    x: Any, num_classes: int, axis: int = -1, dtype: Any = None, sparse: bool = False
) -> Tensor:
    """Integer class ids -> vectors with a 1 at the id (an id outside
    `[0, num_classes)` gives all zeros). A new axis of `num_classes` entries
    goes at `axis`; not differentiable (ids are not).

    Simplified: `sparse` only False (nanokeras tensors are dense).
    """
    if sparse:
        raise ValueError("`one_hot` with sparse=True: nanokeras tensors are dense.")
    ids = np.asarray(value_of(x))
    if ids.dtype.kind == "f":
        ids = ids.astype(np.int64)  # Keras casts float ids the same way
    if ids.dtype.kind not in "iu":
        raise TypeError(f"`one_hot` needs integer class ids, got dtype {ids.dtype}.")
    out = (ids[..., None] == np.arange(num_classes)).astype(dtype or config.floatx())
    if axis != -1:
        out = np.moveaxis(out, -1, axis)
    return Tensor._from_array(out)
