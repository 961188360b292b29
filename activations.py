"""Activation functions by name: `activation="relu"` resolves here.

Mirrors: keras/activations.py (tf.keras 2.6), keras/src/activations/activations.py
(Keras 3)

Each activation is a thin function over a differentiable op of
`backend/ops/nn.py` (where the maths and its gradient live); this module adds
Keras's names, defaults and extra arguments, and `get` / `serialize` /
`deserialize`, which layers use to accept `activation="relu"`, a function, or
None (meaning `linear`).
"""

from typing import Any, Callable

import numpy as np

from api_export import export
from backend.ops import array as array_ops
from backend.ops import math as math_ops
from backend.ops import nn
from backend.ops.core import record, value_of
from backend.tensor import Tensor
from saving import serialization_lib


@export("nanokeras.activations.relu")
def relu(
    x: Any,
    negative_slope: float = 0.0,
    max_value: float | None = None,
    threshold: float = 0.0,
) -> Tensor:
    """Rectified linear unit: `max(x, 0)`, with optional leak, cap and threshold.

    Args:
        x: Input tensor.
        negative_slope: Slope below `threshold` (0 gives the plain ReLU).
        max_value: Upper limit of the output, or None.
        threshold: Values below it are damped (`negative_slope * (x - threshold)`).
    """
    if negative_slope != 0.0 and max_value is None and threshold == 0.0:
        return nn.leaky_relu(x, negative_slope=negative_slope)
    # Keras's composition, kept step for step so the edge cases agree: keep
    # `x` above the threshold, clip to `[0, max_value]`, then subtract the
    # leak of the part below the threshold.
    if threshold != 0.0:
        above = math_ops.greater(x, threshold)
        out = math_ops.multiply(x, math_ops.cast(above, _dtype_of(x)))
    else:
        out = nn.relu(x)
    if max_value is not None:
        out = math_ops.clip(out, 0.0, max_value)
    if negative_slope != 0.0:
        below = nn.relu(math_ops.subtract(threshold, x))
        out = math_ops.subtract(out, math_ops.multiply(negative_slope, below))
    return out


def _dtype_of(x: Any) -> str:
    return x.dtype if hasattr(x, "dtype") else "float32"


@export("nanokeras.activations.leaky_relu")
def leaky_relu(x: Any, negative_slope: float = 0.2) -> Tensor:
    """`x` for `x >= 0`, else `negative_slope * x`."""
    return nn.leaky_relu(x, negative_slope=negative_slope)


@export("nanokeras.activations.relu6")
def relu6(x: Any) -> Tensor:
    """`min(max(x, 0), 6)`."""
    return nn.relu6(x)


@export("nanokeras.activations.elu")
def elu(x: Any, alpha: float = 1.0) -> Tensor:
    """`x` for `x > 0`, else `alpha * (exp(x) - 1)`."""
    return nn.elu(x, alpha=alpha)


@export("nanokeras.activations.selu")
def selu(x: Any) -> Tensor:
    """Scaled ELU with the self-normalising constants."""
    return nn.selu(x)


@export("nanokeras.activations.gelu")
def gelu(x: Any, approximate: bool = False) -> Tensor:
    """`x * Phi(x)`; exact by default here, as in Keras's `activations.gelu`."""
    return nn.gelu(x, approximate=approximate)


@export("nanokeras.activations.sigmoid")
def sigmoid(x: Any) -> Tensor:
    """`1 / (1 + exp(-x))`."""
    return nn.sigmoid(x)


@export("nanokeras.activations.hard_sigmoid")
def hard_sigmoid(x: Any) -> Tensor:
    """A piecewise-linear sigmoid: `clip(x / 6 + 0.5, 0, 1)`."""
    return nn.hard_sigmoid(x)


@export("nanokeras.activations.hard_silu", "nanokeras.activations.hard_swish")
def hard_silu(x: Any) -> Tensor:
    """`x * hard_sigmoid(x)`."""
    return nn.hard_silu(x)


@export("nanokeras.activations.silu", "nanokeras.activations.swish")
def silu(x: Any) -> Tensor:
    """`x * sigmoid(x)`."""
    return nn.silu(x)


@export("nanokeras.activations.tanh")
def tanh(x: Any) -> Tensor:
    """Hyperbolic tangent."""
    return nn.tanh(x)


@export("nanokeras.activations.softplus")
def softplus(x: Any) -> Tensor:
    """`log(1 + exp(x))`, computed without overflow."""
    return nn.softplus(x)


