"""LSTM's and GRU's fused loops against stepping their cells: the same outputs
and gradients, and the cell's loop wherever the fused op would compute
something else."""

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
]
# The layer, the options only it has, and how many states it carries.
LAYERS = [
    ("LSTM", {}, 2),
    ("LSTM", {"unit_forget_bias": False}, 2),
    ("GRU", {}, 1),
    ("GRU", {"reset_after": False}, 1),
]
LAYER_IDS = ["LSTM", "LSTM-no-forget-bias", "GRU", "GRU-reset-before"]


def _layer(name, use_cudnn, **options):
    layer = getattr(keras.layers, name)(
        3, use_cudnn=use_cudnn, dtype="float64", **options
    )
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
        count = 2 if isinstance(layer, keras.layers.LSTM) else 1
        states = [
            keras.ops.convert_to_tensor(rng.normal(size=(3, 3))) for _ in range(count)
        ]
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
    assert len(fused[0]) == len(stepped[0]) and len(fused[1]) == len(stepped[1])
    for ours, theirs in zip(fused[0] + fused[1], stepped[0] + stepped[1]):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name, extra, _", LAYERS, ids=LAYER_IDS)
@pytest.mark.parametrize("options", OPTIONS, ids=str)
@pytest.mark.parametrize("masked", [False, True], ids=["", "masked"])
@pytest.mark.parametrize("initial_state", [False, True], ids=["", "initial_state"])
def test_fused_loop_matches_stepping_the_cell(
    name, extra, _, options, masked, initial_state
):
    fused = _run(_layer(name, "auto", **extra, **options), masked, initial_state)
    stepped = _run(_layer(name, False, **extra, **options), masked, initial_state)
    _assert_same(fused, stepped)


@pytest.fixture
def fused_calls(monkeypatch):
    """The fused ops' calls since the test began, by name."""
    calls = []
    for op in ("lstm", "gru"):
        original = getattr(rnn_ops, op)

        def counting(*args, _op=op, _original=original, **kwargs):
            calls.append(_op)
            return _original(*args, **kwargs)

        monkeypatch.setattr(rnn_ops, op, counting)
    return calls


def test_the_plain_layers_run_the_fused_ops(fused_calls):
    _run(_layer("LSTM", "auto"), masked=True, initial_state=False)
    _run(_layer("LSTM", True), masked=False, initial_state=True)
    _run(_layer("GRU", "auto", reset_after=False), masked=True, initial_state=True)
    assert fused_calls == ["lstm", "lstm", "gru"]


@pytest.mark.parametrize("name", ["LSTM", "GRU"])
def test_input_dropout_gives_the_same_masks_on_both_paths(fused_calls, name):
    fused = _run(_layer(name, "auto", dropout=0.4, seed=3), True, False, True)
    assert fused_calls == [name.lower()]
    stepped = _run(_layer(name, False, dropout=0.4, seed=3), True, False, True)
    _assert_same(fused, stepped)
    plain = _run(_layer(name, False, seed=3), True, False, training=True)
    assert not np.allclose(fused[0][0], plain[0][0])  # dropout did act


@pytest.mark.parametrize("name", ["LSTM", "GRU"])
@pytest.mark.parametrize(
    "options",
    [
        {"recurrent_dropout": 0.3, "seed": 1},
        {"activation": "relu"},
        {"recurrent_activation": "hard_sigmoid"},
    ],
    ids=str,
)
def test_what_the_fused_op_cannot_compute_steps_the_cell(fused_calls, name, options):
    fallback = _run(_layer(name, "auto", **options), True, True, training=True)
    assert fused_calls == []
    stepped = _run(_layer(name, False, **options), True, True, training=True)
    _assert_same(fallback, stepped)


@pytest.mark.parametrize("name", ["LSTM", "GRU"])
def test_recurrent_dropout_outside_training_runs_the_fused_op(fused_calls, name):
    fused = _run(_layer(name, "auto", recurrent_dropout=0.3, seed=1), False, False)
    assert fused_calls == [name.lower()]
    stepped = _run(_layer(name, False, recurrent_dropout=0.3, seed=1), False, False)
    _assert_same(fused, stepped)


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


@pytest.mark.parametrize("name", ["LSTM", "GRU"])
def test_use_cudnn_true_refuses_what_the_fused_op_cannot_run(name):
    layer = _layer(name, True, activation="relu")
    with pytest.raises(ValueError, match=rf"\({name}\): use_cudnn=True.*'relu'"):
        layer(np.ones((3, 5, 2)))


@pytest.mark.parametrize("name", ["LSTM", "GRU"])
def test_use_cudnn_takes_only_keras_values(name):
    with pytest.raises(ValueError, match=rf"`use_cudnn` of {name}.*'fast'"):
        getattr(keras.layers, name)(3, use_cudnn="fast")
