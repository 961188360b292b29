"""`Softmax`: softmax as a layer, with an optional mask of positions to ignore.

Mirrors: keras/layers/advanced_activations.py (tf.keras 2.x),
keras/src/layers/activations/softmax.py (Keras 3)
"""

from typing import Any

import numpy as np

import activations
from api_export import export
from backend.ops.raw_ops import math as math_ops
from engine.base_layer import Layer


@export("nanokeras.layers.Softmax")
class Softmax(Layer):
    """Adds to `Layer` a softmax along `axis` that gives masked positions 0.

    Args:
        axis: The axis (or axes) the probabilities sum to 1 along.
        **kwargs: `Layer` arguments (`name`, `dtype`, ...).

    Call arguments:
        inputs: The logits.
        mask: Optional boolean tensor broadcastable to `inputs`: False marks
            a position that gets probability 0.

    Input shape:
        Any shape.

    Output shape:
        The input's shape.

    Example:

    >>> Softmax()(np.array([[1.0, 1.0, 5.0]]), mask=np.array([[True, True, False]]))
    <Tensor: shape=(1, 3), dtype=float32, numpy=array([[0.5, 0.5, 0. ]], dtype=float32)>
    """

    def __init__(self, axis: Any = -1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True

    def call(self, inputs: Any, mask: Any = None) -> Any:
        if mask is not None:
            mask = _check_broadcastable_mask(self.name, inputs, mask)
            # A large negative logit (not -inf, which gives nan when a whole
            # slice is masked) leaves the masked positions with ~0 probability.
            inputs = math_ops.where(mask, inputs, -1e9)
        outputs = activations.softmax(inputs, axis=self.axis)
        if mask is not None:
            outputs = math_ops.where(mask, outputs, 0.0)
        return outputs

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config["axis"] = self.axis
        return config


def _check_broadcastable_mask(layer_name: str, inputs: Any, mask: Any) -> Any:
    mask_shape, input_shape = np.shape(mask), tuple(inputs.shape)
    compatible = len(mask_shape) <= len(input_shape) and all(
        m in (1, i) for m, i in zip(mask_shape[::-1], input_shape[::-1])
    )
    if not compatible:
        raise ValueError(
            f"The `mask` of Softmax layer {layer_name!r} must broadcast to its "
            f"inputs: each mask axis 1 or equal to the input's, aligned from "
            f"the right. Received: inputs.shape={input_shape}, "
            f"mask.shape={mask_shape}"
        )
    mask = getattr(mask, "_value", mask)
    return np.asarray(mask) > 0.5 if np.asarray(mask).dtype != bool else mask
