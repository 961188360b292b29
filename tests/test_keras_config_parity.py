"""Keras 3 configs rebuild identical nanokeras layers.

`nanokeras.layers.X.from_config(keras.layers.X(...).get_config())` must give a
layer with the same configuration (Keras 3's serialized `DTypePolicy`,
initializers, regularizers and constraints read as ours) and, with Keras's
weights loaded by `set_weights`, the same outputs.
"""

import numpy as np
import pytest

import nanokeras

# Reseeded from each test's id by tests/conftest.py.
RNG = np.random.default_rng(0)


def _floats(*shape):
    return RNG.normal(size=shape).astype("float32")


# name -> (constructor kwargs, input or list of inputs)
CASES = {
    "Dense": (
        dict(
            units=3,
            activation="relu",
            kernel_regularizer="l2",
            bias_regularizer={"class_name": "L1L2", "config": {"l1": 0.1}},
            kernel_constraint="max_norm",
            bias_initializer="ones",
        ),
        _floats(4, 5),
    ),
    "Embedding": (
        dict(input_dim=10, output_dim=3, mask_zero=True),
        RNG.integers(0, 10, (4, 6)),
    ),
    "Activation": (dict(activation="tanh"), _floats(4, 5)),
    "Dropout": (dict(rate=0.3, seed=1), _floats(4, 5)),
    "Flatten": ({}, _floats(4, 2, 3)),
    "Reshape": (dict(target_shape=(3, 2)), _floats(4, 6)),
    "Permute": (dict(dims=(2, 1)), _floats(4, 2, 3)),
    "RepeatVector": (dict(n=3), _floats(4, 2)),
    "Identity": ({}, _floats(4, 2)),
    "LayerNormalization": (
        dict(epsilon=1e-5, gamma_initializer="random_normal"),
        _floats(4, 5),
    ),
    "BatchNormalization": (
        dict(momentum=0.9, beta_initializer="random_normal"),
        _floats(4, 5),
    ),
    "Conv1D": (
        dict(filters=2, kernel_size=3, strides=2, padding="same"),
        _floats(2, 7, 3),
    ),
    "Conv2D": (
        dict(filters=2, kernel_size=3, dilation_rate=2, activation="relu"),
        _floats(2, 7, 7, 3),
    ),
    "Conv2DTranspose": (dict(filters=2, kernel_size=3, strides=2), _floats(2, 4, 4, 3)),
    "DepthwiseConv2D": (dict(kernel_size=3, depth_multiplier=2), _floats(2, 5, 5, 3)),
    "SeparableConv2D": (
        dict(filters=4, kernel_size=3, padding="same"),
        _floats(2, 5, 5, 3),
    ),
    "MaxPooling2D": (dict(pool_size=2, padding="same"), _floats(2, 5, 5, 3)),
    "AveragePooling1D": (dict(pool_size=2), _floats(2, 6, 3)),
    "GlobalAveragePooling2D": (dict(keepdims=True), _floats(2, 5, 5, 3)),
    "GlobalMaxPooling1D": ({}, _floats(2, 6, 3)),
    "ZeroPadding2D": (dict(padding=((1, 0), (2, 1))), _floats(2, 3, 3, 2)),
    "Cropping2D": (dict(cropping=((1, 0), (0, 1))), _floats(2, 4, 4, 2)),
    "UpSampling2D": (dict(size=(2, 3)), _floats(2, 3, 3, 2)),
    "Add": ({}, [_floats(4, 3), _floats(4, 3)]),
    "Subtract": ({}, [_floats(4, 3), _floats(4, 3)]),
    "Multiply": ({}, [_floats(4, 3), _floats(4, 3)]),
    "Average": ({}, [_floats(4, 3), _floats(4, 3)]),
    "Maximum": ({}, [_floats(4, 3), _floats(4, 3)]),
    "Minimum": ({}, [_floats(4, 3), _floats(4, 3)]),
    "Concatenate": (dict(axis=1), [_floats(4, 3), _floats(4, 2)]),
    "Dot": (dict(axes=1, normalize=True), [_floats(4, 3), _floats(4, 3)]),
    "SimpleRNN": (dict(units=2, return_sequences=True), _floats(3, 4, 5)),
    "GRU": (dict(units=2, go_backwards=True), _floats(3, 4, 5)),
    "LSTM": (dict(units=2, unit_forget_bias=False), _floats(3, 4, 5)),
}

