"""Helpers the recurrent cells and layers share: arguments, weights, configs.

Mirrors: keras/layers/recurrent.py (tf.keras 2.6),
keras/src/layers/rnn/simple_rnn.py (Keras 3)

`SimpleRNNCell`, `GRUCell` and `LSTMCell` take the same dozen arguments
(units, initializers, regularizers and constraints of `kernel`,
`recurrent_kernel` and `bias`, dropout rates, seed) and create the same three
weights, differing only in how many gates share them. Keras 3 spells this out
in each file; here it is written once.
"""

from typing import Any

import activations
import constraints
import initializers
import regularizers
from backend import random
from backend.ops.raw_ops import math as math_ops
from engine.base_layer import Layer
from layers.rnn.rnn import RNN
from utils.argument_validation import check_positive_count


def check_rate(layer: str, name: str, value: Any) -> float:
    """A dropout rate in `[0, 1)`, or Keras's message naming `layer`."""
    if not isinstance(value, (int, float)) or not 0 <= value < 1:
        raise ValueError(
            f"Received an invalid value for `{name}`, expected a float in "
            f"[0, 1). Received: {name}={value!r} (in layer {layer})."
        )
    return float(value)


def cell_config(cell: Layer, names: tuple) -> dict:
    """The cell arguments `names`, serialized, for the cell's or layer's config."""
    config = {}
    for name in names:
        value = getattr(cell, name)
        if name.endswith("activation"):
            value = activations.serialize(value)
        elif name.endswith("initializer"):
            value = initializers.serialize(value)
        elif name.endswith("regularizer"):
            value = regularizers.serialize(value)
        elif name.endswith("constraint"):
            value = constraints.serialize(value)
        config[name] = value
    return config


def layer_config(layer: RNN) -> dict:
    """A recurrent layer's config as Keras writes it: the `RNN` arguments and
    the cell's arguments side by side (no nested `cell`)."""
    config = RNN.get_config(layer)
    del config["cell"]
    cell = layer.cell.get_config()
    for key in ("name", "trainable", "dtype"):
        cell.pop(key, None)
    config.update(cell)
    config["activity_regularizer"] = regularizers.serialize(layer.activity_regularizer)
    return config


def cell_property(name: str) -> property:
    """A read-only attribute of the layer that reads the cell's, as Keras's do."""
    return property(lambda self: getattr(self.cell, name), doc=f"The cell's `{name}`.")


# The constructor arguments every recurrent cell shares, by family.
WEIGHT_ARGUMENTS = tuple(
    f"{weight}_{kind}"
    for kind in ("initializer", "regularizer", "constraint")
    for weight in ("kernel", "recurrent", "bias")
)


def init_recurrent_cell(
    cell: Layer,
    units: Any,
    use_bias: Any,
    weight_initializers: tuple,
    weight_regularizers: tuple,
    weight_constraints: tuple,
    dropout: Any,
    recurrent_dropout: Any,
    seed: Any,
) -> None:
    """Store and check the arguments every recurrent cell shares.

    The three `weight_*` arguments are each a `(kernel, recurrent, bias)`
    triple, in the order the cells' signatures list them.
    """
    name = type(cell).__name__
    cell.units = check_positive_count(units, "units", name)
    cell.use_bias = bool(use_bias)
    kernel, recurrent, bias = weight_initializers
    cell.kernel_initializer = initializers.get(kernel)
    cell.recurrent_initializer = initializers.get(recurrent)
    cell.bias_initializer = initializers.get(bias)
    kernel, recurrent, bias = weight_regularizers
    cell.kernel_regularizer = regularizers.get(kernel)
    cell.recurrent_regularizer = regularizers.get(recurrent)
    cell.bias_regularizer = regularizers.get(bias)
    kernel, recurrent, bias = weight_constraints
    cell.kernel_constraint = constraints.get(kernel)
    cell.recurrent_constraint = constraints.get(recurrent)
    cell.bias_constraint = constraints.get(bias)
    cell.dropout = check_rate(name, "dropout", dropout)
    cell.recurrent_dropout = check_rate(name, "recurrent_dropout", recurrent_dropout)
    cell.seed = seed
    # Only a cell that drops anything needs a random generator.
    cell.seed_generator = None
    if cell.dropout or cell.recurrent_dropout:
        cell.seed_generator = random.SeedGenerator(cell.seed)


