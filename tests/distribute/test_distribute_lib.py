"""The default single-device strategy: the seam where distribution plugs in."""

from backend.variables import Variable
from distribute.distribute_lib import Strategy, get_strategy, has_strategy


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
