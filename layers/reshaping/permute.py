"""`Permute`: reorder the non-batch axes of the inputs.

Mirrors: keras/layers/core.py (tf.keras 2.6),
keras/src/layers/reshaping/permute.py (Keras 3)
"""

from typing import Any

from api_export import export
from backend.ops.raw_ops import array as array_ops
from engine.base_layer import Layer
from engine.input_spec import InputSpec


@export("nanokeras.layers.Permute")
class Permute(Layer):
    """Adds to `Layer` a transpose of every sample's axes (the batch axis stays first).

    Args:
        dims: A permutation of `1 ... rank - 1` (axes count from 1, as the
            batch axis 0 does not move). `(2, 1)` swaps the two axes of a
            `(batch, steps, features)` input.
        **kwargs: `Layer` arguments (`name`, `dtype`, ...).

    Input shape:
        `(batch_size, *sizes)` with `len(sizes) == len(dims)`.

    Output shape:
        `(batch_size, *(sizes[d - 1] for d in dims))`.

    Example:

    >>> Permute((2, 1))(np.ones((4, 10, 64))).shape
    (4, 64, 10)
    """

    def __init__(self, dims: tuple, **kwargs):
        super().__init__(**kwargs)
        try:
            dims = tuple(dims)
        except TypeError:
            pass
        if not isinstance(dims, tuple) or sorted(dims) != list(range(1, len(dims) + 1)):
            raise ValueError(
                "Invalid permutation argument `dims` for layer Permute. The set "
                "of indices in `dims` must be consecutive and start from 1. "
                f"Received: dims={dims!r}"
            )
        self.dims = dims
        self.input_spec = InputSpec(ndim=len(dims) + 1)

    def call(self, inputs: Any) -> Any:
        return array_ops.transpose(inputs, (0,) + self.dims)

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return (input_shape[0],) + tuple(input_shape[d] for d in self.dims)

    def get_config(self) -> dict:
        config = super().get_config()
        config["dims"] = self.dims
        return config
