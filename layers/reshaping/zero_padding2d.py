"""`ZeroPadding2D`: add rows and columns of zeros around images.

Mirrors: keras/layers/convolutional.py (tf.keras 2.6),
keras/src/layers/reshaping/zero_padding2d.py (Keras 3)
"""

from typing import Any

from api_export import export
from backend.ops.raw_ops import array as array_ops
from engine.base_layer import Layer
from engine.input_spec import InputSpec
from layers.reshaping.spatial_arguments import (
    spatial_axes,
    spatial_data_format,
    standardize_pairs,
)


@export("nanokeras.layers.ZeroPadding2D")
class ZeroPadding2D(Layer):
    """Adds to `Layer` zero padding of the two spatial axes of 4D inputs.

    Args:
        padding: An int (the same on every side), 2 ints (symmetric height
            and width padding) or 2 pairs `((top, bottom), (left, right))`.
        data_format: `"channels_last"` (default, `(batch, rows, cols,
            channels)`) or `"channels_first"` (`(batch, channels, rows, cols)`).
        **kwargs: `Layer` arguments (`name`, `dtype`, ...).

    Input shape:
        4D: `(batch_size, rows, cols, channels)` (channels_last).

    Output shape:
        `(batch_size, top + rows + bottom, left + cols + right, channels)`.

    Example:

    >>> ZeroPadding2D(((1, 0), (2, 2)))(np.ones((1, 3, 3, 1))).shape
    (1, 4, 7, 1)
    """

    def __init__(self, padding: Any = (1, 1), data_format: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = spatial_data_format(data_format, "ZeroPadding2D")
        self.padding = standardize_pairs(padding, "padding", "ZeroPadding2D")
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs: Any) -> Any:
        widths = [(0, 0)] * 4
        for axis, pair in zip(spatial_axes(self.data_format), self.padding):
            widths[axis] = pair
        return array_ops.pad(inputs, widths)

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        shape = list(input_shape)
        for axis, (before, after) in zip(spatial_axes(self.data_format), self.padding):
            if shape[axis] is not None:
                shape[axis] += before + after
        return tuple(shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(padding=self.padding, data_format=self.data_format)
        return config
