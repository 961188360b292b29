"""Regression metrics: mean squared/absolute error, its root, and the other errors.

Mirrors: keras/metrics.py regression classes (tf.keras 2.6),
keras/src/metrics/regression_metrics.py (Keras 3)
"""

from typing import Any

import numpy as np

from api_export import export
from backend.tensor import Tensor
from losses import losses
from metrics.base_metric import Mean, MeanMetricWrapper, as_array
from metrics.probabilistic_metrics import _LossMetric
from utils.losses_utils import squeeze_or_expand_to_same_rank


@export("nanokeras.metrics.MeanSquaredError")
class MeanSquaredError(_LossMetric):
    """MeanSquaredError averages `mean_squared_error` over every sample seen.

    Example:

    >>> m = MeanSquaredError()
    >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    >>> float(m.result())
    0.25
    """

    def __init__(self, name: str = "mean_squared_error", dtype: Any = None):
        super().__init__(losses.mean_squared_error, name, dtype)


@export("nanokeras.metrics.MeanAbsoluteError")
class MeanAbsoluteError(_LossMetric):
    """MeanAbsoluteError averages `mean_absolute_error` over every sample seen."""

    def __init__(self, name: str = "mean_absolute_error", dtype: Any = None):
        super().__init__(losses.mean_absolute_error, name, dtype)


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


@export("nanokeras.metrics.MeanAbsolutePercentageError")
class MeanAbsolutePercentageError(_LossMetric):
    """MeanAbsolutePercentageError averages `mean_absolute_percentage_error`."""

    def __init__(self, name: str = "mean_absolute_percentage_error", dtype: Any = None):
        super().__init__(losses.mean_absolute_percentage_error, name, dtype)


@export("nanokeras.metrics.MeanSquaredLogarithmicError")
class MeanSquaredLogarithmicError(_LossMetric):
    """MeanSquaredLogarithmicError averages `mean_squared_logarithmic_error`."""

    def __init__(self, name: str = "mean_squared_logarithmic_error", dtype: Any = None):
        super().__init__(losses.mean_squared_logarithmic_error, name, dtype)


@export("nanokeras.metrics.LogCoshError")
class LogCoshError(_LossMetric):
    """LogCoshError averages `log_cosh` of the errors (named `logcosh`, as Keras)."""

    def __init__(self, name: str = "logcosh", dtype: Any = None):
        super().__init__(losses.log_cosh, name, dtype)


def _cosine_similarity(y_true: Any, y_pred: Any, axis: int = -1) -> Any:
    """The similarity itself (1 is best): minus the loss of the same name."""
    return -np.asarray(losses.cosine_similarity(y_true, y_pred, axis=axis))


@export("nanokeras.metrics.CosineSimilarity")
class CosineSimilarity(MeanMetricWrapper):
    """CosineSimilarity averages the cosine of `y_true` and `y_pred` along `axis`.

    Unlike the loss of the same name, higher is better (1: same direction).

    Args:
        name: The metric's name.
        dtype: The dtype of the state and result.
        axis: The axis along which the vectors lie.
    """

    def __init__(self, name: str = "cosine_similarity", dtype: Any = None, axis=-1):
        super().__init__(fn=_cosine_similarity, name=name, dtype=dtype, axis=axis)
        self._direction = "up"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "axis": self._fn_kwargs["axis"]}
