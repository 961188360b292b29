"""`fit` trains exactly as Keras 3 does: same history, same final weights.

Keras 3's numpy backend cannot train, so the reference runs on its JAX backend
in a subprocess (jax is installed beside Keras as a test-only dependency).
Both sides start from the same weights and see the same batches (no
shuffling), so the batching, the loss and metric averaging, validation
split and the optimizer's updates must all agree.
"""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

import nanokeras as keras

pytestmark = pytest.mark.keras

CASES = {
    "regression": dict(
        loss="mse",
        metrics=["mae"],
        optimizer=("SGD", {"learning_rate": 0.05, "momentum": 0.9}),
        fit=dict(epochs=3, batch_size=32, validation_split=0.2),
    ),
    "classification": dict(
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        optimizer=("Adam", {"learning_rate": 0.01}),
        fit=dict(epochs=2, batch_size=24, use_sample_weight=True),
    ),
}


def make_case(name):
    """Data and initial weights, from a seed: both processes build the same."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(100, 4)).astype("float32")
    if name == "regression":
        y = (x @ rng.normal(size=(4, 1))).astype("float32")
        units, activation = 1, None
    else:
        y = rng.integers(0, 3, size=100)
        units, activation = 3, "softmax"
    weights = [
        rng.normal(size=(4, 5)).astype("float32"),
        np.zeros(5, "float32"),
        rng.normal(size=(5, units)).astype("float32"),
        np.zeros(units, "float32"),
    ]
    sample_weight = rng.random(100).astype("float32")
    return x, y, weights, units, activation, sample_weight


def train(lib, name):
    """The same training run, with nanokeras or with Keras 3."""
    case = CASES[name]
    x, y, weights, units, activation, sample_weight = make_case(name)
    model = lib.Sequential(
        [
            lib.Input((4,)),
            lib.layers.Dense(5, activation="relu"),
            lib.layers.Dense(units, activation=activation),
        ]
    )
    model.set_weights(weights)
    optimizer_name, optimizer_config = case["optimizer"]
    model.compile(
        optimizer=getattr(lib.optimizers, optimizer_name)(**optimizer_config),
        loss=case["loss"],
        metrics=case["metrics"],
    )
    fit = dict(case["fit"])
    if fit.pop("use_sample_weight", False):
        fit["sample_weight"] = sample_weight
    history = model.fit(x, y, shuffle=False, verbose=0, **fit)
    return {
        "history": {k: [float(v) for v in vs] for k, vs in history.history.items()},
        "weights": [np.asarray(w).tolist() for w in model.get_weights()],
    }


def keras_3_results():
    script = (
        f"import json, sys; sys.path.insert(0, {os.path.dirname(__file__)!r})\n"
        "import keras, test_training_keras_parity as case\n"
        "print(json.dumps({name: case.train(keras, name) for name in case.CASES}))\n"
    )
    env = dict(os.environ, KERAS_BACKEND="jax", JAX_PLATFORMS="cpu")
    # The subprocess imports this file to share `train` (which also imports
    # nanokeras, unused there): the repository root must be on its path.
    root = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))
    env["PYTHONPATH"] = root
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True,
        timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def reference(real_keras):
    return keras_3_results()


@pytest.mark.parametrize("name", sorted(CASES))
def test_fit_history_and_weights_match_keras_3(reference, name):
    ours = train(keras, name)
    theirs = reference[name]
    assert sorted(ours["history"]) == sorted(theirs["history"])
    for key, values in theirs["history"].items():
        np.testing.assert_allclose(ours["history"][key], values, rtol=2e-5, atol=1e-6)
    for mine, expected in zip(ours["weights"], theirs["weights"]):
        np.testing.assert_allclose(mine, expected, rtol=2e-5, atol=1e-6)
