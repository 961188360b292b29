"""`EarlyStopping`: end `fit` when a watched value stops improving.

Mirrors: keras/callbacks.py (tf.keras 2.6),
keras/src/callbacks/early_stopping.py (Keras 3)
"""

from api_export import export
from callbacks.callback import Callback
from callbacks.monitor_callback import MonitorMixin


@export("nanokeras.callbacks.EarlyStopping")
class EarlyStopping(MonitorMixin, Callback):
    """Stops `fit` when a monitored value has stopped improving.

    Args:
        monitor: The logged value to watch (`"val_loss"` by default).
        min_delta: Smallest change that counts as an improvement.
        patience: Epochs without improvement before stopping.
        verbose: 1 prints when stopping and when restoring weights.
        mode: `"min"`, `"max"`, or `"auto"` (from the name of `monitor`).
        baseline: Training stops unless the value beats this within
            `patience` epochs.
        restore_best_weights: Put back the weights of the best epoch at the
            end of training (if the best epoch was not the last).
        start_from_epoch: Epochs of warm-up before watching starts.
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        min_delta: float = 0,
        patience: int = 0,
        verbose: int = 0,
        mode: str = "auto",
        baseline: float | None = None,
        restore_best_weights: bool = False,
        start_from_epoch: int = 0,
    ):
        super().__init__()
        self.monitor, self.min_delta, self.patience = monitor, min_delta, patience
        self.verbose, self.mode, self.baseline = verbose, mode, baseline
        self.restore_best_weights = restore_best_weights
        self.start_from_epoch = start_from_epoch
        self._check_mode()

    def on_train_begin(self, logs=None):
        self.wait = 0
        self.stopped_epoch = 0
        self.best: float | None = None
        self.best_weights = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch, logs=None):
        current = self._monitored(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best, self.best_epoch = current, epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print(
                    "Restoring model weights from the end of the best epoch: "
                    f"{self.best_epoch + 1}."
                )
            self.model.set_weights(self.best_weights)
