"""`ModelCheckpoint`: save the model or its weights while training.

Mirrors: keras/callbacks.py (tf.keras 2.6),
keras/src/callbacks/model_checkpoint.py (Keras 3)
"""

import os

from api_export import export
from callbacks.callback import Callback
from callbacks.monitor_callback import MonitorMixin


@export("nanokeras.callbacks.ModelCheckpoint")
class ModelCheckpoint(MonitorMixin, Callback):
    """Saves the model (or its weights) every epoch or every `save_freq` batches.

    `filepath` may hold format fields filled from the epoch and the logs, as
    `"model-{epoch:02d}-{val_loss:.2f}.keras"`. It ends in `.keras` for a
    whole model, in `.weights.npz` with `save_weights_only=True` (Keras 3
    uses `.weights.h5`; nanokeras stores weights in `.npz`).

    Args:
        filepath: Where to save; formatted with `epoch` (1-based) and the logs.
        monitor: The value compared when `save_best_only`.
        verbose: 1 prints a line for every save.
        save_best_only: Save only when `monitor` improves.
        save_weights_only: Call `model.save_weights` instead of `model.save`.
        mode: `"min"`, `"max"` or `"auto"`.
        save_freq: `"epoch"`, or an integer number of batches.
        initial_value_threshold: A value `monitor` must beat for the first save.
    """

    def __init__(
        self,
        filepath: str,
        monitor: str = "val_loss",
        verbose: int = 0,
        save_best_only: bool = False,
        save_weights_only: bool = False,
        mode: str = "auto",
        save_freq: str | int = "epoch",
        initial_value_threshold: float | None = None,
    ):
        super().__init__()
        self.filepath = os.fspath(filepath)
        self.monitor, self.verbose = monitor, verbose
        suffix = ".weights.npz" if save_weights_only else ".keras"
        if not self.filepath.endswith(suffix):
            kind = "weights" if save_weights_only else "model"
            raise ValueError(
                f"With save_weights_only={save_weights_only}, the filepath "
                f"given to `ModelCheckpoint` must end in `{suffix}` (the "
                f"nanokeras {kind} format). Received: filepath={self.filepath}"
            )
        self.save_best_only, self.save_weights_only = save_best_only, save_weights_only
        self.mode, self.save_freq, self.min_delta = mode, save_freq, 0
        self.best = initial_value_threshold
        self._check_mode()
        if save_freq != "epoch" and not isinstance(save_freq, int):
            raise ValueError(
                f"Unrecognized save_freq: {save_freq!r}. Expected 'epoch' or an "
                "integer number of batches."
            )
        self._batches_seen = 0
        self._current_epoch = 0

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq != "epoch":
            self._batches_seen += 1
            if self._batches_seen % self.save_freq == 0:
                self._save(self._current_epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._save(epoch, logs)

    def _save(self, epoch: int, logs: dict | None) -> None:
        logs = logs or {}
        path = self.filepath.format(epoch=epoch + 1, **logs)
        if self.save_best_only:
            current = self._monitored(logs)
            if current is None:
                return
            if not self._is_improvement(current, self.best):
                if self.verbose > 0:
                    print(
                        f"\nEpoch {epoch + 1}: {self.monitor} did not improve "
                        f"from {self.best:.5f}"
                    )
                return
            if self.verbose > 0:
                previous = "inf" if self.best is None else f"{self.best:.5f}"
                print(
                    f"\nEpoch {epoch + 1}: {self.monitor} improved from "
                    f"{previous} to {current:.5f}, saving model to {path}"
                )
            self.best = current
        elif self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: saving model to {path}")
        directory = os.path.dirname(path)
        if directory:
            os.makedirs(directory, exist_ok=True)
        if self.save_weights_only:
            self.model.save_weights(path)
        else:
            self.model.save(path)
