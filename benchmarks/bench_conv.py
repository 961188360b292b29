"""How much do nanokeras's conv and pooling ops cost over hand-written numpy?

Run from the repository root:

    .venv/bin/python benchmarks/bench_conv.py [--batch 128] [--repeats 10]

Both sides compute the same small convnet on MNIST-sized inputs,
`conv(32, 3x3) + bias -> max_pool(2) -> conv(64, 3x3) + bias -> max_pool(2)`,
forward and backward (gradients of the sum of the outputs with respect to the
two kernels and two biases). nanokeras runs the ops under a `GradientTape`;
the baseline is the im2col + GEMM code one would write by hand (col2im by
one GEMM per kernel tap, as nanokeras does), with the 2x2 pooling done by
reshaping. The ratio printed last is the price of the
framework (target: at most 1.3).
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import nanokeras as keras  # noqa: E402
from nanokeras import ops  # noqa: E402


def nanokeras_step(x, weights):
    kernel1, bias1, kernel2, bias2 = weights
    with keras.GradientTape() as tape:
        h = ops.max_pool(ops.conv(x, kernel1) + bias1, 2)
        y = ops.max_pool(ops.conv(h, kernel2) + bias2, 2)
        loss = ops.sum(y)
    return [g.numpy() for g in tape.gradient(loss, list(weights))]


# --- The hand-written baseline ---


def conv_forward(x, kernel):
    kh, kw, cin, cout = kernel.shape
    windows = sliding_window_view(x, (kh, kw), axis=(1, 2))  # (b, oh, ow, c, kh, kw)
    b, oh, ow = windows.shape[:3]
    columns = windows.transpose(0, 1, 2, 4, 5, 3).reshape(b * oh * ow, kh * kw * cin)
    out = columns @ kernel.reshape(-1, cout)
    return out.reshape(b, oh, ow, cout), columns


def conv_backward_input(g, kernel, input_shape):
    # col2im, one small GEMM per kernel tap (the faster of the usual two ways).
    kh, kw, cin, cout = kernel.shape
    b, oh, ow, _ = g.shape
    rows = g.reshape(-1, cout)
    product = np.empty((rows.shape[0], cin), g.dtype)
    grad = np.zeros(input_shape, g.dtype)
    for i in range(kh):
        for j in range(kw):
            np.matmul(rows, kernel[i, j].T, out=product)
            grad[:, i : i + oh, j : j + ow] += product.reshape(b, oh, ow, cin)
    return grad


def pool_forward(x):
    b, h, w, c = x.shape
    h2, w2 = h // 2, w // 2
    return x[:, : 2 * h2, : 2 * w2].reshape(b, h2, 2, w2, 2, c).max(axis=(2, 4))


def pool_backward(g, x, pooled):
    b, h, w, c = x.shape
    h2, w2 = pooled.shape[1:3]
    blocks = x[:, : 2 * h2, : 2 * w2].reshape(b, h2, 2, w2, 2, c)
    mask = blocks == pooled[:, :, None, :, None]
    grad = np.zeros_like(x)
    grad[:, : 2 * h2, : 2 * w2] = (mask * g[:, :, None, :, None]).reshape(
        b, 2 * h2, 2 * w2, c
    )
    return grad


def numpy_step(x, weights):
    kernel1, bias1, kernel2, bias2 = weights
    a1, columns1 = conv_forward(x, kernel1)
    a1 += bias1
    h = pool_forward(a1)
    a2, columns2 = conv_forward(h, kernel2)
    a2 += bias2
    y = pool_forward(a2)
    g_a2 = pool_backward(np.ones_like(y), a2, y)
    grad_kernel2 = (columns2.T @ g_a2.reshape(-1, g_a2.shape[-1])).reshape(
        kernel2.shape
    )
    grad_bias2 = g_a2.sum(axis=(0, 1, 2))
    g_h = conv_backward_input(g_a2, kernel2, h.shape)
    g_a1 = pool_backward(g_h, a1, h)
    grad_kernel1 = (columns1.T @ g_a1.reshape(-1, g_a1.shape[-1])).reshape(
        kernel1.shape
    )
    grad_bias1 = g_a1.sum(axis=(0, 1, 2))
    return [grad_kernel1, grad_bias1, grad_kernel2, grad_bias2]


def interleaved_times(steps, repeats):
    """Best wall-clock and best CPU seconds of each `step()`, run in turns so
    that a busy machine slows every contestant alike. CPU time (all threads)
    is the steadier figure when other processes share the cores."""
    for step in steps:
        step()  # warm up (allocator, BLAS threads)
    wall = [[] for _ in steps]
    cpu = [[] for _ in steps]
    for _ in range(repeats):
        for index, step in enumerate(steps):
            start, start_cpu = time.perf_counter(), time.process_time()
            step()
            wall[index].append(time.perf_counter() - start)
            cpu[index].append(time.process_time() - start_cpu)
    return [(min(w), min(c)) for w, c in zip(wall, cpu)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    x = rng.standard_normal((args.batch, 28, 28, 1)).astype("float32")
    arrays = [
        rng.standard_normal(shape).astype("float32") * 0.1
        for shape in [(3, 3, 1, 32), (32,), (3, 3, 32, 64), (64,)]
    ]
    variables = [keras.Variable(a) for a in arrays]

    # Same gradients first, or the timing comparison means nothing.
    for ours, theirs in zip(nanokeras_step(x, variables), numpy_step(x, arrays)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-3, atol=1e-3)

    (numpy_wall, numpy_cpu), (ours_wall, ours_cpu) = interleaved_times(
        [lambda: numpy_step(x, arrays), lambda: nanokeras_step(x, variables)],
        args.repeats,
    )
    print(f"batch {args.batch}, 28x28x1, forward + backward, best of {args.repeats}")
    print("                 wall ms   cpu ms")
    print(f"  numpy im2col : {numpy_wall * 1e3:7.1f}  {numpy_cpu * 1e3:7.1f}")
    print(f"  nanokeras    : {ours_wall * 1e3:7.1f}  {ours_cpu * 1e3:7.1f}")
    print(
        f"  ratio        : {ours_wall / numpy_wall:7.2f}  {ours_cpu / numpy_cpu:7.2f}"
        "  (target <= 1.3)"
    )


if __name__ == "__main__":
    main()
