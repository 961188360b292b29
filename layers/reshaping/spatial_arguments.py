"""Argument checks shared by the 2D reshaping layers (padding, cropping, upsampling).

Mirrors: keras/layers/convolutional.py argument parsing (tf.keras 2.6),
keras/src/layers/reshaping/zero_padding2d.py + cropping2d.py argument parsing
(Keras 3)

Unlike convolutions, these layers only move values around, so both data
formats are cheap to support: only the spatial axes differ.
"""

from typing import Any

import numpy as np

from utils.argument_validation import standardize_tuple


def spatial_data_format(data_format: Any, layer: str) -> str:
    """`"channels_last"` (the default, for None) or `"channels_first"`."""
    if data_format is None:
        return "channels_last"
    normalized = str(data_format).lower()
    if normalized not in ("channels_first", "channels_last"):
        raise ValueError(
            f"The `data_format` argument of layer {layer} must be one of "
            "'channels_first', 'channels_last'. "
            f"Received: data_format={data_format!r}"
        )
    return normalized


def spatial_axes(data_format: str) -> tuple[int, int]:
    """The (rows, cols) axes of a 4D input in `data_format`."""
    return (1, 2) if data_format == "channels_last" else (2, 3)


def standardize_pairs(value: Any, name: str, layer: str) -> tuple:
    """An int, 2 ints or 2 pairs as `((top, bottom), (left, right))`, Keras's rule.

    `1` means 1 on every side; `(1, 2)` 1 at top and bottom and 2 at left and
    right; `((1, 2), (3, 4))` gives each side its own amount.
    """
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        pair = standardize_tuple(value, 2, name, layer, allow_zero=True)
        return (pair, pair)
    if not hasattr(value, "__len__") or len(value) != 2:
        raise ValueError(
            f"The `{name}` argument of layer {layer} should be an int, a "
            "tuple of 2 ints (symmetric height, symmetric width), or a tuple "
            "of 2 tuples of 2 ints ((top, bottom), (left, right)). "
            f"Received: {name}={value!r}"
        )
    return tuple(
        standardize_tuple(entry, 2, f"{ordinal} entry of {name}", layer, True)
        for ordinal, entry in zip(("1st", "2nd"), value)
    )
