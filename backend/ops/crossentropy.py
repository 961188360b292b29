"""Crossentropy ops, fused and numerically stable, each with its gradient.

Mirrors: tensorflow/python/ops/nn_impl.py + nn_ops.py
(`sigmoid_cross_entropy_with_logits`, `softmax_cross_entropy_with_logits`,
used by tf.keras 2.6's `backend.*_crossentropy`); keras/src/ops/nn.py (Keras 3).
Stand-in, not Keras code.

Why fused: written as separate ops, `-sum(t * log(softmax(x)))` would divide by
a probability in its gradient, and a probability can round to exactly 0 for a
confident logit. One op sees the whole formula and uses its short gradient,
`softmax(x) - t`, which is always finite; the forward pass uses log-sum-exp,
so a logit of 1e4 gives a loss of about 1e4, not `inf`. Probabilities
(`from_logits=False`) are clipped to `[epsilon, 1 - epsilon]` first, as Keras
does, so their loss is finite too.
"""

from typing import Any

import numpy as np

from api_export import export
from backend import config
from backend.ops import dispatch
from backend.ops.core import record, value_of
from backend.tensor import Tensor


def _float_array(x: Any) -> np.ndarray:
    a = np.asarray(value_of(x))
    return a if a.dtype.kind == "f" else a.astype(config.floatx())


def _check_same_shape(name: str, t: np.ndarray, x: np.ndarray) -> None:
    if t.shape != x.shape:
        raise ValueError(
            f"`{name}` needs `target` and `output` of the same shape. Received: "
            f"target.shape={t.shape}, output.shape={x.shape}. One-hot encode "
            "integer labels, or use `sparse_categorical_crossentropy`."
        )


