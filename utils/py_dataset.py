"""`PyDataset`: a dataset written in Python, one batch per index.

Mirrors: keras/utils/data_utils.py `Sequence` (tf.keras 2.x),
keras/src/trainers/data_adapters/py_dataset_adapter.py `PyDataset` (Keras 3)

A `PyDataset` knows how many batches it has (`__len__`) and how to make batch
number `i` (`__getitem__`). Because batches are asked for by index, `fit` can
visit them in a shuffled order, ask several at once from worker threads, and
never needs the whole dataset in memory. `fit`, `evaluate` and `predict` also
accept any object with those two methods (tf.keras 2.x's `Sequence` contract);
`engine/data_adapter.py` reads them batch by batch.
"""

import itertools
from typing import Any, Iterator

from api_export import export


@export("nanokeras.utils.PyDataset", "nanokeras.utils.Sequence")
class PyDataset:
    """Base class of datasets that build each batch in Python code.

    Implement `__len__` (the number of batches) and `__getitem__(index)` (one
    whole batch: `x`, `(x, y)` or `(x, y, sample_weight)`). Optionally
    implement `on_epoch_begin` / `on_epoch_end`, which `fit` calls around
    every epoch (to reshuffle files, say).

    Args:
        workers: Threads that build batches ahead of the training step (1:
            batches are built one at a time, when needed).
        use_multiprocessing: Keras builds batches in forked processes when
            True; simplified: nanokeras always uses threads (`workers` of
            them), which is enough for reading files.
        max_queue_size: How many batches the workers may build ahead.

    Example:

    ```python
    class Batches(keras.utils.PyDataset):
        def __init__(self, x, y, batch_size, **kwargs):
            super().__init__(**kwargs)
            self.x, self.y, self.batch_size = x, y, batch_size

        def __len__(self):
            return -(-len(self.x) // self.batch_size)

        def __getitem__(self, index):
            part = slice(index * self.batch_size, (index + 1) * self.batch_size)
            return self.x[part], self.y[part]
    ```
    """

    def __init__(
        self, workers: int = 1, use_multiprocessing: bool = False, max_queue_size=10
    ):
        self._workers = workers
        self._use_multiprocessing = use_multiprocessing
        self._max_queue_size = max_queue_size

    # Read through properties with defaults, so a subclass that forgot
    # `super().__init__()` still works (with one worker), as in Keras.
    @property
    def workers(self) -> int:
        return getattr(self, "_workers", 1)

    @workers.setter
    def workers(self, value: int) -> None:
        self._workers = value

    @property
    def use_multiprocessing(self) -> bool:
        return getattr(self, "_use_multiprocessing", False)

    @use_multiprocessing.setter
    def use_multiprocessing(self, value: bool) -> None:
        self._use_multiprocessing = value

    @property
    def max_queue_size(self) -> int:
        return getattr(self, "_max_queue_size", 10)

    @max_queue_size.setter
    def max_queue_size(self, value: int) -> None:
        self._max_queue_size = value

    def __getitem__(self, index: int) -> Any:
        """Batch number `index`."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement `__getitem__(index)`, "
            "returning one batch."
        )

    @property
    def num_batches(self) -> int | None:
        """The number of batches: `len(self)`, or None for an endless dataset."""
        if hasattr(self, "__len__"):
            return len(self)
        return None

    def __iter__(self) -> Iterator:
        """Batches in index order (no workers, no shuffling)."""
        count = self.num_batches
        indices = range(count) if count is not None else itertools.count()
        for index in indices:
            yield self[index]

    def on_epoch_begin(self) -> None:
        """Called by `fit` at the start of every epoch."""

    def on_epoch_end(self) -> None:
        """Called by `fit` at the end of every epoch."""
