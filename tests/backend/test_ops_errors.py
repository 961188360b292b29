"""Bad input to an op raises an error that names the op, the shapes and the fix.

A user who passes the wrong shape must read what went wrong in our terms, not
a numpy traceback about gufunc signatures or axis remapping.
"""

import numpy as np
import pytest

import nanokeras as nk
from nanokeras import ops, random

MATRIX = np.ones((2, 3))

CASES = {
    "reshape": (
        lambda: ops.reshape(MATRIX, (4,)),
        ValueError,
        r"Cannot reshape a tensor of shape \(2, 3\) \(6 values\) into shape \(4,\)",
    ),
    "take_float_indices": (
        lambda: ops.take(MATRIX, np.array([0.5])),
        TypeError,
        r"take\(\) needs integer indices, got dtype float64",
    ),
    "sum_axis": (
        lambda: ops.sum(MATRIX, axis=2),
        ValueError,
        r"Axis 2 is out of bounds for a tensor of rank 2",
    ),
    # A vector has only axis 0 (and -1): axis 1 must not wrap around to 0.
    "sum_vector_axis": (
        lambda: ops.sum(np.ones(3), axis=1),
        ValueError,
        r"^Axis 1 is out of bounds for a tensor of rank 1\.$",
    ),
    "mean_negative_axis": (
        lambda: ops.mean(MATRIX, axis=-3),
        ValueError,
        r"Axis -3 is out of bounds for a tensor of rank 2",
    ),
    "max_axis": (
        lambda: ops.max(MATRIX, axis=(0, 5)),
        ValueError,
        r"Axis 5 is out of bounds",
    ),
    "logsumexp_axis": (
        lambda: ops.logsumexp(MATRIX, axis=3),
        ValueError,
        r"Axis 3 is out of bounds",
    ),
    "softmax_axis": (
        lambda: ops.softmax(MATRIX, axis=2),
        ValueError,
        r"Axis 2 is out of bounds",
    ),
    "softmax_scalar": (
        lambda: ops.softmax(np.float64(1.0)),
        ValueError,
        r"^`softmax` needs a tensor with at least one axis, got a scalar\. Reshape "
        r"it first, for example with `ops\.reshape\(x, \(1,\)\)`\.$",
    ),
    "moments_axis": (
        lambda: ops.moments(MATRIX, axes=3),
        ValueError,
        r"Axis 3 is out of bounds",
    ),
    "moments_synchronized": (
        lambda: ops.moments(MATRIX, axes=0, synchronized=True),
        NotImplementedError,
        r"Pass `synchronized=False`",
    ),
    "matmul": (
        lambda: ops.matmul(MATRIX, np.ones((2, 2))),
        ValueError,
        r"`matmul` cannot multiply shapes \(2, 3\) and \(2, 2\)",
    ),
    "add": (
        lambda: ops.add(MATRIX, np.ones(4)),
        ValueError,
        r"^`add` cannot combine shapes \(2, 3\) and \(4,\): aligned from the right, "
        r"each pair of sizes must be equal or 1 \(numpy broadcasting\)\. Reshape or "
        r"expand one of the inputs\.$",
    ),
    "operator": (
        lambda: nk.Tensor(MATRIX) * np.ones((3, 2)),
        ValueError,
        r"`multiply` cannot combine shapes \(2, 3\) and \(3, 2\)",
    ),
    "transpose": (
        lambda: ops.transpose(MATRIX, (0, 0)),
        ValueError,
        r"`transpose` needs `axes` to be a permutation of \(0, 1\)",
    ),
    "expand_dims": (
        lambda: ops.expand_dims(MATRIX, 5),
        ValueError,
        r"Axis 5 is out of bounds for a tensor of rank 3",
    ),
    "squeeze": (
        lambda: ops.squeeze(MATRIX, 0),
        ValueError,
        r"`squeeze` can only remove axes of size 1",
    ),
    "broadcast_to": (
        lambda: ops.broadcast_to(MATRIX, (4,)),
        ValueError,
        r"`broadcast_to` cannot broadcast shape \(2, 3\) to \(4,\)",
    ),
    "concatenate": (
        lambda: ops.concatenate([MATRIX, np.ones((2, 2))], axis=0),
        ValueError,
        r"`concatenate` along axis 0 .* shapes \[\(2, 3\), \(2, 2\)\]",
    ),
    "stack": (
        lambda: ops.stack([MATRIX, np.ones(3)]),
        ValueError,
        r"`stack` needs inputs of one shape. Received shapes \[\(2, 3\), \(3,\)\]",
    ),
    "pad": (
        lambda: ops.pad(MATRIX, ((1, 1),) * 3),
        ValueError,
        r"`pad` needs `pad_width` as one \(before, after\) pair per axis, 2 pairs",
    ),
    "repeat": (
        lambda: ops.repeat(MATRIX, 2, axis=4),
        ValueError,
        r"Axis 4 is out of bounds",
    ),
    "dropout_rate": (
        lambda: random.dropout(MATRIX, 1.5),
        ValueError,
        r"dropout\(\) needs a `rate` in \[0, 1\]",
    ),
    # --- Values no op can compute with, refused where they become tensors.
    # Keras 3's numpy backend passes an object array holding None through to
    # numpy, where a later cast to float turns the None into NaN. ---
    "convert_object_array_with_none": (
        lambda: ops.convert_to_tensor(np.array([1.0, None], dtype=object)),
        ValueError,
        r"convert_to_tensor: .* dtype object \(\[1.0, None\]\)",
    ),
    "convert_list_with_none_to_float": (
        lambda: ops.convert_to_tensor([1.0, None], dtype="float32"),
        ValueError,
        r"convert_to_tensor: .* dtype object \(\[1.0, None\]\)",
    ),
    "convert_strings": (
        lambda: ops.convert_to_tensor(np.array(["cat", "dog", "emu", "elk"])),
        ValueError,
        r"convert_to_tensor: .* dtype <U3 \(\['cat', 'dog', 'emu'\]\.\.\.\)",
    ),
    "convert_bytes": (
        lambda: ops.convert_to_tensor([b"x"]),
        ValueError,
        r"convert_to_tensor: .* dtype \|S1 \(\[b'x'\]\)",
    ),
    "tensor_of_strings": (
        lambda: nk.Tensor(["a", "b"]),
        ValueError,
        r"convert_to_tensor: .* dtype <U1",
    ),
    "variable_of_strings": (
        lambda: nk.Variable(["a", "b"]),
        ValueError,
        r"Variable: .* dtype <U1 \(\['a', 'b'\]\)",
    ),
    "variable_with_none": (
        lambda: nk.Variable([1.0, None], dtype="float32"),
        ValueError,
        r"Variable: .* dtype object \(\[1.0, None\]\)",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_gives_a_clear_error(name):
    call, error_type, message = CASES[name]
    with pytest.raises(error_type, match=message):
        call()
