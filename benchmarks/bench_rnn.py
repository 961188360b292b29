"""How much do nanokeras's `LSTM` and `GRU` layers cost over hand-written numpy?

Run from the repository root:

    .venv/bin/python benchmarks/bench_rnn.py [--batch 32] [--steps 50] [--repeats 10]

Both sides run one LSTM layer (64 units, 32 input features) over a batch of
sequences (then the same for a GRU, reset gate after the product), forward
and backward through time, and return the gradients of the sum of the last
outputs with respect to the kernel, the recurrent kernel and the bias.
nanokeras calls the layer under a `GradientTape`: the layer runs its
recurrence as one fused op (`backend.ops.rnn.lstm` or `gru`) with one
backward pass through time; the baseline is the loop one writes by hand,
with the input projection of all steps done in one matrix product first.
The ratio is the price of the framework (the matrix products are the same
size on both sides). For comparison, the last line of each times the same
layer with `use_cudnn=False`, which steps its cell (`LSTMCell`, `GRUCell`)
and records each of its ops at every step: the price of per-op recording
and per-step slicing.
"""

import argparse
import os
import sys
import time
from pathlib import Path

# Threaded BLAS swings by 10x on a shared machine; one thread is steady.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import nanokeras as keras  # noqa: E402


def nanokeras_step(layer, x):
    with keras.GradientTape() as tape:
        loss = keras.ops.sum(layer(x))
    return [g.numpy() for g in tape.gradient(loss, layer.trainable_weights)]


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def numpy_lstm_step(x, kernel, recurrent_kernel, bias):
    """Forward and backward of an LSTM (gates i, f, c, o) written by hand."""
    batch, steps, features = x.shape
    units = recurrent_kernel.shape[0]
    projected = (x.reshape(-1, features) @ kernel + bias).reshape(batch, steps, -1)
    h = np.zeros((batch, units), x.dtype)
    c = np.zeros((batch, units), x.dtype)
    cache = []
    for t in range(steps):
        z = projected[:, t] + h @ recurrent_kernel
        i, f = _sigmoid(z[:, :units]), _sigmoid(z[:, units : 2 * units])
        g, o = np.tanh(z[:, 2 * units : 3 * units]), _sigmoid(z[:, 3 * units :])
        c_previous, h_previous = c, h
        c = f * c + i * g
        tanh_c = np.tanh(c)
        h = o * tanh_c
        cache.append((h_previous, c_previous, i, f, g, o, tanh_c))
    grad_projected = np.empty_like(projected)
    grad_recurrent = np.zeros_like(recurrent_kernel)
    dh = np.ones_like(h)  # d(sum of the last output)
    dc = np.zeros_like(c)
    for t in range(steps - 1, -1, -1):
        h_previous, c_previous, i, f, g, o, tanh_c = cache[t]
        do = dh * tanh_c
        dc = dc + dh * o * (1 - tanh_c**2)
        di, df, dg = dc * g, dc * c_previous, dc * i
        dz = np.concatenate(
            [di * i * (1 - i), df * f * (1 - f), dg * (1 - g**2), do * o * (1 - o)],
            axis=1,
        )
        grad_projected[:, t] = dz
        grad_recurrent += h_previous.T @ dz
        dh = dz @ recurrent_kernel.T
        dc = dc * f
    flat = grad_projected.reshape(-1, grad_projected.shape[-1])
    return [x.reshape(-1, features).T @ flat, grad_recurrent, flat.sum(axis=0)]


def numpy_gru_step(x, kernel, recurrent_kernel, bias):
    """Forward and backward of a GRU (gates z, r, h; reset after) written by hand."""
    batch, steps, features = x.shape
    units = recurrent_kernel.shape[0]
    projected = (x.reshape(-1, features) @ kernel + bias[0]).reshape(batch, steps, -1)
    h = np.zeros((batch, units), x.dtype)
    cache = []
    for t in range(steps):
        inner = h @ recurrent_kernel + bias[1]
        zr = _sigmoid(projected[:, t, : 2 * units] + inner[:, : 2 * units])
        z, r = zr[:, :units], zr[:, units:]
        candidate = np.tanh(projected[:, t, 2 * units :] + r * inner[:, 2 * units :])
        cache.append((h, z, r, candidate, inner[:, 2 * units :]))
        h = z * h + (1 - z) * candidate
    grad_projected = np.empty_like(projected)
    grad_inner = np.empty_like(projected)
    grad_recurrent = np.zeros_like(recurrent_kernel)
    dh = np.ones_like(h)  # d(sum of the last output)
    for t in range(steps - 1, -1, -1):
        h_previous, z, r, candidate, inner_h = cache[t]
        da = dh * (1 - z) * (1 - candidate**2)
        dz = dh * (h_previous - candidate) * z * (1 - z)
        dr = da * inner_h * r * (1 - r)
        grad_projected[:, t] = np.concatenate([dz, dr, da], axis=1)
        d_inner = np.concatenate([dz, dr, da * r], axis=1)
        grad_inner[:, t] = d_inner
        grad_recurrent += h_previous.T @ d_inner
        dh = dh * z + d_inner @ recurrent_kernel.T
    flat = grad_projected.reshape(-1, grad_projected.shape[-1])
    flat_inner = grad_inner.reshape(-1, grad_inner.shape[-1])
    grad_bias = np.stack([flat.sum(axis=0), flat_inner.sum(axis=0)])
    return [x.reshape(-1, features).T @ flat, grad_recurrent, grad_bias]


def best_time(function, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        function()
        best = min(best, time.process_time() - start)
    return best


def compare(name: str, numpy_step, x: np.ndarray, args) -> None:
    """Time the layer `name`, its hand-written twin and its stepped cell."""
    layer = getattr(keras.layers, name)(64)
    layer.build(x.shape)
    weights = layer.get_weights()
    # Same gradients on both sides, or the timing means nothing.
    for ours, theirs in zip(nanokeras_step(layer, x), numpy_step(x, *weights)):
        np.testing.assert_allclose(ours, theirs, rtol=2e-3, atol=2e-4)
    stepped_layer = getattr(keras.layers, name)(64, use_cudnn=False)
    stepped_layer.build(x.shape)
    stepped_layer.set_weights(weights)
    framework = best_time(lambda: nanokeras_step(layer, x), args.repeats)
    baseline = best_time(lambda: numpy_step(x, *weights), args.repeats)
    stepped = best_time(lambda: nanokeras_step(stepped_layer, x), args.repeats)
    print(f"{name}(64), batch {args.batch}, {args.steps} steps, forward + backward")
    print(f"  nanokeras  {framework * 1e3:8.2f} ms (best CPU time)")
    print(f"  numpy      {baseline * 1e3:8.2f} ms")
    print(f"  ratio      {framework / baseline:8.2f}")
    print(
        f"  (stepping the cell, use_cudnn=False: {stepped * 1e3:.2f} ms, "
        f"ratio {stepped / baseline:.2f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    x = rng.normal(size=(args.batch, args.steps, 32)).astype("float32")
    compare("LSTM", numpy_lstm_step, x, args)
    compare("GRU", numpy_gru_step, x, args)


if __name__ == "__main__":
    main()
