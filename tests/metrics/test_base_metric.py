"""Metric state: update_state / result / reset_state, and what a Metric is."""

import numpy as np
import pytest

import metrics
from engine.base_layer import Layer


def test_mse_metric_accumulates_then_resets_syllabus_example():
    m = metrics.MeanSquaredError()
    m.update_state([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]])
    m.update_state([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]])
    assert float(m.result()) == pytest.approx(0.25)
    m.reset_state()
    m.update_state([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]], [1.0, 0.0])
    assert float(m.result()) == pytest.approx(0.5)


def test_result_is_the_mean_over_all_batches_not_the_last_batch():
    m = metrics.Mean()
    m.update_state([1.0, 3.0])
    m.update_state([5.0, 7.0, 9.0, 11.0])
    assert float(m.result()) == pytest.approx(6.0)


def test_metric_is_a_layer_with_non_trainable_named_state():
    m = metrics.Mean(name="my_mean")
    assert isinstance(m, Layer)
    assert [v.name for v in m.variables] == ["my_mean/total:0", "my_mean/count:0"]
    assert m.trainable_weights == [] and len(m.non_trainable_weights) == 2


def test_call_updates_and_returns_the_running_result():
    m = metrics.Sum()
    assert float(m([1.0, 2.0])) == 3.0
    assert float(m([4.0])) == 7.0


def test_reduce_chain_and_weighted_mean():
    assert issubclass(metrics.MeanMetricWrapper, metrics.Mean)
    assert issubclass(metrics.Mean, metrics.Reduce)
    m = metrics.Mean()
    m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    assert float(m.result()) == 2.0
    with pytest.raises(ValueError, match="unknown reduction"):
        metrics.Reduce("median", name="r")


def test_empty_state_gives_zero_not_nan():
    assert float(metrics.Mean().result()) == 0.0
    assert float(metrics.Precision().result()) == 0.0


def test_custom_metric_subclass():
    class Count(metrics.Metric):
        def __init__(self, name="count"):
            super().__init__(name=name)
            self.total = self.add_variable(shape=(), initializer="zeros")

        def update_state(self, values, sample_weight=None):
            self.total.assign_add(np.float32(len(values)))

        def result(self):
            return self.total.value

    c = Count()
    c.update_state([1, 2, 3])
    assert float(c.result()) == 3.0
    c.reset_state()
    assert float(c.result()) == 0.0


def test_get_serialize_deserialize():
    assert metrics.get("mae").__name__ == "mean_absolute_error"
    assert isinstance(metrics.get("AUC"), metrics.AUC)
    assert metrics.get("accuracy") is metrics.accuracy
    config = metrics.serialize(metrics.TopKCategoricalAccuracy(k=3, name="top3"))
    restored = metrics.deserialize(config)
    assert isinstance(restored, metrics.TopKCategoricalAccuracy)
    assert restored.k == 3 and restored.name == "top3"
    with pytest.raises(ValueError, match="Could not interpret metric identifier"):
        metrics.get("not_a_metric")


def test_confusion_metrics_reject_scores_outside_unit_interval():
    with pytest.raises(ValueError, match=r"predictions in \[0, 1\]"):
        metrics.Precision().update_state([0, 1], [0.5, 3.0])
