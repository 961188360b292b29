"""Pooling layers: shapes, gradients, Keras 3 parity, config, symbolic calls, misuse."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nanokeras as keras
from tests.layers.gradcheck import check_layer_gradients

CASES = [
    ("MaxPooling1D", {}, (2, 7, 3)),
    ("MaxPooling1D", {"pool_size": 3, "strides": 1, "padding": "same"}, (2, 5, 2)),
    ("MaxPooling2D", {}, (2, 5, 4, 2)),
    (
        "MaxPooling2D",
        {"pool_size": (3, 2), "strides": (2, 1), "padding": "same"},
        (1, 5, 5, 2),
    ),
    ("AveragePooling1D", {"pool_size": 2}, (2, 7, 3)),
    ("AveragePooling1D", {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 6, 2)),
    ("AveragePooling2D", {"pool_size": 2}, (2, 4, 5, 2)),
    (
        "AveragePooling2D",
        {"pool_size": 3, "strides": 2, "padding": "same"},
        (1, 5, 6, 2),
    ),
    ("GlobalMaxPooling1D", {}, (2, 5, 3)),
    ("GlobalMaxPooling2D", {"keepdims": True}, (2, 3, 4, 2)),
    ("GlobalAveragePooling1D", {"keepdims": True}, (2, 5, 3)),
    ("GlobalAveragePooling2D", {}, (2, 3, 4, 2)),
]
IDS = [f"{name}-{i}" for i, (name, _, _) in enumerate(CASES)]
NAMES = sorted({name for name, _, _ in CASES})


@pytest.mark.parametrize("name, config, shape", CASES, ids=IDS)
def test_parity_with_keras(real_keras, name, config, shape):
    x = np.random.default_rng(0).normal(size=shape).astype("float32")
    expected = np.asarray(getattr(real_keras.layers, name)(**config)(x))
    layer = getattr(keras.layers, name)(**config)
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-5, atol=1e-6)
    assert layer.compute_output_shape(shape) == expected.shape


@pytest.mark.parametrize("name, config, shape", CASES, ids=IDS)
def test_gradients_match_finite_differences(name, config, shape):
    # Normal draws have no ties, so every max is a smooth choice for a 1e-6 step.
    x = np.random.default_rng(1).normal(size=shape)
    check_layer_gradients(getattr(keras.layers, name)(**config, dtype="float64"), x)


@st.composite
def pooling_configs(draw):
    name = draw(st.sampled_from(["MaxPooling1D", "MaxPooling2D",
                                 "AveragePooling1D", "AveragePooling2D"]))  # fmt: skip
    rank = 1 if name.endswith("1D") else 2
    pool = tuple(draw(st.integers(1, 3)) for _ in range(rank))
    strides = draw(st.none() | st.tuples(*[st.integers(1, 3)] * rank))
    config = {
        "pool_size": pool,
        "strides": strides,
        "padding": draw(st.sampled_from(["valid", "same"])),
    }
    spatial = tuple(draw(st.integers(p, p + 4)) for p in pool)
    shape = (draw(st.integers(1, 2)), *spatial, draw(st.integers(1, 3)))
    return name, config, shape


@settings(max_examples=25, deadline=None)
@given(case=pooling_configs())
def test_output_shape_matches_compute_output_shape(real_keras, case):
    name, config, shape = case
    layer = getattr(keras.layers, name)(**config)
    out = layer(np.random.default_rng(2).normal(size=shape))
    assert out.shape == layer.compute_output_shape(shape)
    expected = getattr(real_keras.layers, name)(**config).compute_output_shape(shape)
    assert out.shape == tuple(expected)
    assert layer(keras.Input(shape=shape[1:])).shape == (None, *out.shape[1:])


@settings(max_examples=15, deadline=None)
@given(
    name=st.sampled_from([n for n in NAMES if n.startswith("Global")]),
    keepdims=st.booleans(),
    sides=st.lists(st.integers(1, 4), min_size=2, max_size=2),
)
def test_global_output_shapes(name, keepdims, sides):
    rank = 1 if name.endswith("1D") else 2
    shape = (2, *sides[:rank], 3)
    layer = getattr(keras.layers, name)(keepdims=keepdims)
    out = layer(np.ones(shape))
    assert out.shape == layer.compute_output_shape(shape)
    assert out.shape == ((2,) + (1,) * rank + (3,) if keepdims else (2, 3))


def test_masked_global_average_matches_keras(real_keras):
    x = np.random.default_rng(3).normal(size=(2, 4, 3)).astype("float32")
    mask = np.array([[True, True, False, False], [True, True, True, False]])
    expected = np.asarray(real_keras.layers.GlobalAveragePooling1D()(x, mask=mask))
    ours = keras.layers.GlobalAveragePooling1D()(x, mask=mask).numpy()
    np.testing.assert_allclose(ours, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ours[0], x[0, :2].mean(axis=0), rtol=1e-5)


def test_mask_from_embedding_reaches_global_average():
    ids = np.array([[3, 1, 0, 0]])
    embedding = keras.layers.Embedding(5, 2, mask_zero=True)
    pooled = keras.layers.GlobalAveragePooling1D()(embedding(ids)).numpy()
    table = embedding.get_weights()[0]
    np.testing.assert_allclose(pooled[0], table[[3, 1]].mean(axis=0), rtol=1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_config_round_trip_and_keras_keys(real_keras, name):
    layer = getattr(keras.layers, name)(
        **({} if name.startswith(("Global", "Max")) else {"pool_size": 3})
    )
    config = layer.get_config()
    clone = type(layer).from_config(config)
    assert clone.get_config() | {"name": None} == config | {"name": None}
    theirs = getattr(real_keras.layers, name)(
        **({} if name.startswith(("Global", "Max")) else {"pool_size": 3})
    )
    assert set(theirs.get_config()) == set(config)
    if "pool_size" in config:
        assert config["strides"] == config["pool_size"]  # strides=None


def test_pooling_after_conv_in_a_functional_model():
    inputs = keras.Input(shape=(8, 8, 1))
    x = keras.layers.Conv2D(4, 3, padding="same")(inputs)
    x = keras.layers.MaxPooling2D()(x)
    outputs = keras.layers.GlobalAveragePooling2D()(x)
    model = keras.Model(inputs, outputs)
    assert model.output.shape == (None, 4)
    assert model(np.ones((3, 8, 8, 1))).shape == (3, 4)


def _raises(error, call, *fragments):
    with pytest.raises(error) as info:
        call()
    for fragment in fragments:
        assert fragment in str(info.value), (fragment, str(info.value))


def test_misuse():
    _raises(
        ValueError, lambda: keras.layers.MaxPooling2D(0), "MaxPooling2D", "pool_size=0"
    )
    _raises(
        ValueError,
        lambda: keras.layers.AveragePooling1D((2, 2)),
        "AveragePooling1D",
        "pool_size=(2, 2)",
    )
    _raises(ValueError, lambda: keras.layers.MaxPooling1D(2, strides=-1), "strides=-1")
    _raises(ValueError, lambda: keras.layers.MaxPooling2D(padding="full"), "'full'")
    _raises(
        ValueError,
        lambda: keras.layers.AveragePooling2D(2, data_format="channels_first"),
        "AveragePooling2D",
        "channels_first",
    )
    _raises(
        ValueError,
        lambda: keras.layers.GlobalMaxPooling2D(data_format="channels_first"),
        "GlobalMaxPooling2D",
        "channels_first",
    )
    pool = keras.layers.MaxPooling2D(name="pool")
    _raises(
        ValueError,
        lambda: pool(np.ones((2, 4, 4))),
        'layer "pool"',
        "expected ndim=4, found ndim=3",
    )
    big = keras.layers.MaxPooling2D(5, name="big_pool")
    _raises(
        ValueError,
        lambda: big(np.ones((1, 3, 3, 1))),
        '"big_pool"',
        "pool_size (5, 5)",
        "(3, 3)",
    )
    gap = keras.layers.GlobalAveragePooling1D(name="gap")
    _raises(
        ValueError, lambda: gap(np.ones((2, 4, 4, 1))), 'layer "gap"', "expected ndim=3"
    )
    _raises(
        TypeError, lambda: keras.layers.MaxPooling2D(pool=2), "MaxPooling2D", "pool"
    )
