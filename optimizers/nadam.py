"""`Nadam`: Adam with Nesterov momentum.

Mirrors: keras/optimizer_v2/nadam.py (tf.keras 2.6),
keras/src/optimizers/nadam.py (Keras 3)
"""

from typing import Any

import numpy as np

from api_export import export
from backend.ops.core import value_of
from backend.variables import Variable
from optimizers.adam import update_moments
from optimizers.base_optimizer import shared_arguments
from optimizers.optimizer import Optimizer


@export("nanokeras.optimizers.Nadam")
class Nadam(Optimizer):
    """Adds Adam's moments with a Nesterov look-ahead and a momentum schedule.

    Each step, with `t` the step number (from 1) and
    `u_t = beta_1 * (1 - 0.5 * 0.96^t)` the scheduled momentum, whose running
    product is kept in the `u_product` variable:

        m = m + (g - m) * (1 - beta_1);   v = v + (g^2 - v) * (1 - beta_2)
        m_hat = u_{t+1} m / (1 - prod_{t+1}) + (1 - u_t) g / (1 - prod_t)
        w = w - lr * m_hat / (sqrt(v / (1 - beta_2^t)) + epsilon)

    The arguments `weight_decay`, `clipnorm`, `clipvalue`, `global_clipnorm`,
    `use_ema`, `ema_momentum`, `ema_overwrite_frequency`, `loss_scale_factor`,
    `gradient_accumulation_steps`, `name` are those of `Optimizer`.

    Args:
        learning_rate: A float or a `LearningRateSchedule`. Defaults to 0.001.
        beta_1: Decay rate of the first moment. Defaults to 0.9.
        beta_2: Decay rate of the second moment. Defaults to 0.999.
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
        """Create the `momentum` and `velocity` slots and the `u_product` scalar."""
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"]
        )
        dtype = var_list[0].dtype if var_list else None
        self._u_product = self.add_variable(
            (), initializer=1.0, dtype=dtype, name="u_product"
        )
        self._second_scratch = [np.empty_like(s) for s in self._scratch]

    def _momentum_at(self, step: int) -> float:
        return self.beta_1 * (1.0 - 0.5 * 0.96**step)

    def _backend_update_step(
        self, grads: list, trainable_variables: list, learning_rate: float
    ) -> None:
        # The momentum product advances once per step, before any variable.
        step = int(self._iterations) + 1
        self._u_product.assign(value_of(self._u_product) * self._momentum_at(step))
        super()._backend_update_step(grads, trainable_variables, learning_rate)

    def update_step(
        self, gradient: np.ndarray, variable: Variable, learning_rate: float
    ) -> None:
        index = self._get_variable_index(variable)
        step = int(self._iterations) + 1
        u_t, u_next = self._momentum_at(step), self._momentum_at(step + 1)
        product = float(self._u_product)
        product_next = product * u_next
        m = self._momentums[index].array_for_update()
        v = self._velocities[index].array_for_update()
        scratch, update = self._scratch[index], self._second_scratch[index]
        update_moments(m, v, gradient, self.beta_1, self.beta_2, scratch)
        # m_hat, built in `update`.
        np.multiply(m, u_next / (1 - product_next), out=update)
        np.multiply(gradient, (1 - u_t) / (1 - product), out=scratch)
        update += scratch
        # sqrt(v_hat) + epsilon, built in `scratch`.
        np.multiply(v, 1 / (1 - self.beta_2**step), out=scratch)
        np.sqrt(scratch, out=scratch)
        scratch += self.epsilon
        update /= scratch
        update *= learning_rate
        weights = variable.array_for_update()
        weights -= update

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}
        )
        return config
