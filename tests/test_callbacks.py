"""Callbacks: the hooks fit calls, and the callbacks that steer training."""

import csv
import io
import math

import numpy as np
import pytest

import nanokeras as keras
from utils.progbar import Progbar


def data(samples=64, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(samples, 4)).astype("float32")
    return x, (x @ rng.normal(size=(4, 1))).astype("float32")


def model_for(learning_rate=0.01, optimizer="sgd"):
    np.random.seed(0)
    keras.utils.clear_session()
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
    optimizer = keras.optimizers.get(
        {"class_name": optimizer, "config": {"learning_rate": learning_rate}}
    )
    model.compile(optimizer=optimizer, loss="mse", metrics=["mae"])
    return model


class Recorder(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.calls = []

    def __getattribute__(self, name):
        attribute = object.__getattribute__(self, name)
        if name.startswith("on_") and callable(attribute):
            calls = object.__getattribute__(self, "calls")

            def recorded(*args, **kwargs):
                calls.append(name)
                return attribute(*args, **kwargs)

            return recorded
        return attribute


def test_hooks_are_called_in_keras_order_with_params_and_model():
    x, y = data(8)
    model = model_for()
    recorder = Recorder()
    model.fit(x, y, batch_size=4, epochs=1, validation_data=(x, y), verbose=0,
              callbacks=[recorder])  # fmt: skip
    assert recorder.calls == [
        "on_train_begin",
        "on_epoch_begin",
        "on_train_batch_begin",
        "on_batch_begin",
        "on_train_batch_end",
        "on_batch_end",
        "on_train_batch_begin",
        "on_batch_begin",
        "on_train_batch_end",
        "on_batch_end",
        "on_test_begin",
        "on_test_batch_begin",
        "on_test_batch_end",
        "on_test_batch_begin",
        "on_test_batch_end",
        "on_test_end",
        "on_epoch_end",
        "on_train_end",
    ]
    assert recorder.model is model
    assert recorder.params == {"verbose": 0, "epochs": 1, "steps": 2}


def test_callback_list_adds_history_and_progbar_once():
    history = keras.callbacks.History()
    callbacks = keras.callbacks.CallbackList(
        [history], add_history=True, add_progbar=True
    )
    kinds = [type(c).__name__ for c in callbacks.callbacks]
    assert kinds == ["History", "ProgbarLogger"]


def test_early_stopping_stops_and_restores_the_best_weights():
    x, y = data()
    model = model_for(learning_rate=0.05)
    losses_seen = []

    def poison_after_epoch_2(epoch, logs):
        losses_seen.append(logs["loss"])
        if epoch == 2:  # from now on every epoch is worse than epoch 2
            model.optimizer.learning_rate = 5.0

    weights_at = {}
    keep = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: weights_at.setdefault(
            epoch, model.get_weights()
        )
    )
    stopper = keras.callbacks.EarlyStopping(
        monitor="loss", patience=2, restore_best_weights=True
    )
    tracker = keras.callbacks.LambdaCallback(on_epoch_end=poison_after_epoch_2)
    history = model.fit(x, y, epochs=20, batch_size=16, verbose=0,
                        callbacks=[keep, tracker, stopper])  # fmt: skip
    best_epoch = int(np.argmin(history.history["loss"]))
    assert len(history.epoch) < 20 and stopper.stopped_epoch == len(history.epoch) - 1
    assert stopper.best_epoch == best_epoch
    for restored, best in zip(model.get_weights(), weights_at[best_epoch]):
        np.testing.assert_array_equal(restored, best)


def test_early_stopping_mode_and_baseline():
    stopper = keras.callbacks.EarlyStopping(monitor="val_accuracy")
    assert stopper._direction() == "max"
    assert keras.callbacks.EarlyStopping(monitor="val_loss")._direction() == "min"
    with pytest.raises(ValueError, match="mode 'up' is unknown"):
        keras.callbacks.EarlyStopping(mode="up")
    x, y = data()
    keras.utils.set_random_seed(0)
    model = model_for(learning_rate=0.0)  # nothing improves
    baseline = keras.callbacks.EarlyStopping(monitor="loss", baseline=0.0, patience=3)
    # One unshuffled full batch: with a zero learning rate the loss is then the
    # same float32 every epoch. A shuffled order would change its last bit, and
    # EarlyStopping (as Keras's) counts any decrease as a new best.
    history = model.fit(
        x,
        y,
        epochs=10,
        batch_size=len(x),
        shuffle=False,
        verbose=0,
        callbacks=[baseline],
    )
    assert len(set(history.history["loss"])) == 1
    assert len(history.epoch) == 3


