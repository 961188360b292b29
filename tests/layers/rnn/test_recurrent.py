"""SimpleRNN, GRU, LSTM and RNN: Keras 3 parity, gradients, shapes, masks, config."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nanokeras as keras
from backend import nest
from tests.layers.gradcheck import check_layer_gradients

LAYERS = ["SimpleRNN", "GRU", "LSTM"]
OPTIONS = [
    {},
    {"return_sequences": True},
    {"return_state": True},
    {"return_sequences": True, "return_state": True, "go_backwards": True},
    {"go_backwards": True, "use_bias": False},
]
EXTRA = {
    "GRU": [{"reset_after": False}, {"reset_after": False, "return_sequences": True}],
    "LSTM": [{"unit_forget_bias": False}],
    "SimpleRNN": [{"activation": "relu"}],
}
CASES = [(name, options) for name in LAYERS for options in OPTIONS + EXTRA[name]]
IDS = [f"{name}-{options}" for name, options in CASES]
MASK = np.array([[1, 1, 1, 0, 0], [0, 1, 1, 1, 1], [1, 0, 1, 0, 1]], bool)


def _as_list(outputs):
    return list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]


def _twin_layers(real_keras, name, options, shape, seed=1):
    """The same layer in Keras and nanokeras, with Keras's random weights."""
    theirs = getattr(real_keras.layers, name)(3, **options)
    ours = getattr(keras.layers, name)(3, **options)
    theirs.build(shape)
    ours.build(shape)
    rng = np.random.default_rng(seed)
    theirs.set_weights(
        [rng.normal(scale=0.5, size=w.shape).astype("float32") for w in theirs.weights]
    )
    ours.set_weights(theirs.get_weights())
    return theirs, ours


@pytest.mark.parametrize("name, options", CASES, ids=IDS)
@pytest.mark.parametrize("masked", [False, True], ids=["", "masked"])
def test_parity_with_keras(real_keras, name, options, masked):
    shape = (3, 5, 2)
    theirs, ours = _twin_layers(real_keras, name, options, shape)
    x = np.random.default_rng(2).normal(size=shape).astype("float32")
    mask = MASK if masked else None
    expected = _as_list(theirs(x, mask=mask, training=False))
    actual = _as_list(ours(x, mask=mask, training=False))
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected):
        np.testing.assert_allclose(a.numpy(), np.asarray(e), rtol=1e-5, atol=1e-6)
    expected_shape = theirs.compute_output_shape(shape)
    assert str(ours.compute_output_shape(shape)) == str(expected_shape).replace(
        "[", "("
    ).replace("]", ")")


