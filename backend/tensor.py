"""`Tensor`: an immutable n-dimensional value, the stand-in for `tf.Tensor`.

Mirrors: tensorflow/python/framework/ops.py (tf.Tensor / EagerTensor; stand-in,
not Keras code)

A `Tensor` wraps a numpy array whose `writeable` flag is off, so neither the
tensor nor anyone holding `np.asarray(tensor)` can change it. State that must
change lives in a `Variable` (`backend/variables.py`). Both are `TensorLike`,
whose operators `backend/ops/operators.py` sends to the differentiable ops
(`a + b` is `ops.add(a, b)`), so they are recorded by a `GradientTape`. This
file imports no op: it is the leaf the ops are built on.
"""

from typing import Any

import numpy as np

from api_export import export
from backend import config


def _infer_dtype(value: Any) -> Any:
    """TensorFlow's rule: Python floats become `floatx()`, Python ints int32."""
    if isinstance(value, (np.ndarray, np.generic)):
        return None  # numpy data keeps its own dtype
    array = np.asarray(value)
    if array.dtype == np.float64:
        return config.floatx()
    if array.dtype == np.int64:
        return "int32"
    return None


# numpy builds `dtype.name` anew on every read (microseconds); layers read
# `inputs.dtype` on every call, so the names are cached per dtype object.
_DTYPE_NAMES: dict = {}


def _dtype_name(dtype: np.dtype) -> str:
    name = _DTYPE_NAMES.get(dtype)
    if name is None:
        name = _DTYPE_NAMES[dtype] = dtype.name
    return name


class TensorLike:
    """The read-only accessors (and, once the ops are loaded, the operators)
    `Tensor` and `Variable` share.

    Subclasses keep their numpy array in `self._value`.
    """

    __slots__ = ()
    # Makes `ndarray + tensor` call our `__radd__` instead of numpy's loop.
    __array_priority__ = 100

    _value: np.ndarray

    @property
    def shape(self) -> tuple:
        return self._value.shape

    @property
    def dtype(self) -> str:
        return _dtype_name(self._value.dtype)

    @property
    def ndim(self) -> int:
        return self._value.ndim

    def numpy(self) -> np.ndarray:
        """Return the value as a new, writable numpy array."""
        return self._value.copy()

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        view = self._value.view()
        view.flags.writeable = False  # numpy callers must not write through us
        return view if dtype is None else view.astype(dtype)

    def __len__(self) -> int:
        if not self._value.ndim:
            raise TypeError(f"len() of a 0-d {type(self).__name__} is undefined.")
        return len(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __float__(self) -> float:
        return float(self._value)

    def __int__(self) -> int:
        return int(self._value)

    def __index__(self) -> int:
        return self._value.__index__()

    def __iter__(self):
        for index in range(len(self)):
            yield self[index]

    __hash__ = object.__hash__  # identity, as tf.Tensor: `==` is elementwise

    # The operators (`+`, `@`, `[]`, `==`, ...) are installed on this class by
    # backend/ops/operators.py, as TensorFlow's math_ops installs tf.Tensor's.


def _check_numeric(array: np.ndarray, where: str = "convert_to_tensor") -> None:
    """Refuse object and string arrays: no op can compute with them.

    Simplified: TensorFlow has string tensors; nanokeras has no op that reads
    them, and numpy would let an object array holding None become NaN later.
    """
    if array.dtype.kind in "OUSV":
        raise ValueError(
            f"{where}: expected numeric or bool values, but received "
            f"an array of dtype {array.dtype} ({array.reshape(-1)[:3].tolist()!r}"
            f"{'...' if array.size > 3 else ''}). Convert strings to numbers "
            "first, and replace None by a number."
        )


@export("nanokeras.Tensor")
class Tensor(TensorLike):
    """An immutable array of values with a shape and a dtype.

    Stand-in for `tf.Tensor`: every op returns one, and a `GradientTape` can
    differentiate through the op that made it. To hold state that changes
    (weights, counters), use `Variable`.

    Args:
        value: A number, nested list, numpy array, `Tensor` or `Variable`. The
            data is copied, so changing the source later does not change the
            tensor.
        dtype: Optional dtype. Python floats default to `floatx()` and Python
            ints to int32, as in TensorFlow.
    """

    # `_keras_mask`: Keras attaches a layer output's mask (which steps are
    # padding) to the tensor itself, as it does on TensorFlow's eager
    # tensors. Unset until a layer sets it.
    __slots__ = ("_value", "_keras_mask", "__weakref__")

    def __init__(self, value: Any, dtype: Any = None):
        if isinstance(value, TensorLike):
            value = value._value
        if dtype is None:
            dtype = _infer_dtype(value)
        # Checked before the cast: casting to float would turn None into NaN.
        array = np.array(value, copy=True)
        _check_numeric(array)
        if dtype is not None:
            array = array.astype(dtype, copy=False)
        array.flags.writeable = False
        self._value = array

    @classmethod
    def _from_array(cls, array: np.ndarray) -> "Tensor":
        """Wrap an array the caller owns and will never write again (no copy)."""
        tensor = cls.__new__(cls)
        if type(array) is not np.ndarray:
            array = np.asarray(array)  # numpy reductions may return scalars
        array.flags.writeable = False
        tensor._value = array
        return tensor

    def __setitem__(self, key, value):
        raise TypeError(
            "'Tensor' object does not support item assignment: tensors are "
            "immutable. Keep values that change in a `nanokeras.Variable` and "
            "update it with `assign()`, `assign_add()` or `assign_sub()`."
        )

    def __repr__(self) -> str:
        values = repr(self._value)
        if "\n" in values:
            values = (
                "\n" + values
            )  # TensorFlow starts a multi-line array on its own line
        return f"<Tensor: shape={self.shape}, dtype={self.dtype}, numpy={values}>"

    def __str__(self) -> str:
        return f"Tensor({self._value}, shape={self.shape}, dtype={self.dtype})"


@export("nanokeras.ops.convert_to_tensor")
def convert_to_tensor(
    x: Any, dtype: Any = None, sparse: Any = None, ragged: Any = None
) -> Tensor:
    """Return `x` as a `Tensor`, without a copy when it already is one.

    Unlike `Tensor(x)`, a `Tensor` of the right dtype is returned as is.
    A `Variable` gives a snapshot of its current value. Simplified: tensors
    are dense, so `sparse` and `ragged` may only be None or False.
    """
    if sparse or ragged:
        raise ValueError(
            "convert_to_tensor: nanokeras tensors are dense. Received: "
            f"sparse={sparse!r}, ragged={ragged!r}."
        )
    if isinstance(x, Tensor) and (dtype is None or x.dtype == np.dtype(dtype)):
        return x
    return Tensor(x, dtype=dtype)
