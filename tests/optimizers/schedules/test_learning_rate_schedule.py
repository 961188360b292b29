"""Learning rate schedules: Keras 3's values at every step, config, errors."""

import numpy as np
import pytest

from nanokeras.optimizers import schedules

CASES = [
    (
        "ExponentialDecay",
        {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5},
    ),
    (
        "ExponentialDecay",
        {
            "initial_learning_rate": 0.3,
            "decay_steps": 7,
            "decay_rate": 0.9,
            "staircase": True,
        },
    ),
    (
        "PiecewiseConstantDecay",
        {"boundaries": [10, 20, 35], "values": [1.0, 0.5, 0.2, 0.05]},
    ),
    ("CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 30}),
    ("CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 30, "alpha": 0.2}),
    (
        "CosineDecay",
        {
            "initial_learning_rate": 0.0,
            "decay_steps": 25,
            "warmup_target": 0.2,
            "warmup_steps": 10,
        },
    ),
]


@pytest.mark.keras
@pytest.mark.parametrize("case", CASES, ids=lambda c: c[0])
def test_values_match_keras_at_every_step(real_keras, case):
    name, kwargs = case
    ours = getattr(schedules, name)(**kwargs)
    theirs = getattr(real_keras.optimizers.schedules, name)(**kwargs)
    for step in range(50):
        np.testing.assert_allclose(
            float(ours(step)),
            float(theirs(step)),
            rtol=1e-6,
            atol=1e-7,
            err_msg=f"step {step}",
        )


def test_book_values():
    decay = schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    assert float(decay(20)) == pytest.approx(0.025)
    piecewise = schedules.PiecewiseConstantDecay([100, 200], [1.0, 0.5, 0.1])
    assert [float(piecewise(s)) for s in (0, 100, 101, 200, 201)] == pytest.approx(
        [1.0, 1.0, 0.5, 0.5, 0.1]
    )
    cosine = schedules.CosineDecay(1.0, decay_steps=10)
    assert [float(cosine(s)) for s in (0, 5, 10, 50)] == pytest.approx(
        [1.0, 0.5, 0.0, 0.0]
    )


@pytest.mark.parametrize("case", CASES, ids=lambda c: c[0])
def test_serialize_round_trip(case):
    name, kwargs = case
    schedule = getattr(schedules, name)(**kwargs)
    rebuilt = schedules.deserialize(schedules.serialize(schedule))
    assert type(rebuilt) is type(schedule)
    assert rebuilt.get_config() == schedule.get_config()
    assert float(rebuilt(13)) == float(schedule(13))


def test_errors():
    with pytest.raises(ValueError, match="`decay_steps` must be > 0"):
        schedules.ExponentialDecay(0.1, decay_steps=0, decay_rate=0.5)
    with pytest.raises(ValueError, match="boundaries should be 1 less"):
        schedules.PiecewiseConstantDecay([1, 2], [1.0, 0.5])
    with pytest.raises(ValueError, match="Unknown learning rate schedule: 'Linear'"):
        schedules.deserialize({"class_name": "Linear", "config": {}})
    with pytest.raises(NotImplementedError, match="must override `__call__"):
        schedules.LearningRateSchedule()(0)
