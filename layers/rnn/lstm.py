"""`LSTMCell` and `LSTM`: long short-term memory (Hochreiter and Schmidhuber, 1997).

Mirrors: keras/layers/recurrent_v2.py (tf.keras 2.6),
keras/src/layers/rnn/lstm.py (Keras 3)

An LSTM carries two states: `h`, its output, and `c`, a "carry" that
changes only through gated additions, so gradients can flow across many
steps without vanishing. Four gates are computed from the input and `h`,
side by side in one kernel in the order `[i | f | c | o]`:

    i, f, o = sigmoid(...)       g = tanh(...)       (x W + h U + b, split)
    c_new = f * c + i * g        h_new = o * tanh(c_new)

`LSTM` runs the same equations over a whole sequence as one fused op,
`backend.ops.rnn.lstm` (where Keras 3 calls cuDNN), whenever that computes
exactly what stepping the cell would.
"""

from typing import Any

import numpy as np

import activations
from api_export import export
from backend.ops import rnn as rnn_ops
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
    check_use_cudnn,
    fused_loop_applies,
    init_recurrent_cell,
    layer_config,
    with_input_dropout,
)


@export("nanokeras.layers.LSTMCell")
class LSTMCell(Layer, DropoutRNNCell):
    """Adds to `Layer` one LSTM step (input, forget, cell, output gates), for `RNN`.

    Weights as Keras: `kernel (input_dim, 4 * units)`, `recurrent_kernel
    (units, 4 * units)`, `bias (4 * units,)`, gates in the order i, f, c, o.
    The states are `[h, c]`.

    Args:
        units: Positive integer, the size of each state.
        activation: Activation of the candidate and of the carry's output
            (default `"tanh"`).
        recurrent_activation: Activation of the gates (default `"sigmoid"`).
        use_bias: Whether to add a bias.
        kernel_initializer: Initializer of the kernel.
        recurrent_initializer: Initializer of the recurrent kernel.
        bias_initializer: Initializer of the bias.
        unit_forget_bias: Start the forget gate's bias at 1 (and the rest
            with `bias_initializer`), so the carry is kept at first
            (Jozefowicz et al., 2015).
        kernel_regularizer: Regularizer of the kernel.
        recurrent_regularizer: Regularizer of the recurrent kernel.
        bias_regularizer: Regularizer of the bias.
        kernel_constraint: Constraint on the kernel.
        recurrent_constraint: Constraint on the recurrent kernel.
        bias_constraint: Constraint on the bias.
        dropout: Fraction of the inputs dropped in training.
        recurrent_dropout: Fraction of the previous `h` dropped in training.
        seed: Seed of the dropout masks.
        **kwargs: `Layer` arguments (`name`, `dtype`, ...).
    """

    def __init__(
        self,
        units: int,
        activation: Any = "tanh",
        recurrent_activation: Any = "sigmoid",
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        recurrent_initializer: Any = "orthogonal",
        bias_initializer: Any = "zeros",
        unit_forget_bias: bool = True,
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
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = bool(unit_forget_bias)
        self.state_size = [self.units, self.units]
        self.output_size = self.units

    def build(self, input_shape: tuple) -> None:
        width = 4 * self.units
        bias_initializer = None
        if self.use_bias and self.unit_forget_bias:
            units, base = self.units, self.bias_initializer

            def bias_initializer(shape, dtype=None):
                # [i | f | c | o]: ones for the forget gate, the rest as asked.
                return np.concatenate(
                    [
                        np.asarray(base((units,), dtype=dtype)),
                        np.ones((units,), dtype=dtype),
                        np.asarray(base((2 * units,), dtype=dtype)),
                    ]
                )

        build_recurrent_weights(self, input_shape, width, (width,), bias_initializer)

    def call(self, inputs: Any, states: Any, training: bool = False) -> Any:
        h_previous, c_previous = states[0], states[1]
        input_mask = self.get_dropout_mask(inputs)
        state_mask = self.get_recurrent_dropout_mask(h_previous)
        if training and input_mask is not None:
            inputs = math_ops.multiply(inputs, input_mask)
        if training and state_mask is not None:
            h_previous = math_ops.multiply(h_previous, state_mask)
        z = math_ops.add(
            math_ops.matmul(inputs, self.kernel),
            math_ops.matmul(h_previous, self.recurrent_kernel),
        )
        if self.bias is not None:
            z = math_ops.add(z, self.bias)
        units = self.units
        i = self.recurrent_activation(z[:, :units])
        f = self.recurrent_activation(z[:, units : 2 * units])
        g = self.activation(z[:, 2 * units : 3 * units])
        o = self.recurrent_activation(z[:, 3 * units :])
        c = math_ops.add(math_ops.multiply(f, c_previous), math_ops.multiply(i, g))
        h = math_ops.multiply(o, self.activation(c))
        return h, [h, c]

    def get_initial_state(self, batch_size: int | None = None) -> list:
        """The zero states `h` and `c` for a batch, each `(batch_size, units)`."""
        return [
            array_ops.zeros((batch_size, self.units), dtype=self.compute_dtype)
            for _ in range(2)
        ]

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            cell_config(
                self,
                ("units", "activation", "recurrent_activation", "use_bias")
                + WEIGHT_ARGUMENTS
                + ("unit_forget_bias", "dropout", "recurrent_dropout", "seed"),
            )
        )
        return config


