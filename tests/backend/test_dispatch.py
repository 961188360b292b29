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
