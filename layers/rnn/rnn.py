"""`RNN`: run a cell over the timesteps of a sequence, carrying its state.

Mirrors: keras/layers/recurrent.py (tf.keras 2.6), keras/src/layers/rnn/rnn.py
(Keras 3)

A recurrent layer is two objects. The *cell* knows one step: given the
inputs at time `t` and the states after `t - 1`, it returns an output and
the new states (`SimpleRNNCell`, `GRUCell`, `LSTMCell`). The `RNN` layer
knows time: it feeds the cell one timestep after another, carries the
states from step to step, skips masked (padding) steps, and returns the last
output or all of them, optionally with the final states.

The time loop is a Python loop, as it is in every framework's eager mode:
step `t` needs the states of step `t - 1`, so steps cannot run together.
Inside a step the maths is whole-batch matrix products, and each op is
recorded on the tape, so backpropagation through time is ordinary reverse
mode over the unrolled steps. The loop lives in `inner_loop`, as in Keras 3,
so that a layer can replace it: `LSTM` and `GRU` run their whole recurrence
as one fused backend op when it computes what their cell would.

Simplified: `stateful=True` raises NotImplementedError; `unroll` is accepted
and changes nothing (eager loops are always unrolled).
"""

from typing import Any

import numpy as np

from api_export import export
from backend import nest
from backend.ops.core import value_of
from backend.ops.raw_ops import array as array_ops
from backend.ops.raw_ops import math as math_ops
from engine.base_layer import Layer
from engine.input_spec import InputSpec
from layers.rnn.dropout_rnn_cell import DropoutRNNCell
from layers.rnn.stacked_rnn_cells import StackedRNNCells
from saving import serialization_lib


