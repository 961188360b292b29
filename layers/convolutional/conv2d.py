"""`Conv2D`: a convolution over the height and width of an image.

Mirrors: keras/layers/convolutional.py (tf.keras 2.6),
keras/src/layers/convolutional/conv2d.py (Keras 3)
"""

from typing import Any

from api_export import export
from layers.convolutional.base_conv import BaseConv


@export("nanokeras.layers.Conv2D", "nanokeras.layers.Convolution2D")
class Conv2D(BaseConv):
    """Adds to `BaseConv` two spatial axes: it slides over height and width.

    The workhorse of image models. Only `data_format="channels_last"` is
    supported (`"channels_first"` raises a ValueError).

    Args:
        filters: The number of output channels.
        kernel_size: An int or a 2-tuple: the window's height and width.
        strides: An int or a 2-tuple: the step between windows.
        padding: `"valid"` or `"same"` (output size `ceil(input / strides)`).
        data_format: `"channels_last"` or None.
        dilation_rate: An int or a 2-tuple: spacing of the taps.
        groups: Convolve groups of input channels separately.
        activation: Activation name or function; None means linear.
        use_bias: Whether to add a bias vector.
        kernel_initializer: Initializer of the `(kh, kw, in // groups, filters)`
            kernel.
        bias_initializer: Initializer of the `(filters,)` bias.
        kernel_regularizer: Regularizer of the kernel.
        bias_regularizer: Regularizer of the bias.
        activity_regularizer: Regularizer of the output.
        kernel_constraint: Constraint applied to the kernel after updates.
        bias_constraint: Constraint applied to the bias after updates.
        **kwargs: `Layer` arguments (`name`, `dtype`, `input_shape`, ...).

    Input shape:
        `(batch_size, height, width, channels)`.

    Output shape:
        `(batch_size, new_height, new_width, filters)`.

    Example:

    >>> Conv2D(4, 3, strides=2, padding="same")(np.ones((2, 9, 9, 3))).shape
    (2, 5, 5, 4)
    """

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = (1, 1),
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: Any = (1, 1),
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
            rank=2,
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
