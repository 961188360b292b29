"""Helpers of `Layer.__call__`: the call context, input conversion, shape tracing.

Mirrors: keras/engine/base_layer_utils.py (tf.keras 2.6),
keras/src/backend/common/keras_tensor.py + keras/src/layers/layer.py CallContext
(Keras 3)

Kept apart from `base_layer.py` so that file reads as the layer's lifecycle;
these are the mechanics underneath.
"""

import functools
import inspect
import threading
from typing import Any

import numpy as np

from backend import config, nest
from backend.module import Module
from backend.name_scope import current_scope, name_scope
from backend.ops import math as math_ops
from backend.ops.core import value_of
from backend.tensor import Tensor, TensorLike
from backend.variables import Variable
from engine.keras_tensor import KerasTensor
from utils.argument_validation import refuse_unsupported

# Keyword arguments every layer accepts besides its own (as in Keras).
LAYER_KWARGS = frozenset(
    ("input_shape", "batch_input_shape", "batch_size", "input_dim", "weights")
    + ("activity_regularizer", "autocast")
)


def check_layer_kwargs(class_name: str, kwargs: dict) -> None:
    unknown = set(kwargs) - LAYER_KWARGS
    if unknown:
        raise TypeError(
            f"Unrecognized keyword arguments passed to {class_name}: "
            f"{ {key: kwargs[key] for key in sorted(unknown)} }. Valid keyword "
            f"arguments are the layer's own and {sorted(LAYER_KWARGS)}."
        )


def batch_input_shape_from_kwargs(kwargs: dict) -> tuple | None:
    """`input_shape=(10,)` / `input_dim=10` / `batch_input_shape` -> `(None, 10)`."""
    if kwargs.get("batch_input_shape") is not None:
        return tuple(kwargs["batch_input_shape"])
    input_shape = kwargs.get("input_shape")
    if input_shape is None and kwargs.get("input_dim") is not None:
        input_shape = (kwargs["input_dim"],)
    if input_shape is None:
        return None
    return (kwargs.get("batch_size"),) + tuple(input_shape)


def standardize_dtype(dtype: Any, layer_name: str) -> np.dtype:
    """`None` -> `floatx()`; a dtype name -> `np.dtype`; otherwise a clear error.

    Keras 3's configs carry a serialized `DTypePolicy`
    (`{"class_name": "DTypePolicy", "config": {"name": "float32"}, ...}`);
    a policy naming a plain dtype is read as that dtype.
    """
    if isinstance(dtype, dict) and isinstance(dtype.get("config"), dict):
        dtype = dtype["config"].get("name")
    try:
        return np.dtype(dtype or config.floatx())
    except TypeError:
        raise ValueError(
            f'Invalid dtype {dtype!r} for layer "{layer_name}". Use a numpy dtype '
            "name such as 'float32' or 'float64' (nanokeras has no mixed-"
            "precision policies)."
        ) from None


@functools.cache
def call_signature(cls: type) -> tuple[bool, Any, bool]:
    """For `cls.call`: takes `training`?, its default, takes `mask`? (cached)."""
    parameters = inspect.signature(cls.call).parameters
    training = parameters.get("training")
    default = None if training is None else training.default
    if default is inspect.Parameter.empty:
        default = None
    return training is not None, default, "mask" in parameters


def wrap_build(build):
    """Make any `build` run in the layer's name scope and record that it ran.

    Inside the layer's own `__call__`, which opened its scope around build
    and call (as tf.keras 2.x does), the scope is already right and nothing
    is added: a subclass whose `build` calls `super().build()` gets
    `counting_dense/kernel:0`, never the scope twice. Layers also call `build`
    by hand (`layer.build((None, 5))`, an RNN building its cell): then the
    layer's scope opens here, under the current one, so a cell gets
    `lstm/lstm_cell/kernel:0`. Marking the layer built keeps the next
    `__call__` from building it again.
    """

    @functools.wraps(build)
    def wrapper(self, *args, **kwargs):
        state = self.__dict__
        if state.get("_scope_active") is not None and (
            state["_scope_active"] == current_scope()
        ):
            result = build(self, *args, **kwargs)
        else:
            # A model built by hand (`model.build(shape)`) builds its layers
            # at the root (`dense/kernel:0`), as tf.keras 2.x's Model.build.
            at_root = getattr(self, "_builds_layers_at_root", False)
            previous = state.get("_scope_active")
            with name_scope("" if at_root else self.name) as scope:
                state["_scope_active"] = scope
                try:
                    result = build(self, *args, **kwargs)
                finally:
                    state["_scope_active"] = previous
        if args:
            self._build_input_shape = args[0]
        self.built = True
        return result

    wrapper._wrapped_build = True
    return wrapper


