"""`RMSprop`: gradient steps divided by a running root-mean-square of gradients.

Mirrors: keras/optimizer_v2/rmsprop.py (tf.keras 2.6),
keras/src/optimizers/rmsprop.py (Keras 3)
"""

from typing import Any

import numpy as np

from api_export import export
from backend.variables import Variable
from optimizers.base_optimizer import shared_arguments
from optimizers.optimizer import Optimizer


@export("nanokeras.optimizers.RMSprop")
class RMSprop(Optimizer):
    """Adds steps scaled by a running mean of squared gradients to `Optimizer`.

    Each step:

        v = rho * v + (1 - rho) * g^2
        increment = lr * g / sqrt(v + epsilon)       # centered: v - mean(g)^2
        w = w - increment      # or, with momentum: m = momentum * m + increment;
                               #                    w = w - m

    The arguments `weight_decay`, `clipnorm`, `clipvalue`, `global_clipnorm`,
    `use_ema`, `ema_momentum`, `ema_overwrite_frequency`, `loss_scale_factor`,
    `gradient_accumulation_steps`, `name` are those of `Optimizer`.

    Args:
        learning_rate: A float or a `LearningRateSchedule`. Defaults to 0.001.
        rho: Decay rate of the running mean. Defaults to 0.9.
        momentum: Momentum on the increments. Defaults to 0 (no slot).
        epsilon: Added inside the square root. Defaults to 1e-7.
        centered: If True, divide by an estimate of the gradient's variance
            (adds an `average_gradient` slot).
    """

    @shared_arguments
    def __init__(
        self,
        learning_rate: Any = 0.001,
        rho: float = 0.9,
        momentum: float = 0.0,
        epsilon: float = 1e-7,
        centered: bool = False,
        **kwargs: Any,
    ):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    def build(self, var_list: list[Variable]) -> None:
        """Create `velocity` slots, plus `momentum` and `average_gradient` if used."""
        if self.built:
            return
        super().build(var_list)
        self._velocities = self.add_optimizer_variables(var_list, "velocity")
        self._momentums = []
        if self.momentum > 0:
            self._momentums = self.add_optimizer_variables(var_list, "momentum")
        self._average_gradients = []
        if self.centered:
            self._average_gradients = self.add_optimizer_variables(
                var_list, "average_gradient"
            )

    def update_step(
        self, gradient: np.ndarray, variable: Variable, learning_rate: float
    ) -> None:
        index = self._get_variable_index(variable)
        rho = self.rho
        velocity = self._velocities[index].array_for_update()
        scratch = self._scratch[index]
        velocity *= rho
        np.square(gradient, out=scratch)
        scratch *= 1 - rho
        velocity += scratch
        if self.centered:
            average = self._average_gradients[index].array_for_update()
            average *= rho
            np.multiply(gradient, 1 - rho, out=scratch)
            average += scratch
            np.square(average, out=scratch)
            np.subtract(velocity, scratch, out=scratch)
            scratch += self.epsilon
        else:
            np.add(velocity, self.epsilon, out=scratch)
        np.sqrt(scratch, out=scratch)
        np.divide(gradient, scratch, out=scratch)
        scratch *= learning_rate  # the increment
        weights = variable.array_for_update()
        if self.momentum > 0:
            momentum = self._momentums[index].array_for_update()
            momentum *= self.momentum
            momentum += scratch
            weights -= momentum
        else:
            weights -= scratch

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "rho": self.rho,
                "momentum": self.momentum,
                "epsilon": self.epsilon,
                "centered": self.centered,
            }
        )
        return config
