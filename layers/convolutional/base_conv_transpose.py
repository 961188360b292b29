"""`BaseConvTranspose`: convolutions run backwards, that upsample (`Conv2DTranspose`).

Mirrors: keras/layers/convolutional.py (tf.keras 2.6),
keras/src/layers/convolutional/base_conv_transpose.py (Keras 3)

A transposed convolution is the gradient of a convolution used as a forward
pass: each input pixel scatters a copy of the kernel, scaled by its value,
into the output, `strides` pixels apart. With `strides=2` the output is
twice the input's size, which is how decoders and GANs grow images.

Simplified: `data_format="channels_last"` only; no LoRA.
"""

from typing import Any

import activations
import constraints
import initializers
import regularizers
from backend.ops.raw_ops import convolution
from engine.base_layer import Layer
from engine.input_spec import InputSpec
from layers.convolutional.base_conv import input_channels, window_layer_output
from utils import argument_validation as checks


def deconv_output_length(
    size: int | None,
    kernel: int,
    stride: int,
    dilation: int,
    padding: str,
    output_padding: int | None,
) -> int | None:
    """The length of one spatial axis after a transposed convolution.

    Keras's rule: without `output_padding`, `size * stride` for `"same"` and
    `size * stride + max(reach - stride, 0)` for `"valid"`; with it, the
    exact inverse of a convolution's length plus the extra `output_padding`.
    """
    if size is None:
        return None
    reach = (kernel - 1) * dilation + 1
    if output_padding is None:
        if padding == "valid":
            return size * stride + max(reach - stride, 0)
        return size * stride
    pad = reach // 2 if padding == "same" else 0
    return (size - 1) * stride + reach - 2 * pad + output_padding


class BaseConvTranspose(Layer):
    """Adds to `Layer` a transposed-convolution kernel and bias (upsampling).

    The kernel's shape is `kernel_size + (filters, input_channels)`: the
    transpose of a `Conv` kernel that would map `filters` channels back to
    `input_channels`. Only `data_format="channels_last"` is supported
    (channels_first raises a ValueError); LoRA (Keras 3) is left out.

    Args:
        rank: The number of spatial axes (1 or 2).
        filters: The number of output channels.
        kernel_size: An int or a tuple of `rank` ints.
        strides: An int or a tuple: the upsampling factor per axis.
        padding: `"valid"` or `"same"`.
        output_padding: None, an int or a tuple: extra rows at the end of
            each axis; each must be less than the stride.
        data_format: `"channels_last"` or None.
        dilation_rate: An int or a tuple: spacing of the kernel's taps.
        activation: Activation name or function; None means linear.
        use_bias: Whether to add a bias vector.
        kernel_initializer: Initializer of the kernel.
        bias_initializer: Initializer of the `(filters,)` bias.
        kernel_regularizer: Regularizer of the kernel.
        bias_regularizer: Regularizer of the bias.
        activity_regularizer: Regularizer of the output.
        kernel_constraint: Constraint applied to the kernel after updates.
        bias_constraint: Constraint applied to the bias after updates.
        **kwargs: `Layer` arguments (`name`, `dtype`, `input_shape`, ...).
    """

    def __init__(
        self,
        rank: int,
        filters: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        output_padding: Any = None,
        data_format: str | None = None,
        dilation_rate: Any = 1,
        activation: Any = None,
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        layer = type(self).__name__
        self.rank = rank
        self.filters = checks.check_positive_count(filters, "filters", layer)
        self.kernel_size, self.strides, self.dilation_rate = checks.standardize_window(
            kernel_size, strides, dilation_rate, rank, layer
        )
        self.padding = checks.standardize_padding(padding, layer)
        self.output_padding = None
        if output_padding is not None:
            self.output_padding = checks.standardize_tuple(
                output_padding, rank, "output_padding", layer, allow_zero=True
            )
            if any(p >= s for p, s in zip(self.output_padding, self.strides)):
                raise ValueError(
                    f"Layer {layer}: `output_padding` must be strictly less than "
                    f"`strides` on every axis. Received: output_padding="
                    f"{self.output_padding}, strides={self.strides}."
                )
        self.data_format = checks.standardize_data_format(data_format, layer)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(ndim=rank + 2)

    def build(self, input_shape: tuple) -> None:
        channels = input_channels(self, input_shape)
        self.kernel = self.add_weight(
            name="kernel",
            shape=self.kernel_size + (self.filters, channels),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
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
            convolution.conv_transpose,
            inputs,
            self.kernel,
            strides=self.strides,
            padding=self.padding,
            output_padding=self.output_padding,
            dilation_rate=self.dilation_rate,
        )

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        input_shape = tuple(input_shape)
        extras = self.output_padding or (None,) * self.rank
        spatial = tuple(
            deconv_output_length(size, kernel, stride, dilation, self.padding, extra)
            for size, kernel, stride, dilation, extra in zip(
                input_shape[1:-1],
                self.kernel_size,
                self.strides,
                self.dilation_rate,
                extras,
            )
        )
        return (input_shape[0], *spatial, self.filters)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            filters=self.filters,
            kernel_size=self.kernel_size,
            strides=self.strides,
            padding=self.padding,
            output_padding=self.output_padding,
            data_format=self.data_format,
            dilation_rate=self.dilation_rate,
            activation=activations.serialize(self.activation),
            use_bias=self.use_bias,
            kernel_initializer=initializers.serialize(self.kernel_initializer),
            bias_initializer=initializers.serialize(self.bias_initializer),
            kernel_regularizer=regularizers.serialize(self.kernel_regularizer),
            bias_regularizer=regularizers.serialize(self.bias_regularizer),
            activity_regularizer=regularizers.serialize(self.activity_regularizer),
            kernel_constraint=constraints.serialize(self.kernel_constraint),
            bias_constraint=constraints.serialize(self.bias_constraint),
        )
        return config
