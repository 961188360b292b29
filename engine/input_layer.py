"""`Input` and `InputLayer`: where a functional model's graph starts.

Mirrors: keras/engine/input_layer.py (tf.keras 2.6),
keras/src/layers/core/input_layer.py (Keras 3)

`Input(shape=(3,))` creates an `InputLayer` and returns the `KerasTensor` it
owns. The layer computes nothing: it exists so that the first tensor of a
graph, like every other tensor, has a `_keras_history` pointing at a layer's
node, and so that a model can list its inputs among its layers.
"""

from typing import Any

import numpy as np

from api_export import export
from backend import config
from engine.base_layer import Layer
from engine.keras_tensor import KerasTensor
from engine.node import Node


def _standardize_shape(shape: Any, owner: str, argument: str) -> tuple:
    if isinstance(shape, (int, np.integer)) or not isinstance(shape, (tuple, list)):
        raise ValueError(
            f"The `{argument}` argument of {owner} must be a tuple of integers "
            f"(use None for an unknown size). Received: {argument}={shape!r}. "
            f"For one feature axis, write {argument}=({shape},)."
        )
    for size in shape:
        valid = size is None or (isinstance(size, (int, np.integer)) and size >= 0)
        if not valid:
            raise ValueError(
                f"The `{argument}` argument of {owner} must contain only "
                f"non-negative integers or None. Received: {argument}={shape!r}"
            )
    return tuple(None if size is None else int(size) for size in shape)


@export("nanokeras.layers.InputLayer")
class InputLayer(Layer):
    """Adds to `Layer` a graph entry point: it owns one input `KerasTensor`.

    Prefer `keras.Input(...)`, which creates this layer and returns its tensor.

    Args:
        shape: The shape of one sample, without the batch axis: `(3,)`.
        batch_size: Optional fixed batch size.
        dtype: The dtype of the input. Defaults to `floatx()`.
        sparse: Accepted for Keras compatibility; must be falsy.
        ragged: Accepted for Keras compatibility; must be falsy (no ragged
            tensors in nanokeras).
        batch_shape: The full shape including the batch axis, instead of
            `shape` and `batch_size`.
        input_tensor: An existing `KerasTensor` to use as the input.
        optional: Simplified: only False (an input cannot be None).
        name: The layer's name (and its tensor's), by default `input_layer`,
            `input_layer_1`, ...
        **kwargs: tf.keras 2.x's `input_shape` / `batch_input_shape` spellings.
    """

    def __init__(
        self,
        shape: tuple | None = None,
        batch_size: int | None = None,
        dtype: Any = None,
        sparse: bool | None = None,
        ragged: bool | None = None,
        batch_shape: tuple | None = None,
        input_tensor: KerasTensor | None = None,
        optional: bool = False,
        name: str | None = None,
        **kwargs,
    ):
        shape = kwargs.pop("input_shape", shape)
        batch_shape = kwargs.pop("batch_input_shape", batch_shape)
        super().__init__(name=name, dtype=dtype or config.floatx(), **kwargs)
        owner = f'InputLayer "{self.name}"'
        if shape is not None and batch_shape is not None:
            raise ValueError(
                f"You cannot pass both `shape` and `batch_shape` to {owner}. "
                f"Received: shape={shape}, batch_shape={batch_shape}"
            )
        for argument, value in (("sparse", sparse), ("ragged", ragged)):
            if value:
                raise ValueError(
                    f"{owner}: {argument} inputs are not supported by nanokeras "
                    f"(received {argument}={value}). Use dense arrays."
                )
        if optional:
            raise NotImplementedError(
                f"{owner}: optional inputs (which accept None) are not "
                "supported by nanokeras. Received: optional=True."
            )
        if input_tensor is not None:
            if not isinstance(input_tensor, KerasTensor):
                raise TypeError(
                    f"{owner} expects `input_tensor` to be a KerasTensor. "
                    f"Received: input_tensor={input_tensor!r}"
                )
            batch_shape = input_tensor.shape
        elif shape is not None:
            shape = _standardize_shape(shape, owner, "shape")
            batch_shape = (batch_size,) + shape
        elif batch_shape is None:
            raise ValueError(
                f"You must pass a `shape` argument to {owner}, for example "
                "`keras.Input(shape=(3,))`."
            )
        self.batch_shape = _standardize_shape(batch_shape, owner, "batch_shape")
        self.sparse = self.ragged = self.optional = False
        if input_tensor is None:
            input_tensor = KerasTensor(
                self.batch_shape, dtype=self.dtype, name=self.name
            )
        self.built = True
        # The node with no inputs: it marks the tensor as this layer's output.
        Node(self, call_args=(), call_kwargs={}, outputs=input_tensor)

    def call(self, *args, **kwargs):
        raise RuntimeError(
            f'InputLayer "{self.name}" is a graph input: it is not called on '
            "data. Call the model that uses it instead."
        )

    def get_config(self) -> dict:
        return {
            "batch_shape": self.batch_shape,
            "dtype": self.dtype,
            "sparse": self.sparse,
            "ragged": self.ragged,
            "name": self.name,
            "optional": self.optional,
        }


@export("nanokeras.Input", "nanokeras.layers.Input")
def Input(
    shape: tuple | None = None,
    batch_size: int | None = None,
    dtype: Any = None,
    sparse: bool | None = None,
    ragged: bool | None = None,
    batch_shape: tuple | None = None,
    name: str | None = None,
    tensor: KerasTensor | None = None,
    optional: bool = False,
) -> KerasTensor:
    """Create a symbolic input for a functional model: a `KerasTensor`.

    Args:
        shape: The shape of one sample, without the batch axis: `(3,)`.
        batch_size: Optional fixed batch size.
        dtype: The dtype the model expects for this input.
        sparse: Accepted for Keras compatibility; must be falsy.
        ragged: Accepted for Keras compatibility; must be falsy.
        batch_shape: The full shape including the batch axis.
        name: The input's name (unique within a model).
        tensor: An existing `KerasTensor` to wrap.
        optional: Simplified: only False (an input cannot be None).

    Returns:
        A `KerasTensor` whose `_keras_history` points at a new `InputLayer`.

    Example:

    >>> x = Input(shape=(3,))
    >>> x.shape
    (None, 3)
    """
    layer = InputLayer(
        shape=shape,
        batch_size=batch_size,
        dtype=dtype,
        sparse=sparse,
        ragged=ragged,
        batch_shape=batch_shape,
        input_tensor=tensor,
        optional=optional,
        name=name,
    )
    return layer.output
