"""What does `Layer.__call__` add over calling the ops directly?

Run from the repository root:

    .venv/bin/python benchmarks/bench_layer_call.py [--repeats 2000]

Three measurements, each as time per call and as a ratio:

1. A built `Dense(64)` on a `(32, 64)` float32 tensor, against the same
   `ops.matmul` + `ops.add` written by hand: the per-call price of the
   lifecycle (input check, build check, `training` resolution, call context).
2. The same with a tiny `(1, 4)` input, where the maths costs almost nothing
   and the overhead is what remains (printed in microseconds).
3. A 3-layer functional model against calling its three layers in a row:
   the price of running the graph (node walk, tensor bookkeeping).
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import nanokeras as keras  # noqa: E402
from nanokeras import ops  # noqa: E402


def per_call(function, repeats: int) -> float:
    """Seconds per call of `function()`: the best of 5 runs of `repeats` calls."""
    function()  # warm up (and build)
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(repeats):
            function()
        best = min(best, (time.perf_counter() - start) / repeats)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2000)
    repeats = parser.parse_args().repeats

    for batch, width in ((32, 64), (1, 4)):
        x = keras.Tensor(np.random.rand(batch, width).astype("float32"))
        layer = keras.layers.Dense(64)
        layer(x)
        kernel, bias = layer.kernel, layer.bias
        framework = per_call(lambda layer=layer, x=x: layer(x), repeats)
        by_hand = per_call(
            lambda x=x, w=kernel, b=bias: ops.add(ops.matmul(x, w), b), repeats
        )
        print(
            f"Dense(64) on {(batch, width)}: layer {framework * 1e6:7.1f} us, "
            f"ops by hand {by_hand * 1e6:7.1f} us, overhead "
            f"{(framework - by_hand) * 1e6:5.1f} us, ratio {framework / by_hand:.2f}"
        )

    inputs = keras.Input(shape=(64,))
    stack = [keras.layers.Dense(64), keras.layers.Dense(64), keras.layers.Dense(10)]
    outputs = inputs
    for layer in stack:
        outputs = layer(outputs)
    model = keras.Model(inputs, outputs)
    x = keras.Tensor(np.random.rand(32, 64).astype("float32"))

    def layers_in_a_row():
        y = x
        for layer in stack:
            y = layer(y)
        return y

    graph = per_call(lambda: model(x), repeats)
    row = per_call(layers_in_a_row, repeats)
    print(
        f"3-layer functional model on (32, 64): model {graph * 1e6:7.1f} us, "
        f"layers in a row {row * 1e6:7.1f} us, ratio {graph / row:.2f}"
    )


if __name__ == "__main__":
    main()
