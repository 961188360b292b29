"""Masks end to end: made, attached, propagated, consumed, and honoured by losses.

A mask says which timesteps are padding. These tests follow one through every
place Keras carries it: `_keras_mask` on eager tensors and KerasTensors, the
`mask` argument of any `call` that takes one, Functional and Sequential graphs,
RNNs skipping masked steps, and the loss and metrics of `fit`.
"""

import threading

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import layers, ops

IDS = np.array([[3, 1, 4, 0, 0], [5, 9, 2, 6, 5]], "int32")


class MaskEcho(layers.Layer):
    """Returns the mask `call` received, as floats (None: ones)."""

    def call(self, inputs, mask=None):
        if mask is None:
            return ops.ones_like(inputs[..., 0])
        return ops.cast(mask, "float32")


def test_embedding_mask_rides_on_the_eager_output():
    out = layers.Embedding(10, 3, mask_zero=True)(IDS)
    np.testing.assert_array_equal(out._keras_mask.numpy(), IDS != 0)


def test_symbolic_outputs_carry_keras_tensor_masks():
    inputs = keras.Input((None,), dtype="int32")
    embedded = layers.Embedding(10, 3, mask_zero=True)(inputs)
    assert isinstance(embedded._keras_mask, keras.KerasTensor)
    assert embedded._keras_mask.shape == (None, None)
    # Dense passes the mask on; a layer that does not support masking drops it.
    assert layers.Dense(2)(embedded)._keras_mask is not None
    assert layers.Flatten()(keras.Input((4, 3)))._keras_mask is None


@pytest.mark.parametrize("kind", ["functional", "sequential"])
def test_the_mask_reaches_any_call_that_takes_mask(kind):
    if kind == "functional":
        inputs = keras.Input((None,), dtype="int32")
        x = layers.Embedding(10, 3, mask_zero=True)(inputs)
        model = keras.Model(inputs, MaskEcho()(layers.Dense(4)(x)))
    else:
        model = keras.Sequential(
            [layers.Embedding(10, 3, mask_zero=True), layers.Dense(4), MaskEcho()]
        )
    np.testing.assert_array_equal(model(IDS).numpy(), (IDS != 0).astype("float32"))


def test_custom_compute_mask_changes_the_mask():
    class FirstHalf(layers.Layer):
        def call(self, inputs):
            return inputs[:, :2]

        def compute_mask(self, inputs, mask=None):
            return None if mask is None else mask[:, :2]

    out = FirstHalf()(layers.Embedding(10, 3, mask_zero=True)(np.array([[1, 0, 2]])))
    np.testing.assert_array_equal(out._keras_mask.numpy(), [[True, False]])


def test_supports_masking_opts_in_to_propagation():
    class Passes(layers.Layer):
        def __init__(self):
            super().__init__()
            self.supports_masking = True

    class Drops(layers.Layer):
        def call(self, inputs):
            return inputs * 1.0

    embedded = layers.Embedding(10, 3, mask_zero=True)(IDS)
    assert Passes()(embedded)._keras_mask is not None
    assert getattr(Drops()(embedded), "_keras_mask", None) is None


def test_a_layer_returning_its_input_leaves_the_input_mask_on_it():
    """The mask belongs to the tensor: a layer without masking support that
    hands back the very tensor it got does not strip it (tf.keras 2.6 returns
    early for such layers; Keras 3 never sets a None mask)."""
    embedded = layers.Embedding(10, 3, mask_zero=True)(IDS)
    mask = embedded._keras_mask
    same = layers.Layer()(embedded)
    assert same is embedded and same._keras_mask is mask


@pytest.mark.parametrize("wrap", [False, True])
def test_rnns_skip_masked_steps(wrap):
    """Padding at the end must not change the last output of a masked RNN."""
    rnn = layers.LSTM(4, seed=0) if not wrap else layers.Bidirectional(layers.LSTM(4))
    model = keras.Sequential([layers.Embedding(10, 3, mask_zero=True), rnn])
    short = model(np.array([[3, 1, 4]])).numpy()
    padded = model(np.array([[3, 1, 4, 0, 0]])).numpy()
    np.testing.assert_allclose(short, padded, rtol=1e-5, atol=1e-6)


def test_a_mask_passed_by_hand_matches_the_embedding_mask():
    embedding = layers.Embedding(10, 3, mask_zero=True)
    lstm = layers.LSTM(2)
    x = embedding(IDS)
    by_hand = lstm(x, mask=embedding.compute_mask(IDS)).numpy()
    np.testing.assert_allclose(by_hand, lstm(x).numpy())


def test_a_mask_of_the_wrong_shape_is_a_clear_error():
    lstm = layers.LSTM(2, name="reader")
    with pytest.raises(ValueError, match=r"reader.*mask.*\(2, 4\)"):
        lstm(np.ones((2, 5, 3), "float32"), mask=np.ones((2, 4), bool))


def test_a_model_given_a_mask_passes_it_to_its_inputs():
    inputs = keras.Input((5, 3))
    model = keras.Model(inputs, MaskEcho()(layers.Dense(2)(inputs)))
    mask = np.array([[True] * 5, [True, False] * 2 + [True]])
    np.testing.assert_array_equal(
        model(np.ones((2, 5, 3)), mask=mask).numpy(), mask.astype("float32")
    )


