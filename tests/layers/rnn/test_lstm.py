"""LSTM's fused loop against stepping LSTMCell: same outputs, same gradients,
and the general path wherever the fused op would compute something else."""

import numpy as np
import pytest

import nanokeras as keras
from backend.ops import rnn as rnn_ops

MASK = np.array([[1, 1, 1, 0, 0], [0, 1, 1, 1, 1], [0, 0, 1, 0, 1]], bool)
OPTIONS = [
    {},
    {"return_sequences": True},
    {"return_state": True},
    {"return_sequences": True, "return_state": True, "go_backwards": True},
    {"go_backwards": True, "use_bias": False},
    {"return_sequences": True, "zero_output_for_mask": True},
    {"unit_forget_bias": False, "return_state": True},
]


def _layer(use_cudnn, **options):
    layer = keras.layers.LSTM(3, use_cudnn=use_cudnn, dtype="float64", **options)
    layer.build((3, 5, 2))
    rng = np.random.default_rng(0)
    layer.set_weights([rng.normal(scale=0.6, size=w.shape) for w in layer.weights])
    return layer


def _run(layer, masked, initial_state, training=False):
    """Outputs and gradients (inputs, weights, initial states) of a weighted sum."""
    rng = np.random.default_rng(1)
    x = keras.ops.convert_to_tensor(rng.normal(size=(3, 5, 2)))
    states = None
    if initial_state:
        states = [keras.ops.convert_to_tensor(rng.normal(size=(3, 3))) for _ in "hc"]
    sources = [x, *layer.trainable_weights, *(states or [])]
    with keras.GradientTape() as tape:
        tape.watch(sources)
        outputs = layer(
            x,
            mask=MASK if masked else None,
            initial_state=states,
            training=training,
        )
        outputs = list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]
        loss = sum(
            keras.ops.sum(o * np.random.default_rng(2 + n).normal(size=o.shape))
            for n, o in enumerate(outputs)
        )
    gradients = tape.gradient(loss, sources)
    return [o.numpy() for o in outputs], [g.numpy() for g in gradients]


def _assert_same(fused, stepped):
    for ours, theirs in zip(fused[0] + fused[1], stepped[0] + stepped[1]):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)
    assert len(fused[0]) == len(stepped[0]) and len(fused[1]) == len(stepped[1])


@pytest.mark.parametrize("options", OPTIONS, ids=str)
@pytest.mark.parametrize("masked", [False, True], ids=["", "masked"])
@pytest.mark.parametrize("initial_state", [False, True], ids=["", "initial_state"])
def test_fused_loop_matches_stepping_the_cell(options, masked, initial_state):
    fused = _run(_layer("auto", **options), masked, initial_state)
    stepped = _run(_layer(False, **options), masked, initial_state)
    _assert_same(fused, stepped)


@pytest.fixture
def fused_calls(monkeypatch):
    """The number of times the fused op has run since the test began."""
    calls = []
    original = rnn_ops.lstm

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(rnn_ops, "lstm", counting)
    return calls


def test_the_plain_layer_runs_the_fused_op(fused_calls):
    _run(_layer("auto"), masked=True, initial_state=False)
    _run(_layer(True), masked=False, initial_state=True)
    assert len(fused_calls) == 2


def test_input_dropout_in_training_gives_the_same_masks_on_both_paths(fused_calls):
    fused = _run(_layer("auto", dropout=0.4, seed=3), True, False, training=True)
    assert len(fused_calls) == 1
    stepped = _run(_layer(False, dropout=0.4, seed=3), True, False, training=True)
    _assert_same(fused, stepped)
    plain = _run(_layer(False, seed=3), True, False, training=True)
    assert not np.allclose(fused[0][0], plain[0][0])  # dropout did act


@pytest.mark.parametrize(
    "options",
    [
        {"recurrent_dropout": 0.3, "seed": 1},
        {"activation": "relu"},
        {"recurrent_activation": "hard_sigmoid"},
    ],
    ids=str,
)
def test_what_the_fused_op_cannot_compute_steps_the_cell(fused_calls, options):
    layer = _layer("auto", **options)
    fallback = _run(layer, True, True, training=True)
    assert fused_calls == []
    stepped = _run(_layer(False, **options), True, True, training=True)
    _assert_same(fallback, stepped)


def test_recurrent_dropout_outside_training_runs_the_fused_op(fused_calls):
    layer = _layer("auto", recurrent_dropout=0.3, seed=1)
    fused = _run(layer, masked=False, initial_state=False)
    assert len(fused_calls) == 1
    _assert_same(
        fused, _run(_layer(False, recurrent_dropout=0.3, seed=1), False, False)
    )


def test_a_subclassed_cell_keeps_its_own_step(fused_calls):
    class ScaledCell(keras.layers.LSTMCell):
        def call(self, inputs, states, training=False):
            h, states = super().call(inputs, states, training=training)
            return h * 2.0, states

    layer = keras.layers.RNN(ScaledCell(3), dtype="float64")
    plain = keras.layers.RNN(keras.layers.LSTMCell(3), dtype="float64")
    x = np.ones((2, 4, 2))
    layer.build(x.shape)
    plain.build(x.shape)
    plain.set_weights(layer.get_weights())
    np.testing.assert_allclose(layer(x).numpy(), 2.0 * plain(x).numpy())
    assert fused_calls == []


def test_use_cudnn_true_refuses_a_configuration_the_fused_op_cannot_run():
    layer = _layer(True, activation="relu")
    with pytest.raises(ValueError, match=r'"lstm.*use_cudnn=True.*activation=.relu'):
        layer(np.ones((3, 5, 2)))
