"""`Adagrad`: steps shrink with the sum of all past squared gradients.

Mirrors: keras/optimizer_v2/adagrad.py (tf.keras 2.6),
keras/src/optimizers/adagrad.py (Keras 3)
"""

from typing import Any

import numpy as np

from api_export import export
from backend.variables import Variable
from optimizers.base_optimizer import shared_arguments
from optimizers.optimizer import Optimizer


@export("nanokeras.optimizers.Adagrad")
class Adagrad(Optimizer):
    """Adds per-parameter steps that shrink as squared gradients accumulate.

    Each step: `acc = acc + g^2`, then `w = w - lr * g / sqrt(acc + epsilon)`.
    Parameters that are updated often get smaller steps.

    The arguments `weight_decay`, `clipnorm`, `clipvalue`, `global_clipnorm`,
    `use_ema`, `ema_momentum`, `ema_overwrite_frequency`, `loss_scale_factor`,
    `gradient_accumulation_steps`, `name` are those of `Optimizer`.

    Args:
        learning_rate: A float or a `LearningRateSchedule`. Defaults to 0.001.
        initial_accumulator_value: Starting value of the accumulators.
            Defaults to 0.1.
        epsilon: Added inside the square root. Defaults to 1e-7.
    """

    @shared_arguments
    def __init__(
        self,
        learning_rate: Any = 0.001,
        initial_accumulator_value: float = 0.1,
        epsilon: float = 1e-7,
        **kwargs: Any,
    ):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def build(self, var_list: list[Variable]) -> None:
        """Create one `accumulator` slot per variable."""
        if self.built:
            return
        super().build(var_list)
        self._accumulators = self.add_optimizer_variables(
            var_list, "accumulator", initializer=self.initial_accumulator_value
        )

    def update_step(
        self, gradient: np.ndarray, variable: Variable, learning_rate: float
    ) -> None:
        index = self._get_variable_index(variable)
        accumulator = self._accumulators[index].array_for_update()
        scratch = self._scratch[index]
        np.square(gradient, out=scratch)
        accumulator += scratch
        np.add(accumulator, self.epsilon, out=scratch)
        np.sqrt(scratch, out=scratch)
        np.divide(gradient, scratch, out=scratch)
        scratch *= learning_rate
        weights = variable.array_for_update()
        weights -= scratch

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "initial_accumulator_value": self.initial_accumulator_value,
                "epsilon": self.epsilon,
            }
        )
        return config
