"""Regression metrics: mean squared/absolute error and its root.

Mirrors: keras/metrics/metrics.py regression classes (tf.keras 2.x),
keras/src/metrics/regression_metrics.py (Keras 3)
"""

from typing import Any

import numpy as np

from backend.tensor import Tensor
from engine.api_export import export
from metrics.base_metric import (
    Mean,
    MeanMetricWrapper,
    as_array,
    squeeze_or_expand_to_same_rank,
)


def _squared_error(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """Per-sample mean of `(y_pred - y_true)^2` over the last axis."""
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return np.mean(np.square(y_pred - y_true), axis=-1)


def _absolute_error(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """Per-sample mean of `|y_pred - y_true|` over the last axis."""
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return np.mean(np.abs(y_pred - y_true), axis=-1)


# The metric reports the same numbers as the loss function of the same name;
# the numpy version skips the tape bookkeeping a metric never needs.
_squared_error.__name__ = "mean_squared_error"
_absolute_error.__name__ = "mean_absolute_error"


@export("nanokeras.metrics.MeanSquaredError")
class MeanSquaredError(MeanMetricWrapper):
    """MeanSquaredError averages `mean_squared_error` over every sample seen.

    Example:

    >>> m = MeanSquaredError()
    >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    >>> float(m.result())
    0.25
    """

    def __init__(self, name: str = "mean_squared_error", dtype: Any = None):
        super().__init__(fn=_squared_error, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


@export("nanokeras.metrics.MeanAbsoluteError")
class MeanAbsoluteError(MeanMetricWrapper):
    """MeanAbsoluteError averages `mean_absolute_error` over every sample seen."""

    def __init__(self, name: str = "mean_absolute_error", dtype: Any = None):
        super().__init__(fn=_absolute_error, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


@export("nanokeras.metrics.RootMeanSquaredError")
class RootMeanSquaredError(Mean):
    """RootMeanSquaredError reports the square root of the mean squared error.

    The mean is over every element, weighted per sample.
    """

    def __init__(self, name: str = "root_mean_squared_error", dtype: Any = None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "down"

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        y_true, y_pred = squeeze_or_expand_to_same_rank(
            as_array(y_true, self.dtype), as_array(y_pred, self.dtype)
        )
        super().update_state(np.square(y_pred - y_true), sample_weight=sample_weight)

    def result(self) -> Tensor:
        return self._result_tensor(np.sqrt(np.asarray(super().result())))
