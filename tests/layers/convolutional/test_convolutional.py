"""Convolution layers: shapes, gradients, Keras 3 parity, config, symbolic calls."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nanokeras as keras
from tests.layers.gradcheck import check_layer_gradients

# (class name, config, input shape): each case is checked against Keras 3 and,
# in float64, against finite differences.
CASES = [
    ("Conv1D", {"filters": 3, "kernel_size": 3}, (2, 7, 2)),
    (
        "Conv1D",
        {"filters": 2, "kernel_size": 2, "strides": 2, "padding": "same"},
        (2, 7, 3),
    ),
    (
        "Conv1D",
        {"filters": 2, "kernel_size": 3, "padding": "causal", "dilation_rate": 2},
        (2, 8, 2),
    ),
    ("Conv1D", {"filters": 4, "kernel_size": 2, "groups": 2}, (2, 5, 4)),
    ("Conv2D", {"filters": 3, "kernel_size": 3}, (2, 5, 5, 2)),
    (
        "Conv2D",
        {"filters": 2, "kernel_size": (3, 2), "strides": 2, "padding": "same"},
        (2, 5, 6, 3),
    ),
    (
        "Conv2D",
        {
            "filters": 2,
            "kernel_size": 2,
            "dilation_rate": 2,
            "padding": "same",
            "activation": "tanh",
        },
        (1, 5, 5, 2),
    ),
    (
        "Conv2D",
        {"filters": 4, "kernel_size": 2, "groups": 2, "use_bias": False},
        (2, 4, 4, 4),
    ),
    ("Conv2DTranspose", {"filters": 3, "kernel_size": 3}, (2, 3, 3, 2)),
    (
        "Conv2DTranspose",
        {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"},
        (2, 3, 4, 2),
    ),
    (
        "Conv2DTranspose",
        {"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": 1},
        (1, 3, 3, 2),
    ),
    (
        "Conv2DTranspose",
        {
            "filters": 2,
            "kernel_size": 2,
            "strides": (2, 3),
            "padding": "same",
            "output_padding": (1, 0),
        },
        (1, 3, 2, 2),
    ),
    (
        "Conv2DTranspose",
        {"filters": 2, "kernel_size": 2, "dilation_rate": 2},
        (1, 3, 3, 2),
    ),
    ("Conv1DTranspose", {"filters": 2, "kernel_size": 3, "strides": 2}, (2, 4, 3)),
    (
        "Conv1DTranspose",
        {
            "filters": 2,
            "kernel_size": 2,
            "strides": 3,
            "padding": "same",
            "output_padding": 1,
        },
        (1, 3, 2),
    ),
    ("DepthwiseConv1D", {"kernel_size": 3, "depth_multiplier": 2}, (2, 6, 2)),
    ("DepthwiseConv1D", {"kernel_size": 2, "strides": 2, "padding": "same"}, (2, 5, 3)),
    (
        "SeparableConv1D",
        {"filters": 3, "kernel_size": 3, "dilation_rate": 2},
        (2, 7, 2),
    ),
    ("DepthwiseConv2D", {"kernel_size": 3}, (2, 5, 5, 2)),
    (
        "DepthwiseConv2D",
        {"kernel_size": 2, "depth_multiplier": 2, "strides": 2, "padding": "same"},
        (2, 5, 4, 3),
    ),
    (
        "DepthwiseConv2D",
        {"kernel_size": 2, "dilation_rate": 2, "use_bias": False},
        (1, 5, 5, 2),
    ),
    ("SeparableConv2D", {"filters": 3, "kernel_size": 3}, (2, 5, 5, 2)),
    (
        "SeparableConv2D",
        {
            "filters": 2,
            "kernel_size": 2,
            "depth_multiplier": 2,
            "strides": 2,
            "padding": "same",
        },
        (2, 5, 4, 3),
    ),
    (
        "SeparableConv2D",
        {"filters": 2, "kernel_size": 2, "dilation_rate": 2, "activation": "tanh"},
        (1, 5, 5, 2),
    ),
]
IDS = [f"{name}-{i}" for i, (name, _, _) in enumerate(CASES)]
ALL_LAYERS = sorted({name for name, _, _ in CASES})


def _random_weights(layer, seed):
    """Non-zero biases too, so a bias added in the wrong place shows."""
    rng = np.random.default_rng(seed)
    return [rng.normal(size=w.shape).astype(w.dtype) for w in layer.weights]


@pytest.mark.parametrize("name, config, shape", CASES, ids=IDS)
def test_parity_with_keras(real_keras, name, config, shape):
    theirs = getattr(real_keras.layers, name)(**config)
    ours = getattr(keras.layers, name)(**config)
    theirs.build(shape)
    ours.build(shape)
    assert [w.shape for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    theirs.set_weights(_random_weights(theirs, 1))
    ours.set_weights(theirs.get_weights())
    x = np.random.default_rng(2).normal(size=shape).astype("float32")
    expected = np.asarray(theirs(x))
    np.testing.assert_allclose(ours(x).numpy(), expected, rtol=1e-5, atol=1e-6)
    assert ours.compute_output_shape(shape) == tuple(theirs.compute_output_shape(shape))


@pytest.mark.parametrize("name, config, shape", CASES, ids=IDS)
def test_gradients_match_finite_differences(name, config, shape):
    layer = getattr(keras.layers, name)(**config, dtype="float64")
    layer.build(shape)
    layer.set_weights(_random_weights(layer, 3))
    x = np.random.default_rng(4).normal(size=shape)
    check_layer_gradients(layer, x)


@pytest.mark.parametrize("name", ALL_LAYERS)
def test_weight_names_follow_keras(real_keras, name):
    config = {"kernel_size": 2}
    if not name.startswith("Depthwise"):
        config["filters"] = 3
    shape = (None, 5, 2) if "1D" in name else (None, 5, 5, 2)
    ours = getattr(keras.layers, name)(**config)
    theirs = getattr(real_keras.layers, name)(**config)
    ours.build(shape)
    theirs.build(shape)
    assert [w.name.split("/")[-1].split(":")[0] for w in ours.weights] == [
        w.name for w in theirs.weights
    ]
    keys_theirs = set(theirs.get_config()) - {"lora_rank", "lora_alpha"}
    assert keys_theirs == set(ours.get_config())


@st.composite
def window_configs(draw):
    """A random valid layer config and input shape (windows fit the input)."""
    name = draw(
        st.sampled_from(
            [
                "Conv1D",
                "Conv2D",
                "Conv2DTranspose",
                "DepthwiseConv2D",
                "SeparableConv2D",
            ]
        )
    )
    rank = 1 if name == "Conv1D" else 2
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(rank))
    if draw(st.booleans()):
        strides = tuple(draw(st.integers(1, 3)) for _ in range(rank))
        dilation = (1,) * rank
    else:
        strides = (1,) * rank
        dilation = tuple(draw(st.integers(1, 3)) for _ in range(rank))
    paddings = ["valid", "same"] + (["causal"] if name == "Conv1D" else [])
    config = {
        "kernel_size": kernel,
        "strides": strides,
        "dilation_rate": dilation,
        "padding": draw(st.sampled_from(paddings)),
    }
    if not name.startswith("Depthwise"):
        config["filters"] = draw(st.integers(1, 3))
    if name.startswith(("Depthwise", "Separable")):
        config["depth_multiplier"] = draw(st.integers(1, 2))
    if name.endswith("Transpose") and max(strides) > 1 and draw(st.booleans()):
        config["output_padding"] = tuple(draw(st.integers(0, s - 1)) for s in strides)
    reach = [(k - 1) * d + 1 for k, d in zip(kernel, dilation)]
    spatial = tuple(draw(st.integers(r, r + 4)) for r in reach)
    shape = (draw(st.integers(1, 2)), *spatial, draw(st.integers(1, 3)))
    return name, config, shape


@settings(max_examples=25, deadline=None)
@given(case=window_configs())
def test_output_shape_matches_compute_output_shape(real_keras, case):
    name, config, shape = case
    layer = getattr(keras.layers, name)(**config)
    out = layer(np.random.default_rng(0).normal(size=shape))
    assert out.shape == layer.compute_output_shape(shape)
    expected = getattr(real_keras.layers, name)(**config).compute_output_shape(shape)
    assert out.shape == tuple(expected)
    symbolic = layer(keras.Input(shape=shape[1:]))
    assert symbolic.shape == (None, *out.shape[1:])


def test_symbolic_call_with_unknown_spatial_sizes():
    x = keras.Input(shape=(None, None, 3))
    y = keras.layers.Conv2D(4, 3, padding="same")(x)
    assert isinstance(y, keras.KerasTensor) and y.shape == (None, None, None, 4)
    z = keras.layers.Conv2DTranspose(2, 3, strides=2)(y)
    assert z.shape == (None, None, None, 2)


def test_causal_conv1d_never_reads_the_future():
    layer = keras.layers.Conv1D(1, 3, padding="causal", dilation_rate=2)
    x = np.random.default_rng(5).normal(size=(1, 9, 1))
    changed = x.copy()
    changed[0, 6:] += 10.0  # change the future from step 6 on
    before, after = layer(x).numpy(), layer(changed).numpy()
    np.testing.assert_allclose(before[0, :6], after[0, :6])
    assert not np.allclose(before[0, 6:], after[0, 6:])


def test_config_round_trip_gives_the_same_outputs():
    layer = keras.layers.SeparableConv2D(
        3,
        (2, 3),
        strides=2,
        padding="same",
        depth_multiplier=2,
        activation="relu",
        pointwise_regularizer=keras.regularizers.L2(0.01),
    )
    x = np.random.default_rng(6).normal(size=(2, 6, 6, 2))
    expected = layer(x).numpy()
    clone = keras.layers.SeparableConv2D.from_config(layer.get_config())
    clone(x)
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(clone(x).numpy(), expected)
    assert clone.get_config() == layer.get_config()
    assert len(clone.losses) == 1


@pytest.mark.parametrize(
    "name", ["Conv1D", "Conv2D", "Conv2DTranspose", "DepthwiseConv2D"]
)
def test_config_round_trip_keeps_every_argument(name):
    config = {"kernel_size": 2, "strides": 2, "padding": "same", "use_bias": False}
    if name != "DepthwiseConv2D":
        config["filters"] = 4
    layer = getattr(keras.layers, name)(**config)
    clone = type(layer).from_config(layer.get_config())
    assert clone.get_config() | {"name": None} == layer.get_config() | {"name": None}


def test_conv_in_a_sequential_model_trains_its_kernel():
    model = keras.Sequential(
        [
            keras.Input(shape=(6, 6, 1)),
            keras.layers.Conv2D(2, 3, activation="relu"),
            keras.layers.Flatten(),
            keras.layers.Dense(1),
        ]
    )
    x = np.random.default_rng(7).normal(size=(4, 6, 6, 1)).astype("float32")
    with keras.GradientTape() as tape:
        loss = keras.ops.sum(model(x))
    grads = tape.gradient(loss, model.trainable_weights)
    assert all(g is not None for g in grads)
    assert model.layers[0].count_params() == 3 * 3 * 1 * 2 + 2


def test_fit_learns_which_corner_is_brighter():
    rng = np.random.default_rng(8)
    x = rng.uniform(size=(128, 6, 6, 1)).astype("float32")
    y = x[:, :3, :3].mean(axis=(1, 2, 3)) > x[:, 3:, 3:].mean(axis=(1, 2, 3))

    def init(seed):
        return keras.initializers.GlorotUniform(seed=seed)

    model = keras.Sequential(
        [
            keras.Input(shape=(6, 6, 1)),
            keras.layers.Conv2D(
                4, 3, padding="same", activation="tanh", kernel_initializer=init(1)
            ),
            keras.layers.AveragePooling2D(2),
            keras.layers.SeparableConv2D(
                4, 2, depthwise_initializer=init(2), pointwise_initializer=init(3)
            ),
            keras.layers.Flatten(),
            keras.layers.Dense(1, activation="sigmoid", kernel_initializer=init(4)),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.03), loss="binary_crossentropy")
    # 40 epochs: the loss ends below a quarter of its start whatever the
    # shuffle (at 20 some shuffles stopped at 0.54).
    history = model.fit(x, y.astype("float32"), epochs=40, batch_size=32, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.5 * losses[0]
