"""`Dot`: the dot product of two inputs sample by sample, and its form `dot`.

Mirrors: keras/layers/merge.py (tf.keras 2.6), keras/src/layers/merging/dot.py
(Keras 3)
"""

import math
from typing import Any

import numpy as np

from api_export import export
from backend import config
from backend.ops.raw_ops import array as array_ops
from backend.ops.raw_ops import math as math_ops
from layers.merging.base_merge import Merge


def _l2_normalize(x: Any, axis: int) -> Any:
    """`x / max(||x||, epsilon)` along `axis` (Keras's `normalize`, order 2)."""
    square_sum = math_ops.sum(math_ops.square(x), axis=axis, keepdims=True)
    floor = config.epsilon() ** 2
    return math_ops.divide(x, math_ops.sqrt(math_ops.maximum(square_sum, floor)))


def batch_dot(x: Any, y: Any, axes: tuple[int, int]) -> Any:
    """For each sample `b`, contract `x[b]`'s axis `axes[0]` with `y[b]`'s `axes[1]`.

    Both contracted axes are moved into place and every other axis is folded,
    so the whole batch is one `matmul` of `(batch, rows, d) @ (batch, d, cols)`;
    the result is unfolded to `x`'s remaining axes then `y`'s. A rank-1 result
    becomes `(batch, 1)`, as in Keras.
    """
    x_axis, y_axis = axes
    x_order = [a for a in range(x.ndim) if a != x_axis] + [x_axis]
    y_order = [0, y_axis] + [a for a in range(1, y.ndim) if a != y_axis]
    x_rest = tuple(x.shape[a] for a in x_order[1:-1])
    y_rest = tuple(y.shape[a] for a in y_order[2:])
    batch, depth = x.shape[0], x.shape[x_axis]
    x = array_ops.transpose(x, x_order) if x_order != list(range(x.ndim)) else x
    y = array_ops.transpose(y, y_order) if y_order != list(range(y.ndim)) else y
    x = array_ops.reshape(x, (batch, math.prod(x_rest), depth))
    y = array_ops.reshape(y, (batch, depth, math.prod(y_rest)))
    output_shape = (batch,) + x_rest + y_rest
    if len(output_shape) == 1:
        output_shape += (1,)
    return array_ops.reshape(math_ops.matmul(x, y), output_shape)


@export("nanokeras.layers.Dot")
class Dot(Merge):
    """Adds to `Merge` a per-sample dot product of two inputs along given axes.

    With `(batch, 3, 5)` and `(batch, 10, 3)` inputs and `axes=(1, 2)` the
    output is `(batch, 5, 10)`. With `normalize=True` each input is first
    L2-normalised along its axis, so the result is the cosine similarity.

    Args:
        axes: An int (the same axis of both inputs) or a pair of ints, one
            per input. Negative values count from the end; the batch axis 0
            cannot be contracted.
        normalize: Whether to L2-normalise the inputs along `axes` first.
        **kwargs: `Layer` arguments (`name`, `dtype`, ...).

    Input shape:
        A list of 2 tensors of rank >= 2 whose `axes` sizes match.

    Output shape:
        `x`'s axes without `axes[0]`, then `y`'s without the batch axis and
        `axes[1]`; `(batch, 1)` when nothing else is left.

    Example:

    >>> Dot(axes=1)([np.ones((4, 3)), np.ones((4, 3))])[0]
    <Tensor: shape=(1,), dtype=float32, numpy=array([3.], dtype=float32)>
    """

    _input_count = (2, 2)

    def __init__(self, axes: Any, normalize: bool = False, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axes, (list, tuple)):
            if len(axes) != 2 or not all(
                isinstance(a, (int, np.integer)) and not isinstance(a, bool)
                for a in axes
            ):
                raise ValueError(
                    "Invalid format for argument `axes` of layer Dot: it should "
                    f"contain two integers. Received: axes={axes!r}"
                )
            axes = tuple(int(a) for a in axes)
        elif isinstance(axes, bool) or not isinstance(axes, (int, np.integer)):
            raise TypeError(
                "Invalid type for argument `axes` of layer Dot: it should be a "
                f"list or an int. Received: axes={axes!r}"
            )
        else:
            axes = int(axes)
        self.axes = axes
        self.normalize = bool(normalize)
        self._checked_shapes = None

    def _resolved_axes(self, shape1: tuple, shape2: tuple) -> tuple[int, int]:
        pair = (self.axes, self.axes) if isinstance(self.axes, int) else self.axes
        resolved = []
        for axis, shape in zip(pair, (shape1, shape2)):
            if not -len(shape) <= axis < len(shape) or axis % len(shape) == 0:
                raise ValueError(
                    f'Layer "{self.name}" (Dot) cannot contract axis {axis} of an '
                    f"input of shape {tuple(shape)}: axes must be valid axes "
                    "other than the batch axis 0."
                )
            resolved.append(axis % len(shape))
        return tuple(resolved)

    def build(self, input_shape: Any) -> None:
        self.compute_output_shape(input_shape)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        self._check_input_list(input_shape)
        shape1, shape2 = (tuple(shape) for shape in input_shape)
        if len(shape1) < 2 or len(shape2) < 2:
            raise ValueError(
                f'Layer "{self.name}" (Dot) needs inputs of rank >= 2 (a batch '
                f"axis and more). Received shapes {shape1} and {shape2}."
            )
        axis1, axis2 = self._resolved_axes(shape1, shape2)
        size1, size2 = shape1[axis1], shape2[axis2]
        if size1 is not None and size2 is not None and size1 != size2:
            raise ValueError(
                f"Incompatible input shapes: axis values {size1} (at axis "
                f"{axis1}) != {size2} (at axis {axis2}). Full input shapes: "
                f'{shape1}, {shape2} (in layer "{self.name}")'
            )
        batch = shape1[0] if shape1[0] is not None else shape2[0]
        rest1 = [s for a, s in enumerate(shape1) if a not in (0, axis1)]
        rest2 = [s for a, s in enumerate(shape2) if a not in (0, axis2)]
        output = (batch, *rest1, *rest2)
        return output if len(output) > 1 else output + (1,)

    def call(self, inputs: Any) -> Any:
        shapes = [tuple(x.shape) for x in inputs]
        if shapes != self._checked_shapes:  # errors that name the layer
            self.compute_output_shape(shapes)
            self._checked_shapes = shapes
        x, y = inputs
        axes = self._resolved_axes(x.shape, y.shape)
        if self.normalize:
            x, y = _l2_normalize(x, axes[0]), _l2_normalize(y, axes[1])
        return batch_dot(x, y, axes)

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        return None  # the contracted axis is gone: no per-step mask is left

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(axes=self.axes, normalize=self.normalize)
        return config


@export("nanokeras.layers.dot")
def dot(inputs: list, axes: Any = -1, **kwargs) -> Any:
    """Functional form of `Dot`: `Dot(axes, **kwargs)(inputs)`.

    Args:
        inputs: A list of 2 tensors (or `KerasTensor`s).
        axes: The axis (or one axis per input) to contract.
        **kwargs: `normalize` and `Layer` arguments (`name`, ...).

    Returns:
        A tensor, the per-sample dot product.
    """
    return Dot(axes=axes, **kwargs)(inputs)
