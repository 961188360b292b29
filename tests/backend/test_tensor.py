"""Tensor: immutable values with TensorFlow's repr and numpy interop."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import ops


def test_python_numbers_follow_tensorflow_dtypes():
    assert keras.Tensor(1.5).dtype == "float32"
    assert keras.Tensor([1, 2]).dtype == "int32"
    assert keras.Tensor(np.zeros(2, dtype="float64")).dtype == "float64"
    assert keras.Tensor([1, 2], dtype="float16").dtype == "float16"


def test_repr_matches_tensorflow_form():
    assert repr(keras.Tensor([1.0, 2.0])) == (
        "<Tensor: shape=(2,), dtype=float32, numpy=array([1., 2.], dtype=float32)>"
    )
    # A multi-line array starts on its own line, as TensorFlow prints it.
    assert repr(ops.ones((2, 4))).startswith(
        "<Tensor: shape=(2, 4), dtype=float32, numpy=\narray([[1., 1., 1., 1.],"
    )


def test_tensor_cannot_be_written():
    tensor = keras.Tensor([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="immutable.*Variable"):
        tensor[0] = 5.0
    with pytest.raises(ValueError, match="read-only"):
        np.asarray(tensor)[0] = 5.0
    with pytest.raises(AttributeError):
        tensor.shape = (3, 1)
    np.testing.assert_array_equal(tensor.numpy(), [1.0, 2.0, 3.0])


def test_tensor_copies_its_source():
    source = np.array([1.0, 2.0])
    tensor = keras.Tensor(source)
    source[0] = 100.0
    assert tensor.numpy()[0] == 1.0
    numpy_copy = tensor.numpy()
    numpy_copy[1] = -1.0  # numpy() hands out a writable copy
    assert tensor.numpy()[1] == 2.0


def test_operators_indexing_and_len():
    a = keras.Tensor([[1.0, 2.0], [3.0, 4.0]])
    b = keras.Tensor([10.0, 20.0])
    np.testing.assert_array_equal((a + b).numpy(), [[11, 22], [13, 24]])
    np.testing.assert_array_equal((b - a).numpy(), [[9, 18], [7, 16]])
    np.testing.assert_array_equal((a * 2).numpy(), [[2, 4], [6, 8]])
    np.testing.assert_allclose(
        (1 / a).numpy(), 1 / np.array([[1, 2], [3, 4]]), rtol=1e-6
    )
    np.testing.assert_array_equal((a**2).numpy(), [[1, 4], [9, 16]])
    np.testing.assert_array_equal((a @ a).numpy(), [[7, 10], [15, 22]])
    np.testing.assert_array_equal((-a).numpy(), [[-1, -2], [-3, -4]])
    np.testing.assert_array_equal((a > 2).numpy(), [[False, False], [True, True]])
    np.testing.assert_array_equal((a == 2.0).numpy(), [[False, True], [False, False]])
    np.testing.assert_array_equal(a[1].numpy(), [3, 4])
    np.testing.assert_array_equal(a[:, 0].numpy(), [1, 3])
    assert len(a) == 2
    assert a.shape == (2, 2) and a.ndim == 2
    np.testing.assert_array_equal(np.asarray(a) + 1, [[2, 3], [4, 5]])
    # numpy on the left still produces a Tensor (our __radd__ wins).
    assert isinstance(np.ones(2, dtype="float32") + b, keras.Tensor)


def test_slicing_a_tensor_gives_an_independent_tensor():
    a = keras.Tensor([1.0, 2.0, 3.0])
    part = a[1:]
    assert isinstance(part, keras.Tensor)
    with pytest.raises(TypeError, match="immutable"):
        part[0] = 0.0


def test_len_of_scalar_is_a_clear_error():
    with pytest.raises(TypeError, match="0-d Tensor"):
        len(keras.Tensor(3.0))


def test_convert_to_tensor_reuses_tensors():
    tensor = keras.Tensor([1.0])
    assert ops.convert_to_tensor(tensor) is tensor
    assert ops.convert_to_tensor(tensor, dtype="float64").dtype == "float64"
    assert ops.convert_to_tensor([[1, 2]]).shape == (1, 2)


def test_every_python_operator_computes_what_numpy_does():
    # Ties (4.0 against 4.0) tell `<` from `<=`; a number on the left takes
    # the reflected form (`2 - a` is not `a - 2`).
    x = np.array([[1.5, -2.0], [3.0, 4.0]], dtype="float32")
    y = np.array([[2.0, 3.0], [-1.0, 4.0]], dtype="float32")
    a, b = keras.Tensor(x), keras.Tensor(y)
    cases = {
        "a + b": (a + b, x + y),
        "a - b": (a - b, x - y),
        "a * b": (a * b, x * y),
        "a / b": (a / b, x / y),
        "a // b": (a // b, x // y),
        "a % b": (a % b, x % y),
        "a ** 2": (a**2, x**2),
        "a @ b": (a @ b, x @ y),
        "2 + a": (2 + a, 2 + x),
        "2 - a": (2 - a, 2 - x),
        "2 * a": (2 * a, 2 * x),
        "2 / a": (2 / a, 2 / x),
        "7 // a": (7 // a, 7 // x),
        "7 % a": (7 % a, 7 % x),
        "2 ** a": (2**a, 2**x),
        "y @ a": (y @ a, y @ x),
        "a == b": (a == b, x == y),
        "a != b": (a != b, x != y),
        "a < b": (a < b, x < y),
        "a <= b": (a <= b, x <= y),
        "a > b": (a > b, x > y),
        "a >= b": (a >= b, x >= y),
        "-a": (-a, -x),
        "abs(a)": (abs(a), abs(x)),
        "a.T": (a.T, x.T),
        "a[1, ::-1]": (a[1, ::-1], x[1, ::-1]),
    }
    for expression, (got, expected) in cases.items():
        assert isinstance(got, keras.Tensor), expression
        assert got.dtype == expected.dtype, expression
        np.testing.assert_array_equal(got.numpy(), expected, err_msg=expression)
    assert +a is a


def test_tensors_hash_by_identity_although_equality_is_elementwise():
    a = keras.Tensor([1.0, 2.0])
    twin = keras.Tensor([1.0, 2.0])
    assert len({a, twin}) == 2
    assert {a: "first"}[a] == "first"


def test_item_assignment_error_points_to_variables():
    with pytest.raises(TypeError) as error:
        keras.Tensor([1.0, 2.0])[0] = 5.0
    assert str(error.value) == (
        "'Tensor' object does not support item assignment: tensors are "
        "immutable. Keep values that change in a `nanokeras.Variable` and "
        "update it with `assign()`, `assign_add()` or `assign_sub()`."
    )


def test_numpy_views_cannot_be_made_writable():
    tensor = keras.Tensor([1.0, 2.0])
    view = np.asarray(tensor)
    with pytest.raises(ValueError, match="WRITEABLE"):
        view.flags.writeable = True  # the tensor's own array is read-only too
    assert not np.shares_memory(view, tensor.numpy())


def test_numpy_conversion_to_a_dtype_is_exact():
    # Cast straight to the asked dtype: a detour through float64 would round
    # integers above 2**53.
    big = np.array([2**53 + 1, -(2**62) - 1], dtype="int64")
    tensor = keras.Tensor(big)
    np.testing.assert_array_equal(np.asarray(tensor, dtype="int64"), big)
    as_float = np.asarray(keras.Tensor([0.1, 2.5]), dtype="float64")
    assert as_float.dtype == np.float64
    np.testing.assert_array_equal(as_float, np.array([0.1, 2.5], dtype="float32"))


def test_python_conversions_and_iteration():
    assert bool(keras.Tensor(0.0)) is False
    assert bool(keras.Tensor([2])) is True
    assert int(keras.Tensor(3.7)) == 3 and int(keras.Tensor(-2)) == -2
    assert float(keras.Tensor(2.5)) == 2.5
    assert [10, 20, 30][keras.Tensor(1)] == 20  # __index__
    rows = list(keras.Tensor([[1, 2], [3, 4], [5, 6]]))
    assert len(rows) == 3 and all(isinstance(row, keras.Tensor) for row in rows)
    assert [row.numpy().tolist() for row in rows] == [[1, 2], [3, 4], [5, 6]]
    with pytest.raises(TypeError, match="len\\(\\) of a 0-d Tensor is undefined"):
        list(keras.Tensor(1.0))


@pytest.mark.parametrize(
    "value, shown",
    [
        ([["a", "b"], ["c", "d"]], "dtype <U1 (['a', 'b', 'c']...)"),  # first 3 values
        (["x", "y", "z"], "dtype <U1 (['x', 'y', 'z'])"),
        ([1, None], "dtype object ([1, None])"),
        ([b"1"], "dtype |S1 ([b'1'])"),
    ],
)
def test_non_numeric_values_are_refused_with_the_first_values_shown(value, shown):
    with pytest.raises(ValueError) as error:
        keras.Tensor(value)
    assert str(error.value) == (
        f"convert_to_tensor: expected numeric or bool values, but received an "
        f"array of {shown}. Convert strings to numbers first, and replace None "
        "by a number."
    )
    with pytest.raises(ValueError, match=r"^Variable: expected numeric"):
        keras.Variable(value)


def test_from_owned_array_wraps_a_fresh_array_without_a_copy():
    from backend.ops.core import from_owned_array

    batch = np.arange(6, dtype="float32").reshape(2, 3)
    tensor = from_owned_array(batch)
    assert isinstance(tensor, keras.Tensor)
    assert np.shares_memory(np.asarray(tensor), batch)  # no copy
    assert (tensor.shape, tensor.dtype) == ((2, 3), "float32")
    with pytest.raises(ValueError, match="read-only"):
        batch[0, 0] = 1.0  # handed over: the tensor made it read-only
    assert from_owned_array(np.float64(2.5)).shape == ()  # numpy scalars too
