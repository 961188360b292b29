"""`Loss`: the base of every loss, which weights and reduces per-sample values.

Mirrors: keras/losses.py (tf.keras 2.6), keras/src/losses/loss.py (Keras 3)

Every loss runs in three steps, the same for all of them:

1. `Loss.__call__` converts `y_true` and `y_pred` to tensors of the loss dtype;
2. `call` computes one loss value per sample (a *function* such as
   `mean_squared_error` does this; `LossFunctionWrapper` in
   `losses/losses.py` turns the function into a `Loss`);
3. the values are multiplied by `sample_weight` and reduced to a scalar
   (`reduction`, `"sum_over_batch_size"` by default: the mean).

Simplified: the weighting and reduction helpers that Keras 3 keeps in this
file (`standardize_reduction`, `reduce_weighted_values`, ...) live in
`utils/losses_utils.py`, where tf.keras 2.x keeps them, because metrics and
the losses container use them too.
"""

from typing import Any

import numpy as np

from api_export import export
from backend import config
from backend.module import camel_to_snake
from backend.tensor import Tensor
from utils.losses_utils import (
    as_tensor,
    get_mask,
    reduce_weighted_values,
    standardize_reduction,
)


@export("nanokeras.Loss", "nanokeras.losses.Loss")
class Loss:
    """The base of every loss: weighting by `sample_weight` and reduction.

    Subclasses implement `call(y_true, y_pred)`, which returns one loss value
    per sample (per entry of the batch dimensions). `__call__` converts the
    inputs, calls `call`, weights the values and reduces them.

    Args:
        name: Name of the loss. Defaults to the class name in snake case.
        reduction: How per-sample values become the result:
            `"sum_over_batch_size"` (default) and `"mean"` divide the weighted
            sum by the number of values, `"sum"` returns the weighted sum,
            `"mean_with_sample_weight"` divides by the sum of the weights, and
            `None` or `"none"` return the weighted values unreduced.
        dtype: The dtype of the computation. Defaults to `floatx()`.

    Example:

    >>> class MeanFourthPower(Loss):
    ...     def call(self, y_true, y_pred):
    ...         return ops.mean((y_pred - y_true) ** 4, axis=-1)
    """

    def __init__(
        self,
        name: str | None = None,
        reduction: str | None = "sum_over_batch_size",
        dtype: Any = None,
    ):
        self.name = name or camel_to_snake(type(self).__name__)
        self.reduction = standardize_reduction(reduction)
        self._compute_dtype = np.dtype(dtype or config.floatx())
        self._dtype = self._compute_dtype.name

    @property
    def dtype(self) -> str:
        return self._dtype

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Tensor:
        """Compute the weighted, reduced loss of `y_pred` against `y_true`."""
        y_pred = as_tensor(y_pred, self._compute_dtype)
        y_true = as_tensor(y_true, self._compute_dtype)
        losses = self.call(y_true, y_pred)
        return reduce_weighted_values(
            losses,
            sample_weight=sample_weight,
            mask=get_mask(losses),
            reduction=self.reduction,
            dtype=self._compute_dtype,
            loss_name=self.name,
        )

    def call(self, y_true: Tensor, y_pred: Tensor) -> Tensor:
        """Return the unreduced loss values; subclasses implement this."""
        raise NotImplementedError(
            f"Loss '{type(self).__name__}' must implement `call(y_true, y_pred)`."
        )

    def get_config(self) -> dict:
        """The loss's `name` and `reduction`; subclasses add their own arguments."""
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config: dict) -> "Loss":
        """Rebuild a loss from the dictionary `get_config` returned."""
        return cls(**config)
