"""Symbolic calls: output shapes and dtypes worked out without real values.

Mirrors: keras/engine/base_layer.py `_infer_output_signature` + keras_tensor.py
(tf.keras 2.6), keras/src/backend/numpy/core.py `compute_output_spec` +
keras/src/backend/common/keras_tensor.py (Keras 3)

A layer called on `KerasTensor`s (while a functional model is being defined)
returns `KerasTensor`s: shapes and dtypes, no values. When the layer has a
formula (`compute_output_shape`) the specs come from it; otherwise `call`
itself is run on placeholder values, twice, to see what comes out. tf.keras
2.6 traces `call` in a scratch graph; Keras 3's numpy backend runs it on
arrays, as here.
"""

import functools
from typing import Any, Callable

import numpy as np

from backend import nest
from backend.ops.core import from_owned_array
from engine.base_layer_utils import call_context
from engine.keras_tensor import KerasTensor

# --- Is this call symbolic? Shapes in, specs out ---


def has_keras_tensor(args: tuple, kwargs: dict) -> bool:
    """True when any argument of a call is a `KerasTensor` (a symbolic call)."""
    if len(args) == 1 and not kwargs and not nest.is_nested(args[0]):
        return isinstance(args[0], KerasTensor)  # the common case, no flattening
    return any(isinstance(x, KerasTensor) for x in nest.flatten([list(args), kwargs]))


def shape_structure(inputs: Any) -> Any:
    """The shapes of `inputs`, in the same structure (a tuple for one tensor)."""
    if not nest.is_nested(inputs):
        return tuple(inputs.shape)
    return nest.map_structure(lambda x: tuple(x.shape), inputs)


def is_shape(value: Any) -> bool:
    """True for one shape `(None, 3)`, False for a list/dict of shapes."""
    return isinstance(value, (tuple, list)) and all(
        size is None or isinstance(size, (int, np.integer)) for size in value
    )


def specs_from_shapes(shapes: Any, dtype: str) -> Any:
    """`KerasTensor`s for the output shape(s) `compute_output_shape` returned."""
    if is_shape(shapes):
        return KerasTensor(shapes, dtype=dtype)
    if isinstance(shapes, dict):
        return {key: specs_from_shapes(value, dtype) for key, value in shapes.items()}
    return type(shapes)(specs_from_shapes(shape, dtype) for shape in shapes)


# --- Tracing: run on placeholders, read the shapes off the results ---


def _placeholder(x: Any, unknown_size: int) -> Any:
    """Values standing in for a `KerasTensor`: zeros (True for a boolean mask)."""
    if not isinstance(x, KerasTensor):
        return x
    shape = tuple(unknown_size if s is None else s for s in x.shape)
    fill = np.ones if x.dtype == "bool" else np.zeros
    return from_owned_array(fill(shape, dtype=x.dtype))


def _run_on_placeholders(function: Callable, *structures: Any) -> list:
    """`function`'s results on placeholders, unknown sizes set to 2 then to 3.

    An output size that differs between the two runs depends on an unknown
    input size, so the caller marks it unknown (`None`) too. Numpy's warnings
    are silenced: zeros may divide by zero where real data would not.
    """
    results = []
    for unknown_size in (2, 3):
        concrete = functools.partial(_placeholder, unknown_size=unknown_size)
        with np.errstate(all="ignore"):
            values = [nest.map_structure(concrete, s) for s in structures]
            results.append(function(*values))
    return results


def trace_output_spec(layer: Any, args: tuple, kwargs: dict) -> Any:
    """Work out the outputs' shapes and dtypes by running `call` on placeholders.

    The fallback when a layer does not implement `compute_output_shape`. Run
    in inference mode (`training=False`), which cannot change a layer's state.
    """

    def call(call_args: list, call_kwargs: dict) -> Any:
        if layer._call_has_training_arg:
            call_kwargs["training"] = False
        context = call_context()
        previous, context.training = context.training, False
        try:
            return layer.call(*call_args, **call_kwargs)
        finally:
            context.training = previous

    small, large = _run_on_placeholders(call, list(args), dict(kwargs))

    def spec(a, b):
        if not hasattr(a, "shape"):
            return a
        shape = tuple(x if x == y else None for x, y in zip(a.shape, b.shape))
        return KerasTensor(shape, dtype=a.dtype)

    return nest.map_structure(spec, small, large)


def output_shape_by_tracing(layer: Any, input_shape: Any) -> Any:
    """`compute_output_shape` for layers without a formula: trace `call`."""
    inputs = specs_from_shapes(input_shape, layer.compute_dtype)
    if not layer.built:
        layer._maybe_build(inputs)
    outputs = trace_output_spec(layer, (inputs,), {})
    return nest.map_structure(lambda x: x.shape, outputs)


def symbolic_output_mask(layer: Any, inputs: Any, mask: Any) -> Any:
    """The `KerasTensor` mask(s) of a symbolic call's outputs, or None.

    As tf.keras computes masks on placeholders in a scratch graph, the layer's
    `compute_mask` runs on placeholder values (twice, as `trace_output_spec`);
    the mask's sizes that differ are unknown. Nothing is recorded in the
    model's graph.
    """
    small, large = _run_on_placeholders(layer.compute_mask, inputs, mask)
    if small is None or (
        nest.is_nested(small) and not any(m is not None for m in nest.flatten(small))
    ):
        return None

    def spec(a, b):
        if a is None:
            return None
        a_shape, b_shape = np.shape(a), np.shape(b)
        shape = tuple(x if x == y else None for x, y in zip(a_shape, b_shape))
        return KerasTensor(shape, dtype=np.asarray(getattr(a, "_value", a)).dtype)

    return nest.map_structure(spec, small, large)
