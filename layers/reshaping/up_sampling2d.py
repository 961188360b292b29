"""`UpSampling2D`: enlarge images by repeating rows and columns.

Mirrors: keras/layers/convolutional.py (tf.keras 2.6),
keras/src/layers/reshaping/up_sampling2d.py (Keras 3)

Simplified: `interpolation="nearest"` only; the others raise
`NotImplementedError`.
"""

from typing import Any

from api_export import export
from backend.ops.raw_ops import array as array_ops
from engine.base_layer import Layer
from engine.input_spec import InputSpec
from layers.reshaping.spatial_arguments import spatial_axes, spatial_data_format
from utils.argument_validation import standardize_tuple

# Keras's interpolations; nanokeras implements "nearest" only.
_KERAS_INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5")


@export("nanokeras.layers.UpSampling2D")
class UpSampling2D(Layer):
    """Adds to `Layer` nearest-neighbour upsampling of the two spatial axes.

    Each row is repeated `size[0]` times and each column `size[1]` times.
    Simplified: only `interpolation="nearest"`; Keras's `"bilinear"` and the
    others raise `NotImplementedError`.

    Args:
        size: An int or 2 ints, the upsampling factors for rows and columns.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        interpolation: `"nearest"`.
        **kwargs: `Layer` arguments (`name`, `dtype`, ...).

    Input shape:
        4D: `(batch_size, rows, cols, channels)` (channels_last).

    Output shape:
        `(batch_size, rows * size[0], cols * size[1], channels)`.

    Example:

    >>> UpSampling2D(size=(2, 3))(np.ones((1, 2, 2, 1))).shape
    (1, 4, 6, 1)
    """

    def __init__(
        self,
        size: Any = (2, 2),
        data_format: str | None = None,
        interpolation: str = "nearest",
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.data_format = spatial_data_format(data_format, "UpSampling2D")
        self.size = standardize_tuple(size, 2, "size", "UpSampling2D")
        name = str(interpolation).lower()
        if name not in _KERAS_INTERPOLATIONS:
            raise ValueError(
                "The `interpolation` argument of layer UpSampling2D must be one "
                f"of {_KERAS_INTERPOLATIONS}. Received: "
                f"interpolation={interpolation!r}"
            )
        if name != "nearest":
            raise NotImplementedError(
                f"UpSampling2D(interpolation={interpolation!r}) is not "
                "implemented in nanokeras: layer UpSampling2D supports "
                "interpolation='nearest' only."
            )
        self.interpolation = name
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs: Any) -> Any:
        outputs = inputs
        for axis, factor in zip(spatial_axes(self.data_format), self.size):
            if factor != 1:
                outputs = array_ops.repeat(outputs, factor, axis=axis)
        return outputs

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        shape = list(input_shape)
        for axis, factor in zip(spatial_axes(self.data_format), self.size):
            if shape[axis] is not None:
                shape[axis] *= factor
        return tuple(shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            size=self.size,
            data_format=self.data_format,
            interpolation=self.interpolation,
        )
        return config
