"""ReLU, LeakyReLU, PReLU, ELU, Softmax layers: parity with Keras 3, gradients,
masks, config, misuse."""

import numpy as np
import pytest

import nanokeras as keras
from tests.layers.gradcheck import check_layer_gradients

CASES = {
    "ReLU": {"max_value": 1.5, "negative_slope": 0.1, "threshold": 0.2},
    "LeakyReLU": {"negative_slope": 0.25},
    "ELU": {"alpha": 0.7},
    "Softmax": {"axis": 1},
    "PReLU": {"shared_axes": [1]},
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_parity_with_keras(real_keras, name):
    x = np.random.default_rng(0).normal(size=(3, 4, 5)).astype("float32")
    ours = getattr(keras.layers, name)(**CASES[name])
    theirs = getattr(real_keras.layers, name)(**CASES[name])
    expected = np.asarray(theirs(x))
    if name == "PReLU":  # a learned slope: give both the same one
        alpha = np.random.default_rng(1).uniform(size=(1, 5)).astype("float32")
        ours.build(x.shape)
        ours.set_weights([alpha])
        theirs.set_weights([alpha])
        expected = np.asarray(theirs(x))
    np.testing.assert_allclose(ours(x).numpy(), expected, rtol=1e-5, atol=1e-6)
    assert set(ours.get_config()) == set(theirs.get_config()) - {"_build_config"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradients_match_finite_differences(name):
    layer = getattr(keras.layers, name)(dtype="float64", **CASES[name])
    # Away from the kinks (0 and the thresholds), where the slope is defined.
    x = np.random.default_rng(2).choice([-1.3, -0.6, 0.7, 1.1], size=(2, 3, 4))
    check_layer_gradients(layer, x)


def test_leaky_relu_accepts_tf_keras_alpha():
    layer = keras.layers.LeakyReLU(alpha=0.5)
    assert layer.negative_slope == 0.5
    np.testing.assert_allclose(layer(np.array([[-2.0, 2.0]])).numpy(), [[-1.0, 2.0]])


def test_prelu_learns_one_slope_per_unshared_axis():
    layer = keras.layers.PReLU(shared_axes=[1, 2], name="slopes")
    layer(np.ones((2, 5, 5, 3)))
    assert layer.alpha.shape == (1, 1, 3) and layer.weights[0].name == "slopes/alpha:0"
    with pytest.raises(
        ValueError, match="slopes.*axis 3 of input shape to have value 3"
    ):
        layer(np.ones((2, 5, 5, 4)))


def test_softmax_gives_masked_positions_zero_probability():
    logits = np.array([[1.0, 1.0, 9.0], [2.0, 0.0, 0.0]], "float32")
    mask = np.array([[True, True, False], [False, False, False]])
    out = keras.layers.Softmax()(logits, mask=mask).numpy()
    np.testing.assert_allclose(out[0], [0.5, 0.5, 0.0])
    np.testing.assert_allclose(out[1], [0.0, 0.0, 0.0])  # all masked: no nan


def test_softmax_mask_of_the_wrong_shape_is_a_clear_error():
    with pytest.raises(ValueError, match=r"mask.*shape=\(2, 3\).*mask.shape=\(2, 4\)"):
        keras.layers.Softmax(name="probs")(np.ones((2, 3)), mask=np.ones((2, 4), bool))


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: keras.layers.ReLU(max_value=-1.0), "max_value"),
        (lambda: keras.layers.ReLU(negative_slope=-0.1), "negative_slope"),
        (lambda: keras.layers.LeakyReLU(negative_slope=None), "negative_slope"),
    ],
)
def test_invalid_arguments_name_the_argument(make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize("name", sorted(CASES))
def test_config_round_trip_and_mask_passes_through(name):
    layer = getattr(keras.layers, name)(**CASES[name])
    clone = type(layer).from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()
    inputs = keras.Input((None,), dtype="int32")
    embedded = keras.layers.Embedding(10, 5, mask_zero=True)(inputs)
    assert getattr(keras.layers, name)(**CASES[name])(embedded)._keras_mask is not None
