"""`CSVLogger`: one CSV row of logs per epoch.

Mirrors: keras/callbacks.py (tf.keras 2.6), keras/src/callbacks/csv_logger.py (Keras 3)
"""

import csv
import os

from api_export import export
from callbacks.callback import Callback


@export("nanokeras.callbacks.CSVLogger")
class CSVLogger(Callback):
    """Writes each epoch's logs as a row of a CSV file.

    Args:
        filename: The CSV file.
        separator: The column separator.
        append: Add to an existing file instead of overwriting it.
    """

    def __init__(self, filename: str, separator: str = ",", append: bool = False):
        super().__init__()
        self.filename, self.sep, self.append = os.fspath(filename), separator, append
        self.keys: list[str] | None = None
        self._file = None
        self._writer = None

    def on_train_begin(self, logs=None):
        has_rows = self.append and os.path.exists(self.filename)
        self._append_header = not (has_rows and os.path.getsize(self.filename) > 0)
        self._file = open(self.filename, "a" if self.append else "w", newline="")
        self.keys, self._writer = None, None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs)
        if self._writer is None:
            self._writer = csv.DictWriter(
                self._file, fieldnames=["epoch", *self.keys], delimiter=self.sep
            )
            if self._append_header:
                self._writer.writeheader()
        row = {"epoch": epoch, **{key: logs.get(key, "NA") for key in self.keys}}
        self._writer.writerow(row)
        self._file.flush()

    def on_train_end(self, logs=None):
        if self._file is not None:
            self._file.close()
            self._file, self._writer = None, None
