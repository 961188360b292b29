"""`GlobalMaxPooling2D`: the largest value of each channel over the whole image.

Mirrors: keras/layers/pooling.py (tf.keras 2.6),
keras/src/layers/pooling/global_max_pooling2d.py (Keras 3)
"""

from typing import Any

from api_export import export
from backend.ops.raw_ops import math as math_ops
from layers.pooling.base_global_pooling import BaseGlobalPooling


@export("nanokeras.layers.GlobalMaxPooling2D", "nanokeras.layers.GlobalMaxPool2D")
class GlobalMaxPooling2D(BaseGlobalPooling):
    """Adds to `BaseGlobalPooling` the max over height and width.

    Only `data_format="channels_last"` is supported.

    Args:
        data_format: `"channels_last"` or None.
        keepdims: Keep the reduced axes with size 1.
        **kwargs: `Layer` arguments (`name`, `dtype`, `input_shape`, ...).

    Input shape:
        `(batch_size, height, width, channels)`.

    Output shape:
        `(batch_size, channels)`, or `(batch_size, 1, 1, channels)` with
        `keepdims=True`.

    Example:

    >>> GlobalMaxPooling2D()(np.ones((2, 4, 4, 3))).shape
    (2, 3)
    """

    def __init__(
        self, data_format: str | None = None, keepdims: bool = False, **kwargs
    ):
        super().__init__(
            pool_dimensions=2, data_format=data_format, keepdims=keepdims, **kwargs
        )

    def call(self, inputs: Any) -> Any:
        return math_ops.max(inputs, axis=self.spatial_axes, keepdims=self.keepdims)
