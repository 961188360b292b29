"""Metrics: stateful measures reported by `fit` and `evaluate`, and their lookup.

Mirrors: keras/metrics.py (tf.keras 2.6), keras/src/metrics/__init__.py (Keras
3)

Left out: the IoU, F-score, R2 and correlation metric classes, the
confusion counts (`TruePositives`, ...) and `SensitivityAtSpecificity` and
friends, and the focal crossentropies.

`get("accuracy")`, `get("mse")` or `get("AUC")` turn what a user writes in
`compile(metrics=[...])` into a function or a `Metric`; `serialize` and
`deserialize` turn metrics into JSON-friendly configs and back.
"""

import inspect
from typing import Any

from api_export import export
from losses import losses
from metrics.accuracy_metrics import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)
from metrics.base_metric import Mean, MeanMetricWrapper, Metric, Reduce, Sum
from metrics.confusion_metrics import AUC, Precision, Recall
from metrics.hinge_metrics import CategoricalHinge, Hinge, SquaredHinge
from metrics.probabilistic_metrics import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
)
from metrics.regression_metrics import (
    CosineSimilarity,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    RootMeanSquaredError,
)
from saving import serialization_lib

_CLASSES = (
    Metric,
    Reduce,
    Sum,
    Mean,
    MeanMetricWrapper,
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    TopKCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    MeanSquaredError,
    MeanAbsoluteError,
    RootMeanSquaredError,
    AUC,
    Precision,
    Recall,
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
    KLDivergence,
    Poisson,
    Hinge,
    SquaredHinge,
    CategoricalHinge,
    MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError,
    LogCoshError,
    CosineSimilarity,
)
_FUNCTIONS = (
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
    top_k_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    losses.mean_squared_error,
    losses.mean_absolute_error,
    losses.mean_absolute_percentage_error,
    losses.mean_squared_logarithmic_error,
    losses.binary_crossentropy,
    losses.categorical_crossentropy,
    losses.sparse_categorical_crossentropy,
    losses.kl_divergence,
    losses.hinge,
    losses.squared_hinge,
    losses.categorical_hinge,
    losses.poisson,
    losses.log_cosh,
    losses.huber,
)
ALL_OBJECTS_DICT = {obj.__name__: obj for obj in _CLASSES + _FUNCTIONS}
ALL_OBJECTS_DICT.update(
    {
        "mse": losses.mean_squared_error,
        "MSE": losses.mean_squared_error,
        "mae": losses.mean_absolute_error,
        "MAE": losses.mean_absolute_error,
        "mape": losses.mean_absolute_percentage_error,
        "MAPE": losses.mean_absolute_percentage_error,
        "msle": losses.mean_squared_logarithmic_error,
        "MSLE": losses.mean_squared_logarithmic_error,
        "kld": losses.kl_divergence,
        "bce": losses.binary_crossentropy,
    }
)


@export("nanokeras.metrics.serialize")
def serialize(metric: Any) -> Any:
    """Keras 3's serialized dict of a `Metric` or a metric function."""
    return serialization_lib.serialize_keras_object(metric)


@export("nanokeras.metrics.deserialize")
def deserialize(config: Any, custom_objects: dict | None = None) -> Any:
    """Rebuild a metric from a name or `serialize`'s output (Keras 3's too)."""
    return serialization_lib.deserialize_module_object(
        config, ALL_OBJECTS_DICT, custom_objects, "metric"
    )


@export("nanokeras.metrics.get")
def get(identifier: Any) -> Any:
    """Return a metric function or `Metric` from a name, config, class or object.

    Function names give the function (`"mae"` -> `mean_absolute_error`), class
    names and classes a new instance.
    """
    if identifier is None:
        return None
    if isinstance(identifier, (str, dict)):
        obj = deserialize(identifier)
    else:
        obj = identifier
    if inspect.isclass(obj):
        obj = obj()
    if not callable(obj):
        raise ValueError(f"Could not interpret metric identifier: {identifier!r}")
    return obj
