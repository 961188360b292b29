"""`DataHandler`: turn what `fit` receives into epochs of batches.

Mirrors: keras/engine/data_adapter.py (tf.keras 2.6),
keras/src/trainers/epoch_iterator.py + keras/src/trainers/data_adapters/ (Keras 3)

Simplified: no `tf.data.Dataset` or torch loaders (any iterable of batches
takes their place), no `steps_per_execution`, and one adapter class per kind
of input instead of Keras's registry of adapters.

`fit`, `evaluate` and `predict` accept numpy arrays (or lists/dicts of them
for models with several inputs or outputs), a `PyDataset` (or any object with
`__len__` and `__getitem__` returning batches, tf.keras's `Sequence`), and
Python generators or iterators of batches. A *data adapter* knows how to cut
one kind of input into batches; the `DataHandler` drives the adapter through
the epoch/step double loop that the training methods walk:

    for epoch, iterator in data_handler.enumerate_epochs():
        with data_handler.catch_stop_iteration():
            for step in data_handler.steps():
                logs = train_function(iterator)

Batches leave the handler as `Tensor`s wrapping arrays nobody writes to, so
the model's layers take them as they are instead of copying them again.
"""

import concurrent.futures
import contextlib
import math
import types
import warnings
from typing import Any, Iterator

import numpy as np

from api_export import export
from backend import config, nest
from backend.ops.core import from_owned_array, value_of
from backend.tensor import Tensor, TensorLike
from utils import argument_validation

DEFAULT_BATCH_SIZE = 32


@export("nanokeras.utils.unpack_x_y_sample_weight")
def unpack_x_y_sample_weight(data: Any) -> tuple:
    """Split a batch `(x,)`, `(x, y)` or `(x, y, sample_weight)` into three parts.

    Anything that is not a tuple (or list) is taken as `x` alone. Missing parts
    come back as `None`.
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data
    raise ValueError(
        "Data is expected to be in the format `x`, `(x,)`, `(x, y)`, or "
        f"`(x, y, sample_weight)`, found a tuple of {len(data)} elements: "
        f"{data!r:.200}"
    )


@export("nanokeras.utils.pack_x_y_sample_weight")
def pack_x_y_sample_weight(x: Any, y: Any = None, sample_weight: Any = None) -> Any:
    """The inverse of `unpack_x_y_sample_weight`: the shortest tuple that fits."""
    if y is None:
        # A lone list or tuple `x` must stay one element, not become (x, y).
        return (x,) if isinstance(x, (list, tuple)) else x
    if sample_weight is None:
        return x, y
    return x, y, sample_weight


def _as_array(value: Any) -> np.ndarray:
    """One input leaf as a numpy array; float64 data becomes `floatx()` once."""
    if isinstance(value, TensorLike):
        value = value_of(value)
    array = np.asarray(value)
    if array.dtype == np.float64 and config.floatx() != "float64":
        array = array.astype(config.floatx())
    return array


def _is_list_of_numbers(value: Any) -> bool:
    """`[0, 1, 1]` or `[[1.0, 2.0], [3.0, 4.0]]`: data, not a list of inputs."""
    return (
        isinstance(value, (list, tuple))
        and len(value) > 0
        and all(
            isinstance(item, (int, float, bool, np.number)) or _is_list_of_numbers(item)
            for item in value
        )
    )


def _lists_of_numbers_to_arrays(structure: Any) -> Any:
    """Turn plain Python lists of numbers into arrays; keep lists of arrays."""
    if _is_list_of_numbers(structure):
        return np.asarray(structure)
    if isinstance(structure, dict):
        return {key: _lists_of_numbers_to_arrays(v) for key, v in structure.items()}
    if isinstance(structure, (list, tuple)):
        return type(structure)(_lists_of_numbers_to_arrays(v) for v in structure)
    return structure


def _as_tensor(value: Any) -> Any:
    """Wrap a batch leaf in a `Tensor` without copying it (None stays None)."""
    if value is None or isinstance(value, Tensor):
        return value
    array = _as_array(value)
    if array is value:
        # The caller still holds this array: freeze a view of it, never the
        # caller's own array (its `writeable` flag is theirs).
        array = array.view()
    return from_owned_array(array)


def convert_arrays(structure: Any) -> Any:
    """Every leaf of an array structure as a numpy array (`floatx` for floats)."""
    if not any(map(nest.is_nested, structure)):
        # Plain arrays (the usual call): convert each part, nothing to walk.
        return tuple(None if part is None else _as_array(part) for part in structure)
    parts = []
    for name, part in zip(("x", "y", "sample_weight"), structure):
        try:
            parts.append(_lists_of_numbers_to_arrays(part))
        except ValueError as error:  # numpy: "inhomogeneous shape"
            raise ValueError(
                f"`{name}` could not be read as a numpy array: nested lists "
                "need rows of one length. Received rows of different lengths "
                f"({str(error).splitlines()[0]})"
            ) from None
    return nest.map_structure(
        lambda leaf: None if leaf is None else _as_array(leaf), tuple(parts)
    )


def prepare_validation_data(validation_data: Any) -> tuple:
    """`fit`'s `validation_data` as `(x, y, sample_weight)`, arrays converted once."""
    x, y, sample_weight = unpack_x_y_sample_weight(validation_data)
    if is_py_dataset(x) or is_iterable_of_batches(x):
        return x, y, sample_weight
    return convert_arrays((x, y, sample_weight))


