"""`AveragePooling2D`: the mean of each window of an image.

Mirrors: keras/layers/pooling.py (tf.keras 2.6),
keras/src/layers/pooling/average_pooling2d.py (Keras 3)
"""

from typing import Any

from api_export import export
from layers.pooling.base_pooling import BasePooling


@export("nanokeras.layers.AveragePooling2D", "nanokeras.layers.AvgPool2D")
class AveragePooling2D(BasePooling):
    """Adds to `BasePooling` two spatial axes and the mean of each window.

    With `padding="same"` a border window divides by the number of real
    values it covers. Only `data_format="channels_last"` is supported.

    Args:
        pool_size: An int or a 2-tuple: the window size.
        strides: An int, a 2-tuple, or None (then `pool_size`).
        padding: `"valid"` or `"same"` (padded values never count).
        data_format: `"channels_last"` or None.
        name: The layer's name.
        **kwargs: `Layer` arguments (`dtype`, `input_shape`, ...).

    Input shape:
        `(batch_size, height, width, channels)`.

    Output shape:
        `(batch_size, pooled_height, pooled_width, channels)`.

    Example:

    >>> AveragePooling2D(2, strides=1)(np.ones((1, 4, 4, 3))).shape
    (1, 3, 3, 3)
    """

    def __init__(
        self,
        pool_size: Any,
        strides: Any = None,
        padding: str = "valid",
        data_format: str | None = None,
        name: str | None = None,
        **kwargs,
    ):
        super().__init__(
            pool_size,
            strides,
            pool_dimensions=2,
            pool_mode="average",
            padding=padding,
            data_format=data_format,
            name=name,
            **kwargs,
        )
