"""Fixtures for the optimizer tests: shared shapes and gradient streams."""

import numpy as np
import pytest

SHAPES = [(4, 3), (3,), (2, 2, 2)]


@pytest.fixture
def gradient_stream():
    """50 steps of random gradients for `SHAPES`, with a coordinate stuck at zero."""
    rng = np.random.default_rng(42)
    steps = []
    for _ in range(50):
        grads = [rng.normal(0, 1.5, size=shape).astype("float32") for shape in SHAPES]
        grads[0][0, 0] = 0.0  # a parameter that never gets a gradient
        steps.append(grads)
    return steps


@pytest.fixture
def initial_values():
    rng = np.random.default_rng(7)
    return [rng.normal(size=shape).astype("float32") for shape in SHAPES]
