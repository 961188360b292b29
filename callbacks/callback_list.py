"""`CallbackList`: one callback that forwards every hook to many.

Mirrors: keras/callbacks.py (tf.keras 2.6),
keras/src/callbacks/callback_list.py (Keras 3)
"""

from typing import Any

from api_export import export
from callbacks.callback import Callback
from callbacks.history import History
from callbacks.progbar_logger import ProgbarLogger


@export("nanokeras.callbacks.CallbackList")
class CallbackList(Callback):
    """A `Callback` that forwards every hook to a list of callbacks, in order.

    Args:
        callbacks: The callbacks to call.
        add_history: Append a `History` if the list has none.
        add_progbar: Append a `ProgbarLogger` if the list has none.
        model: The model the callbacks watch.
        **params: `verbose`, `epochs`, `steps`, given to `set_params`.
    """

    def __init__(
        self,
        callbacks: list | None = None,
        add_history: bool = False,
        add_progbar: bool = False,
        model: Any = None,
        **params: Any,
    ):
        super().__init__()
        self.callbacks = list(callbacks or [])
        if add_progbar and not any(
            isinstance(c, ProgbarLogger) for c in self.callbacks
        ):
            self.callbacks.append(ProgbarLogger())
        if add_history and not any(isinstance(c, History) for c in self.callbacks):
            self.callbacks.append(History())
        # The History `fit` returns, even when no epoch runs (`epochs=0`).
        self._history = next(
            (c for c in self.callbacks if isinstance(c, History)), None
        )
        if model is not None:
            self.set_model(model)
        if params:
            self.set_params(params)

    def append(self, callback: Callback) -> None:
        """Add one more callback; it hears every later event."""
        self.callbacks.append(callback)

    def set_params(self, params: dict) -> None:
        self.params = params
        for callback in self.callbacks:
            callback.set_params(params)

    def set_model(self, model: Any) -> None:
        super().set_model(model)
        if self._history is not None:
            model.history = self._history  # as tf.keras 2.x, before any epoch
        for callback in self.callbacks:
            callback.set_model(model)

    def _call(self, hook: str, *args: Any) -> None:
        # `logs` comes last; callbacks get `{}` for None, as in tf.keras and
        # Keras 3, so `logs.keys()` works in every hook.
        if not self.callbacks:  # `predict(verbose=0)`: nobody listens
            return
        *head, logs = args
        logs = {} if logs is None else logs
        for callback in self.callbacks:
            getattr(callback, hook)(*head, logs)

    def on_batch_begin(self, batch, logs=None):
        self._call("on_train_batch_begin", batch, logs)

    def on_batch_end(self, batch, logs=None):
        self._call("on_train_batch_end", batch, logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._call("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._call("on_epoch_end", epoch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._call("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self._call("on_train_batch_end", batch, logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._call("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        self._call("on_test_batch_end", batch, logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self._call("on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._call("on_predict_batch_end", batch, logs)

    def on_train_begin(self, logs=None):
        self._call("on_train_begin", logs)

    def on_train_end(self, logs=None):
        self._call("on_train_end", logs)

    def on_test_begin(self, logs=None):
        self._call("on_test_begin", logs)

    def on_test_end(self, logs=None):
        self._call("on_test_end", logs)

    def on_predict_begin(self, logs=None):
        self._call("on_predict_begin", logs)

    def on_predict_end(self, logs=None):
        self._call("on_predict_end", logs)
