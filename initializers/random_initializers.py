"""Random initializers: normal, uniform, truncated, and the variance-scaling family.

Mirrors: keras/initializers/initializers_v2.py (tf.keras 2.6),
keras/src/initializers/random_initializers.py (Keras 3)

Random draws go through `backend/random.py`, which follows Keras 3's seed
rules: an initializer built with an integer `seed` returns the same values on
every call; without a seed, every call draws fresh values (simplified: Keras 3
picks one random seed per initializer instead). With an integer seed the
values equal those of Keras 3 on its numpy backend (the tests check it).
Glorot, He and LeCun are `VarianceScaling` with a fixed scale and fan mode.
"""

import inspect
import math
from typing import Any

import numpy as np

from api_export import export
from backend import random
from backend.tensor import Tensor
from initializers.initializer import RandomInitializer, _dtype, _tensor


def compute_fans(
    shape: tuple, input_axes: Any = None, output_axes: Any = None
) -> tuple[float, float]:
    """`(fan_in, fan_out)` of a weight: inputs and outputs of one unit.

    A dense kernel `(inputs, units)` has fans `(inputs, units)`; a convolution
    kernel `(*window, in_channels, out_channels)` multiplies both by the window
    size, since every output sees a whole window of every input channel.
    Given both `input_axes` and `output_axes`, each fan is the product of the
    sizes along those axes instead (for kernels laid out differently).
    """
    shape = tuple(shape)
    if input_axes is not None and output_axes is not None:
        fan_in = math.prod(shape[axis] for axis in input_axes)
        return float(fan_in), float(math.prod(shape[axis] for axis in output_axes))
    if len(shape) < 1:
        return 1.0, 1.0
    if len(shape) == 1:
        return float(shape[0]), float(shape[0])
    receptive_field = math.prod(shape[:-2])
    return float(shape[-2] * receptive_field), float(shape[-1] * receptive_field)


@export("nanokeras.initializers.RandomNormal", "nanokeras.initializers.random_normal")
class RandomNormal(RandomInitializer):
    """Adds a normal distribution `N(mean, stddev**2)`.

    Args:
        mean: Mean of the values.
        stddev: Standard deviation of the values.
        seed: An int for reproducible values, or None.
    """

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed=None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape: tuple, dtype: Any = None) -> Tensor:
        return random.normal(shape, self.mean, self.stddev, _dtype(dtype), self.seed)

    def get_config(self) -> dict:
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


@export("nanokeras.initializers.RandomUniform", "nanokeras.initializers.random_uniform")
class RandomUniform(RandomInitializer):
    """Adds a uniform distribution on `[minval, maxval)`.

    Args:
        minval: Lower bound.
        maxval: Upper bound (excluded).
        seed: An int for reproducible values, or None.
    """

    def __init__(self, minval: float = -0.05, maxval: float = 0.05, seed=None):
        super().__init__(seed)
        self.minval, self.maxval = minval, maxval

    def __call__(self, shape: tuple, dtype: Any = None) -> Tensor:
        dtype = _dtype(dtype)
        return random.uniform(shape, self.minval, self.maxval, dtype, self.seed)

    def get_config(self) -> dict:
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


@export(
    "nanokeras.initializers.TruncatedNormal",
    "nanokeras.initializers.truncated_normal",
)
class TruncatedNormal(RandomInitializer):
    """Adds a normal distribution cut at two standard deviations from the mean.

    Args:
        mean: Mean of the values.
        stddev: Standard deviation of the normal before truncation.
        seed: An int for reproducible values, or None.
    """

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed=None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape: tuple, dtype: Any = None) -> Tensor:
        dtype = _dtype(dtype)
        return random.truncated_normal(shape, self.mean, self.stddev, dtype, self.seed)

    def get_config(self) -> dict:
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


_FAN_MODES = ("fan_in", "fan_out", "fan_avg")
_DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")


