"""`Adam`: gradient steps scaled by running moments of the gradient.

Mirrors: keras/optimizer_v2/adam.py (tf.keras 2.6),
keras/src/optimizers/adam.py (Keras 3)
"""

from typing import Any

import numpy as np

from api_export import export
from backend.variables import Variable
from optimizers.base_optimizer import shared_arguments
from optimizers.optimizer import Optimizer


def update_moments(
    m: np.ndarray,
    v: np.ndarray,
    gradient: np.ndarray,
    beta_1: float,
    beta_2: float,
    scratch: np.ndarray,
) -> None:
    """Adam's running moments, updated in place (`Nadam` shares them):
    `m += (g - m) * (1 - beta_1)` and `v += (g^2 - v) * (1 - beta_2)`.

    Each line is one pass over memory, written into existing arrays;
    `scratch` is a buffer of the variable's shape.
    """
    np.subtract(gradient, m, out=scratch)
    scratch *= 1 - beta_1
    m += scratch
    np.square(gradient, out=scratch)
    scratch -= v
    scratch *= 1 - beta_2
    v += scratch


@export("nanokeras.optimizers.Adam")
class Adam(Optimizer):
    """Adds per-parameter adaptive steps from two moment slots to `Optimizer`.

    Each step, with `t` the step number (from 1):

        m = m + (g - m) * (1 - beta_1)          # mean of gradients
        v = v + (g^2 - v) * (1 - beta_2)        # mean of squared gradients
        alpha = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)   # bias correction
        w = w - alpha * m / (sqrt(v) + epsilon)

    With `amsgrad=True`, `v` is replaced by its running maximum.

    The arguments `weight_decay`, `clipnorm`, `clipvalue`, `global_clipnorm`,
    `use_ema`, `ema_momentum`, `ema_overwrite_frequency`, `loss_scale_factor`,
    `gradient_accumulation_steps`, `name` are those of `Optimizer`.

    Args:
        learning_rate: A float or a `LearningRateSchedule`. Defaults to 0.001.
        beta_1: Decay rate of the first moment. Defaults to 0.9.
        beta_2: Decay rate of the second moment. Defaults to 0.999.
        epsilon: Added to the denominator for stability. Defaults to 1e-7.
        amsgrad: Whether to use the AMSGrad variant.
    """

    @shared_arguments
    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
        **kwargs: Any,
    ):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.amsgrad = amsgrad

    def build(self, var_list: list[Variable]) -> None:
        """Create the `momentum` and `velocity` slots (and `velocity_hat`)."""
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"]
        )
        if self.amsgrad:
            self._velocity_hats = self.add_optimizer_variables(var_list, "velocity_hat")

    def update_step(
        self, gradient: np.ndarray, variable: Variable, learning_rate: float
    ) -> None:
        index = self._get_variable_index(variable)
        step = int(self._iterations) + 1
        alpha = learning_rate * (1 - self.beta_2**step) ** 0.5 / (1 - self.beta_1**step)
        m = self._momentums[index].array_for_update()
        v = self._velocities[index].array_for_update()
        scratch = self._scratch[index]
        update_moments(m, v, gradient, self.beta_1, self.beta_2, scratch)
        if self.amsgrad:
            v_hat = self._velocity_hats[index].array_for_update()
            np.maximum(v_hat, v, out=v_hat)
            v = v_hat
        np.sqrt(v, out=scratch)
        scratch += self.epsilon
        np.divide(m, scratch, out=scratch)
        scratch *= alpha
        weights = variable.array_for_update()
        weights -= scratch

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "beta_1": self.beta_1,
                "beta_2": self.beta_2,
                "epsilon": self.epsilon,
                "amsgrad": self.amsgrad,
            }
        )
        return config
