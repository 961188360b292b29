"""`lstm` and `gru`: a whole recurrence as one op, backpropagated through time at once.

Mirrors: keras/layers/recurrent_v2.py (tf.keras 2.6),
keras/src/backend/tensorflow/rnn.py (Keras 3)

`LSTMCell.call` and `GRUCell.call` write one step as the papers do, each
product and gate a recorded op. Run over a sequence, that is some twenty
recorded ops a step, and every step's slice of the inputs and gates sends a
full-size gradient array back. Keras 3 gives its backends a seam for a
faster kernel (`backend.lstm` and `backend.gru`, which TensorFlow fills
with cuDNN; tf.keras 2.6 chose between `standard_lstm` and `gpu_lstm` in
`lstm_with_backend_selection`). This module fills it for numpy: the forward
pass keeps each step's gates, time-major so every step reads and writes
contiguous rows; the backward pass walks the steps once in reverse, writing
each step's gate gradients into one preallocated array; and the products
with the kernel and their gradients run once for all steps.

The op has several outputs, but the tape records single-output ops. So the
sequence of outputs is recorded as the op's output, with the vjps of every
input; the last output and the final states are recorded after it as
outputs of that sequence whose vjps only hand their gradient over (and send
it an all-zero, zero-stride array). The tape walks its records newest first,
so the sequence's vjps run after they have: one backward pass serves them
all.
"""

from typing import Any, Callable

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
    x, keep, walk = _time_major(inputs, mask, go_backwards)
    w, u = value_of(kernel), value_of(recurrent_kernel)
    steps, batch, features = x.shape
    units, dtype = u.shape[0], x.dtype
    # sigmoid(z) = (1 + tanh(z / 2)) / 2: one tanh for all four gates, and no
    # exp that could overflow. `half` scales z before it, `shift` after.
    half = np.array([0.5, 0.5, 1.0, 0.5], dtype).repeat(units)
    shift = np.array([0.5, 0.5, 0.0, 0.5], dtype).repeat(units)
    # All steps' input projections in one product; each step adds its own.
    gates = (x.reshape(steps * batch, features) @ w).reshape(steps, batch, -1)
    if bias is not None:
        gates += value_of(bias)
    h, c, outputs = _state_rows((initial_state_h, initial_state_c), steps, keep, dtype)
    tanh_c = np.empty((steps, batch, units), dtype)
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
        _advance(k, keep, (o * tanh_c[k], c_new), (h, c), outputs, zero_output_for_mask)

    def backward(d_outputs, handed):
        """Through time once: every step's gate gradients, the first states'."""
        d_states, d_carried = _final_gradients(handed, 2, keep, (batch, units), dtype)
        # The activations' slopes for all steps at once: s (1 - s) for the
        # sigmoid gates, 1 - g^2 for the tanh candidate, and tanh(c)'s.
        slope = gates * (1 - gates)
        candidate = gates[:, :, 2 * units : 3 * units]
        slope[:, :, 2 * units : 3 * units] = 1 - candidate * candidate
        tanh_c_slope = 1 - tanh_c * tanh_c
        d_gates = np.empty_like(gates)
        for k in range(steps - 1, -1, -1):
            d_out = 0.0 if d_outputs is None else d_outputs[:, k]
            (d_h, d_c), passed, d_carried = _step_back(
                k, keep, d_states, d_out, d_carried, zero_output_for_mask
            )
            i, f, g, o = (gates[k, :, n * units : (n + 1) * units] for n in range(4))
            d_c = d_c + d_h * o * tanh_c_slope[k]
            # dL/d(gate) for i, f, g, o, then through each gate's activation.
            dz = d_gates[k]
            np.multiply(d_c, g, out=dz[:, :units])
            np.multiply(d_c, c[k], out=dz[:, units : 2 * units])
            np.multiply(d_c, i, out=dz[:, 2 * units : 3 * units])
            np.multiply(d_h, tanh_c[k], out=dz[:, 3 * units :])
            dz *= slope[k]
            d_states = _plus(passed, (dz @ u.T, d_c * f))
        return d_gates.reshape(steps * batch, -1), *d_states

    one_pass = _OnePass(backward, (batch, steps, units), dtype)

    def inputs_vjp(g):
        d_x = (one_pass(g)[0] @ w.T).reshape(steps, batch, features)
        return d_x[walk].transpose(1, 0, 2)

    parents = [
        (inputs, inputs_vjp),
        (initial_state_h, lambda g: one_pass(g)[1]),
        (initial_state_c, lambda g: one_pass(g)[2]),
        (kernel, lambda g: x.reshape(steps * batch, -1).T @ one_pass(g)[0]),
        (recurrent_kernel, lambda g: h[:-1].reshape(-1, units).T @ one_pass(g)[0]),
    ]
    if bias is not None:
        parents.append((bias, lambda g: one_pass(g)[0].sum(axis=0)))
    return one_pass.record(outputs, (h[-1], c[-1]), parents)


