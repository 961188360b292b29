"""`GlobalAveragePooling1D`: the mean of each channel over all steps.

Mirrors: keras/layers/pooling.py (tf.keras 2.6),
keras/src/layers/pooling/global_average_pooling1d.py (Keras 3)
"""

from typing import Any

from api_export import export
from backend.ops.raw_ops import array as array_ops
from backend.ops.raw_ops import math as math_ops
from layers.pooling.base_global_pooling import BaseGlobalPooling


@export("nanokeras.layers.GlobalAveragePooling1D", "nanokeras.layers.GlobalAvgPool1D")
class GlobalAveragePooling1D(BaseGlobalPooling):
    """Adds to `BaseGlobalPooling` the mean over the steps axis, skipping masked steps.

    With a mask (from `Embedding(mask_zero=True)`) the mean runs over the
    real steps only. Only `data_format="channels_last"` is supported.

    Args:
        data_format: `"channels_last"` or None.
        keepdims: Keep the reduced axes with size 1.
        **kwargs: `Layer` arguments (`name`, `dtype`, `input_shape`, ...).

    Input shape:
        `(batch_size, steps, channels)`.

    Output shape:
        `(batch_size, channels)`, or `(batch_size, 1, channels)` with `keepdims=True`.

    Example:

    >>> GlobalAveragePooling1D()(np.ones((2, 5, 3))).shape
    (2, 3)
    """

    def __init__(
        self, data_format: str | None = None, keepdims: bool = False, **kwargs
    ):
        super().__init__(
            pool_dimensions=1, data_format=data_format, keepdims=keepdims, **kwargs
        )
        self.supports_masking = True

    def call(self, inputs: Any, mask: Any = None) -> Any:
        if mask is None:
            return math_ops.mean(inputs, axis=1, keepdims=self.keepdims)
        # The mean over the real steps only: padded steps count as 0 in the
        # sum and are left out of the count.
        weights = math_ops.cast(array_ops.expand_dims(mask, -1), inputs.dtype)
        total = math_ops.sum(
            math_ops.multiply(inputs, weights), axis=1, keepdims=self.keepdims
        )
        count = math_ops.sum(weights, axis=1, keepdims=self.keepdims)
        return math_ops.divide(total, count)

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """None: the steps the mask described are gone."""
        return None
