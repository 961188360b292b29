"""What does an optimizer step cost? nanokeras `Adam` vs a hand-written numpy Adam.

Run from the repository root:

    .venv/bin/python benchmarks/bench_optimizers.py [--repeats 30] [--steps 50]

Both sides update the six parameters of a 784-256-128-10 MLP (about 235,000
float32 values) with the same Adam maths, in place. The numpy side is the
tightest loop one would write by hand: two preallocated scratch buffers per
parameter and `out=` everywhere. The nanokeras side is
`optimizer.apply_gradients(zip(grads, variables))`, so it also pays for the
framework around the update (reading gradients, the learning rate, the
per-variable dispatch, the version bumps, the periodic subnormal flush).

A second measurement shows why nanokeras flushes subnormal moments: half of
every parameter gets a gradient of exactly zero after its moments decayed
into subnormal floats; the hand-written Adam keeps computing on them, while
nanokeras's Adam flushes them to zero every 64 steps.

When Keras 3 is installed (a test-only dependency here), its own Adam on its
numpy backend is timed on the same parameters too.

The two sides run interleaved in one process so machine load hits both alike;
the script prints the median and best per-step times and their ratios.
"""

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import nanokeras as nk  # noqa: E402

SHAPES = [(784, 256), (256,), (256, 128), (128,), (128, 10), (10,)]
LR, BETA_1, BETA_2, EPSILON = 0.001, 0.9, 0.999, 1e-7


class NumpyAdam:
    """Adam written by hand, in place, with preallocated scratch buffers."""

    def __init__(self, params):
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.scratch = [np.empty_like(p) for p in params]
        self.t = 0

    def step(self, params, grads):
        self.t += 1
        alpha = LR * (1 - BETA_2**self.t) ** 0.5 / (1 - BETA_1**self.t)
        for p, g, m, v, s in zip(params, grads, self.m, self.v, self.scratch):
            np.subtract(g, m, out=s)
            s *= 1 - BETA_1
            m += s
            np.square(g, out=s)
            s -= v
            s *= 1 - BETA_2
            v += s
            np.sqrt(v, out=s)
            s += EPSILON
            np.divide(m, s, out=s)
            s *= alpha
            p -= s


def make_params(rng):
    return [rng.normal(0, 0.05, size=s).astype("float32") for s in SHAPES]


def time_steps(step, steps):
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return (time.perf_counter() - start) / steps


def race_adam(library, convert, repeats, steps):
    """Time `library`'s Adam (nanokeras or Keras) against `NumpyAdam`, in turns,
    on the same parameters and gradients (`convert` makes the library's).

    Returns both lists of seconds per step, and both sets of parameters after
    the steps, for a same-maths check.
    """
    rng = np.random.default_rng(0)
    initial = make_params(rng)
    grads = [rng.normal(0, 0.01, size=s).astype("float32") for s in SHAPES]
    library_grads = [convert(g) for g in grads]

    numpy_params = [p.copy() for p in initial]
    numpy_adam = NumpyAdam(numpy_params)
    variables = [library.Variable(p) for p in initial]
    adam = library.optimizers.Adam(learning_rate=LR)

    def numpy_step():
        numpy_adam.step(numpy_params, grads)

    def library_step():
        adam.apply_gradients(zip(library_grads, variables))

    numpy_step(), library_step()  # warm up (builds the slots)
    numpy_times, library_times = [], []
    for _ in range(repeats):
        numpy_times.append(time_steps(numpy_step, steps))
        library_times.append(time_steps(library_step, steps))
    return numpy_times, library_times, numpy_params, variables


def compare_adam(repeats, steps):
    numpy_times, ours, numpy_params, variables = race_adam(
        nk, nk.ops.convert_to_tensor, repeats, steps
    )
    # Same maths: after the same steps the parameters agree.
    for mine, reference in zip(variables, numpy_params):
        np.testing.assert_allclose(mine.numpy(), reference, rtol=1e-4, atol=1e-6)
    report("Adam step, MLP 784-256-128-10 params", numpy_times, ours, "nanokeras")


