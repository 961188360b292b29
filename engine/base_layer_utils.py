"""Helpers of `Layer.__call__`: the call context, input conversion, shape tracing.

Mirrors: keras/engine/base_layer_utils.py (tf.keras 2.x),
keras/src/backend/common/keras_tensor.py + keras/src/layers/layer.py CallContext
(Keras 3)

Kept apart from `base_layer.py` so that file reads as the layer's lifecycle;
these are the mechanics underneath.
"""

import threading
from typing import Any

import numpy as np

from backend import nest
from backend.ops import math as math_ops
from backend.tensor import Tensor, TensorLike
from engine.keras_tensor import KerasTensor


class CallContext(threading.local):
    """What an outer `Layer.__call__` tells the layers it calls.

    `training` flows down: a model called with `training=True` passes it to
    every nested layer whose `call` takes a `training` argument, unless that
    layer is called with an explicit value of its own. `depth` is how many
    `__call__`s are running, so the outermost one can tell it is outermost.
    """

    def __init__(self):
        self.training = None
        self.depth = 0


call_context = CallContext()


def _is_number_nest(value: Any) -> bool:
    """True for nested lists of plain numbers (data), False for lists of tensors."""
    if isinstance(value, (list, tuple)):
        return bool(value) and all(_is_number_nest(item) for item in value)
    return isinstance(value, (int, float, bool, np.number, np.bool_))


def convert_input(x: Any, dtype: str) -> Any:
    """Turn one input leaf into a `Tensor`; floating data gets the layer's dtype.

    Integer and boolean data keep their dtype (an `Embedding` needs integer
    ids). `KerasTensor`s, `Variable`s and None pass through unchanged.
    """
    if isinstance(x, Tensor):
        if x.dtype != dtype and x._value.dtype.kind == "f":
            return math_ops.cast(x, dtype)  # differentiable, like Keras's autocast
        return x
    if x is None or isinstance(x, (KerasTensor, TensorLike)):
        return x
    if isinstance(x, (np.ndarray, np.generic, int, float, bool)) or _is_number_nest(x):
        array = np.asarray(x)
        if array.dtype.kind == "f" and array.dtype != dtype:
            return Tensor(array, dtype=dtype)
        if array.dtype == np.int64 and not isinstance(x, np.ndarray):
            return Tensor(array, dtype="int32")  # Python ints: TensorFlow's int32
        return Tensor(array)
    return x


def convert_inputs(inputs: Any, dtype: str) -> Any:
    """`convert_input` on every leaf of a (possibly nested) first argument."""
    if _is_number_nest(inputs) or not nest.is_nested(inputs):
        return convert_input(inputs, dtype)
    return nest.map_structure(lambda x: convert_input(x, dtype), inputs)


def shape_structure(inputs: Any) -> Any:
    """The shapes of `inputs`, in the same structure (a tuple for one tensor)."""
    if not nest.is_nested(inputs):
        return tuple(inputs.shape)
    return nest.map_structure(lambda x: tuple(x.shape), inputs)


def has_keras_tensor(args: tuple, kwargs: dict) -> bool:
    if len(args) == 1 and not kwargs and not nest.is_nested(args[0]):
        return isinstance(args[0], KerasTensor)  # the common case, no flattening
    return any(isinstance(x, KerasTensor) for x in nest.flatten([list(args), kwargs]))


def is_shape(value: Any) -> bool:
    """True for one shape `(None, 3)`, False for a list/dict of shapes."""
    return isinstance(value, (tuple, list)) and all(
        size is None or isinstance(size, (int, np.integer)) for size in value
    )


def trace_output_spec(layer: Any, args: tuple, kwargs: dict) -> Any:
    """Work out the outputs' shapes and dtypes by running `call` on placeholders.

    The fallback when a layer does not implement `compute_output_shape`. Each
    `KerasTensor` is replaced by zeros, once with unknown (`None`) sizes set to
    2 and once set to 3; an output size that differs between the two runs
    depends on an unknown input size, so it is unknown (`None`) too. Run in
    inference mode (`training=False`), which cannot change a layer's state.
    """

    def run(unknown_size: int) -> list:
        def concrete(x):
            if not isinstance(x, KerasTensor):
                return x
            shape = tuple(unknown_size if s is None else s for s in x.shape)
            return Tensor._from_array(np.zeros(shape, dtype=x.dtype))

        call_args = nest.map_structure(concrete, list(args))
        call_kwargs = nest.map_structure(concrete, dict(kwargs))
        if layer._call_has_training_arg:
            call_kwargs["training"] = False
        previous, call_context.training = call_context.training, False
        try:
            with np.errstate(all="ignore"):
                return layer.call(*call_args, **call_kwargs)
        finally:
            call_context.training = previous

    small, large = run(2), run(3)

    def spec(a, b):
        if not hasattr(a, "shape"):
            return a
        shape = tuple(x if x == y else None for x, y in zip(a.shape, b.shape))
        return KerasTensor(shape, dtype=a.dtype)

    return nest.map_structure(spec, small, large)


def specs_from_shapes(shapes: Any, dtype: str) -> Any:
    """`KerasTensor`s for the output shape(s) `compute_output_shape` returned."""
    if is_shape(shapes):
        return KerasTensor(shapes, dtype=dtype)
    if isinstance(shapes, dict):
        return {key: specs_from_shapes(value, dtype) for key, value in shapes.items()}
    return type(shapes)(specs_from_shapes(shape, dtype) for shape in shapes)
