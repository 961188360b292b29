"""`AveragePooling1D`: the mean of each window of steps.

Mirrors: keras/layers/pooling.py (tf.keras 2.6),
keras/src/layers/pooling/average_pooling1d.py (Keras 3)
"""

from typing import Any

from api_export import export
from layers.pooling.base_pooling import BasePooling


@export("nanokeras.layers.AveragePooling1D", "nanokeras.layers.AvgPool1D")
class AveragePooling1D(BasePooling):
    """Adds to `BasePooling` one spatial axis and the mean of each window.

    Only `data_format="channels_last"` is supported.

    Args:
        pool_size: An int or a 1-tuple: the window size.
        strides: An int, a 1-tuple, or None (then `pool_size`).
        padding: `"valid"` or `"same"` (padded values never count).
        data_format: `"channels_last"` or None.
        name: The layer's name.
        **kwargs: `Layer` arguments (`dtype`, `input_shape`, ...).

    Input shape:
        `(batch_size, steps, channels)`.

    Output shape:
        `(batch_size, pooled_steps, channels)`.

    Example:

    >>> x = np.array([[[1.0], [3.0], [2.0], [5.0]]])
    >>> AveragePooling1D(2)(x).numpy()[0, :, 0]
    array([2. , 3.5], dtype=float32)
    """

    def __init__(
        self,
        pool_size: Any,
        strides: Any = None,
        padding: str = "valid",
        data_format: str | None = None,
        name: str | None = None,
        **kwargs,
    ):
        super().__init__(
            pool_size,
            strides,
            pool_dimensions=1,
            pool_mode="average",
            padding=padding,
            data_format=data_format,
            name=name,
            **kwargs,
        )
