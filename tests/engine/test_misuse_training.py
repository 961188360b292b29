"""The training API's misuse catalogue: bad input never gives a wrong answer.

Each case calls `fit`, `evaluate`, `predict` or a `*_on_batch` method the way
a careless user might and asserts the error type and that the message names
the offending argument and the value received. Before these checks several of
them returned something plausible instead: `evaluate(batch_size=-1)` gave
`[]` metrics, `fit(steps_per_epoch=-1)` trained nothing and returned, an
object array holding None trained on NaN, `validation_split=1.5` validated on
the training data.

Real Keras 3 checks few of these arguments (its numpy backend cannot train,
so the notes below come from reading keras/src/trainers/ and
keras/src/trainers/data_adapters/ at 3.15.1): where a case says "Keras 3:",
Keras is wrong or unclear there and we do better.
"""

import re

import numpy as np
import pytest

import nanokeras as nk
from nanokeras import layers

X = np.ones((8, 3), "float32")
Y = np.ones((8, 1), "float32")
LABELS = np.array([0, 1] * 4)


def model(loss="mse", outputs=1):
    net = nk.Sequential([nk.Input(shape=(3,)), layers.Dense(outputs)], name="net")
    if loss is not None:
        net.compile("sgd", loss)
    return net


def two_inputs():
    a, b = nk.Input(shape=(3,), name="a"), nk.Input(shape=(3,), name="b")
    net = nk.Model([a, b], layers.Dense(1)(layers.Add()([a, b])), name="two")
    net.compile("sgd", "mse")
    return net


def two_outputs():
    x = nk.Input(shape=(3,))
    net = nk.Model(x, [layers.Dense(1)(x), layers.Dense(1)(x)], name="pair")
    net.compile("sgd", ["mse", "mse"])
    return net


def batches(with_targets=True):
    for _ in range(2):
        yield (X, Y) if with_targets else X


def fit(**kwargs):
    arguments = {"x": X, "y": Y, "verbose": 0, **kwargs}
    return model().fit(**arguments)


def evaluate(**kwargs):
    return model().evaluate(**{"x": X, "y": Y, "verbose": 0, **kwargs})


def predict(**kwargs):
    return model(loss=None).predict(**{"x": X, "verbose": 0, **kwargs})


