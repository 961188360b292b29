"""Random mixes of valid and invalid arguments to `fit`, `evaluate`, `predict`.

hypothesis draws every argument either from values the docstrings allow or
from values they do not. With only valid values the call must do what the
documentation says (the number of epochs and steps, a loss equal to the mean
over samples, predictions equal to calling the model); with at least one
invalid value it must raise `ValueError` naming one of the invalid arguments.
A result from invalid input fails the test, whatever it is.
"""

import math

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import nanokeras as nk

EXAMPLES = settings(max_examples=100)  # about a millisecond each: small models


def count(name: str, valid: list, allow_zero: bool = False) -> tuple:
    """A count's valid values and its invalid ones with their message fragment."""
    invalid = [-1, 2.5, "4", True] + ([] if allow_zero else [0])
    return valid, [(value, f"{name}={value!r}") for value in invalid]


def data_table(samples: int, seed: int, with_targets: bool = True) -> dict:
    """`x`, `y` and `sample_weight`: valid arrays, and broken ones with the
    fragment their error must contain."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(samples, 3)).astype("float32")
    labels = rng.integers(0, 2, size=(samples, 1)).astype("float32")
    holes = x.astype(object)
    holes[0, 0] = None
    table = {
        "x": (
            [x],
            [
                (x[:0], "`x` to contain at least one sample"),
                (x.astype(str), "Invalid dtype for `x`"),
                (holes, "Invalid dtype for `x`"),
            ],
        )
    }
    if with_targets:
        table["y"] = (
            [labels],
            [
                (None, "y=None"),
                (labels.astype(str), "Invalid dtype for `y`"),
                (labels[:1], "Data cardinality is ambiguous"),
            ],
        )
        table["sample_weight"] = (
            [None, rng.uniform(0.5, 2.0, size=samples)],
            [
                (np.ones(samples + 1), "Data cardinality is ambiguous"),
                (np.array(["1"] * samples), "Invalid dtype for `sample_weight`"),
                (np.ones((samples, 3)), "Invalid shape for `sample_weight`"),
            ],
        )
    return table


@st.composite
def call_arguments(draw, table: dict, with_targets: bool = True) -> tuple:
    """`(samples, keyword arguments, fragments of the invalid ones)`.

    Up to two arguments are drawn from their invalid values, the rest from
    the valid ones; no invalid argument at all is as likely as any other
    choice, so the documented behaviour is checked as often as the errors.
    """
    samples = draw(st.integers(2, 9))
    full = {**data_table(samples, draw(st.integers(0, 2**16)), with_targets), **table}
    names = sorted(full)
    bad = draw(
        st.one_of(st.just(frozenset()), st.sets(st.sampled_from(names), max_size=2))
    )
    values, fragments = {}, []
    for name in names:
        valid, invalid = full[name]
        if name in bad:
            values[name], fragment = draw(st.sampled_from(invalid))
            fragments.append(fragment)
        else:
            values[name] = draw(st.sampled_from(valid))
    event("invalid" if fragments else "valid")
    return samples, values, fragments


def model() -> nk.Model:
    net = nk.Sequential([nk.Input(shape=(3,)), nk.layers.Dense(1)])
    net.compile("sgd", "mse")
    return net


def assert_refused(call, fragments: list) -> None:
    with pytest.raises(ValueError) as info:
        call()
    message = str(info.value)
    assert any(fragment in message for fragment in fragments), (fragments, message)


class CountSteps(nk.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.steps = 0

    def on_train_batch_end(self, batch, logs=None):
        self.steps += 1


FIT_ARGUMENTS = {
    "batch_size": count("batch_size", [None, 1, 3, np.int64(4)]),
    "epochs": count("epochs", [0, 1, 2], allow_zero=True),
    "steps_per_epoch": count("steps_per_epoch", [None, 1, 3]),
    "validation_split": (
        [0.0, 0.25],
        [(v, f"validation_split={v!r}") for v in (-0.1, 1.0, "0.1")],
    ),
    "shuffle": ([True, False, "batch"], [("yes", "shuffle='yes'")]),
    "verbose": ([0], [(3, "verbose=3"), ("loud", "verbose='loud'")]),
    "class_weight": (
        [None, {0: 1.0, 1: 2.0}],
        [({"0": 1.0}, "`class_weight`"), ({-1: 1.0}, "`class_weight`")],
    ),
}


@EXAMPLES
@given(drawn=call_arguments(FIT_ARGUMENTS))
def test_fit_does_what_it_documents_or_names_the_bad_argument(drawn):
    samples, values, fragments = drawn
    net, counter = model(), CountSteps()

    def call():
        return net.fit(**values, callbacks=[counter])

    if fragments:
        assert_refused(call, fragments)
        return
    history = call()
    epochs, train = values["epochs"], samples
    if values["validation_split"]:
        train = int(math.floor(samples * (1 - values["validation_split"])))
    steps = values["steps_per_epoch"] or math.ceil(train / (values["batch_size"] or 32))
    assert isinstance(history, nk.callbacks.History)
    assert history.epoch == list(range(epochs))
    assert counter.steps == epochs * steps
    assert len(history.history.get("loss", [])) == epochs
    assert all(np.isfinite(value) for value in history.history.get("loss", []))
    has_validation = bool(values["validation_split"]) and epochs > 0
    assert ("val_loss" in history.history) == has_validation


EVALUATE_ARGUMENTS = {
    "batch_size": count("batch_size", [None, 1, 2, 5]),
    "steps": ([None], [(v, f"steps={v!r}") for v in (0, -2, 1.5)]),
    "verbose": ([0], [(-1, "verbose=-1")]),
    "return_dict": ([False, True], [("yes", "return_dict='yes'")]),
}


@EXAMPLES
@given(drawn=call_arguments(EVALUATE_ARGUMENTS))
def test_evaluate_gives_the_mean_loss_or_names_the_bad_argument(drawn):
    _, values, fragments = drawn
    net = model()
    if fragments:
        assert_refused(lambda: net.evaluate(**values), fragments)
        return
    result = net.evaluate(**values)
    loss = result["loss"] if values["return_dict"] else result
    errors = np.mean((net(values["x"]).numpy() - values["y"]) ** 2, axis=-1)
    weights = values["sample_weight"]
    expected = np.mean(errors if weights is None else errors * weights)
    assert loss == pytest.approx(float(expected), rel=1e-5, abs=1e-7)


PREDICT_ARGUMENTS = {
    "batch_size": count("batch_size", [None, 1, 4]),
    "steps": ([None], [(v, f"steps={v!r}") for v in (0, -1, "2")]),
    "verbose": ([0], [("yes", "verbose='yes'")]),
}


@EXAMPLES
@given(drawn=call_arguments(PREDICT_ARGUMENTS, with_targets=False))
def test_predict_equals_calling_the_model_or_names_the_bad_argument(drawn):
    samples, values, fragments = drawn
    net = model()
    if fragments:
        assert_refused(lambda: net.predict(**values), fragments)
        return
    predictions = net.predict(**values)
    assert predictions.shape == (samples, 1)
    # float32 matmuls of another batch size may round the last bit otherwise.
    expected = net(values["x"]).numpy()
    np.testing.assert_allclose(predictions, expected, rtol=1e-5, atol=1e-6)
