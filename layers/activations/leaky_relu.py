"""`LeakyReLU`: ReLU that lets a small fixed slope through below zero.

Mirrors: keras/layers/advanced_activations.py (tf.keras 2.x),
keras/src/layers/activations/leaky_relu.py (Keras 3)
"""

from typing import Any

import activations
from api_export import export
from engine.base_layer import Layer
from utils import argument_validation as checks


@export("nanokeras.layers.LeakyReLU")
class LeakyReLU(Layer):
    """Adds to `Layer` the function `x if x >= 0 else negative_slope * x`.

    Args:
        negative_slope: The slope below zero (Keras 3's name; tf.keras 2.x's
            `alpha=` is accepted too, as Keras 3 accepts it).
        **kwargs: `Layer` arguments (`name`, `dtype`, ...).

    Input shape:
        Any shape.

    Output shape:
        The input's shape.

    Example:

    >>> LeakyReLU(negative_slope=0.5)(np.array([[-2.0, 3.0]]))
    <Tensor: shape=(1, 2), dtype=float32, numpy=array([[-1.,  3.]], dtype=float32)>
    """

    def __init__(self, negative_slope: float = 0.3, **kwargs):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
        super().__init__(**kwargs)
        checks.check_non_negative(
            negative_slope, "negative_slope", f"the LeakyReLU layer {self.name!r}"
        )
        self.negative_slope = negative_slope
        self.supports_masking = True

    def call(self, inputs: Any) -> Any:
        return activations.leaky_relu(inputs, negative_slope=self.negative_slope)

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config["negative_slope"] = self.negative_slope
        return config