def gru(
    inputs: Any,
    initial_state: Any,
    mask: Any,
    kernel: Any,
    recurrent_kernel: Any,
    bias: Any,
    return_sequences: bool = False,
    go_backwards: bool = False,
    reset_after: bool = True,
    zero_output_for_mask: bool = False,
) -> tuple:
    """Run a GRU (tanh and sigmoid) over `inputs`: one op, one backward pass.

    For each step `t` (from the end with `go_backwards`), with the gates
    side by side in `kernel`'s columns in the order z, r, h, and `x_t kernel`
    plus the input bias written `xk`:

        z = sigmoid(xk_z + (h U)_z)        r = sigmoid(xk_r + (h U)_r)
        candidate = tanh(xk_h + r * (h U_h + b_h))     (reset_after=True)
        candidate = tanh(xk_h + (r * h) U_h)           (reset_after=False)
        h_new = z * h + (1 - z) * candidate

    where `U` is `recurrent_kernel` (with its bias `bias[1]` when
    `reset_after`). Masked steps are skipped as in `lstm`.

    Simplified from Keras 3's `backend.gru` as `lstm` is.

    Args:
        inputs: `(batch, timesteps, features)` float tensor.
        initial_state: `(batch, units)`, the state before step 0.
        mask: None, or a boolean `(batch, timesteps)` array of steps to run.
        kernel: `(features, 3 * units)`.
        recurrent_kernel: `(units, 3 * units)`.
        bias: `(2, 3 * units)` (input and recurrent biases) with
            `reset_after`, else `(3 * units,)`; or None.
        return_sequences: Unused, as in `lstm`.
        go_backwards: Walk the steps from the last, as in `lstm`.
        reset_after: Apply the reset gate after the recurrent product.
        zero_output_for_mask: Output zeros at masked steps.

    Returns:
        `(last_output, outputs, [h])`, as `lstm` returns them.
    """
    del return_sequences
    x, keep, walk = _time_major(inputs, mask, go_backwards)
    w, u = value_of(kernel), value_of(recurrent_kernel)
    steps, batch, features = x.shape
    units, dtype = u.shape[0], x.dtype
    b = None if bias is None else value_of(bias)
    gates = (x.reshape(steps * batch, features) @ w).reshape(steps, batch, -1)
    if b is not None:
        gates += b[0] if reset_after else b
    h, outputs = _state_rows((initial_state,), steps, keep, dtype)
    # What the candidate's recurrent side was at each step: `h U_h + b_h`
    # (reset_after), or `r * h` (before U_h); the backward pass needs it.
    recurrent = np.empty((steps, batch, units), dtype)
    for k in range(steps):
        a = gates[k]  # the pre-activations, then the gates z, r, h in place
        if reset_after:
            h_u = h[k] @ u
            if b is not None:
                h_u += b[1]
            a[:, : 2 * units] += h_u[:, : 2 * units]
        else:
            a[:, : 2 * units] += h[k] @ u[:, : 2 * units]
        zr = a[:, : 2 * units]  # sigmoid as (1 + tanh(x / 2)) / 2, in place
        zr *= 0.5
        np.tanh(zr, out=zr)
        zr *= 0.5
        zr += 0.5
        z, r, candidate = (a[:, n * units : (n + 1) * units] for n in range(3))
        if reset_after:
            recurrent[k] = h_u[:, 2 * units :]
            candidate += r * recurrent[k]
        else:
            np.multiply(r, h[k], out=recurrent[k])
            candidate += recurrent[k] @ u[:, 2 * units :]
        np.tanh(candidate, out=candidate)
        h_new = candidate + z * (h[k] - candidate)
        _advance(k, keep, (h_new,), (h,), outputs, zero_output_for_mask)

    def backward(d_outputs, handed):
        """Through time once: every step's gate gradients, the first state's."""
        d_states, d_carried = _final_gradients(handed, 1, keep, (batch, units), dtype)
        # Each gate's pre-activation gradient is d_h (or, for r, the
        # candidate's) times a factor known from the forward pass: computed
        # for all steps at once, with the sigmoid's slope s (1 - s) and the
        # tanh's 1 - c^2 folded in.
        z, r, candidate = (gates[:, :, n * units : (n + 1) * units] for n in range(3))
        factor_z = (h[:-1] - candidate) * z * (1 - z)
        factor_candidate = (1 - z) * (1 - candidate * candidate)
        # r multiplies `h U_h + b_h` (reset_after) or `h` (before U_h).
        factor_r = (recurrent if reset_after else h[:-1]) * r * (1 - r)
        d_gates = np.empty_like(gates)  # with respect to the pre-activations
        d_recurrent = np.empty_like(gates) if reset_after else None
        for k in range(steps - 1, -1, -1):
            d_out = 0.0 if d_outputs is None else d_outputs[:, k]
            (d_h,), passed, d_carried = _step_back(
                k, keep, d_states, d_out, d_carried, zero_output_for_mask
            )
            da = d_gates[k]
            d_zr, d_candidate = da[:, : 2 * units], da[:, 2 * units :]
            np.multiply(d_h, factor_z[k], out=da[:, :units])
            np.multiply(d_h, factor_candidate[k], out=d_candidate)
            d_h_previous = d_h * z[k]
            if reset_after:
                np.multiply(d_candidate, factor_r[k], out=da[:, units : 2 * units])
                dr = d_recurrent[k]  # the gradient of `h U + b`
                dr[:, : 2 * units] = d_zr
                np.multiply(d_candidate, r[k], out=dr[:, 2 * units :])
                d_h_previous += dr @ u.T
            else:
                d_rh = d_candidate @ u[:, 2 * units :].T  # the gradient of r * h
                np.multiply(d_rh, factor_r[k], out=da[:, units : 2 * units])
                d_h_previous += d_zr @ u[:, : 2 * units].T
                d_h_previous += d_rh * r[k]
            d_states = _plus(passed, (d_h_previous,))
        flat = d_gates.reshape(steps * batch, -1)
        if reset_after:
            return flat, d_recurrent.reshape(steps * batch, -1), d_states[0]
        return flat, None, d_states[0]

    one_pass = _OnePass(backward, (batch, steps, units), dtype)

    def inputs_vjp(g):
        d_x = (one_pass(g)[0] @ w.T).reshape(steps, batch, features)
        return d_x[walk].transpose(1, 0, 2)

    def recurrent_kernel_vjp(g):
        d_gates, d_recurrent, _ = one_pass(g)
        h_before = h[:-1].reshape(-1, units)
        if reset_after:
            return h_before.T @ d_recurrent
        return np.concatenate(
            [
                h_before.T @ d_gates[:, : 2 * units],
                recurrent.reshape(-1, units).T @ d_gates[:, 2 * units :],
            ],
            axis=1,
        )

    def bias_vjp(g):
        d_gates, d_recurrent, _ = one_pass(g)
        if reset_after:
            return np.stack([d_gates.sum(axis=0), d_recurrent.sum(axis=0)])
        return d_gates.sum(axis=0)

    parents = [
        (inputs, inputs_vjp),
        (initial_state, lambda g: one_pass(g)[2]),
        (kernel, lambda g: x.reshape(steps * batch, -1).T @ one_pass(g)[0]),
        (recurrent_kernel, recurrent_kernel_vjp),
    ]
    if bias is not None:
        parents.append((bias, bias_vjp))
    return one_pass.record(outputs, (h[-1],), parents)


