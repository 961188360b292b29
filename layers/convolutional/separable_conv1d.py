"""`SeparableConv1D`: a depthwise 1D convolution, then a 1x1 convolution.

Mirrors: keras/layers/convolutional.py (tf.keras 2.6),
keras/src/layers/convolutional/separable_conv1d.py (Keras 3)
"""

from typing import Any

from api_export import export
from layers.convolutional.base_separable_conv import BaseSeparableConv


@export("nanokeras.layers.SeparableConv1D", "nanokeras.layers.SeparableConvolution1D")
class SeparableConv1D(BaseSeparableConv):
    """Adds to `BaseSeparableConv` one spatial axis (steps).

    Only `data_format="channels_last"` is supported (`"channels_first"`
    raises a ValueError).

    Args:
        filters: The number of output channels.
        kernel_size: An int or a 1-tuple.
        strides: An int or a 1-tuple: the step between windows.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or None.
        dilation_rate: An int or a 1-tuple: spacing of the taps.
        depth_multiplier: How many depthwise filters each input channel gets.
        activation: Activation name or function; None means linear.
        use_bias: Whether to add a bias vector.
        depthwise_initializer: Initializer of the
            `(k, channels, depth_multiplier)` depthwise kernel.
        pointwise_initializer: Initializer of the
            `(1, channels * depth_multiplier, filters)` pointwise kernel.
        bias_initializer: Initializer of the `(filters,)` bias.
        depthwise_regularizer: Regularizer of the depthwise kernel.
        pointwise_regularizer: Regularizer of the pointwise kernel.
        bias_regularizer: Regularizer of the bias.
        activity_regularizer: Regularizer of the output.
        depthwise_constraint: Constraint on the depthwise kernel.
        pointwise_constraint: Constraint on the pointwise kernel.
        bias_constraint: Constraint on the bias.
        **kwargs: `Layer` arguments (`name`, `dtype`, `input_shape`, ...).

    Input shape:
        `(batch_size, steps, channels)`.

    Output shape:
        `(batch_size, new_steps, filters)`.

    Example:

    >>> SeparableConv1D(8, 3, padding="same")(np.ones((1, 6, 3))).shape
    (1, 6, 8)
    """

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: Any = 1,
        depth_multiplier: int = 1,
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
        super().__init__(
            rank=1,
            depth_multiplier=depth_multiplier,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            depthwise_initializer=depthwise_initializer,
            pointwise_initializer=pointwise_initializer,
            bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            pointwise_regularizer=pointwise_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint,
            pointwise_constraint=pointwise_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
