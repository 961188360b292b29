"""`Lambda`: wrap any function of tensors as a layer.

Mirrors: keras/layers/core.py (tf.keras 2.6),
keras/src/layers/core/lambda_layer.py (Keras 3)

Saving a `Lambda` is where Python's functions meet configs, and where a
crafted file could try to run code. A built-in function (`keras.ops.negative`)
or one registered with `@register_keras_serializable` is saved by name and
loads anywhere. Any other function is Python code that the file names: a
`def` function by its module and name, a `lambda` by its bytecode (as
Keras 3 does). Both load only when the user says the file is trusted
(`safe_mode=False` or `keras.config.enable_unsafe_deserialization()`);
otherwise `from_config` refuses before importing or calling anything.
"""

import importlib
import inspect
import types
from typing import Any, Callable

from api_export import export
from backend import nest
from engine import symbolic
from engine.base_layer import Layer
from saving import serialization_lib


def _function_config(function: Callable) -> dict:
    """A function as Keras 3 stores it: by name, or a lambda by its bytecode."""
    if isinstance(function, types.LambdaType) and function.__name__ == "<lambda>":
        return {
            "class_name": "__lambda__",
            "config": dict(
                zip(
                    ("code", "defaults", "closure"),
                    serialization_lib.function_to_code(function),
                )  # fmt: skip
            ),
        }
    return serialization_lib.serialize_keras_object(function)


def _function_from_config(
    value: Any, what: str, layer: Any, custom_objects: Any
) -> Any:
    """Undo `_function_config`, refusing file-supplied code in safe mode."""
    if not isinstance(value, dict) or "class_name" not in value:
        return value  # a shape, None, or already a function
    safe_mode = serialization_lib.in_safe_mode() is not False
    described = f'the `{what}` of Lambda layer "{layer}"'
    if value["class_name"] == "__lambda__":
        if safe_mode:
            raise serialization_lib.lambda_refused(f"{described} (a Python lambda)")
        inner = value["config"]
        code = inner.get("value") or [
            inner["code"],
            inner["defaults"],
            inner["closure"],
        ]
        return serialization_lib.function_from_code(code)
    if value["class_name"] != "function":
        return serialization_lib.deserialize_keras_object(value, custom_objects)
    found = serialization_lib.resolve_function(value, custom_objects)
    if found is not None:
        return found
    module, name = value.get("module"), value.get("config")
    if safe_mode:
        raise serialization_lib.lambda_refused(
            f"{described} (the function `{module}.{name}`, which is neither "
            "built in nor registered)"
        )
    try:
        found = importlib.import_module(module)
        for part in str(name).split("."):
            found = getattr(found, part)
    except (ImportError, AttributeError, TypeError, ValueError):
        raise ValueError(
            f"Cannot rebuild {described}: function {name!r} was not found in "
            f"module {module!r}. Pass it in `custom_objects={{{name!r}: function}}`."
        ) from None
    return found


@export("nanokeras.layers.Lambda")
class Lambda(Layer):
    """Adds to `Layer` a call that is any function of the inputs, with no weights.

    For stateless glue (`lambda x: x ** 2`). A function that creates
    variables would create them on every call: write a `Layer` subclass
    instead. Loading a saved `Lambda` whose function is neither built in nor
    registered needs `safe_mode=False` (see the module docstring).

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
            return symbolic.trace_output_spec(self, args, kwargs)
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
        """Rebuild the layer; Python code named by the config needs safe mode off."""
        config = dict(config)
        for key in ("function", "output_shape", "mask"):
            if key in config:
                config[key] = _function_from_config(
                    config[key], key, config.get("name"), custom_objects
                )
        if isinstance(config.get("output_shape"), list):
            config["output_shape"] = tuple(config["output_shape"])
        return cls(**config)
