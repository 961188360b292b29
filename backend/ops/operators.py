"""Python's operators on tensors: `a + b` is `ops.add(a, b)`, `a[1:]` is a slice op.

Mirrors: tensorflow/python/ops/math_ops.py (`_OverrideBinaryOperatorHelper`,
`Tensor._override_operator`; stand-in, not Keras code)

`backend/tensor.py` defines `TensorLike` without importing a single op, since
every op takes and returns tensors. TensorFlow solves the same circle the
same way: the op library, once loaded, installs the operators on the tensor
class. Here that is this module, which `backend/__init__.py` imports, so any
`Tensor` or `Variable` a user can reach already has them.

`==` and `!=` are elementwise, as on `tf.Tensor`; tensors hash by identity.
"""

from backend.ops import array, math
from backend.tensor import TensorLike

# Operator name -> the op it calls with `(self, other)`; the reflected forms
# (`__radd__` for `2 + x`) call the same op with the arguments swapped.
_BINARY = {
    "add": math.add,
    "sub": math.subtract,
    "mul": math.multiply,
    "truediv": math.divide,
    "floordiv": math.floor_divide,
    "mod": math.mod,
    "pow": math.power,
    "matmul": math.matmul,
}
_REFLECTED = ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul")
_COMPARISONS = {
    "eq": math.equal,
    "ne": math.not_equal,
    "lt": math.less,
    "le": math.less_equal,
    "gt": math.greater,
    "ge": math.greater_equal,
}


def _reflected(op):
    def operator(self, other):
        return op(other, self)

    return operator


def _positive(self):
    return self


def install_operators(cls: type) -> None:
    """Give `cls` the arithmetic, comparison and indexing operators.

    An op is a plain function of `(x1, x2)`, so set on the class it is the
    method itself: `a + b` calls `math.add(a, b)` with no frame between.
    """
    for name, op in {**_BINARY, **_COMPARISONS}.items():
        setattr(cls, f"__{name}__", op)
    for name in _REFLECTED:
        setattr(cls, f"__r{name}__", _reflected(_BINARY[name]))
    cls.__neg__ = math.negative
    cls.__abs__ = math.abs
    cls.__pos__ = _positive
    cls.__getitem__ = array.getitem
    cls.T = property(array.transpose)
    # Defining `__eq__` would drop the inherited hash: tensors stay usable
    # as dict keys and in sets, by identity, as in TensorFlow.
    cls.__hash__ = object.__hash__


install_operators(TensorLike)
