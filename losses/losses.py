"""Every built-in loss, as a plain function and as the class that wraps it.

Mirrors: keras/losses.py (tf.keras 2.6), keras/src/losses/losses.py (Keras 3)

A loss *function* such as `mean_squared_error` returns one value per sample;
`LossFunctionWrapper` turns it into a `Loss` (from `losses/loss.py`), which
adds the weighting by `sample_weight` and the reduction to a scalar.
`MeanSquaredError()` is that wrapper with the function fixed.

Everything is built from differentiable ops, so a `GradientTape` sees the
loss. The crossentropies call the fused ops of `backend/ops/crossentropy.py`,
which work on logits with the log-sum-exp trick, so a confident logit of 1e4
gives a finite loss and a finite gradient.

Simplified: `y_true`/`y_pred` are single tensors (nested structures are the
job of `LossesContainer`), and only the losses listed in `losses.get` exist.
"""

import math
from typing import Any, Callable

import numpy as np

from api_export import export
from backend import config
from backend.ops import crossentropy as crossentropy_ops
from backend.ops import math as math_ops
from backend.ops import nn as nn_ops
from backend.ops.core import value_of
from backend.tensor import Tensor, TensorLike, convert_to_tensor
from losses.loss import Loss
from saving import serialization_lib
from utils.losses_utils import (
    as_tensor,
    check_broadcastable,
    set_mask,
    squeeze_or_expand_to_same_rank,
)

# --- The wrapper: a function as a `Loss` ------------------------------------


@export("nanokeras.losses.LossFunctionWrapper")
class LossFunctionWrapper(Loss):
    """Adds to `Loss` a `call` that runs a plain loss function with fixed kwargs.

    This is how every built-in class is made: `MeanSquaredError()` is a
    wrapper around `mean_squared_error`. `y_true` and `y_pred` whose ranks
    differ by a trailing axis of size 1 are first brought to the same rank.

    Args:
        fn: A function `fn(y_true, y_pred, **kwargs)` returning per-sample
            losses.
        reduction: See `Loss`.
        name: See `Loss`.
        dtype: See `Loss`.
        **kwargs: Keyword arguments passed to `fn` on every call.
    """

    def __init__(
        self,
        fn: Callable,
        reduction: str | None = "sum_over_batch_size",
        name: str | None = None,
        dtype: Any = None,
        **kwargs: Any,
    ):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true: Tensor, y_pred: Tensor) -> Tensor:
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self) -> dict:
        """`Loss`'s config plus the function's kwargs, which every built-in
        subclass takes as its own arguments (`from_logits`, `delta`, ...).

        Only a wrapper made directly also records its function, by name: a
        subclass such as `Huber` always wraps the same one.
        """
        config = super().get_config()
        if type(self) is LossFunctionWrapper:
            config["fn"] = getattr(self.fn, "__name__", repr(self.fn))
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config: dict) -> "Loss":
        config = dict(config)
        if isinstance(config.get("fn"), str):
            config["fn"] = serialization_lib.deserialize_module_object(
                config["fn"],
                serialization_lib.exported_objects("nanokeras.losses"),
                None,
                "loss",
            )
        return cls(**config)

    def __repr__(self) -> str:
        return f"<LossFunctionWrapper({self.fn}, kwargs={self._fn_kwargs})>"


def _check_same_shape(loss_name: str, y_true: Any, y_pred: Any) -> None:
    if tuple(y_true.shape) != tuple(y_pred.shape):
        raise ValueError(
            f"Loss '{loss_name}' needs `y_true` and `y_pred` of the same shape. "
            f"Received: y_true.shape={tuple(y_true.shape)}, "
            f"y_pred.shape={tuple(y_pred.shape)}. One-hot encode the labels, or "
            "use 'sparse_categorical_crossentropy' for integer labels."
        )


