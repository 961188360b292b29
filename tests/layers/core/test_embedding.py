"""Embedding: shapes, gradients, parity with Keras 3, masks, config, misuse."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nanokeras as keras
from engine.masking import get_keras_mask
from tests import strategies
from tests.layers.gradcheck import check_layer_gradients


@settings(max_examples=20, deadline=None)
@given(
    shape=strategies.shapes(min_dims=1),
    input_dim=st.integers(1, 6),
    output_dim=st.integers(1, 4),
)
def test_output_shape_matches_compute_output_shape(shape, input_dim, output_dim):
    layer = keras.layers.Embedding(input_dim, output_dim)
    ids = np.random.default_rng(0).integers(0, input_dim, size=shape)
    out = layer(ids)
    assert out.shape == layer.compute_output_shape(shape) == (*shape, output_dim)


def test_rows_are_looked_up():
    layer = keras.layers.Embedding(4, 2)
    layer.build((None,))
    table = np.arange(8, dtype="float32").reshape(4, 2)
    layer.set_weights([table])
    np.testing.assert_array_equal(
        layer(np.array([[3, 0], [1, 1]])).numpy(), table[[[3, 0], [1, 1]]]
    )


def test_gradient_adds_into_each_row_read():
    layer = keras.layers.Embedding(5, 3, dtype="float64")
    # Repeated ids: their gradients must add up in the same row.
    check_layer_gradients(layer, np.array([[1, 4, 1], [0, 1, 3]]))
    with keras.GradientTape() as tape:
        loss = keras.ops.sum(layer(np.array([[1, 1, 2]])))
    grad = tape.gradient(loss, layer.embeddings).numpy()
    np.testing.assert_array_equal(grad[:, 0], [0, 2, 1, 0, 0])


@pytest.mark.parametrize("mask_zero", [False, True])
def test_parity_with_keras(real_keras, mask_zero):
    ids = np.random.default_rng(1).integers(0, 7, size=(3, 5)).astype("int32")
    ids[0, -2:] = 0
    theirs = real_keras.layers.Embedding(7, 4, mask_zero=mask_zero)
    ours = keras.layers.Embedding(7, 4, mask_zero=mask_zero)
    theirs.build(ids.shape)
    ours.build(ids.shape)
    ours.set_weights(theirs.get_weights())
    np.testing.assert_allclose(
        ours(ids).numpy(), np.asarray(theirs(ids)), rtol=1e-5, atol=1e-6
    )
    their_mask = theirs.compute_mask(ids)
    our_mask = ours.compute_mask(ids)
    if mask_zero:
        np.testing.assert_array_equal(our_mask.numpy(), np.asarray(their_mask))
    else:
        assert our_mask is None and their_mask is None


def test_weight_layout_and_default_initializer_follow_keras(real_keras):
    ours, theirs = keras.layers.Embedding(6, 2), real_keras.layers.Embedding(6, 2)
    ours.build((None, 3))
    theirs.build((None, 3))
    assert [w.shape for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    assert ours.weights[0].name.endswith("embeddings:0")
    # Keras 3's serialized dict, our package name in place of `keras`.
    expected = theirs.get_config()["embeddings_initializer"]
    assert expected["module"] == "keras.initializers"
    assert ours.get_config()["embeddings_initializer"] == {
        **expected,
        "module": "nanokeras.initializers",
    }
    assert np.abs(ours.get_weights()[0]).max() <= 0.05


def test_mask_zero_attaches_a_mask_to_the_outputs():
    layer = keras.layers.Embedding(5, 2, mask_zero=True)
    out = layer(np.array([[3, 2, 0, 0]]))
    np.testing.assert_array_equal(get_keras_mask(out).numpy(), [[1, 1, 0, 0]])
    # Without mask_zero, no mask.
    assert get_keras_mask(keras.layers.Embedding(5, 2)(np.array([[3, 0]]))) is None


def test_mask_reaches_a_layer_whose_call_takes_mask():
    seen = {}

    class Probe(keras.layers.Layer):
        def call(self, inputs, mask=None):
            seen["mask"] = mask
            return inputs

    Probe()(keras.layers.Embedding(5, 2, mask_zero=True)(np.array([[1, 0]])))
    np.testing.assert_array_equal(seen["mask"].numpy(), [[True, False]])


def test_float_ids_are_accepted_like_keras():
    layer = keras.layers.Embedding(5, 2)
    np.testing.assert_array_equal(
        layer(np.array([[1.0, 3.0]])).numpy(), layer(np.array([[1, 3]])).numpy()
    )


def test_symbolic_call_gives_float_vectors():
    y = keras.layers.Embedding(10, 4)(keras.Input(shape=(6,), dtype="int32"))
    assert y.shape == (None, 6, 4) and y.dtype == "float32"


def test_config_round_trip():
    layer = keras.layers.Embedding(
        9, 3, mask_zero=True, embeddings_regularizer="l2", name="emb"
    )
    config = layer.get_config()
    clone = keras.layers.Embedding.from_config(config)
    assert clone.get_config() == config
    ids = np.array([[1, 2, 0]])
    layer(ids)
    clone(ids)
    clone.set_weights(layer.get_weights())
    np.testing.assert_array_equal(clone(ids).numpy(), layer(ids).numpy())
    assert len(clone.losses) == 1


def test_config_keys_match_keras(real_keras):
    ours = set(keras.layers.Embedding(3, 2).get_config())
    theirs = set(real_keras.layers.Embedding(3, 2).get_config())
    assert theirs - ours <= {"lora_rank", "lora_alpha", "quantization_config"}


@pytest.mark.parametrize(
    "args, bad", [((0, 3), "input_dim=0"), ((5, -2), "output_dim=-2")]
)
def test_invalid_sizes_name_layer_and_value(args, bad):
    with pytest.raises(ValueError) as info:
        keras.layers.Embedding(*args)
    assert "Embedding" in str(info.value) and bad in str(info.value)


def test_boolean_ids_are_rejected_naming_the_layer():
    with pytest.raises(TypeError, match=r'"emb" \(Embedding\).*bool'):
        keras.layers.Embedding(3, 2, name="emb")(np.array([[True, False]]))


def test_initial_weights_and_deprecated_input_length_as_keras():
    table = np.arange(6, dtype="float32").reshape(3, 2)
    layer = keras.layers.Embedding(3, 2, weights=table)
    assert layer.built
    np.testing.assert_array_equal(layer(np.array([[2]])).numpy(), [[[4.0, 5.0]]])
    with pytest.warns(UserWarning, match="input_length"):
        keras.layers.Embedding(3, 2, input_length=5)


# Ids outside [0, input_dim): numpy would read -1 as the last row (a silent
# wrong answer) and 10 as a bare IndexError; TensorFlow's gather refuses both
# on CPU. Each case: ids, the id and the position the message must name.
BAD_IDS = {
    "negative id": (np.array([[-1]]), "id -1", "position (0, 0)"),
    "id equal to input_dim": (np.array([[3, 10]]), "id 10", "position (0, 1)"),
    "large id deep in a batch": (
        np.array([[1, 2], [3, 4], [5, 99]]),
        "id 99",
        "position (2, 1)",
    ),
    "negative float id": (np.array([[2.0, -3.0]]), "id -3", "position (0, 1)"),
}


@pytest.mark.parametrize("case", sorted(BAD_IDS))
def test_ids_out_of_range_name_the_layer_and_the_id(case):
    ids, bad_id, position = BAD_IDS[case]
    layer = keras.layers.Embedding(10, 3, name="words")
    with pytest.raises(ValueError) as info:
        layer(ids)
    message = str(info.value)
    for fragment in ('Layer "words"', "[0, 10)", "input_dim=10", bad_id, position):
        assert fragment in message, message


def test_ids_out_of_range_are_refused_inside_a_model_fit():
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Embedding(4, 2)])
    model.compile("sgd", "mse")
    with pytest.raises(ValueError, match=r"received id 4 at position \(1, 0\)"):
        model.fit(
            np.array([[0, 1], [4, 2]]), np.zeros((2, 2, 2)), shuffle=False, verbose=0
        )


def test_the_last_valid_id_is_accepted():
    layer = keras.layers.Embedding(10, 3)
    rows = layer(np.array([[0, 9]])).numpy()
    np.testing.assert_array_equal(rows[0, 1], layer.embeddings.numpy()[9])