def test_learning_rate_scheduler_sets_the_rate_each_epoch():
    x, y = data()
    model = model_for(learning_rate=0.1)
    scheduler = keras.callbacks.LearningRateScheduler(lambda epoch, lr: lr * 0.5)
    history = model.fit(x, y, epochs=3, verbose=0, callbacks=[scheduler])
    assert history.history["learning_rate"] == pytest.approx([0.05, 0.025, 0.0125])
    epoch_only = keras.callbacks.LearningRateScheduler(
        lambda epoch: 0.001 * (epoch + 1)
    )
    model.fit(x, y, epochs=2, verbose=0, callbacks=[epoch_only])
    assert float(model.optimizer.learning_rate) == pytest.approx(0.002)


def test_reduce_lr_on_plateau_reduces_after_patience():
    x, y = data()
    model = model_for(learning_rate=1e-12)  # the loss cannot move: a plateau
    reducer = keras.callbacks.ReduceLROnPlateau(
        monitor="loss", factor=0.5, patience=2, min_lr=1e-13
    )
    history = model.fit(x, y, epochs=5, verbose=0, callbacks=[reducer])
    assert history.history["learning_rate"] == pytest.approx(
        [1e-12, 1e-12, 1e-12, 5e-13, 5e-13]
    )
    with pytest.raises(ValueError, match="factor >= 1.0"):
        keras.callbacks.ReduceLROnPlateau(factor=2)


def test_terminate_on_nan_stops_at_the_first_bad_batch(capsys):
    x, y = data()
    x[20] = np.nan
    model = model_for()
    counter = keras.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: seen.append(batch)
    )
    seen = []
    model.fit(x, y, batch_size=16, epochs=3, verbose=0, shuffle=False,
              callbacks=[keras.callbacks.TerminateOnNaN(), counter])  # fmt: skip
    assert seen == [0, 1]
    assert "Batch 1: Invalid loss, terminating training" in capsys.readouterr().out


def test_csv_logger_writes_one_row_per_epoch(tmp_path):
    x, y = data()
    path = tmp_path / "log.csv"
    model = model_for()
    model.fit(x, y, epochs=2, verbose=0, validation_data=(x, y),
              callbacks=[keras.callbacks.CSVLogger(path)])  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    assert [row["epoch"] for row in rows] == ["0", "1"]
    assert list(rows[0]) == ["epoch", "loss", "mae", "val_loss", "val_mae"]
    model.fit(x, y, epochs=1, verbose=0,
              callbacks=[keras.callbacks.CSVLogger(path, append=True)])  # fmt: skip
    assert len(path.read_text().splitlines()) == 4  # one header, three rows


def test_lambda_callback_rejects_unknown_hooks():
    with pytest.raises(ValueError, match="unknown hook 'on_epoch_ends'"):
        keras.callbacks.LambdaCallback(on_epoch_ends=print)


def test_model_checkpoint_saves_weights_every_epoch_and_best_only(tmp_path):
    x, y = data()
    model = model_for()
    every = keras.callbacks.ModelCheckpoint(
        str(tmp_path / "w-{epoch:02d}.weights.npz"), save_weights_only=True
    )
    best = keras.callbacks.ModelCheckpoint(
        str(tmp_path / "best.weights.npz"), monitor="loss", save_best_only=True,
        save_weights_only=True,
    )  # fmt: skip
    model.fit(x, y, epochs=2, verbose=0, callbacks=[every, best])
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "best.weights.npz", "w-01.weights.npz", "w-02.weights.npz"
    ]  # fmt: skip
    fresh = model_for()
    fresh.load_weights(str(tmp_path / "w-02.weights.npz"))
    for a, b in zip(fresh.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)

    full = keras.callbacks.ModelCheckpoint(str(tmp_path / "model.keras"))
    model.fit(x, y, epochs=1, verbose=0, callbacks=[full])
    restored = keras.models.load_model(str(tmp_path / "model.keras"))
    np.testing.assert_allclose(
        restored.predict(x, verbose=0), model.predict(x, verbose=0)
    )
    with pytest.raises(ValueError, match=r"must end in `\.weights\.npz`"):
        keras.callbacks.ModelCheckpoint("w.keras", save_weights_only=True)


def test_progbar_redraws_in_place_on_a_terminal(monkeypatch):
    out = io.StringIO()
    out.isatty = lambda: True
    monkeypatch.setattr("sys.stdout", out)
    bar = Progbar(target=4, interval=0.0)
    for step in range(1, 5):
        bar.update(step, values=[("loss", float(step))])
    text = out.getvalue()
    assert text.count("\r") == 4 and text.endswith("\n")
    assert "\x1b[1m4/4\x1b[0m" in text and "━" in text
    assert "loss: 2.0000" in text  # at step 3, the mean of the first three
    assert text.rstrip().endswith("loss: 4.0000")  # finished: the last value


