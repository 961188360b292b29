"""`Activation`: apply an activation function as a layer of its own.

Mirrors: keras/layers/core.py (tf.keras 2.6),
keras/src/layers/activations/activation.py (Keras 3)
"""

from typing import Any

import activations
from api_export import export
from engine.base_layer import Layer


@export("nanokeras.layers.Activation")
class Activation(Layer):
    """Adds to `Layer` one activation function applied to the inputs, no weights.

    Args:
        activation: An activation name (`"relu"`) or a callable.
        **kwargs: `Layer` arguments (`name`, `dtype`, ...).

    Input shape:
        Any shape.

    Output shape:
        The input's shape.

    Example:

    >>> Activation("relu")(np.array([[-1.0, 2.0]]))
    <Tensor: shape=(1, 2), dtype=float32, numpy=array([[0., 2.]], dtype=float32)>
    """

    def __init__(self, activation: Any, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)
        self.supports_masking = True

    def call(self, inputs: Any) -> Any:
        return self.activation(inputs)

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config["activation"] = activations.serialize(self.activation)
        return config
