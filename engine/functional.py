"""`Functional`: a `Model` defined by a graph of layers, from inputs to outputs.

Mirrors: keras/engine/functional.py (tf.keras 2.6), keras/src/models/functional.py
+ keras/src/ops/function.py (Keras 3)

`keras.Model(inputs, outputs)` lands here. The graph is not given explicitly:
it is *recovered* from the outputs. Each output `KerasTensor` knows, through
`_keras_history`, the `Node` (layer call) that made it; that node knows its
input tensors; and so on back to the `Input`s. Walking those links gives every
node the model needs, which are then put in an order in which they can run.
"""

from typing import Any

import numpy as np

from backend import nest
from backend.ops.core import value_of
from backend.ops.raw_ops import math as math_ops
from backend.tensor import Tensor
from engine import base_layer_utils as utils
from engine import masking
from engine.input_spec import InputSpec
from engine.keras_tensor import KerasTensor
from engine.training import Model


def _check_keras_tensors(structure: Any, argument: str) -> list:
    flat = nest.flatten(structure)
    for value in flat:
        if not isinstance(value, KerasTensor):
            raise TypeError(
                f"All `{argument}` of a functional model must be KerasTensors "
                f"(from `keras.Input` or a layer called on one). Received "
                f"{argument}={structure!r}, including the invalid value "
                f"{value!r} of type {type(value).__name__}."
            )
    return flat


_DONE = object()  # marks the end of a node's parents in `map_graph`'s walk


def map_graph(inputs: list, outputs: list) -> tuple[list, dict, list]:
    """Find the nodes between `inputs` and `outputs`, in an order they can run.

    Why a topological sort: a node can only run once every node producing its
    inputs has run. A depth-first walk from the outputs that appends a node
    *after* visiting the nodes that feed it lists producers before consumers
    (a topological order), however the graph branches and merges. Running the
    list front to back is then always possible, and each node runs once even
    when its output feeds several others.

    Returns:
        `(nodes, node_depths, layers)`: the nodes in topological order; each
        node's depth (0 for the nodes making the outputs, growing towards the
        inputs); and the layers ordered by decreasing depth, ties broken by
        the order in which the walk met them, as Keras orders `model.layers`.
    """
    input_ids = {id(tensor) for tensor in inputs}
    ordered, finished, layer_order = [], set(), {}

    def visit(output: KerasTensor) -> None:
        # The depth-first walk with an explicit stack of (tensor, its parents
        # still to visit): a recursive walk needs one Python frame per layer
        # and a model 1,000 layers deep would hit the recursion limit.
        stack = [(output, None)]
        while stack:
            tensor, parents = stack[-1]
            layer, node_index, _ = tensor._keras_history
            node = layer._inbound_nodes[node_index]
            if parents is None:  # first time here: the "call" of the walk
                if id(node) in finished:
                    stack.pop()
                    continue
                layer_order.setdefault(id(layer), len(layer_order))
                feeds = node.input_tensors if id(tensor) not in input_ids else ()
                parents = iter(feeds)
                stack[-1] = (tensor, parents)
            parent_tensor = next(parents, _DONE)
            if parent_tensor is not _DONE:
                stack.append((parent_tensor, None))
                continue
            stack.pop()  # every producer is listed: now this node
            finished.add(id(node))
            ordered.append(node)

    for tensor in outputs:
        visit(tensor)

    # Depths, walking from the outputs back: a producer sits deeper than
    # every consumer, and all calls of a shared layer take the layer's depth.
    depths, layer_depths = {}, {}
    for node in reversed(ordered):
        depth = max(depths.get(id(node), 0), layer_depths.get(id(node.layer), 0))
        depths[id(node)] = layer_depths[id(node.layer)] = depth
        for parent in node.parent_nodes:
            depths[id(parent)] = max(depth + 1, depths.get(id(parent), 0))
    for tensor in inputs:  # an input no output depends on still belongs
        layer = tensor._keras_history.layer
        if id(layer) not in layer_depths:
            node = layer._inbound_nodes[tensor._keras_history.node_index]
            ordered.insert(0, node)
            depths[id(node)] = layer_depths[id(layer)] = 0
            layer_order[id(layer)] = -1

    _check_connected(ordered, inputs)
    layers = {id(node.layer): node.layer for node in ordered}.values()
    layers = sorted(
        layers, key=lambda layer: (-layer_depths[id(layer)], layer_order[id(layer)])
    )
    names = [layer.name for layer in layers]
    for name in names:
        if names.count(name) > 1:
            raise ValueError(
                f'The name "{name}" is used {names.count(name)} times in the '
                "model. All layer names should be unique: pass a different "
                "`name=` to one of the layers."
            )
    return ordered, depths, layers