def test_progbar_plain_output_prints_only_the_finished_line(monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    bar = Progbar(target=3, stateful_metrics=["acc"], interval=0.0)
    bar.update(1, [("loss", 1.0), ("acc", 0.1)])
    bar.update(3, [("loss", 3.0), ("acc", 0.9)])
    (line,) = out.getvalue().splitlines()
    assert line.startswith("3/3 - ") and "loss: 3.0000" in line
    assert "acc: 0.9000" in line
    assert math.isclose(bar._values["loss"][0], 3.0)


class _FakeOptimizer:
    learning_rate = 0.1


class _FakeModel:
    """What EarlyStopping and ReduceLROnPlateau touch on a model."""

    def __init__(self):
        self.stop_training = False
        self.optimizer = _FakeOptimizer()
        self.weights_version = 0

    def get_weights(self):
        return [self.weights_version]

    def set_weights(self, weights):
        self.weights_version = weights[0]


def _drive(callback, values, monitor):
    """Feed one monitored value per epoch; return what the callback decided."""
    model = _FakeModel()
    callback.set_model(model)
    callback.on_train_begin()
    rates, epochs = [], 0
    for epoch, value in enumerate(values):
        model.weights_version = epoch
        callback.on_epoch_end(epoch, {monitor: value})
        rates.append(float(model.optimizer.learning_rate))
        epochs += 1
        if model.stop_training:
            break
    callback.on_train_end()
    return epochs, rates, model.weights_version


@pytest.mark.keras
@pytest.mark.parametrize("seed", range(10))
def test_early_stopping_and_reduce_lr_decide_like_keras_3(real_keras, seed):
    rng = np.random.default_rng(seed)
    values = list(np.cumsum(rng.normal(scale=0.3, size=30)) + 5.0)
    settings = dict(
        monitor="val_loss",
        patience=int(rng.integers(0, 4)),
        min_delta=float(rng.choice([0.0, 0.05])),
        mode=str(rng.choice(["min", "max"])),
    )
    extra = dict(
        restore_best_weights=True,
        start_from_epoch=int(rng.integers(0, 3)),
        baseline=[None, 5.0][seed % 2],
    )
    ours = _drive(
        keras.callbacks.EarlyStopping(**settings, **extra), values, "val_loss"
    )
    theirs = _drive(
        real_keras.callbacks.EarlyStopping(**settings, **extra), values, "val_loss"
    )
    assert ours == theirs
    reduce = dict(settings, factor=0.5, cooldown=int(rng.integers(0, 3)), min_lr=0.01)
    ours = _drive(keras.callbacks.ReduceLROnPlateau(**reduce), values, "val_loss")
    theirs = _drive(
        real_keras.callbacks.ReduceLROnPlateau(**reduce), values, "val_loss"
    )
    assert ours[1] == pytest.approx(theirs[1])


def test_every_hook_receives_a_dict_of_logs_never_none():
    # The keras.io callbacks guide calls `logs.keys()` in every hook.
    import numpy as np

    import nanokeras as nk

    seen = []

    def recorder(name):
        def hook(self, *args, logs=None):
            logs = args[-1] if args and not isinstance(args[-1], int) else logs
            seen.append((name, logs))

        return hook

    hooks = [
        f"on_{kind}_{edge}"
        for kind in ("train", "test", "predict", "epoch")
        for edge in ("begin", "end")
    ] + [
        f"on_{kind}_batch_{edge}"
        for kind in ("train", "test", "predict")
        for edge in ("begin", "end")
    ]
    Recorder = type(
        "Recorder", (nk.callbacks.Callback,), {h: recorder(h) for h in hooks}
    )

    model = nk.Sequential([nk.Input(shape=(2,)), nk.layers.Dense(1)])
    model.compile("sgd", "mse")
    x, y = np.ones((4, 2), "float32"), np.ones((4, 1), "float32")
    model.fit(x, y, validation_split=0.5, verbose=0, callbacks=[Recorder()])
    model.predict(x, verbose=0, callbacks=[Recorder()])
    assert {name for name, _ in seen} >= {
        "on_train_begin",
        "on_epoch_begin",
        "on_train_batch_begin",
        "on_test_begin",
        "on_predict_begin",
        "on_predict_end",
    }
    assert all(isinstance(logs, dict) for _, logs in seen), seen
