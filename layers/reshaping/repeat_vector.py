"""`RepeatVector`: repeat each sample's vector `n` times along a new axis.

Mirrors: keras/layers/core.py (tf.keras 2.6),
keras/src/layers/reshaping/repeat_vector.py (Keras 3)
"""

from typing import Any

import numpy as np

from api_export import export
from backend.ops.raw_ops import array as array_ops
from engine.base_layer import Layer
from engine.input_spec import InputSpec


@export("nanokeras.layers.RepeatVector")
class RepeatVector(Layer):
    """Adds to `Layer` a copy of each `(features,)` vector at `n` timesteps.

    The usual bridge from an encoder's summary vector to a decoder that
    expects a sequence.

    Args:
        n: The number of repetitions, a non-negative integer.
        **kwargs: `Layer` arguments (`name`, `dtype`, ...).

    Input shape:
        `(batch_size, features)`.

    Output shape:
        `(batch_size, n, features)`.

    Example:

    >>> RepeatVector(3)(np.ones((2, 5))).shape
    (2, 3, 5)
    """

    def __init__(self, n: int, **kwargs):
        super().__init__(**kwargs)
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
            raise TypeError(
                "Expected an integer value for `n` of layer RepeatVector, got "
                f"n={n!r} (of type {type(n).__name__})."
            )
        if n < 0:
            raise ValueError(
                "Expected a non-negative value for `n` of layer RepeatVector. "
                f"Received: n={n}"
            )
        self.n = int(n)
        self.input_spec = InputSpec(ndim=2)

    def call(self, inputs: Any) -> Any:
        return array_ops.repeat(array_ops.expand_dims(inputs, 1), self.n, axis=1)

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self) -> dict:
        config = super().get_config()
        config["n"] = self.n
        return config
