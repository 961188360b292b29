"""`Conv1DTranspose`: a learned upsampling of sequences (a "deconvolution").

Mirrors: keras/layers/convolutional.py (tf.keras 2.6),
keras/src/layers/convolutional/conv1d_transpose.py (Keras 3)
"""

from typing import Any

from api_export import export
from layers.convolutional.base_conv_transpose import BaseConvTranspose


@export("nanokeras.layers.Conv1DTranspose", "nanokeras.layers.Convolution1DTranspose")
class Conv1DTranspose(BaseConvTranspose):
    """Adds to `BaseConvTranspose` one spatial axis (steps).

    Only `data_format="channels_last"` is supported (`"channels_first"`
    raises a ValueError).

    Args:
        filters: The number of output channels.
        kernel_size: An int or a 1-tuple.
        strides: An int or a 1-tuple: the upsampling factor per axis.
        padding: `"valid"` or `"same"` (with `"same"` the output is
            `input * strides`).
        output_padding: None, an int or a 1-tuple, each less than the stride.
        data_format: `"channels_last"` or None.
        dilation_rate: An int or a 1-tuple: spacing of the kernel's taps.
        activation: Activation name or function; None means linear.
        use_bias: Whether to add a bias vector.
        kernel_initializer: Initializer of the `(k, filters, in)` kernel.
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

    >>> layer = Conv1DTranspose(2, 3, strides=2, padding="same")
    >>> layer(np.ones((1, 4, 3))).shape
    (1, 8, 2)
    """

    def __init__(
        self,
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
        super().__init__(
            rank=1,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            output_padding=output_padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
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
