"""`Conv1D`: a convolution over the steps of a sequence.

Mirrors: keras/layers/convolutional.py (tf.keras 2.6),
keras/src/layers/convolutional/conv1d.py (Keras 3)
"""

from typing import Any

from api_export import export
from backend.ops.raw_ops import array as array_ops
from layers.convolutional.base_conv import BaseConv


@export("nanokeras.layers.Conv1D", "nanokeras.layers.Convolution1D")
class Conv1D(BaseConv):
    """Adds to `BaseConv` one spatial axis (steps) and `padding="causal"`.

    With `padding="causal"` the input is padded on the left only, so
    `output[t]` depends on `input[:t + 1]` and never on the future (WaveNet).
    Only `data_format="channels_last"` is supported.

    Args:
        filters: The number of output channels.
        kernel_size: An int or a 1-tuple: the window length.
        strides: An int or a 1-tuple: the step between windows.
        padding: `"valid"`, `"same"` or `"causal"`.
        data_format: `"channels_last"` or None.
        dilation_rate: An int or a 1-tuple: spacing of the taps.
        groups: Convolve groups of input channels separately.
        activation: Activation name or function; None means linear.
        use_bias: Whether to add a bias vector.
        kernel_initializer: Initializer of the `(k, in, filters)` kernel.
        bias_initializer: Initializer of the `(filters,)` bias.
        kernel_regularizer: Regularizer of the kernel.
        bias_regularizer: Regularizer of the bias.
        activity_regularizer: Regularizer of the output.
        kernel_constraint: Constraint applied to the kernel after updates.
        bias_constraint: Constraint applied to the bias after updates.
        **kwargs: `Layer` arguments (`name`, `dtype`, `input_shape`, ...).

    Input shape:
        `(batch_size, steps, channels)`.

    Output shape:
        `(batch_size, new_steps, filters)`.

    Example:

    >>> Conv1D(4, 3, padding="causal")(np.ones((2, 10, 3))).shape
    (2, 10, 4)
    """

    def __init__(
        self,
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
        super().__init__(
            rank=1,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            groups=groups,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )

    def convolution_op(self, inputs: Any, kernel: Any) -> Any:
        if self.padding == "causal":
            # Pad the past only: the window ending at step t starts at
            # t - (kernel_size - 1) * dilation_rate.
            left = self.dilation_rate[0] * (self.kernel_size[0] - 1)
            inputs = array_ops.pad(inputs, ((0, 0), (left, 0), (0, 0)))
        return super().convolution_op(inputs, kernel)
