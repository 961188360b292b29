"""The accuracy family: how often predictions match labels.

Mirrors: keras/metrics.py accuracy classes (tf.keras 2.6),
keras/src/metrics/accuracy_metrics.py (Keras 3)

Each metric is a `MeanMetricWrapper` around a function that returns 1.0 for
a correct sample and 0.0 for a wrong one; the metric's result is the
(weighted) mean of those. The functions work on numpy arrays.
"""

from typing import Any

import numpy as np

from api_export import export
from backend import config
from metrics.base_metric import MeanMetricWrapper, as_array
from utils.losses_utils import squeeze_or_expand_to_same_rank


def _matches(hits: np.ndarray) -> np.ndarray:
    return hits.astype(config.floatx())


@export("nanokeras.metrics.accuracy")
def accuracy(y_true: Any, y_pred: Any) -> np.ndarray:
    """1.0 where `y_pred` equals `y_true` exactly."""
    y_pred = as_array(y_pred)
    y_true = as_array(y_true, y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return _matches(y_true == y_pred)


@export("nanokeras.metrics.binary_accuracy")
def binary_accuracy(y_true: Any, y_pred: Any, threshold: float = 0.5) -> np.ndarray:
    """1.0 where `y_pred > threshold` agrees with the 0/1 label."""
    y_true, y_pred = squeeze_or_expand_to_same_rank(as_array(y_true), as_array(y_pred))
    return _matches(y_true == (y_pred > threshold).astype(y_true.dtype))


@export("nanokeras.metrics.categorical_accuracy")
def categorical_accuracy(y_true: Any, y_pred: Any) -> np.ndarray:
    """1.0 where the largest prediction is at the one-hot label's position."""
    y_true, y_pred = as_array(y_true), as_array(y_pred)
    return _matches(np.argmax(y_true, axis=-1) == np.argmax(y_pred, axis=-1))


@export("nanokeras.metrics.sparse_categorical_accuracy")
def sparse_categorical_accuracy(y_true: Any, y_pred: Any) -> np.ndarray:
    """1.0 where the largest prediction is at the integer label's index."""
    y_true, y_pred = as_array(y_true), as_array(y_pred)
    if y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1:
        y_true = y_true[..., 0]
    hits = _matches(y_true == np.argmax(y_pred, axis=-1))
    return hits[..., 0] if hits.ndim > 1 and hits.shape[-1] == 1 else hits


def _in_top_k(targets: np.ndarray, predictions: np.ndarray, k: int) -> np.ndarray:
    """Whether each target's score is among the `k` largest of its row (ties count)."""
    predictions = predictions.reshape(-1, predictions.shape[-1])
    targets = targets.reshape(-1).astype(int)
    k = min(k, predictions.shape[-1])
    kth_largest = -np.partition(-predictions, k - 1, axis=-1)[:, k - 1]
    target_scores = np.take_along_axis(predictions, targets[:, None], axis=-1)[:, 0]
    return target_scores >= kth_largest


@export("nanokeras.metrics.top_k_categorical_accuracy")
def top_k_categorical_accuracy(y_true: Any, y_pred: Any, k: int = 5) -> np.ndarray:
    """1.0 where the one-hot label is among the `k` largest predictions."""
    y_true, y_pred = as_array(y_true), as_array(y_pred)
    labels = np.argmax(y_true, axis=-1)
    return _matches(_in_top_k(labels, y_pred, k)).reshape(labels.shape)


@export("nanokeras.metrics.sparse_top_k_categorical_accuracy")
def sparse_top_k_categorical_accuracy(
    y_true: Any, y_pred: Any, k: int = 5, from_sorted_ids: bool = False
) -> np.ndarray:
    """1.0 where the integer label is among the `k` largest predictions.

    With `from_sorted_ids=True`, `y_pred` holds category ids sorted from the
    highest score down (as Keras 3), and the first `k` of them are searched.
    """
    y_true, y_pred = as_array(y_true), as_array(y_pred)
    if from_sorted_ids:
        ids = y_pred.reshape(-1, y_pred.shape[-1])[:, :k]
        hits = (y_true.reshape(-1, 1) == ids).any(axis=-1)
        return _matches(hits).reshape(y_true.shape)
    return _matches(_in_top_k(y_true, y_pred, k)).reshape(y_true.shape)


class _AccuracyMetric(MeanMetricWrapper):
    """An accuracy is a mean that is better when higher."""

    def __init__(self, fn, name, dtype, **kwargs):
        super().__init__(fn=fn, name=name, dtype=dtype, **kwargs)
        self._direction = "up"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, **self._fn_kwargs}


@export("nanokeras.metrics.Accuracy")
class Accuracy(_AccuracyMetric):
    """Accuracy averages exact matches of predictions and labels.

    Example:

    >>> float(Accuracy()([[1], [2], [3], [4]], [[0], [2], [3], [4]]))
    0.75
    """

    def __init__(self, name: str = "accuracy", dtype: Any = None):
        super().__init__(accuracy, name, dtype)


@export("nanokeras.metrics.BinaryAccuracy")
class BinaryAccuracy(_AccuracyMetric):
    """BinaryAccuracy thresholds probabilities at `threshold` before matching."""

    def __init__(
        self, name: str = "binary_accuracy", dtype: Any = None, threshold: float = 0.5
    ):
        super().__init__(binary_accuracy, name, dtype, threshold=threshold)
        self.threshold = threshold


@export("nanokeras.metrics.CategoricalAccuracy")
class CategoricalAccuracy(_AccuracyMetric):
    """CategoricalAccuracy matches the arg-max of predictions and one-hot labels."""

    def __init__(self, name: str = "categorical_accuracy", dtype: Any = None):
        super().__init__(categorical_accuracy, name, dtype)


@export("nanokeras.metrics.SparseCategoricalAccuracy")
class SparseCategoricalAccuracy(_AccuracyMetric):
    """SparseCategoricalAccuracy matches the arg-max of predictions and int labels."""

    def __init__(self, name: str = "sparse_categorical_accuracy", dtype: Any = None):
        super().__init__(sparse_categorical_accuracy, name, dtype)


@export("nanokeras.metrics.TopKCategoricalAccuracy")
class TopKCategoricalAccuracy(_AccuracyMetric):
    """TopKCategoricalAccuracy counts one-hot labels among the `k` top predictions."""

    def __init__(
        self, k: int = 5, name: str = "top_k_categorical_accuracy", dtype: Any = None
    ):
        super().__init__(top_k_categorical_accuracy, name, dtype, k=k)
        self.k = k


@export("nanokeras.metrics.SparseTopKCategoricalAccuracy")
class SparseTopKCategoricalAccuracy(_AccuracyMetric):
    """SparseTopKCategoricalAccuracy counts int labels among the `k` top predictions."""

    def __init__(
        self,
        k: int = 5,
        name: str = "sparse_top_k_categorical_accuracy",
        dtype: Any = None,
        from_sorted_ids: bool = False,
    ):
        super().__init__(
            sparse_top_k_categorical_accuracy,
            name,
            dtype,
            k=k,
            from_sorted_ids=from_sorted_ids,
        )
        self.k = k
        self.from_sorted_ids = from_sorted_ids
