"""`KerasTensor`: a symbolic tensor, a shape and a dtype without values.

Mirrors: keras/engine/keras_tensor.py (tf.keras 2.6),
keras/src/backend/common/keras_tensor.py (Keras 3)

`keras.Input(shape=(3,))` returns one. Calling a layer on it runs no maths:
the layer only works out the output's shape and dtype, records a `Node`, and
returns new `KerasTensor`s whose `_keras_history` points back at that node.
Following those histories from a model's outputs back to its inputs is how
`Functional` recovers the graph.
"""

from typing import Any

import numpy as np

from backend import config
from engine.api_export import export
from engine.naming import unique_name


@export("nanokeras.KerasTensor")
class KerasTensor:
    """A placeholder for a tensor during model construction: shape and dtype only.

    Args:
        shape: A tuple of sizes, `None` for a size not known yet (usually the
            batch size).
        dtype: The dtype of the values the tensor will hold.
        sparse: Accepted for Keras compatibility; nanokeras tensors are dense.
        ragged: Accepted for Keras compatibility; only False.
        record_history: Whether layers called on it record `Node`s (Keras 3's
            flag, stored as given).
        name: A name; defaults to a unique `keras_tensor_N`.
        **kwargs: Keras 3's ragged-tensor details (`ragged_rank`,
            `row_splits_dtype`); only None.

    Attributes:
        _keras_history: `(layer, node_index, tensor_index)`: the layer whose
            call produced this tensor, which of its calls, which of its outputs.
        _keras_mask: A boolean `KerasTensor` (which steps are padding), or
            None.
    """

    def __init__(
        self,
        shape: Any,
        dtype: Any = "float32",
        sparse: bool = False,
        ragged: bool = False,
        record_history: bool = True,
        name: str | None = None,
        **kwargs: Any,
    ):
        unexpected = {key: value for key, value in kwargs.items() if value is not None}
        if ragged or unexpected:
            raise TypeError(
                "KerasTensor: ragged tensors are not supported by nanokeras. "
                f"Received: ragged={ragged!r}, {unexpected}"
            )
        self.ragged = False
        self.record_history = record_history
        self.shape = tuple(None if size is None else int(size) for size in shape)
        self.dtype = np.dtype(dtype or config.floatx()).name
        self.sparse = bool(sparse)
        self.name = name or unique_name("keras_tensor")
        self._keras_history = None
        # The mask of the tensor this one stands for (a boolean `KerasTensor`
        # such as `(batch, timesteps)`), set by the layer that made it.
        self._keras_mask = None

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def __repr__(self) -> str:
        return (
            f"<KerasTensor shape={self.shape}, dtype={self.dtype}, "
            f"sparse={self.sparse}, name={self.name}>"
        )

    def __array__(self, *args, **kwargs):
        raise TypeError(
            f"KerasTensor {self.name!r} is symbolic: it has a shape {self.shape} "
            "but no values. Use it only as an input or output of layers to "
            "build a model, then call the model on real data."
        )

    numpy = __array__

    def __bool__(self) -> bool:
        raise TypeError(
            f"KerasTensor {self.name!r} is symbolic and cannot be used as a "
            "Python bool (in `if` or `while`). Build the model with layers, "
            "or write a subclassed model whose `call` runs on real tensors."
        )

    __hash__ = object.__hash__


def is_keras_tensor(x: Any) -> bool:
    return isinstance(x, KerasTensor)
