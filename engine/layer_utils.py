"""`print_summary`: the table `model.summary()` prints.

Mirrors: keras/utils/layer_utils.py (tf.keras 2.6), keras/src/utils/summary_utils.py
(Keras 3)

The plain-text table of tf.keras 2.x: one row per layer with its name and
class, output shape and parameter count, then the totals split into trainable
and non-trainable. Models whose graph is not a simple chain get a fourth
column, "Connected to", listing each layer's inputs as
`layer_name[node_index][tensor_index]`.
"""

from fnmatch import fnmatch
from typing import Any, Callable

import numpy as np

from backend import nest


def count_params(weights: list) -> int:
    """The number of scalars in `weights`, each shared weight counted once."""
    unique = {id(weight): weight for weight in weights}.values()
    return int(sum(np.prod(weight.shape, dtype=np.int64) for weight in unique))


def _format_shape(value: Any) -> str:
    if isinstance(value, (list, tuple)) and value and not nest.is_nested(value[0]):
        return str(tuple(value))
    return str(value)


def _relevant_nodes(model: Any) -> set | None:
    nodes = getattr(model, "_nodes", None)
    return None if nodes is None else {id(node) for node in nodes}


def _output_shape(layer: Any, relevant: set | None) -> str:
    """The shape(s) the layer outputs in this model, or "multiple" if ambiguous."""
    nodes = [
        node
        for node in layer._inbound_nodes
        if relevant is None or id(node) in relevant
    ]
    shapes = {
        str(nest.map_structure(lambda t: t.shape, node.outputs)) for node in nodes
    }
    if len(nodes) == 0 or len(shapes) != 1:
        return "multiple"
    outputs = nest.flatten(nodes[0].outputs)
    if len(outputs) == 1:
        return _format_shape(outputs[0].shape)
    return str([tuple(t.shape) for t in outputs])


def _connections(layer: Any, relevant: set | None) -> list[str]:
    connections = []
    for node in layer._inbound_nodes:
        if relevant is not None and id(node) not in relevant:
            continue
        for tensor in node.input_tensors:
            parent, node_index, tensor_index = tensor._keras_history
            connections.append(f"{parent.name}[{node_index}][{tensor_index}]")
    return connections


def _is_sequential_like(model: Any) -> bool:
    """A chain: each depth has one node with one input, no layer used twice."""
    if not getattr(model, "_is_graph_network", False):
        return True
    if type(model).__name__ == "Sequential":
        return True
    used = set()
    for node in model._nodes:
        if len(node.input_tensors) > 1 or id(node.layer) in used:
            return False
        used.add(id(node.layer))
    depths = [model._node_depths[id(node)] for node in model._nodes]
    return len(depths) == len(set(depths))


def _rows(model: Any, expand_nested: bool, depth: int) -> list:
    """`(layer, depth, owning model)` for each row, nested models expanded."""
    rows = []
    for layer in model.layers:
        rows.append((layer, depth, model))
        if expand_nested and hasattr(layer, "layers") and layer.built:
            rows.extend(_rows(layer, expand_nested, depth + 1))
    return rows


def _select_range(rows: list, layer_range: tuple, model_name: str) -> list:
    if len(layer_range) != 2:
        raise ValueError(
            f"`layer_range` of the summary of {model_name!r} must be a pair "
            f"(first_name, last_name). Received: layer_range={layer_range!r}"
        )
    names = [layer.name for layer, _, _ in rows]
    starts = [i for i, name in enumerate(names) if fnmatch(name, layer_range[0])]
    ends = [i for i, name in enumerate(names) if fnmatch(name, layer_range[1])]
    if not starts or not ends:
        raise ValueError(
            f"`layer_range` {layer_range!r} matches no layer of model "
            f"{model_name!r}. Its layers are: {names}."
        )
    return rows[starts[0] : ends[-1] + 1]


def _wrap(text: str, width: int) -> list[str]:
    """Cut `text` into pieces of at most `width` characters."""
    width = max(width, 1)
    return [text[start : start + width] for start in range(0, len(text), width)] or [""]


def print_summary(
    model: Any,
    line_length: int | None = None,
    positions: list | None = None,
    print_fn: Callable[[str], Any] | None = None,
    expand_nested: bool = False,
    show_trainable: bool = False,
    layer_range: tuple | None = None,
) -> None:
    """Print `model`'s layers, output shapes and parameter counts as a table.

    Args:
        model: A built model.
        line_length: Total width of the table (65 for a chain of layers, 98
            when a "Connected to" column is needed).
        positions: Right edge of each column, as fractions of `line_length`
            or as absolute positions.
        print_fn: Called with each line; defaults to `print`.
        expand_nested: Also list the layers of nested models, indented.
        show_trainable: Add a "Trainable" column (`Y` / `N`).
        layer_range: `(first, last)` layer names (shell patterns allowed):
            print only the rows from the first match to the last.
    """
    print_fn = print_fn or print
    sequential_like = _is_sequential_like(model)
    if sequential_like:
        line_length = line_length or 65
        positions = positions or [0.45, 0.85, 1.0]
        headers = ["Layer (type)", "Output Shape", "Param #"]
    else:
        line_length = line_length or 98
        positions = positions or [0.3, 0.6, 0.7, 1.0]
        headers = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]
    if show_trainable:
        line_length += 11
        positions = positions + [line_length]
        headers = headers + ["Trainable"]

    def print_row(fields: list) -> None:
        starts = [0] + positions[:-1]
        # A column's text is cut to its width (leaving a space before the next
        # column) and continues on the next line, as Keras does for long shapes.
        # The first column starts one space in, the others at their position.
        widths = [end - start - 2 for start, end in zip(starts, positions)]
        widths[0] -= 1
        cells = [_wrap(str(field), width) for field, width in zip(fields, widths)]
        for row in range(max(len(cell) for cell in cells)):
            line = " "
            for cell, start in zip(cells, starts):
                line = line.ljust(start) if start else line
                line += cell[row] if row < len(cell) else ""
            print_fn(line.ljust(line_length))

    print_fn(f'Model: "{model.name}"')
    print_fn("_" * line_length)
    print_row(headers)
    print_fn("=" * line_length)
    rows = _rows(model, expand_nested, depth=0)
    if layer_range is not None:
        rows = _select_range(rows, layer_range, model.name)
    for index, (layer, depth, owner) in enumerate(rows):
        params = layer.count_params() if layer.built else 0
        fields = [" " * depth + f"{layer.name} ({type(layer).__name__})"]
        fields += [_output_shape(layer, _relevant_nodes(owner)), f"{params:,}"]
        if not sequential_like:
            connections = _connections(layer, _relevant_nodes(owner)) or [""]
            fields.append(connections[0])
        if show_trainable:
            fields.append("Y" if layer.trainable else "N")
        print_row(fields)
        if not sequential_like:
            for extra in connections[1:]:
                print_row(["", "", "", extra] + ([""] if show_trainable else []))
        if index < len(rows) - 1:
            print_fn(" " * line_length)
    print_fn("=" * line_length)
    trainable = count_params(model.trainable_weights)
    non_trainable = count_params(model.non_trainable_weights)
    print_fn(f"Total params: {trainable + non_trainable:,}")
    print_fn(f"Trainable params: {trainable:,}")
    print_fn(f"Non-trainable params: {non_trainable:,}")
    print_fn("_" * line_length)
