"""`ELU`: the exponential linear unit as a layer.

Mirrors: keras/layers/advanced_activations.py (tf.keras 2.x),
keras/src/layers/activations/elu.py (Keras 3)
"""

from typing import Any

import activations
from api_export import export
from engine.base_layer import Layer


@export("nanokeras.layers.ELU")
class ELU(Layer):
    """Adds to `Layer` the function `x if x > 0 else alpha * (exp(x) - 1)`.

    Args:
        alpha: The value the output tends to for large negative inputs is
            `-alpha`.
        **kwargs: `Layer` arguments (`name`, `dtype`, ...).

    Input shape:
        Any shape.

    Output shape:
        The input's shape.
    """

    def __init__(self, alpha: float = 1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = alpha
        self.supports_masking = True

    def call(self, inputs: Any) -> Any:
        return activations.elu(inputs, alpha=self.alpha)

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config["alpha"] = self.alpha
        return config
