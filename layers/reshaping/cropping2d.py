"""`Cropping2D`: cut rows and columns off the borders of images.

Mirrors: keras/layers/convolutional.py (tf.keras 2.6),
keras/src/layers/reshaping/cropping2d.py (Keras 3)
"""

from typing import Any

from api_export import export
from engine.base_layer import Layer
from engine.input_spec import InputSpec
from layers.reshaping.spatial_arguments import (
    spatial_axes,
    spatial_data_format,
    standardize_pairs,
)


@export("nanokeras.layers.Cropping2D")
class Cropping2D(Layer):
    """Adds to `Layer` a crop of the two spatial axes of 4D inputs.

    Args:
        cropping: An int (the same on every side), 2 ints (symmetric height
            and width cropping) or 2 pairs `((top, bottom), (left, right))`.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        **kwargs: `Layer` arguments (`name`, `dtype`, ...).

    Input shape:
        4D: `(batch_size, rows, cols, channels)` (channels_last).

    Output shape:
        `(batch_size, rows - top - bottom, cols - left - right, channels)`.

    Example:

    >>> Cropping2D(((1, 0), (2, 2)))(np.ones((1, 5, 6, 1))).shape
    (1, 4, 2, 1)
    """

    def __init__(
        self,
        cropping: Any = ((0, 0), (0, 0)),
        data_format: str | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.data_format = spatial_data_format(data_format, "Cropping2D")
        self.cropping = standardize_pairs(cropping, "cropping", "Cropping2D")
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs: Any) -> Any:
        self.compute_output_shape(tuple(inputs.shape))  # a clear error if too small
        key = [slice(None)] * 4
        for axis, (before, after) in zip(spatial_axes(self.data_format), self.cropping):
            key[axis] = slice(before, inputs.shape[axis] - after)
        return inputs[tuple(key)]

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        shape = list(input_shape)
        for axis, (before, after) in zip(spatial_axes(self.data_format), self.cropping):
            if shape[axis] is None:
                continue
            if before + after >= shape[axis]:
                raise ValueError(
                    f'Layer "{self.name}" (Cropping2D): values in `cropping` '
                    "must be smaller than the corresponding spatial size of "
                    f"the input. Received: input_shape={tuple(input_shape)}, "
                    f"cropping={self.cropping}"
                )
            shape[axis] -= before + after
        return tuple(shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(cropping=self.cropping, data_format=self.data_format)
        return config
