"""Losses, and `get`/`serialize`/`deserialize` to name them in `compile`.

Mirrors: keras/losses.py (tf.keras 2.6), keras/src/losses/__init__.py (Keras 3)

`compile(loss="mse")` goes through `get`, which turns a name (`"mse"`,
`"mean_squared_error"`, `"MeanSquaredError"`), a config dict, a class, a
function or an instance into a loss. The base class is in `losses/loss.py`,
the catalogue of losses in `losses/losses.py`; both are re-exported here, so
`import losses` reaches every loss.
"""

from typing import Any

from api_export import export
from losses.loss import Loss
from losses.losses import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    CategoricalHinge,
    CosineSimilarity,
    Hinge,
    Huber,
    KLDivergence,
    LogCosh,
    LossFunctionWrapper,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    Poisson,
    SparseCategoricalCrossentropy,
    SquaredHinge,
    binary_crossentropy,
    categorical_crossentropy,
    categorical_hinge,
    cosine_similarity,
    hinge,
    huber,
    kl_divergence,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
    poisson,
    sparse_categorical_crossentropy,
    squared_hinge,
)
from saving import serialization_lib

_ALL_OBJECTS = (
    Loss,
    LossFunctionWrapper,
    MeanSquaredError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError,
    CosineSimilarity,
    Huber,
    LogCosh,
    Hinge,
    SquaredHinge,
    CategoricalHinge,
    KLDivergence,
    Poisson,
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
    mean_squared_error,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_logarithmic_error,
    cosine_similarity,
    huber,
    log_cosh,
    hinge,
    squared_hinge,
    categorical_hinge,
    kl_divergence,
    poisson,
    binary_crossentropy,
    categorical_crossentropy,
    sparse_categorical_crossentropy,
)
_ALL_OBJECTS_DICT = {obj.__name__: obj for obj in _ALL_OBJECTS}
_ALL_OBJECTS_DICT.update(
    {
        "bce": binary_crossentropy,
        "BCE": binary_crossentropy,
        "kld": kl_divergence,
        "KLD": kl_divergence,
        "mae": mean_absolute_error,
        "MAE": mean_absolute_error,
        "mse": mean_squared_error,
        "MSE": mean_squared_error,
        "mape": mean_absolute_percentage_error,
        "MAPE": mean_absolute_percentage_error,
        "msle": mean_squared_logarithmic_error,
        "MSLE": mean_squared_logarithmic_error,
        # tf.keras 2.x spellings, still common in tutorials.
        "logcosh": log_cosh,
        "kullback_leibler_divergence": kl_divergence,
    }
)


@export("nanokeras.losses.serialize")
def serialize(loss: Any) -> Any:
    """Keras 3's serialized dict of a `Loss` or a loss function."""
    return serialization_lib.serialize_keras_object(loss)


@export("nanokeras.losses.deserialize")
def deserialize(name: Any, custom_objects: dict | None = None) -> Any:
    """Rebuild a loss from a name or `serialize`'s output (Keras 3's too)."""
    return serialization_lib.deserialize_module_object(
        name, _ALL_OBJECTS_DICT, custom_objects, "loss"
    )


@export("nanokeras.losses.get")
def get(identifier: Any) -> Any:
    """Return a loss from a name, a config dict, a class, a function or an instance.

    Names give the plain function (`"mse"` -> `mean_squared_error`), class
    names and classes give a fresh instance, `None` gives `None`.

    Example:

    >>> get("mse") is mean_squared_error
    True
    >>> type(get("MeanSquaredError")).__name__
    'MeanSquaredError'
    """
    if identifier is None:
        return None
    if isinstance(identifier, (str, dict)):
        obj = deserialize(identifier)
    else:
        obj = identifier
    if isinstance(obj, type):
        obj = obj()
    if callable(obj):
        return obj
    raise ValueError(
        f"Could not interpret loss identifier: {identifier!r}. Expected a string, "
        "a dict, a `Loss` or a function."
    )