def _sequence_model():
    return keras.Sequential(
        [
            keras.Input((None,), dtype="int32"),
            layers.Embedding(10, 3, mask_zero=True),
            layers.LSTM(4, return_sequences=True),
            layers.Dense(1, activation="sigmoid"),
        ]
    )


def test_loss_and_metrics_ignore_masked_steps():
    model = _sequence_model()
    model.compile("sgd", "binary_crossentropy", metrics=["accuracy"])
    targets = np.random.default_rng(0).integers(0, 2, (2, 5, 1)).astype("float32")
    flipped = targets.copy()
    flipped[IDS == 0] = 1.0 - flipped[IDS == 0]  # change only the padded steps
    first = model.evaluate(IDS, targets, verbose=0, return_dict=True)
    second = model.evaluate(IDS, flipped, verbose=0, return_dict=True)
    assert first == pytest.approx(second)
    model.fit(IDS, targets, epochs=1, verbose=0)


def test_mask_shape_that_does_not_fit_the_output_is_a_clear_error():
    class BadMask(layers.Layer):
        def compute_mask(self, inputs, mask=None):
            return ops.ones((2, 7), dtype="bool")

    inputs = keras.Input((5,))
    model = keras.Model(inputs, BadMask()(layers.Dense(1)(inputs)))
    model.compile("sgd", "mse")
    with pytest.raises(ValueError, match=r"mask.*\(2, 7\).*output shape \(2, 1\)"):
        model.fit(np.ones((2, 5)), np.ones((2, 1)), verbose=0)


def test_a_new_thread_carries_masks_from_its_first_call():
    # Whether masks are in play is noted per thread: a thread whose first
    # masked call is its own still hands the mask on to the next layer.
    seen = {}

    def run():
        embedded = layers.Embedding(10, 3, mask_zero=True)(IDS)
        seen["mask"] = MaskEcho()(embedded).numpy()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    np.testing.assert_array_equal(seen["mask"], IDS != 0)


class SeesMasks(layers.Layer):
    """Keeps the `mask` its `call` received."""

    def call(self, inputs, mask=None):
        self.seen = mask
        return ops.ones((1,))


def test_a_call_on_a_list_receives_each_input_s_mask_in_a_list():
    masked = layers.Embedding(10, 3, mask_zero=True)(IDS)
    other = layers.Embedding(10, 3, mask_zero=True)(IDS[::-1])
    plain = ops.ones((2, 5, 3))
    layer = SeesMasks()
    layer([masked, plain])
    assert isinstance(layer.seen, list) and len(layer.seen) == 2
    np.testing.assert_array_equal(layer.seen[0].numpy(), IDS != 0)
    assert layer.seen[1] is None
    layer([plain, masked, other])
    assert layer.seen[0] is None
    np.testing.assert_array_equal(layer.seen[1].numpy(), IDS != 0)
    np.testing.assert_array_equal(layer.seen[2].numpy(), IDS[::-1] != 0)
    # Inputs without any mask: `mask` stays None, not a list of Nones.
    layer([plain, plain])
    assert layer.seen is None


class Twice(layers.Layer):
    """Returns its input twice; `masks` (if given) is what `compute_mask` says."""

    def __init__(self, masks="pass"):
        super().__init__()
        self.supports_masking = True
        self.masks = masks

    def call(self, inputs):
        return [inputs, inputs * 2.0]

    def compute_mask(self, inputs, mask=None):
        return mask if self.masks == "pass" else self.masks


@pytest.mark.parametrize("kind", ["eager", "symbolic"])
def test_one_mask_for_several_outputs_goes_to_the_first_only(kind):
    """As in Keras (tf.keras 2.6 and Keras 3): the masks are zipped with the outputs."""
    ids = IDS if kind == "eager" else keras.Input((None,), dtype="int32")
    first, second = Twice()(layers.Embedding(10, 3, mask_zero=True)(ids))
    assert first._keras_mask is not None
    assert getattr(second, "_keras_mask", None) is None
    if kind == "eager":
        np.testing.assert_array_equal(first._keras_mask.numpy(), IDS != 0)
    else:
        assert first._keras_mask.shape == (None, None)


@pytest.mark.parametrize("kind", ["eager", "symbolic"])
@pytest.mark.parametrize("which", ["second", "both"])
def test_each_output_gets_its_own_mask(kind, which):
    own = np.array([[True, False, True, False, True]] * 2)
    masks = [None, own] if which == "second" else [own, ~own]
    ids = IDS if kind == "eager" else keras.Input((5,), dtype="int32")
    outputs = Twice(masks=masks)(layers.Embedding(10, 3, mask_zero=True)(ids))
    for output, mask in zip(outputs, masks):
        if mask is None:
            assert getattr(output, "_keras_mask", None) is None
        elif kind == "eager":
            np.testing.assert_array_equal(output._keras_mask, mask)
        else:  # a spec of the mask `compute_mask` gives on placeholder values
            assert output._keras_mask.shape == (2, 5)
            assert output._keras_mask.dtype == "bool"


def test_outputs_that_already_carry_a_mask_keep_it():
    """As in both Kerases, `compute_mask` is not asked when every output has a
    mask already (here the input itself, handed back with its mask)."""

    class Remasks(layers.Layer):
        def call(self, inputs):
            return inputs

        def compute_mask(self, inputs, mask=None):
            return ops.zeros(inputs.shape[:-1], dtype="bool")

    embedded = layers.Embedding(10, 3, mask_zero=True)(IDS)
    mask = embedded._keras_mask
    assert Remasks()(embedded)._keras_mask is mask
