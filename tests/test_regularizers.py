"""Regularizers: Keras's penalties, differentiable through the tape, and `get`."""

import numpy as np
import pytest

import nanokeras as nk
from nanokeras import regularizers

WEIGHTS = np.array([[0.5, -1.5], [2.0, -0.25]], dtype="float32")


@pytest.mark.keras
@pytest.mark.parametrize(
    "config",
    [
        {"class_name": "L1", "config": {"l1": 0.3}},
        {"class_name": "L2", "config": {"l2": 0.2}},
        {"class_name": "L1L2", "config": {"l1": 0.1, "l2": 0.4}},
    ],
)
def test_penalties_equal_keras(real_keras, config):
    expected = float(real_keras.regularizers.get(config)(WEIGHTS))
    ours = regularizers.get(config)(nk.Tensor(WEIGHTS))
    np.testing.assert_allclose(float(ours), expected, rtol=1e-6)


def test_default_factors_and_names():
    assert regularizers.get("l2").l2 == 0.01
    assert regularizers.get("l1").l1 == 0.01
    assert isinstance(regularizers.get("l1_l2"), regularizers.L1L2)
    assert regularizers.l2 is regularizers.L2


def test_gradient_of_l2_penalty_is_2_l2_w():
    weight = nk.Variable(WEIGHTS)
    with nk.GradientTape() as tape:
        penalty = regularizers.L2(0.5)(weight)
    np.testing.assert_allclose(np.asarray(tape.gradient(penalty, weight)), WEIGHTS)


def test_serialize_round_trip_and_callables():
    rebuilt = regularizers.deserialize(
        regularizers.serialize(regularizers.L1L2(0.1, 0.2))
    )
    assert rebuilt.get_config() == {"l1": 0.1, "l2": 0.2}

    def custom(weight):
        return 0.0

    assert regularizers.get(custom) is custom


def test_misuse_errors():
    with pytest.raises(ValueError, match=r"L2.*l2=-0.1"):
        regularizers.L2(-0.1)
    with pytest.raises(ValueError, match="'l3'"):
        regularizers.get("l3")
