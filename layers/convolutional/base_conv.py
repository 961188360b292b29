"""`BaseConv`: what every N-D convolution layer shares (`Conv1D`, `Conv2D`).

Mirrors: keras/layers/convolutional.py (tf.keras 2.6),
keras/src/layers/convolutional/base_conv.py (Keras 3)

A convolution layer is a `Dense` layer that slides: the same kernel of shape
`kernel_size + (input_channels // groups, filters)` is applied to every window
of the input, so it learns local patterns wherever they appear. The layer
itself only checks its arguments, creates the kernel and bias, and calls
`backend.ops.convolution.conv`; the op does the im2col arithmetic.

Simplified: `data_format="channels_last"` only (channels_first raises a
ValueError when the layer is made); `groups > 1` runs one convolution per
group; no LoRA.
"""

from typing import Any

import activations
import constraints
import initializers
import regularizers
from backend.ops.raw_ops import array as array_ops
from backend.ops.raw_ops import convolution
from backend.ops.raw_ops import math as math_ops
from backend.ops.windows import padding_amounts
from engine.base_layer import Layer
from engine.input_spec import InputSpec
from utils import argument_validation as checks


def conv_output_length(
    size: int | None, kernel: int, stride: int, dilation: int, padding: str
) -> int | None:
    """The length of one spatial axis after a convolution or a pooling.

    `"valid"` fits whole (dilated) windows only; `"same"` and `"causal"` pad
    so that `ceil(size / stride)` windows fit. None (unknown) stays None.
    """
    if size is None:
        return None
    reach = (kernel - 1) * dilation + 1
    mode = "valid" if padding == "valid" else "same"
    ((before, after),) = padding_amounts((size,), (reach,), (stride,), mode)
    return (size + before + after - reach) // stride + 1


def window_output_shape(
    layer: Layer,
    input_shape: tuple,
    kernel_size: tuple,
    strides: tuple,
    dilation_rate: tuple,
    padding: str,
    channels: int,
    window_name: str = "kernel_size",
) -> tuple:
    """`(batch, *spatial, channels)` after sliding `kernel_size` windows.

    Raises a ValueError naming `layer` when a window does not fit the input.
    """
    input_shape = tuple(input_shape)
    spatial = tuple(
        conv_output_length(size, kernel, stride, dilation, padding)
        for size, kernel, stride, dilation in zip(
            input_shape[1:-1], kernel_size, strides, dilation_rate
        )
    )
    if any(size is not None and size < 1 for size in spatial):
        raise ValueError(
            f'Layer "{layer.name}" ({type(layer).__name__}): the window '
            f"({window_name}={kernel_size}, dilation_rate={dilation_rate}) is "
            f"larger than the input, so the output would be empty. Received "
            f"input_shape={input_shape}, padding={padding!r}. Use a smaller "
            f"{window_name} or padding='same'."
        )
    return (input_shape[0], *spatial, channels)


def input_channels(layer: Layer, input_shape: tuple) -> int:
    """The size of the channels axis, which must be known to create a kernel."""
    channels = tuple(input_shape)[-1]
    if channels is None:
        raise ValueError(
            f'Layer "{layer.name}" ({type(layer).__name__}) needs the size of '
            f"the channels axis (the last one) to create its kernel, but "
            f"received input_shape={tuple(input_shape)}. Give that axis a "
            "fixed size."
        )
    return channels


def run_window_op(layer: Layer, op: Any, *args, **kwargs) -> Any:
    """Call a convolution op; name the layer in the op's error if it fails.

    The layer checks shapes in `build`, but a fully convolutional model may be
    called later on a smaller image: the op's message then gains the layer.
    """
    try:
        return op(*args, **kwargs)
    except ValueError as error:
        raise ValueError(
            f'Layer "{layer.name}" ({type(layer).__name__}): {error}'
        ) from None


