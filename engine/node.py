"""`Node`: one call of a layer on symbolic inputs, the edge list of a model graph.

Mirrors: keras/engine/node.py (tf.keras 2.6), keras/src/ops/node.py (Keras 3)

Every time a layer is called on `KerasTensor`s, a `Node` records the call:
which layer, with which arguments, producing which outputs. The node is
appended to the layer's `_inbound_nodes` (the layer's calls) and to each
parent layer's `_outbound_nodes` (where the parent's outputs went). Each output
tensor gets `_keras_history = (layer, node_index, tensor_index)`, so the node
that made any tensor is `layer._inbound_nodes[node_index]`.
"""

import collections
from typing import Any

from backend import nest
from engine.keras_tensor import KerasTensor

KerasHistory = collections.namedtuple(
    "KerasHistory", ["layer", "node_index", "tensor_index"]
)


class Node:
    """A layer's call on symbolic tensors: its inputs, outputs and parents.

    Args:
        layer: The layer that was called.
        call_args: The positional arguments of the call (may hold
            `KerasTensor`s anywhere in lists/dicts).
        call_kwargs: The keyword arguments of the call.
        outputs: The `KerasTensor` (or structure of them) the call returned.
    """

    def __init__(
        self,
        layer: Any,
        call_args: tuple = (),
        call_kwargs: dict | None = None,
        outputs: Any = None,
    ):
        self.layer = layer
        self.call_args = tuple(call_args)
        self.call_kwargs = dict(call_kwargs or {})
        self.outputs = outputs
        self.output_tensors = [
            x for x in nest.flatten(outputs) if isinstance(x, KerasTensor)
        ]
        self.input_tensors = [
            x
            for x in nest.flatten([list(self.call_args), self.call_kwargs])
            if isinstance(x, KerasTensor)
        ]
        # An `InputLayer`'s node has no symbolic inputs: it starts the graph.
        self.is_input = not self.input_tensors

        node_index = len(layer._inbound_nodes)
        layer._inbound_nodes.append(self)
        for parent in self.inbound_layers:
            parent._outbound_nodes.append(self)
        for tensor_index, tensor in enumerate(self.output_tensors):
            tensor._keras_history = KerasHistory(layer, node_index, tensor_index)

    @property
    def parent_nodes(self) -> list["Node"]:
        """The nodes that produced this node's inputs, without duplicates."""
        parents = []
        for tensor in self.input_tensors:
            history = tensor._keras_history
            if history is None:
                continue
            parent = history.layer._inbound_nodes[history.node_index]
            if all(parent is not known for known in parents):
                parents.append(parent)
        return parents

    @property
    def inbound_layers(self) -> list:
        """The layers that produced this node's inputs."""
        layers = []
        for tensor in self.input_tensors:
            history = tensor._keras_history
            if history is not None and all(history.layer is not x for x in layers):
                layers.append(history.layer)
        return layers

    def __repr__(self) -> str:
        return (
            f"<Node layer={self.layer.name!r} inputs={len(self.input_tensors)} "
            f"outputs={len(self.output_tensors)}>"
        )