def train_validation_split(arrays: tuple, validation_split: float) -> tuple:
    """Split `(x, y, sample_weight)` arrays into training and validation parts.

    As Keras, the *last* `validation_split` fraction of the samples is held
    out, before any shuffling, so the same samples are held out every epoch.
    """
    flat = [leaf for leaf in nest.flatten(arrays) if leaf is not None]
    if not all(isinstance(leaf, (np.ndarray, TensorLike)) for leaf in flat):
        raise ValueError(
            "`validation_split` is only supported for numpy arrays (or lists "
            "and dicts of them), but received inputs of types "
            f"{sorted({type(leaf).__name__ for leaf in flat})}. Pass "
            "`validation_data` instead."
        )
    # The data is checked whole before the cut, which could otherwise leave
    # two parts that each look consistent (mismatched lengths, say).
    argument_validation.check_data(arrays)
    num_samples = _common_length(nest.flatten(arrays))
    split_at = int(math.floor(num_samples * (1.0 - validation_split)))
    if split_at == 0 or split_at == num_samples:
        raise ValueError(
            f"Training data contains {num_samples} samples, which is not "
            "sufficient to split it into a validation and training set as "
            f"specified by `validation_split={validation_split}`. Either "
            "provide more data, or a different value for `validation_split`."
        )

    def part(start: int, stop: int | None) -> Any:
        return nest.map_structure(
            lambda leaf: None if leaf is None else leaf[start:stop], arrays
        )

    return part(0, split_at), part(split_at, None)


class ArrayDataAdapter:
    """Cuts numpy arrays (and lists/dicts of them) into shuffled batches.

    The arrays are converted once, up front; each batch is then a slice (a
    view, no copy) or, when shuffling, one fancy-indexed take per leaf.
    """

    def __init__(
        self,
        x: Any,
        y: Any = None,
        sample_weight: Any = None,
        batch_size: int | None = None,
        shuffle: bool | str = False,
        class_weight: dict | None = None,
    ):
        self._structure = convert_arrays((x, y, sample_weight))
        argument_validation.check_data(self._structure)
        # Lengths are checked before class weights multiply into the sample
        # weights, so a short `sample_weight` is named rather than reshaped.
        self._flat = nest.flatten(self._structure)
        self.num_samples = _common_length(self._flat)
        self.targets = self._structure[1]
        if class_weight:
            self._structure = _apply_class_weight(self._structure, class_weight)
            self._flat = nest.flatten(self._structure)
        # Plain `(x, y, sample_weight)` arrays need no repacking per batch.
        self._flat_structure = not any(map(nest.is_nested, self._structure))
        self.batch_size = batch_size or DEFAULT_BATCH_SIZE
        self.num_batches = math.ceil(self.num_samples / self.batch_size)
        self._shuffle = shuffle

    def get_numpy_iterator(self) -> Iterator[tuple]:
        """Yield one epoch of batches packed as `train_step` expects them.

        A batch is `(x, y)`, `(x, y, sample_weight)` or `x` alone: the
        shortest form that holds its parts (`pack_x_y_sample_weight`).
        """
        size, flat = self.batch_size, self._flat
        order = None
        if self._shuffle == "batch":
            # Keras's "batch" mode: shuffle whole batches, keep each in order.
            batch_order = np.random.permutation(self.num_batches)
        elif self._shuffle:
            order = np.random.permutation(self.num_samples)
        for index in range(self.num_batches):
            if self._shuffle == "batch":
                index = batch_order[index]
            start = index * size
            if order is None:
                piece = slice(start, start + size)
            else:
                piece = order[start : start + size]
            leaves = [
                None if leaf is None else _as_tensor(leaf[piece]) for leaf in flat
            ]
            if not self._flat_structure:
                leaves = nest.pack_sequence_as(self._structure, leaves)
            yield pack_x_y_sample_weight(*leaves)