def _check_connected(ordered: list, inputs: list) -> None:
    """Raise "Graph disconnected" if a node needs a tensor nothing computes."""
    available = {id(tensor) for tensor in inputs}
    reached = []
    for node in ordered:
        for tensor in node.input_tensors:
            if id(tensor) not in available:
                raise ValueError(
                    f"Graph disconnected: cannot obtain value for tensor "
                    f'{tensor} at layer "{node.layer.name}". The following '
                    f"previous layers were accessed without issue: {reached}. "
                    "Pass every `keras.Input` the outputs depend on in `inputs`."
                )
        if node.is_input and not any(id(t) in available for t in node.output_tensors):
            continue  # an unused Input: its consumers will report it
        available.update(id(tensor) for tensor in node.output_tensors)
        reached.append(node.layer.name)


class Functional(Model):
    """Adds to `Model` a graph of layer calls, recovered from inputs and outputs.

    Created by `keras.Model(inputs=..., outputs=...)`; not exported itself,
    as in Keras.

    Args:
        inputs: A `KerasTensor` from `keras.Input`, or a list or dict of them.
        outputs: A `KerasTensor`, or a list or dict of them, computed from
            `inputs` by calling layers.
        name: The model's name.
        trainable: Whether the model's weights are trainable.
    """

    _TF_MODULE_IGNORED_PROPERTIES = Model._TF_MODULE_IGNORED_PROPERTIES | frozenset(
        ("_input_layers", "_output_layers", "_nodes", "_node_depths")
    )

    def __init__(
        self, inputs: Any, outputs: Any, name: str | None = None, trainable=True
    ):
        super().__init__(name=name, trainable=trainable)
        self._init_graph_network(inputs, outputs)

    def _init_graph_network(self, inputs: Any, outputs: Any) -> None:
        flat_inputs = _check_keras_tensors(inputs, "inputs")
        flat_outputs = _check_keras_tensors(outputs, "outputs")
        if len({id(x) for x in flat_inputs}) != len(flat_inputs):
            raise ValueError(
                f"The list of inputs passed to the model {self.name!r} contains "
                f"the same input tensor more than once. Received: inputs={inputs}"
            )
        nodes, depths, layers = map_graph(flat_inputs, flat_outputs)
        # Only the nodes that compute something run in `call`; Input nodes
        # are where the values are placed.
        self._nodes = nodes
        self._node_depths = depths
        self._run_order = [node for node in nodes if not node.is_input]
        self._layers = layers
        self._inputs_struct, self._outputs_struct = inputs, outputs
        self.inputs, self.outputs = flat_inputs, flat_outputs
        self._input_dtypes = [np.dtype(x.dtype) for x in flat_inputs]
        self._input_layers = [x._keras_history.layer for x in flat_inputs]
        self._output_layers = [x._keras_history.layer for x in flat_outputs]
        names = (
            sorted(inputs)
            if isinstance(inputs, dict)
            else [x.name for x in flat_inputs]
        )
        self.input_spec = [
            InputSpec(
                shape=(None,) + tuple(x.shape[1:]),
                allow_last_axis_squeeze=True,
                name=name,
            )
            for x, name in zip(flat_inputs, names)
        ]
        self._is_graph_network = True
        self.built = True

    # The layers inside attach the output masks while the graph runs.
    _outputs_carry_masks = True

    def _tracked_layers(self) -> list:
        """The graph's layers, then any a subclass set as attributes."""
        layers = list(self._layers)
        for layer in super()._tracked_layers():
            if all(layer is not known for known in layers):
                layers.append(layer)
        return layers

    @property
    def input(self) -> Any:
        """The model's input `KerasTensor`(s), in the structure they were given."""
        return self._inputs_struct

    @property
    def output(self) -> Any:
        """The model's output `KerasTensor`(s), in the structure they were given."""
        return self._outputs_struct

    def build(self, input_shape: Any = None) -> None:
        """A functional model is built from the start; nothing to do."""

    def call(self, inputs: Any, training: bool | None = None, mask=None) -> Any:
        """Run the graph: place the inputs, then run each node in topological order."""
        values = {}
        if len(self.inputs) == 1 and type(inputs) is Tensor:
            flat = (inputs,)  # the common case: one input tensor
        else:
            flat = self._flatten_inputs(inputs)
        for tensor, value, dtype in zip(self.inputs, flat, self._input_dtypes):
            if type(value) is not Tensor:
                value = utils.convert_input(value, tensor.dtype)
            if value_of(value).dtype != dtype:
                value = math_ops.cast(value, tensor.dtype)
            values[id(tensor)] = value
        if mask is not None:  # masks given to the model go to its inputs
            flat_masks = nest.flatten(mask) if nest.is_nested(mask) else [mask]
            for tensor, input_mask in zip(self.inputs, flat_masks):
                masking.set_keras_mask(values[id(tensor)], input_mask)

        def fetch(x):
            return values[id(x)] if isinstance(x, KerasTensor) else x

        for node in self._run_order:
            args, kwargs = node.call_args, node.call_kwargs
            if len(args) == 1 and not kwargs and isinstance(args[0], KerasTensor):
                outputs = node.layer(values[id(args[0])])  # the common case
            else:
                outputs = node.layer(
                    *nest.map_structure(fetch, list(args)),
                    **nest.map_structure(fetch, dict(kwargs)),
                )
            flat = nest.flatten(outputs) if nest.is_nested(outputs) else (outputs,)
            for tensor, value in zip(node.output_tensors, flat):
                values[id(tensor)] = value
        if isinstance(self._outputs_struct, KerasTensor):
            return values[id(self._outputs_struct)]
        return nest.pack_sequence_as(
            self._outputs_struct, [values[id(x)] for x in self.outputs]
        )

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """The outputs' masks: run the graph on `inputs` and read them."""
        if mask is None and not any(layer._computes_masks for layer in self._layers):
            return None  # no mask given and none made inside
        outputs = self.call(inputs, training=False, mask=mask)
        return masking.masks_of(outputs)

    def _flatten_inputs(self, inputs: Any) -> list:
        """The call's inputs as a flat list in `self.inputs` order."""
        if isinstance(inputs, dict) and not isinstance(self._inputs_struct, dict):
            missing = [x.name for x in self.inputs if x.name not in inputs]
            if missing:
                raise ValueError(
                    f'Missing data for input "{missing[0]}" of model '
                    f"{self.name!r}. You passed a dict with keys {list(inputs)}; "
                    f"expected the keys {[x.name for x in self.inputs]}."
                )
            return [inputs[x.name] for x in self.inputs]
        flat = nest.flatten(inputs) if nest.is_nested(inputs) else [inputs]
        if utils.is_number_nest(inputs):
            flat = [inputs]
        if len(flat) != len(self.inputs):
            raise ValueError(
                f'Model "{self.name}" expects {len(self.inputs)} input(s), but it '
                f"received {len(flat)} input tensors."
            )
        return flat

    # --- Serialization ---

    def get_config(self) -> dict:
        """The layers' configs and how their calls connect: enough to rebuild."""
        from engine import functional_utils

        return functional_utils.serialize_graph(self)

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None):
        """Rebuild the layers and re-run their calls on new `Input`s."""
        from engine import functional_utils

        inputs, outputs = functional_utils.rebuild_graph(config, custom_objects)
        return cls(
            inputs=inputs,
            outputs=outputs,
            name=config.get("name"),
            trainable=config.get("trainable", True),
        )
