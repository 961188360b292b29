"""`ProgbarLogger`: draws the progress bar during `fit`, `evaluate`, `predict`.

Mirrors: keras/callbacks.py (tf.keras 2.6),
keras/src/callbacks/progbar_logger.py (Keras 3)
"""

from api_export import export
from callbacks.callback import Callback
from utils.progbar import Progbar


@export("nanokeras.callbacks.ProgbarLogger")
class ProgbarLogger(Callback):
    """Draws a `Progbar` per epoch (or per `evaluate`/`predict` call).

    It reads `verbose`, `epochs` and `steps` from `params`; `"auto"` means 1.
    """

    def __init__(self):
        super().__init__()
        self.progbar: Progbar | None = None
        self.target: int | None = None
        self.verbose: int = 1
        self.epochs = 1
        self.seen = 0
        self._called_in_fit = False

    def set_params(self, params):
        super().set_params(params)
        verbose = params.get("verbose", 1)
        self.verbose = 1 if verbose == "auto" else verbose
        self.epochs = params.get("epochs", 1)
        self.target = params.get("steps")

    def _start_progbar(self):
        self.seen = 0
        self.progbar = Progbar(self.target, verbose=self.verbose, stateless_metrics=())

    def _update(self, batch, logs):
        self.seen = batch + 1
        if self.progbar is None:
            self._start_progbar()
        if self.verbose == 1:
            self.progbar.update(self.seen, list((logs or {}).items()), finalize=False)

    def _finalize(self, logs):
        if self.progbar is None:
            self._start_progbar()
        if self.target is None:  # a generator's length is known only now
            self.target = self.progbar.target = self.seen
        self.progbar.update(self.target, list((logs or {}).items()), finalize=True)

    def on_train_begin(self, logs=None):
        self._called_in_fit = True

    def on_epoch_begin(self, epoch, logs=None):
        self._start_progbar()
        if self.verbose and self.epochs > 1:
            print(f"Epoch {epoch + 1}/{self.epochs}", flush=True)

    def on_train_batch_end(self, batch, logs=None):
        self._update(batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._finalize(logs)

    # Inside `fit`, validation must not draw over the epoch's bar.
    def on_test_begin(self, logs=None):
        if not self._called_in_fit:
            self._start_progbar()

    def on_test_batch_end(self, batch, logs=None):
        if not self._called_in_fit:
            self._update(batch, logs)

    def on_test_end(self, logs=None):
        if not self._called_in_fit:
            self._finalize(logs)

    def on_predict_begin(self, logs=None):
        self._start_progbar()

    def on_predict_batch_end(self, batch, logs=None):
        self._update(batch, None)

    def on_predict_end(self, logs=None):
        self._finalize(None)
