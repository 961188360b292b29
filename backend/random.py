"""Random draws with explicit seeds: `SeedGenerator`, `normal`, `uniform`, `dropout`.

Mirrors: keras/backend.py RandomGenerator (tf.keras 2.6),
keras/src/random/random.py + seed_generator.py (Keras 3)

Keras 3's rule, kept here: every draw takes a `seed`.

- An `int` seed is *stateless*: the same seed gives the same values on every
  call (`normal((2,), seed=1)` twice returns the same numbers).
- A `SeedGenerator` is *stateful*: it hands out a new seed on each call, so
  successive draws differ, yet the whole sequence is fixed by its own seed.
  Layers such as `Dropout` keep one as an attribute.
- `None` uses a global `SeedGenerator` with a random starting seed.

A seed is the pair `[seed, counter]`, fed to numpy's `default_rng` (PCG64).
This is what Keras 3's numpy backend does, so for the same int seed (or the
same `SeedGenerator` sequence) our values match it; Keras on TensorFlow or JAX
uses other generators and gives other values. That difference is the
simplification: the *behaviour* of seeds is Keras's, the bits are numpy's.
"""

import random as python_random
from typing import Any, Sequence

import numpy as np

from api_export import export
from backend import config
from backend.name_scope import name_scope
from backend.ops.core import frozen_value_of, record, value_of
from backend.tensor import Tensor
from backend.variables import Variable


@export("nanokeras.random.SeedGenerator")
class SeedGenerator:
    """Hands out a fresh seed on each call, so seeded draws differ call to call.

    A plain object, as in Keras: its state is a non-trainable `Variable`
    (`[seed, counter]`) so a layer that owns a generator can save and restore
    where its random sequence stands.

    Args:
        seed: The starting seed, an int. `None` picks a random one.
        name: Name of the generator (prefixes its state variable's name).
        **kwargs: Keras 3's `backend` option; simplified: only None (there is
            one backend).

    Example:

    >>> generator = SeedGenerator(seed=42)
    >>> first = normal((2,), seed=generator)
    >>> second = normal((2,), seed=generator)  # differs from `first`
    """

    def __init__(self, seed: int | None = None, name: str | None = None, **kwargs):
        unexpected = {key: value for key, value in kwargs.items() if value is not None}
        if set(kwargs) - {"backend"} or unexpected:
            raise TypeError(
                f"Unrecognized keyword arguments to SeedGenerator: {kwargs}. "
                "nanokeras has one backend; pass only `seed` and `name`."
            )
        self._initial_seed = seed
        if seed is None:
            seed = python_random.randint(1, int(1e9))
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise ValueError(
                "SeedGenerator's `seed` must be an int or None. Received: "
                f"seed={seed!r} (of type {type(seed).__name__})."
            )
        self.name = name or "seed_generator"
        with name_scope(self.name):
            self.state = Variable(
                np.array([seed & 0xFFFFFFFF, 0], dtype="uint32"),
                trainable=False,
                name="seed_generator_state",
            )

    def next(self) -> np.ndarray:
        """Return the current `[seed, counter]` pair and advance the counter."""
        current = self.state._value.copy()
        self.state.assign(current + np.array([0, 1], dtype="uint32"))
        return current

    def get_config(self) -> dict:
        """The initial `seed` and the `name`, to rebuild the generator."""
        return {"seed": self._initial_seed, "name": self.name}

    @classmethod
    def from_config(cls, config: dict) -> "SeedGenerator":
        """Rebuild a generator from the dictionary `get_config` returned."""
        return cls(**config)


_global_generator: SeedGenerator | None = None


def global_seed_generator() -> SeedGenerator:
    """The generator behind `seed=None`, created on first use."""
    global _global_generator
    if _global_generator is None:
        _global_generator = SeedGenerator(name="global_seed_generator")
    return _global_generator


def reset_global_seed_generator() -> None:
    """Drop the global generator, as Keras's `set_random_seed` does.

    The next unseeded draw creates a new one whose seed comes from Python's
    `random`, so after `random.seed(n)` unseeded draws repeat run to run.
    """
    global _global_generator
    _global_generator = None


def draw_seed(seed: Any) -> np.ndarray:
    """Turn a `seed` argument into the `[seed, counter]` pair for numpy."""
    if isinstance(seed, SeedGenerator):
        return seed.next()
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        return np.array([int(seed) & 0xFFFFFFFF, 0], dtype="uint32")
    if seed is None:
        return global_seed_generator().next()
    raise ValueError(
        "Argument `seed` must be an int, a `nanokeras.random.SeedGenerator` or "
        f"None. Received: seed={seed!r} (of type {type(seed).__name__})."
    )


def _generator(seed: Any) -> np.random.Generator:
    return np.random.default_rng(draw_seed(seed))


