"""`Concatenate`: join the inputs along one axis, and its form `concatenate`.

Mirrors: keras/layers/merge.py (tf.keras 2.6),
keras/src/layers/merging/concatenate.py (Keras 3)
"""

from typing import Any

import numpy as np

from api_export import export
from backend.ops.core import value_of
from backend.ops.raw_ops import array as array_ops
from backend.tensor import Tensor
from layers.merging.base_merge import Merge


@export("nanokeras.layers.Concatenate")
class Concatenate(Merge):
    """Adds to `Merge` concatenation along `axis` (shapes must match elsewhere).

    Args:
        axis: The axis to join along; -1 (the features) by default.
        **kwargs: `Layer` arguments (`name`, `dtype`, ...).

    Input shape:
        A list of tensors of one rank, equal sizes except on `axis`.

    Output shape:
        The common shape, with the sizes on `axis` added up.

    Example:

    >>> Concatenate()([np.ones((2, 3)), np.zeros((2, 4))]).shape
    (2, 7)
    """

    _input_count = (1, None)  # as Keras: one input is allowed

    def __init__(self, axis: int = -1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
            raise TypeError(
                "The `axis` argument of layer Concatenate must be an int. "
                f"Received: axis={axis!r}"
            )
        self.axis = int(axis)

    def build(self, input_shape: Any) -> None:
        self.compute_output_shape(input_shape)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        self._check_input_list(input_shape)
        shapes = [tuple(shape) for shape in input_shape]
        message = (
            "A `Concatenate` layer requires inputs with matching shapes except "
            f"for the concatenation axis. Received: input_shape={shapes} "
            f'(in layer "{self.name}", axis={self.axis})'
        )
        rank = len(shapes[0])
        if any(len(shape) != rank for shape in shapes) or not -rank <= self.axis < rank:
            raise ValueError(message)
        axis = self.axis % rank
        output = list(shapes[0])
        for shape in shapes[1:]:
            for index, (have, size) in enumerate(zip(output, shape)):
                if index == axis:
                    both = have is not None and size is not None
                    output[index] = have + size if both else None
                elif have is None:
                    output[index] = size
                elif size is not None and size != have:
                    raise ValueError(message)
        return tuple(output)

    def _merge_function(self, inputs: list) -> Any:
        return array_ops.concatenate(inputs, axis=self.axis)

    def call(self, inputs: Any) -> Any:
        shapes = [tuple(x.shape) for x in inputs]
        if len(set(shapes)) > 1:
            self.compute_output_shape(shapes)  # named error, not numpy's
        return self._merge_function(list(inputs))

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """Each input's mask (all True if none) joined along `axis`, as Keras."""
        if mask is None or all(m is None for m in mask):
            return None
        full = []
        for x, m in zip(inputs, mask):
            shape = tuple(x.shape)
            if m is None:
                full.append(np.ones(shape, dtype=bool))
            else:
                m = np.asarray(value_of(m), dtype=bool)
                if m.ndim < len(shape):
                    m = np.broadcast_to(m[..., None], shape)
                full.append(m)
        return Tensor(np.concatenate(full, axis=self.axis).any(axis=-1))

    def get_config(self) -> dict:
        config = super().get_config()
        config["axis"] = self.axis
        return config


@export("nanokeras.layers.concatenate")
def concatenate(inputs: list, axis: int = -1, **kwargs) -> Any:
    """Functional form of `Concatenate`: `Concatenate(axis, **kwargs)(inputs)`.

    Args:
        inputs: A list of tensors (or `KerasTensor`s).
        axis: The axis to join along.
        **kwargs: `Layer` arguments (`name`, ...).

    Returns:
        A tensor, the inputs joined along `axis`.
    """
    return Concatenate(axis=axis, **kwargs)(inputs)
