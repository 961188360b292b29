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


def test_a_layer_updating_its_own_metric_reports_it_to_fit():
    """The endpoint-layer pattern: a layer computes a loss and a metric in `call`."""

    class Endpoint(keras.layers.Layer):
        def __init__(self, name=None):
            super().__init__(name=name)
            self.loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)
            self.accuracy_fn = keras.metrics.BinaryAccuracy()

        def call(self, logits, targets=None):
            if targets is not None:
                self.add_loss(self.loss_fn(targets, logits))
                self.accuracy_fn.update_state(targets, keras.ops.sigmoid(logits))
            return keras.ops.sigmoid(logits)

    layer = Endpoint()
    layer(np.zeros((2, 1)), np.ones((2, 1)))
    assert layer.metrics == [layer.accuracy_fn]
    inputs = keras.Input((3,), name="inputs")
    targets = keras.Input((1,), name="targets")
    outputs = Endpoint(name="end")(keras.layers.Dense(1)(inputs), targets)
    model = keras.Model([inputs, targets], outputs)
    model.compile(optimizer="sgd")
    data = {"inputs": np.ones((4, 3)), "targets": np.ones((4, 1))}
    history = model.fit(data, epochs=2, verbose=0)
    assert set(history.history) == {"loss", "binary_accuracy"}


def test_a_metric_attribute_replaced_or_deleted_leaves_metrics():
    model = TrackerModel()
    model(np.ones((1, 3), dtype="float32"))
    tracker = model.loss_tracker
    model.loss_tracker = None
    assert all(metric is not tracker for metric in model.metrics)
    model.loss_tracker = tracker
    assert [m for m in model.metrics if m is tracker] == [tracker]
    del model.loss_tracker
    assert all(metric is not tracker for metric in model.metrics)