@pytest.mark.parametrize("name", LAYERS)
def test_initial_state_matches_keras(real_keras, name):
    shape = (3, 4, 2)
    theirs, ours = _twin_layers(real_keras, name, {"return_state": True}, shape)
    x = np.random.default_rng(3).normal(size=shape).astype("float32")
    count = 2 if name == "LSTM" else 1
    states = [np.random.default_rng(4 + i).normal(size=(3, 3)).astype("float32")
              for i in range(count)]  # fmt: skip
    expected = _as_list(theirs(x, initial_state=states))
    actual = _as_list(ours(x, initial_state=states))
    for a, e in zip(actual, expected):
        np.testing.assert_allclose(a.numpy(), np.asarray(e), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", LAYERS)
def test_weight_layout_and_config_keys_follow_keras(real_keras, name):
    theirs, ours = _twin_layers(real_keras, name, {}, (None, 4, 2))
    assert [w.name.split("/")[-1].split(":")[0] for w in ours.weights] == [
        w.name for w in theirs.weights
    ]
    assert [w.shape for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    # nanokeras also keeps `seed` for SimpleRNN, so a round trip keeps it.
    assert set(theirs.get_config()) <= set(ours.get_config())
    assert set(ours.get_config()) - set(theirs.get_config()) <= {"seed"}


def test_lstm_forget_bias_starts_at_one():
    layer = keras.layers.LSTM(2)
    layer.build((None, 3, 4))
    np.testing.assert_array_equal(layer.cell.bias.numpy(), [0, 0, 1, 1, 0, 0, 0, 0])


def test_gru_bias_shapes_follow_reset_after():
    for reset_after, shape in ((True, (2, 6)), (False, (6,))):
        layer = keras.layers.GRU(2, reset_after=reset_after)
        layer.build((None, 3, 4))
        assert layer.cell.bias.shape == shape


GRAD_CASES = [
    ("SimpleRNN", {"return_sequences": True}),
    ("SimpleRNN", {"go_backwards": True, "return_state": True}),
    ("GRU", {"return_sequences": True}),
    ("GRU", {"reset_after": False, "return_state": True}),
    ("LSTM", {"return_sequences": True, "return_state": True}),
    ("LSTM", {"go_backwards": True}),
]


@pytest.mark.parametrize("name, options", GRAD_CASES, ids=[str(c) for c in GRAD_CASES])
@pytest.mark.parametrize("masked", [False, True], ids=["", "masked"])
def test_gradients_match_finite_differences(name, options, masked):
    layer = getattr(keras.layers, name)(3, **options, dtype="float64")
    layer.build((3, 5, 2))
    rng = np.random.default_rng(5)
    layer.set_weights([rng.normal(scale=0.5, size=w.shape) for w in layer.weights])
    x = rng.normal(size=(3, 5, 2))
    mask = MASK if masked else None
    check_layer_gradients(layer, x, call=lambda t: layer(t, mask=mask))


def test_gradients_reach_the_initial_state():
    layer = keras.layers.LSTM(2, dtype="float64")
    x = keras.ops.convert_to_tensor(np.random.default_rng(6).normal(size=(2, 3, 2)))
    h0 = keras.ops.convert_to_tensor(np.zeros((2, 2)))
    c0 = keras.ops.convert_to_tensor(np.ones((2, 2)))
    with keras.GradientTape() as tape:
        tape.watch([h0, c0])
        loss = keras.ops.sum(layer(x, initial_state=[h0, c0]))
    grad_h, grad_c = tape.gradient(loss, [h0, c0])
    assert np.all(np.abs(grad_h.numpy()) > 0) and np.all(np.abs(grad_c.numpy()) > 0)


@settings(max_examples=20, deadline=None)
@given(
    name=st.sampled_from(LAYERS),
    units=st.integers(1, 4),
    batch=st.integers(1, 3),
    steps=st.integers(1, 4),
    features=st.integers(1, 3),
    return_sequences=st.booleans(),
    return_state=st.booleans(),
)
def test_output_shapes_match_compute_output_shape(
    name, units, batch, steps, features, return_sequences, return_state
):
    layer = getattr(keras.layers, name)(
        units, return_sequences=return_sequences, return_state=return_state
    )
    shape = (batch, steps, features)
    outputs = layer(np.ones(shape))
    expected = layer.compute_output_shape(shape)
    if return_state:
        assert tuple(o.shape for o in outputs) == expected
    else:
        assert outputs.shape == expected
    symbolic = layer(keras.Input(shape=(None, features)))
    symbolic = symbolic if return_state else (symbolic,)
    assert all(isinstance(s, keras.KerasTensor) for s in symbolic)
    expected_symbolic = (None, None, units) if return_sequences else (None, units)
    assert symbolic[0].shape == expected_symbolic


def test_masked_steps_repeat_the_previous_output():
    layer = keras.layers.GRU(2, return_sequences=True)
    x = np.random.default_rng(7).normal(size=(1, 4, 3))
    mask = np.array([[True, True, False, True]])
    out = layer(x, mask=mask).numpy()
    np.testing.assert_array_equal(out[0, 2], out[0, 1])
    assert not np.allclose(out[0, 3], out[0, 2])


def test_embedding_mask_reaches_the_rnn_and_the_next_layer():
    ids = np.array([[0, 0, 4, 2], [3, 1, 2, 4]])
    model = keras.Sequential(
        [
            keras.Input(shape=(4,), dtype="int32"),
            keras.layers.Embedding(5, 3, mask_zero=True),
            keras.layers.LSTM(2, return_sequences=True),
            keras.layers.GlobalAveragePooling1D(),
        ]
    )
    embedding, lstm = model.layers[0], model.layers[1]
    expected_first = (
        lstm(
            embedding(ids[:1, 2:])  # the same sentence without its padding
        )
        .numpy()[0]
        .mean(axis=0)
    )
    # atol: one pooled unit is near 2e-5, where float32 rounding of the two
    # paths (masked and unpadded) differs in the fifth significant digit.
    np.testing.assert_allclose(
        model(ids).numpy()[0], expected_first, rtol=1e-5, atol=1e-7
    )


def test_generic_rnn_with_a_custom_cell():
    class MinimalCell(keras.layers.Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.state_size = units

        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(input_shape[-1], self.units))

        def call(self, inputs, states):
            output = keras.ops.matmul(inputs, self.kernel) + states[0]
            return output, [output]

        def get_config(self):
            return {**super().get_config(), "units": self.units}

    layer = keras.layers.RNN(MinimalCell(2), return_sequences=True)
    x = np.random.default_rng(8).normal(size=(2, 3, 4)).astype("float32")
    out = layer(x).numpy()
    kernel = layer.cell.kernel.numpy()
    np.testing.assert_allclose(out[:, -1], (x @ kernel).sum(axis=1), rtol=1e-5)
    assert len(layer.weights) == 1 and layer.weights[0] is layer.cell.kernel


def test_rnn_with_a_keras_cell_config_round_trip(real_keras):
    layer = keras.layers.RNN(keras.layers.LSTMCell(3), return_sequences=True)
    x = np.random.default_rng(9).normal(size=(2, 4, 2)).astype("float32")
    expected = layer(x).numpy()
    clone = keras.layers.RNN.from_config(layer.get_config())
    clone(x)
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(clone(x).numpy(), expected)
    theirs = real_keras.layers.RNN(real_keras.layers.LSTMCell(3))
    assert set(theirs.get_config()) == set(layer.get_config())


@pytest.mark.parametrize("name", LAYERS)
def test_config_round_trip_gives_the_same_outputs(name):
    layer = getattr(keras.layers, name)(
        3,
        return_sequences=True,
        go_backwards=True,
        kernel_regularizer=keras.regularizers.L2(0.01),
        recurrent_initializer="glorot_normal",
        dropout=0.25,
        seed=3,
    )
    x = np.random.default_rng(10).normal(size=(2, 4, 2))
    expected = layer(x).numpy()
    clone = type(layer).from_config(layer.get_config())
    clone(x)
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(clone(x).numpy(), expected)
    assert clone.get_config() == layer.get_config()
    assert len(clone.losses) == 1
    assert clone.units == 3 and clone.dropout == 0.25


@pytest.mark.parametrize("name", LAYERS)
def test_dropout_only_in_training_and_one_mask_per_sequence(name):
    layer = getattr(keras.layers, name)(
        4, dropout=0.5, recurrent_dropout=0.3, return_sequences=True, seed=1
    )
    reference = getattr(keras.layers, name)(4, return_sequences=True)
    x = np.ones((64, 3, 5))
    inference = layer(x).numpy()
    reference(x)
    reference.set_weights(layer.get_weights())
    np.testing.assert_allclose(inference, reference(x).numpy(), rtol=1e-6)
    first, second = layer(x, training=True).numpy(), layer(x, training=True).numpy()
    assert not np.allclose(first, inference)
    assert not np.allclose(first, second)  # a new mask for each call
    # Identical rows of x meet different masks: the batch rows now differ.
    assert np.unique(first[:, 0].round(6), axis=0).shape[0] > 1


def test_dropout_masks_are_constant_across_timesteps():
    cell = keras.layers.SimpleRNNCell(3, dropout=0.5, seed=0)
    step = np.ones((4, 6), "float32")
    first = cell.get_dropout_mask(step)
    assert cell.get_dropout_mask(step) is first  # reused by every step
    cell.reset_dropout_mask()
    assert cell.get_dropout_mask(step) is not first
    assert set(np.unique(first)) <= {0.0, 2.0}


def test_recurrent_layers_train_in_a_model():
    """Inside a model, the GRU's weights get the right gradients through the
    layer above, and `fit` lowers the loss with them."""
    keras.utils.set_random_seed(11)
    model = keras.Sequential(
        [
            keras.Input(shape=(5, 2), dtype="float64"),
            keras.layers.GRU(3, dtype="float64"),
            keras.layers.Dense(1, dtype="float64"),
        ]
    )
    rng = np.random.default_rng(11)
    x = rng.normal(size=(4, 5, 2))
    assert len(model.trainable_weights) == 5
    # The model casts its input to its own float32; its float64 weights are checked.
    check_layer_gradients(model, x, check_inputs=False)
    y = rng.normal(size=(4, 1))
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    before = model.evaluate(x, y, verbose=0)
    model.fit(x, y, epochs=20, batch_size=4, shuffle=False, verbose=0)
    assert model.evaluate(x, y, verbose=0) < 0.5 * before


def _stack(layers):
    return [layers.SimpleRNNCell(4), layers.LSTMCell(3), layers.GRUCell(2)]


@pytest.mark.parametrize("options", OPTIONS[:4], ids=str)
def test_stacked_cells_match_keras(real_keras, options):
    theirs = real_keras.layers.RNN(_stack(real_keras.layers), **options)
    ours = keras.layers.RNN(_stack(keras.layers), **options)
    assert isinstance(ours.cell, keras.layers.StackedRNNCells)
    shape = (3, 5, 2)
    theirs.build(shape)
    ours.build(shape)
    assert [w.shape for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    ours.set_weights(theirs.get_weights())
    x = np.random.default_rng(12).normal(size=shape).astype("float32")
    for mask in (None, MASK):
        expected = real_keras.tree.flatten(theirs(x, mask=mask))
        actual = nest.flatten(ours(x, mask=mask))
        assert len(actual) == len(expected)
        for a, e in zip(actual, expected):
            np.testing.assert_allclose(
                np.asarray(a), np.asarray(e), rtol=1e-5, atol=1e-6
            )
    assert ours.compute_output_shape(shape) == theirs.compute_output_shape(shape)


def test_stacked_cells_gradients_and_config():
    layer = keras.layers.RNN(
        [keras.layers.SimpleRNNCell(2, dtype="float64"),
         keras.layers.LSTMCell(2, dtype="float64")],
        return_sequences=True,
        dtype="float64",
    )  # fmt: skip
    x = np.random.default_rng(13).normal(size=(2, 3, 2))
    check_layer_gradients(layer, x, call=lambda t: layer(t, mask=MASK[:2, :3]))
    clone = keras.layers.RNN.from_config(layer.get_config())
    clone(x)
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(clone(x).numpy(), layer(x).numpy())
    symbolic = layer(keras.Input(shape=(None, 2)))
    assert symbolic.shape == (None, None, 2)


def test_fit_learns_to_sum_a_sequence():
    rng = np.random.default_rng(14)
    x = rng.normal(size=(128, 6, 1)).astype("float32")
    y = x.sum(axis=1)
    model = keras.Sequential(
        [keras.Input(shape=(6, 1)), keras.layers.LSTM(8), keras.layers.Dense(1)]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="mse")
    history = model.fit(x, y, epochs=15, batch_size=32, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.2 * losses[0]


def test_encoder_states_start_a_decoder_in_a_functional_model():
    encoder_inputs = keras.Input(shape=(None, 3))
    decoder_inputs = keras.Input(shape=(None, 2))
    _, h, c = keras.layers.LSTM(4, return_state=True)(encoder_inputs)
    decoded = keras.layers.LSTM(4, return_sequences=True)(
        decoder_inputs, initial_state=[h, c]
    )
    model = keras.Model(
        [encoder_inputs, decoder_inputs], keras.layers.Dense(2)(decoded)
    )
    assert model.output.shape == (None, None, 2)
    rng = np.random.default_rng(15)
    data = [rng.normal(size=(2, 5, 3)), rng.normal(size=(2, 4, 2))]
    expected = model(data).numpy()
    # The decoder really reads the encoder's states: other encoder inputs,
    # same decoder inputs, different outputs.
    assert not np.allclose(model([data[0] + 1.0, data[1]]).numpy(), expected)
    clone = keras.Model.from_config(model.get_config())
    clone.set_weights(model.get_weights())
    np.testing.assert_allclose(clone(data).numpy(), expected, rtol=1e-6)
