"""`Reshape`: give each sample a new shape with the same number of values.

Mirrors: keras/layers/core.py (tf.keras 2.6),
keras/src/layers/reshaping/reshape.py (Keras 3)
"""

import math
from typing import Any

from api_export import export
from backend.ops.raw_ops import array as array_ops
from engine.base_layer import Layer


@export("nanokeras.layers.Reshape")
class Reshape(Layer):
    """Adds to `Layer` a reshape of every sample (the batch axis is kept).

    Args:
        target_shape: The new shape of a sample, without the batch axis: a
            tuple of positive ints, one of which may be -1 (inferred from the
            number of values).
        **kwargs: `Layer` arguments (`name`, `dtype`, ...).

    Input shape:
        `(batch_size, ...)`.

    Output shape:
        `(batch_size, *target_shape)`.

    Example:

    >>> Reshape((3, 4))(np.ones((2, 12))).shape
    (2, 3, 4)
    >>> Reshape((-1, 2))(np.ones((2, 12))).shape
    (2, 6, 2)
    """

    def __init__(self, target_shape: tuple, **kwargs):
        super().__init__(**kwargs)
        try:
            target = tuple(target_shape)
        except TypeError:
            target = None
        if target is None or not all(
            isinstance(size, int) and (size > 0 or size == -1) for size in target
        ):
            raise ValueError(
                "The `target_shape` argument of layer Reshape must be a tuple of "
                "positive integers, one of which may be -1. Received: "
                f"target_shape={target_shape!r}"
            )
        if target.count(-1) > 1:
            raise ValueError(
                "There must be at most one unknown dimension (-1) in the "
                f"`target_shape` of layer Reshape. Received: target_shape={target}"
            )
        self.target_shape = target
        self.supports_masking = False

    def _sample_shape(self, sample_shape: tuple) -> tuple:
        """`target_shape` with its -1 resolved for samples of `sample_shape`."""
        if any(size is None for size in sample_shape):
            return tuple(None if size == -1 else size for size in self.target_shape)
        total = math.prod(sample_shape)
        known = math.prod(size for size in self.target_shape if size != -1)
        if -1 in self.target_shape:
            fits = known > 0 and total % known == 0
            resolved = tuple(
                total // known if size == -1 and fits else size
                for size in self.target_shape
            )
        else:
            fits, resolved = known == total, self.target_shape
        if not fits:
            raise ValueError(
                f'Layer "{self.name}" (Reshape) cannot reshape samples of shape '
                f"{sample_shape} ({total} values) into target_shape="
                f"{self.target_shape}: the total size of each sample must be "
                "unchanged."
            )
        return resolved

    def call(self, inputs: Any) -> Any:
        target = self._sample_shape(tuple(inputs.shape[1:]))
        return array_ops.reshape(inputs, (inputs.shape[0],) + target)

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return (input_shape[0],) + self._sample_shape(tuple(input_shape[1:]))

    def get_config(self) -> dict:
        config = super().get_config()
        config["target_shape"] = self.target_shape
        return config
