"""Real learning: fit must actually train models to a useful accuracy."""

import numpy as np

import nanokeras as keras


def test_mlp_learns_xor():
    np.random.seed(1)
    keras.utils.clear_session()
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype="float32")
    y = np.array([[0], [1], [1], [0]], dtype="float32")
    model = keras.Sequential(
        [
            keras.Input(shape=(2,)),
            keras.layers.Dense(16, activation="tanh"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(0.05),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    history = model.fit(x, y, epochs=300, batch_size=4, verbose=0)
    assert history.history["accuracy"][-1] == 1.0
    np.testing.assert_array_equal(model.predict(x, verbose=0) > 0.5, y > 0.5)


def test_small_cnn_reaches_95_percent_on_handwritten_digits():
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = (digits.images / 16.0).astype("float32")[..., None]  # (1797, 8, 8, 1)
    labels = digits.target
    rng = np.random.default_rng(0)
    order = rng.permutation(len(labels))
    train, test = order[:1400], order[1400:]
    np.random.seed(0)
    keras.utils.clear_session()
    model = keras.Sequential(
        [
            keras.Input(shape=(8, 8, 1)),
            keras.layers.Conv2D(16, 3, activation="relu", padding="same"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(32, 3, activation="relu", padding="same"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(
        optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    model.fit(images[train], labels[train], epochs=15, batch_size=32, verbose=0)
    _, accuracy = model.evaluate(images[test], labels[test], verbose=0)
    assert accuracy >= 0.95
