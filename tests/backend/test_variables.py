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
