"""`DepthwiseConv1D`: a 1D convolution that filters each channel separately.

Mirrors: keras/src/layers/convolutional/depthwise_conv1d.py (Keras 3); tf.keras
2.6 has no counterpart
"""

from typing import Any

from api_export import export
from layers.convolutional.base_depthwise_conv import BaseDepthwiseConv


@export("nanokeras.layers.DepthwiseConv1D")
class DepthwiseConv1D(BaseDepthwiseConv):
    """Adds to `BaseDepthwiseConv` one spatial axis (steps).

    Only `data_format="channels_last"` is supported (`"channels_first"`
    raises a ValueError).

    Args:
        kernel_size: An int or a 1-tuple.
        strides: An int or a 1-tuple: the step between windows.
        padding: `"valid"` or `"same"`.
        depth_multiplier: How many filters each input channel gets.
        data_format: `"channels_last"` or None.
        dilation_rate: An int or a 1-tuple: spacing of the taps.
        activation: Activation name or function; None means linear.
        use_bias: Whether to add a bias vector.
        depthwise_initializer: Initializer of the
            `(k, channels, depth_multiplier)` kernel.
        bias_initializer: Initializer of the bias.
        depthwise_regularizer: Regularizer of the kernel.
        bias_regularizer: Regularizer of the bias.
        activity_regularizer: Regularizer of the output.
        depthwise_constraint: Constraint applied to the kernel after updates.
        bias_constraint: Constraint applied to the bias after updates.
        **kwargs: `Layer` arguments (`name`, `dtype`, `input_shape`, ...).

    Input shape:
        `(batch_size, steps, channels)`.

    Output shape:
        `(batch_size, new_steps, channels * depth_multiplier)`.

    Example:

    >>> DepthwiseConv1D(3, depth_multiplier=2)(np.ones((1, 5, 3))).shape
    (1, 3, 6)
    """

    def __init__(
        self,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        depth_multiplier: int = 1,
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
        super().__init__(
            rank=1,
            depth_multiplier=depth_multiplier,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            depthwise_initializer=depthwise_initializer,
            bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
