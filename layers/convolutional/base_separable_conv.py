"""`BaseSeparableConv`: a depthwise convolution followed by a 1x1 one.

Mirrors: keras/layers/convolutional.py (tf.keras 2.6),
keras/src/layers/convolutional/base_separable_conv.py (Keras 3)

A full convolution learns spatial patterns and channel mixes in one kernel
of `kh * kw * in * filters` numbers. A separable one factors it: a depthwise
step (`kh * kw * in * depth_multiplier`, space only) then a pointwise 1x1
convolution (`in * depth_multiplier * filters`, channels only), far fewer
weights for nearly the same power (Xception, MobileNet).

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


class BaseSeparableConv(Layer):
    """Adds to `Layer` a depthwise kernel, a pointwise kernel and a bias.

    The weights, in Keras's order: `depthwise_kernel`
    `kernel_size + (channels, depth_multiplier)`, `pointwise_kernel`
    `(1,) * rank + (channels * depth_multiplier, filters)` and `bias`
    `(filters,)`. Strides, padding and dilation apply to the depthwise step.
    Only `data_format="channels_last"` is supported (channels_first raises).

    Args:
        rank: The number of spatial axes (1 or 2).
        depth_multiplier: How many depthwise filters each input channel gets.
        filters: The number of output channels.
        kernel_size: An int or a tuple of `rank` ints.
        strides: An int or a tuple: the step between windows.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or None.
        dilation_rate: An int or a tuple: spacing of the taps.
        activation: Activation name or function; None means linear.
        use_bias: Whether to add a bias vector.
        depthwise_initializer: Initializer of the depthwise kernel.
        pointwise_initializer: Initializer of the pointwise kernel.
        bias_initializer: Initializer of the bias.
        depthwise_regularizer: Regularizer of the depthwise kernel.
        pointwise_regularizer: Regularizer of the pointwise kernel.
        bias_regularizer: Regularizer of the bias.
        activity_regularizer: Regularizer of the output.
        depthwise_constraint: Constraint on the depthwise kernel.
        pointwise_constraint: Constraint on the pointwise kernel.
        bias_constraint: Constraint on the bias.
        **kwargs: `Layer` arguments (`name`, `dtype`, `input_shape`, ...).
    """

    def __init__(
        self,
        rank: int,
        depth_multiplier: int,
        filters: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: Any = 1,
        activation: Any = None,
        use_bias: bool = True,
        depthwise_initializer: Any = "glorot_uniform",
        pointwise_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        depthwise_regularizer: Any = None,
        pointwise_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        depthwise_constraint: Any = None,
        pointwise_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        layer = type(self).__name__
        self.rank = rank
        self.depth_multiplier = checks.check_positive_count(
            depth_multiplier, "depth_multiplier", layer
        )
        self.filters = checks.check_positive_count(filters, "filters", layer)
        self.kernel_size, self.strides, self.dilation_rate = checks.standardize_window(
            kernel_size, strides, dilation_rate, rank, layer
        )
        self.padding = checks.standardize_padding(padding, layer)
        self.data_format = checks.standardize_data_format(data_format, layer)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.pointwise_constraint = constraints.get(pointwise_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(ndim=rank + 2)

    def build(self, input_shape: tuple) -> None:
        channels = input_channels(self, input_shape)
        self.compute_output_shape(input_shape)  # a window too large fails here
        self.depthwise_kernel = self.add_weight(
            name="depthwise_kernel",
            shape=self.kernel_size + (channels, self.depth_multiplier),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint,
        )
        self.pointwise_kernel = self.add_weight(
            name="pointwise_kernel",
            shape=(1,) * self.rank + (channels * self.depth_multiplier, self.filters),
            initializer=self.pointwise_initializer,
            regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias",
                shape=(self.filters,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={-1: channels})

    def call(self, inputs: Any) -> Any:
        return window_layer_output(
            self,
            convolution.separable_conv,
            inputs,
            self.depthwise_kernel,
            self.pointwise_kernel,
            strides=self.strides,
            padding=self.padding,
            dilation_rate=self.dilation_rate,
        )

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return window_output_shape(
            self,
            input_shape,
            self.kernel_size,
            self.strides,
            self.dilation_rate,
            self.padding,
            self.filters,
        )

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            depth_multiplier=self.depth_multiplier,
            filters=self.filters,
            kernel_size=self.kernel_size,
            strides=self.strides,
            padding=self.padding,
            data_format=self.data_format,
            dilation_rate=self.dilation_rate,
            activation=activations.serialize(self.activation),
            use_bias=self.use_bias,
        )
        for part in ("depthwise", "pointwise", "bias"):
            config[f"{part}_initializer"] = initializers.serialize(
                getattr(self, f"{part}_initializer")
            )
            config[f"{part}_regularizer"] = regularizers.serialize(
                getattr(self, f"{part}_regularizer")
            )
            config[f"{part}_constraint"] = constraints.serialize(
                getattr(self, f"{part}_constraint")
            )
        config["activity_regularizer"] = regularizers.serialize(
            self.activity_regularizer
        )
        return config
