"""`Identity`: a layer that returns its inputs unchanged.

Mirrors: keras/src/layers/core/identity.py (Keras 3); tf.keras 2.6 has no
counterpart
"""

from typing import Any

from api_export import export
from backend import nest
from engine.base_layer import Layer


@export("nanokeras.layers.Identity")
class Identity(Layer):
    """Adds to `Layer` nothing: `call` returns the inputs (and their mask) as they are.

    Useful as a placeholder, for example where a model optionally has a
    projection layer.

    Args:
        **kwargs: `Layer` arguments (`name`, `dtype`, ...).

    Input shape:
        Any shape (or a nested structure of tensors).

    Output shape:
        The same.

    Example:

    >>> Identity()(np.array([1.0, 2.0]))
    <Tensor: shape=(2,), dtype=float32, numpy=array([1., 2.], dtype=float32)>
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.built = True

    def call(self, inputs: Any) -> Any:
        return inputs

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def compute_output_spec(self, *args, **kwargs) -> Any:
        # Keep each input's own dtype (an integer input stays integer).
        return nest.map_structure(lambda x: type(x)(x.shape, dtype=x.dtype), args[0])
