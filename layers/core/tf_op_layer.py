"""`TFOpLambda`: an op called on `KerasTensor`s, recorded as a layer of the graph.

Mirrors: keras/layers/core.py `TFOpLambda` + `KerasOpDispatcher` (tf.keras 2.x);
keras/src/ops/operation.py symbolic calls (Keras 3)

While a functional model is defined, `x * 2` or `keras.ops.mean(x, axis=1)`
meets a `KerasTensor`, which has no values. The op fails on it, and the
dispatcher registered below (see `backend/ops/dispatch.py`) takes over: it
wraps the op in a `TFOpLambda` layer and calls that layer on the same
arguments, which records a `Node` as any layer call does. When the model
runs, the layer calls the op on real tensors. tf.keras names these layers
after the TensorFlow symbol (`tf.math.multiply`); ours are named after the op's
public path (`ops.multiply`), which is also what the config stores, so a saved
model finds the op again through the `@export` registry. Keras 3 records such
calls as symbolic `Operation`s instead of layers; the graph is the same.
"""

from typing import Any, Callable

from api_export import REGISTRY
from backend import nest
from backend.ops import dispatch
from engine import symbolic
from engine.base_layer import Layer
from engine.keras_tensor import KerasTensor
from engine.naming import unique_name
from engine.node import Node


def _public_symbol(function: Callable) -> str | None:
    """`ops.multiply` for `nanokeras.ops.multiply`: the op's shortest public path."""
    names = getattr(function, "_api_names", ())
    return min(names, key=len).removeprefix("nanokeras.") if names else None


class TFOpLambda(Layer):
    """Adds to `Layer` one backend op as its `call`: an op applied to
    `KerasTensor`s inside a functional model.

    Created by the dispatcher, not by users (as in tf.keras). It has no
    weights; its config names the op (`{"function": "ops.mean", ...}`).

    Args:
        function: A public op (`nanokeras.ops.*`), or its path without the
            `nanokeras.` prefix.
        **kwargs: `Layer` arguments (`name`, ...).
    """

    def __init__(self, function: Any, **kwargs):
        if isinstance(function, str):
            function = _op_from_symbol(function)
        self.function = function
        self.symbol = _public_symbol(function)
        if "name" not in kwargs:
            kwargs["name"] = unique_name(self.symbol or function.__name__)
        super().__init__(**kwargs)
        self.built = True

    def __call__(self, *args, **kwargs) -> Any:
        if symbolic.has_keras_tensor(args, kwargs):
            return self._symbolic_call(args, kwargs)
        # Running: the op on real values, exactly as it was called.
        args, kwargs = _dicts_to_slices((list(args), kwargs))
        return self.function(*args, **kwargs)

    def _symbolic_call(self, args: tuple, kwargs: dict) -> Any:
        """Record the call; its outputs' specs come from running the op on
        placeholders (`trace_output_spec`)."""
        args, kwargs = _dicts_to_slices((list(args), kwargs))  # a rebuilt call
        outputs = symbolic.trace_output_spec(self, tuple(args), kwargs)
        # Slices become dicts in the node, so the call can be saved as JSON.
        args, kwargs = _slices_to_dicts((list(args), kwargs))
        Node(self, call_args=tuple(args), call_kwargs=kwargs, outputs=outputs)
        return outputs

    def call(self, *args, **kwargs) -> Any:
        return self.function(*args, **kwargs)

    def get_config(self) -> dict:
        if self.symbol is None:
            raise ValueError(
                f"Layer {self.name!r} wraps {self.function!r}, which has no "
                "public `nanokeras.ops` path, so it cannot be saved. Use public "
                "ops (`keras.ops.*`) in functional models that you save."
            )
        return {"name": self.name, "trainable": self.trainable,
                "dtype": self.dtype, "function": self.symbol}  # fmt: skip

    @classmethod
    def from_config(cls, config: dict) -> "TFOpLambda":
        return cls(**config)


def _op_from_symbol(symbol: str) -> Callable:
    entry = REGISTRY.get("nanokeras." + symbol)
    if entry is None:
        raise ValueError(
            f"Unknown op `nanokeras.{symbol}` in a TFOpLambda config: no public "
            "op has that path."
        )
    return entry.obj


def _slices_to_dicts(structure: Any) -> Any:
    def encode(value):
        if isinstance(value, slice):
            return {"start": value.start, "stop": value.stop, "step": value.step}
        return "..." if value is Ellipsis else value

    return _map_keys(encode, structure)


def _dicts_to_slices(structure: Any) -> Any:
    def decode(value):
        if isinstance(value, dict) and set(value) == {"start", "stop", "step"}:
            return slice(value["start"], value["stop"], value["step"])
        if isinstance(value, str) and value == "...":
            return Ellipsis
        if isinstance(value, list) and any(
            isinstance(item, (dict, str)) for item in value
        ):
            # An index saved as JSON comes back as a list: numpy needs the
            # tuple `x[:, 1:]` was written as.
            return tuple(decode(item) for item in value)
        return value

    return _map_keys(decode, structure)


def _map_keys(function: Callable, structure: Any) -> Any:
    """`function` on every slice / slice dict / leaf, through lists, tuples, dicts."""
    converted = function(structure)
    if converted is not structure:
        return converted
    if isinstance(structure, dict):
        return {key: _map_keys(function, value) for key, value in structure.items()}
    if isinstance(structure, (list, tuple)):
        return type(structure)(_map_keys(function, value) for value in structure)
    return structure


def keras_op_dispatcher(op: Callable, args: tuple, kwargs: dict) -> Any:
    """Build a graph node when an op is called on `KerasTensor`s."""
    if not any(isinstance(x, KerasTensor) for x in nest.flatten([list(args), kwargs])):
        return dispatch.NOT_SUPPORTED
    if getattr(op, "__name__", None) == "shape" and isinstance(args[0], KerasTensor):
        return args[0].shape  # as Keras 3: the static shape, None where unknown
    return TFOpLambda(op)(*args, **kwargs)


# As tf.keras 2.6's layers/core.py registers its KerasOpDispatcher: importing
# the layers (which `import nanokeras` does) is what lets ops take KerasTensors.
dispatch.add_global_dispatcher(keras_op_dispatcher)
