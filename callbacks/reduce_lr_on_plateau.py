"""`ReduceLROnPlateau`: lower the learning rate when progress stalls.

Mirrors: keras/callbacks.py (tf.keras 2.6),
keras/src/callbacks/reduce_lr_on_plateau.py (Keras 3)
"""

from typing import Any

from api_export import export
from callbacks.callback import Callback
from callbacks.monitor_callback import MonitorMixin


@export("nanokeras.callbacks.ReduceLROnPlateau")
class ReduceLROnPlateau(MonitorMixin, Callback):
    """Multiplies the learning rate by `factor` when `monitor` stops improving.

    Args:
        monitor: The logged value to watch.
        factor: New rate = rate * factor (must be < 1).
        patience: Epochs without improvement before reducing.
        verbose: 1 prints each reduction.
        mode: `"min"`, `"max"` or `"auto"`.
        min_delta: Smallest change that counts as an improvement.
        cooldown: Epochs to wait after a reduction before counting again.
        min_lr: The learning rate never goes below this.
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        factor: float = 0.1,
        patience: int = 10,
        verbose: int = 0,
        mode: str = "auto",
        min_delta: float = 1e-4,
        cooldown: int = 0,
        min_lr: float = 0.0,
        **kwargs: Any,
    ):
        super().__init__()
        if factor >= 1.0:
            raise ValueError(
                "ReduceLROnPlateau does not support a factor >= 1.0. Received "
                f"factor={factor}; pass a value below 1, such as 0.1."
            )
        self.monitor, self.factor, self.patience = monitor, factor, patience
        self.verbose, self.mode, self.min_delta = verbose, mode, min_delta
        self.cooldown, self.min_lr = cooldown, min_lr
        self._check_mode()
        self.wait, self.cooldown_counter, self.best = 0, 0, None

    def on_train_begin(self, logs=None):
        self.wait, self.cooldown_counter, self.best = 0, 0, None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs if logs is not None else {}
        optimizer = self.model.optimizer
        logs["learning_rate"] = float(optimizer.learning_rate)
        current = self._monitored(logs)
        if current is None:
            return
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current, self.best):
            self.best, self.wait = current, 0
        elif self.cooldown_counter <= 0:
            self.wait += 1
            old_lr = float(optimizer.learning_rate)
            if self.wait >= self.patience and old_lr > self.min_lr:
                new_lr = max(old_lr * self.factor, self.min_lr)
                optimizer.learning_rate = new_lr
                if self.verbose > 0:
                    print(
                        f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing "
                        f"learning rate to {new_lr}."
                    )
                self.cooldown_counter, self.wait = self.cooldown, 0
