"""`Metric`: a stateful layer that accumulates a quality measure over batches.

Mirrors: keras/metrics.py (tf.keras 2.6), keras/src/metrics/metric.py +
reduction_metrics.py (Keras 3)

A metric keeps running totals in non-trainable variables. `update_state`
adds one batch to them, `result` turns them into the value to report, and
`reset_state` zeroes them (at the start of every epoch). Calling a metric
does both: update, then return the result so far. tf.keras 2.x makes `Metric`
a `Layer`, so its variables are tracked, named and saved like weights; we do
the same. Metrics are measurements, not part of what is differentiated: they
work on the numpy values directly, which keeps them cheap inside `fit`.
"""

from typing import Any, Callable

import numpy as np

from api_export import export
from backend import config
from backend.ops.core import from_owned_array, value_of
from backend.tensor import Tensor
from engine.base_layer import Layer
from saving import serialization_lib
from utils.losses_utils import squeeze_or_expand_to_same_rank

_REDUCTIONS = ("sum", "sum_over_batch_size", "weighted_mean")


def as_array(value: Any, dtype: Any = None) -> np.ndarray:
    """The numpy value of a tensor, variable, array or Python value."""
    array = np.asarray(value_of(value))
    return array if dtype is None else array.astype(dtype, copy=False)


