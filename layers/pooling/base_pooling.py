"""`BasePooling`: what the windowed pooling layers share (max and average).

Mirrors: keras/layers/pooling.py (tf.keras 2.6),
keras/src/layers/pooling/base_pooling.py (Keras 3)

A pooling layer slides a `pool_size` window over the spatial axes and keeps
one number per window and channel: the largest (`pool_mode="max"`) or the
mean (`"average"`). It has no weights; it shrinks the feature maps and
makes them a little insensitive to small shifts.

Simplified: `data_format="channels_last"` only.
"""

from typing import Any

from backend.ops.raw_ops import pooling
from engine.base_layer import Layer
from engine.input_spec import InputSpec
from layers.convolutional.base_conv import run_window_op, window_output_shape
from utils import argument_validation as checks


class BasePooling(Layer):
    """Adds to `Layer` a sliding window reduced to its max or its mean.

    Only `data_format="channels_last"` is supported (channels_first raises a
    ValueError).

    Args:
        pool_size: An int or a tuple of `pool_dimensions` ints.
        strides: An int, a tuple, or None (then equal to `pool_size`).
        pool_dimensions: The number of spatial axes (1 or 2).
        pool_mode: `"max"` or `"average"`.
        padding: `"valid"` or `"same"` (padded values never count).
        data_format: `"channels_last"` or None.
        name: The layer's name.
        **kwargs: `Layer` arguments (`dtype`, `input_shape`, ...).
    """

    def __init__(
        self,
        pool_size: Any,
        strides: Any,
        pool_dimensions: int,
        pool_mode: str = "max",
        padding: str = "valid",
        data_format: str | None = None,
        name: str | None = None,
        **kwargs,
    ):
        super().__init__(name=name, **kwargs)
        layer = type(self).__name__
        self.pool_size = checks.standardize_tuple(
            pool_size, pool_dimensions, "pool_size", layer
        )
        strides = self.pool_size if strides is None else strides
        self.strides = checks.standardize_tuple(
            strides, pool_dimensions, "strides", layer
        )
        self.pool_dimensions = pool_dimensions
        self.pool_mode = pool_mode
        self.padding = checks.standardize_padding(padding, layer)
        self.data_format = checks.standardize_data_format(data_format, layer)
        self.input_spec = InputSpec(ndim=pool_dimensions + 2)
        # Pooling keeps the steps axis of a 1D input, so a mask cannot follow
        # it in general; like Keras, these layers do not support masking.
        self._op = pooling.max_pool if pool_mode == "max" else pooling.average_pool

    def call(self, inputs: Any) -> Any:
        return run_window_op(
            self,
            self._op,
            inputs,
            self.pool_size,
            strides=self.strides,
            padding=self.padding,
        )

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return window_output_shape(
            self,
            input_shape,
            self.pool_size,
            self.strides,
            (1,) * self.pool_dimensions,
            self.padding,
            tuple(input_shape)[-1],
            window_name="pool_size",
        )

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            pool_size=self.pool_size,
            padding=self.padding,
            strides=self.strides,
            data_format=self.data_format,
        )
        return config