class GeneratorDataAdapter:
    """Reads batches from a Python generator, iterator or re-iterable object.

    Each element is `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`. A
    generator or iterator is read once, continuing across epochs; an object
    that can be iterated again (a list of batches, a dataset class) starts
    over every epoch.
    """

    def __init__(self, source: Any):
        self._source = source
        self._is_iterator = iter(source) is source
        self._iterator = source if self._is_iterator else None
        self.num_batches = len(source) if hasattr(source, "__len__") else None

    def get_numpy_iterator(self) -> Iterator[tuple]:
        iterator = self._iterator if self._is_iterator else iter(self._source)
        for batch in iterator:
            x, y, sample_weight = unpack_x_y_sample_weight(batch)
            x, y, sample_weight = nest.map_structure(_as_tensor, (x, y, sample_weight))
            yield pack_x_y_sample_weight(x, y, sample_weight)


class PyDatasetAdapter:
    """Reads a `PyDataset` (or any `Sequence`-like object) batch by batch.

    tf.keras 2.x's `KerasSequenceAdapter`, Keras 3's `PyDatasetAdapter`. The
    dataset is never turned into one array: each step asks for one batch by
    index, in a shuffled order when `shuffle`, and with `workers > 1` a
    thread pool builds up to `max_queue_size` batches ahead, in order.
    """

    def __init__(
        self, dataset: Any, shuffle: bool | str = False, class_weight: dict = None
    ):
        self._dataset = dataset
        self._shuffle = bool(shuffle)
        self._class_weight = class_weight
        self.num_batches = len(dataset)
        self._workers = max(1, int(getattr(dataset, "workers", 1) or 1))
        self._queue_size = max(1, int(getattr(dataset, "max_queue_size", 10) or 1))

    def _standardize(self, batch: Any) -> tuple:
        x, y, sample_weight = unpack_x_y_sample_weight(batch)
        if self._class_weight:
            if sample_weight is not None:
                raise ValueError(
                    "You cannot specify `class_weight` and `sample_weight` at "
                    "the same time: the PyDataset returned sample weights."
                )
            _, _, sample_weight = _apply_class_weight(
                convert_arrays((x, y, None)), self._class_weight
            )
        x, y, sample_weight = nest.map_structure(_as_tensor, (x, y, sample_weight))
        return pack_x_y_sample_weight(x, y, sample_weight)

    def _batches(self, indices: list) -> Iterator:
        dataset = self._dataset
        if self._workers == 1:
            for index in indices:
                yield dataset[index]
            return
        with concurrent.futures.ThreadPoolExecutor(self._workers) as pool:
            pending = [
                pool.submit(dataset.__getitem__, i) for i in indices[: self._queue_size]
            ]
            for position in range(len(indices)):
                ahead = position + self._queue_size
                if ahead < len(indices):
                    pending.append(pool.submit(dataset.__getitem__, indices[ahead]))
                yield pending[position].result()
                pending[position] = None  # the batch is the step's now

    def get_numpy_iterator(self) -> Iterator[tuple]:
        indices = list(range(self.num_batches))
        if self._shuffle:
            np.random.shuffle(indices)
        if hasattr(self._dataset, "on_epoch_begin"):
            self._dataset.on_epoch_begin()
        for batch in self._batches(indices):
            yield self._standardize(batch)

    def on_epoch_end(self) -> None:
        """The `DataHandler` calls this after each epoch's last step."""
        if hasattr(self._dataset, "on_epoch_end"):
            self._dataset.on_epoch_end()


def is_py_dataset(x: Any) -> bool:
    """A `PyDataset`, or any object indexable by batch number with a length."""
    if isinstance(x, (np.ndarray, TensorLike, list, tuple, dict, str, bytes)):
        return False
    return hasattr(x, "__getitem__") and hasattr(x, "__len__")