@export("nanokeras.layers.LSTM")
class LSTM(RNN):
    """Adds to `RNN` an `LSTMCell` built from the layer's arguments.

    Keras 3's defaults (`unit_forget_bias=True`, `recurrent_activation=
    "sigmoid"`). Where Keras 3 runs cuDNN, this runs the fused numpy op
    `backend.ops.rnn.lstm` (see `inner_loop`). Simplified: `stateful=True`
    raises NotImplementedError.

    Args:
        units: Positive integer, the size of each state (`h` and `c`).
        activation: Activation of the candidate (default `"tanh"`).
        recurrent_activation: Activation of the gates (default `"sigmoid"`).
        use_bias: Whether to add biases.
        kernel_initializer: Initializer of the kernel.
        recurrent_initializer: Initializer of the recurrent kernel.
        bias_initializer: Initializer of the bias.
        unit_forget_bias: Start the forget gate's bias at 1.
        kernel_regularizer: Regularizer of the kernel.
        recurrent_regularizer: Regularizer of the recurrent kernel.
        bias_regularizer: Regularizer of the bias.
        activity_regularizer: Regularizer of the output.
        kernel_constraint: Constraint on the kernel.
        recurrent_constraint: Constraint on the recurrent kernel.
        bias_constraint: Constraint on the bias.
        dropout: Fraction of the inputs dropped in training.
        recurrent_dropout: Fraction of the previous state dropped in training.
        seed: Seed of the dropout masks.
        return_sequences: Return every step's output, not only the last.
        return_state: Also return the final state.
        go_backwards: Walk the sequence from its end.
        stateful: Not supported (raises NotImplementedError).
        unroll: Accepted; the loop is always unrolled.
        use_cudnn: `"auto"` runs the fused op when it applies, `True`
            insists on it (ValueError when it does not apply), `False`
            always steps the cell.
        **kwargs: `Layer` arguments (`name`, `dtype`, `input_shape`, ...).

    Input shape:
        `(batch_size, timesteps, features)`.

    Output shape:
        `(batch_size, units)`, or `(batch_size, timesteps, units)` with
        `return_sequences`; with `return_state`, `(output, h, c)`.

    Example:

    >>> output, h, c = LSTM(4, return_state=True)(np.ones((2, 5, 3)))
    >>> output.shape, h.shape, c.shape
    ((2, 4), (2, 4), (2, 4))
    """

    def __init__(
        self,
        units: int,
        activation: Any = "tanh",
        recurrent_activation: Any = "sigmoid",
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        recurrent_initializer: Any = "orthogonal",
        bias_initializer: Any = "zeros",
        unit_forget_bias: bool = True,
        kernel_regularizer: Any = None,
        recurrent_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        recurrent_constraint: Any = None,
        bias_constraint: Any = None,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        seed: int | None = None,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        unroll: bool = False,
        use_cudnn: Any = "auto",
        **kwargs,
    ):
        check_recurrent_arguments(self, units, dropout, recurrent_dropout)
        cell = LSTMCell(
            units,
            activation=activation,
            recurrent_activation=recurrent_activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            unit_forget_bias=unit_forget_bias,
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
            name="lstm_cell",
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
        self.use_cudnn = check_use_cudnn(self, use_cudnn)

    units = cell_property("units")
    activation = cell_property("activation")
    recurrent_activation = cell_property("recurrent_activation")
    use_bias = cell_property("use_bias")
    unit_forget_bias = cell_property("unit_forget_bias")
    dropout = cell_property("dropout")
    recurrent_dropout = cell_property("recurrent_dropout")

    def inner_loop(
        self, sequences: Any, initial_state: list, mask: Any, training: bool = False
    ) -> tuple:
        """The whole recurrence as one fused op when it computes what the
        cell would; else the cell, step by step.

        `rnn_ops.lstm` runs the equations of `LSTMCell.call` for all steps
        and backpropagates through time in one pass. It serves the plain
        cell (`tanh` and `sigmoid`) with any mask and input dropout; a
        recurrent dropout mask in training, other activations, a subclassed
        cell or `use_cudnn=False` take the general loop.
        """
        if not fused_loop_applies(self, LSTMCell, training):
            return super().inner_loop(sequences, initial_state, mask, training)
        return rnn_ops.lstm(
            with_input_dropout(self.cell, sequences, training),
            initial_state[0],
            initial_state[1],
            mask,
            kernel=self.cell.kernel,
            recurrent_kernel=self.cell.recurrent_kernel,
            bias=self.cell.bias,
            return_sequences=self.return_sequences,
            go_backwards=self.go_backwards,
            zero_output_for_mask=self.zero_output_for_mask,
        )

    def get_config(self) -> dict:
        return layer_config(self)

    @classmethod
    def from_config(cls, config: dict) -> "LSTM":
        return cls(**config)