def compare_subnormals(repeats, steps):
    """The cost of subnormal moments, and nanokeras's Adam after its flush.

    Half of every parameter stops receiving gradient (exactly 0) and its
    moments are set to a subnormal value, as after many such steps. The
    hand-written Adam keeps computing on subnormals; nanokeras's Adam flushes
    them to zero every 64 steps.
    """
    rng = np.random.default_rng(1)
    initial = make_params(rng)
    grads = [rng.normal(0, 0.01, size=s).astype("float32") for s in SHAPES]
    for g in grads:
        g.reshape(-1)[: g.size // 2] = 0.0
    grad_tensors = [nk.ops.convert_to_tensor(g) for g in grads]

    def make_numpy(subnormal):
        params = [p.copy() for p in initial]
        adam = NumpyAdam(params)
        adam.step(params, grads)
        for moment in adam.m + adam.v:
            moment.reshape(-1)[: moment.size // 2] = 1e-40 if subnormal else 0.0
        return lambda: adam.step(params, grads)

    def make_nanokeras():
        variables = [nk.Variable(p) for p in initial]
        adam = nk.optimizers.Adam(learning_rate=LR)
        adam.apply_gradients(zip(grad_tensors, variables))
        for moment in adam.variables[2:]:
            array = moment.array_for_update()
            array.reshape(-1)[: array.size // 2] = 1e-40
        return lambda: adam.apply_gradients(zip(grad_tensors, variables))

    clean, subnormal, ours = make_numpy(False), make_numpy(True), make_nanokeras()
    # Warm up past nanokeras's first flush (step 64): the steady state is
    # what every later epoch pays. The numpy moments stay subnormal meanwhile.
    for step in (clean, subnormal, ours):
        time_steps(step, 64)
    times = {"clean": [], "subnormal": [], "ours": []}
    for _ in range(repeats):
        times["clean"].append(time_steps(clean, steps))
        times["subnormal"].append(time_steps(subnormal, steps))
        times["ours"].append(time_steps(ours, steps))
    title = "Adam with half the moments subnormal (gradient exactly 0)"
    report(title, times["clean"], times["subnormal"], "numpy", "zeroed")
    report(title, times["clean"], times["ours"], "nanokeras", "zeroed")


def report(title, baseline, candidate, name, baseline_name="numpy"):
    b_med, c_med = statistics.median(baseline), statistics.median(candidate)
    b_min, c_min = min(baseline), min(candidate)
    print(title)
    for label, med, best in ((baseline_name, b_med, b_min), (name, c_med, c_min)):
        print(f"  {label:>10}: median {med * 1e3:7.3f} ms   best {best * 1e3:7.3f} ms")
    print(
        f"  ratio {name}/{baseline_name}: median {c_med / b_med:.3f}   "
        f"best {c_min / b_min:.3f}"
    )


def compare_keras(repeats, steps):
    """Keras 3's own Adam on its numpy backend, when it is installed (test-only)."""
    os.environ.setdefault("KERAS_BACKEND", "numpy")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import keras
    except ImportError:
        print("Keras 3 not installed: skipping its timing.")
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras's numpy-2 `copy=` deprecations
        numpy_times, theirs, _, _ = race_adam(keras, np.asarray, repeats, steps)
    title = f"Keras {keras.__version__} Adam step ({keras.backend.backend()} backend)"
    report(title, numpy_times, theirs, "keras")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--steps", type=int, default=50)
    args = parser.parse_args()
    compare_adam(args.repeats, args.steps)
    compare_subnormals(max(3, args.repeats // 3), args.steps)
    compare_keras(max(3, args.repeats // 3), max(5, args.steps // 5))


if __name__ == "__main__":
    main()
