"""`StackedRNNCells`: several cells run one after the other within each step.

Mirrors: keras/layers/recurrent.py (tf.keras 2.6),
keras/src/layers/rnn/stacked_rnn_cells.py (Keras 3)

`RNN([cell_1, cell_2])` wraps its list in this cell: at every timestep the
first cell reads the input, the second reads the first's output, and so on,
each with its own states. It is the same network as two RNN layers with
`return_sequences=True`, computed step by step instead of layer by layer.
"""

from typing import Any

from api_export import export
from backend import nest
from backend.ops.raw_ops import array as array_ops
from engine.base_layer import Layer
from saving import serialization_lib


def _output_size(cell: Any) -> int:
    size = getattr(cell, "output_size", None)
    if size is not None:
        return size
    state_size = cell.state_size
    return state_size[0] if isinstance(state_size, (list, tuple)) else state_size


@export("nanokeras.layers.StackedRNNCells")
class StackedRNNCells(Layer):
    """Adds to `Layer` a stack of cells that behaves as one cell.

    Its `state_size` is the list of the cells' state sizes, and its states
    are nested the same way: `[cell_1_states, cell_2_states, ...]`.

    Args:
        cells: A list of RNN cells.
        **kwargs: `Layer` arguments (`name`, `dtype`, ...).

    Example:

    >>> cells = [SimpleRNNCell(4), LSTMCell(2)]
    >>> RNN(cells)(np.ones((3, 5, 6))).shape
    (3, 2)
    """

    def __init__(self, cells: list, **kwargs):
        super().__init__(**kwargs)
        for cell in cells:
            for needed in ("call", "state_size"):
                if not hasattr(cell, needed):
                    raise ValueError(
                        f"Layer StackedRNNCells: every cell needs a `{needed}` "
                        f"attribute. Received a cell without it: {cell!r}"
                    )
        self.cells = list(cells)

    @property
    def state_size(self) -> list:
        return [cell.state_size for cell in self.cells]

    @property
    def output_size(self) -> int:
        return _output_size(self.cells[-1])

    def get_initial_state(self, batch_size: int | None = None) -> list:
        """The initial states of every cell in the stack, first cell first."""
        states = []
        for cell in self.cells:
            make = getattr(cell, "get_initial_state", None)
            if make is not None:
                states.append(make(batch_size=batch_size))
            elif isinstance(cell.state_size, int):
                states.append(
                    array_ops.zeros((batch_size, cell.state_size), self.compute_dtype)
                )
            else:
                states.append(
                    [
                        array_ops.zeros((batch_size, size), self.compute_dtype)
                        for size in cell.state_size
                    ]
                )
        return states

    def build(self, input_shape: tuple) -> None:
        # Each cell reads the previous cell's output: build it on that size.
        for cell in self.cells:
            if isinstance(cell, Layer) and not cell.built:
                cell.build(input_shape)
                cell.built = True
            input_shape = (input_shape[0], _output_size(cell))

    def call(self, inputs: Any, states: Any, training: bool = False) -> Any:
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            was_list = nest.is_nested(cell_states)
            cell_states = list(cell_states) if was_list else [cell_states]
            kwargs = {}
            if isinstance(cell, Layer) and cell._call_has_training_arg:
                kwargs["training"] = training
            inputs, cell_states = cell.call(inputs, cell_states, **kwargs)
            if not nest.is_nested(cell_states):
                cell_states = [cell_states]
            new_states.append(
                cell_states[0]
                if len(cell_states) == 1 and not was_list
                else cell_states
            )
        return inputs, new_states

    def get_config(self) -> dict:
        config = super().get_config()
        config["cells"] = [
            serialization_lib.serialize_keras_object(cell) for cell in self.cells
        ]
        return config

    @classmethod
    def from_config(
        cls, config: dict, custom_objects: dict | None = None
    ) -> "StackedRNNCells":
        config = dict(config)
        cells = [
            serialization_lib.deserialize_keras_object(cell, custom_objects)
            for cell in config.pop("cells")
        ]
        return cls(cells, **config)
