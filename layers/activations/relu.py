"""`ReLU`: the rectified linear unit as a layer, with leak, cap and threshold.

Mirrors: keras/layers/advanced_activations.py (tf.keras 2.x),
keras/src/layers/activations/relu.py (Keras 3)
"""

from typing import Any

import activations
from api_export import export
from engine.base_layer import Layer
from utils import argument_validation as checks


@export("nanokeras.layers.ReLU")
class ReLU(Layer):
    """Adds to `Layer` the ReLU function `activations.relu` with fixed settings.

    Args:
        max_value: Upper limit of the output, or None for no limit.
        negative_slope: Slope below `threshold` (0 gives the plain ReLU).
        threshold: Values below it are damped.
        **kwargs: `Layer` arguments (`name`, `dtype`, ...).

    Input shape:
        Any shape.

    Output shape:
        The input's shape.

    Example:

    >>> ReLU(max_value=1.0)(np.array([[-1.0, 0.5, 2.0]]))
    <Tensor: shape=(1, 3), dtype=float32, numpy=array([[0. , 0.5, 1. ]], dtype=float32)>
    """

    def __init__(
        self,
        max_value: float | None = None,
        negative_slope: float = 0.0,
        threshold: float = 0.0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        for argument, value in (
            ("max_value", max_value if max_value is not None else 0.0),
            ("negative_slope", negative_slope),
            ("threshold", threshold),
        ):
            checks.check_non_negative(value, argument, f"the ReLU layer {self.name!r}")
        self.max_value = max_value
        self.negative_slope = negative_slope
        self.threshold = threshold
        self.supports_masking = True

    def call(self, inputs: Any) -> Any:
        return activations.relu(
            inputs,
            negative_slope=self.negative_slope,
            max_value=self.max_value,
            threshold=self.threshold,
        )

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            max_value=self.max_value,
            negative_slope=self.negative_slope,
            threshold=self.threshold,
        )
        return config
