"""`BaseGlobalPooling`: reduce all spatial axes at once (max or mean).

Mirrors: keras/layers/pooling.py (tf.keras 2.6),
keras/src/layers/pooling/base_global_pooling.py (Keras 3)

Global pooling turns a feature map of any size into one vector per example,
`(batch, channels)`, which is how a convolutional stack hands over to a
`Dense` classifier without a `Flatten` that would fix the image size.

Simplified: `data_format="channels_last"` only.
"""

from typing import Any

from engine.base_layer import Layer
from engine.input_spec import InputSpec
from utils import argument_validation as checks


class BaseGlobalPooling(Layer):
    """Adds to `Layer` a reduction over every spatial axis, optionally keeping them.

    Subclasses implement `call` with a max or a mean over
    `self.spatial_axes`. Only `data_format="channels_last"` is supported.

    Args:
        pool_dimensions: The number of spatial axes (1 or 2).
        data_format: `"channels_last"` or None.
        keepdims: Keep the spatial axes with size 1
            (`(batch, 1, 1, channels)` instead of `(batch, channels)`).
        **kwargs: `Layer` arguments (`name`, `dtype`, `input_shape`, ...).
    """

    def __init__(
        self,
        pool_dimensions: int,
        data_format: str | None = None,
        keepdims: bool = False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.data_format = checks.standardize_data_format(
            data_format, type(self).__name__
        )
        self.keepdims = bool(keepdims)
        self.pool_dimensions = pool_dimensions
        self.spatial_axes = tuple(range(1, pool_dimensions + 1))
        self.input_spec = InputSpec(ndim=pool_dimensions + 2)

    def call(self, inputs: Any) -> Any:
        raise NotImplementedError

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        input_shape = tuple(input_shape)
        if self.keepdims:
            return (input_shape[0],) + (1,) * self.pool_dimensions + input_shape[-1:]
        return (input_shape[0], input_shape[-1])

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(data_format=self.data_format, keepdims=self.keepdims)
        return config
