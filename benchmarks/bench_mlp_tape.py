"""How much does the tape cost? An MLP step through `GradientTape` vs raw numpy.

Run from the repository root:

    .venv/bin/python benchmarks/bench_mlp_tape.py [--repeats 30] [--steps 10]

Both sides compute the same float32 maths for a 784-256-128-10 MLP on a batch
of 128: forward (`x @ W + b`, relu, relu, softmax cross-entropy) and the
gradients of the mean loss with respect to all six weights. The numpy side is
what one would write by hand (fused softmax-cross-entropy gradient, no x
gradient); the tape side is ordinary nanokeras code. They run interleaved, in
the same process, so machine load hits both alike; the script prints the
median and the best of the repeats and their ratio (tape / numpy). The
matrix multiplies are the real work, so a ratio close to 1 means the framework
adds only a small constant per op.

On a busy machine, multi-threaded BLAS makes wall times swing wildly (its
threads wait for busy cores). For steady numbers there, use one BLAS thread
and count this thread's CPU time instead of wall time:

    OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/bench_mlp_tape.py --clock cpu
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import nanokeras as nk  # noqa: E402
from nanokeras import ops  # noqa: E402

SIZES = (784, 256, 128, 10)
BATCH = 128


def make_problem(seed: int = 0):
    rng = np.random.default_rng(seed)
    params = []
    for fan_in, fan_out in zip(SIZES[:-1], SIZES[1:]):
        limit = np.sqrt(6 / (fan_in + fan_out))
        params.append(rng.uniform(-limit, limit, (fan_in, fan_out)).astype("float32"))
        params.append(np.zeros(fan_out, dtype="float32"))
    x = rng.standard_normal((BATCH, SIZES[0])).astype("float32")
    labels = rng.integers(0, SIZES[-1], BATCH)
    one_hot = np.eye(SIZES[-1], dtype="float32")[labels]
    return params, x, one_hot


def numpy_step(params, x, one_hot):
    """Forward and backward written by hand: the baseline."""
    w1, b1, w2, b2, w3, b3 = params
    z1 = x @ w1 + b1
    h1 = np.maximum(z1, 0)
    z2 = h1 @ w2 + b2
    h2 = np.maximum(z2, 0)
    logits = h2 @ w3 + b3
    shifted = logits - logits.max(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    loss = -(one_hot * log_probs).sum(axis=-1).mean()
    # d(loss)/d(logits) of mean softmax cross-entropy: (softmax - labels) / batch.
    g = (np.exp(log_probs) - one_hot) / len(x)
    grad_w3, grad_b3 = h2.T @ g, g.sum(axis=0)
    g = (g @ w3.T) * (z2 > 0)
    grad_w2, grad_b2 = h1.T @ g, g.sum(axis=0)
    g = (g @ w2.T) * (z1 > 0)
    grad_w1, grad_b1 = x.T @ g, g.sum(axis=0)
    return loss, [grad_w1, grad_b1, grad_w2, grad_b2, grad_w3, grad_b3]


def tape_step(variables, x, one_hot):
    """The same maths as ordinary nanokeras code, differentiated by the tape."""
    w1, b1, w2, b2, w3, b3 = variables
    with nk.GradientTape() as tape:
        h1 = ops.relu(ops.matmul(x, w1) + b1)
        h2 = ops.relu(ops.matmul(h1, w2) + b2)
        logits = ops.matmul(h2, w3) + b3
        loss = -ops.mean(ops.sum(one_hot * ops.log_softmax(logits), axis=-1))
    return loss, tape.gradient(loss, variables)


def check_same_results(params, variables, x, one_hot) -> None:
    loss, grads = numpy_step(params, x, one_hot)
    tape_loss, tape_grads = tape_step(variables, x, one_hot)
    np.testing.assert_allclose(float(tape_loss), loss, rtol=1e-5)
    for grad, tape_grad in zip(grads, tape_grads):
        assert tape_grad.dtype == "float32", "the tape must stay in float32"
        np.testing.assert_allclose(tape_grad.numpy(), grad, rtol=1e-4, atol=1e-6)


def time_steps(step, args, steps: int, clock) -> float:
    start = clock()
    for _ in range(steps):
        step(*args)
    return (clock() - start) / steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--steps", type=int, default=10, help="steps per repeat")
    parser.add_argument(
        "--clock",
        choices=["wall", "cpu"],
        default="wall",
        help="wall time, or this thread's CPU time (use with one BLAS thread)",
    )
    options = parser.parse_args()
    clock = time.perf_counter if options.clock == "wall" else time.thread_time

    params, x, one_hot = make_problem()
    variables = [nk.Variable(p, name=f"param_{i}") for i, p in enumerate(params)]
    check_same_results(params, variables, x, one_hot)
    for _ in range(3):  # warm up caches, BLAS threads and allocator
        numpy_step(params, x, one_hot)
        tape_step(variables, x, one_hot)

    numpy_times, tape_times = [], []
    for repeat in range(options.repeats):
        # Alternate which side goes first so neither always follows the other.
        runs = [
            (numpy_times, numpy_step, (params, x, one_hot)),
            (tape_times, tape_step, (variables, x, one_hot)),
        ]
        for times, step, step_args in runs if repeat % 2 == 0 else runs[::-1]:
            times.append(time_steps(step, step_args, options.steps, clock))

    numpy_median, tape_median = np.median(numpy_times), np.median(tape_times)
    numpy_best, tape_best = min(numpy_times), min(tape_times)
    print(
        f"MLP {'-'.join(map(str, SIZES))}, batch {BATCH}, float32, forward + "
        f"backward; {options.repeats} repeats x {options.steps} steps, "
        f"{options.clock} clock"
    )
    for label, median, best in [
        ("raw numpy", numpy_median, numpy_best),
        ("GradientTape", tape_median, tape_best),
    ]:
        print(
            f"  {label:<13} median {median * 1e3:7.3f} ms   best {best * 1e3:7.3f} ms"
        )
    # Each repeat timed both sides back to back: the median of those paired
    # ratios is the figure least disturbed by other work on the machine.
    paired = np.median(np.array(tape_times) / np.array(numpy_times))
    print(
        f"  ratio tape/numpy: median {tape_median / numpy_median:.3f}, "
        f"best {tape_best / numpy_best:.3f}, median of paired repeats {paired:.3f}"
    )


if __name__ == "__main__":
    main()
