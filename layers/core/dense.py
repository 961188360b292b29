"""`Dense`: the densely connected layer, `activation(inputs @ kernel + bias)`.

Mirrors: keras/layers/core.py (tf.keras 2.6), keras/src/layers/core/dense.py
(Keras 3)

Simplified: no LoRA (`lora_rank`) and no quantisation (`quantize`,
`quantization_config`).

The layer every chapter starts with. It shows the whole layer pattern in a
few lines: `__init__` stores the configuration, `build` creates `kernel` and
`bias` once the size of the input's last axis is known (and pins that size in
`input_spec`, so a later call on the wrong width fails with a clear message),
`call` computes, `compute_output_shape` and `get_config` describe it.
"""

from typing import Any

import activations
import constraints
import initializers
import regularizers
from api_export import export
from backend.ops.raw_ops import array as array_ops
from backend.ops.raw_ops import math as math_ops
from engine.base_layer import Layer
from engine.input_spec import InputSpec
from utils.argument_validation import check_positive_count, refuse_unsupported


@export("nanokeras.layers.Dense")
class Dense(Layer):
    """Adds to `Layer` a kernel and a bias: `activation(inputs @ kernel + bias)`.

    On inputs of rank above 2 the product runs over the last axis, so a
    `(batch, steps, features)` input gives `(batch, steps, units)`. LoRA and
    quantisation (Keras 3) are left out.

    Args:
        units: Positive integer, the size of the output's last axis.
        activation: Activation name or function; None means linear.
        use_bias: Whether to add a bias vector.
        kernel_initializer: Initializer of the `(input_dim, units)` kernel.
        bias_initializer: Initializer of the `(units,)` bias.
        kernel_regularizer: Regularizer of the kernel (adds to `losses`).
        bias_regularizer: Regularizer of the bias.
        activity_regularizer: Regularizer of the output.
        kernel_constraint: Constraint applied to the kernel after updates.
        bias_constraint: Constraint applied to the bias after updates.
        lora_rank: Keras 3's LoRA rank; simplified: only None (no LoRA).
        lora_alpha: Keras 3's LoRA scale; simplified: only None.
        quantization_config: Simplified: only None (no quantisation).
        **kwargs: `Layer` arguments (`name`, `dtype`, `input_shape`, ...).

    Input shape:
        `(batch_size, ..., input_dim)`, rank at least 2.

    Output shape:
        `(batch_size, ..., units)`.

    Example:

    >>> layer = Dense(input_shape=(10,), units=15)
    >>> layer(np.ones((20, 10))).shape
    (20, 15)
    """

    def __init__(
        self,
        units: int,
        activation: Any = None,
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        bias_constraint: Any = None,
        lora_rank: Any = None,
        lora_alpha: Any = None,
        quantization_config: Any = None,
        **kwargs,
    ):
        refuse_unsupported(
            "Dense",
            lora_rank=lora_rank,
            lora_alpha=lora_alpha,
            quantization_config=quantization_config,
        )
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.units = check_positive_count(units, "units", "Dense")
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=2)
        self.supports_masking = True

    def build(self, input_shape: tuple) -> None:
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(
                f'Layer "{self.name}" (Dense) needs the size of the last axis of '
                f"its input to create its kernel, but received input_shape="
                f"{tuple(input_shape)}. Give that axis a fixed size."
            )
        self.kernel = self.add_weight(
            name="kernel",
            shape=(input_dim, self.units),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias",
                shape=(self.units,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})

    def call(self, inputs: Any) -> Any:
        if inputs.dtype != self._dtype:  # integer data: compute in floats
            inputs = math_ops.cast(inputs, self._dtype)
        if inputs.ndim == 2:
            outputs = math_ops.matmul(inputs, self.kernel)
        else:
            # Fold the leading axes into one: a single 2-D product, whose
            # kernel gradient is one matrix product instead of a batch of them.
            leading = tuple(inputs.shape[:-1])
            flat = array_ops.reshape(inputs, (-1, inputs.shape[-1]))
            outputs = array_ops.reshape(
                math_ops.matmul(flat, self.kernel), leading + (self.units,)
            )
        if self.bias is not None:
            outputs = math_ops.add(outputs, self.bias)
        return self.activation(outputs)

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return tuple(input_shape)[:-1] + (self.units,)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            units=self.units,
            activation=activations.serialize(self.activation),
            use_bias=self.use_bias,
            kernel_initializer=initializers.serialize(self.kernel_initializer),
            bias_initializer=initializers.serialize(self.bias_initializer),
            kernel_regularizer=regularizers.serialize(self.kernel_regularizer),
            bias_regularizer=regularizers.serialize(self.bias_regularizer),
            activity_regularizer=regularizers.serialize(self.activity_regularizer),
            kernel_constraint=constraints.serialize(self.kernel_constraint),
            bias_constraint=constraints.serialize(self.bias_constraint),
            quantization_config=None,  # Keras 3's key, so its configs match ours
        )
        return config
