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
