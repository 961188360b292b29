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

from api_export import export
from backend import config
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

    # Higher than an ndarray's, so that `array + x` makes numpy defer to
    # `x.__radd__` (an op in the graph) instead of asking `x` for values.
    __array_priority__ = 100

    # Operators are ops: on a KerasTensor each one becomes a `TFOpLambda`
    # layer of the graph being defined (through the op dispatcher that
    # layers/core/tf_op_layer.py registers), so
    # `y = x * 2 + 1` works while building a functional model. `==` and `!=`
    # stay identity comparisons (as in tf.keras), so KerasTensors can be
    # looked up in lists; use `keras.ops.equal` for the elementwise test.
    def __add__(self, other):
        return _math().add(self, other)

    def __radd__(self, other):
        return _math().add(other, self)

    def __sub__(self, other):
        return _math().subtract(self, other)

    def __rsub__(self, other):
        return _math().subtract(other, self)

    def __mul__(self, other):
        return _math().multiply(self, other)

    def __rmul__(self, other):
        return _math().multiply(other, self)

    def __truediv__(self, other):
        return _math().divide(self, other)

    def __rtruediv__(self, other):
        return _math().divide(other, self)

    def __floordiv__(self, other):
        return _math().floor_divide(self, other)

    def __rfloordiv__(self, other):
        return _math().floor_divide(other, self)

    def __mod__(self, other):
        return _math().mod(self, other)

    def __rmod__(self, other):
        return _math().mod(other, self)

    def __pow__(self, other):
        return _math().power(self, other)

    def __rpow__(self, other):
        return _math().power(other, self)

    def __matmul__(self, other):
        return _math().matmul(self, other)

    def __rmatmul__(self, other):
        return _math().matmul(other, self)

    def __neg__(self):
        return _math().negative(self)

    def __abs__(self):
        return _math().abs(self)

    def __lt__(self, other):
        return _math().less(self, other)

    def __le__(self, other):
        return _math().less_equal(self, other)

    def __gt__(self, other):
        return _math().greater(self, other)

    def __ge__(self, other):
        return _math().greater_equal(self, other)

    def __getitem__(self, key):
        from backend.ops import array

        return array.getitem(self, key)


def _math():
    from backend.ops import math  # the ops import the backend, not engine

    return math


def is_keras_tensor(x: Any) -> bool:
    return isinstance(x, KerasTensor)
