"""`activations`: Keras's names and values, `get`, `serialize`, gradients."""

import numpy as np
import pytest

import nanokeras as nk
from nanokeras import activations

NAMES = [
    "relu", "leaky_relu", "relu6", "elu", "selu", "gelu", "sigmoid", "hard_sigmoid",
    "hard_silu", "silu", "swish", "tanh", "softplus", "softsign", "mish",
    "exponential", "softmax", "log_softmax", "linear",
]  # fmt: skip
X = np.random.default_rng(0).normal(scale=3.0, size=(4, 6)).astype("float32")


@pytest.mark.keras
@pytest.mark.parametrize("name", NAMES)
def test_values_equal_keras(real_keras, name):
    expected = np.asarray(real_keras.activations.get(name)(X))
    ours = np.asarray(activations.get(name)(nk.Tensor(X)))
    np.testing.assert_allclose(ours, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.keras
@pytest.mark.parametrize(
    "kwargs",
    [
        {"negative_slope": 0.1},
        {"max_value": 2.0},
        {"threshold": 0.5},
        {"negative_slope": 0.3, "max_value": 4.0, "threshold": -1.0},
    ],
)
def test_relu_arguments_equal_keras(real_keras, kwargs):
    expected = np.asarray(real_keras.activations.relu(X, **kwargs))
    ours = np.asarray(activations.relu(nk.Tensor(X), **kwargs))
    np.testing.assert_allclose(ours, expected, rtol=1e-6, atol=1e-7)


def test_relu_with_arguments_is_differentiable():
    x = nk.Variable(np.array([-2.0, 0.5, 3.0], "float32"))
    with nk.GradientTape() as tape:
        total = nk.ops.sum(activations.relu(x, negative_slope=0.1, max_value=2.0))
    gradient = tape.gradient(total, x)
    np.testing.assert_allclose(np.asarray(gradient), [0.1, 1.0, 0.0])


def test_get_serialize_deserialize():
    assert activations.get(None) is activations.linear
    assert activations.get("relu") is activations.relu
    assert activations.get(activations.tanh) is activations.tanh
    assert activations.serialize(activations.softmax) == "softmax"
    assert activations.deserialize("swish") is activations.silu
    assert activations.get({"class_name": "sigmoid", "config": {}}) is (
        activations.sigmoid
    )


def test_misuse_errors_name_the_value():
    with pytest.raises(ValueError, match="'rellu'"):
        activations.get("rellu")
    with pytest.raises(TypeError, match="42"):
        activations.get(42)
