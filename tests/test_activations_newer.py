"""Keras 3's newer activations (celu, glu, sparsemax, ...): values and gradients."""

import numpy as np
import pytest

import nanokeras as nk
from nanokeras import activations

# name -> keyword arguments (beyond `x`) to try
CASES = [
    ("celu", {}),
    ("celu", {"alpha": 0.5}),
    ("glu", {}),
    ("glu", {"axis": 0}),
    ("hard_shrink", {}),
    ("hard_shrink", {"threshold": 1.5}),
    ("hard_tanh", {}),
    ("log_sigmoid", {}),
    ("soft_shrink", {}),
    ("soft_shrink", {"threshold": 1.0}),
    ("sparse_plus", {}),
    ("sparse_sigmoid", {}),
    ("sparsemax", {}),
    ("sparsemax", {"axis": 0}),
    ("squareplus", {}),
    ("squareplus", {"b": 1.0}),
    ("tanh_shrink", {}),
    ("threshold", {"threshold": 0.5, "default_value": -2.0}),
]
# Away from the kinks (|x| = 0.5, 1, 1.5, ...) so finite differences are exact.
X = np.random.default_rng(1).uniform(-3.0, 3.0, size=(4, 6))
X = np.where(np.abs(np.abs(X) % 0.5 - 0.25) > 0.2, X + 0.1, X)


@pytest.mark.keras
@pytest.mark.parametrize("name,kwargs", [c for c in CASES if c[0] != "sparsemax"])
def test_values_equal_keras(real_keras, name, kwargs):
    x = X.astype("float32")
    expected = np.asarray(getattr(real_keras.activations, name)(x, **kwargs))
    ours = getattr(activations, name)(nk.Tensor(x), **kwargs)
    np.testing.assert_allclose(np.asarray(ours), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name,kwargs", CASES)
def test_gradients_match_finite_differences(name, kwargs):
    function = getattr(activations, name)
    shape = np.shape(function(nk.Tensor(X), **kwargs))
    probe = np.random.default_rng(2).normal(size=shape)
    x = nk.Variable(X.copy())
    with nk.GradientTape() as tape:
        loss = nk.ops.sum(function(x, **kwargs) * probe)
    analytic = np.asarray(tape.gradient(loss, x))
    numeric = np.zeros_like(X)
    step = 1e-6
    for index in np.ndindex(X.shape):
        up, down = X.copy(), X.copy()
        up[index] += step
        down[index] -= step
        numeric[index] = (
            np.sum(np.asarray(function(nk.Tensor(up), **kwargs)) * probe)
            - np.sum(np.asarray(function(nk.Tensor(down), **kwargs)) * probe)
        ) / (2 * step)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-6)


def test_sparsemax_gives_sparse_probabilities(real_keras):
    """Sparsemax is the projection onto the simplex (Martins & Astudillo 2016).

    Keras 3.15's backends compute the threshold from the sum of the kept
    partial sums instead of the last one, so their rows do not sum to 1 when
    more than one entry is kept; with a single kept entry both agree.
    """
    x = np.array([[1.0, 0.8, -1.0], [3.0, 1.0, -2.0]], "float32")
    out = np.asarray(activations.sparsemax(nk.Tensor(x)))
    np.testing.assert_allclose(out, [[0.6, 0.4, 0.0], [1.0, 0.0, 0.0]], atol=1e-6)
    np.testing.assert_allclose(
        out[1], np.asarray(real_keras.activations.sparsemax(x))[1]
    )
    rows = np.asarray(activations.sparsemax(nk.Tensor(X))).sum(-1)
    np.testing.assert_allclose(rows, 1.0, rtol=1e-12)


def test_names_resolve_and_errors_are_clear():
    assert activations.get("sparsemax") is activations.sparsemax
    assert activations.serialize(activations.celu) == "celu"
    assert nk.layers.Dense(2, activation="squareplus").activation is (
        activations.squareplus
    )
    with pytest.raises(ValueError, match=r"shape=\(4, 5\)"):
        activations.glu(nk.Tensor(np.ones((4, 5))))
