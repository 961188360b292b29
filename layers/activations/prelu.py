"""`PReLU`: leaky ReLU whose slope below zero is a learned weight.

Mirrors: keras/layers/advanced_activations.py (tf.keras 2.x),
keras/src/layers/activations/prelu.py (Keras 3)
"""

from typing import Any

import constraints
import initializers
import regularizers
from api_export import export
from backend.ops.raw_ops import nn
from engine.base_layer import Layer
from engine.input_spec import InputSpec


@export("nanokeras.layers.PReLU")
class PReLU(Layer):
    """Adds to `Layer` a weight `alpha`: `x if x >= 0 else alpha * x`, per unit.

    Args:
        alpha_initializer: Initializer of `alpha` (zeros: a plain ReLU to start).
        alpha_regularizer: Regularizer of `alpha`, or None.
        alpha_constraint: Constraint of `alpha`, or None.
        shared_axes: Axes (counting the batch axis as 0) along which one
            slope is shared, e.g. `[1, 2]` for one slope per channel of an
            image.
        **kwargs: `Layer` arguments (`name`, `dtype`, ...).

    Input shape:
        Any shape; the sizes of the axes that are not shared are fixed at build.

    Output shape:
        The input's shape.
    """

    def __init__(
        self,
        alpha_initializer: Any = "Zeros",
        alpha_regularizer: Any = None,
        alpha_constraint: Any = None,
        shared_axes: Any = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        elif isinstance(shared_axes, (list, tuple)):
            self.shared_axes = list(shared_axes)
        else:
            self.shared_axes = [shared_axes]

    def build(self, input_shape: tuple) -> None:
        param_shape = list(input_shape[1:])
        for axis in self.shared_axes or ():
            param_shape[axis - 1] = 1
        self.alpha = self.add_weight(
            shape=tuple(param_shape),
            name="alpha",
            initializer=self.alpha_initializer,
            regularizer=self.alpha_regularizer,
            constraint=self.alpha_constraint,
        )
        axes = {
            axis: input_shape[axis]
            for axis in range(1, len(input_shape))
            if axis not in (self.shared_axes or ())
        }
        self.input_spec = InputSpec(ndim=len(input_shape), axes=axes)

    def call(self, inputs: Any) -> Any:
        return nn.relu(inputs) - self.alpha * nn.relu(-inputs)

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            alpha_initializer=initializers.serialize(self.alpha_initializer),
            alpha_regularizer=regularizers.serialize(self.alpha_regularizer),
            alpha_constraint=constraints.serialize(self.alpha_constraint),
            shared_axes=self.shared_axes,
        )
        return config
