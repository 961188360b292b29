"""`BatchNormalization`: normalise each feature with batch statistics.

Mirrors: keras/layers/normalization/batch_normalization.py (tf.keras 2.6),
keras/src/layers/normalization/batch_normalization.py (Keras 3)

Simplified: no batch renormalisation (`renorm=True`) and no
`synchronized=True` (one device); both are refused with a clear error.

The one common layer whose `call` behaves differently in training and at
inference, and that owns weights training does not update by gradient:
`moving_mean` and `moving_variance` are non-trainable weights that each
training call moves towards the batch's statistics, and that inference uses
instead of them.
"""

from typing import Any

import numpy as np

import constraints
import initializers
import regularizers
from api_export import export
from backend import config as backend_config
from backend.ops.core import value_of
from backend.ops.raw_ops import array as array_ops
from backend.ops.raw_ops import math as math_ops
from backend.ops.raw_ops import nn
from engine.base_layer import Layer
from engine.input_spec import InputSpec
from utils.argument_validation import refuse_unsupported


@export("nanokeras.layers.BatchNormalization")
class BatchNormalization(Layer):
    """Adds to `Layer` normalisation by batch statistics in training, moving ones after.

    In training (`training=True` and the layer trainable) each feature is
    normalised with the batch's mean and variance, and the moving statistics
    are updated: `moving = moving * momentum + batch * (1 - momentum)`. At
    inference (or when the layer is frozen) the moving statistics are used.
    Weights, in Keras's order: `gamma`, `beta` (trainable), `moving_mean`,
    `moving_variance` (non-trainable). Simplified: no batch renormalisation
    (`renorm=True`) and no `synchronized=True` (one device).

    Args:
        axis: The feature axis (channels), normalised per index.
        momentum: Weight of the old value in the moving statistics.
        epsilon: Added to the variance, to avoid dividing by zero.
        center: Whether to add the learned offset `beta`.
        scale: Whether to multiply by the learned `gamma`.
        beta_initializer: Initializer of `beta`.
        gamma_initializer: Initializer of `gamma`.
        moving_mean_initializer: Initializer of `moving_mean`.
        moving_variance_initializer: Initializer of `moving_variance`.
        beta_regularizer: Regularizer of `beta`.
        gamma_regularizer: Regularizer of `gamma`.
        beta_constraint: Constraint on `beta`.
        gamma_constraint: Constraint on `gamma`.
        renorm: Accepted for Keras's configs; only False.
        renorm_clipping: Accepted for Keras's configs; unused.
        renorm_momentum: Accepted for Keras's configs; unused.
        synchronized: Accepted for Keras's configs; only False.
        **kwargs: `Layer` arguments (`name`, `dtype`, ...).

    Input shape:
        Any shape with a known size on `axis`. A mask of the input's shape
        without its last axis excludes masked steps from the statistics.

    Output shape:
        The input's shape.

    Example:

    >>> layer = BatchNormalization()
    >>> out = layer(np.random.normal(size=(32, 4)) * 5 + 3, training=True)
    >>> [w.name for w in layer.weights]
    ['batch_normalization/gamma:0', 'batch_normalization/beta:0', 'batch_normalization/moving_mean:0', 'batch_normalization/moving_variance:0']
    """  # noqa: E501

    def __init__(
        self,
        axis: int = -1,
        momentum: float = 0.99,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        beta_initializer: Any = "zeros",
        gamma_initializer: Any = "ones",
        moving_mean_initializer: Any = "zeros",
        moving_variance_initializer: Any = "ones",
        beta_regularizer: Any = None,
        gamma_regularizer: Any = None,
        beta_constraint: Any = None,
        gamma_constraint: Any = None,
        renorm: bool = False,
        renorm_clipping: dict | None = None,
        renorm_momentum: float = 0.99,
        synchronized: bool = False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
            raise TypeError(
                "Expected an int for the `axis` argument of layer "
                f"BatchNormalization. Received: axis={axis!r}"
            )
        if not 0.0 <= float(momentum) <= 1.0:
            raise ValueError(
                "The `momentum` argument of layer BatchNormalization must be in "
                f"[0, 1]. Received: momentum={momentum!r}"
            )
        if not float(epsilon) > 0:
            raise ValueError(
                "The `epsilon` argument of layer BatchNormalization must be "
                f"positive. Received: epsilon={epsilon!r}"
            )
        refuse_unsupported(
            "BatchNormalization", renorm=renorm, synchronized=synchronized
        )
        self.axis = int(axis)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center, self.scale = bool(center), bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.renorm, self.renorm_clipping = False, renorm_clipping
        self.renorm_momentum, self.synchronized = float(renorm_momentum), False
        self.supports_masking = True
        self.gamma = self.beta = None

    def _feature_axis(self, input_shape: tuple) -> int:
        rank = len(input_shape)
        if not -rank <= self.axis < rank:
            raise ValueError(
                f"Axis {self.axis} is out of bounds for input shape "
                f'{tuple(input_shape)} in layer "{self.name}" '
                f"(BatchNormalization). Received: axis={self.axis}"
            )
        return self.axis % rank

    def build(self, input_shape: tuple) -> None:
        axis = self._feature_axis(input_shape)
        size = input_shape[axis]
        if size is None:
            raise ValueError(
                f'Layer "{self.name}" (BatchNormalization) needs a known size '
                f"on axis {self.axis} (the features) to create its weights. "
                f"Received: input_shape={tuple(input_shape)}"
            )
        if self.scale:
            self.gamma = self.add_weight(
                name="gamma",
                shape=(size,),
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
            )
        if self.center:
            self.beta = self.add_weight(
                name="beta",
                shape=(size,),
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
            )
        self.moving_mean = self.add_weight(
            name="moving_mean",
            shape=(size,),
            initializer=self.moving_mean_initializer,
            trainable=False,
        )
        self.moving_variance = self.add_weight(
            name="moving_variance",
            shape=(size,),
            initializer=self.moving_variance_initializer,
            trainable=False,
        )
        rank = len(input_shape)
        self.input_spec = InputSpec(ndim=rank, axes={self.axis: size})
        self._reduction_axes = tuple(a for a in range(rank) if a != axis)
        # Statistics of shape (size,) broadcast over the input once reshaped
        # to (1, ..., size, ..., 1); on the last axis no reshape is needed.
        self._param_shape = tuple(size if a == axis else 1 for a in range(rank))
        self._stat_shape = None if axis == rank - 1 else self._param_shape

    def _broadcastable(self, value: Any) -> Any:
        if value is None or self._stat_shape is None:
            return value
        return array_ops.reshape(value, self._stat_shape)

    def _moments(self, inputs: Any, mask: Any) -> tuple:
        """Batch mean and variance per feature; masked steps do not count."""
        if mask is None:
            return nn.moments(inputs, axes=self._reduction_axes)
        if mask.ndim != inputs.ndim - 1:
            raise ValueError(
                f'Layer "{self.name}" (BatchNormalization) expects a mask with '
                "one dimension less than the inputs. Received: mask.shape="
                f"{tuple(mask.shape)}, inputs.shape={tuple(inputs.shape)}"
            )
        weights = np.broadcast_to(
            np.asarray(value_of(mask), dtype=inputs.dtype)[..., None], inputs.shape
        )
        axes, eps = self._reduction_axes, backend_config.epsilon()
        count = weights.sum(axis=axes, keepdims=True) + eps
        mean = math_ops.divide(
            math_ops.sum(math_ops.multiply(inputs, weights), axis=axes, keepdims=True),
            count,
        )
        deviation = math_ops.multiply(math_ops.subtract(inputs, mean), weights)
        variance = math_ops.divide(
            math_ops.sum(math_ops.square(deviation), axis=axes, keepdims=True), count
        )
        size = inputs.shape[self._feature_axis(inputs.shape)]
        return array_ops.reshape(mean, (size,)), array_ops.reshape(variance, (size,))

    def call(self, inputs: Any, training: bool | None = None, mask: Any = None):
        if inputs.dtype != self._dtype:  # integer data: compute in floats
            inputs = math_ops.cast(inputs, self._dtype)
        if training and self.trainable:
            if mask is None:
                outputs, mean, variance = nn.fused_normalization(
                    inputs,
                    self.gamma,
                    self.beta,
                    self._reduction_axes,
                    self._param_shape,
                    self.epsilon,
                )
                mean, variance = mean.reshape(-1), variance.reshape(-1)
            else:
                mean, variance = self._moments(inputs, mask)
                outputs = self._normalize(inputs, mean, variance)
                mean, variance = value_of(mean), value_of(variance)
            # The moving statistics follow the batch; no gradient flows here.
            momentum = self.momentum
            self.moving_mean.assign(
                self.moving_mean.numpy() * momentum + mean * (1.0 - momentum)
            )
            self.moving_variance.assign(
                self.moving_variance.numpy() * momentum + variance * (1.0 - momentum)
            )
            return outputs
        return self._normalize(inputs, self.moving_mean, self.moving_variance)

    def _normalize(self, inputs: Any, mean: Any, variance: Any) -> Any:
        return nn.batch_normalization(
            inputs,
            self._broadcastable(mean),
            self._broadcastable(variance),
            self._broadcastable(self.gamma),
            self._broadcastable(self.beta),
            self.epsilon,
        )

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        self._feature_axis(input_shape)
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            axis=self.axis,
            momentum=self.momentum,
            epsilon=self.epsilon,
            center=self.center,
            scale=self.scale,
            beta_initializer=initializers.serialize(self.beta_initializer),
            gamma_initializer=initializers.serialize(self.gamma_initializer),
            moving_mean_initializer=initializers.serialize(
                self.moving_mean_initializer
            ),
            moving_variance_initializer=initializers.serialize(
                self.moving_variance_initializer
            ),
            beta_regularizer=regularizers.serialize(self.beta_regularizer),
            gamma_regularizer=regularizers.serialize(self.gamma_regularizer),
            beta_constraint=constraints.serialize(self.beta_constraint),
            gamma_constraint=constraints.serialize(self.gamma_constraint),
            synchronized=self.synchronized,
            renorm=self.renorm,
            renorm_clipping=self.renorm_clipping,
            renorm_momentum=self.renorm_momentum,
        )
        return config
