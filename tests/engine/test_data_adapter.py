"""DataHandler: batching arrays and generators the way `fit` walks them."""

import warnings

import numpy as np
import pytest

from backend.tensor import Tensor
from engine.data_adapter import (
    DataHandler,
    pack_x_y_sample_weight,
    train_validation_split,
    unpack_x_y_sample_weight,
)


def run_epochs(handler):
    """Every batch of every epoch, each unpacked to `(x, y, sample_weight)`."""
    epochs = []
    for _, iterator in handler.enumerate_epochs():
        batches = []
        with handler.catch_stop_iteration():
            for _ in handler.steps():
                batches.append(unpack_x_y_sample_weight(next(iterator)))
        epochs.append(batches)
    return epochs


def test_default_batch_size_gives_four_steps_for_100_samples():
    x, y = np.zeros((100, 3)), np.zeros((100, 1))
    handler = DataHandler(x, y)
    assert handler.inferred_steps == 4
    (batches,) = run_epochs(handler)
    assert [len(b[0]) for b in batches] == [32, 32, 32, 4]


def test_batches_are_tensors_of_floatx_and_keep_the_callers_array_writable():
    x = np.arange(10, dtype="float64").reshape(5, 2)
    (batches,) = run_epochs(DataHandler(x, batch_size=2))
    first_x, first_y, first_w = batches[0]
    assert isinstance(first_x, Tensor) and first_x.dtype == "float32"
    assert first_y is None and first_w is None
    x32 = np.ones((4, 2), "float32")
    (batches,) = run_epochs(DataHandler(x32, batch_size=4))
    assert x32.flags.writeable  # freezing the batch must not freeze the caller's
    x32[0, 0] = 5.0


def test_no_shuffle_keeps_order_and_shuffle_permutes_each_epoch():
    x = np.arange(64, dtype="float32")[:, None]
    (batches,) = run_epochs(DataHandler(x, batch_size=8))
    np.testing.assert_array_equal(np.concatenate([b[0] for b in batches]), x)
    np.random.seed(0)
    epochs = run_epochs(DataHandler(x, batch_size=8, epochs=2, shuffle=True))
    seen = [np.concatenate([b[0] for b in batches])[:, 0] for batches in epochs]
    for order in seen:
        np.testing.assert_array_equal(np.sort(order), x[:, 0])  # every sample once
        assert not np.array_equal(order, x[:, 0])
    assert not np.array_equal(seen[0], seen[1])


def test_shuffle_keeps_inputs_targets_and_weights_aligned():
    x = np.arange(50, dtype="float32")[:, None]
    y, w = x * 2, x * 3
    (batches,) = run_epochs(DataHandler(x, y, w, batch_size=7, shuffle=True))
    for bx, by, bw in batches:
        np.testing.assert_array_equal(np.asarray(by), np.asarray(bx) * 2)
        np.testing.assert_array_equal(np.asarray(bw), np.asarray(bx) * 3)


def test_lists_and_dicts_of_arrays_for_multi_input_output():
    x = {"a": np.zeros((10, 2)), "b": np.ones((10, 3))}
    y = [np.zeros((10, 1)), np.ones((10, 4))]
    (batches,) = run_epochs(DataHandler(x, y, batch_size=4))
    bx, by, _ = batches[-1]
    assert set(bx) == {"a", "b"} and bx["b"].shape == (2, 3)
    assert isinstance(by, list) and by[1].shape == (2, 4)


def test_mismatched_lengths_name_every_array():
    with pytest.raises(ValueError, match=r"same number of samples.*\[10, 9\]"):
        DataHandler(np.zeros((10, 2)), np.zeros((9, 1)))


def test_generator_runs_until_exhausted_then_learns_the_epoch_length():
    def batches():
        for i in range(3):
            yield np.full((2, 1), i, "float32"), np.zeros((2, 1))

    handler = DataHandler(batches(), epochs=1)
    assert handler.inferred_steps is None
    (epoch,) = run_epochs(handler)
    assert len(epoch) == 3 and handler.inferred_steps == 3


def test_exhausted_generator_stops_later_epochs_with_a_warning():
    def batches():
        for _ in range(3):
            yield np.zeros((2, 1)), np.zeros((2, 1))

    handler = DataHandler(batches(), epochs=3)
    with pytest.warns(UserWarning, match="ran out of data"):
        epochs = run_epochs(handler)
    assert [len(e) for e in epochs] == [3, 0]


