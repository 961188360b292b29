"""`BaseDepthwiseConv`: convolutions that filter each channel on its own.

Mirrors: keras/layers/convolutional.py (tf.keras 2.6),
keras/src/layers/convolutional/base_depthwise_conv.py (Keras 3)

A depthwise convolution never mixes channels: input channel `c` goes
through `depth_multiplier` filters of its own, giving `c * depth_multiplier`
output channels. It costs `input_channels` times less than a full
convolution, which is why MobileNet-style models pair it with a 1x1 one.

Simplified: `data_format="channels_last"` only.
"""

from typing import Any

import activations
import constraints
import initializers
import regularizers
from backend.ops.raw_ops import convolution
from engine.base_layer import Layer
from engine.input_spec import InputSpec
from layers.convolutional.base_conv import (
    input_channels,
    window_layer_output,
    window_output_shape,
)
from utils import argument_validation as checks


class BaseDepthwiseConv(Layer):
    """Adds to `Layer` a per-channel kernel: each input channel has its own filters.

    Output channel `c * depth_multiplier + m` is input channel `c` through
    filter `m`, the order Keras and TensorFlow use. Only
    `data_format="channels_last"` is supported (channels_first raises).

    Args:
        rank: The number of spatial axes (1 or 2).
        depth_multiplier: How many filters each input channel gets.
        kernel_size: An int or a tuple of `rank` ints.
        strides: An int or a tuple: the step between windows.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or None.
        dilation_rate: An int or a tuple: spacing of the taps.
        activation: Activation name or function; None means linear.
        use_bias: Whether to add a bias vector.
        depthwise_initializer: Initializer of the kernel.
        bias_initializer: Initializer of the `(channels * depth_multiplier,)`
            bias.
        depthwise_regularizer: Regularizer of the kernel.
        bias_regularizer: Regularizer of the bias.
        activity_regularizer: Regularizer of the output.
        depthwise_constraint: Constraint applied to the kernel after updates.
        bias_constraint: Constraint applied to the bias after updates.
        **kwargs: `Layer` arguments (`name`, `dtype`, `input_shape`, ...).
    """

    def __init__(
        self,
        rank: int,
        depth_multiplier: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: Any = 1,
        activation: Any = None,
        use_bias: bool = True,
        depthwise_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        depthwise_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        depthwise_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        layer = type(self).__name__
        self.rank = rank
        self.depth_multiplier = checks.check_positive_count(
            depth_multiplier, "depth_multiplier", layer
        )
        self.kernel_size, self.strides, self.dilation_rate = checks.standardize_window(
            kernel_size, strides, dilation_rate, rank, layer
        )
        self.padding = checks.standardize_padding(padding, layer)
        self.data_format = checks.standardize_data_format(data_format, layer)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(ndim=rank + 2)

    def build(self, input_shape: tuple) -> None:
        channels = input_channels(self, input_shape)
        self.compute_output_shape(input_shape)  # a window too large fails here
        self.kernel = self.add_weight(
            name="kernel",
            shape=self.kernel_size + (channels, self.depth_multiplier),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias",
                shape=(channels * self.depth_multiplier,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={-1: channels})

    def call(self, inputs: Any) -> Any:
        return window_layer_output(
            self,
            convolution.depthwise_conv,
            inputs,
            self.kernel,
            strides=self.strides,
            padding=self.padding,
            dilation_rate=self.dilation_rate,
        )

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        channels = tuple(input_shape)[-1]
        return window_output_shape(
            self,
            input_shape,
            self.kernel_size,
            self.strides,
            self.dilation_rate,
            self.padding,
            None if channels is None else channels * self.depth_multiplier,
        )

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            depth_multiplier=self.depth_multiplier,
            kernel_size=self.kernel_size,
            strides=self.strides,
            padding=self.padding,
            data_format=self.data_format,
            dilation_rate=self.dilation_rate,
            activation=activations.serialize(self.activation),
            use_bias=self.use_bias,
            depthwise_initializer=initializers.serialize(self.depthwise_initializer),
            bias_initializer=initializers.serialize(self.bias_initializer),
            depthwise_regularizer=regularizers.serialize(self.depthwise_regularizer),
            bias_regularizer=regularizers.serialize(self.bias_regularizer),
            activity_regularizer=regularizers.serialize(self.activity_regularizer),
            depthwise_constraint=constraints.serialize(self.depthwise_constraint),
            bias_constraint=constraints.serialize(self.bias_constraint),
        )
        return config