def reduce_to_samplewise_values(
    values: np.ndarray, sample_weight: Any, reduce_fn: Callable, dtype: Any
) -> tuple:
    """Weight `values` and reduce them to one value per sample, as Keras 3 does.

    The weights are broadcast to the values (after reducing the values to the
    weights' rank), multiplied in, then every axis but the first is reduced.
    Returns `(values, sample_weight)`, both reduced to the batch axis.
    """
    values = as_array(values, dtype)
    if sample_weight is not None:
        sample_weight = as_array(sample_weight, dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        if values.ndim > sample_weight.ndim:
            values = reduce_fn(
                values, axis=tuple(range(sample_weight.ndim, values.ndim))
            )
        try:
            sample_weight = np.broadcast_to(sample_weight, values.shape)
        except ValueError:
            raise ValueError(
                f"`sample_weight` of shape {sample_weight.shape} cannot be "
                f"broadcast to the metric values of shape {values.shape}. Pass "
                "one weight per sample (shape `(batch_size,)`)."
            ) from None
        values = values * sample_weight
        if sample_weight.ndim > 1:
            sample_weight = reduce_fn(
                sample_weight, axis=tuple(range(1, sample_weight.ndim))
            )
    if values.ndim > 1:
        values = reduce_fn(values, axis=tuple(range(1, values.ndim)))
    return values, sample_weight


def _divide_no_nan(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """`numerator / denominator`, with 0 wherever the denominator is 0."""
    numerator, denominator = np.asarray(numerator), np.asarray(denominator)
    if denominator.ndim == 0:  # the usual case (a mean): skip the masking
        return numerator / denominator if denominator else numerator * 0
    safe = np.where(denominator == 0, 1, denominator)
    return np.where(denominator == 0, 0, numerator / safe).astype(numerator.dtype)


@export("nanokeras.metrics.Metric", "nanokeras.Metric")
class Metric(Layer):
    """Metric adds accumulated state (`update_state`, `result`, `reset_state`) to Layer.

    Subclasses create their state with `add_variable` (or `add_weight`) in
    `__init__`, and implement `update_state(y_true, y_pred, sample_weight=None)`
    and `result()`.

    Args:
        dtype: The dtype of the state and of the result (default `floatx()`).
        name: The metric's name, used as the key in `fit`'s logs.

    Example:

    >>> class Count(Metric):
    ...     def __init__(self, name="count"):
    ...         super().__init__(name=name)
    ...         self.total = self.add_variable(shape=(), initializer="zeros")
    ...     def update_state(self, values, sample_weight=None):
    ...         self.total.assign_add(float(len(values)))
    ...     def result(self):
    ...         return self.total.value
    """

    _tracked_as_sublayer = False  # state, not model weights (see Layer)

    def __init__(self, dtype: Any = None, name: str | None = None, **kwargs: Any):
        super().__init__(name=name, dtype=dtype or config.floatx(), **kwargs)
        self.stateful = True
        self.built = True  # the state is created in __init__, not from inputs
        self._direction = None

    def __call__(self, *args: Any, **kwargs: Any) -> Tensor:
        """Update the state with one batch, then return the result so far."""
        self.update_state(*args, **kwargs)
        return self.result()

    def update_state(self, *args: Any, **kwargs: Any) -> None:
        """Add one batch to the state. Subclasses implement this."""
        raise NotImplementedError(
            f"Metric {type(self).__name__} must implement `update_state()`."
        )

    def result(self) -> Tensor:
        """The value of the metric for everything seen since the last reset."""
        raise NotImplementedError(
            f"Metric {type(self).__name__} must implement `result()`."
        )

    def reset_state(self) -> None:
        """Zero every state variable (done at the start of each epoch)."""
        for variable in self.variables:
            variable.assign(np.zeros(variable.shape, dtype=variable.dtype))

    def reset_states(self) -> None:
        """tf.keras 2.x spelling of `reset_state`."""
        self.reset_state()

    def add_variable(
        self,
        shape: tuple,
        initializer: Any,
        dtype: Any = None,
        aggregation: str = "sum",
        name: str | None = None,
    ):
        """Create a non-trainable state variable (Keras 3's signature)."""
        return self.add_weight(
            name=name, shape=shape, dtype=dtype, initializer=initializer
        )

    def add_weight(
        self,
        name: str | None = None,
        shape: tuple = (),
        aggregation: str = "sum",
        synchronization: str = "on_read",
        initializer: Any = None,
        dtype: Any = None,
    ):
        """Create a non-trainable state variable (tf.keras 2.x's signature).

        Simplified: `aggregation` and `synchronization` describe how replicas
        combine state and are ignored on a single device.
        """
        return super().add_weight(
            name=name,
            shape=shape,
            dtype=dtype or self.dtype,
            initializer=initializer or "zeros",
            trainable=False,
        )

    def _result_tensor(self, value: Any) -> Tensor:
        # A copy: `value` may be a state variable's own array, which must
        # stay writable.
        return from_owned_array(np.array(value, dtype=self.dtype))

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict) -> "Metric":
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"


@export("nanokeras.metrics.Reduce")
class Reduce(Metric):
    """Reduce adds a `total` (and a `count`) that sum or average values to Metric.

    Args:
        reduction: `"sum"`, `"sum_over_batch_size"` or `"weighted_mean"`.
        name: The metric's name.
        dtype: The dtype of the state and result.
    """

    def __init__(self, reduction: str, name: str, dtype: Any = None):
        super().__init__(name=name, dtype=dtype)
        if reduction not in _REDUCTIONS:
            raise ValueError(
                f"Metric {name!r}: unknown reduction {reduction!r}. Expected "
                f"one of {list(_REDUCTIONS)}."
            )
        self.reduction = reduction
        self.total = self.add_variable(shape=(), initializer="zeros", name="total")
        if reduction != "sum":
            self.count = self.add_variable(shape=(), initializer="zeros", name="count")

    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        if self.reduction == "weighted_mean" and isinstance(sample_weight, int):
            # `fit`'s loss tracker: one scalar weighted by the batch size,
            # every step, so it skips the general broadcasting below.
            value = np.asarray(value_of(values), dtype=self.dtype)
            if value.ndim == 0:
                self.total.assign_add(value * np.asarray(sample_weight, self.dtype))
                self.count.assign_add(np.asarray(sample_weight, self.dtype))
                return
        reduce_fn = np.sum if self.reduction == "sum" else np.mean
        values, sample_weight = reduce_to_samplewise_values(
            values, sample_weight, reduce_fn, self.dtype
        )
        self.total.assign_add(np.sum(values, dtype=self.dtype))
        if self.reduction == "sum":
            return
        if sample_weight is not None and self.reduction == "weighted_mean":
            count = np.sum(sample_weight, dtype=self.dtype)
        else:
            count = values.shape[0] if values.ndim else 1
        self.count.assign_add(np.asarray(count, dtype=self.dtype))

    def result(self) -> Tensor:
        total = value_of(self.total)
        if self.reduction == "sum":
            return self._result_tensor(total)
        return self._result_tensor(_divide_no_nan(total, value_of(self.count)))

    def get_config(self) -> dict:
        config = {"name": self.name, "dtype": self.dtype}
        # `Sum` and `Mean` fix the reduction; only `Reduce` itself takes it.
        if type(self) is Reduce:
            config["reduction"] = self.reduction
        return config


@export("nanokeras.metrics.Sum")
class Sum(Reduce):
    """Sum keeps only the running `total` of the (weighted) values."""

    def __init__(self, name: str = "sum", dtype: Any = None):
        super().__init__(reduction="sum", name=name, dtype=dtype)


@export("nanokeras.metrics.Mean")
class Mean(Reduce):
    """Mean divides the weighted `total` by the `count` (the sum of the weights).

    Example:

    >>> m = Mean()
    >>> m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    >>> float(m.result())
    2.0
    """

    def __init__(self, name: str = "mean", dtype: Any = None):
        super().__init__(reduction="weighted_mean", name=name, dtype=dtype)


@export("nanokeras.metrics.MeanMetricWrapper")
class MeanMetricWrapper(Mean):
    """MeanMetricWrapper averages a per-sample function `fn(y_true, y_pred)`.

    Args:
        fn: A function returning one value per sample (a loss function
            such as `mean_squared_error`, or an accuracy function).
        name: The metric's name.
        dtype: The dtype of the state and result.
        **kwargs: Extra keyword arguments passed to `fn` on every call.
    """

    def __init__(
        self, fn: Callable, name: str | None = None, dtype: Any = None, **kwargs: Any
    ):
        super().__init__(name=name or getattr(fn, "__name__", "mean"), dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        y_true = as_array(y_true, self.dtype)
        y_pred = as_array(y_pred, self.dtype)
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        super().update_state(values, sample_weight=sample_weight)

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "fn": self._fn.__name__}

    @classmethod
    def from_config(cls, config: dict) -> "MeanMetricWrapper":
        config = dict(config)
        if isinstance(config.get("fn"), str):
            # By name among the exported metrics: they are defined above
            # this module, which they import.
            config["fn"] = serialization_lib.deserialize_module_object(
                config["fn"],
                serialization_lib.exported_objects("nanokeras.metrics"),
                None,
                "metric",
            )
        if cls is not MeanMetricWrapper:
            config.pop("fn", None)  # subclasses fix their own function
        return cls(**config)