# --- What both recurrences share: time-major rows, masks, one backward pass ---


def _time_major(inputs: Any, mask: Any, go_backwards: bool) -> tuple:
    """The inputs time-major in the order walked (step k is row k), the mask
    alike as `(steps, batch, 1)` booleans (or None), and the slice that walks."""
    walk = slice(None, None, -1 if go_backwards else 1)
    x = np.ascontiguousarray(value_of(inputs).transpose(1, 0, 2)[walk])
    keep = None
    if mask is not None:
        keep = np.asarray(value_of(mask), dtype=bool).T[walk, :, None]
    return x, keep, walk


def _state_rows(initial_states: tuple, steps: int, keep: Any, dtype: Any) -> list:
    """One `(steps + 1, batch, units)` array a state, holding at row k the
    state before step k (row 0 from `initial_states`); then the outputs'
    rows, which are `h`'s own rows unless a mask makes them differ."""
    rows = []
    for state in initial_states:
        start = value_of(state)
        rows.append(np.empty((steps + 1, *np.shape(start)), dtype))
        rows[-1][0] = start
    outputs = rows[0][1:] if keep is None else np.empty_like(rows[0][1:])
    return [*rows, outputs]


def _advance(k, keep, new_states, states, outputs, zero_output_for_mask) -> None:
    """Write step k's new states (the old ones where the mask skips the step)
    and its output (the previous output there, or zeros)."""
    if keep is None:
        for state, new in zip(states, new_states):
            state[k + 1] = new
        return
    for state, new in zip(states, new_states):
        np.copyto(state[k + 1], np.where(keep[k], new, state[k]))
    previous = 0.0 if zero_output_for_mask or k == 0 else outputs[k - 1]
    np.copyto(outputs[k], np.where(keep[k], new_states[0], previous))


