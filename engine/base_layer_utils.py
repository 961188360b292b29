"""What `Layer` leans on beside its lifecycle: argument checks, build, call context.

Mirrors: keras/engine/base_layer_utils.py (tf.keras 2.6),
keras/src/layers/layer.py `CallContext` (Keras 3)

Kept apart from `base_layer.py` so that file reads as the layer's lifecycle;
these are the mechanics underneath, in the order a layer meets them: the
arguments of its constructor, the tracking of what it is given, `add_weight`
and `set_weights`, `get_config`, `build`, and finally `__call__` (the
signature of `call`, the call context every nested call shares, and the
conversion of inputs to tensors). As in tf.keras 2.6, the call context lives
here. Masks (`masking.py`) and symbolic calls (`symbolic.py`), which other
engine files use as much as `Layer` does, have files of their own.
"""

import functools
import inspect
import threading
from typing import Any

import numpy as np

from backend import config, nest
from backend.module import Module
from backend.name_scope import is_innermost, name_scope, scope_stack
from backend.ops.core import value_of
from backend.ops.raw_ops import math as math_ops
from backend.tensor import Tensor, TensorLike
from backend.variables import Variable
from engine.keras_tensor import KerasTensor
from utils.argument_validation import refuse_unsupported

# --- Constructor arguments ---

# Keyword arguments every layer accepts besides its own (as in Keras).
LAYER_KWARGS = frozenset(
    ("input_shape", "batch_input_shape", "batch_size", "input_dim", "weights")
    + ("activity_regularizer", "autocast")
)


def check_layer_kwargs(class_name: str, kwargs: dict) -> None:
    """Refuse keyword arguments that are neither the layer's own nor Keras's."""
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


# --- Attribute tracking ---


def holds_trackable(value: Any) -> bool:
    """True when a (nested) attribute value holds a layer, module or variable."""
    return any(
        isinstance(leaf, (Module, Variable))
        for leaf in nest.leaves(value, sort_keys=False)
    )


def forgot_super_init_message(layer: Any, attribute: str) -> str:
    """The error for tracking an attribute before `super().__init__()` ran."""
    kind = (
        "Model" if any(c.__name__ == "Model" for c in type(layer).__mro__) else "Layer"
    )
    return (
        f"It looks like you are subclassing `{kind}` and you forgot to call "
        f"`super().__init__()`: {type(layer).__name__} set the attribute "
        f"{attribute!r} before it. Always start your `__init__` with "
        "`super().__init__()`."
    )


# --- Weights and config ---

# `add_weight`'s positional orders: Keras 3's, and tf.keras 2.x's.
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


# --- Build ---


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
        if is_innermost(self):
            result = build(self, *args, **kwargs)
        elif getattr(self, "_builds_layers_at_root", False):
            # A model built by hand (`model.build(shape)`) builds its layers
            # at the root (`dense/kernel:0`), as tf.keras 2.x's Model.build.
            with name_scope(""):
                result = build(self, *args, **kwargs)
        else:
            scopes = scope_stack()
            scopes.append(self)
            try:
                result = build(self, *args, **kwargs)
            finally:
                scopes.pop()
        if args:
            self._build_input_shape = args[0]
        self.built = True
        return result

    wrapper._wrapped_build = True
    return wrapper


# --- Call: the signature of `call`, the call context, the inputs ---


@functools.cache
def call_signature(cls: type) -> tuple[bool, Any, bool]:
    """For `cls.call`: takes `training`?, its default, takes `mask`? (cached)."""
    parameters = inspect.signature(cls.call).parameters
    training = parameters.get("training")
    default = None if training is None else training.default
    if default is inspect.Parameter.empty:
        default = None
    return training is not None, default, "mask" in parameters


class CallContext:
    """What an outer `Layer.__call__` tells the layers it calls, in one thread.

    `training` flows down: a model called with `training=True` passes it to
    every nested layer whose `call` takes a `training` argument, unless that
    layer is called with an explicit value of its own. `depth` is how many
    `__call__`s are running, so the outermost one can tell it is outermost.
    `losses_added` is set by the first `add_loss` of the thread: from then on
    each outermost call clears the stale losses of the layers it runs (a
    thread where no layer ever added one skips that walk). `scopes` is the
    thread's name-scope stack, where each call pushes its layer.

    A plain object with slots, fetched once per call by `call_context()`:
    every read of a `threading.local` attribute pays a lookup of the thread,
    and a call reads the context a dozen times.
    """

    __slots__ = ("training", "depth", "losses_added", "scopes")

    def __init__(self):
        self.training = None
        self.depth = 0
        self.losses_added = False
        self.scopes = scope_stack()


_threads = threading.local()


def call_context() -> CallContext:
    """This thread's `CallContext`, made on the thread's first call."""
    try:
        return _threads.call_context
    except AttributeError:
        _threads.call_context = CallContext()
        return _threads.call_context


def is_number_nest(value: Any) -> bool:
    """True for nested lists of plain numbers (data), False for lists of tensors."""
    if isinstance(value, (list, tuple)):
        return bool(value) and all(is_number_nest(item) for item in value)
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
    if isinstance(x, (np.ndarray, np.generic, int, float, bool)) or is_number_nest(x):
        array = np.asarray(x)
        if array.dtype.kind == "f" and array.dtype != dtype:
            return Tensor(array, dtype=dtype)
        if array.dtype == np.int64 and not isinstance(x, np.ndarray):
            return Tensor(array, dtype="int32")  # Python ints: TensorFlow's int32
        return Tensor(array)
    return x


def convert_inputs(inputs: Any, dtype: str) -> Any:
    """`convert_input` on every leaf of a (possibly nested) first argument."""
    if is_number_nest(inputs) or not nest.is_nested(inputs):
        return convert_input(inputs, dtype)
    return nest.map_structure(lambda x: convert_input(x, dtype), inputs)