@export(
    "nanokeras.initializers.VarianceScaling",
    "nanokeras.initializers.variance_scaling",
)
class VarianceScaling(RandomInitializer):
    """Adds a scale that adapts to the weight's fans: variance `scale / fan`.

    Keeping the variance of each layer's outputs close to that of its inputs
    is what lets deep stacks train; the fan says how many terms each output
    sums.

    Args:
        scale: Positive scaling factor.
        mode: `"fan_in"`, `"fan_out"` or `"fan_avg"`.
        distribution: `"truncated_normal"`, `"untruncated_normal"` or
            `"uniform"`.
        seed: An int for reproducible values, or None.
        input_axes: Axes whose sizes multiply into `fan_in` (with
            `output_axes`); None for the usual kernel layout.
        output_axes: Axes whose sizes multiply into `fan_out`.
    """

    def __init__(
        self,
        scale: float = 1.0,
        mode: str = "fan_in",
        distribution: str = "truncated_normal",
        seed=None,
        input_axes: Any = None,
        output_axes: Any = None,
    ):
        super().__init__(seed)
        if scale <= 0.0:
            raise ValueError(
                f"`scale` of VarianceScaling must be positive. Received: scale={scale}"
            )
        if mode not in _FAN_MODES:
            raise ValueError(
                f"Invalid `mode` for VarianceScaling: {mode!r}. "
                f"Expected one of {_FAN_MODES}."
            )
        if distribution == "normal":  # accepted by Keras as the truncated one
            distribution = "truncated_normal"
        if distribution not in _DISTRIBUTIONS:
            raise ValueError(
                f"Invalid `distribution` for VarianceScaling: {distribution!r}. "
                f"Expected one of {_DISTRIBUTIONS}."
            )
        self.scale, self.mode, self.distribution = scale, mode, distribution
        self.input_axes, self.output_axes = input_axes, output_axes

    def __call__(self, shape: tuple, dtype: Any = None) -> Tensor:
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        fan = {"fan_in": fan_in, "fan_out": fan_out}.get(
            self.mode, (fan_in + fan_out) / 2.0
        )
        variance = self.scale / max(1.0, fan)
        dtype, seed = _dtype(dtype), self.seed
        if self.distribution == "truncated_normal":
            # Dividing by the std of a unit normal cut at +-2 restores `variance`.
            stddev = math.sqrt(variance) / 0.87962566103423978
            return random.truncated_normal(shape, 0.0, stddev, dtype, seed)
        if self.distribution == "untruncated_normal":
            return random.normal(shape, 0.0, math.sqrt(variance), dtype, seed)
        limit = math.sqrt(3.0 * variance)  # uniform on [-a, a] has variance a²/3
        return random.uniform(shape, -limit, limit, dtype, seed)

    def get_config(self) -> dict:
        """The constructor's arguments. For `VarianceScaling` that is all six;
        the subclasses that fix scale, mode and distribution (`GlorotUniform`
        and friends) take, and so save, only `seed` and the axes."""
        parameters = inspect.signature(type(self).__init__).parameters
        return {name: getattr(self, name) for name in parameters if name != "self"}


@export("nanokeras.initializers.GlorotUniform", "nanokeras.initializers.glorot_uniform")
class GlorotUniform(VarianceScaling):
    """Fixes `VarianceScaling` to scale 1, `fan_avg`, uniform (Xavier uniform).

    Args:
        seed: An int for reproducible values, or None.
        input_axes: See `VarianceScaling`.
        output_axes: See `VarianceScaling`.
    """

    def __init__(self, seed=None, input_axes: Any = None, output_axes: Any = None):
        super().__init__(1.0, "fan_avg", "uniform", seed, input_axes, output_axes)


@export("nanokeras.initializers.GlorotNormal", "nanokeras.initializers.glorot_normal")
class GlorotNormal(VarianceScaling):
    """Fixes `VarianceScaling` to scale 1, `fan_avg`, truncated normal.

    Args:
        seed: An int for reproducible values, or None.
        input_axes: See `VarianceScaling`.
        output_axes: See `VarianceScaling`.
    """

    def __init__(self, seed=None, input_axes: Any = None, output_axes: Any = None):
        super().__init__(
            1.0, "fan_avg", "truncated_normal", seed, input_axes, output_axes
        )


