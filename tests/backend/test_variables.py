"""Variable: mutable, named state usable wherever a Tensor is."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import ops


def test_repr_is_tensorflows():
    variable = keras.Variable([10, 20, 30], name="my_variable")
    assert repr(variable) == (
        "<Variable 'my_variable:0' shape=(3,) dtype=int32, "
        "numpy=array([10, 20, 30], dtype=int32)>"
    )
    assert keras.Variable(1.0).name == "Variable:0"


def test_names_take_the_current_name_scope():
    with keras.name_scope("outer"):
        with keras.name_scope("inner"):
            variable = keras.Variable(0.0, name="w")
    assert variable.name == "outer/inner/w:0"


def test_assign_family_changes_the_value_in_place():
    variable = keras.Variable([1.0, 2.0])
    storage = variable._value
    variable.assign([5.0, 6.0])
    variable.assign_add([1.0, 1.0])
    variable.assign_sub(keras.Tensor([0.5, 0.5]))
    np.testing.assert_allclose(variable.numpy(), [5.5, 6.5])
    assert variable._value is storage  # no new array: optimizers rely on this
    assert variable.dtype == "float32"


def test_assign_checks_shape_and_dtype():
    variable = keras.Variable([1.0, 2.0, 3.0], name="kernel")
    with pytest.raises(ValueError, match=r"shape \(2,\).*'kernel:0' of shape \(3,\)"):
        variable.assign([1.0, 2.0])
    counter = keras.Variable([1, 2], name="counter")
    with pytest.raises(TypeError, match="dtype float.*'counter:0' of dtype int32"):
        counter.assign([0.5, 1.5])
    with pytest.raises(TypeError, match="item assignment.*assign"):
        counter[0] = 3


def test_snapshots_do_not_follow_later_assigns():
    variable = keras.Variable([1.0, 2.0])
    snapshot = variable.value  # a property, as Keras 3's Variable.value
    read = variable.read_value()
    reshaped = ops.reshape(variable, (2, 1))
    sliced = variable[0:1]
    through_numpy = variable.numpy()
    variable.assign([7.0, 8.0])
    np.testing.assert_array_equal(snapshot.numpy(), [1.0, 2.0])
    np.testing.assert_array_equal(read.numpy(), [1.0, 2.0])
    np.testing.assert_array_equal(variable.value.numpy(), [7.0, 8.0])
    np.testing.assert_array_equal(reshaped.numpy(), [[1.0], [2.0]])
    np.testing.assert_array_equal(sliced.numpy(), [1.0])
    np.testing.assert_array_equal(through_numpy, [1.0, 2.0])


def test_variable_works_in_ops_and_operators():
    variable = keras.Variable([[1.0, 2.0]])
    result = variable @ keras.Tensor([[1.0], [1.0]]) + 1.0
    assert isinstance(result, keras.Tensor)
    np.testing.assert_array_equal(result.numpy(), [[4.0]])
    with pytest.raises(ValueError, match="read-only"):
        np.asarray(variable)[0, 0] = 9.0  # only assign() may change it


def test_callable_initial_value_and_trainable_flag():
    variable = keras.Variable(
        lambda: np.zeros((2, 2)), trainable=False, dtype="float32"
    )
    assert variable.shape == (2, 2) and not variable.trainable
    variable.trainable = True
    assert variable.trainable


def test_initial_value_is_copied_from_arrays_tensors_and_variables():
    source = np.array([1.0, 2.0], dtype="float32")
    from_array = keras.Variable(source)
    source[0] = 100.0  # a later change of the source does not reach the variable
    np.testing.assert_array_equal(from_array.numpy(), [1.0, 2.0])
    from_tensor = keras.Variable(keras.Tensor([3.0, 4.0]))
    from_variable = keras.Variable(from_array)
    from_tensor.assign_add([1.0, 1.0])  # its own array, writable
    from_variable.assign([0.0, 0.0])
    np.testing.assert_array_equal(from_tensor.numpy(), [4.0, 5.0])
    np.testing.assert_array_equal(from_array.numpy(), [1.0, 2.0])
    assert from_tensor.dtype == from_variable.dtype == "float32"


def test_the_constraint_is_kept_for_the_optimizer():
    def non_negative(value):
        return np.maximum(value, 0.0)

    assert keras.Variable([1.0], constraint=non_negative).constraint is non_negative
    assert keras.Variable([1.0]).constraint is None


@pytest.mark.parametrize("method", ["assign", "assign_add", "assign_sub"])
def test_update_errors_name_the_method_and_the_variable(method):
    variable = keras.Variable([1.0, 2.0, 3.0], name="kernel")
    with pytest.raises(ValueError) as error:
        getattr(variable, method)([1.0, 2.0])
    assert str(error.value) == (
        f"Cannot {method} a value of shape (2,) to variable 'kernel:0' of shape "
        "(3,). Variables keep their shape: pass a value of the same shape."
    )
    counter = keras.Variable([1, 2], name="counter")
    with pytest.raises(TypeError) as error:
        getattr(counter, method)(np.array([0.5, 1.5]))
    assert str(error.value) == (
        f"Cannot {method} a value of dtype float64 to variable 'counter:0' of "
        "dtype int32. Cast the value first (for example with "
        "`nanokeras.ops.cast(value, 'int32')`)."
    )


def test_array_for_update_is_the_variables_own_array():
    variable = keras.Variable([1.0, 2.0])
    array = variable.array_for_update()
    np.multiply(array, 3.0, out=array)
    np.testing.assert_array_equal(variable.numpy(), [3.0, 6.0])


def _write_in_place(variable, value):
    np.copyto(variable.array_for_update(), value)


UPDATES = {
    "assign": lambda variable: variable.assign([5.0, 6.0]),
    "assign_add": lambda variable: variable.assign_add([1.0, 1.0]),
    "assign_sub": lambda variable: variable.assign_sub([1.0, 1.0]),
    "array_for_update": lambda variable: _write_in_place(variable, [7.0, 8.0]),
}


@pytest.mark.parametrize(
    "first, second",
    [
        ("assign", "assign_add"),
        ("assign_add", "assign_sub"),
        ("assign_sub", "array_for_update"),
        ("array_for_update", "assign"),
    ],
)
def test_every_update_after_a_read_refuses_the_gradient(first, second):
    """Whatever updates came before the tape read the variable, any sequence
    of updates after it makes the recorded gradient stale."""
    variable = keras.Variable([1.0, 2.0], name="kernel")
    UPDATES[first](variable)
    UPDATES[first](variable)
    UPDATES[second](variable)
    with keras.GradientTape() as tape:
        loss = ops.sum(variable * variable)
    UPDATES[first](variable)
    UPDATES[second](variable)
    with pytest.raises(RuntimeError, match="'kernel:0' was modified"):
        tape.gradient(loss, variable)
