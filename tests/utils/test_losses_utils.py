"""Weighting and reduction of per-sample losses, as Keras 3 defines them."""

import numpy as np
import pytest

from nanokeras import ops
from utils import losses_utils

VALUES = np.array([1.0, 2.0, 3.0, 4.0], dtype="float32")
WEIGHTS = np.array([1.0, 0.0, 2.0, 1.0], dtype="float32")


@pytest.mark.parametrize(
    ("reduction", "expected"),
    [
        ("sum_over_batch_size", (1 + 6 + 4) / 4),
        ("mean", (1 + 6 + 4) / 4),
        ("sum", 11.0),
        ("mean_with_sample_weight", 11.0 / 4.0),
        (None, [1.0, 0.0, 6.0, 4.0]),
        ("none", [1.0, 0.0, 6.0, 4.0]),
    ],
)
def test_reductions(reduction, expected):
    result = losses_utils.reduce_weighted_values(VALUES, WEIGHTS, reduction=reduction)
    np.testing.assert_allclose(result.numpy(), expected)


def test_mask_divides_by_valid_entries_only():
    mask = np.array([True, False, True, True])
    result = losses_utils.reduce_weighted_values(VALUES, mask=mask)
    assert float(result) == pytest.approx((1 + 3 + 4) / 3)
    summed = losses_utils.reduce_weighted_values(VALUES, mask=mask, reduction="sum")
    assert float(summed) == pytest.approx(8.0)


def test_zero_total_weight_gives_zero_not_nan():
    result = losses_utils.reduce_weighted_values(
        VALUES, np.zeros(4), reduction="mean_with_sample_weight"
    )
    assert float(result) == 0.0


def test_rank_matching():
    a, b = ops.ones((3,)), ops.ones((3, 1))
    x, y = losses_utils.squeeze_or_expand_to_same_rank(a, b)
    assert x.shape == (3, 1) and y.shape == (3, 1)
    a, b = ops.ones((3, 2)), ops.ones((3, 2, 1))
    x, y = losses_utils.squeeze_or_expand_to_same_rank(a, b)
    assert x.shape == (3, 2) and y.shape == (3, 2)


def test_mask_registry_follows_the_tensor():
    values = ops.ones((2,))
    losses_utils.set_mask(values, np.array([True, False]))
    assert losses_utils.get_mask(values).tolist() == [True, False]
    assert losses_utils.get_mask(ops.ones((2,))) is None


def test_bad_weights_error():
    with pytest.raises(ValueError, match=r"Loss 'my_loss'.*\(4,\).*\(3,\)"):
        losses_utils.reduce_weighted_values(VALUES, np.ones(3), loss_name="my_loss")
