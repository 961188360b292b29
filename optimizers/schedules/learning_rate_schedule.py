"""Learning rate schedules: the learning rate as a function of the step.

Mirrors: keras/optimizer_v2/learning_rate_schedule.py (tf.keras 2.6),
keras/src/optimizers/schedules/learning_rate_schedule.py (Keras 3)

An optimizer given a schedule instead of a float calls it with its
`iterations` counter before every update, so the rate changes as training
goes. Each schedule is a small object with a `__call__(step)` and a
`get_config()`, which is what lets a saved optimizer rebuild it.
"""

import math
from typing import Any

import numpy as np

from api_export import export
from backend import config
from backend.tensor import Tensor
from saving import serialization_lib


def _step_value(step: Any) -> float:
    """The step as a Python number (it may be an int, a Variable or a Tensor)."""
    return float(np.asarray(step))


def _as_tensor(value: float) -> Tensor:
    return Tensor(np.asarray(value, dtype=config.floatx()))


def _check_decay_steps(decay_steps: Any) -> None:
    """A decay spread over zero or fewer steps has no meaning."""
    if decay_steps <= 0:
        raise ValueError(
            f"Argument `decay_steps` must be > 0. Received: decay_steps={decay_steps}"
        )


@export("nanokeras.optimizers.schedules.LearningRateSchedule")
class LearningRateSchedule:
    """The base of all schedules: maps a step number to a learning rate.

    Subclasses implement `__call__(step)` and `get_config()`.

    Example:

    >>> class Halving(LearningRateSchedule):
    ...     def __call__(self, step):
    ...         return 0.1 * 0.5 ** (int(step) // 100)
    ...     def get_config(self):
    ...         return {}
    """

    def __call__(self, step: Any) -> Any:
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override "
            "`__call__(self, step)`."
        )

    def get_config(self) -> dict:
        """The arguments that rebuild the schedule: every schedule must override it."""
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override "
            "`get_config()` to be serializable."
        )

    @classmethod
    def from_config(cls, config: dict) -> "LearningRateSchedule":
        """Rebuild a schedule from the dictionary `get_config` returned."""
        return cls(**config)


@export("nanokeras.optimizers.schedules.ExponentialDecay")
class ExponentialDecay(LearningRateSchedule):
    """Adds exponential decay: `initial * decay_rate ** (step / decay_steps)`.

    Args:
        initial_learning_rate: The rate at step 0.
        decay_steps: Steps over which the rate is multiplied by `decay_rate`;
            must be positive.
        decay_rate: The factor applied every `decay_steps` steps.
        staircase: If True, decay in whole steps (`step // decay_steps`).
        name: Name of the schedule.

    Example:

    >>> ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)(20)  # 0.1 * 0.5^2
    <Tensor: shape=(), dtype=float32, numpy=array(0.025, dtype=float32)>
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        decay_rate: float,
        staircase: bool = False,
        name: str = "ExponentialDecay",
    ):
        super().__init__()
        _check_decay_steps(decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step: Any) -> Tensor:
        progress = _step_value(step) / self.decay_steps
        if self.staircase:
            progress = math.floor(progress)
        return _as_tensor(self.initial_learning_rate * self.decay_rate**progress)

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


@export("nanokeras.optimizers.schedules.PiecewiseConstantDecay")
class PiecewiseConstantDecay(LearningRateSchedule):
    """Adds a step function: `values[i]` until step `boundaries[i]`, then the next.

    Args:
        boundaries: Increasing step numbers where the rate changes.
        values: One more value than boundaries: `values[0]` for
            `step <= boundaries[0]`, `values[i]` for
            `boundaries[i-1] < step <= boundaries[i]`, `values[-1]` after.
        name: Name of the schedule.

    Example:

    >>> schedule = PiecewiseConstantDecay([100, 200], [1.0, 0.5, 0.1])
    >>> float(schedule(150))
    0.5
    """

    def __init__(self, boundaries: list, values: list, name: str = "PiecewiseConstant"):
        super().__init__()
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of "
                f"values. Received: boundaries={boundaries} of length "
                f"{len(boundaries)}, and values={values} of length {len(values)}."
            )
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step: Any) -> Tensor:
        # `side="left"` puts a step equal to a boundary in the interval it ends.
        index = int(np.searchsorted(self.boundaries, _step_value(step), side="left"))
        return _as_tensor(self.values[index])

    def get_config(self) -> dict:
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


@export("nanokeras.optimizers.schedules.CosineDecay")
class CosineDecay(LearningRateSchedule):
    """Adds cosine decay to `alpha` times the start rate, after an optional warmup.

    Without warmup the rate is
    `initial * ((1 - alpha) * 0.5 * (1 + cos(pi * step / decay_steps)) + alpha)`,
    held at its final value after `decay_steps`. With `warmup_target`, the
    rate first rises linearly from `initial_learning_rate` to `warmup_target`
    over `warmup_steps`, then decays from `warmup_target`.

    Args:
        initial_learning_rate: The rate at step 0.
        decay_steps: Steps to decay over; must be positive.
        alpha: The final rate as a fraction of the decayed-from rate.
        name: Name of the schedule.
        warmup_target: The rate reached at the end of the warmup, or None for
            no warmup.
        warmup_steps: Length of the warmup.
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        alpha: float = 0.0,
        name: str = "CosineDecay",
        warmup_target: float | None = None,
        warmup_steps: int = 0,
    ):
        super().__init__()
        _check_decay_steps(decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_steps = warmup_steps
        self.warmup_target = warmup_target

    def _decayed(self, step: float, decay_from: float) -> float:
        cosine = 0.5 * (1.0 + math.cos(math.pi * step / self.decay_steps))
        return decay_from * ((1.0 - self.alpha) * cosine + self.alpha)

    def __call__(self, step: Any) -> Tensor:
        step = _step_value(step)
        if self.warmup_target is None:
            step = min(step, self.decay_steps)
            return _as_tensor(self._decayed(step, self.initial_learning_rate))
        step = min(step, self.decay_steps + self.warmup_steps)
        if step < self.warmup_steps:
            fraction = step / self.warmup_steps
            rise = self.warmup_target - self.initial_learning_rate
            return _as_tensor(self.initial_learning_rate + rise * fraction)
        return _as_tensor(self._decayed(step - self.warmup_steps, self.warmup_target))

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "alpha": self.alpha,
            "name": self.name,
            "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }


_SCHEDULES = {
    cls.__name__: cls
    for cls in (
        LearningRateSchedule,
        ExponentialDecay,
        PiecewiseConstantDecay,
        CosineDecay,
    )
}


@export("nanokeras.optimizers.schedules.serialize")
def serialize(learning_rate_schedule: LearningRateSchedule) -> dict:
    """Keras 3's serialized dict of a schedule."""
    return serialization_lib.serialize_keras_object(learning_rate_schedule)


@export("nanokeras.optimizers.schedules.deserialize")
def deserialize(
    config: dict, custom_objects: dict | None = None
) -> LearningRateSchedule:
    """Rebuild a schedule from `serialize`'s output."""
    try:
        return serialization_lib.deserialize_module_object(
            config, _SCHEDULES, custom_objects, "learning rate schedule"
        )
    except (TypeError, ValueError) as error:
        name = config.get("class_name") if isinstance(config, dict) else config
        raise ValueError(
            f"Unknown learning rate schedule: {name!r}. Expected one of "
            f"{sorted(_SCHEDULES)} (pass custom schedules in `custom_objects`). "
            f"({error})"
        ) from None
