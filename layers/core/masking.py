"""`Masking`: mark the timesteps whose features all equal a padding value.

Mirrors: keras/layers/core.py `Masking` (tf.keras 2.x),
keras/src/layers/core/masking.py (Keras 3)
"""

from typing import Any

from api_export import export
from backend.ops.raw_ops import math as math_ops
from engine import masking
from engine.base_layer import Layer


@export("nanokeras.layers.Masking")
class Masking(Layer):
    """Adds to `Layer` a mask: a timestep is masked when all its features equal
    `mask_value`.

    The outputs are the inputs with masked timesteps set to 0, and carry the
    mask `(batch, timesteps)` to the next layers (an `LSTM` skips those
    steps).

    Args:
        mask_value: The padding value.
        **kwargs: `Layer` arguments (`name`, `dtype`, ...).

    Input shape:
        `(batch, timesteps, features)` (any rank of at least 2).

    Output shape:
        The input's shape.

    Example:

    >>> x = np.array([[[1.0, 2.0], [0.0, 0.0]]])
    >>> Masking()(x)._keras_mask
    <Tensor: shape=(1, 2), dtype=bool, numpy=array([[ True, False]])>
    """

    def __init__(self, mask_value: float = 0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = mask_value
        self.supports_masking = True

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        return math_ops.any(math_ops.not_equal(inputs, self.mask_value), axis=-1)

    def call(self, inputs: Any) -> Any:
        keep = math_ops.any(
            math_ops.not_equal(inputs, self.mask_value), axis=-1, keepdims=True
        )
        outputs = math_ops.where(keep, inputs, 0.0)
        masking.set_keras_mask(outputs, math_ops.any(keep, axis=-1))
        return outputs

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config["mask_value"] = self.mask_value
        return config
