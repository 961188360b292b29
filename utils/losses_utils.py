"""Weighting and reducing per-sample losses: the shared tail of every `Loss`.

Mirrors: keras/utils/losses_utils.py (tf.keras 2.6), keras/src/losses/loss.py
helpers (Keras 3)

A loss function returns one value per sample; `reduce_weighted_values` turns
them into the number training minimises: multiply by `sample_weight` (and by
a mask, when a loss ignores some entries), then reduce (`"sum_over_batch_size"`,
the mean, by default). Kept apart from `losses/` so metrics and the losses
container can weight values the same way.
"""

import weakref
from typing import Any

import numpy as np

from backend.ops import math as math_ops
from backend.ops.core import from_owned_array, value_of
from backend.tensor import Tensor, TensorLike, convert_to_tensor

REDUCTIONS = (
    "sum_over_batch_size",
    "sum",
    "mean",
    "mean_with_sample_weight",
    "none",
    None,
)


def standardize_reduction(reduction: Any) -> Any:
    """Return `reduction` if it is a known reduction, else raise."""
    if reduction not in REDUCTIONS:
        raise ValueError(
            f"Invalid value for argument `reduction`: {reduction!r}. Expected one "
            f"of {list(REDUCTIONS)}."
        )
    return reduction


def squeeze_or_expand_to_same_rank(
    x1: Any, x2: Any, expand_rank_1: bool = True
) -> tuple:
    """Make ranks equal when they differ by one trailing axis of size 1.

    Labels of shape `(batch,)` against predictions of shape `(batch, 1)` (or
    the reverse) are the usual case: the rank-1 side gets an axis, otherwise
    the size-1 axis is dropped. Indexing does both, so the same code serves
    the metrics (numpy arrays) and the losses (tensors: `x[..., 0]` is a
    differentiable op).
    """
    rank1, rank2 = len(x1.shape), len(x2.shape)
    if rank1 == rank2 + 1 and x1.shape[-1] == 1:
        if rank2 == 1 and expand_rank_1:
            return x1, x2[..., None]
        return x1[..., 0], x2
    if rank2 == rank1 + 1 and x2.shape[-1] == 1:
        if rank1 == 1 and expand_rank_1:
            return x1[..., None], x2
        return x1, x2[..., 0]
    return x1, x2


def reduce_weighted_values(
    values: Any,
    sample_weight: Any = None,
    mask: Any = None,
    reduction: str | None = "sum_over_batch_size",
    dtype: Any = None,
    loss_name: str = "loss",
) -> Tensor:
    """Weight per-sample loss `values` (by `sample_weight` and `mask`), then reduce.

    A mask (from `ignore_class`) with a mean reduction gives the valid entries
    the weight `total / valid`, so the mean is taken over valid entries only.
    """
    values = as_tensor(values, dtype or np.asarray(value_of(values)).dtype)
    if sample_weight is not None:
        sample_weight = as_tensor(sample_weight, value_of(values).dtype)
    if mask is not None:
        mask = np.asarray(mask, dtype=bool)
        if reduction in ("mean", "sum_over_batch_size"):
            valid = int(mask.sum())
            scale = mask.size / valid if valid else 0.0
            mask_weight = np.where(mask, scale, 0.0).astype(value_of(values).dtype)
        else:
            mask_weight = mask.astype(value_of(values).dtype)
        if sample_weight is None:
            sample_weight = from_owned_array(mask_weight)
        else:
            mask_tensor = from_owned_array(mask_weight)
            mask_tensor, sample_weight = squeeze_or_expand_to_same_rank(
                mask_tensor, sample_weight
            )
            sample_weight = sample_weight * mask_tensor
    if sample_weight is not None:
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        check_broadcastable(
            loss_name, "losses", values.shape, "sample_weight", sample_weight.shape
        )
        values = values * sample_weight
    return _reduce_values(values, sample_weight, reduction)


def _reduce_values(values: Tensor, sample_weight: Any, reduction: Any) -> Tensor:
    """Sum, or sum and divide (by the count or the total weight), or keep."""
    if reduction in (None, "none") or values.shape in ((), (0,)):
        return values
    if reduction == "sum":
        return math_ops.sum(values)
    if reduction != "mean_with_sample_weight" or sample_weight is None:
        # The sum divided by the number of values: one `mean` op, not two.
        return math_ops.mean(values)
    divisor = float(np.sum(value_of(sample_weight)))
    loss = math_ops.sum(values)
    # Keras divides "no NaN": a zero total weight gives 0.
    return loss / divisor if divisor else loss * 0.0


def as_tensor(x: Any, dtype: str) -> Any:
    """`x` as a tensor of `dtype`; tensors are cast with a differentiable op."""
    if isinstance(x, TensorLike):
        # Compare numpy dtypes: `Tensor.dtype` builds a name string, slowly.
        return x if value_of(x).dtype == dtype else math_ops.cast(x, dtype)
    return convert_to_tensor(x, dtype=dtype)


def check_broadcastable(
    loss_name: str, name1: str, shape1: tuple, name2: str, shape2: tuple
) -> None:
    """Raise a clear error naming the loss when two shapes cannot broadcast."""
    if shape1 == shape2:  # the usual case, and numpy's check costs microseconds
        return
    try:
        np.broadcast_shapes(shape1, shape2)
    except ValueError:
        raise ValueError(
            f"Loss '{loss_name}': {name1} of shape {shape1} and {name2} of shape "
            f"{shape2} are incompatible (they neither match nor broadcast). Pass "
            "arrays with the same batch shape, e.g. both (batch_size, units)."
        ) from None


# Masks travel from a loss function to `Loss.__call__` beside the tensor (as
# Keras attaches `_keras_mask`). Keyed by id, dropped when the tensor dies.
_MASKS: dict[int, tuple] = {}


def set_mask(tensor: Tensor, mask: np.ndarray) -> None:
    """Attach a boolean `mask` (True = counts) to the loss values `tensor`."""
    key = id(tensor)
    _MASKS[key] = (weakref.ref(tensor, lambda _: _MASKS.pop(key, None)), mask)


def get_mask(tensor: Any) -> np.ndarray | None:
    """The mask `set_mask` attached to `tensor`, or None."""
    entry = _MASKS.get(id(tensor))
    return entry[1] if entry is not None and entry[0]() is tensor else None
