"""`Variable`: mutable state that ops can read and a tape can differentiate.

Mirrors: tensorflow/python/ops/resource_variable_ops.py (tf.Variable; stand-in,
not Keras code)

A variable owns a numpy array and changes it in place (`assign`, `assign_add`,
`assign_sub`), which is how optimizers update weights without allocating new
arrays every step. Each change bumps `_version`, so a `GradientTape` can refuse
to differentiate through a value that has been overwritten since it was read.
Code outside the backend writes in place through `array_for_update()`, the one
public way to the array itself; `assign*` cover every other write.
"""

from typing import Any, Callable

import numpy as np

from api_export import export
from backend.name_scope import current_scope
from backend.tensor import Tensor, TensorLike, _check_numeric, _infer_dtype


@export("nanokeras.Variable")
class Variable(TensorLike):
    """A named, mutable array: the state of a model.

    Stand-in for `tf.Variable`. It can be used wherever a `Tensor` can (in ops
    and operators); a `GradientTape` watches it automatically when `trainable`.

    Args:
        initial_value: A value convertible to an array, or a callable returning
            one (initializers are often passed this way).
        trainable: Whether a `GradientTape` watches the variable automatically
            and optimizers update it.
        name: The variable's name; the current `name_scope` is prepended and
            `:0` appended, as TensorFlow names it (`"my_module/my_variable:0"`).
        dtype: Optional dtype. Python floats default to `floatx()`, Python
            ints to int32.
        constraint: Optional function applied to the value after each
            optimizer update (a projection such as `NonNeg`).
    """

    __slots__ = (
        "_value",
        "_name",
        "_trainable",
        "_version",
        "constraint",
        "__weakref__",
    )

    def __init__(
        self,
        initial_value: Any,
        trainable: bool = True,
        name: str | None = None,
        dtype: Any = None,
        constraint: Callable | None = None,
    ):
        if callable(initial_value):
            initial_value = initial_value()
        if isinstance(initial_value, TensorLike):
            initial_value = initial_value._value
        if dtype is None:
            dtype = _infer_dtype(initial_value)
        value = np.array(initial_value, copy=True)
        _check_numeric(value, "Variable")  # before a cast turns None into NaN
        self._value = value if dtype is None else value.astype(dtype, copy=False)
        self._name = current_scope() + (name or "Variable") + ":0"
        self._trainable = bool(trainable)
        self._version = 0
        self.constraint = constraint

    @property
    def name(self) -> str:
        return self._name

    @property
    def path(self) -> str:
        """Keras 3's spelling of the name: `"dense/kernel"` for `"dense/kernel:0"`."""
        return self._name.rpartition(":")[0] or self._name

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)

    @property
    def value(self) -> Tensor:
        """The current value as a `Tensor` snapshot (later assigns don't change it).

        A property, as Keras 3's `Variable.value` (what custom metrics return
        from `result()`); `tf.Variable` spells it as the method `read_value()`.
        """
        return Tensor(self._value)

    def read_value(self) -> Tensor:
        """`tf.Variable`'s method for the same snapshot as `value`."""
        return Tensor(self._value)

    def assign(self, value: Any) -> "Variable":
        """Replace the value in place; the shape must stay the same."""
        np.copyto(self._value, self._checked(value, "assign"), casting="unsafe")
        self._version += 1
        return self

    def assign_add(self, delta: Any) -> "Variable":
        """Add `delta` in place."""
        np.add(self._value, self._checked(delta, "assign_add"), out=self._value)
        self._version += 1
        return self

    def assign_sub(self, delta: Any) -> "Variable":
        """Subtract `delta` in place."""
        np.subtract(self._value, self._checked(delta, "assign_sub"), out=self._value)
        self._version += 1
        return self

    def array_for_update(self) -> np.ndarray:
        """The variable's own array, to change in place with numpy's `out=` ops.

        Optimizers write each step straight into this array so that a step
        allocates nothing. Asking for it counts as a change, as `assign` does:
        a tape that read the old value refuses to differentiate through the
        new one. (TensorFlow runs fused kernels on the variable's buffer
        instead; this is nanokeras's stand-in for them.)
        """
        self._version += 1
        return self._value

    def _checked(self, value: Any, method: str) -> Any:
        """Return `value` as an array or scalar fit for this variable, or raise."""
        if isinstance(value, TensorLike):
            value = value._value
        array = np.asarray(value)
        if array.shape != self._value.shape:
            raise ValueError(
                f"Cannot {method} a value of shape {array.shape} to variable "
                f"'{self._name}' of shape {self._value.shape}. Variables keep "
                "their shape: pass a value of the same shape."
            )
        if not np.can_cast(array.dtype, self._value.dtype, casting="same_kind"):
            raise TypeError(
                f"Cannot {method} a value of dtype {array.dtype} to variable "
                f"'{self._name}' of dtype {self.dtype}. Cast the value first "
                f"(for example with `nanokeras.ops.cast(value, {self.dtype!r})`)."
            )
        return array

    def __setitem__(self, key, value):
        raise TypeError(
            f"'Variable' object does not support item assignment. Use "
            f"`assign()` with a full new value for variable '{self._name}'."
        )

    def __repr__(self) -> str:
        return (
            f"<Variable '{self._name}' shape={self.shape} dtype={self.dtype}, "
            f"numpy={self._value!r}>"
        )