def is_iterable_of_batches(x: Any) -> bool:
    """Generators, iterators and iterable objects that are not array structures."""
    if isinstance(x, (np.ndarray, TensorLike, list, tuple, dict, str, bytes)):
        return False
    return isinstance(x, types.GeneratorType) or hasattr(x, "__iter__")


def _common_length(leaves: list) -> int:
    """The number of samples every array of `(x, y, sample_weight)` holds.

    `leaves` is the flattened structure (None where a part is missing).
    """
    arrays = [leaf for leaf in leaves if leaf is not None]
    sizes = {len(leaf) for leaf in arrays}
    if len(sizes) > 1:
        raise ValueError(
            "Data cardinality is ambiguous: make sure all arrays contain "
            "the same number of samples. Received arrays of lengths "
            f"{[len(leaf) for leaf in arrays]} for (x, y, sample_weight) "
            f"with shapes {[leaf.shape for leaf in arrays]}."
        )
    return sizes.pop()


def _apply_class_weight(structure: tuple, class_weight: dict) -> tuple:
    """Multiply each sample's weight by the weight of its class, once."""
    x, y, sample_weight = structure
    if y is None:
        raise ValueError(
            "`class_weight` weighs each sample by the class of its target, "
            "but the data has no targets (y=None). Pass `y`."
        )
    if len(nest.flatten(y)) != 1:
        raise ValueError(
            "`class_weight` is only supported for models with a single "
            "output (one target array). Use `sample_weight` instead."
        )
    (targets,) = nest.flatten(y)
    if targets.ndim == 2 and targets.shape[1] > 1:
        classes = np.argmax(targets, axis=1)  # one-hot targets
    else:
        classes = np.round(targets.reshape(len(targets), -1)[:, 0]).astype(int)
    if classes.min() < 0:
        raise ValueError(
            "`class_weight` needs targets that are class indices (>= 0), but "
            f"`y` holds the label {classes.min()}."
        )
    table = np.ones(max(max(class_weight), classes.max(initial=0)) + 1, "float32")
    for label, weight in class_weight.items():
        table[int(label)] = weight
    weights = table[classes]
    if sample_weight is not None:
        weights = weights * sample_weight.reshape(len(weights), -1)[:, 0]
    return x, y, weights.astype(config.floatx())


def single_batch_iterator(
    x: Any, y: Any = None, sample_weight: Any = None, class_weight: dict | None = None
) -> Iterator:
    """An iterator over exactly one batch holding all of `x` (`*_on_batch`)."""
    first = nest.flatten(_lists_of_numbers_to_arrays(x))[0]
    # A scalar or None gets a batch of 1, and the handler's checks refuse it.
    size = len(first) if np.ndim(first) else 1
    handler = DataHandler(
        x, y, sample_weight, batch_size=max(size, 1), class_weight=class_weight
    )
    return next(handler.enumerate_epochs())[1]


