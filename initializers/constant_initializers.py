"""Initializers without randomness: `Zeros`, `Ones`, `Constant`, `Identity`.

Mirrors: keras/initializers/initializers_v2.py (tf.keras 2.6),
keras/src/initializers/constant_initializers.py (Keras 3)
"""

from typing import Any

import numpy as np

from api_export import export
from backend.tensor import Tensor
from initializers.initializer import Initializer, _tensor


@export("nanokeras.initializers.Zeros", "nanokeras.initializers.zeros")
class Zeros(Initializer):
    """Adds nothing but the value: all zeros."""

    def __call__(self, shape: tuple, dtype: Any = None) -> Tensor:
        return _tensor(np.zeros(shape), dtype)


@export("nanokeras.initializers.Ones", "nanokeras.initializers.ones")
class Ones(Initializer):
    """Adds nothing but the value: all ones."""

    def __call__(self, shape: tuple, dtype: Any = None) -> Tensor:
        return _tensor(np.ones(shape), dtype)


@export("nanokeras.initializers.Constant", "nanokeras.initializers.constant")
class Constant(Initializer):
    """Adds a `value`: every element is that scalar.

    Args:
        value: A Python scalar.
    """

    def __init__(self, value: float = 0.0):
        if np.ndim(value) != 0:
            raise ValueError(
                f"`Constant` expects a scalar `value`. Received: value={value!r}"
            )
        self.value = value

    def __call__(self, shape: tuple, dtype: Any = None) -> Tensor:
        return _tensor(np.full(shape, self.value), dtype)

    def get_config(self) -> dict:
        return {"value": self.value}


@export(
    "nanokeras.initializers.Identity",
    "nanokeras.initializers.identity",
    "nanokeras.initializers.IdentityInitializer",
)
class Identity(Initializer):
    """Adds the identity matrix (times `gain`), for 2D weights only.

    Args:
        gain: Multiplicative factor.
    """

    def __init__(self, gain: float = 1.0):
        self.gain = gain

    def __call__(self, shape: tuple, dtype: Any = None) -> Tensor:
        if len(shape) != 2:
            raise ValueError(
                "The Identity initializer needs a 2D shape. "
                f"Received: shape={tuple(shape)}"
            )
        return _tensor(self.gain * np.eye(*shape), dtype)

    def get_config(self) -> dict:
        return {"gain": self.gain}
