"""`AdamW`: Adam with decoupled weight decay switched on.

Mirrors: keras/src/optimizers/adamw.py (Keras 3); tf.keras 2.6 has no
counterpart
"""

from typing import Any

from api_export import export
from optimizers.adam import Adam
from optimizers.base_optimizer import shared_arguments


@export("nanokeras.optimizers.AdamW")
class AdamW(Adam):
    """Adds a default, required `weight_decay` (0.004) to `Adam`.

    The decay is *decoupled* (Loshchilov and Hutter): before the Adam step,
    every variable shrinks by `variable * weight_decay * learning_rate`,
    instead of adding an L2 term to the loss whose gradient Adam would rescale.
    `exclude_from_weight_decay()` leaves chosen variables (biases, say) alone.

    The arguments `beta_1`, `beta_2`, `epsilon`, `amsgrad` are those of `Adam`. The
    arguments `clipnorm`, `clipvalue`, `global_clipnorm`, `use_ema`, `ema_momentum`,
    `ema_overwrite_frequency`, `loss_scale_factor`, `gradient_accumulation_steps`,
    `name` are those of `Optimizer`.

    Args:
        learning_rate: A float or a `LearningRateSchedule`. Defaults to 0.001.
        weight_decay: The decay rate. Defaults to 0.004; must not be None.
    """

    @shared_arguments
    def __init__(
        self,
        learning_rate: Any = 0.001,
        weight_decay: float = 0.004,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
        **kwargs: Any,
    ):
        super().__init__(
            learning_rate=learning_rate,
            weight_decay=weight_decay,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            amsgrad=amsgrad,
            **kwargs,
        )
        if self.weight_decay is None:
            raise ValueError(
                "Argument `weight_decay` must be a float. Received: weight_decay=None"
            )
