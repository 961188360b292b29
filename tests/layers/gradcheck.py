"""Finite-difference gradient checks for layers, shared by the layer tests.

Import as `from tests.layers.gradcheck import check_layer_gradients`.

The loss is `sum(outputs * probe)` with a fixed random `probe`, so every
output element gets a different weight in the loss and a gradient that only
got the sum right would still fail. Central differences in float64 with a
step of 1e-6 agree with an exact gradient to about 1e-9 relative error, well
inside the 1e-6 the tests demand.
"""

from typing import Any, Callable

import numpy as np

import nanokeras as keras


def _flat_outputs(outputs: Any) -> list:
    if isinstance(outputs, (list, tuple)):
        return list(outputs)
    return [outputs]


def _loss_value(outputs: Any, probes: list) -> float:
    return float(
        sum(np.sum(np.asarray(out) * probe) for out, probe in zip(outputs, probes))
    )


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """`max|a - n| / max(1, max|n|)`: relative for large gradients, absolute near 0."""
    scale = max(1.0, float(np.max(np.abs(numeric), initial=0.0)))
    return float(np.max(np.abs(analytic - numeric), initial=0.0)) / scale


def check_layer_gradients(
    layer: Any,
    inputs: Any,
    call: Callable | None = None,
    step: float = 1e-6,
    tolerance: float = 1e-6,
    check_inputs: bool = True,
    seed: int = 0,
) -> None:
    """Assert tape gradients of `layer` match central differences in float64.

    Args:
        layer: A layer built (or buildable) with `dtype="float64"`.
        inputs: One array, or a list of them (a merge layer). Float arrays
            are checked in float64; integer arrays are passed as they are.
        call: How to call the layer on tensors; defaults to `layer(x)`.
        step: Finite-difference step.
        tolerance: Largest accepted `relative_error`.
        check_inputs: Also check the gradient with respect to each input.
        seed: Seed of the random probe.
    """
    call = call or (lambda x: layer(x))
    many = isinstance(inputs, (list, tuple))
    # Float data is checked in float64; integer data (ids) keeps its dtype.
    arrays = [
        np.array(x) if np.asarray(x).dtype.kind in "iub" else np.array(x, "float64")
        for x in (inputs if many else [inputs])
    ]

    def run(values: list) -> list:
        tensors = [keras.ops.convert_to_tensor(v) for v in values]
        return _flat_outputs(call(tensors if many else tensors[0]))

    outputs = run(arrays)  # builds the layer
    rng = np.random.default_rng(seed)
    probes = [rng.normal(size=np.shape(out)) for out in outputs]

    tensors = [keras.ops.convert_to_tensor(v) for v in arrays]
    weights = list(layer.trainable_weights)
    with keras.GradientTape() as tape:
        tape.watch(tensors)
        outs = _flat_outputs(call(tensors if many else tensors[0]))
        loss = sum(
            keras.ops.sum(out * keras.ops.convert_to_tensor(probe))
            for out, probe in zip(outs, probes)
        )
    grads = tape.gradient(loss, tensors + weights)

    def numeric_for(get: Callable, put: Callable, shape: tuple) -> np.ndarray:
        numeric = np.zeros(shape)
        for index in np.ndindex(*shape):
            original = get(index)
            put(index, original + step)
            plus = _loss_value(run(arrays), probes)
            put(index, original - step)
            minus = _loss_value(run(arrays), probes)
            put(index, original)
            numeric[index] = (plus - minus) / (2 * step)
        return numeric

    targets = []
    if check_inputs:
        for i, array in enumerate(arrays):
            if array.dtype.kind == "f":
                targets.append((f"input {i}", array, grads[i]))
    for weight, grad in zip(weights, grads[len(tensors) :]):
        targets.append((weight.name, weight, grad))
    assert targets, "nothing to check: no inputs and no trainable weights"
    for name, target, grad in targets:
        if isinstance(target, np.ndarray):
            get = target.__getitem__
            put = target.__setitem__
        else:

            def get(index, w=target):
                return float(w.numpy()[index])

            def put(index, value, w=target):
                current = w.numpy()
                current[index] = value
                w.assign(current)

        numeric = numeric_for(get, put, tuple(np.shape(target)))
        analytic = np.zeros(np.shape(target)) if grad is None else np.asarray(grad)
        error = relative_error(analytic, numeric)
        assert error < tolerance, (
            f"gradient of {name} of layer {layer.name}: relative error {error:.2e}"
        )
