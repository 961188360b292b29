"""`History`: the per-epoch record that `fit` returns.

Mirrors: keras/callbacks.py (tf.keras 2.6), keras/src/callbacks/history.py (Keras 3)
"""

from api_export import export
from callbacks.callback import Callback


@export("nanokeras.callbacks.History")
class History(Callback):
    """Records every epoch's logs; `fit` returns it (and sets `model.history`).

    `history.history` maps each metric name to its list of per-epoch values;
    `history.epoch` lists the epoch indices.
    """

    def __init__(self):
        super().__init__()
        self.history: dict[str, list] = {}
        self.epoch: list[int] = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for name, value in (logs or {}).items():
            self.history.setdefault(name, []).append(value)
        self.model.history = self
