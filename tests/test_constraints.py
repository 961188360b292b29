"""Constraints: Keras's projections, applied to weights after updates."""

import numpy as np
import pytest

import nanokeras as nk
from nanokeras import constraints

WEIGHTS = np.array([[3.0, -0.1, 0.2], [4.0, 0.5, -0.3]], dtype="float32")


@pytest.mark.keras
@pytest.mark.parametrize(
    "config",
    [
        {"class_name": "MaxNorm", "config": {"max_value": 2.0, "axis": 0}},
        {"class_name": "NonNeg", "config": {}},
        {"class_name": "UnitNorm", "config": {"axis": 1}},
        {"class_name": "MinMaxNorm", "config": {"min_value": 0.5, "max_value": 1.0,
                                                "rate": 0.5, "axis": 0}},
    ],
)  # fmt: skip
def test_projections_equal_keras(real_keras, config):
    expected = np.asarray(real_keras.constraints.get(config)(WEIGHTS))
    ours = constraints.get(config)(nk.Variable(WEIGHTS))
    assert ours.dtype == "float32"
    np.testing.assert_allclose(np.asarray(ours), expected, rtol=1e-6, atol=1e-7)


def test_get_by_name_and_round_trip():
    assert isinstance(constraints.get("non_neg"), constraints.NonNeg)
    assert isinstance(constraints.get("MaxNorm"), constraints.MaxNorm)
    rebuilt = constraints.deserialize(constraints.serialize(constraints.MaxNorm(3, 1)))
    assert rebuilt.get_config() == {"max_value": 3, "axis": 1}


def test_misuse_errors():
    with pytest.raises(ValueError, match="'nonneg'"):
        constraints.get("nonneg")