def test_steps_per_epoch_reads_an_endless_generator_across_epochs():
    def counter():
        i = 0
        while True:
            yield np.full((1, 1), i, "float32"), np.zeros((1, 1))
            i += 1

    handler = DataHandler(counter(), steps_per_epoch=2, epochs=2)
    epochs = run_epochs(handler)
    values = [float(np.asarray(b[0])[0, 0]) for e in epochs for b in e]
    assert values == [0.0, 1.0, 2.0, 3.0]


def test_re_iterable_source_restarts_every_epoch():
    class Batches:
        def __iter__(self):
            for i in range(2):
                yield (np.full((1, 1), i, "float32"),)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        epochs = run_epochs(DataHandler(Batches(), epochs=2))
    assert [len(e) for e in epochs] == [2, 2]


def test_array_steps_per_epoch_shorter_than_data_continues_next_epoch():
    x = np.arange(6, dtype="float32")[:, None]
    epochs = run_epochs(DataHandler(x, batch_size=2, steps_per_epoch=2, epochs=2))
    values = [np.asarray(b[0])[:, 0].tolist() for e in epochs for b in e]
    assert values == [[0, 1], [2, 3], [4, 5], [0, 1]]


def test_generator_rejects_separate_targets():
    with pytest.raises(ValueError, match="`y` should not be passed"):
        DataHandler(iter([]), y=np.zeros(3))


def test_validation_split_holds_out_the_last_fraction():
    x, y = np.arange(10)[:, None], np.arange(10)
    (tx, ty, _), (vx, vy, _) = train_validation_split((x, y, None), 0.2)
    np.testing.assert_array_equal(vy, [8, 9])
    assert len(tx) == 8 and len(ty) == 8 and len(vx) == 2
    with pytest.raises(ValueError, match="not sufficient"):
        train_validation_split((x[:1], y[:1], None), 0.5)


def test_class_weight_scales_sample_weight_by_class():
    y = np.array([0, 1, 1, 2])
    (batches,) = run_epochs(
        DataHandler(np.zeros((4, 1)), y, batch_size=4, class_weight={1: 5.0})
    )
    np.testing.assert_array_equal(np.asarray(batches[0][2]), [1, 5, 5, 1])
    one_hot = np.eye(3)[y]
    (batches,) = run_epochs(
        DataHandler(np.zeros((4, 1)), one_hot, np.full(4, 2.0), class_weight={2: 3})
    )
    np.testing.assert_array_equal(np.asarray(batches[0][2]), [2, 2, 2, 6])


def test_unpack_and_pack_round_trip():
    assert unpack_x_y_sample_weight((1, 2)) == (1, 2, None)
    assert unpack_x_y_sample_weight([1, 2, 3]) == (1, 2, 3)
    assert unpack_x_y_sample_weight(5) == (5, None, None)
    assert pack_x_y_sample_weight([1, 2]) == ([1, 2],)
    assert pack_x_y_sample_weight(1, 2, 3) == (1, 2, 3)
    with pytest.raises(ValueError, match="4 elements"):
        unpack_x_y_sample_weight((1, 2, 3, 4))


def test_batches_are_packed_as_train_step_expects():
    x, y = np.zeros((4, 2)), np.zeros((4, 1))
    xy = next(next(DataHandler(x, y, batch_size=4).enumerate_epochs())[1])
    assert isinstance(xy, tuple) and len(xy) == 2  # `x, y = data` works
    alone = next(next(DataHandler(x, batch_size=4).enumerate_epochs())[1])
    assert isinstance(alone, Tensor)
    pair = [x, x]
    inputs_only = next(next(DataHandler(pair, batch_size=4).enumerate_epochs())[1])
    assert isinstance(inputs_only, tuple) and len(inputs_only) == 1


def test_missing_data_is_a_clear_error():
    with pytest.raises(ValueError, match="No data: `x` is None"):
        DataHandler(None)


def test_python_lists_of_numbers_are_data_not_multiple_inputs():
    (batches,) = run_epochs(DataHandler([[1.0, 2.0], [3.0, 4.0]], [0, 1], batch_size=2))
    x, y, _ = batches[0]
    assert x.shape == (2, 2) and y.shape == (2,)
