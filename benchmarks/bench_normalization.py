"""What do `BatchNormalization` and `LayerNormalization` cost over hand-written numpy?

Run from the repository root:

    .venv/bin/python benchmarks/bench_normalization.py [--repeats 30]

Each measurement is one training step of the layer alone: the forward pass
under a `GradientTape` and the gradients for the input, `gamma` and `beta`,
against the same maths written directly in numpy (forward, moving-statistics
update for BatchNormalization, and the closed-form backward pass). Printed as
milliseconds per step and as a ratio (ours / numpy); on a busy machine run it
twice and keep the lower numbers.
"""

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_layer_call import per_call  # noqa: E402

import nanokeras as keras  # noqa: E402

SHAPES = [(256, 64), (32, 16, 16, 32)]


def layer_step(layer, x: np.ndarray, **call_kwargs):
    tensor = keras.ops.convert_to_tensor(x)
    layer(tensor)  # build

    def step():
        with keras.GradientTape() as tape:
            tape.watch(tensor)
            outputs = layer(tensor, **call_kwargs)
        return tape.gradient(outputs, [tensor] + layer.trainable_weights)

    return step


def numpy_batch_norm_step(x: np.ndarray):
    """Batch statistics per feature (last axis), moving update, backward of ones."""
    axes = tuple(range(x.ndim - 1))
    features = x.shape[-1]
    gamma, beta = np.ones(features, "float32"), np.zeros(features, "float32")
    moving_mean = np.zeros(features, "float32")
    moving_variance = np.ones(features, "float32")
    count = x.size // features

    def step():
        mean = x.mean(axis=axes)
        xhat = x - mean
        variance = np.square(xhat).mean(axis=axes)
        inv = 1.0 / np.sqrt(variance + 1e-3)
        xhat *= inv
        outputs = xhat * gamma + beta
        moving_mean[:] = moving_mean * 0.99 + mean * 0.01
        moving_variance[:] = moving_variance * 0.99 + variance * 0.01
        g = np.ones_like(outputs)
        d_beta = g.sum(axis=axes)
        d_gamma = (g * xhat).sum(axis=axes)
        d_x = gamma * inv / count * (count * g - d_beta - xhat * d_gamma)
        return d_x, d_gamma, d_beta

    return step


def numpy_layer_norm_step(x: np.ndarray):
    """Per-sample statistics over the last axis, backward of a gradient of ones."""
    features = x.shape[-1]
    gamma, beta = np.ones(features, "float32"), np.zeros(features, "float32")
    batch_axes = tuple(range(x.ndim - 1))

    def step():
        mean = x.mean(axis=-1, keepdims=True)
        xhat = x - mean
        inv = 1.0 / np.sqrt(np.square(xhat).mean(axis=-1, keepdims=True) + 1e-3)
        xhat *= inv
        outputs = xhat * gamma + beta
        g = np.ones_like(outputs)
        d_beta = g.sum(axis=batch_axes)
        d_gamma = (g * xhat).sum(axis=batch_axes)
        g_hat = g * gamma
        d_x = inv * (
            g_hat
            - g_hat.mean(axis=-1, keepdims=True)
            - xhat * (g_hat * xhat).mean(axis=-1, keepdims=True)
        )
        return d_x, d_gamma, d_beta

    return step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    for shape in SHAPES:
        x = rng.normal(size=shape).astype("float32")
        cases = [
            (
                "BatchNormalization",
                layer_step(keras.layers.BatchNormalization(), x, training=True),
                numpy_batch_norm_step(x),
            ),
            (
                "LayerNormalization",
                layer_step(keras.layers.LayerNormalization(), x),
                numpy_layer_norm_step(x),
            ),
        ]
        for name, ours, reference in cases:
            mine = per_call(ours, args.repeats)
            theirs = per_call(reference, args.repeats)
            print(
                f"{name:<19} {str(shape):<16} ours {mine * 1e3:7.3f} ms   "
                f"numpy {theirs * 1e3:7.3f} ms   ratio {mine / theirs:5.2f}"
            )


if __name__ == "__main__":
    main()