def leaves(value: Any) -> list:
    """Leaves of lists, tuples and dicts (in insertion order), else `[value]`."""
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in leaves(item)]
    if isinstance(value, (list, tuple)):
        return [leaf for item in value for leaf in leaves(item)]
    return [value]


def holds_trackable(value: Any) -> bool:
    return any(isinstance(leaf, (Module, Variable)) for leaf in leaves(value))


def forgot_super_init_message(layer: Any, attribute: str) -> str:
    kind = (
        "Model" if any(c.__name__ == "Model" for c in type(layer).__mro__) else "Layer"
    )
    return (
        f"It looks like you are subclassing `{kind}` and you forgot to call "
        f"`super().__init__()`: {type(layer).__name__} set the attribute "
        f"{attribute!r} before it. Always start your `__init__` with "
        "`super().__init__()`."
    )


_KERAS3_ADD_WEIGHT = ("shape", "initializer", "dtype")
_TF2_ADD_WEIGHT = ("name", "shape", "dtype", "initializer", "regularizer")
_TF2_ADD_WEIGHT += ("trainable", "constraint")


def positional_add_weight_args(layer_name: str, args: tuple, given: dict) -> dict:
    """Fill `given` from `add_weight`'s positional arguments (either order).

    Keras 3 reads `(shape, initializer, dtype)`; tf.keras 2.x, which the book
    follows, reads `(name, shape, dtype, ...)`: a leading string tells them apart.
    """
    order = _TF2_ADD_WEIGHT if args and isinstance(args[0], str) else _KERAS3_ADD_WEIGHT
    if len(args) > len(order):
        raise TypeError(
            f'`add_weight` of layer "{layer_name}" takes at most {len(order)} '
            f"positional arguments {order}, but received {len(args)}: {args!r}."
        )
    for key, value in zip(order, args):
        if given[key] is not None and key != "trainable":
            raise TypeError(
                f'`add_weight` of layer "{layer_name}" received `{key}` both '
                f"positionally and as a keyword. Received: {key}={value!r} and "
                f"{key}={given[key]!r}."
            )
        given[key] = value
    return given


def check_add_weight_kwargs(layer_name: str, kwargs: dict) -> None:
    ignored = {"synchronization", "use_resource", "overwrite_with_gradient"}
    refuse_unsupported(  # Keras 3's float8 switch
        f'`add_weight` of layer "{layer_name}"',
        overwrite_with_gradient=kwargs.get("overwrite_with_gradient"),
    )
    if set(kwargs) - ignored:
        raise TypeError(
            f"Unknown keyword arguments passed to `add_weight` of layer "
            f'"{layer_name}": {sorted(set(kwargs) - ignored)}'
        )


def check_weights_match(layer_name: str, variables: list, values: list) -> None:
    """`set_weights` must get one array per weight, each of the weight's shape."""
    if len(values) != len(variables):
        shapes = (
            f" of shapes {[tuple(v.shape) for v in variables]}" if variables else ""
        )
        raise ValueError(
            f'You called `set_weights(weights)` on layer "{layer_name}" with a '
            f"weight list of length {len(values)}, but the layer was expecting "
            f"{len(variables)} weights{shapes}."
        )
    for variable, value in zip(variables, values):
        if tuple(variable.shape) != np.shape(value):
            raise ValueError(
                f'Layer "{layer_name}" weight shape {tuple(variable.shape)} of '
                f"{variable.name!r} is not compatible with the provided weight "
                f"shape {np.shape(value)}."
            )


def check_get_config_is_overridden(layer: Any, base: type) -> None:
    """A layer with its own constructor arguments must say how to rebuild it."""
    cls = type(layer)
    if cls.__init__ is base.__init__ or cls.get_config is not base.get_config:
        return
    own = set(inspect.signature(cls.__init__).parameters)
    extra = own - {"self", "trainable", "name", "dtype", "args", "kwargs"}
    if extra:
        raise NotImplementedError(
            f"Layer {cls.__name__} has arguments {sorted(extra)} in "
            "`__init__()` and therefore must override `get_config()`."
        )