def window_layer_output(layer: Layer, op: Any, inputs: Any, *kernels, **arguments):
    """`activation(op(inputs, *kernels) + bias)`: the `call` of a convolution
    layer whose op takes its kernels as they are (transposed, depthwise,
    separable; `BaseConv` slices its kernel per group first).

    Integer inputs are computed in the layer's float dtype, and a shape error
    from the op names the layer (see `run_window_op`).
    """
    if inputs.dtype != layer.compute_dtype:
        inputs = math_ops.cast(inputs, layer.compute_dtype)
    outputs = run_window_op(layer, op, inputs, *kernels, **arguments)
    if layer.bias is not None:
        outputs = math_ops.add(outputs, layer.bias)
    return layer.activation(outputs)


class BaseConv(Layer):
    """Adds to `Layer` a sliding kernel and bias: `activation(conv(x, kernel) + bias)`.

    Only `data_format="channels_last"` is supported (channels_first raises a
    ValueError). `groups > 1` is computed as one convolution per group of
    channels. LoRA (Keras 3) is left out.

    Args:
        rank: The number of spatial axes (1 or 2).
        filters: The number of output channels.
        kernel_size: An int or a tuple of `rank` ints: the window size.
        strides: An int or a tuple of `rank` ints: the step between windows.
        padding: `"valid"`, `"same"`, or (`Conv1D` only) `"causal"`.
        data_format: `"channels_last"` or None.
        dilation_rate: An int or a tuple of `rank` ints: spacing of the taps.
        groups: Split the input channels into this many groups, each
            convolved with its own `filters // groups` filters.
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
        data_format: str | None = None,
        dilation_rate: Any = 1,
        groups: int = 1,
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
        self.groups = checks.check_positive_count(groups, "groups", layer)
        if self.filters % self.groups:
            raise ValueError(
                f"Layer {layer}: the number of filters must be divisible by the "
                f"number of groups. Received: groups={self.groups}, "
                f"filters={self.filters}."
            )
        self.kernel_size, self.strides, self.dilation_rate = checks.standardize_window(
            kernel_size, strides, dilation_rate, rank, layer
        )
        self.padding = checks.standardize_padding(padding, layer, rank == 1)
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
        if channels % self.groups:
            raise ValueError(
                f'Layer "{self.name}" ({type(self).__name__}): the number of '
                f"input channels must be divisible by the number of groups. "
                f"Received groups={self.groups}, but the input has {channels} "
                f"channels (full input shape is {tuple(input_shape)})."
            )
        self.compute_output_shape(input_shape)  # a window too large fails here
        self.kernel = self.add_weight(
            name="kernel",
            shape=self.kernel_size + (channels // self.groups, self.filters),
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

    def convolution_op(self, inputs: Any, kernel: Any) -> Any:
        """`conv(inputs, kernel)`; with groups, one conv per group, concatenated."""
        padding = "valid" if self.padding == "causal" else self.padding
        arguments = dict(
            strides=self.strides, padding=padding, dilation_rate=self.dilation_rate
        )
        if self.groups == 1:
            return run_window_op(self, convolution.conv, inputs, kernel, **arguments)
        group_in = kernel.shape[-2]
        group_out = self.filters // self.groups
        outputs = [
            run_window_op(
                self,
                convolution.conv,
                array_ops.getitem(
                    inputs, (..., slice(g * group_in, (g + 1) * group_in))
                ),
                array_ops.getitem(
                    kernel, (..., slice(g * group_out, (g + 1) * group_out))
                ),
                **arguments,
            )
            for g in range(self.groups)
        ]
        return array_ops.concatenate(outputs, axis=-1)

    def call(self, inputs: Any) -> Any:
        if inputs.dtype != self._dtype:  # integer data: compute in floats
            inputs = math_ops.cast(inputs, self._dtype)
        outputs = self.convolution_op(inputs, self.kernel)
        if self.bias is not None:
            outputs = math_ops.add(outputs, self.bias)
        return self.activation(outputs)

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
            filters=self.filters,
            kernel_size=self.kernel_size,
            strides=self.strides,
            padding=self.padding,
            data_format=self.data_format,
            dilation_rate=self.dilation_rate,
            groups=self.groups,
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
