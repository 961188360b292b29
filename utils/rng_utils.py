"""`set_random_seed`: one call that makes a program's randomness repeatable.

Mirrors: keras/utils/tf_utils.py `set_random_seed` (tf.keras 2.6),
keras/src/utils/rng_utils.py (Keras 3)
"""

import random

import numpy as np

from api_export import export
from backend import random as backend_random


@export("nanokeras.utils.set_random_seed")
def set_random_seed(seed: int) -> None:
    """Seed Python's `random`, numpy's global generator and nanokeras's own.

    After `set_random_seed(n)`, unseeded initializers, dropout masks and
    shuffles draw the same numbers on every run of the same program.

    Args:
        seed: A non-negative integer.
    """
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(
            "Expected `seed` argument to be a non-negative integer. "
            f"Received: seed={seed!r}"
        )
    random.seed(seed)
    np.random.seed(seed)
    # nanokeras's global generator takes its seed from Python's `random`
    # when next needed, so dropping it makes it start from `seed` too.
    backend_random.reset_global_seed_generator()
