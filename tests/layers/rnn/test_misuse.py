"""Recurrent layer misuse: each error names the layer and the offending value."""

import numpy as np
import pytest

import nanokeras as keras


def _raises(error, call, *fragments):
    with pytest.raises(error) as info:
        call()
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"


@pytest.mark.parametrize("name", ["SimpleRNN", "GRU", "LSTM", "LSTMCell"])
@pytest.mark.parametrize("units", [0, -2, 1.5, None])
def test_non_positive_units(name, units):
    _raises(
        ValueError, lambda: getattr(keras.layers, name)(units), name, f"units={units!r}"
    )


@pytest.mark.parametrize("rate", [-0.1, 1.0, "0.5"])
def test_bad_dropout_rates(rate):
    _raises(ValueError, lambda: keras.layers.GRU(2, dropout=rate), "GRU", f"{rate!r}")
    _raises(
        ValueError,
        lambda: keras.layers.LSTM(2, recurrent_dropout=rate),
        "LSTM",
        f"recurrent_dropout={rate!r}",
    )


def test_wrong_input_rank():
    layer = keras.layers.LSTM(2, name="reader")
    _raises(
        ValueError,
        lambda: layer(np.ones((4, 3))),
        'layer "reader"',
        "expected ndim=3, found ndim=2",
    )


def test_wrong_feature_count_after_build():
    layer = keras.layers.GRU(2, name="gru_a")
    layer(np.ones((1, 3, 4)))
    _raises(
        ValueError,
        lambda: layer(np.ones((1, 3, 5))),
        'layer "gru_a"',
        "expected axis -1 of input shape to have value 4",
    )


def test_wrong_initial_state():
    layer = keras.layers.LSTM(3, name="lstm_s")
    x = np.ones((2, 4, 2))
    _raises(
        ValueError,
        lambda: layer(x, initial_state=[np.zeros((2, 3))]),
        '"lstm_s"',
        "[(2, 3), (2, 3)]",
        "[(2, 3)]",
    )
    _raises(
        ValueError,
        lambda: layer(x, initial_state=[np.zeros((2, 4)), np.zeros((2, 4))]),
        '"lstm_s"',
        "(2, 4)",
    )


def test_stateful_is_not_supported():
    _raises(
        NotImplementedError,
        lambda: keras.layers.SimpleRNN(2, stateful=True),
        "SimpleRNN",
        "stateful=True",
    )


def test_cells_without_state_size():
    _raises(
        ValueError, lambda: keras.layers.RNN(keras.layers.Dense(2)), "RNN", "state_size"
    )
    _raises(ValueError, lambda: keras.layers.RNN(object()), "RNN", "`call`")
    _raises(
        ValueError,
        lambda: keras.layers.RNN(
            [keras.layers.SimpleRNNCell(2), keras.layers.Dense(2)]
        ),
        "StackedRNNCells",
        "state_size",
    )


def test_bidirectional_misuse():
    _raises(
        ValueError,
        lambda: keras.layers.Bidirectional(keras.layers.Dense(2)),
        "Bidirectional",
        "layer=<Dense",
    )
    _raises(
        ValueError,
        lambda: keras.layers.Bidirectional(keras.layers.GRU(2), merge_mode="max"),
        "Bidirectional",
        "merge_mode='max'",
    )
    _raises(
        ValueError,
        lambda: keras.layers.Bidirectional(
            keras.layers.GRU(2), backward_layer=keras.layers.GRU(2)
        ),
        "go_backwards",
    )
    _raises(
        ValueError,
        lambda: keras.layers.Bidirectional(
            keras.layers.GRU(2),
            backward_layer=keras.layers.GRU(
                2, go_backwards=True, return_sequences=True
            ),
        ),
        "return_sequences",
    )


def test_unknown_keyword():
    _raises(TypeError, lambda: keras.layers.LSTM(2, cells=3), "LSTM", "cells")


def test_empty_sequences_and_wrong_mask_shape():
    layer = keras.layers.SimpleRNN(2, name="short")
    _raises(ValueError, lambda: layer(np.ones((2, 0, 3))), '"short"', "(2, 0, 3)")
    _raises(
        ValueError,
        lambda: layer(np.ones((2, 4, 3)), mask=np.ones((2, 5), bool)),
        '"short"',
        "(2, 4)",
        "(2, 5)",
    )