def _final_gradients(handed: dict, count: int, keep, shape, dtype) -> tuple:
    """The gradients reaching the final states and the last output."""
    d_states = [np.zeros(shape, dtype) + handed.get(n, 0.0) for n in range(count)]
    d_last = np.zeros(shape, dtype) + handed.get("last", 0.0)
    if keep is None:  # without a mask the last output is the final `h`
        d_states[0] += d_last
    return d_states, d_last


def _step_back(k, keep, d_states, d_out, d_carried, zero_output_for_mask) -> tuple:
    """Split the gradients reaching step k's states and output into those of
    the step's new states, those a skipped step passes straight to step
    k - 1's states (None without a mask), and the one carried to output k - 1."""
    if keep is None:
        return (d_states[0] + d_out, *d_states[1:]), None, d_carried
    d_out = d_out + d_carried
    d_new = (np.where(keep[k], d_states[0] + d_out, 0.0),) + tuple(
        np.where(keep[k], d, 0.0) for d in d_states[1:]
    )
    passed = [np.where(keep[k], 0.0, d) for d in d_states]
    d_carried = np.where(keep[k] | zero_output_for_mask, 0.0, d_out)
    return d_new, passed, d_carried


def _plus(passed: Any, gradients: tuple) -> list:
    """The gradients of step k - 1's states: the step's own, plus what a
    skipped step passed through."""
    if passed is None:
        return list(gradients)
    return [p + g for p, g in zip(passed, gradients)]


class _OnePass:
    """Records a recurrence's outputs and runs its backward pass once per
    gradient, for all its inputs' vjps."""

    def __init__(self, backward: Callable, sequence_shape: tuple, dtype: Any):
        self._backward = backward
        # What the last output's and final states' vjps send the sequence.
        self._nothing = np.broadcast_to(np.zeros((), dtype), sequence_shape)
        self._handed: dict = {}  # gradients of the last output and states
        self._last: tuple = (None, None)  # (sequence gradient, result)

    def __call__(self, d_outputs: np.ndarray) -> tuple:
        if self._last[0] is not d_outputs:
            handed, self._handed = self._handed, {}
            sequence = None if d_outputs is self._nothing else d_outputs
            self._last = (d_outputs, self._backward(sequence, handed))
        return self._last[1]

    def _hand_over(self, key: Any) -> Callable:
        def vjp(g):
            previous = self._handed.get(key)
            self._handed[key] = g if previous is None else previous + g
            return self._nothing

        return vjp

    def record(self, outputs: np.ndarray, final_states: tuple, parents: list) -> tuple:
        """`(last_output, outputs, states)`, the sequence recorded with
        `parents` and the rest as outputs of it that hand their gradient over."""
        sequence = record(outputs.transpose(1, 0, 2), *parents)
        last = record(outputs[-1].copy(), (sequence, self._hand_over("last")))
        states = [
            record(state.copy(), (sequence, self._hand_over(n)))
            for n, state in enumerate(final_states)
        ]
        return last, sequence, states
