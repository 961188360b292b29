"""LossesContainer and MetricsContainer: what compile records, used directly."""

import numpy as np
import pytest

import losses
import metrics
from backend.tensor import Tensor
from engine.compile_utils import LossesContainer, MetricsContainer


def t(value):
    return Tensor(np.asarray(value, dtype="float32"))


def test_single_loss_returns_the_loss_and_tracks_its_batch_weighted_mean():
    container = LossesContainer("mse")
    assert container.metrics == []  # built on the first batch
    first = container(t([[0.0], [1.0]]), t([[1.0], [1.0]]))
    assert float(first) == pytest.approx(0.5)
    container(t([[0.0]] * 6), t([[0.0]] * 6))  # a bigger batch with loss 0
    (tracker,) = container.metrics
    assert tracker.name == "loss"
    assert float(tracker.result()) == pytest.approx(0.5 * 2 / 8)
    container.reset_state()
    assert float(tracker.result()) == 0.0


def test_loss_objects_functions_and_regularization_losses():
    for loss in (
        "mean_absolute_error",
        losses.mean_absolute_error,
        losses.MeanAbsoluteError(),
    ):
        container = LossesContainer(loss)
        total = container(t([1.0, 2.0]), t([2.0, 4.0]), regularization_losses=[t(0.25)])
        assert float(total) == pytest.approx(1.5 + 0.25)


def test_per_output_losses_by_list_or_dict_with_weights():
    y_true = [t([[1.0]]), t([[0.0, 1.0]])]
    y_pred = [t([[3.0]]), t([[0.0, 0.0]])]
    by_list = LossesContainer(["mse", "mae"], loss_weights=[0.5, 2.0])
    assert float(by_list(y_true, y_pred)) == pytest.approx(0.5 * 4.0 + 2.0 * 0.5)
    names = ["score", "label"]
    by_dict = LossesContainer(
        {"label": "mae", "score": "mse"}, {"score": 0.5, "label": 2.0}, names
    )
    total = by_dict({"score": y_true[0], "label": y_true[1]}, y_pred)
    assert float(total) == pytest.approx(3.0)
    assert [m.name for m in by_dict.metrics] == ["loss", "score_loss", "label_loss"]
    assert float(by_dict.metrics[1].result()) == pytest.approx(4.0)


def test_loss_list_of_the_wrong_length_is_a_clear_error():
    container = LossesContainer(["mse"])
    with pytest.raises(ValueError, match="one entry per model output"):
        container([t([1.0]), t([1.0])], [t([1.0]), t([1.0])])
    with pytest.raises(ValueError, match="unexpected keys"):
        LossesContainer({"nope": "mse"}, output_names=["out"])(t([1.0]), t([1.0]))


def test_metrics_container_names_and_updates_per_output():
    container = MetricsContainer(
        metrics=["mae", metrics.RootMeanSquaredError()],
        weighted_metrics=["mse"],
        output_names=["a", "b"],
    )
    y_true = [t([[1.0], [1.0]]), t([[2.0], [2.0]])]
    y_pred = [t([[0.0], [1.0]]), t([[2.0], [4.0]])]
    container.update_state(y_true, y_pred, sample_weight=t([1.0, 0.0]))
    names = [m.name for m in container.metrics]
    assert names[:3] == ["a_mae", "a_root_mean_squared_error", "a_mse"]
    assert names[3:] == ["b_mae", "b_root_mean_squared_error", "b_mse"]
    results = {m.name: float(m.result()) for m in container.metrics}
    assert results["a_mae"] == pytest.approx(0.5)
    assert results["a_mse"] == pytest.approx(1.0)  # the weight hides sample 2
    assert results["b_mse"] == pytest.approx(0.0)


def test_accuracy_string_resolves_from_shapes():
    cases = [
        (t([[1.0], [0.0]]), t([[0.9], [0.2]]), metrics.BinaryAccuracy),
        (t([1.0, 0.0]), t([[0.1, 0.9], [0.8, 0.2]]), metrics.SparseCategoricalAccuracy),
        (t([[0.0, 1.0]]), t([[0.1, 0.9]]), metrics.CategoricalAccuracy),
    ]
    for y_true, y_pred, expected in cases:
        container = MetricsContainer(metrics=["acc"])
        container.update_state(y_true, y_pred)
        (metric,) = container.metrics
        assert type(metric) is expected and metric.name == "acc"
        assert float(metric.result()) == 1.0
