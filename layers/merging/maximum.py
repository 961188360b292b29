"""`Maximum`: the elementwise maximum of the inputs, and its functional form `maximum`.

Mirrors: keras/layers/merge.py (tf.keras 2.6),
keras/src/layers/merging/maximum.py (Keras 3)
"""

from typing import Any

from api_export import export
from backend.ops.raw_ops import math as math_ops
from layers.merging.base_merge import Merge


@export("nanokeras.layers.Maximum")
class Maximum(Merge):
    """Adds to `Merge` its arithmetic: the elementwise maximum of the inputs.

    Args:
        **kwargs: `Layer` arguments (`name`, `dtype`, ...).

    Input shape:
        A list of at least 2 tensors of shapes that broadcast together.

    Output shape:
        The broadcast shape.

    Example:

    >>> Maximum()([np.array([[1.0, 4.0]]), np.array([[3.0, 2.0]])]).shape
    (1, 2)
    """

    def _merge_function(self, inputs: list) -> Any:
        output = inputs[0]
        for x in inputs[1:]:
            output = math_ops.maximum(output, x)
        return output


@export("nanokeras.layers.maximum")
def maximum(inputs: list, **kwargs) -> Any:
    """Functional form of `Maximum`: `Maximum(**kwargs)(inputs)`.

    Args:
        inputs: A list of at least 2 tensors (or `KerasTensor`s).
        **kwargs: `Layer` arguments (`name`, ...).

    Returns:
        A tensor, the elementwise maximum of the inputs.
    """
    return Maximum(**kwargs)(inputs)
