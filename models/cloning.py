"""`clone_model`: the same architecture with new layers and new weights.

Mirrors: keras/models.py `clone_model` (tf.keras 2.6), keras/src/models/cloning.py
(Keras 3)

Simplified: `call_function` and `recursive=True` are not offered, and with
`input_tensors` the copy of a functional model is the copy called on them
(one nested model) where Keras re-traces the graph.

Cloning is serialization without a file: each layer is rebuilt from its
config (`layer.__class__.from_config(layer.get_config())`, or the
`clone_function` you pass), and a graph model's calls are replayed on new
inputs. Nothing is shared with the original, so training one leaves the other
untouched; copy the weights with `set_weights` when you want them.
"""

from collections.abc import Callable
from typing import Any

from api_export import export
from engine import functional_utils
from engine.functional import Functional
from engine.input_layer import InputLayer
from engine.sequential import Sequential
from engine.training import Model
from saving import serialization_lib


def _clone_layer(layer: Any) -> Any:
    return layer.__class__.from_config(layer.get_config())


@export("nanokeras.models.clone_model")
def clone_model(
    model: Model,
    input_tensors: Any = None,
    clone_function: Callable | None = None,
    call_function: Callable | None = None,
    recursive: bool = False,
    **kwargs: Any,
) -> Model:
    """A new model with the architecture of `model` and freshly initialized weights.

    Args:
        model: A `Sequential`, functional or subclassed model.
        input_tensors: Optional `keras.Input` tensors to build the copy on.
        clone_function: `fn(layer) -> layer` making each layer's copy
            (default: `layer.__class__.from_config(layer.get_config())`).
            Sequential and functional models only.
        call_function: Keras 3's hook to change how layers are called; not
            offered (must be None).
        recursive: Keras 3's switch to clone nested models layer by layer;
            not offered (must be False).
        **kwargs: None accepted.

    Returns:
        The copy; built when `model` had a known input shape.

    Example:

    ```python
    copy = keras.models.clone_model(model)
    copy.set_weights(model.get_weights())
    ```
    """
    if kwargs:
        raise TypeError(f"clone_model got unexpected arguments {sorted(kwargs)}.")
    if call_function is not None or recursive:
        raise NotImplementedError(
            "nanokeras's clone_model offers no `call_function` and no "
            f"`recursive=True`. Received: call_function={call_function!r}, "
            f"recursive={recursive!r}."
        )
    if isinstance(model, Sequential):
        copy = _clone_sequential(model, clone_function or _clone_layer)
    elif isinstance(model, Functional):
        copy = _clone_functional(model, clone_function or _clone_layer)
    else:
        if clone_function is not None:
            raise ValueError(
                "`clone_function` needs a Sequential or functional model. "
                f"Received a model of type {type(model).__name__!r}."
            )
        config = serialization_lib.serialize_keras_object(model)
        config.pop("compile_config", None)
        copy = serialization_lib.deserialize_keras_object(
            config, custom_objects={type(model).__name__: type(model)}
        )
    if input_tensors is not None:
        copy = Model(input_tensors, copy(input_tensors), name=model.name)
    return copy


def _clone_sequential(model: Sequential, clone_function: Callable) -> Sequential:
    layers = [clone_function(layer) for layer in model.layers]
    if model._input_layer is not None:
        source = model._input_layer
        layers.insert(0, InputLayer.from_config(source.get_config()))
    return Sequential(layers, trainable=model.trainable, name=model.name)


def _clone_functional(model: Functional, clone_function: Callable) -> Model:
    originals = {layer.name: layer for layer in model.layers}

    def make_layer(entry: dict) -> Any:
        original = originals[entry["name"]]
        if isinstance(original, InputLayer):
            return functional_utils.deserialize_layer(entry)
        return clone_function(original)

    config = model.get_config()
    inputs, outputs = functional_utils.rebuild_graph(config, make_layer=make_layer)
    return Functional(inputs, outputs, name=model.name, trainable=model.trainable)
