"""`Initializer`, the base of every initializer, and `RandomInitializer` (seeds).

Mirrors: keras/initializers/initializers_v2.py (tf.keras 2.6),
keras/src/initializers/initializer.py + random_initializers.py (Keras 3)
"""

from typing import Any

import numpy as np

from api_export import export
from backend import config, random
from backend.ops.core import from_owned_array
from backend.tensor import Tensor


@export("nanokeras.initializers.Initializer", "nanokeras.Initializer")
class Initializer:
    """The base class: callable as `initializer(shape, dtype)`, serializable.

    Subclasses implement `__call__` and, when they take arguments, `get_config`.
    """

    def __call__(self, shape: tuple, dtype: Any = None) -> Tensor:
        raise NotImplementedError(
            f"{type(self).__name__} must implement `__call__(shape, dtype=None)`."
        )

    def get_config(self) -> dict:
        """The arguments that rebuild this initializer (the base class has none)."""
        return {}

    @classmethod
    def from_config(cls, config: dict) -> "Initializer":
        """Rebuild an initializer from the dictionary `get_config` returned."""
        return cls(**config)

    def clone(self) -> "Initializer":
        """A new initializer with the same configuration."""
        return type(self).from_config(self.get_config())


class RandomInitializer(Initializer):
    """Adds a `seed`: an int gives the same values on every call, `None` fresh ones.

    A `nanokeras.random.SeedGenerator` is accepted too: fresh values on each
    call, in a sequence its own seed fixes.
    """

    def __init__(self, seed: Any = None):
        valid = seed is None or isinstance(seed, random.SeedGenerator)
        valid = valid or (isinstance(seed, (int, np.integer)) and seed is not True)
        if not valid or isinstance(seed, bool):
            raise ValueError(
                f"`seed` of {type(self).__name__} must be an int, a "
                f"`SeedGenerator` or None. Received: seed={seed!r}"
            )
        self.seed = seed

    def get_config(self) -> dict:
        return {"seed": self.seed}


def _dtype(dtype: Any) -> str:
    return np.dtype(dtype or config.floatx()).name


def _tensor(values: np.ndarray, dtype: Any) -> Tensor:
    return from_owned_array(np.asarray(values, dtype=dtype or config.floatx()))
