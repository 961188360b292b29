"""Op dispatch: an op that fails on its inputs offers the call to dispatchers."""

import numpy as np
import pytest

from backend.ops import dispatch, math


class Placeholder:
    """Stands for a symbolic input: it has no values."""

    def __array__(self, *args, **kwargs):
        raise TypeError("no values")


def test_ops_run_normally_and_dispatchers_handle_their_inputs(monkeypatch):
    seen = []

    def dispatcher(op, args, kwargs):
        if not any(isinstance(x, Placeholder) for x in args):
            return dispatch.NOT_SUPPORTED
        seen.append((op.__name__, args[1:], kwargs))
        return "recorded"

    monkeypatch.setattr(dispatch, "_GLOBAL_DISPATCHERS", [dispatcher])
    assert math.add(np.ones(2), 1.0).numpy().tolist() == [2.0, 2.0]
    assert seen == []
    assert math.add(Placeholder(), 2.0) == "recorded"
    assert math.mean(Placeholder(), axis=1) == "recorded"
    assert seen == [("add", (2.0,), {}), ("mean", (), {"axis": 1})]


def test_an_unhandled_failure_raises_the_op_s_own_error(monkeypatch):
    monkeypatch.setattr(
        dispatch, "_GLOBAL_DISPATCHERS", [lambda op, a, k: dispatch.NOT_SUPPORTED]
    )
    with pytest.raises(ValueError, match="`transpose` needs `axes`"):
        from backend.ops import array

        array.transpose(np.ones((2, 3)), axes=(0, 0))


def test_every_public_op_has_dispatch_support():
    from api_export import REGISTRY

    ops = [e.obj for path, e in REGISTRY.items() if path.startswith("nanokeras.ops.")]
    missing = [
        op.__name__
        for op in ops
        if not hasattr(op, "__wrapped__") and op.__name__ != "convert_to_tensor"
    ]
    assert missing == []


def test_raw_ops_are_the_functions_the_public_ops_wrap():
    """Layers call `raw_ops`: the same maths as `nanokeras.ops`, minus dispatch."""
    from api_export import REGISTRY
    from backend.ops import raw_ops

    checked = 0
    for path, entry in REGISTRY.items():
        op = entry.obj
        if path.startswith("nanokeras.ops.") and hasattr(op, "__wrapped__"):
            module = getattr(raw_ops, op.__module__.rpartition(".")[2])
            assert getattr(module, op.__name__) is op.__wrapped__, path
            checked += 1
    assert checked > 50


def _plain_helper(x):
    return x


def test_undispatched_keeps_a_module_s_public_constants_even_unhashable_ones():
    import types

    module = types.ModuleType("ops_with_constants")
    module.add = math.add
    module.helper = _plain_helper  # a function no dispatcher wraps
    module.DEFAULTS = {"axis": -1}
    module._private = 1
    namespace = dispatch.undispatched(module)
    assert namespace.add is math.add.__wrapped__
    assert namespace.helper is _plain_helper
    assert namespace.DEFAULTS == {"axis": -1}
    assert not hasattr(namespace, "_private")


def test_a_raw_op_fails_on_a_placeholder_instead_of_dispatching(monkeypatch):
    from backend.ops import raw_ops

    asked = []
    monkeypatch.setattr(
        dispatch, "_GLOBAL_DISPATCHERS", [lambda op, a, k: asked.append(op) or "node"]
    )
    assert math.add(Placeholder(), 2.0) == "node"
    with pytest.raises(TypeError, match="no values"):
        raw_ops.math.add(Placeholder(), 2.0)
    assert [op.__name__ for op in asked] == ["add"]


def test_a_registered_dispatcher_is_asked_once_however_often_it_is_added(
    monkeypatch,
):
    # Modules register their dispatcher when imported; importing twice (or
    # a reload) must not make every failing op ask it twice.
    calls = []

    def dispatcher(op, args, kwargs):
        calls.append(op.__name__)
        return "handled"

    monkeypatch.setattr(dispatch, "_GLOBAL_DISPATCHERS", [])
    dispatch.add_global_dispatcher(dispatcher)
    dispatch.add_global_dispatcher(dispatcher)
    assert dispatch._GLOBAL_DISPATCHERS == [dispatcher]
    assert math.add(Placeholder(), 1.0) == "handled"
    assert calls == ["add"]
