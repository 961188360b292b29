"""`LayerNormalization`: normalise each sample over its feature axes.

Mirrors: keras/layers/normalization/layer_normalization.py (tf.keras 2.6),
keras/src/layers/normalization/layer_normalization.py (Keras 3)

Simplified: Keras's deprecated `rms_scaling=True` is refused.
"""

from typing import Any

import numpy as np

import constraints
import initializers
import regularizers
from api_export import export
from backend.ops.raw_ops import math as math_ops
from backend.ops.raw_ops import nn
from engine.base_layer import Layer
from utils.argument_validation import refuse_unsupported


def _is_int(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


@export("nanokeras.layers.LayerNormalization")
class LayerNormalization(Layer):
    """Adds to `Layer` per-sample normalisation over `axis`, then `gamma` and `beta`.

    Unlike `BatchNormalization`, the statistics come from each sample alone,
    so training and inference compute the same thing and there are no
    moving statistics. Weights: `gamma`, then `beta`, each of the shape of
    the normalised axes. Simplified: the deprecated `rms_scaling=True` of
    Keras 3 is refused (Keras points to `RMSNormalization` instead).

    Args:
        axis: An int or a list of ints: the axes to normalise over (not the
            batch axis), usually -1, the features.
        epsilon: Added to the variance, to avoid dividing by zero.
        center: Whether to add the learned offset `beta`.
        scale: Whether to multiply by the learned `gamma`.
        beta_initializer: Initializer of `beta`.
        gamma_initializer: Initializer of `gamma`.
        beta_regularizer: Regularizer of `beta`.
        gamma_regularizer: Regularizer of `gamma`.
        beta_constraint: Constraint on `beta`.
        gamma_constraint: Constraint on `gamma`.
        **kwargs: `Layer` arguments (`name`, `dtype`, ...), and Keras 3's
            deprecated `rms_scaling` (taken from `**kwargs` as Keras does, for
            its configs; only False).

    Input shape:
        Any shape with known sizes on `axis`.

    Output shape:
        The input's shape.

    Example:

    >>> out = LayerNormalization()(np.array([[1.0, 2.0, 3.0]]))
    >>> np.round(out.numpy(), 3)
    array([[-1.224,  0.   ,  1.224]], dtype=float32)
    """

    def __init__(
        self,
        axis: Any = -1,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        beta_initializer: Any = "zeros",
        gamma_initializer: Any = "ones",
        beta_regularizer: Any = None,
        gamma_regularizer: Any = None,
        beta_constraint: Any = None,
        gamma_constraint: Any = None,
        **kwargs,
    ):
        rms_scaling = kwargs.pop("rms_scaling", False)
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)) and axis and all(map(_is_int, axis)):
            axis = [int(a) for a in axis]
        elif _is_int(axis):
            axis = int(axis)
        else:
            raise TypeError(
                "Expected an int or a list/tuple of ints for the argument "
                f"'axis' of layer LayerNormalization, but received: {axis!r}"
            )
        if not float(epsilon) > 0:
            raise ValueError(
                "The `epsilon` argument of layer LayerNormalization must be "
                f"positive. Received: epsilon={epsilon!r}"
            )
        # Deprecated in Keras 3, which points to `RMSNormalization` instead.
        refuse_unsupported("LayerNormalization", rms_scaling=rms_scaling)
        self.axis = axis
        self.epsilon = float(epsilon)
        self.center, self.scale = bool(center), bool(scale)
        self.rms_scaling = False
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True
        self.gamma = self.beta = None

    def _axes(self, input_shape: tuple) -> list[int]:
        """`axis` as sorted non-negative axes of `input_shape`."""
        rank = len(input_shape)
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        for axis in axes:
            if not -rank <= axis < rank or axis % rank == 0:
                raise ValueError(
                    f"Axis {axis} is out of bounds for input shape "
                    f'{tuple(input_shape)} in layer "{self.name}" '
                    f"(LayerNormalization): it must be a non-batch axis. "
                    f"Received: axis={self.axis}"
                )
        return sorted(axis % rank for axis in axes)

    def build(self, input_shape: tuple) -> None:
        axes = self._axes(input_shape)
        shape = tuple(input_shape[a] for a in axes)
        if None in shape:
            raise ValueError(
                f'Layer "{self.name}" (LayerNormalization) needs known sizes on '
                f"axis={self.axis} to create its weights. Received: "
                f"input_shape={tuple(input_shape)}"
            )
        if self.scale:
            self.gamma = self.add_weight(
                name="gamma",
                shape=shape,
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
            )
        if self.center:
            self.beta = self.add_weight(
                name="beta",
                shape=shape,
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
            )
        rank = len(input_shape)
        self._reduction_axes = tuple(axes)
        # The weights' shape with 1s on the axes they are broadcast along.
        self._param_shape = tuple(
            input_shape[a] if a in axes else 1 for a in range(rank)
        )

    def call(self, inputs: Any) -> Any:
        if tuple(self._axes(inputs.shape)) != self._reduction_axes:
            raise ValueError(
                f'Layer "{self.name}" (LayerNormalization) was built for inputs '
                f"of rank {max(self._reduction_axes) + 1} or more with axis="
                f"{self.axis}; received inputs of shape {tuple(inputs.shape)}."
            )
        if inputs.dtype != self._dtype:  # integer data: compute in floats
            inputs = math_ops.cast(inputs, self._dtype)
        outputs, _, _ = nn.fused_normalization(
            inputs,
            self.gamma,
            self.beta,
            self._reduction_axes,
            self._param_shape,
            self.epsilon,
        )
        return outputs

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        self._axes(input_shape)
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            axis=self.axis,
            epsilon=self.epsilon,
            center=self.center,
            scale=self.scale,
            rms_scaling=self.rms_scaling,
            beta_initializer=initializers.serialize(self.beta_initializer),
            gamma_initializer=initializers.serialize(self.gamma_initializer),
            beta_regularizer=regularizers.serialize(self.beta_regularizer),
            gamma_regularizer=regularizers.serialize(self.gamma_regularizer),
            beta_constraint=constraints.serialize(self.beta_constraint),
            gamma_constraint=constraints.serialize(self.gamma_constraint),
        )
        return config
