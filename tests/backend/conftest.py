"""Fixtures for the backend op tests: a finite-difference gradient checker."""

import numpy as np
import pytest

import nanokeras as keras


def _check_gradients(op, *arrays, tolerance=1e-6, eps=1e-6, seed=0):
    """Compare the tape's gradients of `sum(op(*arrays) * weights)` with
    central finite differences, for every argument, in float64.

    The random `weights` make every output element matter with a different
    factor, so a gradient sent to the wrong pixel or channel cannot cancel out.
    """
    arrays = [np.asarray(a, dtype="float64") for a in arrays]
    tensors = [keras.Tensor(a) for a in arrays]
    with keras.GradientTape() as tape:
        for tensor in tensors:
            tape.watch(tensor)
        output = op(*tensors)
        weights = np.random.default_rng(seed).standard_normal(output.shape)
        loss = keras.ops.sum(output * weights)
    analytic = tape.gradient(loss, tensors)

    def loss_at(values):
        return float(np.sum(op(*values).numpy() * weights))

    for index, array in enumerate(arrays):
        numeric = np.zeros_like(array)
        for position in np.ndindex(array.shape):
            shifted = [a.copy() for a in arrays]
            shifted[index][position] = array[position] + eps
            up = loss_at(shifted)
            shifted[index][position] = array[position] - eps
            numeric[position] = (up - loss_at(shifted)) / (2 * eps)
        grad = analytic[index].numpy()
        assert grad.shape == array.shape
        assert grad.dtype == np.float64
        scale = max(np.linalg.norm(numeric), np.linalg.norm(grad), 1e-12)
        error = np.linalg.norm(numeric - grad) / scale
        assert error < tolerance, f"argument {index}: relative error {error:.2e}"


@pytest.fixture(scope="session")
def check_gradients():
    """`check_gradients(op, *arrays)`: assert tape gradients match finite
    differences (relative error < 1e-6) for every argument of `op`."""
    return _check_gradients
