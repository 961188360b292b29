"""`Sequential`: a `Functional` model whose graph is a plain stack of layers.

Mirrors: keras/engine/sequential.py (tf.keras 2.6), keras/src/models/sequential.py
(Keras 3)

`Sequential` is a `Functional` model built for you. Once it knows its input
shape (a `keras.Input` added first, or `input_shape=` on the first layer), each
`add` calls the new layer on the previous output `KerasTensor` and re-derives
the graph, so `summary()` works at once. Without an input shape it keeps the
layers in a list and builds the graph on the first call (from the data's
shape) or on `build(input_shape)`: tf.keras 2.x's deferred build
(`_build_graph_network_for_inferred_shape`). That first shape is kept; a later
call whose shape differs in some axis rebuilds the graph with only those axes
relaxed to `None`, so a model built on sequences of length 10 accepts length
12 afterwards, while the feature axes stay checked.
"""

from typing import Any

import numpy as np

from api_export import export
from backend import nest
from engine import functional_utils
from engine.base_layer import Layer
from engine.functional import Functional
from engine.input_layer import InputLayer
from engine.keras_tensor import KerasTensor
from engine.node import KerasHistory
from engine.training import Model


@export("nanokeras.Sequential", "nanokeras.models.Sequential")
class Sequential(Functional):
    """Adds to `Functional` a graph built one layer at a time with `add` and `pop`.

    Args:
        layers: Optional list of layers to add, in order.
        trainable: Whether the model's weights are trainable.
        name: The model's name.

    Example:

    ```python
    model = keras.Sequential()
    model.add(keras.layers.Dense(10, input_shape=(10,), activation="relu"))
    model.add(keras.layers.Dense(1))
    model.summary()
    ```
    """

    _TF_MODULE_IGNORED_PROPERTIES = (
        Functional._TF_MODULE_IGNORED_PROPERTIES | frozenset(("_layer_outputs",))
    )

    def __init__(
        self,
        layers: list | None = None,
        trainable: bool = True,
        name: str | None = None,
    ):
        # Skip Functional.__init__: the graph does not exist yet.
        Model.__init__(self, name=name, trainable=trainable)
        self._sequential_layers: list = []
        self._input_layer: InputLayer | None = None
        # The output KerasTensor of each layer in the current graph, so `pop`
        # can step back without calling any layer again.
        self._layer_outputs: list = []
        # The input shape a deferred build inferred from data (None when the
        # shape was given, with `keras.Input` or `input_shape=`).
        self._inferred_input_shape: tuple | None = None
        self.built = False
        for layer in layers or []:
            self.add(layer)

    @property
    def layers(self) -> list:
        """The added layers, without the `InputLayer` (as Keras shows them)."""
        return list(self._sequential_layers)

    def _tracked_layers(self) -> list:
        return list(self._sequential_layers)

    def add(self, layer: Layer, rebuild: bool = True) -> None:
        """Append `layer`; with a known input shape, extend the graph right away.

        Args:
            layer: A layer instance, or a `keras.Input(...)` tensor (or its
                `InputLayer`) to fix the input shape first.
            rebuild: Keras 3's switch to postpone the rebuild; simplified: the
                graph is always extended at once (the same model results).
        """
        if isinstance(layer, KerasTensor) and isinstance(
            layer._keras_history.layer, InputLayer
        ):
            layer = layer._keras_history.layer
        if not isinstance(layer, Layer):
            raise TypeError(
                "The added layer must be an instance of class Layer. Received: "
                f"layer={layer!r} of type {type(layer)}. Add layer instances "
                f"to Sequential model {self.name!r}, e.g. `keras.layers.Dense(4)`."
            )
        if isinstance(layer, InputLayer):
            if self._input_layer is not None or self._sequential_layers:
                raise ValueError(
                    f"Sequential model {self.name!r} cannot add InputLayer "
                    f'"{layer.name}": an input must be the first thing added, '
                    "and only once."
                )
            self._input_layer = layer
            return
        if any(layer.name == known.name for known in self._sequential_layers):
            raise ValueError(
                "All layers added to a Sequential model should have unique "
                f'names. Name "{layer.name}" is already the name of a layer in '
                f"model {self.name!r}. Update the `name` argument to pass a "
                "unique name."
            )
        input_layer_before = self._input_layer
        batch_shape = getattr(layer, "_batch_input_shape", None)
        if not self._sequential_layers and self._input_layer is None and batch_shape:
            self._input_layer = InputLayer(batch_shape=batch_shape, dtype=layer.dtype)
        self._sequential_layers.append(layer)
        if self._input_layer is not None:
            try:
                self._extend_graph(layer)
            except Exception:
                # Leave the model as it was, including the input a refused
                # first layer's `input_shape` created.
                self._sequential_layers.pop()
                self._input_layer = input_layer_before
                raise

    def _extend_graph(self, layer: Layer) -> None:
        """Call `layer` on the current output and re-derive the graph."""
        if not self._layer_outputs:
            previous = self._input_layer.output
        else:
            previous = self._layer_outputs[-1]
        output = layer(previous)
        if nest.is_nested(output) and len(nest.flatten(output)) != 1:
            raise ValueError(
                "All layers in a Sequential model should have a single output "
                f'tensor. Layer "{layer.name}" returned {len(nest.flatten(output))}'
                ". For multi-output layers, use the functional API."
            )
        self._layer_outputs.append(nest.flatten(output)[0])
        self._init_graph_network(self._input_layer.output, self._layer_outputs[-1])

    def _init_graph_network(self, inputs: Any, outputs: Any) -> None:
        super()._init_graph_network(inputs, outputs)
        self._layers = [self._input_layer] + self._sequential_layers

    def pop(self, rebuild: bool = True) -> Layer:
        """Remove and return the last layer.

        Args:
            rebuild: Keras 3's switch to postpone the rebuild; simplified: the
                graph always steps back at once.
        """
        if not self._sequential_layers:
            raise TypeError(f"There are no layers in Sequential model {self.name!r}.")
        layer = self._sequential_layers.pop()
        if self._layer_outputs:
            self._layer_outputs.pop()
            if self._layer_outputs:
                self._init_graph_network(
                    self._input_layer.output, self._layer_outputs[-1]
                )
            else:
                self.built = False  # only an input is left: nothing to run
        return layer

    def build(self, input_shape: Any = None) -> None:
        """Build the graph for `input_shape` (with the batch axis, e.g. `(None, 10)`).

        Nothing to do when the input shape was known from the start.
        """
        if self._input_layer is not None and self._inferred_input_shape is None:
            if not self._layer_outputs:
                for layer in self._sequential_layers:
                    self._extend_graph(layer)
            return
        if input_shape is None:
            raise ValueError(
                f"You must provide an `input_shape` argument to build "
                f"Sequential model {self.name!r}, e.g. `build((None, 10))`."
            )
        if not self._sequential_layers:
            raise ValueError(
                f"Sequential model {self.name!r} cannot be built because it "
                "has no layers. Call `model.add(layer)`."
            )
        self._build_graph_network_for_inferred_shape(tuple(input_shape))

    def _build_graph_network_for_inferred_shape(
        self, input_shape: tuple, input_dtype: Any = None
    ) -> None:
        """Build (or rebuild) the graph on an `Input` of the inferred shape.

        The first shape is kept as it is; a later one that differs in some
        axes relaxes exactly those axes to `None` (tf.keras 2.x's
        `relax_input_shape`). A shape of another rank changes nothing here:
        the input check then reports it.
        """
        known = self._inferred_input_shape
        if known is None:
            new_shape = input_shape
        elif len(known) != len(input_shape):
            return
        else:
            new_shape = tuple(a if a == b else None for a, b in zip(known, input_shape))
        if new_shape == known:
            return
        old_nodes = list(getattr(self, "_nodes", ()) if known is not None else ())
        previous = (self._input_layer, self._layer_outputs)
        if input_dtype is None:
            input_dtype = self._sequential_layers[0].dtype
        self._input_layer = InputLayer(batch_shape=new_shape, dtype=input_dtype)
        self._layer_outputs = []
        try:
            for layer in self._sequential_layers:
                self._extend_graph(layer)
        except Exception:
            # A layer refuses the relaxed shape: drop the partial graph, keep
            # the previous one, and let the error name the layer.
            partial = [x._keras_history for x in self._layer_outputs]
            _forget_nodes(
                [
                    history.layer._inbound_nodes[history.node_index]
                    for history in partial
                ]
            )
            self._input_layer, self._layer_outputs = previous
            if self._layer_outputs:
                self._init_graph_network(
                    self._input_layer.output, self._layer_outputs[-1]
                )
            raise
        # The layers' earlier calls belong to a graph nobody uses any more:
        # forget them, so `layer.input`/`output` describe the current one.
        _forget_nodes(old_nodes)
        self._inferred_input_shape = new_shape

    def __call__(self, *args, **kwargs) -> Any:
        # A deferred-built model seeing a new input shape relaxes it first,
        # before the input check compares the data with the old graph.
        if self._inferred_input_shape is not None and args:
            shape = getattr(args[0], "shape", None)
            if shape is not None and len(shape) == len(self._inferred_input_shape):
                self._build_graph_network_for_inferred_shape(
                    (None,) + tuple(shape[1:]), self._input_layer.dtype
                )
        return super().__call__(*args, **kwargs)

    def _maybe_build(self, inputs: Any) -> None:
        """Deferred build on the first call: the data's shape, batch axis unknown.

        tf.keras traces `fit`'s step with an unknown batch size, so the batch
        axis starts as `None` here too; the other axes keep the data's sizes.
        """
        if not self.built:
            shape = tuple(inputs.shape)
            dtype = getattr(inputs, "dtype", None)
            if dtype is not None and np.dtype(dtype).kind == "f":
                dtype = None  # floating data is cast to the layers' dtype
            if self._input_layer is None and self._sequential_layers:
                self._build_graph_network_for_inferred_shape((None,) + shape[1:], dtype)
            else:
                self.build((None,) + shape[1:])
            self.built = True

    def call(self, inputs: Any, training: bool | None = None, mask=None) -> Any:
        if self._layer_outputs:
            return super().call(inputs, training=training, mask=mask)
        for layer in self._sequential_layers:  # no graph (e.g. no layers yet)
            inputs = layer(inputs)
        return inputs

    def get_config(self) -> dict:
        layers = list(self._sequential_layers)
        if self._input_layer is not None:
            layers = [self._input_layer] + layers
        return {
            "name": self.name,
            "trainable": self.trainable,
            "layers": [functional_utils.serialize_layer(layer) for layer in layers],
        }

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None):
        model = cls(name=config.get("name"), trainable=config.get("trainable", True))
        for layer_config in config["layers"]:
            model.add(functional_utils.deserialize_layer(layer_config, custom_objects))
        return model


def _forget_nodes(nodes: list) -> None:
    """Remove `nodes` from their layers' call lists and renumber the rest.

    Each tensor's `_keras_history` holds the index of the call that made it,
    so the calls left after a removal get their new positions.
    """
    forgotten = {id(node) for node in nodes}
    for layer in {id(node.layer): node.layer for node in nodes}.values():
        layer._inbound_nodes[:] = [
            node for node in layer._inbound_nodes if id(node) not in forgotten
        ]
        for index, node in enumerate(layer._inbound_nodes):
            for tensor_index, tensor in enumerate(node.output_tensors):
                tensor._keras_history = KerasHistory(layer, index, tensor_index)
    for node in nodes:
        for parent in node.inbound_layers:
            parent._outbound_nodes[:] = [
                x for x in parent._outbound_nodes if id(x) not in forgotten
            ]
