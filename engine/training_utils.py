"""Small helpers of the training loops in `engine/training.py`.

Mirrors: keras/engine/training_utils.py + training.py module helpers
(tf.keras 2.6), keras/src/trainers/trainer.py helpers (Keras 3)

They keep `fit`, `evaluate` and `predict` readable: turning metric results
into plain Python numbers for the logs, ordering them as `metrics_names`,
stitching `predict`'s batches together, and finding the model's output names.
"""

from typing import Any

import numpy as np

from backend import nest
from backend.ops.core import value_of
from backend.tensor import TensorLike
from callbacks.callback_list import CallbackList


def to_python_logs(logs: dict) -> dict:
    """Metric results as Python floats (or numpy arrays for vector results).

    Callbacks and `History` keep these, so they must not be tensors that a
    later step could be confused with.
    """
    converted = {}
    for name, value in logs.items():
        if isinstance(value, TensorLike):
            value = value_of(value)
        if isinstance(value, (np.ndarray, np.generic)):
            value = float(value) if value.ndim == 0 else np.array(value)
        converted[name] = value
    return converted


def format_results(logs: dict, metrics_names: list, return_dict: bool) -> Any:
    """`evaluate`'s result: the logs as a dict, or as `flatten_metrics_in_order`."""
    logs = to_python_logs(logs)
    return logs if return_dict else flatten_metrics_in_order(logs, metrics_names)


def flatten_metrics_in_order(logs: dict, metrics_names: list) -> Any:
    """`evaluate`'s list: values in `metrics_names` order (a scalar if only one)."""
    results = [logs[name] for name in metrics_names if name in logs]
    results += [value for name, value in logs.items() if name not in metrics_names]
    return results[0] if len(results) == 1 else results


def concat_batches(batch_outputs: list) -> Any:
    """Join `predict`'s per-batch outputs along the batch axis, per output."""
    first = batch_outputs[0]
    flat = [nest.flatten(outputs) for outputs in batch_outputs]
    joined = [
        np.concatenate([np.asarray(batch[i]) for batch in flat], axis=0)
        for i in range(len(flat[0]))
    ]
    return nest.pack_sequence_as(first, joined)


def output_names(model: Any) -> list | None:
    """The names of a functional model's output layers, else `None`."""
    names = getattr(model, "output_names", None)
    if names:
        return list(names)
    structure = getattr(model, "_outputs_struct", None)
    if isinstance(structure, dict):
        return list(structure)  # dict outputs are named by their keys
    outputs = getattr(model, "outputs", None) or getattr(model, "_outputs", None)
    if not outputs:
        return None
    names = []
    for tensor in nest.flatten(outputs):
        history = getattr(tensor, "_keras_history", None)
        layer = getattr(history, "layer", None) or (history[0] if history else None)
        names.append(getattr(layer, "name", None))
    return names if all(names) else None


def make_callback_list(
    callbacks: Any, model: Any, verbose: Any, epochs: int, steps: int | None, **kw
) -> CallbackList:
    """A `CallbackList` with a progress bar unless `verbose=0` (reused if given)."""
    if isinstance(callbacks, CallbackList):
        return callbacks
    return CallbackList(
        callbacks,
        add_progbar=verbose != 0,
        model=model,
        verbose=verbose,
        epochs=epochs,
        steps=steps,
        **kw,
    )


def should_validate(epoch: int, validation_freq: Any) -> bool:
    """`validation_freq` is an interval (every n epochs) or a list of epochs."""
    if isinstance(validation_freq, int):
        if validation_freq < 1:
            raise ValueError(
                f"`validation_freq` must be a positive integer or a list of "
                f"epochs. Received: validation_freq={validation_freq}"
            )
        return (epoch + 1) % validation_freq == 0
    return epoch + 1 in validation_freq
