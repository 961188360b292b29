"""`Average`: the mean of the inputs, as a layer, and its functional form `average`.

Mirrors: keras/layers/merge.py (tf.keras 2.6),
keras/src/layers/merging/average.py (Keras 3)
"""

from typing import Any

from api_export import export
from backend.ops.raw_ops import math as math_ops
from layers.merging.base_merge import Merge


@export("nanokeras.layers.Average")
class Average(Merge):
    """Adds to `Merge` its arithmetic: the elementwise mean of the inputs.

    Args:
        **kwargs: `Layer` arguments (`name`, `dtype`, ...).

    Input shape:
        A list of at least 2 tensors of shapes that broadcast together.

    Output shape:
        The broadcast shape.

    Example:

    >>> Average()([np.array([[1.0, 4.0]]), np.array([[3.0, 2.0]])])
    <Tensor: shape=(1, 2), dtype=float32, numpy=array([[2., 3.]], dtype=float32)>
    """

    def _merge_function(self, inputs: list) -> Any:
        output = inputs[0]
        for x in inputs[1:]:
            output = math_ops.add(output, x)
        return math_ops.divide(output, len(inputs))


@export("nanokeras.layers.average")
def average(inputs: list, **kwargs) -> Any:
    """Functional form of `Average`: `Average(**kwargs)(inputs)`.

    Args:
        inputs: A list of at least 2 tensors (or `KerasTensor`s).
        **kwargs: `Layer` arguments (`name`, ...).

    Returns:
        A tensor, the mean of the inputs.
    """
    return Average(**kwargs)(inputs)
