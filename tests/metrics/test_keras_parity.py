"""Every metric gives Keras 3's value on the same random inputs (within 1e-6)."""

import numpy as np
import pytest

import metrics

# Keras divides 0 by 0 (then masks it) in AUC and Precision: its warning, not ours.
pytestmark = [
    pytest.mark.keras,
    pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning"),
    pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning"),
]

N, C = 64, 5


def _data(seed):
    rng = np.random.default_rng(seed)
    probs = rng.random((N, C)).astype("float32")
    probs /= probs.sum(axis=1, keepdims=True)
    labels = rng.integers(0, C, size=N)
    return {
        "probs": probs,
        "labels": labels,
        "one_hot": np.eye(C, dtype="float32")[labels],
        "binary_true": rng.integers(0, 2, size=(N, 1)).astype("float32"),
        "binary_pred": rng.random((N, 1)).astype("float32"),
        "reg_true": rng.normal(size=(N, 3)).astype("float32"),
        "reg_pred": rng.normal(size=(N, 3)).astype("float32"),
        "weights": rng.random(N).astype("float32"),
        "logits": rng.normal(size=(N, C)).astype("float32"),
        "probs_true": np.roll(probs, 1, axis=0),
    }


CASES = [
    ("Accuracy", {}, "labels", "labels_pred"),
    ("BinaryAccuracy", {}, "binary_true", "binary_pred"),
    ("BinaryAccuracy", {"threshold": 0.3}, "binary_true", "binary_pred"),
    ("CategoricalAccuracy", {}, "one_hot", "probs"),
    ("SparseCategoricalAccuracy", {}, "labels", "probs"),
    ("TopKCategoricalAccuracy", {"k": 2}, "one_hot", "probs"),
    ("SparseTopKCategoricalAccuracy", {"k": 3}, "labels", "probs"),
    ("MeanSquaredError", {}, "reg_true", "reg_pred"),
    ("MeanAbsoluteError", {}, "reg_true", "reg_pred"),
    ("RootMeanSquaredError", {}, "reg_true", "reg_pred"),
    ("AUC", {}, "binary_true", "binary_pred"),
    ("AUC", {"curve": "PR"}, "binary_true", "binary_pred"),
    ("AUC", {"summation_method": "minoring"}, "binary_true", "binary_pred"),
    (
        "AUC",
        {"num_thresholds": 17, "curve": "PR", "summation_method": "majoring"},
        "binary_true",
        "binary_pred",
    ),
    ("AUC", {"multi_label": True}, "one_hot", "probs"),
    ("Precision", {}, "binary_true", "binary_pred"),
    ("Precision", {"thresholds": [0.2, 0.5, 0.7]}, "one_hot", "probs"),
    ("Precision", {"top_k": 2}, "one_hot", "probs"),
    ("Recall", {}, "binary_true", "binary_pred"),
    ("Recall", {"class_id": 2}, "one_hot", "probs"),
    # The means of loss functions (probabilistic, hinge and regression).
    ("BinaryCrossentropy", {}, "binary_true", "binary_pred"),
    ("BinaryCrossentropy", {"label_smoothing": 0.1}, "binary_true", "binary_pred"),
    ("BinaryCrossentropy", {"from_logits": True}, "reg_true", "reg_pred"),
    ("CategoricalCrossentropy", {}, "one_hot", "probs"),
    ("CategoricalCrossentropy", {"from_logits": True}, "one_hot", "logits"),
    ("CategoricalCrossentropy", {"label_smoothing": 0.2}, "one_hot", "probs"),
    ("SparseCategoricalCrossentropy", {}, "labels", "probs"),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, "labels", "logits"),
    ("KLDivergence", {}, "probs_true", "probs"),
    ("Poisson", {}, "probs_true", "probs"),
    ("Hinge", {}, "binary_true", "reg_pred"),
    ("SquaredHinge", {}, "binary_true", "reg_pred"),
    ("CategoricalHinge", {}, "one_hot", "probs"),
    ("MeanAbsolutePercentageError", {}, "reg_true", "reg_pred"),
    ("MeanSquaredLogarithmicError", {}, "probs_true", "probs"),
    ("LogCoshError", {}, "reg_true", "reg_pred"),
    ("CosineSimilarity", {}, "reg_true", "reg_pred"),
]


@pytest.mark.parametrize("weighted", [False, True], ids=["plain", "weighted"])
@pytest.mark.parametrize("name,kwargs,true_key,pred_key", CASES)
def test_metric_matches_keras(real_keras, name, kwargs, true_key, pred_key, weighted):
    ours, theirs = (
        getattr(metrics, name)(**kwargs),
        getattr(real_keras.metrics, name)(**kwargs),
    )
    for seed in (0, 1):  # two batches: the state must accumulate like Keras's
        data = _data(seed)
        data["labels_pred"] = np.argmax(data["probs"], axis=1) * (seed + 1) % C
        y_true, y_pred = data[true_key], data[pred_key]
        weight = data["weights"] if weighted else None
        ours.update_state(y_true, y_pred, sample_weight=weight)
        theirs.update_state(y_true, y_pred, sample_weight=weight)
    np.testing.assert_allclose(
        np.asarray(ours.result()), np.asarray(theirs.result()), rtol=1e-6, atol=1e-6
    )
