"""A metric written as every Keras metric is: `update_state` in `keras.ops`.

The state lives in variables made by `add_variable`, `update_state` receives
the batch's tensors and updates the state with ops and `assign_add`, and
`result()` returns `variable.value`; `fit` and `evaluate` report it.
"""

import numpy as np

import nanokeras as keras
from nanokeras import ops


class CategoricalTruePositives(keras.metrics.Metric):
    def __init__(self, name="categorical_true_positives", **kwargs):
        super().__init__(name=name, **kwargs)
        self.true_positives = self.add_variable(
            shape=(), name="ctp", initializer="zeros"
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = ops.reshape(ops.argmax(y_pred, axis=1), (-1, 1))
        values = ops.cast(y_true, "int32") == ops.cast(y_pred, "int32")
        values = ops.cast(values, "float32")
        if sample_weight is not None:
            sample_weight = ops.cast(sample_weight, "float32")
            values = ops.multiply(values, ops.reshape(sample_weight, (-1, 1)))
        self.true_positives.assign_add(ops.sum(values))

    def result(self):
        return self.true_positives.value

    def reset_state(self):
        self.true_positives.assign(0.0)


X = np.random.default_rng(0).normal(size=(12, 4)).astype("float32")
Y = np.random.default_rng(1).integers(0, 3, size=(12, 1))


def _model():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    model.compile(
        "sgd",
        keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        weighted_metrics=[CategoricalTruePositives()],
    )
    return model


def test_the_metric_counts_correct_predictions_in_evaluate():
    model = _model()
    logs = model.evaluate(X, Y, batch_size=5, verbose=0, return_dict=True)
    expected = np.sum(np.argmax(model.predict(X, verbose=0), axis=1) == Y[:, 0])
    assert logs["categorical_true_positives"] == float(expected)


def test_the_metric_is_reset_each_epoch_and_honours_sample_weight():
    model = _model()
    weights = np.where(Y[:, 0] == 0, 0.0, 1.0).astype("float32")
    expected = []

    class Expect(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            # One batch an epoch: the step scores the weights the epoch starts with.
            hits = np.argmax(self.model.predict(X, verbose=0), axis=1) == Y[:, 0]
            expected.append(float(np.sum(hits * weights)))

    history = model.fit(
        X, Y, sample_weight=weights, batch_size=12, epochs=3, shuffle=False,
        callbacks=[Expect()], verbose=0,
    )  # fmt: skip
    np.testing.assert_allclose(history.history["categorical_true_positives"], expected)


def test_result_is_the_variable_value_a_tensor():
    metric = CategoricalTruePositives()
    metric.update_state(np.array([[1], [0]]), np.array([[0.1, 0.9], [0.2, 0.8]]))
    assert isinstance(metric.result(), keras.Tensor)
    assert float(metric.result()) == 1.0
    metric.reset_state()
    assert float(metric.result()) == 0.0
