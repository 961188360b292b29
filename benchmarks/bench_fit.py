"""What does `fit` cost over a hand-written numpy training loop?

Run from the repository root:

    .venv/bin/python benchmarks/bench_fit.py [--repeats 3] [--keras]

1. MLP 784-256-128-10, Adam, batch 128, 60,000 synthetic samples: one epoch
   of `model.fit` against one epoch of a numpy loop doing the same maths
   (shuffle, slice the batch, forward, softmax cross-entropy from logits,
   backward, in-place Adam, the running mean of the loss). The two run
   interleaved in the same process, so machine load hits both alike; the
   script prints the best and the median of the repeats and their ratio
   (target: <= 1.15x).
2. Per-step overhead of a tiny model (10-10-1, batch 32): microseconds per
   `fit` step, next to a hand-written numpy step of the same model.
3. `predict` on one sample, in microseconds (plus a direct `model(x)` call).

BLAS runs single-threaded unless `OPENBLAS_NUM_THREADS` is set: on a shared
2-core machine, threaded matrix multiplies swing by 10x from run to run,
which would drown the difference being measured (both sides use the same
setting). Times are this thread's CPU time (`--clock wall` for elapsed time),
so other processes on the machine do not inflate either side.

With `--keras`, the same runs are timed with real Keras 3 on its JAX backend
in a subprocess (if jax is installed), for reference, in process CPU time
(the CPU time of all of XLA's threads).
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy loads BLAS

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import nanokeras as keras  # noqa: E402

# This thread's CPU time by default: with single-threaded BLAS it is all the
# work of a run, and other processes on the machine do not inflate it.
clock = time.thread_time

SIZES = (784, 256, 128, 10)
SAMPLES, BATCH = 60_000, 128
BETA_1, BETA_2, EPSILON, LEARNING_RATE = 0.9, 0.999, 1e-7, 1e-3


def mnist_like(seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.random((SAMPLES, SIZES[0]), dtype="float32")
    y = rng.integers(0, SIZES[-1], SAMPLES)
    return x, y


def build_mlp(layer_sizes=SIZES, seed: int = 0):
    np.random.seed(seed)
    keras.utils.clear_session()
    layers = [keras.Input(shape=(layer_sizes[0],))]
    for units in layer_sizes[1:-1]:
        layers.append(keras.layers.Dense(units, activation="relu"))
    layers.append(keras.layers.Dense(layer_sizes[-1]))
    return keras.Sequential(layers)


def softmax_crossentropy(logits: np.ndarray, labels: np.ndarray) -> tuple:
    """The mean sparse softmax cross-entropy of `logits`, and its gradient
    with respect to the logits: `(softmax(logits) - one_hot(labels)) / batch`."""
    shifted = logits - logits.max(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    rows = np.arange(len(logits))
    loss = float(-log_probs[rows, labels].mean())
    g = np.exp(log_probs)
    g[rows, labels] -= 1.0
    g /= len(logits)
    return loss, g


class NumpyMLP:
    """The baseline: the same network, loss and Adam written by hand."""

    def __init__(self, params: list[np.ndarray]):
        self.params = [p.copy() for p in params]
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.scratch = [np.empty_like(p) for p in self.params]
        self.t = 0

    def step(self, x: np.ndarray, labels: np.ndarray) -> float:
        params = self.params
        activations, h = [x], x
        layer_count = len(params) // 2
        for i in range(layer_count):
            z = h @ params[2 * i] + params[2 * i + 1]
            h = np.maximum(z, 0) if i < layer_count - 1 else z
            activations.append(h)
        loss, g = softmax_crossentropy(activations[-1], labels)
        grads = [None] * len(params)
        for i in reversed(range(layer_count)):
            grads[2 * i] = activations[i].T @ g
            grads[2 * i + 1] = g.sum(axis=0)
            if i:
                g = (g @ params[2 * i].T) * (activations[i] > 0)
        self.adam(grads)
        return loss

    def adam(self, grads: list[np.ndarray]) -> None:
        self.t += 1
        lr = LEARNING_RATE * np.sqrt(1 - BETA_2**self.t) / (1 - BETA_1**self.t)
        for p, g, m, v, s in zip(self.params, grads, self.m, self.v, self.scratch):
            m *= BETA_1
            m += (1 - BETA_1) * g
            v *= BETA_2
            np.multiply(g, g, out=s)
            s *= 1 - BETA_2
            v += s
            np.sqrt(v, out=s)
            s += EPSILON
            np.divide(m, s, out=s)
            s *= lr
            p -= s

    def epoch(self, x: np.ndarray, y: np.ndarray, batch: int) -> float:
        order = np.random.permutation(len(x))
        total = count = 0.0
        for start in range(0, len(x), batch):
            index = order[start : start + batch]
            total += self.step(x[index], y[index]) * len(index)
            count += len(index)
        return total / count


def compiled(model):
    model.compile(
        optimizer=keras.optimizers.Adam(LEARNING_RATE),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    return model


def compare_epochs(model, baseline, x, y, repeats: int, baseline_name: str, target):
    """Time epochs of `model.fit` and of the numpy `baseline` on `(x, y)` and
    print the best and the median of each, and their ratio.

    The two run in turns, after one warm-up each, so that load on the
    machine hits both alike.
    """
    model.fit(x[:1280], y[:1280], batch_size=BATCH, verbose=0)  # build, warm up
    baseline.epoch(x[:1280], y[:1280], BATCH)
    ours, theirs = [], []
    for _ in range(repeats):
        start = clock()
        model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)
        ours.append(clock() - start)
        start = clock()
        baseline.epoch(x, y, BATCH)
        theirs.append(clock() - start)
    best = min(ours) / min(theirs)
    median = statistics.median(ours) / statistics.median(theirs)
    print(
        f"  nanokeras fit {min(ours):.2f} s (median {statistics.median(ours):.2f} s)"
        f" | {baseline_name} {min(theirs):.2f} s (median "
        f"{statistics.median(theirs):.2f} s)"
    )
    print(
        f"  ratio fit / numpy: best {best:.3f}x, median {median:.3f}x "
        f"(target <= {target}x)"
    )


def bench_mlp(repeats: int) -> None:
    x, y = mnist_like()
    model = compiled(build_mlp())
    baseline = NumpyMLP(model.get_weights())
    print(f"MLP 784-256-128-10, Adam, batch {BATCH}, {SAMPLES:,} samples, per epoch:")
    compare_epochs(model, baseline, x, y, repeats, "numpy loop", 1.15)


def bench_tiny(repeats: int) -> None:
    rng = np.random.default_rng(0)
    steps, batch = 200, 32
    x = rng.normal(size=(steps * batch, 10)).astype("float32")
    y = rng.integers(0, 10, steps * batch)
    model = build_mlp((10, 10, 1))
    model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE), loss="mse")
    target = x.sum(axis=1, keepdims=True).astype("float32")
    model.fit(x, target, batch_size=batch, verbose=0)
    per_step = []
    for _ in range(repeats):
        start = clock()
        model.fit(x, target, batch_size=batch, epochs=1, verbose=0)
        per_step.append((clock() - start) / steps * 1e6)
    numpy_model = NumpyMLP(build_mlp((10, 10, 10)).get_weights())
    start = clock()
    for _ in range(repeats):
        numpy_model.epoch(x, y, batch)
    numpy_step = (clock() - start) / (repeats * steps) * 1e6
    print("Tiny model 10-10-1, batch 32, per fit step:")
    print(
        f"  nanokeras {min(per_step):.0f} us (median {statistics.median(per_step):.0f}"
        f" us) | hand-written numpy step (10-10-10 softmax + Adam) {numpy_step:.0f} us"
    )
    one = x[:1]
    model.predict(one, verbose=0)
    timings = {"predict(x[:1])": [], "predict_on_batch": [], "model(x) call": []}
    calls = {
        "predict(x[:1])": lambda: model.predict(one, verbose=0),
        "predict_on_batch": lambda: model.predict_on_batch(one),
        "model(x) call": lambda: model(one),
    }
    for name, call in calls.items():
        for _ in range(5):
            start = clock()
            for _ in range(200):
                call()
            timings[name].append((clock() - start) / 200 * 1e6)
    print(
        "One-sample inference: "
        + ", ".join(f"{name} {min(t):.0f} us" for name, t in timings.items())
    )


# The opening and the epoch timing of the Keras scripts: each benchmark puts
# its own `x`, `y` and `model` in between. Real Keras's setup and timing are
# those of `compare_epochs`: the same warm-up, compile, batch and clock.
KERAS_PREAMBLE = """
import time, numpy as np, keras
clock = time.process_time  # all threads' CPU time: XLA runs its own threads
rng = np.random.default_rng(0)
"""
KERAS_FIT_EPOCHS = """
model.compile(optimizer=keras.optimizers.Adam(1e-3),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(x[:1280], y[:1280], batch_size=128, verbose=0)
times = []
for _ in range({repeats}):
    t = clock(); model.fit(x, y, batch_size=128, verbose=0)
    times.append(clock() - t)
print(f"  Keras 3 ({{keras.backend.backend()}}) fit: {{min(times):.2f}} s CPU per "
      f"epoch (median {{sorted(times)[len(times) // 2]:.2f}} s)")
"""
KERAS_SCRIPT = (
    KERAS_PREAMBLE
    + """
x = rng.random((60000, 784), dtype="float32"); y = rng.integers(0, 10, 60000)
Dense = keras.layers.Dense
model = keras.Sequential([keras.Input((784,)), Dense(256, activation="relu"),
    Dense(128, activation="relu"), Dense(10)])
"""
    + KERAS_FIT_EPOCHS
    + """
tiny = keras.Sequential([keras.Input((10,)), keras.layers.Dense(10, activation="relu"),
    keras.layers.Dense(1)])
tiny.compile(optimizer="adam", loss="mse")
xs = rng.normal(size=(6400, 10)).astype("float32"); ys = xs.sum(1, keepdims=True)
tiny.fit(xs, ys, batch_size=32, verbose=0)
t = clock(); tiny.fit(xs, ys, batch_size=32, verbose=0)
per_step = (clock() - t) / 200 * 1e6
print(f"  Keras 3 tiny model: {{per_step:.0f}} us CPU per step")
tiny.predict(xs[:1], verbose=0)
t = clock()
for _ in range(50): tiny.predict(xs[:1], verbose=0)
print(f"  Keras 3 predict(x[:1]): {{(clock() - t) / 50 * 1e6:.0f}} us CPU")
"""
)


def run_keras_script(script: str, backend: str) -> None:
    """Run `script` with real Keras 3 on `backend` in a subprocess; print its
    output, or the last line of its error (jax may not be installed)."""
    env = dict(os.environ, KERAS_BACKEND=backend, JAX_PLATFORMS="cpu")
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if result.returncode:
        print(f"  not available: {result.stderr.strip().splitlines()[-1]}")
    print(result.stdout.rstrip())


def bench_keras(repeats: int, backend: str = "jax") -> None:
    print(f"Real Keras 3 on {backend} (same runs, separate process):")
    run_keras_script(KERAS_SCRIPT.format(repeats=repeats), backend)


def benchmark_arguments(description: str, repeats: int) -> argparse.ArgumentParser:
    """The options of the fit benchmarks: `--repeats`, `--clock`, `--keras`."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--repeats", type=int, default=repeats)
    parser.add_argument(
        "--clock",
        choices=("cpu", "wall"),
        default="cpu",
        help="cpu: this thread's CPU time (steady on a busy machine); wall: elapsed",
    )
    parser.add_argument("--keras", action="store_true", help="also time Keras 3 (jax)")
    return parser


def use_clock(name: str) -> None:
    """Time with this thread's CPU time (`"cpu"`) or elapsed time (`"wall"`)."""
    global clock
    clock = time.thread_time if name == "cpu" else time.perf_counter


def main() -> None:
    args = benchmark_arguments(__doc__.splitlines()[0], repeats=3).parse_args()
    use_clock(args.clock)
    print(f"Clock: {args.clock} time")
    bench_tiny(args.repeats)
    bench_mlp(args.repeats)
    if args.keras:
        bench_keras(args.repeats)


if __name__ == "__main__":
    main()
