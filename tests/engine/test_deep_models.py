"""A model 500 layers deep builds, trains, serializes and loads.

Every walk over the layer graph (the functional topological sort, calling the
model, `get_config`, saving and loading) must be a loop, not one Python frame
per layer. The tests run under a recursion limit lower than the depth of the
model, so any recursive walk fails here, not in a user's 1,000-layer model.
"""

import contextlib
import sys

import numpy as np
import pytest

import nanokeras as nk

DEPTH = 500


@contextlib.contextmanager
def recursion_limit_below(depth: int):
    """A limit under `depth` frames above the current stack: recursion fails."""
    frames, frame = 0, sys._getframe()
    while frame is not None:
        frames, frame = frames + 1, frame.f_back
    saved = sys.getrecursionlimit()
    sys.setrecursionlimit(frames + depth // 2)
    try:
        yield
    finally:
        sys.setrecursionlimit(saved)


def deep_sequential():
    layers = [nk.layers.Dense(2, name=f"d{i}") for i in range(DEPTH)]
    return nk.Sequential([nk.Input(shape=(2,)), *layers], name="deep")


def deep_functional():
    inputs = x = nk.Input(shape=(2,))
    for i in range(DEPTH):
        x = nk.layers.Dense(2, name=f"d{i}")(x)
    return nk.Model(inputs, x, name="deep")


@pytest.mark.parametrize("make", [deep_sequential, deep_functional])
def test_a_500_layer_model_builds_fits_saves_and_loads(make, tmp_path):
    x = np.random.default_rng(0).normal(size=(4, 2)).astype("float32")
    with recursion_limit_below(DEPTH):
        model = make()
        model.compile("sgd", "mse")
        history = model.fit(x, np.zeros((4, 2)), epochs=1, verbose=0)
        predictions = model.predict(x, verbose=0)
        rebuilt = nk.models.model_from_json(model.to_json())
        model.save(tmp_path / "deep.keras")
        loaded = nk.models.load_model(tmp_path / "deep.keras")
        loaded_predictions = loaded.predict(x, verbose=0)
    assert len(history.history["loss"]) == 1
    dense = [layer for layer in model.layers if isinstance(layer, nk.layers.Dense)]
    assert len(dense) == DEPTH
    assert len(rebuilt.layers) == len(model.layers)
    assert [layer.name for layer in loaded.layers] == [
        layer.name for layer in model.layers
    ]
    np.testing.assert_allclose(loaded_predictions, predictions, rtol=1e-6)


def test_the_limit_really_stops_a_recursive_walk():
    # Guards the guard: a walk of one frame per layer fails under the limit.
    def recursive(n):
        return 0 if n == 0 else 1 + recursive(n - 1)

    with recursion_limit_below(DEPTH), pytest.raises(RecursionError):
        recursive(DEPTH)