@export("nanokeras.random.normal")
def normal(
    shape: Sequence[int],
    mean: float = 0.0,
    stddev: float = 1.0,
    dtype: Any = None,
    seed: Any = None,
) -> Tensor:
    """Values drawn from the normal distribution `N(mean, stddev^2)`."""
    values = _generator(seed).normal(size=tuple(shape), loc=mean, scale=stddev)
    return Tensor._from_array(values.astype(dtype or config.floatx()))


@export("nanokeras.random.uniform")
def uniform(
    shape: Sequence[int],
    minval: float = 0.0,
    maxval: float = 1.0,
    dtype: Any = None,
    seed: Any = None,
) -> Tensor:
    """Values drawn uniformly from `[minval, maxval)`."""
    values = _generator(seed).uniform(size=tuple(shape), low=minval, high=maxval)
    return Tensor._from_array(values.astype(dtype or config.floatx()))


@export("nanokeras.random.randint")
def randint(
    shape: Sequence[int],
    minval: int,
    maxval: int,
    dtype: Any = "int32",
    seed: Any = None,
) -> Tensor:
    """Integers drawn uniformly from `[minval, maxval)`."""
    values = _generator(seed).integers(
        low=minval, high=maxval, size=tuple(shape), dtype=dtype
    )
    return Tensor._from_array(values)


@export("nanokeras.random.truncated_normal")
def truncated_normal(
    shape: Sequence[int],
    mean: float = 0.0,
    stddev: float = 1.0,
    dtype: Any = None,
    seed: Any = None,
) -> Tensor:
    """Normal values, redrawn until all lie within 2 `stddev` of `mean`.

    Rejection sampling: draw a full batch, keep the values inside the bounds,
    and repeat until there are enough (about 95% survive each round).
    """
    generator = _generator(seed)
    shape = tuple(shape)
    count = int(np.prod(shape))
    low, high = mean - 2 * stddev, mean + 2 * stddev
    kept: list[np.ndarray] = []
    total = 0
    while total < count:
        batch = generator.normal(loc=mean, scale=stddev, size=count)
        batch = batch[(batch >= low) & (batch <= high)]
        kept.append(batch)
        total += batch.size
    values = np.concatenate(kept)[:count].reshape(shape)
    return Tensor._from_array(values.astype(dtype or config.floatx()))


@export("nanokeras.random.dropout")
def dropout(
    inputs: Any,
    rate: float,
    noise_shape: Sequence[int | None] | None = None,
    seed: Any = None,
) -> Tensor:
    """Zero each value with probability `rate`, scale the rest by `1 / (1 - rate)`.

    The scaling ("inverted dropout") keeps the expected value of every output
    equal to its input, so nothing needs rescaling at inference time. The
    gradient goes through the kept positions with the same scale.

    Args:
        inputs: Input tensor.
        rate: Fraction of the values to drop, in `[0, 1]`.
        noise_shape: Shape of the keep/drop mask, broadcast over `inputs`
            (`None` entries take the input's size). For example
            `(batch, 1, features)` drops the same features at every timestep.
        seed: An int, a `SeedGenerator` or `None` (see the module docstring).
    """
    if not 0 <= rate <= 1:
        raise ValueError(
            f"dropout() needs a `rate` in [0, 1] (the fraction of values to "
            f"drop). Received: rate={rate!r}."
        )
    a = value_of(inputs)
    if not isinstance(a, np.ndarray):
        a = np.asarray(a, dtype=config.floatx())
    if rate == 0:  # as in Keras: no draw, so a `SeedGenerator` does not advance
        return record(frozen_value_of(inputs), (inputs, lambda g: g))
    if rate == 1:
        return record(np.zeros_like(a), (inputs, lambda g: np.zeros_like(g)))
    if noise_shape is None:
        noise_shape = a.shape
    else:
        noise_shape = _full_noise_shape(tuple(noise_shape), a.shape)
    keep_prob = 1.0 - rate
    kept = _generator(seed).uniform(size=noise_shape) < keep_prob
    # The mask already holds the 1 / keep_prob scale, so forward and backward
    # are a single multiply each.
    scale = (kept / keep_prob).astype(a.dtype, copy=False)
    return record(a * scale, (inputs, lambda g: g * scale))


def _full_noise_shape(noise_shape: tuple, input_shape: tuple) -> tuple:
    """Fill the `None` entries of `noise_shape` and check it broadcasts."""
    if len(noise_shape) != len(input_shape):
        raise ValueError(
            f"dropout() got a `noise_shape` of rank {len(noise_shape)} for "
            f"inputs of shape {input_shape}. Pass one entry per input axis "
            "(use None to take the input's size)."
        )
    full = tuple(
        size if noise is None else int(noise)
        for noise, size in zip(noise_shape, input_shape)
    )
    if any(n not in (1, size) for n, size in zip(full, input_shape)):
        raise ValueError(
            f"dropout() got noise_shape={noise_shape}, which does not "
            f"broadcast to the inputs' shape {input_shape}: each entry must be "
            "1, None or the input's size on that axis."
        )
    return full
