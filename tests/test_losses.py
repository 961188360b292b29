"""Losses: the book's values, parity with Keras 3, gradients, stability, errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nanokeras as keras
from nanokeras import losses
from tests import strategies

# Reseeded from each test's id by tests/conftest.py.
RNG = np.random.default_rng(0)


REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", None]


def _data(kind: str, shape=(6, 5)):
    """Random (y_true, y_pred) fit for each family of loss."""
    if kind == "regression":
        return RNG.normal(size=shape), RNG.normal(size=shape)
    if kind == "positive":
        return RNG.uniform(0.1, 3, size=shape), RNG.uniform(0.1, 3, size=shape)
    if kind == "binary":
        return RNG.integers(0, 2, size=shape).astype("float32"), RNG.uniform(
            0.01, 0.99, size=shape
        )
    if kind == "binary_logits":
        return RNG.integers(0, 2, size=shape).astype("float32"), RNG.normal(
            0, 3, size=shape
        )
    if kind == "categorical":
        labels = np.eye(shape[-1])[RNG.integers(0, shape[-1], size=shape[:-1])]
        probs = RNG.uniform(0.05, 1, size=shape)
        return labels, probs / probs.sum(-1, keepdims=True)
    if kind == "categorical_logits":
        labels = np.eye(shape[-1])[RNG.integers(0, shape[-1], size=shape[:-1])]
        return labels, RNG.normal(0, 3, size=shape)
    if kind == "hinge":
        return RNG.choice([-1.0, 1.0], size=shape), RNG.normal(size=shape)
    if kind == "distribution":
        a, b = RNG.uniform(0.05, 1, size=shape), RNG.uniform(0.05, 1, size=shape)
        return a / a.sum(-1, keepdims=True), b / b.sum(-1, keepdims=True)
    raise AssertionError(kind)


# (class name, constructor kwargs, data kind)
CASES = [
    ("MeanSquaredError", {}, "regression"),
    ("MeanAbsoluteError", {}, "regression"),
    ("MeanAbsolutePercentageError", {}, "positive"),
    ("MeanSquaredLogarithmicError", {}, "positive"),
    ("Huber", {}, "regression"),
    ("Huber", {"delta": 0.5}, "regression"),
    ("LogCosh", {}, "regression"),
    ("Hinge", {}, "hinge"),
    ("Hinge", {}, "binary_logits"),
    ("SquaredHinge", {}, "hinge"),
    ("CategoricalHinge", {}, "categorical_logits"),
    ("KLDivergence", {}, "distribution"),
    ("Poisson", {}, "positive"),
    ("CosineSimilarity", {}, "regression"),
    ("CosineSimilarity", {"axis": 0}, "regression"),
    ("BinaryCrossentropy", {}, "binary"),
    ("BinaryCrossentropy", {"label_smoothing": 0.2}, "binary"),
    ("BinaryCrossentropy", {"from_logits": True}, "binary_logits"),
    (
        "BinaryCrossentropy",
        {"from_logits": True, "label_smoothing": 0.1},
        "binary_logits",
    ),
    ("CategoricalCrossentropy", {}, "categorical"),
    ("CategoricalCrossentropy", {"label_smoothing": 0.1}, "categorical"),
    ("CategoricalCrossentropy", {"from_logits": True}, "categorical_logits"),
    (
        "CategoricalCrossentropy",
        {"from_logits": True, "label_smoothing": 0.3},
        "categorical_logits",
    ),
    ("CategoricalCrossentropy", {"from_logits": True, "axis": 0}, "categorical_logits"),
]


# Keras 3's numpy backend breaks on `CosineSimilarity(axis=0)` itself (its
# `normalize` expands the wrong axis), so that case is checked by gradients only.
PARITY_CASES = [c for c in CASES if c[:2] != ("CosineSimilarity", {"axis": 0})]


def _ids(case):
    name, kwargs, kind = case
    return f"{name}-{'-'.join(f'{k}={v}' for k, v in kwargs.items()) or kind}"


def _close(ours, theirs, tol=1e-6):
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=tol, atol=tol)


def test_book_value():
    # SYLLABUS ch.11: ((0 - 1)^2 + (1 - 1)^2) / 2
    assert float(keras.losses.MeanSquaredError()([0.0, 1.0], [1.0, 1.0])) == 0.5


@pytest.mark.keras
@pytest.mark.parametrize("case", PARITY_CASES, ids=_ids)
@pytest.mark.parametrize("reduction", REDUCTIONS, ids=str)
def test_class_parity_with_keras(real_keras, case, reduction):
    name, kwargs, kind = case
    y_true, y_pred = _data(kind)
    ours = getattr(losses, name)(reduction=reduction, **kwargs)
    theirs = getattr(real_keras.losses, name)(reduction=reduction, **kwargs)
    # Keras's numpy backend computes sigmoid-then-log in float32, which loses
    # ~1e-6 relative; ours is the exact logits form (see the test below).
    tol = 1e-5 if name == "BinaryCrossentropy" and kwargs.get("from_logits") else 1e-6
    _close(ours(y_true, y_pred), theirs(y_true, y_pred), tol)
    weights = RNG.uniform(0, 2, size=y_true.shape[:1])
    if kwargs.get("axis") == 0:
        weights = RNG.uniform(0, 2, size=y_true.shape[1:])
    _close(
        ours(y_true, y_pred, sample_weight=weights),
        theirs(y_true, y_pred, sample_weight=weights),
        tol,
    )


@pytest.mark.keras
def test_binary_logits_closer_to_exact_than_keras_numpy(real_keras):
    y_true, logits = _data("binary_logits", shape=(200, 5))
    kwargs = {"from_logits": True, "reduction": None}
    exact = losses.BinaryCrossentropy(dtype="float64", **kwargs)(y_true, logits)
    ours = losses.BinaryCrossentropy(**kwargs)(y_true, logits)
    theirs = real_keras.losses.BinaryCrossentropy(**kwargs)(y_true, logits)
    ours_error = np.abs(ours.numpy() - exact.numpy()).max()
    assert ours_error < 1e-6
    assert ours_error <= np.abs(np.asarray(theirs) - exact.numpy()).max()


@pytest.mark.keras
@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("reduction", REDUCTIONS, ids=str)
@pytest.mark.parametrize("labels_shape", [(8,), (8, 1)])
def test_sparse_categorical_parity(real_keras, from_logits, reduction, labels_shape):
    kind = "categorical_logits" if from_logits else "categorical"
    _, y_pred = _data(kind, shape=(8, 4))
    y_true = RNG.integers(0, 4, size=labels_shape)
    kwargs = {"from_logits": from_logits, "reduction": reduction}
    ours = losses.SparseCategoricalCrossentropy(**kwargs)
    theirs = real_keras.losses.SparseCategoricalCrossentropy(**kwargs)
    _close(ours(y_true, y_pred), theirs(y_true, y_pred))
    weights = RNG.uniform(0, 2, size=(8,))
    _close(ours(y_true, y_pred, weights), theirs(y_true, y_pred, weights))


@pytest.mark.keras
@pytest.mark.parametrize("reduction", REDUCTIONS, ids=str)
def test_sparse_ignore_class_parity(real_keras, reduction):
    y_true = np.array([0, 2, 1, 2, 3, 2])
    _, y_pred = _data("categorical_logits", shape=(6, 4))
    kwargs = {"from_logits": True, "ignore_class": 2, "reduction": reduction}
    ours = losses.SparseCategoricalCrossentropy(**kwargs)(y_true, y_pred)
    theirs = real_keras.losses.SparseCategoricalCrossentropy(**kwargs)(y_true, y_pred)
    _close(ours, theirs)


@pytest.mark.keras
@pytest.mark.parametrize(
    "name",
    [
        "mean_squared_error",
        "mean_absolute_error",
        "mean_absolute_percentage_error",
        "mean_squared_logarithmic_error",
        "huber",
        "log_cosh",
        "poisson",
        "kl_divergence",
        "cosine_similarity",
        "categorical_hinge",
    ],
)
def test_function_parity_with_keras(real_keras, name):
    y_true, y_pred = _data("distribution", shape=(3, 4, 5))
    y_true, y_pred = y_true.astype("float32"), y_pred.astype("float32")
    _close(
        getattr(losses, name)(y_true, y_pred),
        getattr(real_keras.losses, name)(y_true, y_pred),
    )


def test_rank_matching_labels_without_trailing_axis():
    # (batch,) labels against (batch, 1) predictions, as compile/fit produce.
    y_true, y_pred = np.array([0.0, 1.0, 2.0]), np.array([[1.0], [1.0], [1.0]])
    assert float(losses.MeanSquaredError()(y_true, y_pred)) == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    "loss",
    [
        losses.BinaryCrossentropy(from_logits=True),
        losses.CategoricalCrossentropy(from_logits=True),
        losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1),
    ],
    ids=["binary", "categorical", "categorical-smoothed"],
)
def test_confident_logits_stay_finite(loss):
    logits = keras.Variable([[1e4, -1e4], [-1e4, 1e4]])
    with keras.GradientTape() as tape:
        value = loss([[0.0, 1.0], [0.0, 1.0]], logits)
    grad = tape.gradient(value, logits)
    assert np.isfinite(float(value)) and np.all(np.isfinite(grad.numpy()))
    # The first sample is confidently wrong: its loss is about 2e4, not inf.
    assert float(value) > 1e3


def test_sparse_confident_logits_stay_finite():
    logits = keras.Variable([[1e4, -1e4, 0.0]])
    with keras.GradientTape() as tape:
        value = losses.SparseCategoricalCrossentropy(from_logits=True)([1], logits)
    grad = tape.gradient(value, logits).numpy()
    assert float(value) == pytest.approx(2e4)
    np.testing.assert_allclose(grad, [[1.0, -1.0, 0.0]], atol=1e-6)


def _numeric_grad(fn, x, step=1e-4):
    x = x.astype("float64")
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[index] += step
        minus[index] -= step
        grad[index] = (fn(plus) - fn(minus)) / (2 * step)
    return grad


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_gradient_matches_finite_differences(case):
    name, kwargs, kind = case
    y_true, y_pred = _data(kind, shape=(3, 4))
    loss = getattr(losses, name)(dtype="float64", **kwargs)
    variable = keras.Variable(y_pred.astype("float64"))
    with keras.GradientTape() as tape:
        value = loss(y_true, variable)
    analytic = tape.gradient(value, variable).numpy()
    numeric = _numeric_grad(lambda p: float(loss(y_true, p)), y_pred)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("from_logits", [False, True])
def test_sparse_gradient_matches_finite_differences(from_logits):
    kind = "categorical_logits" if from_logits else "categorical"
    _, y_pred = _data(kind, shape=(5, 4))
    y_true = RNG.integers(0, 4, size=(5,))
    loss = losses.SparseCategoricalCrossentropy(
        from_logits=from_logits, dtype="float64"
    )
    variable = keras.Variable(y_pred.astype("float64"))
    with keras.GradientTape() as tape:
        value = loss(y_true, variable)
    analytic = tape.gradient(value, variable).numpy()
    numeric = _numeric_grad(lambda p: float(loss(y_true, p)), y_pred)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-4, atol=1e-6)


def test_get_names_aliases_classes_and_dicts():
    assert losses.get("mse") is losses.mean_squared_error
    assert losses.get("MAE") is losses.mean_absolute_error
    assert losses.get("kld") is losses.kl_divergence
    assert losses.get("binary_crossentropy") is losses.binary_crossentropy
    assert isinstance(losses.get("MeanSquaredError"), losses.MeanSquaredError)
    assert isinstance(losses.get(losses.Huber), losses.Huber)
    assert losses.get(None) is None
    huber = losses.Huber(delta=0.3, reduction="sum", name="h")
    rebuilt = losses.get(losses.serialize(huber))
    assert isinstance(rebuilt, losses.Huber)
    assert rebuilt.get_config() == huber.get_config()
    assert losses.deserialize(losses.serialize(losses.mean_squared_error)) is (
        losses.mean_squared_error
    )


def test_unknown_name_error_lists_known_names():
    with pytest.raises(
        ValueError, match=r"Could not interpret loss identifier: 'msq'.*'mse'"
    ):
        losses.get("msq")


def test_incompatible_shapes_error_names_loss_and_shapes():
    with pytest.raises(ValueError, match=r"mean_squared_error.*\(4, 3\).*\(4, 2\)"):
        losses.MeanSquaredError()(np.zeros((4, 3)), np.zeros((4, 2)))
    with pytest.raises(
        ValueError, match=r"categorical_crossentropy.*\(2, 3\).*\(2, 4\)"
    ):
        losses.CategoricalCrossentropy()(np.zeros((2, 3)), np.ones((2, 4)))
    with pytest.raises(
        ValueError, match=r"sparse_categorical_crossentropy.*outside \[0, 3\)"
    ):
        losses.SparseCategoricalCrossentropy()(np.array([0, 5]), np.ones((2, 3)) / 3)
    with pytest.raises(ValueError, match=r"sample_weight of shape \(3,\)"):
        losses.MeanSquaredError()(np.zeros((4, 2)), np.zeros((4, 2)), np.ones(3))


def test_invalid_reduction_error():
    with pytest.raises(
        ValueError, match="Invalid value for argument `reduction`: 'avg'"
    ):
        losses.MeanSquaredError(reduction="avg")


def test_custom_loss_subclass_and_wrapper():
    class MeanCube(keras.losses.Loss):
        def call(self, y_true, y_pred):
            return keras.ops.mean(keras.ops.abs(y_pred - y_true) ** 3, axis=-1)

    loss = MeanCube()
    assert loss.name == "mean_cube"
    assert float(loss([[0.0, 0.0]], [[1.0, 2.0]])) == pytest.approx(4.5)
    wrapped = losses.LossFunctionWrapper(losses.huber, delta=2.0, reduction="sum")
    assert float(wrapped([[0.0]], [[3.0]])) == pytest.approx(2.0 * 3.0 - 2.0)
    rebuilt = losses.LossFunctionWrapper.from_config(wrapped.get_config())
    assert float(rebuilt([[0.0]], [[3.0]])) == pytest.approx(4.0)


@settings(max_examples=30, deadline=None)
@given(
    shape=strategies.shapes(min_dims=1),
    name=st.sampled_from(["MeanSquaredError", "MeanAbsoluteError", "Huber", "LogCosh"]),
    data=st.data(),
)
def test_reductions_agree_on_any_shape(shape, name, data):
    y_true = data.draw(strategies.float_arrays(shape))
    y_pred = data.draw(strategies.float_arrays(shape))
    per_sample = getattr(losses, name)(reduction=None, dtype="float64")(y_true, y_pred)
    # One value per sample: the last axis is averaged away (a 1-D input is one sample).
    assert per_sample.shape == (shape[:-1] if len(shape) > 1 else ())
    total = getattr(losses, name)(reduction="sum", dtype="float64")(y_true, y_pred)
    mean = getattr(losses, name)(dtype="float64")(y_true, y_pred)
    np.testing.assert_allclose(float(total), per_sample.numpy().sum(), rtol=1e-12)
    np.testing.assert_allclose(float(mean), per_sample.numpy().mean(), rtol=1e-12)


@settings(max_examples=30, deadline=None)
@given(
    batch=st.integers(1, 5),
    classes=st.integers(2, 6),
    scale=st.floats(0.1, 1e4),
    data=st.data(),
)
def test_logits_crossentropy_properties(batch, classes, scale, data):
    logits = data.draw(strategies.float_arrays((batch, classes))) * scale
    labels = data.draw(
        hnp.arrays(np.int64, (batch,), elements=st.integers(0, classes - 1))
    )
    variable = keras.Variable(logits)
    with keras.GradientTape() as tape:
        sparse = losses.sparse_categorical_crossentropy(
            labels, variable, from_logits=True
        )
        total = keras.ops.sum(sparse)
    dense = losses.categorical_crossentropy(
        np.eye(classes)[labels], logits, from_logits=True
    )
    grad = tape.gradient(total, variable).numpy()
    assert np.all(np.isfinite(sparse.numpy())) and np.all(sparse.numpy() >= 0)
    np.testing.assert_allclose(sparse.numpy(), dense.numpy(), rtol=1e-6, atol=1e-6)
    # softmax - one_hot: each row sums to 0 and only the label's entry is negative.
    np.testing.assert_allclose(grad.sum(axis=-1), 0.0, atol=1e-6)
    assert np.all(grad[np.arange(batch), labels] <= 0)