@export("nanokeras.activations.softsign")
def softsign(x: Any) -> Tensor:
    """`x / (1 + |x|)`."""
    return nn.softsign(x)


@export("nanokeras.activations.mish")
def mish(x: Any) -> Tensor:
    """`x * tanh(softplus(x))`."""
    return math_ops.multiply(x, nn.tanh(nn.softplus(x)))


@export("nanokeras.activations.exponential")
def exponential(x: Any) -> Tensor:
    """`exp(x)`."""
    return math_ops.exp(x)


@export("nanokeras.activations.softmax")
def softmax(x: Any, axis: int = -1) -> Tensor:
    """`exp(x) / sum(exp(x))` along `axis`: each slice becomes probabilities."""
    return nn.softmax(x, axis=axis)


@export("nanokeras.activations.log_softmax")
def log_softmax(x: Any, axis: int = -1) -> Tensor:
    """`log(softmax(x))`, computed stably."""
    return nn.log_softmax(x, axis=axis)


@export("nanokeras.activations.linear")
def linear(x: Any) -> Any:
    """The identity: returns `x` unchanged (what `activation=None` means)."""
    return x


# --- Keras 3's newer activations, composed from differentiable ops ---


@export("nanokeras.activations.celu")
def celu(x: Any, alpha: float = 1.0) -> Tensor:
    """Continuously differentiable ELU: `max(x, 0) + alpha * expm1(min(x, 0)/alpha)`."""
    negative = math_ops.divide(math_ops.minimum(x, 0.0), alpha)
    return math_ops.add(
        math_ops.maximum(x, 0.0),
        math_ops.multiply(alpha, math_ops.subtract(math_ops.exp(negative), 1.0)),
    )


@export("nanokeras.activations.glu")
def glu(x: Any, axis: int = -1) -> Tensor:
    """Gated linear unit: split `x` in halves `a, b` along `axis`, `a * sigmoid(b)`."""
    shape = np.shape(value_of(x))
    axis = axis % len(shape)
    if shape[axis] % 2:
        raise ValueError(
            "glu needs an even size along `axis` to split it in two halves. "
            f"Received: x.shape={shape}, axis={axis}."
        )
    half = shape[axis] // 2
    lead = (slice(None),) * axis
    first = array_ops.getitem(x, lead + (slice(None, half),))
    second = array_ops.getitem(x, lead + (slice(half, None),))
    return math_ops.multiply(first, nn.sigmoid(second))


@export("nanokeras.activations.hard_shrink")
def hard_shrink(x: Any, threshold: float = 0.5) -> Tensor:
    """`x` where `|x| > threshold`, else 0."""
    return math_ops.where(math_ops.greater(math_ops.abs(x), threshold), x, 0.0)


@export("nanokeras.activations.hard_tanh")
def hard_tanh(x: Any) -> Tensor:
    """A piecewise-linear tanh: `clip(x, -1, 1)`."""
    return math_ops.clip(x, -1.0, 1.0)


@export("nanokeras.activations.log_sigmoid")
def log_sigmoid(x: Any) -> Tensor:
    """`log(sigmoid(x)) = -softplus(-x)`, computed without overflow."""
    return math_ops.negative(nn.softplus(math_ops.negative(x)))


@export("nanokeras.activations.soft_shrink")
def soft_shrink(x: Any, threshold: float = 0.5) -> Tensor:
    """Moves `x` toward 0 by `threshold`, and to 0 inside `[-threshold, threshold]`."""
    inner = math_ops.where(
        math_ops.less(x, -threshold), math_ops.add(x, threshold), 0.0
    )
    return math_ops.where(
        math_ops.greater(x, threshold), math_ops.subtract(x, threshold), inner
    )


@export("nanokeras.activations.sparse_plus")
def sparse_plus(x: Any) -> Tensor:
    """0 below -1, `x` above 1, `(x + 1)**2 / 4` between: a sparse softplus."""
    between = math_ops.divide(math_ops.square(math_ops.add(x, 1.0)), 4.0)
    upper = math_ops.where(math_ops.greater_equal(x, 1.0), x, between)
    return math_ops.where(math_ops.less_equal(x, -1.0), 0.0, upper)