class DataHandler:
    """Drives a data adapter through `fit`'s epoch loop and step loop.

    Args:
        x: Input data: arrays (or lists/dicts of arrays), a `PyDataset`
            (read batch by batch), or a generator, iterator or iterable
            yielding batches.
        y: Targets, with array inputs only.
        sample_weight: Per-sample weights, with array inputs only.
        batch_size: Samples per batch for arrays (default 32).
        steps_per_epoch: Batches per epoch. By default, one pass over the
            arrays, or until the generator is exhausted. With arrays and a
            smaller value, the next epoch continues where the last one ended.
        initial_epoch: The epoch to start counting from (to resume training).
        epochs: The epoch to stop before.
        shuffle: Shuffle the samples every epoch (`"batch"` shuffles whole
            batches; a `PyDataset`'s batch order). Ignored for generators.
        class_weight: Optional `{class index: weight}` that scales the loss
            of each sample by the weight of its class.
        model: The model being trained (kept for Keras's signature).
    """

    def __init__(
        self,
        x: Any,
        y: Any = None,
        sample_weight: Any = None,
        batch_size: int | None = None,
        steps_per_epoch: int | None = None,
        initial_epoch: int = 0,
        epochs: int = 1,
        shuffle: bool | str = False,
        class_weight: dict | None = None,
        model: Any = None,
    ):
        argument_validation.check_method_arguments(
            "DataHandler", batch_size=batch_size, steps_per_epoch=steps_per_epoch,
            initial_epoch=initial_epoch, epochs=epochs, shuffle=shuffle,
            class_weight=class_weight,
        )  # fmt: skip
        if x is None:
            raise ValueError(
                "No data: `x` is None. Pass the inputs as `x` (numpy arrays, "
                "lists or dicts of arrays, or a generator of batches)."
            )
        py_dataset = is_py_dataset(x)
        if py_dataset or is_iterable_of_batches(x):
            kind = "a PyDataset" if py_dataset else "a generator"
            for name, value in (("y", y), ("sample_weight", sample_weight)):
                if value is not None:
                    raise ValueError(
                        f"When providing `x` as {kind}, `{name}` should not "
                        "be passed. Instead, return it as part of each batch "
                        "(`(x, y)` or `(x, y, sample_weight)`)."
                    )
        if py_dataset:
            self._adapter = PyDatasetAdapter(x, shuffle, class_weight)
        elif is_iterable_of_batches(x):
            if class_weight is not None:
                raise ValueError(
                    "Argument `class_weight` is not supported for Python "
                    f"generator inputs. Received: class_weight={class_weight}"
                )
            self._adapter = GeneratorDataAdapter(x)
        else:
            self._adapter = ArrayDataAdapter(
                x, y, sample_weight, batch_size, shuffle, class_weight
            )
        self._model = model
        self._initial_epoch = initial_epoch
        self._epochs = epochs
        self._steps_per_epoch = steps_per_epoch
        self._inferred_steps = steps_per_epoch or self._adapter.num_batches
        # A shorter epoch than the data keeps one iterator running across
        # epochs, so no batch is skipped; a full pass restarts every epoch.
        adapter = self._adapter
        if isinstance(adapter, GeneratorDataAdapter):
            self._continue_iterator = adapter._is_iterator  # cannot restart
        elif isinstance(adapter, PyDatasetAdapter):
            self._continue_iterator = False  # every epoch asks for every index
        else:
            self._continue_iterator = steps_per_epoch not in (None, adapter.num_batches)
        self._iterator = None
        self._current_step = 0
        self._insufficient_data = False

    @property
    def has_no_targets(self) -> bool:
        """Arrays were given without `y` (batches from a dataset may hold it)."""
        adapter = self._adapter
        return isinstance(adapter, ArrayDataAdapter) and adapter.targets is None

    @property
    def inferred_steps(self) -> int | None:
        """Steps per epoch, or `None` until a generator's first epoch ends."""
        return self._inferred_steps

    def _endless_batches(self) -> Iterator[tuple]:
        """Array batches epoch after epoch, for epochs shorter than the data."""
        while True:
            yield from self._adapter.get_numpy_iterator()

    def enumerate_epochs(self) -> Iterator[tuple[int, Iterator]]:
        """Yield `(epoch, iterator)` for each epoch, until data runs out."""
        for epoch in range(self._initial_epoch, self._epochs):
            if self._insufficient_data:
                break
            if self._iterator is None or not self._continue_iterator:
                if isinstance(self._adapter, ArrayDataAdapter) and (
                    self._continue_iterator
                ):
                    self._iterator = self._endless_batches()
                else:
                    self._iterator = self._adapter.get_numpy_iterator()
            yield epoch, self._iterator
            if isinstance(self._adapter, PyDatasetAdapter):
                self._adapter.on_epoch_end()

    def steps(self) -> Iterator[int]:
        """Yield the step indices of one epoch."""
        self._current_step = 0
        while self._inferred_steps is None or self._current_step < self._inferred_steps:
            if self._insufficient_data:
                break
            yield self._current_step
            self._current_step += 1

    @contextlib.contextmanager
    def catch_stop_iteration(self) -> Iterator[None]:
        """End the epoch when the data ends, as Keras catches `OutOfRangeError`.

        The first time a generator of unknown length runs out, the number of
        steps it gave becomes the epoch length. Running out before that length
        means the data cannot feed the remaining epochs: training stops with a
        warning instead of an error.
        """
        try:
            yield
        except StopIteration:
            if self._inferred_steps is None and self._current_step > 0:
                self._inferred_steps = self._current_step
            else:
                self._insufficient_data = True
                total = self._inferred_steps or 0
                warnings.warn(
                    "Your input ran out of data; interrupting training. Make "
                    "sure that your dataset or generator can generate at least "
                    f"`steps_per_epoch * epochs` batches (in this case, "
                    f"{total * (self._epochs - self._initial_epoch)} batches).",
                    stacklevel=3,
                )