# Keys our config adds to Keras's, and why (compared only when Keras has them).
EXTRA_KEYS = {
    "activity_regularizer": "ours always written (None); Keras 3's Dense "
    "writes it only when set",
    "seed": "SimpleRNN writes its dropout seed, as Keras 3's LSTM and GRU do "
    "(Keras 3's SimpleRNN takes it but leaves it out of its config)",
}


def _normalized(value):
    """Keras 3's serialized objects in our plain form, tuples as lists."""
    if isinstance(value, dict):
        if value.get("class_name") == "DTypePolicy":
            return value["config"]["name"]
        return {
            key: _normalized(item)
            for key, item in value.items()
            if key not in ("module", "registered_name")
        }
    if isinstance(value, (list, tuple)):
        return [_normalized(item) for item in value]
    return value


@pytest.mark.parametrize("name", sorted(CASES))
def test_keras_config_rebuilds_an_identical_layer(real_keras, name):
    kwargs, inputs = CASES[name]
    theirs = getattr(real_keras.layers, name)(**kwargs)
    expected = np.asarray(theirs(inputs))  # builds Keras's weights

    ours = getattr(nanokeras.layers, name).from_config(theirs.get_config())
    keras_config = _normalized(theirs.get_config())
    our_config = _normalized(ours.get_config())
    for key, value in keras_config.items():
        if key == "name":
            continue
        assert our_config.get(key) == value, (name, key)
    assert set(our_config) - set(keras_config) <= set(EXTRA_KEYS)

    ours(inputs)  # build, then take Keras's weights
    ours.set_weights(theirs.get_weights())
    np.testing.assert_allclose(ours(inputs).numpy(), expected, rtol=1e-5, atol=1e-6)


def _assert_same_outputs(ours, theirs, inputs):
    ours.set_weights(theirs.get_weights())
    expected = np.asarray(theirs(inputs))
    np.testing.assert_allclose(ours(inputs).numpy(), expected, rtol=1e-5, atol=1e-6)


def test_keras_bidirectional_config(real_keras):
    lstm = real_keras.layers.LSTM(2, return_sequences=True)
    theirs = real_keras.layers.Bidirectional(lstm, merge_mode="sum")
    inputs = _floats(3, 4, 5)
    theirs(inputs)
    ours = nanokeras.layers.Bidirectional.from_config(theirs.get_config())
    ours(inputs)
    _assert_same_outputs(ours, theirs, inputs)


def test_keras_sequential_config(real_keras):
    layers = real_keras.layers
    theirs = real_keras.Sequential(
        [real_keras.Input((4,)), layers.Dense(3, activation="relu"), layers.Dense(1)]
    )
    ours = nanokeras.Sequential.from_config(theirs.get_config())
    assert [layer.name for layer in ours.layers] == [
        layer.name for layer in theirs.layers
    ]
    _assert_same_outputs(ours, theirs, _floats(2, 4))


def test_keras_functional_config(real_keras):
    """Keras 3's node format (`__keras_tensor__` args) rebuilds the graph."""
    layers = real_keras.layers
    inputs = real_keras.Input((4,))
    outputs = layers.Add()([layers.Dense(3)(inputs), layers.Dense(3)(inputs)])
    theirs = real_keras.Model(inputs, outputs)
    ours = nanokeras.Model.from_config(theirs.get_config())
    assert isinstance(ours, nanokeras.Model) and len(ours.layers) == 4
    _assert_same_outputs(ours, theirs, _floats(2, 4))


