"""Masks: which timesteps of a tensor are padding, carried by the tensor itself.

Mirrors: keras/engine/base_layer_utils.py `collect_previous_mask` (tf.keras 2.6),
keras/src/backend/common/masking.py (Keras 3)

A mask travels with a tensor from the layer that makes it (`Embedding` with
`mask_zero=True`, `Masking`) to the layers whose `call` takes `mask` (RNNs),
as the tensor's `_keras_mask` attribute, which Keras sets on eager tensors and
on `KerasTensor`s alike. `Layer.__call__` reads the masks of its inputs here
and attaches the masks `compute_mask` returns to its outputs.

Most models have no masks, and reading an attribute a tensor never had is
slow (Python raises and catches an `AttributeError`). So each thread keeps a
note of whether it has attached a mask yet, and until it has, no call looks.
A mask attached in one thread is seen by the calls of that thread, where the
tensors that carry it are made and used.
"""

import threading
from typing import Any

from backend import nest


class MaskUse(threading.local):
    """Whether this thread has attached a mask to any tensor yet (`attached`)."""

    def __init__(self):
        self.attached = False


mask_use = MaskUse()


def get_keras_mask(x: Any) -> Any:
    """The mask attached to `x`, or None."""
    return getattr(x, "_keras_mask", None)


def set_keras_mask(x: Any, mask: Any) -> None:
    """Attach `mask` to `x` (None removes it); silently skips plain numbers."""
    if mask is None and getattr(x, "_keras_mask", None) is None:
        return
    try:
        x._keras_mask = mask
    except AttributeError:  # numpy arrays and Python numbers hold no mask
        return
    mask_use.attached = True


def masks_of(inputs: Any) -> Any:
    """The masks of `inputs`, in the same structure; None when there are none."""
    if not mask_use.attached:
        return None
    if not nest.is_nested(inputs):
        return get_keras_mask(inputs)
    masks = [get_keras_mask(x) for x in nest.flatten(inputs)]
    if all(mask is None for mask in masks):
        return None
    return nest.pack_sequence_as(inputs, masks)


def attach_output_masks(outputs: Any, masks: Any) -> None:
    """Attach `masks` to `outputs`, paired in order once both are flattened.

    As in Keras, one mask for several outputs goes to the first output only.
    Also as in Keras (tf.keras 2.6 and Keras 3 alike), no mask (None) leaves
    the outputs as they are, and so do outputs that all carry a mask already:
    a layer that returns its input unchanged keeps the input's mask on it.
    """
    if masks is None:
        return
    flat = nest.flatten(outputs)
    if all(get_keras_mask(output) is not None for output in flat):
        return
    for output, mask in zip(flat, nest.flatten(masks)):
        set_keras_mask(output, mask)