def build_recurrent_weights(
    cell: Layer,
    input_shape: tuple,
    width: int,
    bias_shape: tuple,
    bias_initializer: Any = None,
) -> None:
    """`kernel (input_dim, width)`, `recurrent_kernel (units, width)`, `bias`."""
    cell.kernel = cell.add_weight(
        name="kernel",
        shape=(input_shape[-1], width),
        initializer=cell.kernel_initializer,
        regularizer=cell.kernel_regularizer,
        constraint=cell.kernel_constraint,
    )
    cell.recurrent_kernel = cell.add_weight(
        name="recurrent_kernel",
        shape=(cell.units, width),
        initializer=cell.recurrent_initializer,
        regularizer=cell.recurrent_regularizer,
        constraint=cell.recurrent_constraint,
    )
    cell.bias = None
    if cell.use_bias:
        cell.bias = cell.add_weight(
            name="bias",
            shape=bias_shape,
            initializer=bias_initializer or cell.bias_initializer,
            regularizer=cell.bias_regularizer,
            constraint=cell.bias_constraint,
        )


def check_recurrent_arguments(
    layer: Layer, units: Any, dropout: Any, recurrent_dropout: Any
) -> None:
    """Check a recurrent layer's cell arguments so the error names the layer,
    not the cell it is about to create."""
    name = type(layer).__name__
    check_positive_count(units, "units", name)
    check_rate(name, "dropout", dropout)
    check_rate(name, "recurrent_dropout", recurrent_dropout)


def check_use_cudnn(layer: Layer, use_cudnn: Any) -> Any:
    """`use_cudnn` if it is one of Keras's three values, else Keras's error."""
    if use_cudnn not in ("auto", True, False):
        raise ValueError(
            f"Invalid value for argument `use_cudnn` of {type(layer).__name__}. "
            "Expected one of {'auto', True, False}. "
            f"Received: use_cudnn={use_cudnn!r}"
        )
    return use_cudnn


def fused_loop_applies(layer: RNN, cell_class: type, training: bool) -> bool:
    """Whether `layer` may run its fused recurrence op instead of its cell.

    The op computes the plain `cell_class` step with `tanh` and `sigmoid`;
    a subclassed cell may compute something else, and a recurrent dropout
    mask in training changes every step. `use_cudnn=False` asks for the
    cell; `use_cudnn=True` insists on the op, so a configuration it cannot
    run is an error, as in Keras 3.
    """
    cell = layer.cell
    applies = (
        type(cell) is cell_class
        and cell.activation is activations.tanh
        and cell.recurrent_activation is activations.sigmoid
        and not (training and cell.recurrent_dropout)
    )
    if layer.use_cudnn is True and not applies:
        raise ValueError(
            f'Layer "{layer.name}" ({type(layer).__name__}): use_cudnn=True was '
            "given, but the fused op does not support this configuration (it "
            f"needs a plain {cell_class.__name__}, activation='tanh', "
            "recurrent_activation='sigmoid' and no recurrent_dropout in "
            "training). Received: "
            f"activation={activations.serialize(cell.activation)!r}, "
            "recurrent_activation="
            f"{activations.serialize(cell.recurrent_activation)!r}, "
            f"recurrent_dropout={cell.recurrent_dropout}. Pass "
            "use_cudnn='auto' to fall back to stepping the cell."
        )
    return applies and layer.use_cudnn is not False


def with_input_dropout(cell: Layer, sequences: Any, training: bool) -> Any:
    """`sequences` with the cell's input dropout mask applied at every step
    (in training), as stepping the cell would apply it."""
    if not (training and cell.dropout):
        return sequences
    mask = cell.get_dropout_mask(sequences[:, 0])
    return math_ops.multiply(sequences, mask[:, None, :])
