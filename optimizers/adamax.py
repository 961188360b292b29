"""`Adamax`: Adam with the infinity norm in place of the second moment.

Mirrors: keras/optimizer_v2/adamax.py (tf.keras 2.6),
keras/src/optimizers/adamax.py (Keras 3)
"""

from typing import Any

import numpy as np

from api_export import export
from backend.variables import Variable
from optimizers.base_optimizer import shared_arguments
from optimizers.optimizer import Optimizer


@export("nanokeras.optimizers.Adamax")
class Adamax(Optimizer):
    """Adds Adam's first moment and a decaying maximum of `|g|` to `Optimizer`.

    Each step, with `t` the step number (from 1):

        m = m + (g - m) * (1 - beta_1)
        u = maximum(beta_2 * u, |g|)
        w = w - lr * m / ((1 - beta_1^t) * (u + epsilon))

    The arguments `weight_decay`, `clipnorm`, `clipvalue`, `global_clipnorm`,
    `use_ema`, `ema_momentum`, `ema_overwrite_frequency`, `loss_scale_factor`,
    `gradient_accumulation_steps`, `name` are those of `Optimizer`.

    Args:
        learning_rate: A float or a `LearningRateSchedule`. Defaults to 0.001.
        beta_1: Decay rate of the first moment. Defaults to 0.9.
        beta_2: Decay rate of the norm. Defaults to 0.999.
        epsilon: Added to the denominator. Defaults to 1e-7.
    """

    @shared_arguments
    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        **kwargs: Any,
    ):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, var_list: list[Variable]) -> None:
        """Create the `momentum` and `norm` slots."""
        if self.built:
            return
        super().build(var_list)
        self._m, self._u = self.add_optimizer_variables(var_list, ["momentum", "norm"])

    def update_step(
        self, gradient: np.ndarray, variable: Variable, learning_rate: float
    ) -> None:
        index = self._get_variable_index(variable)
        step = int(self._iterations) + 1
        m = self._m[index].array_for_update()
        u = self._u[index].array_for_update()
        scratch = self._scratch[index]
        np.subtract(gradient, m, out=scratch)
        scratch *= 1 - self.beta_1
        m += scratch
        u *= self.beta_2
        np.abs(gradient, out=scratch)
        np.maximum(u, scratch, out=u)
        np.add(u, self.epsilon, out=scratch)
        np.divide(m, scratch, out=scratch)
        scratch *= learning_rate / (1 - self.beta_1**step)
        weights = variable.array_for_update()
        weights -= scratch

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}
        )
        return config
