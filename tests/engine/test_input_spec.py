"""`InputSpec`: the compatibility check accepts exactly the shapes it describes."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.input_spec import assert_input_compatibility
from nanokeras import KerasTensor, layers

EXAMPLES = settings(max_examples=40, deadline=None)
shapes = st.lists(st.integers(1, 5), min_size=1, max_size=4).map(tuple)


def check(spec, shape):
    assert_input_compatibility(spec, KerasTensor(shape), "probe")


@EXAMPLES
@given(shape=shapes, ndim=st.integers(1, 4))
def test_ndim_accepts_exactly_that_rank(shape, ndim):
    spec = layers.InputSpec(ndim=ndim)
    if len(shape) == ndim:
        check(spec, shape)
    else:
        with pytest.raises(ValueError, match=f"expected ndim={ndim}, found ndim"):
            check(spec, shape)


@EXAMPLES
@given(shape=shapes, low=st.integers(1, 4), high=st.integers(1, 4))
def test_min_and_max_ndim_bound_the_rank(shape, low, high):
    spec = layers.InputSpec(min_ndim=low, max_ndim=high)
    if low <= len(shape) <= high:
        check(spec, shape)
    else:
        with pytest.raises(ValueError, match='layer "probe"'):
            check(spec, shape)


@EXAMPLES
@given(shape=shapes, size=st.integers(1, 5), unknown=st.booleans())
def test_axes_fix_the_last_axis_and_accept_unknown_sizes(shape, size, unknown):
    spec = layers.InputSpec(axes={-1: size})
    if unknown:
        shape = shape[:-1] + (None,)  # an unknown size is always compatible
    if unknown or shape[-1] == size:
        check(spec, shape)
    else:
        expected = re.escape(f"value {size}, but received input with shape {shape}")
        with pytest.raises(ValueError, match=expected):
            check(spec, shape)


@EXAMPLES
@given(shape=shapes)
def test_full_shape_with_none_matches_any_batch(shape):
    spec = layers.InputSpec(shape=(None,) + shape[1:])
    check(spec, (7,) + shape[1:])
    if len(shape) > 1:
        wrong = (7,) + shape[1:-1] + (shape[-1] + 1,)
        with pytest.raises(ValueError, match="expected shape="):
            check(spec, wrong)


def test_named_specs_take_dicts_in_their_order():
    specs = [layers.InputSpec(name="a", ndim=2), layers.InputSpec(name="b", ndim=3)]
    assert_input_compatibility(
        specs, {"b": np.ones((1, 2, 3)), "a": np.ones((1, 2))}, "probe"
    )
    with pytest.raises(ValueError, match='Missing data for input "b"'):
        assert_input_compatibility(specs, {"a": np.ones((1, 2))}, "probe")


def test_repr_and_config_round_trip():
    spec = layers.InputSpec(ndim=2, axes={-1: 5})
    assert repr(spec) == "InputSpec(ndim=2, axes={-1: 5})"
    again = layers.InputSpec.from_config(spec.get_config())
    assert again.get_config() == spec.get_config()
    with pytest.raises(ValueError, match="Axis 3 is greater"):
        layers.InputSpec(ndim=2, axes={3: 1})


def test_repr_names_every_constraint_set_as_keras_does():
    spec = layers.InputSpec(dtype="float32", shape=(None, 3), max_ndim=4, min_ndim=2)
    assert repr(spec) == (
        "InputSpec(dtype=float32, shape=(None, 3), ndim=2, max_ndim=4, min_ndim=2)"
    )


def test_a_full_shape_fixes_the_rank():
    spec = layers.InputSpec(shape=(None, 3))
    assert spec.ndim == 2
    with pytest.raises(ValueError, match=re.escape("expected ndim=2, found ndim=3")):
        check(spec, (2, 3, 1))


def test_an_axis_equal_to_ndim_is_refused_when_the_spec_is_made():
    with pytest.raises(
        ValueError,
        match=re.escape(
            "Axis 2 is greater than the dimensionality of the input (2) "
            "in InputSpec(ndim=2, axes={2: 1})."
        ),
    ):
        layers.InputSpec(ndim=2, axes={2: 1})


def test_an_axis_the_input_does_not_have_is_a_clear_error():
    spec = layers.InputSpec(axes={2: 3})
    expected = "expected axis 2 of input shape to have value 3, but received input "
    with pytest.raises(ValueError, match=re.escape(expected + "with shape (1, 3)")):
        check(spec, (1, 3))


def test_every_fixed_axis_is_checked_after_a_free_one():
    spec = layers.InputSpec(axes={0: None, -1: 3})
    check(spec, (5, 3))
    with pytest.raises(ValueError, match="expected axis -1 of input shape"):
        check(spec, (5, 4))


def test_dtype_accepts_its_own_and_names_the_one_found():
    spec = layers.InputSpec(dtype="float32")
    assert_input_compatibility(spec, np.ones((2, 3), "float32"), "probe")
    with pytest.raises(
        ValueError,
        match=re.escape(
            'Input 0 of layer "probe" is incompatible with the layer: '
            "expected dtype=float32, found dtype=int32"
        ),
    ):
        assert_input_compatibility(spec, np.ones((2, 3), "int32"), "probe")


@pytest.mark.parametrize(
    "spec, shape, detail",
    [
        (dict(ndim=2), (1, 2, 3), "expected ndim=2, found ndim=3. "),
        (dict(max_ndim=2), (1, 2, 3), "expected max_ndim=2, found ndim=3. "),
        (dict(min_ndim=3), (1, 2), "expected min_ndim=3, found ndim=2. "),
        (dict(shape=(None, 4)), (1, 2), "expected shape=(None, 4), found shape="),
    ],
)
def test_errors_name_the_index_of_the_failing_input(spec, shape, detail):
    specs = [layers.InputSpec(), layers.InputSpec(**spec)]
    expected = 'Input 1 of layer "probe" is incompatible with the layer: ' + detail
    with pytest.raises(ValueError, match=re.escape(expected)):
        assert_input_compatibility(
            specs, [KerasTensor((1,)), KerasTensor(shape)], "probe"
        )


def test_a_missing_input_needs_an_optional_spec():
    spec = layers.InputSpec(ndim=2)
    assert spec.optional is False
    with pytest.raises(
        ValueError,
        match=re.escape(
            "Inputs to a layer should be tensors. Got 'None' (of type NoneType) "
            "as input 1 of layer 'probe'."
        ),
    ):
        assert_input_compatibility([spec, spec], [KerasTensor((1, 2)), None], "probe")
    optional = layers.InputSpec(ndim=2, optional=True)
    assert_input_compatibility([spec, optional], [KerasTensor((1, 2)), None], "probe")
    # Optional means "may be None", not "may be anything".
    with pytest.raises(ValueError, match="expected ndim=2, found ndim=3"):
        assert_input_compatibility(
            [spec, optional], [KerasTensor((1, 2)), KerasTensor((1, 2, 3))], "probe"
        )


def test_a_non_tensor_input_names_its_type():
    with pytest.raises(
        ValueError,
        match=re.escape(
            "Inputs to a layer should be tensors. Got 'abc' (of type str) "
            "as input 1 of layer 'probe'."
        ),
    ):
        assert_input_compatibility(
            [layers.InputSpec(), layers.InputSpec()],
            [KerasTensor((1,)), "abc"],
            "probe",
        )


def test_a_none_spec_accepts_anything_and_the_next_spec_is_still_checked():
    specs = [None, layers.InputSpec(ndim=2)]
    assert_input_compatibility(
        specs, [KerasTensor((1, 2, 3)), KerasTensor((1, 2))], "p"
    )
    with pytest.raises(ValueError, match='Input 1 of layer "p".*expected ndim=2'):
        assert_input_compatibility(specs, [KerasTensor((1,)), KerasTensor((1,))], "p")


SQUEEZE_SPECS = [
    (None, 3),
    (None, 3, 1),
    (None, 1),
    (None, 3, 4),
    (None, 5),
    (None, 1, 3),
]
SQUEEZE_INPUTS = [
    (2, 3), (2, 3, 1), (2, 1), (2, 5, 1), (2, 3, 4), (2, 1, 3), (2, 4, 1), (2, 5),
    (2, 3, 2), (2, 2, 1),
]  # fmt: skip


@pytest.mark.parametrize("squeeze", [False, True])
def test_last_axis_squeeze_accepts_what_keras_3_accepts(real_keras, squeeze):
    """A last axis of size 1 on either side may be ignored: the same shapes as Keras."""
    import types

    from keras.src.layers.input_spec import assert_input_compatibility as keras_check

    def accepts(check_fn, spec, x):
        try:
            check_fn(spec, x, "probe")
        except ValueError:
            return False
        return True

    for spec_shape in SQUEEZE_SPECS:
        ours = layers.InputSpec(shape=spec_shape, allow_last_axis_squeeze=squeeze)
        theirs = real_keras.InputSpec(shape=spec_shape, allow_last_axis_squeeze=squeeze)
        for shape in SQUEEZE_INPUTS:
            x = types.SimpleNamespace(shape=shape, dtype="float32")
            assert accepts(assert_input_compatibility, ours, KerasTensor(shape)) == (
                accepts(keras_check, theirs, x)
            ), (spec_shape, shape)
