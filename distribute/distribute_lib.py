"""The default, single-device distribution strategy that `fit` runs under.

Mirrors: tensorflow/python/distribute/distribute_lib.py (tf.distribute; stand-in,
not Keras code)

Simplified: only the default strategy exists; there is no
`MirroredStrategy`, no replica context and no cross-replica reduction.

tf.keras 2.x never calls a model's step directly: `fit` asks
`tf.distribute.get_strategy()` for the current strategy, runs the step with
`strategy.run(step, args=(data,))`, and an optimizer writes each variable
through `strategy.extended.update(variable, fn)`. With one device the default
strategy just calls the function; a mirrored strategy would run it once per
replica and reduce the results. nanokeras keeps exactly that seam, used by
the same callers (`Model.make_train_function` and its siblings call `run`;
`Optimizer.apply` writes weight decay, the update and the constraint of every
variable through `extended.update`), with only the default strategy behind it
(simplified: no replicas, no cross-device reduction), so a reader sees where
distribution would plug in.
"""

import contextlib
from typing import Any, Callable, Iterator

from api_export import export


@export("nanokeras.distribute.StrategyExtended")
class StrategyExtended:
    """What a strategy adds for library code: placing variable updates.

    Simplified from `tf.distribute.StrategyExtended`: only `update` and
    `variable_created_in_scope`.
    """

    def __init__(self, strategy: "Strategy"):
        self._container_strategy = strategy

    def update(
        self, var: Any, fn: Callable, args: tuple = (), kwargs: dict | None = None
    ) -> Any:
        """Run `fn(var, *args, **kwargs)` where `var` lives; return its result.

        A mirrored strategy would run `fn` on every copy of `var`; with a
        single device it is one call.
        """
        return fn(var, *args, **(kwargs or {}))

    def variable_created_in_scope(self, var: Any) -> bool:
        """Every variable belongs to the default strategy."""
        return True


@export("nanokeras.distribute.Strategy")
class Strategy:
    """A way to run a computation on one or more devices (here: exactly one).

    Stand-in for `tf.distribute.Strategy`. Simplified: `num_replicas_in_sync`
    is always 1 and `reduce` returns the value unchanged.

    Args:
        extended: The `StrategyExtended` that places variable updates; by
            default one that runs each update once.
    """

    def __init__(self, extended: StrategyExtended | None = None):
        # As in TensorFlow, a strategy is built around its `extended` part,
        # which a new kind of strategy subclasses to place updates its way.
        self._extended = extended or StrategyExtended(self)

    @property
    def extended(self) -> StrategyExtended:
        return self._extended

    @property
    def num_replicas_in_sync(self) -> int:
        return 1

    @contextlib.contextmanager
    def scope(self) -> Iterator["Strategy"]:
        """Make this strategy current; variables created inside belong to it."""
        _strategy_stack.append(self)
        try:
            yield self
        finally:
            _strategy_stack.pop()

    def run(self, fn: Callable, args: tuple = (), kwargs: dict | None = None) -> Any:
        """Run `fn` on each replica (here: once) and return its result."""
        return fn(*args, **(kwargs or {}))

    def reduce(self, reduce_op: str, value: Any, axis: int | None = None) -> Any:
        """Combine per-replica values; with a single replica, `value` itself."""
        return value

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class _DefaultDistributionStrategy(Strategy):
    """The strategy in effect when no other `scope()` is open."""


_DEFAULT_STRATEGY = _DefaultDistributionStrategy()
_strategy_stack: list[Strategy] = []


@export("nanokeras.distribute.get_strategy")
def get_strategy() -> Strategy:
    """The strategy of the innermost open `scope()`, or the default one."""
    return _strategy_stack[-1] if _strategy_stack else _DEFAULT_STRATEGY


@export("nanokeras.distribute.has_strategy")
def has_strategy() -> bool:
    """Whether a non-default strategy's `scope()` is open."""
    return bool(_strategy_stack) and _strategy_stack[-1] is not _DEFAULT_STRATEGY