# --- Masks: which timesteps of a tensor are padding ---
# A mask travels with a tensor from the layer that makes it (`Embedding` with
# `mask_zero=True`, `Masking`) to the layers whose `call` takes `mask` (RNNs),
# as the tensor's `_keras_mask` attribute, which Keras sets on eager tensors
# and on `KerasTensor`s alike. `MASKS_IN_USE` stays False until the first mask
# is attached, so models without masks never look for one.
MASKS_IN_USE = [False]


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
    MASKS_IN_USE[0] = True


def masks_of(inputs: Any) -> Any:
    """The masks of `inputs`, in the same structure; None when there are none."""
    if not MASKS_IN_USE[0]:
        return None
    if not nest.is_nested(inputs):
        return get_keras_mask(inputs)
    masks = [get_keras_mask(x) for x in nest.flatten(inputs)]
    if all(mask is None for mask in masks):
        return None
    return nest.pack_sequence_as(inputs, masks)


def attach_output_masks(outputs: Any, masks: Any) -> None:
    if not nest.is_nested(outputs):
        set_keras_mask(outputs, masks)
        return
    flat_masks = nest.flatten(masks) if nest.is_nested(masks) else None
    for index, output in enumerate(nest.flatten(outputs)):
        set_keras_mask(output, flat_masks[index] if flat_masks else masks)


def symbolic_output_mask(layer: Any, inputs: Any, mask: Any) -> Any:
    """The `KerasTensor` mask(s) of a symbolic call's outputs, or None.

    As tf.keras computes masks on placeholders in a scratch graph, the layer's
    `compute_mask` runs on placeholder values (twice, with unknown sizes set
    to 2 and to 3, as `trace_output_spec`); the mask's sizes that differ are
    unknown. Nothing is recorded in the model's graph.
    """

    def run(unknown_size: int) -> Any:
        concrete = functools.partial(_placeholder, unknown_size=unknown_size)
        placeholder_mask = (
            nest.map_structure(concrete, mask) if mask is not None else None
        )
        with np.errstate(all="ignore"):
            return layer.compute_mask(
                nest.map_structure(concrete, inputs), placeholder_mask
            )

    small, large = run(2), run(3)
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


def _placeholder(x: Any, unknown_size: int) -> Any:
    """Values standing in for a `KerasTensor`: zeros (True for a boolean mask)."""
    if not isinstance(x, KerasTensor):
        return x
    shape = tuple(unknown_size if s is None else s for s in x.shape)
    fill = np.ones if x.dtype == "bool" else np.zeros
    return Tensor._from_array(fill(shape, dtype=x.dtype))


class CallContext(threading.local):
    """What an outer `Layer.__call__` tells the layers it calls.

    `training` flows down: a model called with `training=True` passes it to
    every nested layer whose `call` takes a `training` argument, unless that
    layer is called with an explicit value of its own. `depth` is how many
    `__call__`s are running, so the outermost one can tell it is outermost.
    `losses_added` is set by `add_loss`, so the next outermost call knows it
    must clear the stale losses of the last one (and skips that walk when no
    layer added any).
    """

    def __init__(self):
        self.training = None
        self.depth = 0
        self.losses_added = False


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
        if x.dtype != dtype and value_of(x).dtype.kind == "f":
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
        concrete = functools.partial(_placeholder, unknown_size=unknown_size)
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


def output_shape_by_tracing(layer: Any, input_shape: Any) -> Any:
    """`compute_output_shape` for layers without a formula: trace `call`."""
    inputs = specs_from_shapes(input_shape, layer.compute_dtype)
    if not layer.built:
        layer._maybe_build(inputs)
    outputs = trace_output_spec(layer, (inputs,), {})
    return nest.map_structure(lambda x: x.shape, outputs)


def specs_from_shapes(shapes: Any, dtype: str) -> Any:
    """`KerasTensor`s for the output shape(s) `compute_output_shape` returned."""
    if is_shape(shapes):
        return KerasTensor(shapes, dtype=dtype)
    if isinstance(shapes, dict):
        return {key: specs_from_shapes(value, dtype) for key, value in shapes.items()}
    return type(shapes)(specs_from_shapes(shape, dtype) for shape in shapes)
