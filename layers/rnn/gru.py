"""`GRUCell` and `GRU`: the gated recurrent unit (Cho et al., 2014).

Mirrors: keras/layers/recurrent_v2.py (tf.keras 2.6),
keras/src/layers/rnn/gru.py (Keras 3)

A GRU keeps one state `h` and two gates computed from the input and `h`:
the update gate `z` (how much of the old state to keep) and the reset gate
`r` (how much of the old state the candidate may see):

    z = sigmoid(x Wz + h Uz + bz)          r = sigmoid(x Wr + h Ur + br)
    candidate = tanh(x Wh + r * (h Uh + bh'))    (reset_after=True)
    h_new = z * h + (1 - z) * candidate

The three gates' weights sit side by side in one kernel, `[z | r | h]`, so
each step is two matrix products for all gates at once.

`GRU` runs the same equations over a whole sequence as one fused op,
`backend.ops.rnn.gru` (where Keras 3 calls cuDNN), whenever that computes
exactly what stepping the cell would.
"""

from typing import Any

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


@export("nanokeras.layers.GRUCell")
class GRUCell(Layer, DropoutRNNCell):
    """Adds to `Layer` one GRU step (update and reset gates), for `RNN` to loop.

    Weights as Keras: `kernel (input_dim, 3 * units)`, `recurrent_kernel
    (units, 3 * units)`, gates in the order z, r, h; `bias (2, 3 * units)`
    (input and recurrent biases) with `reset_after=True`, else
    `(3 * units,)`.

    Args:
        units: Positive integer, the size of the state.
        activation: Activation of the candidate (default `"tanh"`).
        recurrent_activation: Activation of the gates (default `"sigmoid"`).
        use_bias: Whether to add biases.
        kernel_initializer: Initializer of the kernel.
        recurrent_initializer: Initializer of the recurrent kernel.
        bias_initializer: Initializer of the bias.
        kernel_regularizer: Regularizer of the kernel.
        recurrent_regularizer: Regularizer of the recurrent kernel.
        bias_regularizer: Regularizer of the bias.
        kernel_constraint: Constraint on the kernel.
        recurrent_constraint: Constraint on the recurrent kernel.
        bias_constraint: Constraint on the bias.
        dropout: Fraction of the inputs dropped in training.
        recurrent_dropout: Fraction of the previous state dropped in training.
        reset_after: Apply the reset gate after the recurrent product (the
            Keras 3 and cuDNN convention) rather than before it.
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
        kernel_regularizer: Any = None,
        recurrent_regularizer: Any = None,
        bias_regularizer: Any = None,
        kernel_constraint: Any = None,
        recurrent_constraint: Any = None,
        bias_constraint: Any = None,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        reset_after: bool = True,
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
        self.reset_after = bool(reset_after)
        self.state_size = self.units
        self.output_size = self.units

    def build(self, input_shape: tuple) -> None:
        width = 3 * self.units
        bias_shape = (2, width) if self.reset_after else (width,)
        build_recurrent_weights(self, input_shape, width, bias_shape)

    def call(self, inputs: Any, states: Any, training: bool = False) -> Any:
        nested = isinstance(states, (list, tuple))
        h_previous = states[0] if nested else states
        input_mask = self.get_dropout_mask(inputs)
        state_mask = self.get_recurrent_dropout_mask(h_previous)
        h_seen = h_previous
        if training and input_mask is not None:
            inputs = math_ops.multiply(inputs, input_mask)
        if training and state_mask is not None:
            h_seen = math_ops.multiply(h_previous, state_mask)
        units = self.units
        kernel_part = math_ops.matmul(inputs, self.kernel)
        if self.bias is not None:
            input_bias = self.bias[0] if self.reset_after else self.bias
            kernel_part = math_ops.add(kernel_part, input_bias)
        if self.reset_after:
            recurrent_part = math_ops.matmul(h_seen, self.recurrent_kernel)
            if self.bias is not None:
                recurrent_part = math_ops.add(recurrent_part, self.bias[1])
        else:
            recurrent_part = math_ops.matmul(
                h_seen, self.recurrent_kernel[:, : 2 * units]
            )
        z = self.recurrent_activation(
            math_ops.add(kernel_part[:, :units], recurrent_part[:, :units])
        )
        r = self.recurrent_activation(
            math_ops.add(
                kernel_part[:, units : 2 * units], recurrent_part[:, units : 2 * units]
            )
        )
        if self.reset_after:
            recurrent_h = math_ops.multiply(r, recurrent_part[:, 2 * units :])
        else:
            recurrent_h = math_ops.matmul(
                math_ops.multiply(r, h_seen), self.recurrent_kernel[:, 2 * units :]
            )
        candidate = self.activation(
            math_ops.add(kernel_part[:, 2 * units :], recurrent_h)
        )
        # h = z * h_previous + (1 - z) * candidate
        h = math_ops.add(
            math_ops.multiply(z, h_previous),
            math_ops.multiply(math_ops.subtract(1.0, z), candidate),
        )
        return h, [h] if nested else h

    def get_initial_state(self, batch_size: int | None = None) -> list:
        """The zero state `h` for a batch: one `(batch_size, units)` array."""
        return [array_ops.zeros((batch_size, self.units), dtype=self.compute_dtype)]

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            cell_config(
                self,
                ("units", "activation", "recurrent_activation", "use_bias")
                + WEIGHT_ARGUMENTS
                + ("dropout", "recurrent_dropout", "reset_after", "seed"),
            )
        )
        return config


@export("nanokeras.layers.GRU")
class GRU(RNN):
    """Adds to `RNN` a `GRUCell` built from the layer's arguments.

    Keras 3's defaults (`reset_after=True`, `recurrent_activation="sigmoid"`).
    Where Keras 3 runs cuDNN, this runs the fused numpy op
    `backend.ops.rnn.gru` (see `inner_loop`). Simplified: `stateful=True`
    raises NotImplementedError.

    Args:
        units: Positive integer, the size of the state.
        activation: Activation of the candidate (default `"tanh"`).
        recurrent_activation: Activation of the gates (default `"sigmoid"`).
        use_bias: Whether to add biases.
        kernel_initializer: Initializer of the kernel.
        recurrent_initializer: Initializer of the recurrent kernel.
        bias_initializer: Initializer of the bias.
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
        reset_after: Apply the reset gate after the recurrent product.
        use_cudnn: `"auto"` runs the fused op when it applies, `True`
            insists on it (ValueError when it does not apply), `False`
            always steps the cell.
        **kwargs: `Layer` arguments (`name`, `dtype`, `input_shape`, ...).

    Input shape:
        `(batch_size, timesteps, features)`.

    Output shape:
        `(batch_size, units)`, or `(batch_size, timesteps, units)` with
        `return_sequences`; with `return_state`, `(output, state)`.

    Example:

    >>> output, state = GRU(4, return_state=True)(np.ones((2, 5, 3)))
    >>> output.shape, state.shape
    ((2, 4), (2, 4))
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
        reset_after: bool = True,
        use_cudnn: Any = "auto",
        **kwargs,
    ):
        check_recurrent_arguments(self, units, dropout, recurrent_dropout)
        cell = GRUCell(
            units,
            activation=activation,
            recurrent_activation=recurrent_activation,
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
            reset_after=reset_after,
            seed=seed,
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True),
            name="gru_cell",
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
    reset_after = cell_property("reset_after")
    dropout = cell_property("dropout")
    recurrent_dropout = cell_property("recurrent_dropout")

    def inner_loop(
        self, sequences: Any, initial_state: list, mask: Any, training: bool = False
    ) -> tuple:
        """The whole recurrence as one fused op when it computes what the
        cell would; else the cell, step by step.

        `rnn_ops.gru` runs the equations of `GRUCell.call` for all steps
        and backpropagates through time in one pass, for either
        `reset_after`, under the same conditions as `LSTM.inner_loop`.
        """
        if not fused_loop_applies(self, GRUCell, training):
            return super().inner_loop(sequences, initial_state, mask, training)
        return rnn_ops.gru(
            with_input_dropout(self.cell, sequences, training),
            initial_state[0],
            mask,
            kernel=self.cell.kernel,
            recurrent_kernel=self.cell.recurrent_kernel,
            bias=self.cell.bias,
            return_sequences=self.return_sequences,
            go_backwards=self.go_backwards,
            reset_after=self.cell.reset_after,
            zero_output_for_mask=self.zero_output_for_mask,
        )

    def get_config(self) -> dict:
        return layer_config(self)

    @classmethod
    def from_config(cls, config: dict) -> "GRU":
        return cls(**config)
