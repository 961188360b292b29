"""`GlobalMaxPooling1D`: the largest value of each channel over all steps.

Mirrors: keras/layers/pooling.py (tf.keras 2.6),
keras/src/layers/pooling/global_max_pooling1d.py (Keras 3)
"""

from typing import Any

from api_export import export
from backend.ops.raw_ops import math as math_ops
from layers.pooling.base_global_pooling import BaseGlobalPooling


@export("nanokeras.layers.GlobalMaxPooling1D", "nanokeras.layers.GlobalMaxPool1D")
class GlobalMaxPooling1D(BaseGlobalPooling):
    """Adds to `BaseGlobalPooling` the max over the steps axis.

    Only `data_format="channels_last"` is supported.

    Args:
        data_format: `"channels_last"` or None.
        keepdims: Keep the reduced axes with size 1.
        **kwargs: `Layer` arguments (`name`, `dtype`, `input_shape`, ...).

    Input shape:
        `(batch_size, steps, channels)`.

    Output shape:
        `(batch_size, channels)`, or `(batch_size, 1, channels)` with `keepdims=True`.

    Example:

    >>> GlobalMaxPooling1D()(np.ones((2, 5, 3))).shape
    (2, 3)
    """

    def __init__(
        self, data_format: str | None = None, keepdims: bool = False, **kwargs
    ):
        super().__init__(
            pool_dimensions=1, data_format=data_format, keepdims=keepdims, **kwargs
        )

    def call(self, inputs: Any) -> Any:
        return math_ops.max(inputs, axis=self.spatial_axes, keepdims=self.keepdims)
