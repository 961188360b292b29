"""`DropoutRNNCell`: the dropout masks an RNN cell reuses at every step.

Mirrors: keras/layers/recurrent.py (tf.keras 2.6),
keras/src/layers/rnn/dropout_rnn_cell.py (Keras 3)

Dropout inside a recurrence must drop the *same* units at every timestep
(Gal and Ghahramani): a fresh mask per step would be noise the recurrence
cannot learn around. So a cell draws one mask for its inputs and one for its
recurrent state on the first step of a sequence, keeps them while the `RNN`
layer walks the steps, and the layer clears them when the sequence is done.

Simplified: one mask shared by all gates (Keras 3 draws one per gate when
`recurrent_dropout` is set).
"""

from typing import Any

import numpy as np

from backend import random
from backend.ops.core import value_of


class DropoutRNNCell:
    """A mixin for cells with `dropout`, `recurrent_dropout` and `seed_generator`.

    The masks are numpy arrays already scaled by `1 / (1 - rate)`, so
    applying one is a single multiply. Simplified: one mask for all gates
    (Keras 3's default "implementation 2"; Keras switches to one mask per
    gate when `recurrent_dropout` is set).
    """

    def _create_dropout_mask(self, step_input: Any, rate: float) -> np.ndarray:
        ones = np.ones(np.shape(value_of(step_input)), dtype=self.compute_dtype)
        return value_of(random.dropout(ones, rate=rate, seed=self.seed_generator))

    def get_dropout_mask(self, step_input: Any) -> np.ndarray | None:
        """The input mask of this sequence (drawn on first use), or None."""
        if getattr(self, "_dropout_mask", None) is None and self.dropout > 0:
            self._dropout_mask = self._create_dropout_mask(step_input, self.dropout)
        return getattr(self, "_dropout_mask", None)

    def get_recurrent_dropout_mask(self, step_input: Any) -> np.ndarray | None:
        """The recurrent-state mask of this sequence (drawn on first use), or None."""
        if (
            getattr(self, "_recurrent_dropout_mask", None) is None
            and self.recurrent_dropout > 0
        ):
            self._recurrent_dropout_mask = self._create_dropout_mask(
                step_input, self.recurrent_dropout
            )
        return getattr(self, "_recurrent_dropout_mask", None)

    def reset_dropout_mask(self) -> None:
        """Forget the input mask: the next sequence draws a new one."""
        self._dropout_mask = None

    def reset_recurrent_dropout_mask(self) -> None:
        """Forget the recurrent mask: the next sequence draws a new one."""
        self._recurrent_dropout_mask = None
