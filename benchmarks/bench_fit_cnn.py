"""What does `fit` cost over a hand-written numpy convnet training loop?

Run from the repository root:

    .venv/bin/python benchmarks/bench_fit_cnn.py [--repeats 5] [--samples 3840]

The model is a small MNIST-style convnet,

    Sequential([Input((28, 28, 1)), Conv2D(32, 3, activation="relu"),
                MaxPooling2D(), Conv2D(64, 3, activation="relu"),
                MaxPooling2D(), Flatten(), Dense(10)])

trained by `model.fit` (batch 128, Adam, sparse categorical crossentropy from
logits) on synthetic 28x28x1 images, against a numpy loop doing the same
maths by hand: im2col + GEMM convolutions, col2im by one GEMM per kernel tap,
2x2 pooling by reshaping (`bench_conv.py`'s baseline), the softmax
cross-entropy gradient written out, and the in-place Adam and the
shuffle-and-slice epoch of `bench_fit.py`'s `NumpyMLP`.

Before timing, the script checks that both sides compute the same loss and
gradients for the same weights, and the same weights after one Adam step:
otherwise the ratio would compare different work. The two then run
interleaved in the same process, so machine load hits both alike; the script
prints the best and the median of the repeats and their ratio (target: <=
1.3x). The tiny-model step and one-sample `predict` figures are in
`bench_fit.py`.

As in `bench_fit.py`, BLAS runs single-threaded unless `OPENBLAS_NUM_THREADS`
is set, and times are this thread's CPU time (`--clock wall` for elapsed
time), so other processes on the shared machine do not inflate either side.
With `--keras`, Keras 3 on JAX trains the same model in a subprocess, for
reference (process CPU time, all of XLA's threads).
"""

import os
import sys
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy loads BLAS

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_conv import (  # noqa: E402
    conv_backward_input,
    conv_forward,
    pool_backward,
    pool_forward,
)
from bench_fit import (  # noqa: E402
    BATCH,
    KERAS_FIT_EPOCHS,
    KERAS_PREAMBLE,
    NumpyMLP,
    benchmark_arguments,
    compare_epochs,
    compiled,
    run_keras_script,
    softmax_crossentropy,
    use_clock,
)

import nanokeras as keras  # noqa: E402

CLASSES = 10


def build_cnn(seed: int = 0):
    keras.utils.clear_session()
    keras.utils.set_random_seed(seed)  # same initial weights in every run
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(CLASSES),
        ]
    )


def digits_like(samples: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.random((samples, 28, 28, 1), dtype="float32")
    y = rng.integers(0, CLASSES, samples)
    return x, y


class NumpyCNN(NumpyMLP):
    """The baseline: the same convnet's forward and backward written by hand
    (Adam, the epoch loop and the weights' order come from `NumpyMLP`)."""

    def gradients(self, x: np.ndarray, labels: np.ndarray):
        kernel1, bias1, kernel2, bias2, weights, bias = self.params
        a1, columns1 = conv_forward(x, kernel1)
        a1 += bias1
        np.maximum(a1, 0, out=a1)
        h1 = pool_forward(a1)
        a2, columns2 = conv_forward(h1, kernel2)
        a2 += bias2
        np.maximum(a2, 0, out=a2)
        h2 = pool_forward(a2)
        flat = h2.reshape(len(x), -1)
        loss, g = softmax_crossentropy(flat @ weights + bias, labels)
        grad_weights, grad_bias = flat.T @ g, g.sum(axis=0)
        g_a2 = pool_backward((g @ weights.T).reshape(h2.shape), a2, h2)
        g_a2 *= a2 > 0  # relu: a2 is already rectified, a2 > 0 iff z > 0
        grad_kernel2 = (columns2.T @ g_a2.reshape(-1, kernel2.shape[-1])).reshape(
            kernel2.shape
        )
        grad_bias2 = g_a2.sum(axis=(0, 1, 2))
        g_a1 = pool_backward(conv_backward_input(g_a2, kernel2, h1.shape), a1, h1)
        g_a1 *= a1 > 0
        grad_kernel1 = (columns1.T @ g_a1.reshape(-1, kernel1.shape[-1])).reshape(
            kernel1.shape
        )
        grad_bias1 = g_a1.sum(axis=(0, 1, 2))
        grads = [grad_kernel1, grad_bias1, grad_kernel2, grad_bias2]
        return loss, grads + [grad_weights, grad_bias]

    def step(self, x: np.ndarray, labels: np.ndarray) -> float:
        loss, grads = self.gradients(x, labels)
        self.adam(grads)
        return loss


def check_same_maths(model, baseline: NumpyCNN, x, y) -> None:
    """Same loss and gradients for the same weights, then the same weights
    after one `fit` step and one baseline step on the same batch."""
    x, y = x[:BATCH], y[:BATCH]
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    with keras.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    grads = tape.gradient(loss, model.trainable_variables)
    numpy_loss, numpy_grads = baseline.gradients(x, y)
    np.testing.assert_allclose(float(loss), numpy_loss, rtol=1e-5)
    for ours, theirs in zip(grads, numpy_grads):
        np.testing.assert_allclose(np.asarray(ours), theirs, rtol=1e-3, atol=1e-6)
    model.fit(x, y, batch_size=BATCH, shuffle=False, verbose=0)
    baseline.step(x, y)
    for ours, theirs in zip(model.get_weights(), baseline.params):
        np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-6)
    print(f"Same maths: loss {numpy_loss:.6f}, 6 gradients and one Adam step agree")


def bench_cnn(repeats: int, samples: int) -> None:
    x, y = digits_like(samples)
    model = compiled(build_cnn())
    model.build((None, 28, 28, 1))
    baseline = NumpyCNN(model.get_weights())
    check_same_maths(model, baseline, x, y)
    print(
        "CNN Conv2D(32,3)-MaxPool-Conv2D(64,3)-MaxPool-Flatten-Dense(10), Adam, "
        f"batch {BATCH}, {samples:,} samples, per epoch ({repeats} repeats):"
    )
    compare_epochs(model, baseline, x, y, repeats, "numpy im2col loop", 1.3)


KERAS_SCRIPT = (
    KERAS_PREAMBLE
    + """
x = rng.random(({samples}, 28, 28, 1), dtype="float32")
y = rng.integers(0, 10, {samples})
L = keras.layers
model = keras.Sequential([keras.Input((28, 28, 1)), L.Conv2D(32, 3, activation="relu"),
    L.MaxPooling2D(), L.Conv2D(64, 3, activation="relu"), L.MaxPooling2D(),
    L.Flatten(), L.Dense(10)])
"""
    + KERAS_FIT_EPOCHS
)


def bench_keras(repeats: int, samples: int, backend: str = "jax") -> None:
    print(f"Real Keras 3 on {backend} (same model and data, separate process):")
    run_keras_script(KERAS_SCRIPT.format(repeats=repeats, samples=samples), backend)


def main() -> None:
    parser = benchmark_arguments(__doc__.splitlines()[0], repeats=5)
    parser.add_argument("--samples", type=int, default=3840)
    args = parser.parse_args()
    use_clock(args.clock)
    print(f"Clock: {args.clock} time; load average {os.getloadavg()[0]:.1f}")
    bench_cnn(args.repeats, args.samples)
    if args.keras:
        bench_keras(args.repeats, args.samples)


if __name__ == "__main__":
    main()
