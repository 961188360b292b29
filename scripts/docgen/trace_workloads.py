"""The runs the call traces record: the same code for nanokeras and Keras 3.

Each workload is a function of `keras` (either `nanokeras` or real `keras`),
`np` and `trace`, a context manager: it sets up what it needs, and only the
statements inside `with trace:` are recorded. The page shows the function's
source as it is here, so a reader sees exactly what ran. Every workload is
small (a few dozen samples, layers of a few units) so that all of them, on
both libraries, take a few seconds of the site's build.

Run as a script, this module traces workloads on nanokeras or on real Keras 3
and prints the trees as JSON. `scripts/docgen/traces.py` runs it in
subprocesses: Keras picks its backend once per process, at import, and the
runs must not change the state (layer name counters, numpy's global random
generator) that the tutorials' snippets see in the site's own process.
"""

import argparse
import json
import os
import sys
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scripts.paths import ROOT

# --- The workloads ---------------------------------------------------------


def layer_first_call(keras, np, trace):
    layer = keras.layers.Dense(4, activation="relu")
    x = np.ones((32, 3), dtype="float32")
    with trace:
        y = layer(x)  # builds the kernel and bias from x's shape, then calls
    return y


def functional_construction(keras, np, trace):
    with trace:
        inputs = keras.Input(shape=(3,))
        hidden = keras.layers.Dense(4, activation="relu")(inputs)
        outputs = keras.layers.Dense(1)(hidden)
        model = keras.Model(inputs, outputs)
    return model


def sequential_with_input_shape(keras, np, trace):
    model = keras.Sequential()
    with trace:
        model.add(keras.layers.Dense(4, input_shape=(3,), activation="relu"))
        model.add(keras.layers.Dense(1))
    return model


def sequential_without_input_shape(keras, np, trace):
    model = keras.Sequential()
    with trace:
        model.add(keras.layers.Dense(4, activation="relu"))
        model.add(keras.layers.Dense(1))
        model(np.ones((32, 3), dtype="float32"))  # the first call builds it
    return model


def compile(keras, np, trace):
    model = _model(keras)
    with trace:
        model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    return model


def fit(keras, np, trace):
    model = _model(keras)
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    x, y = _data(np)
    callback = keras.callbacks.TerminateOnNaN()
    with trace:
        # 64 samples in batches of 32: two steps.
        model.fit(x, y, batch_size=32, epochs=1, callbacks=[callback], verbose=0)
    return model


def predict(keras, np, trace):
    model = _model(keras)
    x, _ = _data(np)
    with trace:
        model.predict(x, batch_size=32, verbose=0)
    return model


def evaluate(keras, np, trace):
    model = _model(keras)
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    x, y = _data(np)
    with trace:
        model.evaluate(x, y, batch_size=32, verbose=0)
    return model


def save_and_load(keras, np, trace):
    model = _model(keras)
    model.compile(optimizer="sgd", loss="mse")
    path = os.path.join(tempfile.mkdtemp(), "model.keras")
    with trace:
        model.save(path)
        keras.models.load_model(path)
    return model


def _model(keras):
    """The small model most workloads share: 3 inputs, 4 hidden units, 1 output."""
    return keras.Sequential(
        [
            keras.Input(shape=(3,)),
            keras.layers.Dense(4, activation="relu"),
            keras.layers.Dense(1),
        ]
    )


def _data(np):
    rng = np.random.default_rng(0)
    x = rng.random((64, 3), dtype="float32")
    return x, x.sum(axis=1, keepdims=True)


# name -> the workload, in the order of the chapters that explain them.
WORKLOADS: dict[str, Callable[..., Any]] = {
    "layer-first-call": layer_first_call,
    "functional-construction": functional_construction,
    "sequential-with-input-shape": sequential_with_input_shape,
    "sequential-without-input-shape": sequential_without_input_shape,
    "compile": compile,
    "fit": fit,
    "predict": predict,
    "evaluate": evaluate,
    "save-and-load": save_and_load,
}

# Keras 3's numpy backend runs everything but training: `fit` raises
# NotImplementedError there, so Keras's `fit` is traced on its JAX backend.
KERAS_BACKENDS = {"fit": "jax"}
KERAS_DEFAULT_BACKEND = "numpy"


# --- Running them ----------------------------------------------------------


def run(
    workload: Callable[..., Any], keras: Any, trace: Any, budget: int
) -> tuple[dict, str | None]:
    """Trace one workload; return the pruned tree and the error it raised."""
    import numpy as np

    from scripts.docgen.calltrace import fold, prune

    error = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            workload(keras, np, trace)
        except Exception as exception:  # shown on the page, never hidden
            error = f"{type(exception).__name__}: {exception}"
    tree = prune(fold(trace.root), budget)
    return tree.to_json(), error


def trace_keras(names: list[str], budget: int) -> dict[str, dict]:
    """Trace workloads on the imported real Keras; `{name: result}`."""
    import keras

    root = Path(keras.__file__).resolve().parent.parent  # site-packages
    results = {}
    for name in names:
        keras.utils.clear_session()
        results[name] = _result(
            WORKLOADS[name], keras, root, lambda path: path.startswith("keras/src/"),
            budget, backend=keras.backend.backend(), version=keras.__version__,
        )  # fmt: skip
    return results


def trace_nanokeras(names: list[str], budget: int) -> dict[str, dict]:
    """Trace workloads on nanokeras; `{name: result}`."""
    import numpy as np

    import nanokeras
    from scripts.docgen.source import source_files

    files = {path.as_posix() for path in source_files(ROOT)}
    results = {}
    for name in names:
        nanokeras.backend.clear_session()
        np.random.seed(0)
        results[name] = _result(
            WORKLOADS[name], nanokeras, ROOT, files.__contains__, budget,
            backend="numpy", version="",
        )  # fmt: skip
    return results


def _result(workload, library, root, watched, budget, **about) -> dict:
    from scripts.docgen.calltrace import CallTracer

    tree, error = run(workload, library, CallTracer(root, watched), budget)
    return {"tree": tree, "error": error, **about}


LIBRARIES = {"keras": trace_keras, "nanokeras": trace_nanokeras}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("library", choices=sorted(LIBRARIES))
    parser.add_argument("names", nargs="+", choices=sorted(WORKLOADS))
    parser.add_argument("--budget", type=int, required=True)
    options = parser.parse_args()
    traced = LIBRARIES[options.library](options.names, options.budget)
    json.dump(traced, sys.stdout)


if __name__ == "__main__":
    main()
