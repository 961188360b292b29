"""`Dropout`: zero a random fraction of the inputs while training.

Mirrors: keras/layers/core.py (tf.keras 2.6),
keras/src/layers/regularization/dropout.py (Keras 3)
"""

from typing import Any

from api_export import export
from backend import random
from engine.base_layer import Layer


@export("nanokeras.layers.Dropout")
class Dropout(Layer):
    """Adds to `Layer` random zeroing of inputs in training, the identity otherwise.

    In training each value is dropped with probability `rate` and the kept
    ones are scaled by `1 / (1 - rate)`, so the expected sum is unchanged and
    inference needs no rescaling. The layer draws from its own
    `SeedGenerator`, so with a `seed` the sequence of masks is repeatable.

    Args:
        rate: Float in `[0, 1]`, the fraction of the inputs to drop.
        noise_shape: Shape of the binary mask, broadcast over the inputs;
            `None` entries take the input's size. `(batch, 1, features)`
            drops the same features at every timestep.
        seed: Int seed of the layer's random sequence, or None.
        **kwargs: `Layer` arguments (`name`, `dtype`, ...).

    Input shape:
        Any shape.

    Output shape:
        The input's shape.

    Example:

    >>> layer = Dropout(0.5, seed=1)
    >>> layer(np.ones((2, 2)), training=False)  # inference: unchanged
    <Tensor: shape=(2, 2), dtype=float32, numpy=
    array([[1., 1.],
           [1., 1.]], dtype=float32)>
    """

    def __init__(
        self,
        rate: float,
        noise_shape: tuple | None = None,
        seed: int | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if isinstance(rate, bool) or not isinstance(rate, (int, float)):
            valid = False
        else:
            valid = 0 <= rate <= 1
        if not valid:
            raise ValueError(
                "Invalid value received for argument `rate` of layer Dropout. "
                "Expected a float value between 0 and 1. "
                f"Received: rate={rate!r}"
            )
        self.rate = float(rate)
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed = seed
        # Only a layer that drops anything needs a generator (as in Keras).
        self.seed_generator = random.SeedGenerator(seed) if rate > 0 else None
        self.supports_masking = True

    def call(self, inputs: Any, training: bool = False) -> Any:
        if training and self.rate > 0:
            return random.dropout(
                inputs,
                self.rate,
                noise_shape=self._noise_shape_for(inputs),
                seed=self.seed_generator,
            )
        return inputs

    def _noise_shape_for(self, inputs: Any) -> tuple | None:
        if self.noise_shape is None:
            return None
        if len(self.noise_shape) != inputs.ndim:
            raise ValueError(
                f'Layer "{self.name}" (Dropout) has noise_shape='
                f"{self.noise_shape}, of rank {len(self.noise_shape)}, but "
                f"received inputs of shape {tuple(inputs.shape)}. Give one entry "
                "per input axis (None takes the input's size)."
            )
        return self.noise_shape

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(rate=self.rate, seed=self.seed, noise_shape=self.noise_shape)
        return config
