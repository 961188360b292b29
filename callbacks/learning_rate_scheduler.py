"""`LearningRateScheduler`: set the learning rate from the epoch number.

Mirrors: keras/callbacks.py (tf.keras 2.6),
keras/src/callbacks/learning_rate_scheduler.py (Keras 3)
"""

from typing import Callable

import numpy as np

from api_export import export
from callbacks.callback import Callback


@export("nanokeras.callbacks.LearningRateScheduler")
class LearningRateScheduler(Callback):
    """Sets the optimizer's learning rate at the start of every epoch.

    Args:
        schedule: `schedule(epoch, lr)` (or `schedule(epoch)`) returning the
            new learning rate as a float.
        verbose: 1 prints each change.
    """

    def __init__(self, schedule: Callable, verbose: int = 0):
        super().__init__()
        self.schedule, self.verbose = schedule, verbose

    def on_epoch_begin(self, epoch, logs=None):
        optimizer = self.model.optimizer
        try:
            learning_rate = self.schedule(epoch, float(optimizer.learning_rate))
        except TypeError:  # a schedule of the epoch only, as Keras allows
            learning_rate = self.schedule(epoch)
        if not isinstance(learning_rate, (float, int, np.floating, np.integer)):
            raise ValueError(
                "The output of the `schedule` function should be a float. Got: "
                f"{learning_rate!r}"
            )
        optimizer.learning_rate = float(learning_rate)
        if self.verbose > 0:
            print(
                f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning "
                f"rate to {float(learning_rate)}."
            )

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = float(self.model.optimizer.learning_rate)