@export("nanokeras.initializers.HeUniform", "nanokeras.initializers.he_uniform")
class HeUniform(VarianceScaling):
    """Fixes `VarianceScaling` to scale 2, `fan_in`, uniform: limit `sqrt(6 / fan_in)`.

    Args:
        seed: An int for reproducible values, or None.
        input_axes: See `VarianceScaling`.
        output_axes: See `VarianceScaling`.
    """

    def __init__(self, seed=None, input_axes: Any = None, output_axes: Any = None):
        super().__init__(2.0, "fan_in", "uniform", seed, input_axes, output_axes)


@export("nanokeras.initializers.HeNormal", "nanokeras.initializers.he_normal")
class HeNormal(VarianceScaling):
    """Fixes `VarianceScaling` to scale 2, `fan_in`, truncated normal.

    Args:
        seed: An int for reproducible values, or None.
        input_axes: See `VarianceScaling`.
        output_axes: See `VarianceScaling`.
    """

    def __init__(self, seed=None, input_axes: Any = None, output_axes: Any = None):
        super().__init__(
            2.0, "fan_in", "truncated_normal", seed, input_axes, output_axes
        )


@export("nanokeras.initializers.LecunUniform", "nanokeras.initializers.lecun_uniform")
class LecunUniform(VarianceScaling):
    """Fixes `VarianceScaling` to scale 1, `fan_in`, uniform: limit `sqrt(3 / fan_in)`.

    Args:
        seed: An int for reproducible values, or None.
        input_axes: See `VarianceScaling`.
        output_axes: See `VarianceScaling`.
    """

    def __init__(self, seed=None, input_axes: Any = None, output_axes: Any = None):
        super().__init__(1.0, "fan_in", "uniform", seed, input_axes, output_axes)


@export("nanokeras.initializers.LecunNormal", "nanokeras.initializers.lecun_normal")
class LecunNormal(VarianceScaling):
    """Fixes `VarianceScaling` to scale 1, `fan_in`, truncated normal.

    Args:
        seed: An int for reproducible values, or None.
        input_axes: See `VarianceScaling`.
        output_axes: See `VarianceScaling`.
    """

    def __init__(self, seed=None, input_axes: Any = None, output_axes: Any = None):
        super().__init__(
            1.0, "fan_in", "truncated_normal", seed, input_axes, output_axes
        )


@export(
    "nanokeras.initializers.Orthogonal",
    "nanokeras.initializers.orthogonal",
    "nanokeras.initializers.OrthogonalInitializer",
)
class Orthogonal(RandomInitializer):
    """Adds orthogonality: the flattened kernel has orthonormal rows or columns.

    The kernel is seen as a matrix `(prod(shape[:-1]), shape[-1])` and taken
    from the QR decomposition of a random normal matrix, then multiplied by
    `gain`.

    Args:
        gain: Multiplicative factor.
        seed: An int for reproducible values, or None.
    """

    def __init__(self, gain: float = 1.0, seed=None):
        super().__init__(seed)
        self.gain = gain

    def __call__(self, shape: tuple, dtype: Any = None) -> Tensor:
        if len(shape) < 2:
            raise ValueError(
                "The Orthogonal initializer needs a shape of rank 2 or more. "
                f"Received: shape={tuple(shape)}"
            )
        rows, cols = math.prod(shape[:-1]), shape[-1]
        flat_shape = (max(rows, cols), min(rows, cols))
        matrix = random.normal(flat_shape, dtype=_dtype(dtype), seed=self.seed)
        q, r = np.linalg.qr(np.asarray(matrix))
        q *= np.sign(np.diag(r))  # makes the result uniformly distributed
        if rows < cols:
            q = q.T
        return _tensor(self.gain * q.reshape(shape), dtype)

    def get_config(self) -> dict:
        return {"gain": self.gain, "seed": self.seed}
