"""The `Callback` base class: the hooks the training loop calls.

Mirrors: keras/callbacks.py (tf.keras 2.6), keras/src/callbacks/callback.py (Keras 3)
"""

from typing import Any

from api_export import export


@export("nanokeras.callbacks.Callback")
class Callback:
    """The base class: every hook exists and does nothing.

    Subclasses override the hooks they need. `self.model` is the model being
    trained and `self.params` holds `verbose`, `epochs` and `steps`.
    """

    def __init__(self):
        self.params: dict = {}
        self._model = None

    def set_params(self, params: dict) -> None:
        """Keep the run's settings (`verbose`, `epochs`, `steps`) as `self.params`."""
        self.params = params

    def set_model(self, model: Any) -> None:
        """Keep the model being trained, read back as `self.model`."""
        self._model = model

    @property
    def model(self) -> Any:
        """The model this callback was given by `set_model`."""
        return self._model

    def on_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Same as `on_train_batch_begin` (kept for backwards compatibility)."""

    def on_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Same as `on_train_batch_end` (kept for backwards compatibility)."""

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        """Called at the start of an epoch of `fit`."""

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        """Called at the end of an epoch; `logs` has the epoch's metrics
        (and `val_` metrics when validating)."""

    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Called before each training batch; calls `on_batch_begin`."""
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Called after each training batch with its `logs`; calls `on_batch_end`."""
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Called before each batch of `evaluate` (and of validation)."""

    def on_test_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Called after each batch of `evaluate`, with its `logs`."""

    def on_predict_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Called before each batch of `predict`."""

    def on_predict_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Called after each batch of `predict`; `logs` has its `outputs`."""

    def on_train_begin(self, logs: dict | None = None) -> None:
        """Called once when `fit` starts."""

    def on_train_end(self, logs: dict | None = None) -> None:
        """Called once when `fit` ends, with the last epoch's `logs`."""

    def on_test_begin(self, logs: dict | None = None) -> None:
        """Called once when `evaluate` (or validation) starts."""

    def on_test_end(self, logs: dict | None = None) -> None:
        """Called once when `evaluate` ends, with its `logs`."""

    def on_predict_begin(self, logs: dict | None = None) -> None:
        """Called once when `predict` starts."""

    def on_predict_end(self, logs: dict | None = None) -> None:
        """Called once when `predict` ends."""