def strings(n=8):
    return np.array(["cat", "dog"] * (n // 2))


def object_array_with_none():
    data = X.astype(object)
    data[2, 1] = None
    return data


COUNT = "Expected a strictly positive integer"

CASES = {
    # --- Counts: positive integers (Keras 3: none of these is checked; a
    # negative batch_size or steps silently gives an empty loop) ---
    "fit batch_size=-1": (
        lambda: fit(batch_size=-1),
        ValueError,
        ["`batch_size`", "`fit`", COUNT, "batch_size=-1"],
    ),
    "fit batch_size=0": (
        lambda: fit(batch_size=0),
        ValueError,
        ["`batch_size`", "batch_size=0"],
    ),
    "fit batch_size=2.5": (
        lambda: fit(batch_size=2.5),
        ValueError,
        ["`batch_size`", "batch_size=2.5", "float"],
    ),
    "fit batch_size as a string": (
        lambda: fit(batch_size="32"),
        ValueError,
        ["`batch_size`", "batch_size='32'", "str"],
    ),
    "fit batch_size=True": (
        lambda: fit(batch_size=True),
        ValueError,
        ["`batch_size`", "batch_size=True", "bool"],
    ),
    "fit epochs=-1": (
        lambda: fit(epochs=-1),
        ValueError,
        ["`epochs`", "non-negative integer", "epochs=-1"],
    ),
    "fit epochs=2.5": (
        lambda: fit(epochs=2.5),
        ValueError,
        ["`epochs`", "epochs=2.5", "float"],
    ),
    "fit epochs=None": (
        lambda: fit(epochs=None),
        ValueError,
        ["`epochs`", "epochs=None"],
    ),
    "fit initial_epoch=-1": (
        lambda: fit(initial_epoch=-1),
        ValueError,
        ["`initial_epoch`", "initial_epoch=-1"],
    ),
    "fit steps_per_epoch=-1": (
        lambda: fit(steps_per_epoch=-1),
        ValueError,
        ["`steps_per_epoch`", COUNT, "steps_per_epoch=-1"],
    ),
    "fit steps_per_epoch=0": (
        lambda: fit(steps_per_epoch=0),
        ValueError,
        ["`steps_per_epoch`", "steps_per_epoch=0"],
    ),
    "fit steps_per_epoch=1.5": (
        lambda: fit(steps_per_epoch=1.5),
        ValueError,
        ["`steps_per_epoch`", "steps_per_epoch=1.5"],
    ),
    "fit validation_steps=0": (
        lambda: fit(validation_data=(X, Y), validation_steps=0),
        ValueError,
        ["`validation_steps`", "validation_steps=0"],
    ),
    "fit validation_batch_size=-4": (
        lambda: fit(validation_data=(X, Y), validation_batch_size=-4),
        ValueError,
        ["`validation_batch_size`", "validation_batch_size=-4"],
    ),
    "evaluate batch_size=-1": (
        lambda: evaluate(batch_size=-1),
        ValueError,
        ["`batch_size`", "`evaluate`", "batch_size=-1"],
    ),
    "evaluate steps=0": (
        lambda: evaluate(steps=0),
        ValueError,
        ["`steps`", "`evaluate`", "steps=0"],
    ),
    "evaluate steps=-1": (
        lambda: evaluate(steps=-1),
        ValueError,
        ["`steps`", "steps=-1"],
    ),
    "predict batch_size=0": (
        lambda: predict(batch_size=0),
        ValueError,
        ["`batch_size`", "`predict`", "batch_size=0"],
    ),
    "predict batch_size=1.0": (
        lambda: predict(batch_size=1.0),
        ValueError,
        ["`batch_size`", "batch_size=1.0", "float"],
    ),
    "predict steps=-1": (
        lambda: predict(steps=-1),
        ValueError,
        ["`steps`", "`predict`", "steps=-1"],
    ),
    "DataHandler batch_size=0": (
        lambda: _data_handler(X, Y, batch_size=0),
        ValueError,
        ["`batch_size`", "`DataHandler`", "batch_size=0"],
    ),
    # --- Fractions and choices ---
    "validation_split=-0.1": (
        lambda: fit(validation_split=-0.1),
        ValueError,
        ["`validation_split`", "[0, 1)", "validation_split=-0.1"],
    ),
    # Keras 3: a split >= 1 is not refused; it reaches the "not sufficient to
    # split" message, which blames the amount of data, not the argument.
    "validation_split=1.0": (
        lambda: fit(validation_split=1.0),
        ValueError,
        ["`validation_split`", "validation_split=1.0"],
    ),
    "validation_split=1.5": (
        lambda: fit(validation_split=1.5),
        ValueError,
        ["`validation_split`", "validation_split=1.5"],
    ),
    "validation_split as a string": (
        lambda: fit(validation_split="0.2"),
        ValueError,
        ["`validation_split`", "validation_split='0.2'"],
    ),
    "validation_split leaves no training sample": (
        lambda: fit(x=X[:1], y=Y[:1], validation_split=0.5),
        ValueError,
        ["1 samples", "validation_split=0.5"],
    ),
    "validation_split on a generator": (
        lambda: model().fit(batches(), validation_split=0.5, verbose=0),
        ValueError,
        ["`validation_split`", "generator"],
    ),
    "verbose=3": (
        lambda: fit(verbose=3),
        ValueError,
        ["`verbose`", "verbose=3"],
    ),
    "verbose as a word": (
        lambda: evaluate(verbose="yes"),
        ValueError,
        ["`verbose`", "`evaluate`", "verbose='yes'"],
    ),
    "predict verbose=-1": (
        lambda: predict(verbose=-1),
        ValueError,
        ["`verbose`", "`predict`", "verbose=-1"],
    ),
    "shuffle as a word": (
        lambda: fit(shuffle="yes"),
        ValueError,
        ["`shuffle`", "shuffle='yes'", "'batch'"],
    ),
    "validation_freq=0": (
        lambda: fit(validation_data=(X, Y), validation_freq=0),
        ValueError,
        ["`validation_freq`", "validation_freq=0"],
    ),
    # Keras 3 has this message for a wrong type; ours also refuses epoch 0.
    "validation_freq as a string": (
        lambda: fit(validation_data=(X, Y), validation_freq="2"),
        ValueError,
        ["`validation_freq`", "validation_freq='2'", "str"],
    ),
    "validation_freq with epoch 0": (
        lambda: fit(validation_data=(X, Y), validation_freq=[0, 2]),
        ValueError,
        ["`validation_freq`", "validation_freq=[0, 2]"],
    ),
    "return_dict as a word": (
        lambda: evaluate(return_dict="no"),
        ValueError,
        ["`return_dict`", "return_dict='no'"],
    ),
    "evaluate with an unknown keyword": (
        lambda: evaluate(batchsize=4),
        ValueError,
        ["Arguments not recognized", "'batchsize': 4"],
    ),
    "test_on_batch reset_metrics as a word": (
        lambda: model().test_on_batch(X, Y, reset_metrics="no"),
        ValueError,
        ["`reset_metrics`", "`test_on_batch`", "reset_metrics='no'"],
    ),
    # --- class_weight (Keras 3: string keys fail deep in numpy; negative keys
    # and weights are used as given) ---
    "class_weight with string keys": (
        lambda: fit(y=LABELS, class_weight={"cat": 1.0}),
        ValueError,
        ["`class_weight`", "'cat'", "integers"],
    ),
    "class_weight with a negative key": (
        lambda: fit(y=LABELS, class_weight={-1: 2.0}),
        ValueError,
        ["`class_weight`", "key -1"],
    ),
    "class_weight with a float key": (
        lambda: fit(y=LABELS, class_weight={0.5: 2.0}),
        ValueError,
        ["`class_weight`", "key 0.5"],
    ),
    "class_weight with a string weight": (
        lambda: fit(y=LABELS, class_weight={0: "heavy"}),
        ValueError,
        ["`class_weight`", "class_weight[0]='heavy'"],
    ),
    "class_weight with a negative weight": (
        lambda: fit(y=LABELS, class_weight={0: -1.0}),
        ValueError,
        ["`class_weight`", "class_weight[0]=-1.0"],
    ),
    "class_weight with a NaN weight": (
        lambda: fit(y=LABELS, class_weight={1: float("nan")}),
        ValueError,
        ["`class_weight`", "class_weight[1]=nan"],
    ),
    "class_weight as a list": (
        lambda: fit(y=LABELS, class_weight=[1.0, 2.0]),
        ValueError,
        ["`class_weight`", "class_weight=[1.0, 2.0]", "list"],
    ),
    "class_weight with negative labels": (
        lambda: fit(y=LABELS - 1, class_weight={0: 2.0}),
        ValueError,
        ["`class_weight`", "label -1"],
    ),
    "class_weight with a generator": (
        lambda: model().fit(batches(), class_weight={0: 1.0}, verbose=0),
        ValueError,
        ["`class_weight`", "class_weight={0: 1.0}"],
    ),
    "class_weight with two outputs": (
        lambda: two_outputs().fit(X, [Y, Y], class_weight={0: 1.0}, verbose=0),
        ValueError,
        ["`class_weight`", "single output"],
    ),
    "train_on_batch class_weight with string keys": (
        lambda: model().train_on_batch(X, LABELS, class_weight={"a": 1.0}),
        ValueError,
        ["`class_weight`", "'a'"],
    ),
    # --- The data: numeric, non-empty, matching lengths ---
    "fit on zero samples": (
        lambda: fit(x=X[:0], y=Y[:0]),
        ValueError,
        ["`x`", "at least one sample", "(0, 3)"],
    ),
    "fit with zero targets": (
        lambda: fit(y=Y[:0]),
        ValueError,
        ["`y`", "at least one sample", "(0, 1)"],
    ),
    "evaluate on zero samples": (
        lambda: evaluate(x=X[:0], y=Y[:0]),
        ValueError,
        ["`x`", "(0, 3)"],
    ),
    "predict on zero samples": (
        lambda: predict(x=X[:0]),
        ValueError,
        ["`x`", "(0, 3)"],
    ),
    "train_on_batch on zero samples": (
        lambda: model().train_on_batch(X[:0], Y[:0]),
        ValueError,
        ["`x`", "(0, 3)"],
    ),
    "predict_on_batch on zero samples": (
        lambda: model(loss=None).predict_on_batch(X[:0]),
        ValueError,
        ["`x`", "(0, 3)"],
    ),
    # Keras 3: string labels fail inside the backend's conversion.
    "string labels": (
        lambda: fit(y=strings()),
        ValueError,
        ["`y`", "<U3", "'cat'", "integer class indices"],
    ),
    "string inputs": (
        lambda: predict(x=np.array([["a", "b", "c"]] * 8)),
        ValueError,
        ["`x`", "<U1", "'a'"],
    ),
    "bytes inputs": (
        lambda: predict(x=np.array([[b"a", b"b", b"c"]] * 8)),
        ValueError,
        ["`x`", "|S1"],
    ),
    "object array holding None": (
        lambda: fit(x=object_array_with_none()),
        ValueError,
        ["`x`", "dtype object", "None", "flat index 7"],
    ),
    "object array of numbers": (
        lambda: fit(y=Y.astype(object)),
        ValueError,
        ["`y`", "dtype object", "np.asarray"],
    ),
    "complex inputs": (
        lambda: predict(x=X.astype(complex)),
        ValueError,
        ["`x`", "complex128"],
    ),
    "a scalar as x": (
        lambda: predict(x=np.float32(1.0)),
        ValueError,
        ["`x`", "batch dimension", "1.0"],
    ),
    "string labels in train_on_batch": (
        lambda: model().train_on_batch(X, strings()),
        ValueError,
        ["`y`", "<U3"],
    ),
    "string labels in test_on_batch": (
        lambda: model().test_on_batch(X, strings()),
        ValueError,
        ["`y`", "<U3"],
    ),
    "object array in predict_on_batch": (
        lambda: model(loss=None).predict_on_batch(object_array_with_none()),
        ValueError,
        ["`x`", "None"],
    ),
    "one bad input among two": (
        lambda: two_inputs().fit([X, strings()[:, None]], Y, verbose=0),
        ValueError,
        ["`x[1]`", "<U3"],
    ),
    "one bad input in a dict": (
        lambda: two_inputs().fit({"a": X, "b": X.astype(object)}, Y, verbose=0),
        ValueError,
        ["`x['b']`", "dtype object"],
    ),
    "x and y of different lengths": (
        lambda: fit(y=Y[:5]),
        ValueError,
        ["Data cardinality is ambiguous", "[8, 5]", "(5, 1)"],
    ),
    "validation data of different lengths": (
        lambda: fit(validation_data=(X, Y[:3])),
        ValueError,
        ["Data cardinality is ambiguous", "[8, 3]"],
    ),
    "validation data with string labels": (
        lambda: fit(validation_data=(X, strings())),
        ValueError,
        ["`y`", "<U3"],
    ),
    "ragged nested lists": (
        lambda: fit(x=[[1.0, 2.0, 3.0], [1.0, 2.0]], y=[1.0, 2.0]),
        ValueError,
        ["`x`", "rows of one length"],
    ),
    "a file name as x": (
        lambda: fit(x="data.csv"),
        ValueError,
        ["`x`", "'data.csv'", "Encode strings"],
    ),
    "a number as x": (
        lambda: predict(x=5),
        ValueError,
        ["`x`", "batch dimension", "value 5"],
    ),
    "x is None": (
        lambda: fit(x=None),
        ValueError,
        ["`x` is None"],
    ),
    "predict on None": (
        lambda: predict(x=None),
        ValueError,
        ["`x` is None"],
    ),
    # --- callbacks (Keras 3 accepts anything here and fails later with an
    # AttributeError about `set_model`) ---
    "callbacks as a string": (
        lambda: fit(callbacks="early_stopping"),
        ValueError,
        ["`callbacks`", "`fit`", "callbacks='early_stopping'"],
    ),
    "callbacks holding a non-callback": (
        lambda: evaluate(callbacks=[print]),
        ValueError,
        ["`callbacks`", "`evaluate`", "built-in function print"],
    ),
    "predict callbacks as a dict": (
        lambda: predict(callbacks={"log": None}),
        ValueError,
        ["`callbacks`", "`predict`", "callbacks={'log': None}"],
    ),
    # --- sample_weight ---
    "sample_weight of another length": (
        lambda: fit(sample_weight=np.ones(5)),
        ValueError,
        ["Data cardinality is ambiguous", "[8, 8, 5]"],
    ),
    "sample_weight of another length beside class_weight": (
        lambda: fit(sample_weight=np.ones(5), class_weight={0: 1.0, 1: 2.0}),
        ValueError,
        ["Data cardinality is ambiguous", "[8, 8, 5]"],
    ),
    "sample_weight of a wrong shape": (
        lambda: fit(sample_weight=np.ones((8, 3))),
        ValueError,
        ["`sample_weight`", "sample_weight of shape (8, 3)", "(8, 1)"],
    ),
    "sample_weight as strings": (
        lambda: fit(sample_weight=strings()),
        ValueError,
        ["`sample_weight`", "<U3"],
    ),
    "sample_weight holding None": (
        lambda: evaluate(sample_weight=np.array([1.0] * 7 + [None], object)),
        ValueError,
        ["`sample_weight`", "None"],
    ),
    "sample_weight with zero samples": (
        lambda: fit(sample_weight=np.ones(0)),
        ValueError,
        ["`sample_weight`", "(0,)"],
    ),
    # --- Targets present when a loss needs them (Keras 3 says "Provide a
    # `loss` argument in `compile()`" even though a loss was given) ---
    "fit without targets": (
        lambda: fit(y=None),
        ValueError,
        ["loss='mean_squared_error'", "no targets", "y=None"],
    ),
    "evaluate without targets": (
        lambda: evaluate(y=None),
        ValueError,
        ["loss='mean_squared_error'", "y=None"],
    ),
    "train_on_batch without targets": (
        lambda: model().train_on_batch(X),
        ValueError,
        ["loss='mean_squared_error'", "y=None"],
    ),
    "test_on_batch without targets": (
        lambda: model(loss="mae").test_on_batch(X),
        ValueError,
        ["loss='mean_absolute_error'", "y=None"],
    ),
    "a generator without targets": (
        lambda: model().fit(batches(with_targets=False), verbose=0),
        ValueError,
        ["loss='mean_squared_error'", "(x, y)"],
    ),
    "two outputs without targets": (
        lambda: two_outputs().fit(X, verbose=0),
        ValueError,
        ["['mean_squared_error', 'mean_squared_error']", "y=None"],
    ),
    "compiled without any loss": (
        lambda: _fit_without_a_loss(),
        ValueError,
        ["No loss to compute", "`loss` argument in `compile()`"],
    ),
    "fit before compile": (
        lambda: model(loss=None).fit(X, Y, verbose=0),
        RuntimeError,
        ["compile"],
    ),
    "y given with a generator": (
        lambda: model().fit(batches(), Y, verbose=0),
        ValueError,
        ["`y`", "generator"],
    ),
    "sample_weight given with a generator": (
        lambda: model().fit(batches(), sample_weight=np.ones(8), verbose=0),
        ValueError,
        ["`sample_weight`", "generator"],
    ),
}


def _data_handler(*args, **kwargs):
    from engine.data_adapter import DataHandler

    return DataHandler(*args, **kwargs)


def _fit_without_a_loss():
    net = model(loss=None)
    net.compile("sgd")
    return net.fit(X, Y, verbose=0)


def test_the_training_catalogue_has_at_least_seventy_cases():
    assert len(CASES) >= 70


@pytest.mark.parametrize("case", sorted(CASES))
def test_training_misuse_gives_a_clear_error(case):
    action, error, fragments = CASES[case]
    with pytest.raises(error) as info:
        action()
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert not re.search(r"Traceback|numpy\.core|ufunc", message)


# --- Documented behaviour at the edges (no error, and the right result) ---


def test_epochs_zero_returns_an_empty_history_as_keras():
    net = model()
    net.fit(X, Y, epochs=1, verbose=0)
    history = net.fit(X, Y, epochs=0, verbose=0)
    assert isinstance(history, nk.callbacks.History)
    assert history.history == {} and history.epoch == []
    assert net.history is history  # not the previous run's History


def test_initial_epoch_at_epochs_trains_nothing_and_returns_an_empty_history():
    net = model()
    before = [w.copy() for w in net.get_weights()]
    history = net.fit(X, Y, epochs=2, initial_epoch=2, verbose=0)
    assert history.history == {}
    for old, new in zip(before, net.get_weights()):
        np.testing.assert_array_equal(old, new)


def test_a_failed_check_moves_no_weight():
    net = model()
    before = [w.copy() for w in net.get_weights()]
    with pytest.raises(ValueError):
        net.fit(X, Y, batch_size=4, validation_freq=0, verbose=0)
    for old, new in zip(before, net.get_weights()):
        np.testing.assert_array_equal(old, new)


def test_numpy_integer_counts_and_bool_arrays_are_accepted():
    history = fit(batch_size=np.int64(4), epochs=np.int32(2), y=Y.astype(bool))
    assert len(history.history["loss"]) == 2


def test_on_batch_methods_take_nested_lists_like_arrays():
    net = model()
    assert net.predict_on_batch([[1.0, 2.0, 3.0]]).shape == (1, 1)
    assert np.isfinite(net.train_on_batch([[1.0, 2.0, 3.0]], [[1.0]]))


def test_class_weight_for_a_class_absent_from_y_is_allowed():
    history = fit(y=LABELS, class_weight={0: 1.0, 1: 2.0, 7: 3.0})
    assert np.isfinite(history.history["loss"][0])


def test_temporal_sample_weight_matching_the_targets_is_accepted():
    net = nk.Sequential([nk.Input(shape=(4, 3)), layers.Dense(2)])
    net.compile("sgd", "mse")
    x, y = np.ones((6, 4, 3), "float32"), np.ones((6, 4, 2), "float32")
    result = net.evaluate(x, y, sample_weight=np.ones((6, 4)), verbose=0)
    assert np.isfinite(result)