def _stable_sigmoid(x: np.ndarray) -> np.ndarray:
    """`1 / (1 + exp(-x))` from `exp(-|x|)`, which cannot overflow."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


@export("nanokeras.ops.binary_crossentropy")
@dispatch.add_dispatch_support
def binary_crossentropy(target: Any, output: Any, from_logits: bool = False) -> Tensor:
    """Elementwise `-(t log p + (1 - t) log(1 - p))`, `p = sigmoid(output)` for logits.

    For logits it is computed as `max(x, 0) - x t + log(1 + exp(-|x|))`, whose
    gradient is `sigmoid(x) - t`.
    """
    t, x = _float_array(target), _float_array(output)
    _check_same_shape("binary_crossentropy", t, x)
    if from_logits:
        out = np.maximum(x, 0) - x * t + np.log1p(np.exp(-np.abs(x)))
        return record(
            out,
            (output, lambda g: g * (_stable_sigmoid(x) - t)),
            (target, lambda g: g * -x),
        )
    eps = config.epsilon()
    p = np.clip(x, eps, 1.0 - eps)
    inside = (x >= eps) & (x <= 1.0 - eps)  # clipped entries get no gradient
    log_p, log_not_p = np.log(p), np.log(1.0 - p)
    return record(
        -(t * log_p + (1.0 - t) * log_not_p),
        (output, lambda g: g * inside * (p - t) / (p * (1.0 - p))),
        (target, lambda g: g * (log_not_p - log_p)),
    )


@export("nanokeras.ops.categorical_crossentropy")
@dispatch.add_dispatch_support
def categorical_crossentropy(
    target: Any, output: Any, from_logits: bool = False, axis: int = -1
) -> Tensor:
    """`-sum(t * log(p), axis)` for one-hot (or soft) targets.

    For logits, `log(p)` is a log-softmax (log-sum-exp) and the gradient is
    `softmax(x) * sum(t) - t`. Probabilities are first divided by their sum
    along `axis`, then clipped, as in Keras.
    """
    t, x = _float_array(target), _float_array(output)
    _check_same_shape("categorical_crossentropy", t, x)
    if x.ndim < 1:
        raise ValueError("`categorical_crossentropy` needs tensors of rank >= 1.")
    if from_logits:
        shifted = x - np.max(x, axis=axis, keepdims=True)
        log_prob = shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))

        def logits_grad(g):
            g = np.expand_dims(g, axis)
            label_mass = np.sum(t, axis=axis, keepdims=True)  # 1 for one-hot targets
            return g * (np.exp(log_prob) * label_mass - t)

        return record(
            -np.sum(t * log_prob, axis=axis),
            (output, logits_grad),
            (target, lambda g: -np.expand_dims(g, axis) * log_prob),
        )
    eps = config.epsilon()
    total = np.sum(x, axis=axis, keepdims=True)
    q = x / total
    p = np.clip(q, eps, 1.0 - eps)
    inside = (q >= eps) & (q <= 1.0 - eps)
    log_p = np.log(p)

    def probs_grad(g):
        dq = -np.expand_dims(g, axis) * t * inside / p
        # Through q = x / sum(x): dx = (dq - sum(dq * q)) / sum(x).
        return (dq - np.sum(dq * q, axis=axis, keepdims=True)) / total

    return record(
        -np.sum(t * log_p, axis=axis),
        (output, probs_grad),
        (target, lambda g: -np.expand_dims(g, axis) * log_p),
    )


@export("nanokeras.ops.sparse_categorical_crossentropy")
@dispatch.add_dispatch_support
def sparse_categorical_crossentropy(
    target: Any, output: Any, from_logits: bool = False, axis: int = -1
) -> Tensor:
    """`-log(p[target])` along `axis`, for integer class indices.

    The one-hot matrix is never built: the loss picks one log-probability per
    sample, and the gradient is `softmax(x)` with 1 subtracted at the label.
    """
    x = _float_array(output)
    labels = np.asarray(value_of(target))
    if x.ndim < 1:
        raise ValueError(
            "`sparse_categorical_crossentropy` needs `output` of rank >= 1."
        )
    if labels.ndim == x.ndim and labels.shape[axis] == 1:
        labels = np.squeeze(labels, axis=axis)
    expected = x.shape[: axis % x.ndim] + x.shape[axis % x.ndim + 1 :]
    if labels.shape != expected:
        raise ValueError(
            "`sparse_categorical_crossentropy` needs integer labels of the output's "
            f"shape without the class axis, {expected}. Received: "
            f"target.shape={labels.shape}, output.shape={x.shape}."
        )
    labels = labels.astype(np.intp)
    num_classes = x.shape[axis]
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(
            "`sparse_categorical_crossentropy` received a label outside "
            f"[0, {num_classes}): labels range from {labels.min()} to {labels.max()}. "
            f"Labels must be class indices for the {num_classes} classes."
        )
    # Work on a (samples, classes) view: one fancy index picks each sample's
    # entry, which is much cheaper than take_along_axis on a general axis.
    last = axis % x.ndim == x.ndim - 1
    moved = x if last else np.moveaxis(x, axis, -1)
    flat = moved.reshape(-1, num_classes)
    rows, flat_labels = np.arange(len(flat)), labels.reshape(-1)

    def to_output_layout(grad_flat):
        grad = grad_flat.reshape(moved.shape)
        return grad if last else np.moveaxis(grad, -1, axis)

    if from_logits:
        shifted = flat - flat.max(axis=-1, keepdims=True)
        log_total = np.log(np.exp(shifted).sum(axis=-1))
        out = (log_total - shifted[rows, flat_labels]).reshape(labels.shape)

        def logits_grad(g):
            g = np.reshape(g, (-1, 1))
            grad = np.exp(shifted - log_total[:, None])  # softmax ...
            grad[rows, flat_labels] -= 1.0  # ... minus the one-hot label
            grad *= g
            return to_output_layout(grad)

        return record(out, (output, logits_grad))
    eps = config.epsilon()
    total = flat.sum(axis=-1)
    picked_q = flat[rows, flat_labels] / total
    picked_p = np.clip(picked_q, eps, 1.0 - eps)
    inside = (picked_q >= eps) & (picked_q <= 1.0 - eps)

    def probs_grad(g):
        d_picked = -np.reshape(g, -1) * inside / picked_p
        # Through q = x / sum(x): dx_j = (dq_j - sum_k dq_k q_k) / sum(x), where
        # only the label's dq is non-zero.
        grad = np.repeat((-d_picked * picked_q)[:, None], num_classes, axis=1)
        grad[rows, flat_labels] += d_picked
        grad /= total[:, None]
        return to_output_layout(grad)

    out = -np.log(picked_p).reshape(labels.shape)
    return record(out, (output, probs_grad))
