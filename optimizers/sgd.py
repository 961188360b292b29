"""`SGD`: gradient descent, with optional (Nesterov) momentum.

Mirrors: keras/optimizer_v2/gradient_descent.py (tf.keras 2.6),
keras/src/optimizers/sgd.py (Keras 3)
"""

from typing import Any

import numpy as np

from api_export import export
from backend.variables import Variable
from optimizers.base_optimizer import shared_arguments
from optimizers.optimizer import Optimizer


@export("nanokeras.optimizers.SGD")
class SGD(Optimizer):
    """Adds the plain gradient step to `Optimizer`, with optional momentum.

    Without momentum: `w -= learning_rate * g`. With momentum, a velocity
    accumulates past steps: `v = momentum * v - learning_rate * g`, then
    `w += v` (or, with `nesterov=True`, `w += momentum * v - learning_rate * g`,
    a step that looks ahead along the velocity).

    The arguments `weight_decay`, `clipnorm`, `clipvalue`, `global_clipnorm`,
    `use_ema`, `ema_momentum`, `ema_overwrite_frequency`, `loss_scale_factor`,
    `gradient_accumulation_steps`, `name` are those of `Optimizer`.

    Args:
        learning_rate: A float or a `LearningRateSchedule`. Defaults to 0.01.
        momentum: A float in [0, 1]. Defaults to 0 (no velocity slot).
        nesterov: Whether to use Nesterov momentum.

    Example:

    >>> w = Variable(1.0)
    >>> _ = SGD(learning_rate=0.1).apply_gradients([(ops.convert_to_tensor(2.0), w)])
    >>> round(float(w), 6)  # 1 - 0.1 * 2
    0.8
    """

    @shared_arguments
    def __init__(
        self,
        learning_rate: Any = 0.01,
        momentum: float = 0.0,
        nesterov: bool = False,
        **kwargs: Any,
    ):
        super().__init__(learning_rate=learning_rate, **kwargs)
        if not isinstance(momentum, float) or momentum < 0 or momentum > 1:
            raise ValueError(
                f"`momentum` must be a float between [0, 1]. Received: {momentum!r}"
            )
        self.momentum = momentum
        self.nesterov = nesterov

    def build(self, var_list: list[Variable]) -> None:
        """Create one `momentum` slot per variable when `momentum` is not 0."""
        if self.built:
            return
        super().build(var_list)
        self.momentums = []
        if self.momentum != 0:
            self.momentums = self.add_optimizer_variables(var_list, "momentum")

    def update_step(
        self, gradient: np.ndarray, variable: Variable, learning_rate: float
    ) -> None:
        index = self._get_variable_index(variable)
        step = self._scratch[index]
        weights = variable.array_for_update()
        np.multiply(gradient, learning_rate, out=step)  # learning_rate * g
        if self.momentum == 0:
            weights -= step
            return
        velocity = self.momentums[index].array_for_update()
        velocity *= self.momentum
        velocity -= step
        if self.nesterov:
            weights -= step
            np.multiply(velocity, self.momentum, out=step)
            weights += step
        else:
            weights += velocity

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"momentum": self.momentum, "nesterov": self.nesterov})
        return config