@export("nanokeras.activations.sparse_sigmoid")
def sparse_sigmoid(x: Any) -> Tensor:
    """0 below -1, 1 above 1, `(x + 1) / 2` between: a sparse sigmoid."""
    between = math_ops.multiply(0.5, math_ops.add(x, 1.0))
    upper = math_ops.where(math_ops.greater_equal(x, 1.0), 1.0, between)
    return math_ops.where(math_ops.less_equal(x, -1.0), 0.0, upper)


@export("nanokeras.activations.sparsemax")
def sparsemax(x: Any, axis: int = -1) -> Tensor:
    """Euclidean projection of `x` onto the probability simplex along `axis`.

    Like softmax, each slice sums to 1, but small entries become exactly 0.
    Differs from Keras 3.15, whose threshold sums all kept partial sums (its
    slices do not sum to 1 when more than one entry is kept).
    """
    a = np.moveaxis(np.asarray(value_of(x)), axis, -1)
    z = a - a.max(axis=-1, keepdims=True)
    ordered = -np.sort(-z, axis=-1)
    cumulative = np.cumsum(ordered, axis=-1)
    ranks = np.arange(1, z.shape[-1] + 1, dtype=z.dtype)
    support = (1 + ranks * ordered > cumulative).sum(axis=-1, keepdims=True)
    tau = (np.take_along_axis(cumulative, support - 1, axis=-1) - 1) / support
    out = np.maximum(z - tau, 0).astype(a.dtype)
    kept = out > 0

    def vjp(g):
        g = np.moveaxis(g, axis, -1) * kept
        mean = g.sum(axis=-1, keepdims=True) / kept.sum(axis=-1, keepdims=True)
        return np.moveaxis((g - mean) * kept, -1, axis)

    return record(np.moveaxis(out, -1, axis), (x, vjp))


@export("nanokeras.activations.squareplus")
def squareplus(x: Any, b: float = 4) -> Tensor:
    """`(x + sqrt(x**2 + b)) / 2`: a smooth ReLU without exponentials."""
    root = math_ops.sqrt(math_ops.add(math_ops.square(x), b))
    return math_ops.divide(math_ops.add(x, root), 2.0)


@export("nanokeras.activations.tanh_shrink")
def tanh_shrink(x: Any) -> Tensor:
    """`x - tanh(x)`."""
    return math_ops.subtract(x, nn.tanh(x))


@export("nanokeras.activations.threshold")
def threshold(x: Any, threshold: float, default_value: float) -> Tensor:
    """`x` where `x > threshold`, else `default_value`."""
    return math_ops.where(math_ops.greater(x, threshold), x, default_value)


_BY_NAME: dict[str, Callable] = {
    path.rpartition(".")[2]: function
    for function in (
        relu,
        leaky_relu,
        relu6,
        elu,
        selu,
        gelu,
        sigmoid,
        hard_sigmoid,
        hard_silu,
        silu,
        tanh,
        softplus,
        softsign,
        mish,
        exponential,
        softmax,
        log_softmax,
        linear,
        celu,
        glu,
        hard_shrink,
        hard_tanh,
        log_sigmoid,
        soft_shrink,
        sparse_plus,
        sparse_sigmoid,
        sparsemax,
        squareplus,
        tanh_shrink,
        threshold,
    )  # fmt: skip
    for path in function._api_names
}


@export("nanokeras.activations.serialize")
def serialize(activation: Callable) -> str | dict:
    """A built-in activation's name; Keras 3's serialized dict for anything else."""
    config = serialization_lib.serialize_keras_object(activation)
    if (
        isinstance(config, dict)
        and config.get("class_name") == "function"
        and _BY_NAME.get(config["config"]) is activation
    ):
        return config["config"]
    return config


@export("nanokeras.activations.deserialize")
def deserialize(config: Any, custom_objects: dict | None = None) -> Callable:
    """The activation `config` names: a built-in, registered or custom one.

    `config` is a name, or a serialized dict (Keras 3's
    `{"class_name": "function", "config": "relu", ...}` too).
    """
    return serialization_lib.deserialize_module_object(
        config, _BY_NAME, custom_objects, "activation function"
    )


@export("nanokeras.activations.get")
def get(identifier: Any) -> Callable:
    """An activation from None (`linear`), a name, a config dict or a callable.

    Example:

    >>> get("relu") is relu
    True
    >>> get(None) is linear
    True
    """
    if identifier is None:
        return linear
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise TypeError(
        f"Could not interpret activation function identifier: {identifier!r} "
        f"(of type {type(identifier).__name__}). Pass a name such as 'relu', a "
        "function, or None."
    )
