"""`Lambda`: wrap any function of tensors as a layer.

Mirrors: keras/layers/core/lambda_layer.py (tf.keras 2.x),
keras/src/layers/core/lambda_layer.py (Keras 3)

Simplified: a lambda's bytecode is not serialized (`from_config` explains
how to rebuild it instead).

Saving a `Lambda` is where Python's functions meet configs: a function
defined with `def` at module level can be stored by its import path and
found again; a `lambda` (or a nested function) has no such path. Keras
stores the lambda's bytecode, which only loads back in the same Python
version and only with `safe_mode=False`; nanokeras does not, and
`from_config` says so clearly instead.
"""

import importlib
import inspect
from typing import Any, Callable

from backend import nest
from engine import base_layer_utils as utils
from engine.api_export import export
from engine.base_layer import Layer


def _function_config(function: Callable) -> dict:
    """How a function is stored in a config: its module and qualified name."""
    qualname = getattr(function, "__qualname__", repr(function))
    portable = "<lambda>" not in qualname and "<locals>" not in qualname
    return {
        "class_name": "function" if portable else "__lambda__",
        "module": getattr(function, "__module__", None),
        # A lambda or nested function is named by its short name, the key a
        # user would give in `custom_objects`.
        "config": qualname if portable else getattr(function, "__name__", qualname),
    }


def _function_from_config(
    value: Any, what: str, layer: str, custom_objects: dict | None
) -> Any:
    """Undo `_function_config`; a lambda cannot be undone, so raise clearly."""
    if not isinstance(value, dict):
        return value  # a shape tuple, None, or already a function
    name = value.get("config")
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    if value.get("class_name") == "__lambda__":
        raise ValueError(
            f'Cannot rebuild the `{what}` of Lambda layer "{layer}" from its '
            f"config: it was {name!r} from module {value.get('module')!r}, a "
            "Python lambda or nested function, which has no import path. "
            "Define it with "
            "`def` at the top level of a module, or pass it in "
            f"`custom_objects={{{name!r}: function}}`."
        )
    try:
        found: Any = importlib.import_module(value["module"])
        for part in name.split("."):
            found = getattr(found, part)
    except (ImportError, AttributeError, KeyError, TypeError):
        raise ValueError(
            f'Cannot rebuild the `{what}` of Lambda layer "{layer}" from its '
            f"config: function {name!r} was not found in module "
            f"{value.get('module')!r}. "
            f"Pass it in `custom_objects={{{name!r}: function}}`."
        ) from None
    return found


@export("nanokeras.layers.Lambda")
class Lambda(Layer):
    """Adds to `Layer` a call that is any function of the inputs, with no weights.

    For stateless glue (`lambda x: x ** 2`). A function that creates
    variables would create them on every call: write a `Layer` subclass
    instead. The config stores a function by its import path; lambdas cannot
    be rebuilt from a config (Keras's bytecode serialization is left out).

    Args:
        function: The function, called as `function(inputs, **arguments)`.
            If it takes `mask` or `training` arguments, they are passed on.
        output_shape: The output shape without the batch axis (a tuple), or a
            function of the full input shape. By default it is found by
            running `function` on placeholder inputs.
        mask: A mask for the outputs, or a function `(inputs, mask) -> mask`.
            None (the default) drops the input's mask, as Keras does.
        arguments: A dict of keyword arguments passed to `function`.
        **kwargs: `Layer` arguments (`name`, `dtype`, ...).

    Example:

    >>> Lambda(lambda x: x * 2)(np.array([1.0, 2.0]))
    <Tensor: shape=(2,), dtype=float32, numpy=array([2., 4.], dtype=float32)>
    """

    def __init__(
        self,
        function: Callable,
        output_shape: Any = None,
        mask: Any = None,
        arguments: dict | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(
                f'Layer "{self.name}" (Lambda) needs a callable `function`. '
                f"Received: function={function!r} (of type "
                f"{type(function).__name__})."
            )
        self.function = function
        self.arguments = dict(arguments or {})
        self.mask = mask
        # As in Keras: without `mask`, a Lambda drops the input's mask.
        self.supports_masking = mask is not None
        if output_shape is not None and not callable(output_shape):
            output_shape = tuple(output_shape)
        self._output_shape = output_shape
        parameters = inspect.signature(function).parameters
        self._pass_mask = "mask" in parameters
        self._pass_training = "training" in parameters

    def call(self, inputs: Any, mask: Any = None, training: Any = None) -> Any:
        kwargs = dict(self.arguments)
        if self._pass_mask:
            kwargs["mask"] = mask
        if self._pass_training:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    def compute_output_shape(self, input_shape: Any) -> Any:
        if self._output_shape is None:
            return super().compute_output_shape(input_shape)
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        first = nest.flatten(input_shape)[0] if input_shape else None
        batch = first if first is None or isinstance(first, int) else None
        return (batch,) + self._output_shape

    def compute_output_spec(self, *args, **kwargs) -> Any:
        if self._output_shape is None:
            # Run the function on placeholders: this also finds its dtypes.
            return utils.trace_output_spec(self, args, kwargs)
        return super().compute_output_spec(*args, **kwargs)

    def get_config(self) -> dict:
        config = super().get_config()
        config["function"] = _function_config(self.function)
        # As Keras, `output_shape` and `mask` appear only when given.
        if callable(self._output_shape):
            config["output_shape"] = _function_config(self._output_shape)
        elif self._output_shape is not None:
            config["output_shape"] = self._output_shape
        if callable(self.mask):
            config["mask"] = _function_config(self.mask)
        elif self.mask is not None:
            config["mask"] = self.mask
        config["arguments"] = self.arguments
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> "Lambda":
        config = dict(config)
        for key in ("function", "output_shape", "mask"):
            if key in config:
                config[key] = _function_from_config(
                    config[key], key, config.get("name"), custom_objects
                )
        return cls(**config)
