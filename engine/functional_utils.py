"""Turning a functional graph into a config and back.

Mirrors: keras/engine/functional.py `get_network_config` /
`reconstruct_from_config` (tf.keras 2.6), keras/src/models/functional.py
`functional_from_config` (Keras 3)

A functional model's config lists each layer's own config plus its
`inbound_nodes`: for every call of the layer inside this model, the call's
arguments with each `KerasTensor` replaced by the reference
`[layer_name, node_index, tensor_index]` of the call that produced it.
Rebuilding creates the layers, then replays the calls in an order where every
referenced tensor already exists.
"""

from typing import Any

from backend import nest
from engine.keras_tensor import KerasTensor
from saving import serialization_lib

_TENSOR = "__keras_tensor__"


def serialize_layer(layer: Any) -> dict:
    """One layer's entry in a model config (Keras 3's dict, no weights)."""
    return serialization_lib.serialize_keras_object(layer)


def deserialize_layer(config: dict, custom_objects: dict | None = None) -> Any:
    """Create a layer from `serialize_layer`'s output (through saving's resolver).

    A `TFOpLambda` (an op called on KerasTensors) is not exported, as in
    tf.keras; the graph code that makes these layers also reads them back.
    """
    if config.get("class_name") == "TFOpLambda":
        from layers.core.tf_op_layer import TFOpLambda

        return TFOpLambda.from_config(config["config"])
    return serialization_lib.deserialize_keras_object(config, custom_objects)


def serialize_graph(model: Any) -> dict:
    """The config of a functional model: layers, their calls, inputs, outputs."""
    in_model = {id(node) for node in model._nodes}
    # A layer may also be called outside this model: number only its calls
    # that belong here, so the indices are valid in the rebuilt model.
    new_index = {}
    for layer in model.layers:
        kept = [node for node in layer._inbound_nodes if id(node) in in_model]
        for index, node in enumerate(kept):
            new_index[id(node)] = index

    def reference(tensor: KerasTensor) -> list:
        layer, node_index, tensor_index = tensor._keras_history
        node = layer._inbound_nodes[node_index]
        return [layer.name, new_index[id(node)], tensor_index]

    def encode(value: Any) -> Any:
        if isinstance(value, KerasTensor):
            return {
                "class_name": _TENSOR,
                "config": {"keras_history": reference(value)},
            }
        return value

    layers = []
    for layer in model.layers:
        entry = serialize_layer(layer)
        entry["name"] = layer.name
        entry["inbound_nodes"] = [
            {
                "args": nest.map_structure(encode, list(node.call_args)),
                "kwargs": nest.map_structure(encode, dict(node.call_kwargs)),
            }
            for node in layer._inbound_nodes
            if id(node) in in_model and not node.is_input
        ]
        layers.append(entry)
    return {
        "name": model.name,
        "trainable": model.trainable,
        "layers": layers,
        "input_layers": nest.map_structure(reference, model._inputs_struct),
        "output_layers": nest.map_structure(reference, model._outputs_struct),
    }


def _is_reference(value: Any) -> bool:
    return isinstance(value, dict) and value.get("class_name") == _TENSOR


def rebuild_graph(
    config: dict, custom_objects: dict | None = None, make_layer: Any = None
) -> tuple:
    """Create the layers of `config` and replay their calls: `(inputs, outputs)`.

    `make_layer(entry)` replaces deserializing each layer entry (`clone_model`
    passes its `clone_function` this way).
    """
    layers, pending, produced = {}, {}, {}
    for entry in config["layers"]:
        if make_layer is not None:
            layer = make_layer(entry)
        else:
            layer = deserialize_layer(entry, custom_objects)
        name = entry.get("name", layer.name)
        layers[name], pending[name] = layer, list(entry.get("inbound_nodes", []))
        if not pending[name] and layer._inbound_nodes:  # an InputLayer
            produced[(name, 0)] = nest.flatten(layer._inbound_nodes[-1].outputs)

    def resolve(reference: list) -> KerasTensor:
        name, node_index, tensor_index = reference
        return produced[(name, node_index)][tensor_index]

    def ready(value: Any) -> bool:
        return not _is_reference(value) or (
            tuple(value["config"]["keras_history"][:2]) in produced
        )

    def decode(value: Any) -> Any:
        return (
            resolve(value["config"]["keras_history"]) if _is_reference(value) else value
        )

    # Replay calls until none is left; each pass runs every call whose inputs
    # exist. A pass without progress means a reference cannot be satisfied.
    while any(pending.values()):
        progress = False
        for name, calls in pending.items():
            while calls and all(
                ready(leaf)
                for leaf in nest.leaves(
                    [calls[0]["args"], calls[0]["kwargs"]], is_leaf=_is_reference
                )
            ):
                call = calls.pop(0)
                args = _map(decode, call["args"])
                kwargs = _map(decode, call["kwargs"])
                outputs = layers[name](*args, **kwargs)
                done = sum(1 for key in produced if key[0] == name)
                produced[(name, done)] = nest.flatten(outputs)
                progress = True
        if not progress:
            stuck = [name for name, calls in pending.items() if calls]
            raise ValueError(
                f"Cannot rebuild the model {config.get('name')!r} from its "
                f"config: the calls of layers {stuck} refer to tensors no layer "
                "produces."
            )
    inputs = _map_references(resolve, config["input_layers"])
    outputs = _map_references(resolve, config["output_layers"])
    return inputs, outputs


def _map_references(resolve, structure: Any) -> Any:
    """`input_layers`/`output_layers`: bare `[name, node, tensor]` lists -> tensors."""
    if isinstance(structure, dict):
        return {
            key: _map_references(resolve, value) for key, value in structure.items()
        }
    if len(structure) == 3 and isinstance(structure[0], str):
        return resolve(structure)
    return [_map_references(resolve, value) for value in structure]


def _map(func, structure: Any) -> Any:
    """Apply `func` to the leaves (tensor references count as leaves)."""
    if _is_reference(structure):
        return func(structure)
    if isinstance(structure, dict):
        return {key: _map(func, value) for key, value in structure.items()}
    if isinstance(structure, (list, tuple)):
        return type(structure)(_map(func, value) for value in structure)
    return func(structure)
