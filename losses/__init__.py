"""Losses, and `get`/`serialize`/`deserialize` to name them in `compile`.

Mirrors: keras/losses.py (tf.keras 2.x), keras/src/losses/__init__.py (Keras 3)

`compile(loss="mse")` goes through `get`, which turns a name (`"mse"`,
`"mean_squared_error"`, `"MeanSquaredError"`), a config dict, a class, a
function or an instance into a loss. The base class is in `losses/loss.py`,
the catalogue of losses in `losses/losses.py`; both are re-exported here, so
`import losses` reaches every loss.
"""

from typing import Any

from engine.api_export import export
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
    """Describe `loss` in JSON terms: a dict for objects, a name for functions."""
    if isinstance(loss, Loss):
        return {
            "module": "nanokeras.losses",
            "class_name": type(loss).__name__,
            "config": loss.get_config(),
            "registered_name": None,
        }
    if callable(loss) and getattr(loss, "__name__", None) in _ALL_OBJECTS_DICT:
        return loss.__name__
    raise ValueError(
        f"Cannot serialize loss {loss!r}: expected a `Loss` instance or a built-in "
        "loss function."
    )


@export("nanokeras.losses.deserialize")
def deserialize(name: Any, custom_objects: dict | None = None) -> Any:
    """Rebuild a loss from `serialize`'s output (a dict or a name)."""
    config = name
    objects = {**_ALL_OBJECTS_DICT, **(custom_objects or {})}
    if isinstance(config, str):
        return _lookup(config, objects)
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            "Could not deserialize loss: expected a name or a dict with "
            f"'class_name' and 'config', received {config!r}."
        )
    cls = _lookup(config["class_name"], objects)
    if not isinstance(cls, type):
        return cls
    return cls.from_config(config.get("config") or {})


def _lookup(name: str, objects: dict) -> Any:
    if name not in objects:
        known = sorted(k for k in objects if k[0].islower())
        raise ValueError(
            f"Could not interpret loss identifier: {name!r}. Expected a `Loss`, a "
            f"function, or one of the names {known} (or a class name such as "
            "'MeanSquaredError')."
        )
    return objects[name]


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
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = _lookup(identifier, _ALL_OBJECTS_DICT)
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
