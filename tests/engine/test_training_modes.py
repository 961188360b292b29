"""Which mode each training-API entry point runs the layers in.

`fit`'s steps run layers in training mode; `evaluate`, the validation pass of
`fit`, `predict` and the `*_on_batch` twins of the last two run them in
inference mode (`training=False`), so Dropout is off and BatchNormalization
neither uses nor moves its batch statistics there.
"""

import numpy as np

import nanokeras as keras


def data(samples=8):
    rng = np.random.default_rng(0)
    x = rng.normal(3.0, 2.0, size=(samples, 4)).astype("float32")
    y = rng.normal(size=(samples, 1)).astype("float32")
    return x, y


def recording_model(toy):
    dropout = toy.Dropout()
    model = keras.Sequential([keras.Input(shape=(4,)), dropout, toy.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    return model, dropout


def test_evaluate_and_predict_call_layers_with_training_false(toy):
    x, y = data()
    model, dropout = recording_model(toy)
    dropout.seen.clear()
    model.evaluate(x, y, batch_size=4, verbose=0)
    model.predict(x, batch_size=4, verbose=0)
    model.test_on_batch(x, y)
    model.predict_on_batch(x)
    assert dropout.seen == [False] * 6


def test_fit_trains_in_training_mode_and_validates_in_inference_mode(toy):
    x, y = data()
    model, dropout = recording_model(toy)
    dropout.seen.clear()
    model.fit(x, y, batch_size=4, epochs=2, validation_data=(x, y), verbose=0)
    # Per epoch: two training steps, then two validation steps.
    assert dropout.seen == [True, True, False, False] * 2
    dropout.seen.clear()
    model.fit(x, y, batch_size=4, epochs=1, validation_split=0.5, verbose=0)
    assert dropout.seen == [True, False]


def test_evaluate_leaves_batch_normalization_statistics_alone():
    x, y = data(16)
    keras.utils.set_random_seed(0)
    norm = keras.layers.BatchNormalization()
    model = keras.Sequential([keras.Input(shape=(4,)), norm, keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    moving = [norm.moving_mean.numpy().copy(), norm.moving_variance.numpy().copy()]
    first = model.evaluate(x, y, batch_size=8, verbose=0)
    assert np.array_equal(norm.moving_mean.numpy(), moving[0])
    assert np.array_equal(norm.moving_variance.numpy(), moving[1])
    # Inference mode normalises with the moving statistics (still 0 and 1), so
    # a second evaluation gives the same loss, to the bit.
    assert model.evaluate(x, y, batch_size=8, verbose=0) == first
    # Training mode does move them: the check above could fail.
    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    assert not np.array_equal(norm.moving_mean.numpy(), moving[0])
    moved = norm.moving_mean.numpy().copy()
    model.fit(x, y, epochs=1, validation_data=(x, y), verbose=0, batch_size=16)
    # One training step moved them once more; the validation pass did not.
    one_step = moved * 0.99 + x.mean(axis=0) * 0.01
    np.testing.assert_allclose(norm.moving_mean.numpy(), one_step, rtol=1e-5)
