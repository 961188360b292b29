"""A Metric held by a model is tracked as a metric, not as a layer or weights."""

import numpy as np

import nanokeras as keras


class TrackerModel(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(2)
        self.loss_tracker = keras.metrics.Mean(name="loss")

    def call(self, inputs):
        return self.dense(inputs)


def test_metric_attribute_stays_out_of_layers_and_weights():
    model = TrackerModel()
    model(np.ones((1, 3), dtype="float32"))
    assert [layer.name for layer in model.layers] == [model.dense.name]
    assert len(model.weights) == 2  # kernel and bias, no metric state
    assert model.loss_tracker in model.metrics
    model.loss_tracker.update_state([4.0])
    model.reset_metrics()
    assert float(model.loss_tracker.result()) == 0.0
