"""Initializers: functions of `(shape, dtype)` that give a weight its first value.

Mirrors: keras/initializers/__init__.py (tf.keras 2.6),
keras/src/initializers/__init__.py (Keras 3)

`add_weight(initializer="glorot_uniform")` looks the string up with `get()`.
The classes live in `initializer.py` (the base), `constant_initializers.py`
and `random_initializers.py`, as in Keras 3.
"""

from typing import Any

from api_export import export
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
from saving import serialization_lib

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
    """Keras 3's serialized dict, the form `get` and saving accept."""
    return serialization_lib.serialize_keras_object(initializer)


@export("nanokeras.initializers.deserialize")
def deserialize(config: Any, custom_objects: dict | None = None) -> Initializer:
    """Rebuild an initializer from a name or `serialize`'s output (Keras 3's too).

    Args:
        config: A name or a serialized dict.
        custom_objects: Optional `{name: class}` for user-defined initializers.
    """
    return serialization_lib.deserialize_module_object(
        config, _by_name(), custom_objects, "initializer"
    )


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
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        if isinstance(identifier, type) and issubclass(identifier, Initializer):
            return identifier()
        return identifier
    raise ValueError(f"Could not interpret initializer identifier: {identifier!r}")
