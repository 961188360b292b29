"""`Add`: the sum of the inputs, as a layer, and its functional form `add`.

Mirrors: keras/layers/merge.py (tf.keras 2.6), keras/src/layers/merging/add.py
(Keras 3)
"""

from typing import Any

from api_export import export
from backend.ops.raw_ops import math as math_ops
from layers.merging.base_merge import Merge


@export("nanokeras.layers.Add")
class Add(Merge):
    """Adds to `Merge` its arithmetic: the sum of the inputs.

    Args:
        **kwargs: `Layer` arguments (`name`, `dtype`, ...).

    Input shape:
        A list of at least 2 tensors of shapes that broadcast together.

    Output shape:
        The broadcast shape.

    Example:

    >>> Add()([np.array([[1.0, 4.0]]), np.array([[3.0, 2.0]])]).shape
    (1, 2)
    """

    def _merge_function(self, inputs: list) -> Any:
        output = inputs[0]
        for x in inputs[1:]:
            output = math_ops.add(output, x)
        return output


@export("nanokeras.layers.add")
def add(inputs: list, **kwargs) -> Any:
    """Functional form of `Add`: `Add(**kwargs)(inputs)`.

    Args:
        inputs: A list of at least 2 tensors (or `KerasTensor`s).
        **kwargs: `Layer` arguments (`name`, ...).

    Returns:
        A tensor, the sum of the inputs.
    """
    return Add(**kwargs)(inputs)
