"""`lstm`: a whole LSTM recurrence as one op, backpropagated through time at once.

Mirrors: keras/src/backend/tensorflow/rnn.py `lstm` (Keras 3's fused path,
cuDNN there); tensorflow/python/ops/rnn.py. Stand-in, not Keras code.

`LSTMCell.call` writes one step as the paper does, each product and gate a
recorded op. Run over a sequence, that is some twenty recorded ops a step,
and every step's slice of the inputs and gates sends a full-size gradient
array back. Keras 3 gives its backends a seam for a faster kernel
(`backend.lstm`, which TensorFlow fills with cuDNN); this module fills it for
numpy: the forward pass keeps each step's gates, and the backward pass walks
the steps once in reverse, writing each step's gradient into one
preallocated array. The matrix products of the kernel and of its gradient
run once for all steps.

The op has several outputs, but the tape records single-output ops. So the
sequence of outputs is recorded as the op's output, with the vjps of every
input; the last output and the final states are recorded after it as
outputs of that sequence whose vjps only hand their gradient over (and send
it an all-zero, zero-stride array). The tape walks its records newest first,
so the sequence's vjps run after they have: one backward pass serves them
all.
"""

from typing import Any

import numpy as np

from backend.ops.core import record, value_of


def lstm(
    inputs: Any,
    initial_state_h: Any,
    initial_state_c: Any,
    mask: Any,
    kernel: Any,
    recurrent_kernel: Any,
    bias: Any,
    return_sequences: bool = False,
    go_backwards: bool = False,
    zero_output_for_mask: bool = False,
) -> tuple:
    """Run an LSTM (tanh and sigmoid) over `inputs`: one op, one backward pass.

    For each step `t` (from the end with `go_backwards`), with the gates
    side by side in `kernel`'s columns in the order i, f, c, o:

        z = x_t kernel + h recurrent_kernel + bias
        i, f, o = sigmoid(z_i), sigmoid(z_f), sigmoid(z_o)     g = tanh(z_c)
        c_new = f * c + i * g        h_new = o * tanh(c_new)

    Where `mask[:, t]` is False the step is skipped, as `RNN` skips it: `h`
    and `c` keep their values, and the output repeats the previous output
    (zeros at the first step, or always with `zero_output_for_mask`).

    Simplified from Keras 3's `backend.lstm`: the activations are always
    tanh and sigmoid (the caller checks the layer's; Keras passes them to be
    checked here), any mask works (not only right-padded ones), inputs are
    batch-major, and nothing is unrolled.

    Args:
        inputs: `(batch, timesteps, features)` float tensor.
        initial_state_h: `(batch, units)`, the output state before step 0.
        initial_state_c: `(batch, units)`, the carry before step 0.
        mask: None, or a boolean `(batch, timesteps)` array of steps to run.
        kernel: `(features, 4 * units)`.
        recurrent_kernel: `(units, 4 * units)`.
        bias: `(4 * units,)`, or None.
        return_sequences: Unused, accepted as Keras's signature has it: the
            sequence is always returned (it costs no extra work).
        go_backwards: Walk the steps from the last; `outputs` is then in
            that (reversed) order, as `RNN` returns it.
        zero_output_for_mask: Output zeros at masked steps.

    Returns:
        `(last_output, outputs, [h, c])` as Keras's backends return them:
        the last step's output `(batch, units)`, every step's output
        `(batch, timesteps, units)` in the order walked, and the final states.
        All are differentiable with respect to every tensor argument.
    """
    del return_sequences  # the sequence exists anyway: it is the op's output
    w, u = value_of(kernel), value_of(recurrent_kernel)
    batch, steps, features = np.shape(value_of(inputs))
    units = u.shape[0]
    # Time-major and in the order walked, so each step reads and writes
    # contiguous rows: step k is row k of every array below.
    walk = slice(None, None, -1 if go_backwards else 1)
    x = np.ascontiguousarray(value_of(inputs).transpose(1, 0, 2)[walk])
    dtype = x.dtype
    keep = None
    if mask is not None:
        keep = np.asarray(value_of(mask), dtype=bool).T[walk, :, None]

    # sigmoid(z) = (1 + tanh(z / 2)) / 2: one tanh for all four gates, and no
    # exp that could overflow. `half` scales z before it, `shift` after.
    half = np.array([0.5, 0.5, 1.0, 0.5], dtype).repeat(units)
    shift = np.array([0.5, 0.5, 0.0, 0.5], dtype).repeat(units)
    # All steps' input projections in one product; each step adds its own.
    gates = (x.reshape(steps * batch, features) @ w).reshape(steps, batch, -1)
    if bias is not None:
        gates += value_of(bias)
    # States before step k at row k, after the last step at row `steps`.
    h = np.empty((steps + 1, batch, units), dtype)
    c = np.empty((steps + 1, batch, units), dtype)
    h[0], c[0] = value_of(initial_state_h), value_of(initial_state_c)
    tanh_c = np.empty((steps, batch, units), dtype)
    outputs = h[1:] if keep is None else np.empty((steps, batch, units), dtype)
    for k in range(steps):
        a = gates[k]  # z, then the gates i, f, g, o in place
        a += h[k] @ u
        a *= half
        np.tanh(a, out=a)
        a *= half
        a += shift
        i, f, g, o = (a[:, n * units : (n + 1) * units] for n in range(4))
        c_new = f * c[k]
        c_new += i * g
        np.tanh(c_new, out=tanh_c[k])
        h_new = o * tanh_c[k]
        if keep is None:
            h[k + 1], c[k + 1] = h_new, c_new
        else:
            np.copyto(h[k + 1], np.where(keep[k], h_new, h[k]))
            np.copyto(c[k + 1], np.where(keep[k], c_new, c[k]))
            previous = 0.0 if zero_output_for_mask or k == 0 else outputs[k - 1]
            np.copyto(outputs[k], np.where(keep[k], h_new, previous))

    # What the last output's and final states' vjps send the sequence.
    no_gradient = np.broadcast_to(np.zeros((), dtype), (batch, steps, units))
    handed_over: dict = {}  # gradients of the last output and final states
    cache: list = [None, None]  # (sequence gradient, what the vjps share)

    def backward(d_outputs):
        """Backpropagate through time once: the gates' gradients of every
        step (time-major) and the initial states' gradients."""
        if cache[0] is d_outputs:
            return cache[1]

        def handed(name):
            return np.zeros((batch, units), dtype) + handed_over.pop(name, 0.0)

        d_h, d_c, d_carried = handed("h"), handed("c"), handed("last")
        if keep is None:  # the last output is the final `h`
            d_h += d_carried
        any_output = d_outputs is not no_gradient
        # The activations' slopes for all steps at once: s (1 - s) for the
        # sigmoid gates, 1 - g^2 for the tanh candidate, and tanh(c)'s.
        slope = gates * (1 - gates)
        candidate = gates[:, :, 2 * units : 3 * units]
        slope[:, :, 2 * units : 3 * units] = 1 - candidate * candidate
        tanh_c_slope = 1 - tanh_c * tanh_c
        d_z = np.empty_like(gates)
        for k in range(steps - 1, -1, -1):
            d_out = d_outputs[:, k] if any_output else 0.0
            if keep is None:
                d_h_new, d_c_new = d_h + d_out, d_c
            else:
                # A skipped step passes the gradients of h, c and the
                # output through to the step before; a run step takes them.
                d_out = d_out + d_carried
                d_h_new = np.where(keep[k], d_h + d_out, 0.0)
                d_c_new = np.where(keep[k], d_c, 0.0)
                d_carried = np.where(keep[k] | zero_output_for_mask, 0.0, d_out)
                d_h = np.where(keep[k], 0.0, d_h)
                d_c = np.where(keep[k], 0.0, d_c)
            a = gates[k]
            i, f, g, o = (a[:, n * units : (n + 1) * units] for n in range(4))
            d_c_new = d_c_new + d_h_new * o * tanh_c_slope[k]
            # dL/d(gate) for i, f, g, o, then through each gate's activation.
            dz = d_z[k]
            np.multiply(d_c_new, g, out=dz[:, :units])
            np.multiply(d_c_new, c[k], out=dz[:, units : 2 * units])
            np.multiply(d_c_new, i, out=dz[:, 2 * units : 3 * units])
            np.multiply(d_h_new, tanh_c[k], out=dz[:, 3 * units :])
            dz *= slope[k]
            if keep is None:
                d_h = dz @ u.T
                d_c = d_c_new * f
            else:
                d_h += dz @ u.T
                d_c += d_c_new * f
        cache[:] = [d_outputs, (d_z.reshape(steps * batch, -1), d_h, d_c)]
        return cache[1]

    def inputs_vjp(g):
        d_x = (backward(g)[0] @ w.T).reshape(steps, batch, features)
        return d_x[walk].transpose(1, 0, 2)

    def kernel_vjp(g):
        return x.reshape(steps * batch, features).T @ backward(g)[0]

    def recurrent_vjp(g):
        return h[:-1].reshape(steps * batch, units).T @ backward(g)[0]

    parents = [
        (inputs, inputs_vjp),
        (initial_state_h, lambda g: backward(g)[1]),
        (initial_state_c, lambda g: backward(g)[2]),
        (kernel, kernel_vjp),
        (recurrent_kernel, recurrent_vjp),
    ]
    if bias is not None:
        parents.append((bias, lambda g: backward(g)[0].sum(axis=0)))
    sequence = record(outputs.transpose(1, 0, 2), *parents)

    def hand_over(name):
        def vjp(g):
            previous = handed_over.get(name)
            handed_over[name] = g if previous is None else previous + g
            return no_gradient

        return vjp

    last_output = record(outputs[-1].copy(), (sequence, hand_over("last")))
    final_h = record(h[-1].copy(), (sequence, hand_over("h")))
    final_c = record(c[-1].copy(), (sequence, hand_over("c")))
    return last_output, sequence, [final_h, final_c]
