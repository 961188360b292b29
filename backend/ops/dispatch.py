"""`add_dispatch_support`: let an op hand over inputs it cannot compute on.

Mirrors: tensorflow/python/util/dispatch.py (stand-in, not Keras code)

An op computes on values. A `KerasTensor` has none: it is a placeholder while
a functional model is being defined. TensorFlow lets a library register a
*dispatcher* that is asked whenever an op fails on its inputs; tf.keras
registers one that turns the op call into a layer of the model under
construction (`TFOpLambda`, see `layers/core/tf_op_layer.py`). Every public op
in `backend/ops/` is decorated with `add_dispatch_support`, so
`keras.ops.mean(keras.Input((3,)))` builds a graph node instead of failing.

The op runs first and the dispatchers are asked only after it raised, so the
check costs nothing on the usual path, with real tensors, but the wrapper's
own frame. Code that only ever computes on real tensors (a layer's `call`,
which a symbolic call runs on placeholders) skips even that: it calls the
ops of `backend/ops/raw_ops.py`, the functions these wrappers wrap.
"""

import functools
import types
from typing import Callable

# The answer of a dispatcher that does not handle a call.
NOT_SUPPORTED = object()

# Functions `(op, args, kwargs) -> result or NOT_SUPPORTED`, asked in order.
_GLOBAL_DISPATCHERS: list[Callable] = []


def add_global_dispatcher(dispatcher: Callable) -> None:
    """Register `dispatcher`, asked about every op call that failed."""
    if dispatcher not in _GLOBAL_DISPATCHERS:
        _GLOBAL_DISPATCHERS.append(dispatcher)


def add_dispatch_support(op: Callable) -> Callable:
    """Decorate `op` so that its failures are offered to the dispatchers."""

    @functools.wraps(op)
    def wrapper(*args, **kwargs):
        try:
            return op(*args, **kwargs)
        except (TypeError, ValueError, AttributeError):
            for dispatcher in _GLOBAL_DISPATCHERS:
                result = dispatcher(wrapper, args, kwargs)
                if result is not NOT_SUPPORTED:
                    return result
            raise

    _UNDISPATCHED[wrapper] = op
    return wrapper


# Each dispatching wrapper -> the op it wraps.
_UNDISPATCHED: dict[Callable, Callable] = {}


def undispatched(module: types.ModuleType) -> types.SimpleNamespace:
    """The public names of an op `module`, each op without its dispatch wrapper."""
    # Only callables can be wrappers; a public constant may be unhashable (a
    # dict), which the lookup would refuse.
    return types.SimpleNamespace(
        **{
            name: _UNDISPATCHED.get(value, value) if callable(value) else value
            for name, value in vars(module).items()
            if not name.startswith("_")
        }
    )
