"""The `Layer` subclasses, one family a folder, and `serialize`/`deserialize`.

Mirrors: keras/layers/serialization.py (tf.keras 2.6), keras/src/layers/__init__.py
(Keras 3)
"""

from typing import Any

from api_export import export
from saving import serialization_lib


@export("nanokeras.layers.serialize")
def serialize(layer: Any) -> dict:
    """A layer's config in Keras 3's dict format (no weights)."""
    return serialization_lib.serialize_keras_object(layer)


@export("nanokeras.layers.deserialize")
def deserialize(config: dict, custom_objects: dict | None = None) -> Any:
    """Create a layer (or model) from `serialize`'s output.

    Args:
        config: The dict `serialize` returned (Keras 3's dicts load too).
        custom_objects: Custom classes and functions the config names.
    """
    from engine.base_layer import Layer

    layer = serialization_lib.deserialize_keras_object(config, custom_objects)
    if not isinstance(layer, Layer):
        raise ValueError(
            "`keras.layers.deserialize` expects the config of a layer. "
            f"Received a config of {type(layer).__name__}: {str(config)[:200]}"
        )
    return layer
