"""`SimpleRNNCell` and `SimpleRNN`: the plain recurrence `h = tanh(x W + h U + b)`.

Mirrors: keras/layers/recurrent.py (tf.keras 2.6),
keras/src/layers/rnn/simple_rnn.py (Keras 3)
"""

from typing import Any

import activations
from api_export import export
from backend.ops.raw_ops import array as array_ops
from backend.ops.raw_ops import math as math_ops
from engine.base_layer import Layer
from layers.rnn.dropout_rnn_cell import DropoutRNNCell
from layers.rnn.rnn import RNN
from layers.rnn.rnn_utils import (
    WEIGHT_ARGUMENTS,
    build_recurrent_weights,
    cell_config,
    cell_property,
    check_recurrent_arguments,
    init_recurrent_cell,
    layer_config,
)


@export("nanokeras.layers.SimpleRNNCell")
class SimpleRNNCell(Layer, DropoutRNNCell):
    """Adds to `Layer` one step of the plain recurrence, for `RNN` to loop.

    `output = activation(inputs @ kernel + bias + previous @ recurrent_kernel)`,
    and the output is also the new state.

    Args:
        units: Positive integer, the size of the output and of the state.
        activation: Activation name or function (default `"tanh"`).
        use_bias: Whether to add a bias vector.
        kernel_initializer: Initializer of the `(input_dim, units)` kernel.
        recurrent_initializer: Initializer of the `(units, units)`
            `recurrent_kernel` (default `"orthogonal"`).
        bias_initializer: Initializer of the `(units,)` bias.
        kernel_regularizer: Regularizer of the kernel.
        recurrent_regularizer: Regularizer of the recurrent kernel.
        bias_regularizer: Regularizer of the bias.
        kernel_constraint: Constraint on the kernel.
        recurrent_constraint: Constraint on the recurrent kernel.
        bias_constraint: Constraint on the bias.
        dropout: Fraction of the inputs dropped in training (one mask per
            sequence).
        recurrent_dropout: Fraction of the previous state dropped in training.
        seed: Seed of the dropout masks.
        **kwargs: `Layer` arguments (`name`, `dtype`, ...).

    Example:

    >>> cell = SimpleRNNCell(4)
    >>> output, state = cell(np.ones((2, 3)), [np.zeros((2, 4))])
    >>> output.shape
    (2, 4)
    """

    def __init__(
        self,
        units: int,
        activation: Any = "tanh",
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        recurrent_initializer: Any = "orthogonal",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        recurrent_regularizer: Any = None,
        bias_regularizer: Any = None,
        kernel_constraint: Any = None,
        recurrent_constraint: Any = None,
        bias_constraint: Any = None,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        seed: int | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        init_recurrent_cell(
            self,
            units,
            use_bias,
            (kernel_initializer, recurrent_initializer, bias_initializer),
            (kernel_regularizer, recurrent_regularizer, bias_regularizer),
            (kernel_constraint, recurrent_constraint, bias_constraint),
            dropout,
            recurrent_dropout,
            seed,
        )
        self.activation = activations.get(activation)
        self.state_size = self.units
        self.output_size = self.units

    def build(self, input_shape: tuple) -> None:
        build_recurrent_weights(self, input_shape, self.units, (self.units,))

    def call(self, sequence: Any, states: Any, training: bool = False) -> Any:
        previous = states[0] if isinstance(states, (list, tuple)) else states
        input_mask = self.get_dropout_mask(sequence)
        state_mask = self.get_recurrent_dropout_mask(previous)
        if training and input_mask is not None:
            sequence = math_ops.multiply(sequence, input_mask)
        h = math_ops.matmul(sequence, self.kernel)
        if self.bias is not None:
            h = math_ops.add(h, self.bias)
        if training and state_mask is not None:
            previous = math_ops.multiply(previous, state_mask)
        output = self.activation(
            math_ops.add(h, math_ops.matmul(previous, self.recurrent_kernel))
        )
        return output, [output] if isinstance(states, (list, tuple)) else output

    def get_initial_state(self, batch_size: int | None = None) -> list:
        """The zero state `h` for a batch: one `(batch_size, units)` array."""
        return [array_ops.zeros((batch_size, self.units), dtype=self.compute_dtype)]

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            cell_config(
                self,
                ("units", "activation", "use_bias", *WEIGHT_ARGUMENTS)
                + ("dropout", "recurrent_dropout", "seed"),
            )
        )
        return config


@export("nanokeras.layers.SimpleRNN")
class SimpleRNN(RNN):
    """Adds to `RNN` a `SimpleRNNCell` built from the layer's arguments.

    Simplified: `stateful=True` raises NotImplementedError (see `RNN`).

    Args:
        units: Positive integer, the size of the output and of the state.
        activation: Activation name or function (default `"tanh"`).
        use_bias: Whether to add a bias vector.
        kernel_initializer: Initializer of the `(input_dim, units)` kernel.
        recurrent_initializer: Initializer of the `(units, units)` kernel.
        bias_initializer: Initializer of the `(units,)` bias.
        kernel_regularizer: Regularizer of the kernel.
        recurrent_regularizer: Regularizer of the recurrent kernel.
        bias_regularizer: Regularizer of the bias.
        activity_regularizer: Regularizer of the output.
        kernel_constraint: Constraint on the kernel.
        recurrent_constraint: Constraint on the recurrent kernel.
        bias_constraint: Constraint on the bias.
        dropout: Fraction of the inputs dropped in training.
        recurrent_dropout: Fraction of the previous state dropped in training.
        return_sequences: Return every step's output, not only the last.
        return_state: Also return the final state.
        go_backwards: Walk the sequence from its end.
        stateful: Not supported (raises NotImplementedError).
        unroll: Accepted; the loop is always unrolled.
        seed: Seed of the dropout masks.
        **kwargs: `Layer` arguments (`name`, `dtype`, `input_shape`, ...).

    Input shape:
        `(batch_size, timesteps, features)`.

    Output shape:
        `(batch_size, units)`, or `(batch_size, timesteps, units)` with
        `return_sequences`; with `return_state`, `(output, state)`.

    Example:

    >>> SimpleRNN(4, return_sequences=True)(np.ones((2, 5, 3))).shape
    (2, 5, 4)
    """

    def __init__(
        self,
        units: int,
        activation: Any = "tanh",
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        recurrent_initializer: Any = "orthogonal",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        recurrent_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        recurrent_constraint: Any = None,
        bias_constraint: Any = None,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        unroll: bool = False,
        seed: int | None = None,
        **kwargs,
    ):
        check_recurrent_arguments(self, units, dropout, recurrent_dropout)
        cell = SimpleRNNCell(
            units,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seed=seed,
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True),
            name="simple_rnn_cell",
        )
        super().__init__(
            cell,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            unroll=unroll,
            activity_regularizer=activity_regularizer,
            **kwargs,
        )

    units = cell_property("units")
    activation = cell_property("activation")
    use_bias = cell_property("use_bias")
    dropout = cell_property("dropout")
    recurrent_dropout = cell_property("recurrent_dropout")

    def get_config(self) -> dict:
        return layer_config(self)

    @classmethod
    def from_config(cls, config: dict) -> "SimpleRNN":
        return cls(**config)
