"""Model's training API: compile, fit, evaluate, predict and the *_on_batch methods."""

import numpy as np
import pytest

import nanokeras as keras


def regression_data(samples=100, features=10, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(samples, features)).astype("float32")
    y = (x @ rng.normal(size=(features, 1))).astype("float32")
    return x, y


def small_model(seed=0, units=10):
    np.random.seed(seed)
    keras.utils.clear_session()
    return keras.Sequential(
        [
            keras.Input(shape=(10,)),
            keras.layers.Dense(units, activation="relu"),
            keras.layers.Dense(1),
        ]
    )


class CountBatches(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.batches = []

    def on_train_batch_end(self, batch, logs=None):
        self.batches.append(batch)


def test_fit_default_batch_size_gives_four_steps_for_100_samples():
    x, y = regression_data(100)
    model = small_model()
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    counter = CountBatches()
    history = model.fit(x, y, epochs=2, verbose=0, callbacks=[counter])
    assert counter.batches == [0, 1, 2, 3, 0, 1, 2, 3]
    assert isinstance(history, keras.callbacks.History)
    assert model.history is history
    assert set(history.history) == {"loss", "mae"}
    assert history.epoch == [0, 1]
    assert all(isinstance(v, float) for v in history.history["loss"])


def test_fit_reduces_the_loss():
    x, y = regression_data(256)
    model = small_model(units=32)
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    history = model.fit(x, y, epochs=20, verbose=0)
    assert history.history["loss"][-1] < 0.1 * history.history["loss"][0]


def test_evaluate_returns_loss_and_metrics_as_list_scalar_or_dict():
    x, y = regression_data(50)
    model = small_model()
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    prediction = model.predict(x, verbose=0)
    expected_loss = float(np.mean((prediction - y) ** 2))
    expected_mae = float(np.mean(np.abs(prediction - y)))
    loss, mae = model.evaluate(x, y, batch_size=16, verbose=0)
    assert loss == pytest.approx(expected_loss, rel=1e-5)
    assert mae == pytest.approx(expected_mae, rel=1e-5)
    assert model.metrics_names == ["loss", "mae"]
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert logs == pytest.approx({"loss": expected_loss, "mae": expected_mae}, rel=1e-5)
    model.compile(optimizer="sgd", loss="mse")
    assert model.evaluate(x, y, verbose=0) == pytest.approx(expected_loss, rel=1e-5)


def test_predict_concatenates_batches_and_needs_no_compile():
    x, _ = regression_data(70)
    model = small_model()
    out = model.predict(x, batch_size=16, verbose=0)
    assert isinstance(out, np.ndarray) and out.shape == (70, 1)
    np.testing.assert_allclose(out, np.asarray(model(x)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(model.predict_on_batch(x[:3]), out[:3], atol=1e-6)


def test_fit_before_compile_is_a_clear_error():
    x, y = regression_data(10)
    with pytest.raises(RuntimeError, match="must compile your model"):
        small_model().fit(x, y, verbose=0)


def test_compile_without_a_loss_fails_clearly_at_fit():
    x, y = regression_data(8)
    model = small_model()
    model.compile(optimizer="adam")
    with pytest.raises(ValueError, match="No loss to compute"):
        model.fit(x, y, verbose=0)
    with pytest.raises(ValueError, match="steps_per_execution"):
        model.compile(optimizer="adam", loss="mse", steps_per_execution=4)


def test_validation_data_and_split_add_val_metrics():
    x, y = regression_data(100)
    model = small_model()
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    history = model.fit(x, y, epochs=2, validation_split=0.2, verbose=0)
    assert set(history.history) == {"loss", "mae", "val_loss", "val_mae"}
    # The held-out part is the last 20 samples: evaluating them now gives the
    # last epoch's validation loss.
    assert history.history["val_loss"][-1] == pytest.approx(
        model.evaluate(x[80:], y[80:], verbose=0)[0], rel=1e-5
    )
    history = model.fit(
        x, y, epochs=3, validation_data=(x[:10], y[:10]), validation_freq=2, verbose=0
    )
    assert len(history.history["val_loss"]) == 1


def test_sample_weight_zero_ignores_samples():
    x, y = regression_data(40)
    model = small_model()
    model.compile(optimizer="sgd", loss="mse")
    weights = np.r_[np.ones(20), np.zeros(20)].astype("float32")
    full = model.evaluate(x, y, sample_weight=weights, batch_size=40, verbose=0)
    # sum_over_batch_size: the weighted sum divided by all 40 samples.
    half = model.evaluate(x[:20], y[:20], batch_size=20, verbose=0)
    assert full == pytest.approx(half / 2, rel=1e-5)


def test_generators_and_steps_per_epoch():
    x, y = regression_data(64)

    def endless():
        while True:
            for start in range(0, 64, 16):
                yield x[start : start + 16], y[start : start + 16]

    model = small_model()
    model.compile(optimizer="adam", loss="mse")
    counter = CountBatches()
    model.fit(endless(), steps_per_epoch=3, epochs=2, verbose=0, callbacks=[counter])
    assert counter.batches == [0, 1, 2, 0, 1, 2]
    finite = ((x[i : i + 8], y[i : i + 8]) for i in range(0, 64, 8))
    assert model.evaluate(finite, verbose=0) == pytest.approx(
        model.evaluate(x, y, verbose=0), rel=1e-5
    )
    batches = ((x[i : i + 10],) for i in range(0, 64, 10))
    assert model.predict(batches, verbose=0).shape == (64, 1)


def test_multi_input_multi_output_with_dict_losses_and_weights():
    keras.utils.clear_session()
    left = keras.Input(shape=(3,), name="left")
    right = keras.Input(shape=(2,), name="right")
    merged = keras.layers.Concatenate()([left, right])
    hidden = keras.layers.Dense(8, activation="relu")(merged)
    score = keras.layers.Dense(1, name="score")(hidden)
    label = keras.layers.Dense(3, activation="softmax", name="label")(hidden)
    model = keras.Model(inputs=[left, right], outputs=[score, label])
    model.compile(
        optimizer="adam",
        loss={"score": "mse", "label": "sparse_categorical_crossentropy"},
        loss_weights={"score": 2.0, "label": 1.0},
        metrics={"label": ["accuracy"]},
    )
    rng = np.random.default_rng(1)
    xs = [rng.normal(size=(40, 3)), rng.normal(size=(40, 2))]
    ys = {"score": rng.normal(size=(40, 1)), "label": rng.integers(0, 3, 40)}
    history = model.fit(xs, ys, epochs=1, batch_size=8, verbose=0)
    assert set(history.history) == {
        "loss",
        "score_loss",
        "label_loss",
        "label_accuracy",
    }
    logs = model.evaluate(xs, ys, verbose=0, return_dict=True)
    assert logs["loss"] == pytest.approx(
        2.0 * logs["score_loss"] + logs["label_loss"], rel=1e-5
    )
    score_pred, label_pred = model.predict(xs, verbose=0)
    assert score_pred.shape == (40, 1) and label_pred.shape == (40, 3)


def test_string_accuracy_follows_the_output_shape():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(30, 10)).astype("float32")
    cases = [
        (1, "sigmoid", rng.integers(0, 2, (30, 1)), "binary_crossentropy",
         "BinaryAccuracy"),
        (4, "softmax", rng.integers(0, 4, 30), "sparse_categorical_crossentropy",
         "SparseCategoricalAccuracy"),
        (4, "softmax", np.eye(4)[rng.integers(0, 4, 30)], "categorical_crossentropy",
         "CategoricalAccuracy"),
    ]  # fmt: skip
    for units, activation, y, loss, expected in cases:
        keras.utils.clear_session()
        model = keras.Sequential(
            [keras.Input(shape=(10,)), keras.layers.Dense(units, activation=activation)]
        )
        model.compile(optimizer="sgd", loss=loss, metrics=["accuracy"])
        model.evaluate(x, y, verbose=0)
        assert type(model.metrics[1]).__name__ == expected
        assert model.metrics_names == ["loss", "accuracy"]


def test_custom_train_step_tf_keras_2_pattern():
    class CustomModel(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(1)
            self.steps_run = 0

        def call(self, inputs, training=False):
            return self.dense(inputs)

        def train_step(self, data):
            x, y = data
            with keras.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compiled_loss(y, y_pred, regularization_losses=self.losses)
            gradients = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
            self.compiled_metrics.update_state(y, y_pred)
            self.steps_run += 1
            return {m.name: m.result() for m in self.metrics}

    x, y = regression_data(64)
    model = CustomModel()
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse", metrics=["mae"])
    history = model.fit(x, y, epochs=5, batch_size=16, verbose=0)
    assert model.steps_run == 20
    assert set(history.history) == {"loss", "mae"}
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_custom_train_step_keras_3_pattern_with_own_metric():
    class CustomModel(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(1)
            self.loss_tracker = keras.metrics.Mean(name="my_loss")

        def call(self, inputs, training=False):
            return self.dense(inputs)

        def train_step(self, data):
            x, y = data
            with keras.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compute_loss(y=y, y_pred=y_pred)
            self.optimizer.minimize(loss, self.trainable_variables, tape=tape)
            self.loss_tracker.update_state(loss)
            return {"my_loss": self.loss_tracker.result()}

    x, y = regression_data(64)
    model = CustomModel()
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    history = model.fit(x, y, epochs=3, batch_size=16, verbose=0)
    assert list(history.history) == ["my_loss"]
    # A metric set as an attribute is one of the model's metrics (reset every
    # epoch), as in Keras 3.
    assert model.metrics_names == ["loss", "my_loss"]


def test_train_test_predict_on_batch():
    x, y = regression_data(16)
    model = small_model()
    model.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse", metrics=["mae"])
    before = model.test_on_batch(x, y)
    first = model.train_on_batch(x, y)
    assert first[0] == pytest.approx(before[0], rel=1e-5)  # loss before the update
    assert model.test_on_batch(x, y)[0] < before[0]
    assert set(model.train_on_batch(x, y, return_dict=True)) == {"loss", "mae"}
    assert model.optimizer.iterations.numpy() == 2


def test_class_weight_scales_the_loss_of_a_class():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 10)).astype("float32")
    y = np.r_[np.zeros(16), np.ones(16)].astype("float32")[:, None]
    model = keras.Sequential([keras.Input(shape=(10,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    plain = model.fit(x, y, batch_size=32, verbose=0).history["loss"][0]
    zero_ones = model.fit(x, y, batch_size=32, class_weight={1: 0.0}, verbose=0)
    prediction = model.predict(x, verbose=0)
    expected = float(np.sum((prediction[:16] - 0.0) ** 2) / 32)
    assert zero_ones.history["loss"][0] == pytest.approx(expected, rel=1e-5)
    assert plain > zero_ones.history["loss"][0]


def test_verbose_modes_print_keras_style_lines(capsys):
    x, y = regression_data(100)
    model = small_model()
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    model.fit(x, y, epochs=2, verbose=0)
    assert capsys.readouterr().out == ""
    model.fit(x, y, epochs=2, verbose=2)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2"
    assert lines[1].startswith("4/4 - ") and "step - loss: " in lines[1]
    assert " - mae: " in lines[1]
    # verbose=1 ("auto") to a file or pipe: plain finished lines, no colour codes.
    model.fit(x, y, epochs=1)
    out = capsys.readouterr().out
    assert out.startswith("4/4 - ") and "\x1b[" not in out and "\r" not in out
    model.evaluate(x, y)
    assert capsys.readouterr().out.startswith("4/4 - ")


def test_metrics_names_and_reset_metrics():
    x, y = regression_data(20)
    model = small_model()
    assert model.metrics == []
    rmse = keras.metrics.RootMeanSquaredError()
    model.compile(optimizer="adam", loss="mse", metrics=["mae", rmse])
    model.fit(x, y, verbose=0)
    assert model.metrics_names == ["loss", "mae", "root_mean_squared_error"]
    model.reset_metrics()
    assert all(float(m.result()) == 0.0 for m in model.metrics)


def test_fit_runs_the_step_through_the_distribution_strategy():
    calls = []
    strategy = keras.distribute.get_strategy()
    original = type(strategy).run

    def spying_run(self, fn, args=(), kwargs=None):
        calls.append(fn.__name__)
        return original(self, fn, args, kwargs)

    x, y = regression_data(64)
    model = small_model()
    model.compile(optimizer="adam", loss="mse")
    type(strategy).run = spying_run
    try:
        model.fit(x, y, epochs=1, verbose=0)
    finally:
        type(strategy).run = original
    assert calls == ["train_step"] * 2


@pytest.mark.keras
def test_evaluate_and_predict_match_keras_3_with_the_same_weights(real_keras):
    x, y = regression_data(64)
    ours = small_model()
    ours.compile(optimizer="adam", loss="mse", metrics=["mae"])
    theirs = real_keras.Sequential(
        [
            real_keras.Input(shape=(10,)),
            real_keras.layers.Dense(10, activation="relu"),
            real_keras.layers.Dense(1),
        ]
    )
    theirs.compile(optimizer="adam", loss="mse", metrics=["mae"])
    theirs.set_weights(ours.get_weights())
    np.testing.assert_allclose(
        ours.evaluate(x, y, batch_size=20, verbose=0),
        theirs.evaluate(x, y, batch_size=20, verbose=0),
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        ours.predict(x, verbose=0), theirs.predict(x, verbose=0), rtol=1e-5, atol=1e-6
    )


def test_fit_builds_a_deferred_sequential():
    x, y = regression_data(32)
    keras.utils.clear_session()
    deferred = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(1)])
    deferred.compile(optimizer="adam", loss="mse")
    deferred.fit(x, y, verbose=0)
    assert deferred.built and len(deferred.weights) == 4
    assert deferred.predict(x, verbose=0).shape == (32, 1)


def test_compile_config_round_trips_through_json():
    import json

    model = small_model()
    model.compile(
        optimizer=keras.optimizers.Adam(0.005),
        loss=keras.losses.Huber(delta=2.0),
        metrics=["mae", keras.metrics.RootMeanSquaredError(name="rmse")],
    )
    config = json.loads(json.dumps(model.get_compile_config()))
    fresh = small_model()
    fresh.compile_from_config(config)
    assert float(fresh.optimizer.learning_rate) == pytest.approx(0.005)
    assert isinstance(fresh.loss, keras.losses.Huber)
    x, y = regression_data(20)
    fresh.set_weights(model.get_weights())
    np.testing.assert_allclose(
        fresh.evaluate(x, y, verbose=0), model.evaluate(x, y, verbose=0), rtol=1e-6
    )
    assert fresh.metrics_names == ["loss", "mae", "rmse"]
    assert small_model().get_compile_config() is None


def test_dict_outputs_are_matched_to_targets_by_key_not_by_sorted_order():
    keras.utils.clear_session()
    inputs = keras.Input(shape=(3,))
    hidden = keras.layers.Dense(4, activation="relu")(inputs)
    model = keras.Model(
        inputs,
        {
            "zeta": keras.layers.Dense(1, name="z")(hidden),
            "alpha": keras.layers.Dense(2, name="a")(hidden),
        },
    )
    model.compile(optimizer="sgd", loss={"zeta": "mse", "alpha": "mae"})
    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 3)).astype("float32")
    y = {"zeta": rng.normal(size=(16, 1)), "alpha": rng.normal(size=(16, 2))}
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    predicted = model.predict(x, verbose=0)
    assert set(predicted) == {"zeta", "alpha"}
    assert logs["zeta_loss"] == pytest.approx(
        float(np.mean((predicted["zeta"] - y["zeta"]) ** 2)), rel=1e-5
    )
    assert logs["alpha_loss"] == pytest.approx(
        float(np.mean(np.abs(predicted["alpha"] - y["alpha"]))), rel=1e-5
    )
