"""PyDataset in fit/evaluate/predict: read batch by batch, never as one array."""

import threading

import numpy as np
import pytest

import nanokeras as keras

X = np.random.default_rng(0).normal(size=(10, 3)).astype("float32")
Y = (X.sum(axis=1, keepdims=True) > 0).astype("float32")


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y=None, batch_size=4, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size
        self.requested, self.threads = [], set()
        self.epochs_begun = self.epochs_ended = 0

    def __len__(self):
        return -(-len(self.x) // self.batch_size)

    def __getitem__(self, index):
        self.requested.append(index)
        self.threads.add(threading.current_thread().name)
        part = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[part] if self.y is None else (self.x[part], self.y[part])

    def __array__(self, *args, **kwargs):  # being turned into one array is a bug
        raise AssertionError("the dataset was materialised")

    def on_epoch_begin(self):
        self.epochs_begun += 1

    def on_epoch_end(self):
        self.epochs_ended += 1


def _model():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse", metrics=["mae"])
    return model


def test_fit_reads_each_batch_once_per_epoch_and_calls_the_epoch_hooks():
    data = Batches(X, Y)
    history = _model().fit(data, epochs=3, shuffle=False, verbose=0)
    assert len(history.history["loss"]) == 3
    assert data.requested == [0, 1, 2] * 3
    assert data.epochs_begun == data.epochs_ended == 3


def test_shuffle_changes_the_batch_order_not_the_batches():
    np.random.seed(3)
    data = Batches(X, Y, batch_size=1)
    _model().fit(data, epochs=2, shuffle=True, verbose=0)
    first, second = data.requested[:10], data.requested[10:]
    assert sorted(first) == sorted(second) == list(range(10))
    assert first != list(range(10)) or second != list(range(10))


def test_workers_build_batches_in_threads_in_order():
    ordered, threaded = Batches(X, Y, workers=3, max_queue_size=2), Batches(X, Y)
    a, b = _model(), _model()
    b.set_weights(a.get_weights())
    a.fit(threaded, epochs=1, shuffle=False, verbose=0)
    b.fit(ordered, epochs=1, shuffle=False, verbose=0)
    assert any(name != threading.current_thread().name for name in ordered.threads)
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_allclose(wa, wb)


def test_evaluate_predict_and_validation_data():
    model = _model()
    history = model.fit(Batches(X, Y), validation_data=Batches(X, Y), verbose=0)
    assert set(history.history) == {"loss", "mae", "val_loss", "val_mae"}
    np.testing.assert_allclose(
        model.evaluate(Batches(X, Y), verbose=0),
        model.evaluate(X, Y, batch_size=4, verbose=0),
        rtol=1e-6,
    )
    predicted = model.predict(Batches(X), verbose=0)
    # Same batches as the dataset's, compared to float32 rounding.
    expected = model.predict(X, batch_size=4, verbose=0)
    np.testing.assert_allclose(predicted, expected, rtol=1e-5, atol=1e-6)


def test_any_object_with_len_and_getitem_is_read_by_index():
    class Plain:  # tf.keras's `Sequence` contract, without the base class
        def __len__(self):
            return 2

        def __getitem__(self, index):
            return X[index * 5 : (index + 1) * 5], Y[index * 5 : (index + 1) * 5]

    history = _model().fit(Plain(), epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2


def test_class_weight_weights_each_batch_as_for_arrays():
    weights = {0: 2.0, 1: 0.5}
    from_dataset, from_arrays = _model(), _model()
    from_arrays.set_weights(from_dataset.get_weights())
    from_dataset.fit(Batches(X, Y), class_weight=weights, shuffle=False, verbose=0)
    from_arrays.fit(X, Y, batch_size=4, class_weight=weights, shuffle=False, verbose=0)
    for ours, theirs in zip(from_dataset.get_weights(), from_arrays.get_weights()):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6)


def test_targets_given_beside_a_dataset_are_a_clear_error():
    with pytest.raises(ValueError, match="as a PyDataset, `y` should not be passed"):
        _model().fit(Batches(X, Y), Y, verbose=0)


def test_a_subclass_that_forgot_super_init_still_works():
    class Forgetful(keras.utils.PyDataset):
        def __len__(self):
            return 1

        def __getitem__(self, index):
            return X, Y

    data = Forgetful()
    assert (data.workers, data.use_multiprocessing, data.max_queue_size) == (
        1,
        False,
        10,
    )
    _model().fit(data, verbose=0)
    assert keras.utils.Sequence is keras.utils.PyDataset
