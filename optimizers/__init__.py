"""Optimizers, and `get`/`serialize`/`deserialize` to name them in `compile`.

Mirrors: keras/optimizers.py (tf.keras 2.6), keras/src/optimizers/__init__.py
(Keras 3)

`compile(optimizer="adam")` goes through `get`, which turns a name (any case:
`"Adam"`, `"adam"`), a config dict or an instance into an optimizer.
"""

from typing import Any

from api_export import export
from optimizers.adagrad import Adagrad
from optimizers.adam import Adam
from optimizers.adamax import Adamax
from optimizers.adamw import AdamW
from optimizers.nadam import Nadam
from optimizers.optimizer import Optimizer
from optimizers.rmsprop import RMSprop
from optimizers.sgd import SGD
from saving import serialization_lib

_ALL_OBJECTS = (Optimizer, Adam, SGD, RMSprop, AdamW, Adagrad, Adamax, Nadam)
_ALL_OBJECTS_DICT = {cls.__name__.lower(): cls for cls in _ALL_OBJECTS}


@export("nanokeras.optimizers.serialize")
def serialize(optimizer: Optimizer) -> dict:
    """Keras 3's serialized dict of `optimizer`."""
    if not isinstance(optimizer, Optimizer):
        raise ValueError(
            f"Cannot serialize {optimizer!r}: expected an `Optimizer` instance."
        )
    return serialization_lib.serialize_keras_object(optimizer)


@export("nanokeras.optimizers.deserialize")
def deserialize(config: Any, custom_objects: dict | None = None) -> Optimizer:
    """Rebuild an optimizer from `serialize`'s output (class names in any case)."""
    if isinstance(config, str):
        config = config.lower()
    elif isinstance(config, dict) and str(config.get("class_name")).lower() in (
        _ALL_OBJECTS_DICT
    ):
        config = {**config, "class_name": config["class_name"].lower()}
    return serialization_lib.deserialize_module_object(
        config, _ALL_OBJECTS_DICT, custom_objects, "optimizer"
    )


@export("nanokeras.optimizers.get")
def get(identifier: Any) -> Optimizer | None:
    """Return an optimizer from a name, a config dict or an instance.

    Example:

    >>> type(get("adam")).__name__
    'Adam'
    """
    if identifier is None:
        return None
    if isinstance(identifier, (str, dict)):
        obj = deserialize(identifier)
    else:
        obj = identifier
    if isinstance(obj, Optimizer):
        return obj
    raise ValueError(f"Could not interpret optimizer identifier: {identifier!r}")
