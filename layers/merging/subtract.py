"""`Subtract`: the difference of two inputs, as a layer, and its form `subtract`.

Mirrors: keras/layers/merge.py (tf.keras 2.6),
keras/src/layers/merging/subtract.py (Keras 3)
"""

from typing import Any

from api_export import export
from backend.ops.raw_ops import math as math_ops
from layers.merging.base_merge import Merge


@export("nanokeras.layers.Subtract")
class Subtract(Merge):
    """Adds to `Merge` its arithmetic: `inputs[0] - inputs[1]`, exactly 2 inputs.

    Args:
        **kwargs: `Layer` arguments (`name`, `dtype`, ...).

    Input shape:
        A list of 2 tensors of shapes that broadcast together.

    Output shape:
        The broadcast shape.

    Example:

    >>> Subtract()([np.array([[5.0, 4.0]]), np.array([[3.0, 2.0]])])
    <Tensor: shape=(1, 2), dtype=float32, numpy=array([[2., 2.]], dtype=float32)>
    """

    _input_count = (2, 2)

    def _merge_function(self, inputs: list) -> Any:
        return math_ops.subtract(inputs[0], inputs[1])


@export("nanokeras.layers.subtract")
def subtract(inputs: list, **kwargs) -> Any:
    """Functional form of `Subtract`: `Subtract(**kwargs)(inputs)`.

    Args:
        inputs: A list of 2 tensors (or `KerasTensor`s).
        **kwargs: `Layer` arguments (`name`, ...).

    Returns:
        A tensor, `inputs[0] - inputs[1]`.
    """
    return Subtract(**kwargs)(inputs)
