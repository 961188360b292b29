"""backend/ops/nn.py forward values: formulas, numerical safety, dtypes, Keras parity.

The gradients are checked in test_op_gradients.py.
"""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from scipy import special

import nanokeras as nk
from nanokeras import ops
from tests import strategies as sts

ACTIVATIONS = [
    "relu",
    "relu6",
    "sigmoid",
    "tanh",
    "softmax",
    "log_softmax",
    "elu",
    "selu",
    "softplus",
    "softsign",
    "gelu",
    "silu",
    "swish",
    "leaky_relu",
    "hard_sigmoid",
    "hard_silu",
    "hard_swish",
]

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946

# Reference formulas written independently of the implementation, in float64.
REFERENCES = {
    "relu": lambda x: np.where(x > 0, x, 0.0),
    "relu6": lambda x: np.minimum(np.where(x > 0, x, 0.0), 6.0),
    "sigmoid": special.expit,
    "tanh": np.tanh,
    "softmax": lambda x: special.softmax(x, axis=-1),
    "log_softmax": lambda x: special.log_softmax(x, axis=-1),
    "elu": lambda x: np.where(x > 0, x, np.expm1(x)),
    "selu": lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(x)),
    "softplus": lambda x: np.log1p(np.exp(-np.abs(x))) + np.maximum(x, 0),
    "softsign": lambda x: x / (1 + np.abs(x)),
    "gelu": lambda x: (
        0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))
    ),
    "silu": lambda x: x * special.expit(x),
    "swish": lambda x: x * special.expit(x),
    "leaky_relu": lambda x: np.where(x > 0, x, 0.2 * x),
    "hard_sigmoid": lambda x: np.clip((x + 3) / 6, 0, 1),
    "hard_silu": lambda x: x * np.clip((x + 3) / 6, 0, 1),
    "hard_swish": lambda x: x * np.clip((x + 3) / 6, 0, 1),
}


@pytest.mark.parametrize("name", ACTIVATIONS)
@settings(max_examples=25, deadline=None)
@given(x=sts.float_arrays(sts.shapes(min_dims=1), -8, 8))
def test_activation_matches_its_formula(name, x):
    np.testing.assert_allclose(
        getattr(ops, name)(x).numpy(), REFERENCES[name](x), rtol=1e-12, atol=1e-14
    )


def test_exact_gelu_matches_the_normal_cdf():
    x = np.linspace(-12, 12, 2001)
    expected = x * special.ndtr(x)
    np.testing.assert_allclose(
        ops.gelu(x, approximate=False).numpy(), expected, rtol=1e-11, atol=1e-300
    )


def test_keyword_arguments_follow_keras():
    x = np.array([-2.0, -0.5, 0.5, 2.0])
    np.testing.assert_allclose(
        ops.leaky_relu(x, negative_slope=0.1), np.where(x > 0, x, 0.1 * x)
    )
    np.testing.assert_allclose(
        ops.elu(x, alpha=2.0), np.where(x > 0, x, 2 * np.expm1(x))
    )
    matrix = np.arange(6.0).reshape(2, 3)
    np.testing.assert_allclose(
        ops.softmax(matrix, axis=0), special.softmax(matrix, axis=0), rtol=1e-12
    )
    np.testing.assert_allclose(
        ops.log_softmax(matrix, axis=(0, 1)),
        special.log_softmax(matrix, axis=(0, 1)),
        rtol=1e-12,
    )


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_extreme_inputs_stay_finite_without_warnings(name):
    x = np.array([[-1e4, -50.0, 0.0, 50.0, 1e4]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow warning fails the test
        out = getattr(ops, name)(x).numpy()
    assert np.all(np.isfinite(out)), out


def test_stable_values_at_the_extremes():
    x = np.array([-1000.0, 1000.0])
    np.testing.assert_array_equal(ops.sigmoid(x).numpy(), [0.0, 1.0])
    np.testing.assert_array_equal(ops.softplus(x).numpy(), [0.0, 1000.0])
    np.testing.assert_allclose(ops.softmax(x).numpy(), [0.0, 1.0])
    np.testing.assert_allclose(ops.log_softmax(x).numpy(), [-2000.0, 0.0])


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_float32_stays_float32_in_value_and_gradient(name):
    x = nk.Variable(np.linspace(-4, 4, 12, dtype="float32").reshape(3, 4))
    with nk.GradientTape() as tape:
        out = getattr(ops, name)(x)
        total = ops.sum(out * np.float32(0.5))
    assert out.dtype == "float32"
    assert tape.gradient(total, x).dtype == "float32"


def test_integer_and_python_inputs_become_floatx():
    assert ops.relu(np.array([1, -2])).dtype == "float32"
    assert ops.sigmoid(0.0).dtype == "float32"


def test_moments_mean_and_variance():
    x = np.random.default_rng(0).normal(size=(4, 3, 5))
    mean, variance = ops.moments(x, axes=(0, 2))
    np.testing.assert_allclose(mean.numpy(), x.mean(axis=(0, 2)))
    np.testing.assert_allclose(variance.numpy(), x.var(axis=(0, 2)))
    mean, variance = ops.moments(x, axes=[1], keepdims=True)
    assert mean.shape == variance.shape == (4, 1, 5)
    # A constant offset much larger than the spread: the variance stays exact.
    _, variance = ops.moments(np.array([1e8, 1e8 + 1, 1e8 + 2]), axes=0)
    np.testing.assert_allclose(variance.numpy(), 2 / 3)


@pytest.mark.keras
@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_parity_with_keras(real_keras, name):
    x = np.random.default_rng(1).normal(scale=4.0, size=(3, 7)).astype("float32")
    ours = getattr(ops, name)(x).numpy()
    theirs = np.asarray(getattr(real_keras.ops, name)(x))
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


@pytest.mark.keras
def test_parity_with_keras_arguments(real_keras):
    x = np.random.default_rng(2).normal(scale=3.0, size=(4, 6)).astype("float32")
    cases = [
        ("gelu", {"approximate": False}),
        ("elu", {"alpha": 0.5}),
        ("leaky_relu", {"negative_slope": 0.05}),
        ("softmax", {"axis": 0}),
        ("log_softmax", {"axis": 0}),
    ]
    for name, kwargs in cases:
        np.testing.assert_allclose(
            getattr(ops, name)(x, **kwargs).numpy(),
            np.asarray(getattr(real_keras.ops, name)(x, **kwargs)),
            rtol=1e-5,
            atol=1e-6,
            err_msg=f"{name}({kwargs})",
        )
    for ours, theirs in zip(
        ops.moments(x, axes=[0]), real_keras.ops.moments(x, axes=[0])
    ):
        np.testing.assert_allclose(ours.numpy(), np.asarray(theirs), rtol=1e-5)
