"""The default single-device strategy: the seam where distribution plugs in."""

import numpy as np

import nanokeras as keras
from backend.variables import Variable
from distribute.distribute_lib import (
    Strategy,
    StrategyExtended,
    get_strategy,
    has_strategy,
)
from optimizers.sgd import SGD


def test_default_strategy_runs_functions_and_updates_variables_once():
    strategy = get_strategy()
    assert strategy.num_replicas_in_sync == 1 and not has_strategy()
    assert strategy.run(lambda a, b: a + b, args=(2, 3)) == 5
    var = Variable([1.0, 2.0])
    strategy.extended.update(var, lambda v, d: v.assign_add(d), args=([1.0, 1.0],))
    assert var.numpy().tolist() == [2.0, 3.0]


def test_scope_makes_a_strategy_current_and_restores_the_default():
    default, custom = get_strategy(), Strategy()
    with custom.scope() as entered:
        assert entered is custom and get_strategy() is custom and has_strategy()
    assert get_strategy() is default


class _RecordingExtended(StrategyExtended):
    """Records each variable an update is placed on, then updates it once."""

    def __init__(self, strategy):
        super().__init__(strategy)
        self.updated = []

    def update(self, var, fn, args=(), kwargs=None):
        self.updated.append(var.name)
        return super().update(var, fn, args, kwargs)


class _RecordingStrategy(Strategy):
    def __init__(self):
        super().__init__(_RecordingExtended(self))


def test_the_optimizer_writes_every_variable_through_the_strategy():
    strategy = _RecordingStrategy()
    w = Variable([1.0, -2.0], name="w", constraint=lambda v: v * 0.5)
    optimizer = SGD(learning_rate=0.1, weight_decay=0.5)
    with strategy.scope():
        optimizer.apply_gradients([(np.array([1.0, 1.0], dtype="float32"), w)])
    # Weight decay, then the update with its constraint: two placed writes.
    assert strategy.extended.updated == [w.name, w.name]
    # w * (1 - 0.1 * 0.5) - 0.1 * g, then halved by the constraint.
    np.testing.assert_allclose(w.numpy(), [0.425, -1.0], rtol=1e-6)


def test_fit_updates_each_trained_variable_through_the_current_strategy():
    strategy = _RecordingStrategy()
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    with strategy.scope():
        model.fit(np.ones((4, 3)), np.zeros((4, 2)), batch_size=4, verbose=0)
    names = [v.name for v in model.trainable_variables]
    assert strategy.extended.updated == names
