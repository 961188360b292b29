"""`Embedding`: look up a learned vector for each integer id.

Mirrors: keras/layers/embeddings.py (tf.keras 2.6),
keras/src/layers/core/embedding.py (Keras 3)

Simplified: no LoRA, no quantisation, no sparse gradients (the table's
gradient is a dense array).
"""

import warnings
from typing import Any

import numpy as np

import constraints
import initializers
import regularizers
from api_export import export
from backend.ops.raw_ops import array as array_ops
from backend.ops.raw_ops import math as math_ops
from engine.base_layer import Layer
from utils.argument_validation import check_positive_count, refuse_unsupported


@export("nanokeras.layers.Embedding")
class Embedding(Layer):
    """Adds to `Layer` an `(input_dim, output_dim)` table whose rows the ids select.

    `Embedding` is `take(embeddings, ids, axis=0)`: its gradient adds each
    output's gradient into the row it was read from, so only the rows of the
    ids seen in a batch change. With `mask_zero=True` the id 0 means padding:
    the outputs carry a mask (`ids != 0`) that mask-aware layers such as the
    RNNs read. Simplified: no LoRA, no quantisation, no sparse gradients (the
    table's gradient is a dense array).

    Args:
        input_dim: Size of the vocabulary: ids lie in `[0, input_dim)`.
        output_dim: Size of each embedding vector.
        embeddings_initializer: Initializer of the table (Keras's `"uniform"`,
            uniform in `[-0.05, 0.05]`).
        embeddings_regularizer: Regularizer of the table.
        embeddings_constraint: Constraint applied to the table after updates.
        mask_zero: Whether id 0 is padding to be masked. The vocabulary then
            needs `input_dim = vocabulary size + 1`.
        weights: An initial `(input_dim, output_dim)` table (set at once, as
            Keras), or None.
        lora_rank: Keras 3's LoRA rank; simplified: only None (no LoRA).
        lora_alpha: Keras 3's LoRA scale; simplified: only None.
        quantization_config: Simplified: only None (no quantisation).
        **kwargs: `Layer` arguments (`name`, `dtype`, ...); the deprecated
            `input_length` is ignored with a warning.

    Input shape:
        Integer ids of any shape `(batch_size, ...)`.

    Output shape:
        `(batch_size, ..., output_dim)`.

    Example:

    >>> layer = Embedding(input_dim=10, output_dim=3, mask_zero=True)
    >>> layer(np.array([[4, 0, 2]])).shape
    (1, 3, 3)
    """

    def __init__(
        self,
        input_dim: int,
        output_dim: int,
        embeddings_initializer: Any = "uniform",
        embeddings_regularizer: Any = None,
        embeddings_constraint: Any = None,
        mask_zero: bool = False,
        weights: Any = None,
        lora_rank: Any = None,
        lora_alpha: Any = None,
        quantization_config: Any = None,
        **kwargs,
    ):
        refuse_unsupported(
            "Embedding",
            lora_rank=lora_rank,
            lora_alpha=lora_alpha,
            quantization_config=quantization_config,
        )
        if kwargs.pop("input_length", None) is not None:
            warnings.warn(
                "Argument `input_length` of Embedding is deprecated (as in "
                "Keras 3) and ignored. Just remove it.",
                stacklevel=2,
            )
        super().__init__(**kwargs)
        self.input_dim = check_positive_count(input_dim, "input_dim", "Embedding")
        self.output_dim = check_positive_count(output_dim, "output_dim", "Embedding")
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = bool(mask_zero)
        self.supports_masking = self.mask_zero
        if weights is not None:
            # The table's shape is known without any input: build right away.
            self.build()
            is_list = isinstance(weights, list) and len(weights) == 1
            self.set_weights(weights if is_list else [weights])

    def build(self, input_shape: Any = None) -> None:
        self.embeddings = self.add_weight(
            name="embeddings",
            shape=(self.input_dim, self.output_dim),
            initializer=self.embeddings_initializer,
            regularizer=self.embeddings_regularizer,
            constraint=self.embeddings_constraint,
        )

    def call(self, inputs: Any) -> Any:
        ids = inputs
        if ids.dtype.startswith("float"):
            ids = math_ops.cast(ids, "int32")  # Keras accepts float ids too
        elif not ids.dtype.startswith(("int", "uint")):
            raise TypeError(
                f'Layer "{self.name}" (Embedding) expects integer ids, but '
                f"received inputs of dtype {ids.dtype}."
            )
        self._check_ids(ids)
        return array_ops.take(self.embeddings, ids, axis=0)

    def _check_ids(self, ids: Any) -> None:
        """Refuse ids outside `[0, input_dim)`, as TensorFlow's gather does.

        numpy would read id -1 as the last row and raise a bare IndexError for
        id `input_dim`; either way the mistake must name the layer and the id.
        """
        values = np.asarray(ids)
        if not values.size:
            return
        low, high = values.min(), values.max()
        if 0 <= low and high < self.input_dim:
            return
        bad = low if low < 0 else high
        position = tuple(int(i) for i in np.argwhere(values == bad)[0])
        raise ValueError(
            f'Layer "{self.name}" (Embedding) expects ids in [0, '
            f"{self.input_dim}) (input_dim={self.input_dim}), but received id "
            f"{bad} at position {position} of inputs with shape {values.shape}."
        )

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """`inputs != 0` when `mask_zero`, else None: id 0 marks padding."""
        if not self.mask_zero:
            return None
        return math_ops.not_equal(inputs, 0)

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return tuple(input_shape) + (self.output_dim,)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            input_dim=self.input_dim,
            output_dim=self.output_dim,
            embeddings_initializer=initializers.serialize(self.embeddings_initializer),
            embeddings_regularizer=regularizers.serialize(self.embeddings_regularizer),
            activity_regularizer=regularizers.serialize(self.activity_regularizer),
            embeddings_constraint=constraints.serialize(self.embeddings_constraint),
            mask_zero=self.mask_zero,
            quantization_config=None,  # Keras 3's key, so its configs match ours
        )
        return config