@export("nanokeras.layers.RNN")
class RNN(Layer):
    """Adds to `Layer` the time loop around a one-step `cell`.

    A cell is any object with `call(inputs, states)` returning
    `(output, new_states)` and a `state_size` (an int, or a list of ints,
    one per state); `output_size` defaults to the first state's size. Masked
    steps keep the previous output and states (or output zeros with
    `zero_output_for_mask=True`), as Keras does. A list of cells is stacked
    with `StackedRNNCells`. Simplified: `stateful=True` raises
    NotImplementedError; `unroll` is accepted and has no effect (the loop is
    always unrolled).

    Args:
        cell: An RNN cell, or a list of cells (stacked).
        return_sequences: Return the output of every step,
            `(batch, timesteps, units)`, instead of the last `(batch, units)`.
        return_state: Also return the final states, after the output.
        go_backwards: Walk the sequence from its end; the returned sequence
            is then in that (reversed) order.
        stateful: Carry states across batches (not supported).
        unroll: Accepted for compatibility; the loop is always unrolled.
        zero_output_for_mask: Output zeros at masked steps instead of the
            previous output.
        **kwargs: `Layer` arguments (`name`, `dtype`, `input_shape`, ...).

    Input shape:
        `(batch_size, timesteps, features)`. With `mask` (a boolean
        `(batch_size, timesteps)` array, or the mask of an
        `Embedding(mask_zero=True)` output) False steps are skipped.

    Output shape:
        `(batch_size, units)`, or `(batch_size, timesteps, units)` with
        `return_sequences`; with `return_state` a tuple
        `(output, *states)`, each state `(batch_size, state_size)`.

    Example:

    >>> layer = RNN(SimpleRNNCell(4), return_sequences=True)
    >>> layer(np.ones((2, 5, 3))).shape
    (2, 5, 4)
    """

    def __init__(
        self,
        cell: Any,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        unroll: bool = False,
        zero_output_for_mask: bool = False,
        **kwargs,
    ):
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        layer = type(self).__name__
        if not callable(getattr(cell, "call", None)):
            raise ValueError(
                f"Layer {layer}: the argument `cell` should have a `call` "
                f"method. Received: cell={cell!r}"
            )
        state_size = getattr(cell, "state_size", None)
        if not isinstance(state_size, (int, list, tuple)):
            raise ValueError(
                f"Layer {layer}: the cell should have a `state_size` attribute "
                "(an integer, or a list of integers, one per state). "
                f"Received: cell={cell!r} with state_size={state_size!r}."
            )
        if stateful:
            raise NotImplementedError(
                f"Layer {layer}: `stateful=True` is not supported in nanokeras "
                "(states are not carried across batches). Received: "
                "stateful=True. Pass the final states back as `initial_state`."
            )
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences = bool(return_sequences)
        self.return_state = bool(return_state)
        self.go_backwards = bool(go_backwards)
        self.stateful = False
        self.unroll = bool(unroll)
        self.zero_output_for_mask = bool(zero_output_for_mask)
        self.supports_masking = True
        self.single_state = isinstance(state_size, int)
        self.state_size = [state_size] if self.single_state else list(state_size)
        self.input_spec = InputSpec(ndim=3)

    def build(self, sequences_shape: tuple, initial_state_shape: Any = None) -> None:
        step_shape = (sequences_shape[0],) + tuple(sequences_shape[2:])
        if isinstance(self.cell, Layer) and not self.cell.built:
            self.cell.build(step_shape)
            self.cell.built = True
        self.input_spec = InputSpec(ndim=3, axes={-1: sequences_shape[-1]})

    @property
    def output_size(self) -> int:
        return getattr(self.cell, "output_size", None) or self.state_size[0]

    def get_initial_state(self, batch_size: int) -> list:
        """Zeros, one `(batch_size, size)` array per state (or the cell's own)."""
        make = getattr(self.cell, "get_initial_state", None)
        if make is not None:
            states = make(batch_size=batch_size)
            return list(states) if nest.is_nested(states) else [states]
        return [
            nest.map_structure(
                lambda size: array_ops.zeros((batch_size, size), self.compute_dtype),
                size,
            )
            for size in self.state_size
        ]

    def call(
        self,
        sequences: Any,
        initial_state: Any = None,
        mask: Any = None,
        training: bool = False,
    ) -> Any:
        if sequences.dtype != self._dtype:
            sequences = math_ops.cast(sequences, self._dtype)
        batch, steps = sequences.shape[0], sequences.shape[1]
        if steps == 0:
            raise ValueError(
                f'Layer "{self.name}" ({type(self).__name__}) needs at least one '
                f"timestep. Received: sequences of shape {tuple(sequences.shape)}."
            )
        if initial_state is None:
            states = self.get_initial_state(batch)
        else:
            states = self._check_initial_state(initial_state, batch)
        if isinstance(self.cell, DropoutRNNCell):
            # Draw this sequence's masks before the loop, inputs' first, so
            # every way of running the steps sees the same random masks.
            self.cell.reset_dropout_mask()
            self.cell.reset_recurrent_dropout_mask()
            self.cell.get_dropout_mask(value_of(sequences)[:, 0])
            self.cell.get_recurrent_dropout_mask(value_of(nest.flatten(states)[0]))
        keep = None
        if mask is not None:
            keep = np.asarray(value_of(mask), dtype=bool)
            if keep.shape != (batch, steps):
                raise ValueError(
                    f'Layer "{self.name}" ({type(self).__name__}) expects a mask '
                    f"of shape (batch, timesteps) = {(batch, steps)}. Received: "
                    f"mask of shape {keep.shape}."
                )
        last_output, outputs, states = self.inner_loop(
            sequences, states, keep, training=training
        )
        if isinstance(self.cell, DropoutRNNCell):
            self.cell.reset_dropout_mask()
            self.cell.reset_recurrent_dropout_mask()
        output = outputs if self.return_sequences else last_output
        if self.return_state:
            return (output, *states)
        return output

    def inner_loop(
        self, sequences: Any, initial_state: list, mask: Any, training: bool = False
    ) -> tuple:
        """Step the cell over time: `(last_output, outputs, final_states)`.

        The seam Keras 3 gives a layer for a faster loop (`LSTM` and `GRU`
        override it with a fused op). `mask` is None or a boolean
        `(batch, timesteps)` array. Simplified: `outputs`, all steps'
        outputs stacked in the order walked, is None unless
        `return_sequences` (nobody reads it).
        """
        cell_kwargs = {}
        if isinstance(self.cell, Layer) and self.cell._call_has_training_arg:
            cell_kwargs["training"] = training
        # One boolean column per step, shaped to broadcast over features.
        keep = None if mask is None else mask[:, :, None]
        steps = sequences.shape[1]
        states = initial_state
        # Time-major once, so each step's slice is a cheap first-axis index.
        time_major = array_ops.transpose(sequences, (1, 0, 2))
        order = range(steps - 1, -1, -1) if self.go_backwards else range(steps)
        outputs, previous = [], None
        for t in order:
            # `cell.call`, not `cell(...)`: the cell was built above, and the
            # per-call checks of `__call__` would run once per timestep.
            output, new_states = self.cell.call(time_major[t], states, **cell_kwargs)
            new_states = (
                list(new_states) if nest.is_nested(new_states) else [new_states]
            )
            if keep is not None:
                output, new_states = self._skip_masked(
                    keep[:, t], output, previous, new_states, states
                )
            states, previous = new_states, output
            outputs.append(output)
        sequence = array_ops.stack(outputs, axis=1) if self.return_sequences else None
        return previous, sequence, states

    def _skip_masked(self, keep, output, previous, new_states, states):
        """At masked positions keep the previous output and states."""
        if self.zero_output_for_mask or previous is None:
            previous = np.zeros(output.shape, dtype=output.dtype)
        output = math_ops.where(keep, output, previous)
        new_states = nest.map_structure(
            lambda new, old: math_ops.where(keep, new, old), new_states, states
        )
        return output, new_states

    def _check_initial_state(self, initial_state: Any, batch: int) -> list:
        states = (
            list(initial_state) if nest.is_nested(initial_state) else [initial_state]
        )
        expected = [(batch, size) for size in self.state_size]
        shapes = [tuple(np.shape(value_of(state))) for state in states]
        if shapes != expected:
            raise ValueError(
                f'Layer "{self.name}" ({type(self).__name__}) expects '
                f"{len(expected)} initial state(s) of shapes {expected}. "
                f"Received: initial_state with shapes {shapes}."
            )
        states = nest.pack_sequence_as(self.state_size, nest.flatten(states))
        return [
            nest.map_structure(
                lambda state: (
                    math_ops.cast(state, self._dtype)
                    if np.asarray(value_of(state)).dtype != self._np_dtype
                    else state
                ),
                group,
            )
            for group in states
        ]

    def compute_output_shape(self, sequences_shape: tuple, initial_state_shape=None):
        batch, steps = sequences_shape[0], sequences_shape[1]
        if self.return_sequences:
            output_shape = (batch, steps, self.output_size)
        else:
            output_shape = (batch, self.output_size)
        if self.return_state:
            states = nest.map_structure(lambda size: (batch, size), self.state_size)
            return (output_shape, *states)
        return output_shape

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """The input's mask for returned sequences; None for states or last outputs."""
        if nest.is_nested(mask):
            mask = nest.flatten(mask)[0]
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask, *nest.map_structure(lambda _: None, self.state_size)]
        return output_mask

    def reset_states(self) -> None:
        """Nothing to reset: nanokeras RNNs are never stateful."""

    reset_state = reset_states

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            return_sequences=self.return_sequences,
            return_state=self.return_state,
            go_backwards=self.go_backwards,
            stateful=self.stateful,
            unroll=self.unroll,
            zero_output_for_mask=self.zero_output_for_mask,
        )
        config["cell"] = serialization_lib.serialize_keras_object(self.cell)
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> "RNN":
        config = dict(config)
        if "cell" in config:
            config["cell"] = serialization_lib.deserialize_keras_object(
                config["cell"], custom_objects
            )
        return cls(**config)
