"""`Flatten`: collapse every axis but the batch axis into one.

Mirrors: keras/layers/core.py (tf.keras 2.6),
keras/src/layers/reshaping/flatten.py (Keras 3)
"""

import math
from typing import Any

from api_export import export
from backend.ops.raw_ops import array as array_ops
from engine.base_layer import Layer
from engine.input_spec import InputSpec


@export("nanokeras.layers.Flatten")
class Flatten(Layer):
    """Adds to `Layer` a reshape to `(batch, product of the other axes)`.

    Args:
        data_format: `"channels_last"` (default) or `"channels_first"`. With
            `"channels_first"` the channel axis is moved last before
            flattening, so the order of the values matches a channels-last
            model (as in Keras).
        **kwargs: `Layer` arguments (`name`, `dtype`, ...).

    Input shape:
        `(batch_size, ...)`, rank at least 1.

    Output shape:
        `(batch_size, product of the non-batch sizes)`; a rank-1 input gives
        `(batch_size, 1)`.

    Example:

    >>> Flatten()(np.ones((2, 3, 4))).shape
    (2, 12)
    """

    def __init__(self, data_format: str | None = None, **kwargs):
        super().__init__(**kwargs)
        data_format = data_format or "channels_last"
        if data_format not in ("channels_last", "channels_first"):
            raise ValueError(
                "The `data_format` argument of layer Flatten must be one of "
                f"'channels_last', 'channels_first'. Received: data_format="
                f"{data_format!r}"
            )
        self.data_format = data_format
        self.input_spec = InputSpec(min_ndim=1)

    def call(self, inputs: Any) -> Any:
        if self.data_format == "channels_first" and inputs.ndim > 2:
            order = (0,) + tuple(range(2, inputs.ndim)) + (1,)
            inputs = array_ops.transpose(inputs, order)
        return array_ops.reshape(inputs, (inputs.shape[0], -1))

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        rest = tuple(input_shape)[1:]
        if any(size is None for size in rest):
            return (input_shape[0], None)
        return (input_shape[0], math.prod(rest))

    def get_config(self) -> dict:
        config = super().get_config()
        config["data_format"] = self.data_format
        return config