def _prepare(loss_name: str, y_true: Any, y_pred: Any) -> tuple:
    """Shared first lines of the loss functions: tensors, same rank, checked."""
    y_pred = y_pred if isinstance(y_pred, TensorLike) else convert_to_tensor(y_pred)
    y_true = as_tensor(y_true, value_of(y_pred).dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    check_broadcastable(loss_name, "y_true", y_true.shape, "y_pred", y_pred.shape)
    return y_true, y_pred


# --- Regression losses --------------------------------------------------------


@export(
    "nanokeras.losses.mean_squared_error",
    "nanokeras.metrics.mean_squared_error",
    "nanokeras.losses.mse",
    "nanokeras.losses.MSE",
)
def mean_squared_error(y_true: Any, y_pred: Any) -> Tensor:
    """`mean(square(y_true - y_pred), axis=-1)`: one value per sample."""
    y_true, y_pred = _prepare("mean_squared_error", y_true, y_pred)
    return math_ops.mean(math_ops.square(y_true - y_pred), axis=-1)


@export(
    "nanokeras.losses.mean_absolute_error",
    "nanokeras.metrics.mean_absolute_error",
    "nanokeras.losses.mae",
    "nanokeras.losses.MAE",
)
def mean_absolute_error(y_true: Any, y_pred: Any) -> Tensor:
    """`mean(abs(y_true - y_pred), axis=-1)`."""
    y_true, y_pred = _prepare("mean_absolute_error", y_true, y_pred)
    return math_ops.mean(math_ops.abs(y_true - y_pred), axis=-1)


@export(
    "nanokeras.losses.mean_absolute_percentage_error",
    "nanokeras.metrics.mean_absolute_percentage_error",
    "nanokeras.losses.mape",
    "nanokeras.losses.MAPE",
)
def mean_absolute_percentage_error(y_true: Any, y_pred: Any) -> Tensor:
    """`100 * mean(abs((y_true - y_pred) / max(abs(y_true), epsilon)), axis=-1)`."""
    y_true, y_pred = _prepare("mean_absolute_percentage_error", y_true, y_pred)
    scale = math_ops.maximum(math_ops.abs(y_true), config.epsilon())
    return 100.0 * math_ops.mean(math_ops.abs((y_true - y_pred) / scale), axis=-1)


@export(
    "nanokeras.losses.mean_squared_logarithmic_error",
    "nanokeras.metrics.mean_squared_logarithmic_error",
    "nanokeras.losses.msle",
    "nanokeras.losses.MSLE",
)
def mean_squared_logarithmic_error(y_true: Any, y_pred: Any) -> Tensor:
    """`mean(square(log(y_pred + 1) - log(y_true + 1)), axis=-1)`, inputs >= epsilon."""
    y_true, y_pred = _prepare("mean_squared_logarithmic_error", y_true, y_pred)
    eps = config.epsilon()
    first = math_ops.log(math_ops.maximum(y_pred, eps) + 1.0)
    second = math_ops.log(math_ops.maximum(y_true, eps) + 1.0)
    return math_ops.mean(math_ops.square(first - second), axis=-1)


@export("nanokeras.losses.cosine_similarity")
def cosine_similarity(y_true: Any, y_pred: Any, axis: int = -1) -> Tensor:
    """`-sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)`: -1 is best.

    A zero vector has similarity 0 with anything.
    """
    y_true, y_pred = _prepare("cosine_similarity", y_true, y_pred)
    return -math_ops.sum(
        _l2_normalize(y_true, axis) * _l2_normalize(y_pred, axis), axis
    )


def _l2_normalize(x: Any, axis: int) -> Tensor:
    """`x / max(norm(x), epsilon)`; the floor keeps the gradient finite at 0."""
    eps = config.epsilon()
    squares = math_ops.sum(math_ops.square(x), axis=axis, keepdims=True)
    return x / math_ops.sqrt(math_ops.maximum(squares, eps * eps))


@export("nanokeras.losses.huber", "nanokeras.metrics.huber")
def huber(y_true: Any, y_pred: Any, delta: float = 1.0) -> Tensor:
    """Quadratic for errors up to `delta`, linear beyond: robust to outliers.

    Per element: `0.5 * e^2` if `|e| <= delta`, else `delta * |e| - 0.5 * delta^2`;
    then the mean over the last axis.
    """
    y_true, y_pred = _prepare("huber", y_true, y_pred)
    error = y_pred - y_true
    abs_error = math_ops.abs(error)
    quadratic = 0.5 * math_ops.square(error)
    linear = delta * abs_error - 0.5 * delta * delta
    return math_ops.mean(math_ops.where(abs_error <= delta, quadratic, linear), axis=-1)


@export("nanokeras.losses.log_cosh", "nanokeras.metrics.log_cosh")
def log_cosh(y_true: Any, y_pred: Any) -> Tensor:
    """`mean(log(cosh(y_pred - y_true)), axis=-1)`: like MSE near 0, MAE far away."""
    y_true, y_pred = _prepare("log_cosh", y_true, y_pred)
    error = y_pred - y_true
    # log(cosh(x)) = x + softplus(-2x) - log(2): no exp of a large number.
    return math_ops.mean(error + nn_ops.softplus(-2.0 * error) - math.log(2.0), axis=-1)


@export("nanokeras.losses.hinge", "nanokeras.metrics.hinge")
def hinge(y_true: Any, y_pred: Any) -> Tensor:
    """`mean(maximum(1 - y_true * y_pred, 0), axis=-1)`, labels in {-1, 1}.

    Labels given as {0, 1} are converted to {-1, 1} first.
    """
    y_true, y_pred = _prepare("hinge", y_true, y_pred)
    y_true = _binary_labels_to_hinge(y_true)
    return math_ops.mean(math_ops.maximum(1.0 - y_true * y_pred, 0.0), axis=-1)


@export("nanokeras.losses.squared_hinge", "nanokeras.metrics.squared_hinge")
def squared_hinge(y_true: Any, y_pred: Any) -> Tensor:
    """`mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)`, labels in {-1, 1}."""
    y_true, y_pred = _prepare("squared_hinge", y_true, y_pred)
    y_true = _binary_labels_to_hinge(y_true)
    margin = math_ops.maximum(1.0 - y_true * y_pred, 0.0)
    return math_ops.mean(math_ops.square(margin), axis=-1)


@export("nanokeras.losses.categorical_hinge", "nanokeras.metrics.categorical_hinge")
def categorical_hinge(y_true: Any, y_pred: Any) -> Tensor:
    """`maximum(neg - pos + 1, 0)` for one-hot labels.

    `pos = sum(y_true * y_pred)` is the true class's score and
    `neg = max((1 - y_true) * y_pred)` the best wrong one.
    """
    y_true, y_pred = _prepare("categorical_hinge", y_true, y_pred)
    pos = math_ops.sum(y_true * y_pred, axis=-1)
    neg = math_ops.max((1.0 - y_true) * y_pred, axis=-1)
    return math_ops.maximum(neg - pos + 1.0, 0.0)


def _binary_labels_to_hinge(y_true: Tensor) -> Any:
    """{0, 1} labels -> {-1, 1}; other labels are returned unchanged."""
    labels = value_of(y_true)
    if np.all((labels == 0) | (labels == 1)):
        return 2.0 * y_true - 1.0
    return y_true


# --- Probabilistic losses -----------------------------------------------------


@export(
    "nanokeras.losses.kl_divergence",
    "nanokeras.metrics.kl_divergence",
    "nanokeras.losses.kld",
    "nanokeras.losses.KLD",
)
def kl_divergence(y_true: Any, y_pred: Any) -> Tensor:
    """`sum(y_true * log(y_true / y_pred), axis=-1)`, both clipped to [epsilon, 1]."""
    y_true, y_pred = _prepare("kl_divergence", y_true, y_pred)
    eps = config.epsilon()
    y_true = math_ops.clip(y_true, eps, 1.0)
    y_pred = math_ops.clip(y_pred, eps, 1.0)
    return math_ops.sum(y_true * math_ops.log(y_true / y_pred), axis=-1)


@export("nanokeras.losses.poisson", "nanokeras.metrics.poisson")
def poisson(y_true: Any, y_pred: Any) -> Tensor:
    """`mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)`, for count data."""
    y_true, y_pred = _prepare("poisson", y_true, y_pred)
    log_pred = math_ops.log(y_pred + config.epsilon())
    return math_ops.mean(y_pred - y_true * log_pred, axis=-1)


@export(
    "nanokeras.losses.binary_crossentropy",
    "nanokeras.metrics.binary_crossentropy",
)
def binary_crossentropy(
    y_true: Any,
    y_pred: Any,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Tensor:
    """Crossentropy of independent yes/no labels, averaged over `axis`.

    Args:
        y_true: Labels in [0, 1], shape `(batch_size, d0, .. dN)`.
        y_pred: Probabilities, or logits when `from_logits=True`.
        from_logits: Whether `y_pred` holds logits (recommended: exact and
            stable for any logit).
        label_smoothing: In [0, 1]; labels are squeezed toward 0.5.
        axis: The axis to average over.
    """
    y_true, y_pred = _prepare("binary_crossentropy", y_true, y_pred)
    _check_same_shape("binary_crossentropy", y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return math_ops.mean(
        crossentropy_ops.binary_crossentropy(y_true, y_pred, from_logits), axis=axis
    )


@export(
    "nanokeras.losses.categorical_crossentropy",
    "nanokeras.metrics.categorical_crossentropy",
)
def categorical_crossentropy(
    y_true: Any,
    y_pred: Any,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Tensor:
    """Crossentropy of one-hot labels against a distribution over `axis`.

    Args:
        y_true: One-hot (or soft) labels, the same shape as `y_pred`.
        y_pred: Probabilities (normalised to sum to 1 along `axis`), or logits
            when `from_logits=True`.
        from_logits: Whether `y_pred` holds logits; uses log-sum-exp.
        label_smoothing: In [0, 1]; labels move toward `1 / num_classes`.
        axis: The class axis.
    """
    if isinstance(axis, bool):
        raise ValueError(f"`axis` must be an int. Received: axis={axis}")
    y_true, y_pred = _prepare("categorical_crossentropy", y_true, y_pred)
    _check_same_shape("categorical_crossentropy", y_true, y_pred)
    if label_smoothing:
        num_classes = y_true.shape[axis]
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / num_classes
    return crossentropy_ops.categorical_crossentropy(
        y_true, y_pred, from_logits=from_logits, axis=axis
    )


@export(
    "nanokeras.losses.sparse_categorical_crossentropy",
    "nanokeras.metrics.sparse_categorical_crossentropy",
)
def sparse_categorical_crossentropy(
    y_true: Any,
    y_pred: Any,
    from_logits: bool = False,
    ignore_class: int | None = None,
    axis: int = -1,
) -> Tensor:
    """Crossentropy of integer class labels against a distribution over `axis`.

    Args:
        y_true: Integer labels, shape `y_pred.shape` without the class axis
            (a trailing axis of size 1 is allowed).
        y_pred: Probabilities, or logits when `from_logits=True`.
        from_logits: Whether `y_pred` holds logits; uses log-sum-exp.
        ignore_class: A label value whose entries get no loss and are left
            out of the mean (for example a padding class).
        axis: The class axis.
    """
    y_pred = y_pred if isinstance(y_pred, TensorLike) else convert_to_tensor(y_pred)
    labels = np.asarray(value_of(y_true))
    if labels.ndim == y_pred.ndim and labels.ndim and labels.shape[axis] == 1:
        labels = np.squeeze(labels, axis=axis)
    if ignore_class is None:
        return crossentropy_ops.sparse_categorical_crossentropy(
            labels, y_pred, from_logits=from_logits, axis=axis
        )
    # Ignored entries are scored as class 0, then zeroed and masked out, so
    # the mean reduction divides by the number of valid entries only.
    valid = labels != ignore_class
    result = crossentropy_ops.sparse_categorical_crossentropy(
        np.where(valid, labels, 0), y_pred, from_logits=from_logits, axis=axis
    )
    result = math_ops.where(valid, result, 0.0)
    set_mask(result, valid)
    return result


# --- The classes: each wraps its function --------------------------------------


@export("nanokeras.losses.MeanSquaredError")
class MeanSquaredError(LossFunctionWrapper):
    """Wraps `mean_squared_error`: the mean of squared errors.

    Example:

    >>> MeanSquaredError()([0.0, 1.0], [1.0, 1.0])  # (1 + 0) / 2
    <Tensor: shape=(), dtype=float32, numpy=array(0.5, dtype=float32)>
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_squared_error",
        dtype: Any = None,
    ):
        super().__init__(
            mean_squared_error, name=name, reduction=reduction, dtype=dtype
        )


@export("nanokeras.losses.MeanAbsoluteError")
class MeanAbsoluteError(LossFunctionWrapper):
    """Wraps `mean_absolute_error`: the mean of absolute errors."""

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_absolute_error",
        dtype: Any = None,
    ):
        super().__init__(
            mean_absolute_error, name=name, reduction=reduction, dtype=dtype
        )


@export("nanokeras.losses.MeanAbsolutePercentageError")
class MeanAbsolutePercentageError(LossFunctionWrapper):
    """Wraps `mean_absolute_percentage_error`: errors relative to the labels, in %."""

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_absolute_percentage_error",
        dtype: Any = None,
    ):
        super().__init__(
            mean_absolute_percentage_error, name=name, reduction=reduction, dtype=dtype
        )


@export("nanokeras.losses.MeanSquaredLogarithmicError")
class MeanSquaredLogarithmicError(LossFunctionWrapper):
    """Wraps `mean_squared_logarithmic_error`: squared errors of `log(1 + x)`."""

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_squared_logarithmic_error",
        dtype: Any = None,
    ):
        super().__init__(
            mean_squared_logarithmic_error, name=name, reduction=reduction, dtype=dtype
        )


@export("nanokeras.losses.CosineSimilarity")
class CosineSimilarity(LossFunctionWrapper):
    """Wraps `cosine_similarity`: minus the cosine of the angle, along `axis`."""

    def __init__(
        self,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "cosine_similarity",
        dtype: Any = None,
    ):
        super().__init__(
            cosine_similarity, name=name, reduction=reduction, dtype=dtype, axis=axis
        )


@export("nanokeras.losses.Huber")
class Huber(LossFunctionWrapper):
    """Wraps `huber`: quadratic errors up to `delta`, linear beyond."""

    def __init__(
        self,
        delta: float = 1.0,
        reduction: str | None = "sum_over_batch_size",
        name: str = "huber_loss",
        dtype: Any = None,
    ):
        super().__init__(
            huber, name=name, reduction=reduction, dtype=dtype, delta=delta
        )


@export("nanokeras.losses.LogCosh")
class LogCosh(LossFunctionWrapper):
    """Wraps `log_cosh`: the log of the hyperbolic cosine of the error."""

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "log_cosh",
        dtype: Any = None,
    ):
        super().__init__(log_cosh, name=name, reduction=reduction, dtype=dtype)


@export("nanokeras.losses.Hinge")
class Hinge(LossFunctionWrapper):
    """Wraps `hinge`: the margin loss of support vector machines."""

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "hinge",
        dtype: Any = None,
    ):
        super().__init__(hinge, name=name, reduction=reduction, dtype=dtype)


@export("nanokeras.losses.SquaredHinge")
class SquaredHinge(LossFunctionWrapper):
    """Wraps `squared_hinge`: the hinge margin, squared."""

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "squared_hinge",
        dtype: Any = None,
    ):
        super().__init__(squared_hinge, name=name, reduction=reduction, dtype=dtype)


@export("nanokeras.losses.CategoricalHinge")
class CategoricalHinge(LossFunctionWrapper):
    """Wraps `categorical_hinge`: the true class must win by a margin of 1."""

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "categorical_hinge",
        dtype: Any = None,
    ):
        super().__init__(categorical_hinge, name=name, reduction=reduction, dtype=dtype)


@export("nanokeras.losses.KLDivergence")
class KLDivergence(LossFunctionWrapper):
    """Wraps `kl_divergence`: how far `y_pred` is from the distribution `y_true`."""

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "kl_divergence",
        dtype: Any = None,
    ):
        super().__init__(kl_divergence, name=name, reduction=reduction, dtype=dtype)


@export("nanokeras.losses.Poisson")
class Poisson(LossFunctionWrapper):
    """Wraps `poisson`: the negative log-likelihood of counts, up to a constant."""

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "poisson",
        dtype: Any = None,
    ):
        super().__init__(poisson, name=name, reduction=reduction, dtype=dtype)


@export("nanokeras.losses.BinaryCrossentropy")
class BinaryCrossentropy(LossFunctionWrapper):
    """Wraps `binary_crossentropy`: for 0/1 labels, one or many per sample.

    Args:
        from_logits: Whether `y_pred` holds logits rather than probabilities.
        label_smoothing: In [0, 1]; squeezes the labels toward 0.5.
        axis: The axis to average over. Defaults to -1.
        reduction: See `Loss`.
        name: Defaults to `"binary_crossentropy"`.
        dtype: See `Loss`.
    """

    def __init__(
        self,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "binary_crossentropy",
        dtype: Any = None,
    ):
        super().__init__(
            binary_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


@export("nanokeras.losses.CategoricalCrossentropy")
class CategoricalCrossentropy(LossFunctionWrapper):
    """Wraps `categorical_crossentropy`: for one-hot labels over several classes.

    Args:
        from_logits: Whether `y_pred` holds logits rather than probabilities.
        label_smoothing: In [0, 1]; moves the labels toward `1 / num_classes`.
        axis: The class axis. Defaults to -1.
        reduction: See `Loss`.
        name: Defaults to `"categorical_crossentropy"`.
        dtype: See `Loss`.
    """

    def __init__(
        self,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "categorical_crossentropy",
        dtype: Any = None,
    ):
        super().__init__(
            categorical_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


@export("nanokeras.losses.SparseCategoricalCrossentropy")
class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Wraps `sparse_categorical_crossentropy`: for integer class labels.

    Args:
        from_logits: Whether `y_pred` holds logits rather than probabilities.
        ignore_class: A label value to leave out of the loss and its mean.
        reduction: See `Loss`.
        axis: The class axis. Defaults to -1.
        name: Defaults to `"sparse_categorical_crossentropy"`.
        dtype: See `Loss`.
    """

    def __init__(
        self,
        from_logits: bool = False,
        ignore_class: int | None = None,
        reduction: str | None = "sum_over_batch_size",
        axis: int = -1,
        name: str = "sparse_categorical_crossentropy",
        dtype: Any = None,
    ):
        super().__init__(
            sparse_categorical_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis
