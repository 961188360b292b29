"""Initializers: functions of `(shape, dtype)` that give a weight its first value.

Mirrors: keras/initializers/__init__.py (tf.keras 2.x),
keras/src/initializers/__init__.py (Keras 3)

`add_weight(initializer="glorot_uniform")` looks the string up with `get()`.
The classes live in `initializer.py` (the base), `constant_initializers.py`
and `random_initializers.py`, as in Keras 3.
"""

from typing import Any

from engine.api_export import export
from initializers.constant_initializers import Constant, Identity, Ones, Zeros
from initializers.initializer import Initializer, RandomInitializer
from initializers.random_initializers import (
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    Orthogonal,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
    VarianceScaling,
    compute_fans,
)

__all__ = [
    "Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform",
    "Identity", "Initializer", "LecunNormal", "LecunUniform", "Ones",
    "Orthogonal", "RandomInitializer", "RandomNormal", "RandomUniform",
    "TruncatedNormal", "VarianceScaling", "Zeros", "compute_fans", "deserialize",
    "get", "serialize",
]  # fmt: skip


def _by_name() -> dict:
    """Every exported name (`"glorot_uniform"`, `"GlorotUniform"`) -> class."""
    names = {}
    for cls in (Zeros, Ones, Constant, RandomNormal, RandomUniform, TruncatedNormal,
                VarianceScaling, GlorotUniform, GlorotNormal, HeUniform, HeNormal,
                LecunUniform, LecunNormal, Orthogonal, Identity):  # fmt: skip
        for path in cls._api_names:
            names[path.rpartition(".")[2]] = cls
    # Keras's short aliases (`Embedding` defaults to "uniform").
    names.update(normal=RandomNormal, uniform=RandomUniform, one=Ones, zero=Zeros)
    return names


@export("nanokeras.initializers.serialize")
def serialize(initializer: Initializer) -> dict:
    """`{"class_name": ..., "config": ...}`, the form `get` and saving accept."""
    return {
        "class_name": type(initializer).__name__,
        "config": initializer.get_config(),
    }


@export("nanokeras.initializers.deserialize")
def deserialize(config: Any, custom_objects: dict | None = None) -> Initializer:
    """Rebuild an initializer from `serialize`'s output (Keras 3's dicts too).

    Args:
        config: A name or a `{"class_name": ..., "config": ...}` dict; Keras 3's
            extra `module`/`registered_name` keys are ignored.
        custom_objects: Optional `{name: class}` for user-defined initializers.
    """
    name = config.get("class_name") if isinstance(config, dict) else config
    if custom_objects and isinstance(name, str) and name in custom_objects:
        cls = custom_objects[name]
        if isinstance(config, dict):
            return cls.from_config(config.get("config") or {})
        return cls()
    return get(config)


@export("nanokeras.initializers.get")
def get(identifier: Any) -> Initializer | None:
    """An initializer from a name, a config dict, an instance or a callable.

    Args:
        identifier: `None`, a string such as `"glorot_uniform"` or
            `"GlorotUniform"`, a dict from `serialize`, an `Initializer`, or
            any callable taking `(shape, dtype)`.

    Returns:
        An initializer, or None for None.
    """
    if identifier is None or isinstance(identifier, Initializer):
        return identifier
    names = _by_name()
    if isinstance(identifier, str):
        if identifier not in names:
            raise ValueError(
                f"Could not interpret initializer identifier: {identifier!r}. "
                f"Known names: {sorted(n for n in names if n.islower())}."
            )
        return names[identifier]()
    if isinstance(identifier, dict) and identifier.get("class_name") in names:
        return names[identifier["class_name"]].from_config(identifier.get("config", {}))
    if callable(identifier):
        if isinstance(identifier, type) and issubclass(identifier, Initializer):
            return identifier()
        return identifier
    raise ValueError(f"Could not interpret initializer identifier: {identifier!r}")
