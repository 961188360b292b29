"""ZeroPadding2D, Cropping2D, UpSampling2D: shapes, gradients, Keras parity, misuse."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nanokeras as keras
from tests.layers.gradcheck import check_layer_gradients

FORMATS = ["channels_last", "channels_first"]
pairs = st.tuples(st.integers(0, 2), st.integers(0, 2))
amounts = st.one_of(
    st.integers(0, 2), pairs, st.tuples(pairs, pairs)
)  # the three forms Keras accepts
# Every non-batch axis >= 5, so that any crop of up to 2+2 fits either format.
images = st.tuples(
    st.integers(1, 2), st.integers(5, 6), st.integers(5, 6), st.integers(5, 6)
)


@settings(max_examples=25, deadline=None)
@given(shape=images, padding=amounts, data_format=st.sampled_from(FORMATS))
def test_zero_padding_shape_matches_compute_output_shape(shape, padding, data_format):
    layer = keras.layers.ZeroPadding2D(padding, data_format=data_format)
    out = layer(np.ones(shape))
    assert out.shape == layer.compute_output_shape(shape)
    assert float(np.sum(out.numpy())) == np.prod(shape)  # only zeros were added


@settings(max_examples=25, deadline=None)
@given(shape=images, cropping=amounts, data_format=st.sampled_from(FORMATS))
def test_cropping_shape_matches_compute_output_shape(shape, cropping, data_format):
    layer = keras.layers.Cropping2D(cropping, data_format=data_format)
    out = layer(np.ones(shape))
    assert out.shape == layer.compute_output_shape(shape)


@settings(max_examples=25, deadline=None)
@given(
    shape=images,
    size=st.one_of(st.integers(1, 3), st.tuples(st.integers(1, 3), st.integers(1, 3))),
    data_format=st.sampled_from(FORMATS),
)
def test_upsampling_shape_matches_compute_output_shape(shape, size, data_format):
    layer = keras.layers.UpSampling2D(size, data_format=data_format)
    out = layer(np.ones(shape))
    assert out.shape == layer.compute_output_shape(shape)


LAYERS = [
    (keras.layers.ZeroPadding2D, {"padding": ((1, 0), (2, 1))}),
    (keras.layers.Cropping2D, {"cropping": ((1, 0), (0, 2))}),
    (keras.layers.UpSampling2D, {"size": (2, 3)}),
]


@pytest.mark.parametrize("cls, kwargs", LAYERS)
@pytest.mark.parametrize("data_format", FORMATS)
def test_gradients_match_finite_differences(cls, kwargs, data_format):
    layer = cls(**kwargs, data_format=data_format, dtype="float64")
    check_layer_gradients(layer, np.random.default_rng(0).normal(size=(1, 3, 4, 4)))


@pytest.mark.parametrize("cls, kwargs", LAYERS)
@pytest.mark.parametrize("data_format", FORMATS)
def test_parity_with_keras(real_keras, cls, kwargs, data_format):
    x = np.random.default_rng(1).normal(size=(2, 4, 5, 3)).astype("float32")
    theirs = getattr(real_keras.layers, cls.__name__)(**kwargs, data_format=data_format)
    ours = cls(**kwargs, data_format=data_format)
    np.testing.assert_array_equal(ours(x).numpy(), np.asarray(theirs(x)))


@pytest.mark.parametrize("cls, kwargs", LAYERS)
def test_config_round_trip_and_keras_keys(real_keras, cls, kwargs):
    layer = cls(**kwargs)
    config = layer.get_config()
    assert cls.from_config(config).get_config() == config
    theirs = getattr(real_keras.layers, cls.__name__)(**kwargs).get_config()
    assert set(theirs) <= set(config)
    for key in set(theirs) - {"name", "dtype", "trainable"}:
        assert np.array_equal(np.asarray(config[key]), np.asarray(theirs[key]))


def test_symbolic_calls_keep_unknown_sizes():
    x = keras.Input(shape=(None, 8, 3))
    assert keras.layers.ZeroPadding2D(1)(x).shape == (None, None, 10, 3)
    assert keras.layers.Cropping2D((0, 1))(x).shape == (None, None, 6, 3)
    assert keras.layers.UpSampling2D(2)(x).shape == (None, None, 16, 3)


def test_upsampling_repeats_nearest_neighbours():
    x = np.arange(4.0).reshape(1, 2, 2, 1)
    out = keras.layers.UpSampling2D((2, 1))(x).numpy()[0, :, :, 0]
    np.testing.assert_array_equal(out, [[0, 1], [0, 1], [2, 3], [2, 3]])


def test_bilinear_upsampling_is_not_implemented_and_says_so():
    with pytest.raises(NotImplementedError, match="UpSampling2D.*'bilinear'"):
        keras.layers.UpSampling2D(interpolation="bilinear")


def test_unknown_interpolation_names_layer_and_value():
    with pytest.raises(ValueError, match="UpSampling2D.*interpolation='cubic'"):
        keras.layers.UpSampling2D(interpolation="cubic")


@pytest.mark.parametrize(
    "cls, arg",
    [(keras.layers.ZeroPadding2D, "padding"), (keras.layers.Cropping2D, "cropping")],
)
@pytest.mark.parametrize("value", [(1, 2, 3), -1, ((1, 2), (3,)), "same"])
def test_bad_amounts_name_layer_and_argument(cls, arg, value):
    with pytest.raises(ValueError) as info:
        cls(value)
    assert cls.__name__ in str(info.value) and arg in str(info.value)


def test_bad_size_and_data_format_name_the_layer():
    with pytest.raises(ValueError, match="UpSampling2D.*size=0"):
        keras.layers.UpSampling2D(0)
    with pytest.raises(ValueError, match="ZeroPadding2D.*data_format='nchw'"):
        keras.layers.ZeroPadding2D(data_format="nchw")


def test_cropping_everything_names_layer_and_shape():
    layer = keras.layers.Cropping2D(((2, 2), (0, 0)), name="crop")
    with pytest.raises(ValueError) as info:
        layer(np.ones((1, 4, 4, 1)))
    assert '"crop"' in str(info.value) and "(1, 4, 4, 1)" in str(info.value)


def test_wrong_rank_names_the_layer():
    with pytest.raises(ValueError, match=r'layer "pad".*expected ndim=4, found ndim=3'):
        keras.layers.ZeroPadding2D(name="pad")(np.ones((1, 4, 4)))
