"""Optimizers, and `get`/`serialize`/`deserialize` to name them in `compile`.

Mirrors: keras/optimizers/__init__.py (tf.keras 2.x), keras/src/optimizers/__init__.py
(Keras 3)

`compile(optimizer="adam")` goes through `get`, which turns a name (any case:
`"Adam"`, `"adam"`), a config dict or an instance into an optimizer.
"""

from typing import Any

from engine.api_export import export
from optimizers.adagrad import Adagrad
from optimizers.adam import Adam
from optimizers.adamax import Adamax
from optimizers.adamw import AdamW
from optimizers.nadam import Nadam
from optimizers.optimizer import Optimizer
from optimizers.rmsprop import RMSprop
from optimizers.sgd import SGD

_ALL_OBJECTS = (Optimizer, Adam, SGD, RMSprop, AdamW, Adagrad, Adamax, Nadam)
_ALL_OBJECTS_DICT = {cls.__name__.lower(): cls for cls in _ALL_OBJECTS}


@export("nanokeras.optimizers.serialize")
def serialize(optimizer: Optimizer) -> dict:
    """Describe `optimizer` as `{"module", "class_name", "config", ...}`."""
    if not isinstance(optimizer, Optimizer):
        raise ValueError(
            f"Cannot serialize {optimizer!r}: expected an `Optimizer` instance."
        )
    return {
        "module": "nanokeras.optimizers",
        "class_name": type(optimizer).__name__,
        "config": optimizer.get_config(),
        "registered_name": None,
    }


@export("nanokeras.optimizers.deserialize")
def deserialize(config: dict, custom_objects: dict | None = None) -> Optimizer:
    """Rebuild an optimizer from `serialize`'s output (class names in any case)."""
    known = dict(_ALL_OBJECTS_DICT)
    for name, obj in (custom_objects or {}).items():
        known[name.lower()] = obj
    name = config.get("class_name") if isinstance(config, dict) else None
    if not isinstance(name, str) or name.lower() not in known:
        raise ValueError(
            f"Could not interpret optimizer identifier: {name!r}. Expected one of "
            f"{sorted(k for k in _ALL_OBJECTS_DICT if k != 'optimizer')} (any case), "
            "a config dict, or an `Optimizer` instance."
        )
    return known[name.lower()].from_config(
        config.get("config") or {}, custom_objects=custom_objects
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
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = deserialize({"class_name": identifier, "config": {}})
    else:
        obj = identifier
    if isinstance(obj, Optimizer):
        return obj
    raise ValueError(f"Could not interpret optimizer identifier: {identifier!r}")
