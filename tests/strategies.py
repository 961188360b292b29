"""Shared hypothesis strategies: shapes, axes and arrays safe to differentiate.

Finite differences only agree with a gradient where the function is smooth, so
besides plain shapes and arrays this module draws arrays kept away from the
points where ops bend or blow up: kinks (`relu` at 0, `relu6` at 6,
`hard_sigmoid` at +-3), ties (`max`, `maximum`) and poles (`1/x` at 0).

Import as `from tests import strategies` (the repository root is on the path).
"""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

# Small sizes: a finite-difference check evaluates the op twice per element.
MAX_SIDE = 4
MAX_DIMS = 3


def shapes(min_dims: int = 0, max_dims: int = MAX_DIMS, min_side: int = 1):
    """Array shapes with up to `max_dims` axes of 1 to `MAX_SIDE` elements."""
    return hnp.array_shapes(
        min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=MAX_SIDE
    )


def broadcastable_shapes(num_shapes: int = 2, min_dims: int = 0):
    """Tuples of `num_shapes` shapes that broadcast together (numpy's rules),
    including size-1 axes and shapes of different rank."""
    return hnp.mutually_broadcastable_shapes(
        num_shapes=num_shapes, min_dims=min_dims, max_dims=MAX_DIMS, max_side=MAX_SIDE
    ).map(lambda result: result.input_shapes)


@st.composite
def shapes_broadcasting_to(draw, target: tuple):
    """Shapes that numpy broadcasts *to* `target`: a suffix of it (leading axes
    dropped) with some sizes replaced by 1."""
    kept = draw(st.integers(0, len(target)))
    suffix = target[len(target) - kept :]
    ones = draw(st.lists(st.booleans(), min_size=kept, max_size=kept))
    return tuple(1 if one else size for one, size in zip(ones, suffix))


def axes(ndim: int):
    """A valid `axis` argument for a rank-`ndim` reduction: `None`, an int
    (negative ones included) or a tuple of distinct axes."""
    if ndim == 0:
        return st.none()
    return st.one_of(
        st.none(),
        st.integers(-ndim, ndim - 1),
        st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True).map(
            tuple
        ),
    )


def float_arrays(shape, min_value: float = -3.0, max_value: float = 3.0):
    """float64 arrays with finite elements in `[min_value, max_value]`."""
    elements = st.floats(min_value, max_value, allow_nan=False, allow_infinity=False)
    return hnp.arrays(np.float64, shape, elements=elements)


def nonzero_arrays(shape, min_magnitude: float = 0.3, max_magnitude: float = 3.0):
    """float64 arrays whose elements are at least `min_magnitude` from 0
    (safe denominators)."""
    magnitude = st.floats(min_magnitude, max_magnitude)
    elements = st.tuples(magnitude, st.sampled_from([-1.0, 1.0])).map(
        lambda pair: pair[0] * pair[1]
    )
    return hnp.arrays(np.float64, shape, elements=elements)


@st.composite
def separated_arrays(draw, shapes_: tuple):
    """Arrays, one per shape, whose elements are all distinct and far from kinks.

    Elements of all arrays together are `(k + 1/2) * spacing + jitter` for a
    random permutation of the integers `k` around 0, `spacing` in
    {0.5, 1, 1.5} and `|jitter| <= 0.1`. So any two elements differ by at
    least 0.3 (no ties for `max` or `maximum`), and every element is at least
    0.15 from every integer (the kinks of `relu`, `relu6`, `hard_sigmoid`,
    `abs` and the `clip` bounds tests use).
    """
    sizes = [int(np.prod(shape)) for shape in shapes_]
    total = sum(sizes)
    order = np.array(draw(st.permutations(range(total))), dtype=np.float64)
    spacing = draw(st.sampled_from([0.5, 1.0, 1.5]))
    jitter = draw(float_arrays((total,), -0.1, 0.1))
    values = (order - total // 2 + 0.5) * spacing + jitter
    arrays, start = [], 0
    for shape, size in zip(shapes_, sizes):
        arrays.append(values[start : start + size].reshape(shape))
        start += size
    return tuple(arrays)


def permutations_of_axes(ndim: int):
    """A permutation of `range(ndim)`, as `transpose(axes=...)` takes."""
    return st.permutations(range(ndim)).map(tuple)