def test_dtype_policy_dict_sets_the_layer_dtype():
    policy = {
        "module": "keras",
        "class_name": "DTypePolicy",
        "config": {"name": "float64"},
        "registered_name": None,
    }
    layer = nanokeras.layers.Dense(2, dtype=policy)
    assert layer.dtype == "float64"
    assert layer(np.ones((1, 3))).dtype == "float64"


def test_keras_serialized_objects_are_read(real_keras):
    """Initializers, regularizers, constraints and activations in Keras 3's form."""
    from keras.saving import serialize_keras_object

    init = serialize_keras_object(real_keras.initializers.HeNormal(seed=3))
    assert nanokeras.initializers.get(init).get_config() == {
        "seed": 3,
        "input_axes": None,
        "output_axes": None,
    }
    reg = serialize_keras_object(real_keras.regularizers.L1L2(l1=0.5))
    assert nanokeras.regularizers.deserialize(reg).get_config() == {
        "l1": 0.5,
        "l2": 0.0,
    }
    con = serialize_keras_object(real_keras.constraints.MinMaxNorm(0.5, 2.0))
    assert nanokeras.constraints.deserialize(con).get_config()["max_value"] == 2.0
    act = serialize_keras_object(real_keras.activations.relu)
    assert nanokeras.activations.deserialize(act) is nanokeras.activations.relu


def test_custom_objects_in_deserialize():
    class Double(nanokeras.constraints.Constraint):
        def __call__(self, w):
            return w * 2

    config = {"class_name": "Double", "config": {}, "module": None}
    assert isinstance(
        nanokeras.constraints.deserialize(config, custom_objects={"Double": Double}),
        Double,
    )


def test_initializer_axes_set_the_fans(real_keras):
    """`input_axes`/`output_axes` choose the fans, as in Keras 3."""
    shape = (3, 4, 5)
    ours = nanokeras.initializers.VarianceScaling(
        mode="fan_in",
        distribution="uniform",
        seed=1,
        input_axes=[0],
        output_axes=[1, 2],
    )
    theirs = real_keras.initializers.VarianceScaling(
        mode="fan_in",
        distribution="uniform",
        seed=1,
        input_axes=[0],
        output_axes=[1, 2],
    )
    np.testing.assert_allclose(
        ours(shape).numpy(), np.asarray(theirs(shape)), rtol=1e-6
    )
    assert np.abs(ours(shape).numpy()).max() <= np.sqrt(3.0 / 3) + 1e-6


PATH_CASES = {
    "Dense": (lambda L: L.Dense(2, name="d"), (1, 3)),
    "Conv2D": (lambda L: L.Conv2D(2, 3, name="c"), (1, 5, 5, 2)),
    "BatchNormalization": (lambda L: L.BatchNormalization(name="bn"), (2, 3)),
    "LSTM": (lambda L: L.LSTM(2, name="lstm"), (1, 4, 3)),
    "GRU": (lambda L: L.GRU(2, name="gru"), (1, 4, 3)),
    "SimpleRNN": (lambda L: L.SimpleRNN(2, name="rnn"), (1, 4, 3)),
    "Bidirectional": (
        lambda L: L.Bidirectional(L.LSTM(2, name="enc"), name="bi"),
        (1, 4, 3),
    ),
}


@pytest.mark.parametrize("name", sorted(PATH_CASES))
def test_weight_paths_match_keras(real_keras, name):
    """Variables nest under the layers that build them: `lstm/lstm_cell/kernel`."""
    make, shape = PATH_CASES[name]
    theirs, ours = make(real_keras.layers), make(nanokeras.layers)
    inputs = np.ones(shape, "float32")
    theirs(inputs)
    ours(inputs)
    assert [w.path for w in ours.weights] == [w.path for w in theirs.weights]
    assert all(w.name == f"{w.path}:0" for w in ours.weights)  # tf.Variable names
