"""Add, Subtract, Multiply, Average, Maximum, Minimum and their functional forms."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nanokeras as keras
from engine.masking import get_keras_mask
from tests.layers.gradcheck import check_layer_gradients

L = keras.layers
CLASSES = [L.Add, L.Subtract, L.Multiply, L.Average, L.Maximum, L.Minimum]
FUNCTIONS = {
    L.Add: L.add,
    L.Subtract: L.subtract,
    L.Multiply: L.multiply,
    L.Average: L.average,
    L.Maximum: L.maximum,
    L.Minimum: L.minimum,
}
NUMPY = {
    L.Add: lambda xs: sum(xs),
    L.Subtract: lambda xs: xs[0] - xs[1],
    L.Multiply: lambda xs: np.prod(np.broadcast_arrays(*xs), axis=0),
    L.Average: lambda xs: sum(xs) / len(xs),
    L.Maximum: lambda xs: np.maximum.reduce(np.broadcast_arrays(*xs)),
    L.Minimum: lambda xs: np.minimum.reduce(np.broadcast_arrays(*xs)),
}


def _count(cls, draw_count):
    return 2 if cls is L.Subtract else draw_count


@settings(max_examples=25, deadline=None)
@given(
    cls=st.sampled_from(CLASSES),
    count=st.integers(2, 3),
    batch=st.integers(1, 3),
    sizes=st.lists(st.integers(1, 3), min_size=1, max_size=3),
    data=st.data(),
)
def test_output_shape_matches_compute_output_shape(cls, count, batch, sizes, data):
    count = _count(cls, count)
    shapes = []
    for _ in range(count):
        # Each input: a suffix of `sizes` with some sizes set to 1 (broadcasts).
        kept = data.draw(st.integers(1, len(sizes)))
        suffix = [1 if data.draw(st.booleans()) else s for s in sizes[-kept:]]
        shapes.append((batch, *suffix))
    rng = np.random.default_rng(0)
    xs = [rng.normal(size=shape) for shape in shapes]
    layer = cls()
    out = layer(xs)
    assert out.shape == layer.compute_output_shape(shapes)
    # Lower-rank inputs gain size-1 axes after the batch axis (Keras's rule).
    rank = max(len(s) for s in shapes)
    lifted = [x.reshape(x.shape[:1] + (1,) * (rank - x.ndim) + x.shape[1:]) for x in xs]
    np.testing.assert_allclose(out.numpy(), NUMPY[cls](lifted), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("cls", CLASSES)
@pytest.mark.parametrize(
    "shapes", [[(2, 3), (2, 3)], [(2, 3, 4), (2, 1, 4)], [(2, 3, 4), (2, 4)]]
)
def test_gradients_match_finite_differences(cls, shapes):
    rng = np.random.default_rng(1)
    xs = [rng.normal(size=shape) for shape in shapes]
    if cls not in (L.Subtract,):
        xs.append(rng.normal(size=shapes[0]))
    check_layer_gradients(cls(dtype="float64"), xs)


@pytest.mark.parametrize("cls", CLASSES)
@pytest.mark.parametrize("shapes", [[(3, 4), (3, 4)], [(2, 3, 4), (2, 3, 4)]])
def test_parity_with_keras(real_keras, cls, shapes):
    rng = np.random.default_rng(2)
    xs = [rng.normal(size=shape).astype("float32") for shape in shapes]
    expected = np.asarray(getattr(real_keras.layers, cls.__name__)()(xs))
    np.testing.assert_allclose(cls()(xs).numpy(), expected, rtol=1e-5, atol=1e-6)
    function = getattr(real_keras.layers, FUNCTIONS[cls].__name__)
    np.testing.assert_allclose(
        FUNCTIONS[cls](xs).numpy(), np.asarray(function(xs)), rtol=1e-5, atol=1e-6
    )


@pytest.mark.parametrize("cls", CLASSES)
def test_symbolic_call_in_a_functional_model(cls):
    a, b = keras.Input(shape=(3,)), keras.Input(shape=(1,))
    out = FUNCTIONS[cls]([a, b], name="merged")
    assert isinstance(out, keras.KerasTensor) and out.shape == (None, 3)
    model = keras.Model([a, b], out)
    assert model.get_layer("merged").__class__ is cls
    xa, xb = np.ones((2, 3)), np.full((2, 1), 2.0)
    np.testing.assert_allclose(model([xa, xb]).numpy(), NUMPY[cls]([xa, xb]))


@pytest.mark.parametrize("cls", CLASSES)
def test_config_round_trip(cls):
    layer = cls(name="m")
    config = layer.get_config()
    assert cls.from_config(config).get_config() == config


def test_masks_are_ored_when_every_input_has_one():
    emb = L.Embedding(5, 2, mask_zero=True)
    a = emb(np.array([[1, 0, 0]]))
    b = emb(np.array([[0, 2, 0]]))
    np.testing.assert_array_equal(get_keras_mask(L.add([a, b])).numpy(), [[1, 1, 0]])
    unmasked = np.ones((1, 3, 2), dtype="float32")
    assert get_keras_mask(L.add([a, unmasked])) is None


@pytest.mark.parametrize("cls", CLASSES)
def test_a_single_input_is_refused(cls):
    with pytest.raises(ValueError) as info:
        cls(name="m")([np.ones((2, 3))])
    message = str(info.value)
    assert '"m"' in message and "(2, 3)" in message
    if cls is not L.Subtract:
        assert "at least 2 inputs" in message


def test_incompatible_shapes_name_the_shapes_and_layer():
    with pytest.raises(ValueError) as info:
        L.Add(name="sum")([np.ones((2, 3)), np.ones((2, 4))])
    assert str(info.value) == (
        "Inputs have incompatible shapes. Received shapes (3,) and (4,) "
        '(in layer "sum")'
    )


def test_incompatible_shapes_on_a_later_call_are_caught_too():
    layer = L.Multiply(name="prod")
    layer([np.ones((2, 3)), np.ones((2, 3))])
    with pytest.raises(ValueError, match='incompatible shapes.*"prod"'):
        layer([np.ones((2, 3)), np.ones((2, 5))])


def test_subtract_takes_exactly_two_inputs():
    with pytest.raises(
        ValueError, match="`Subtract` layer should be called on exactly 2"
    ):
        L.subtract([np.ones((1, 2))] * 3)


def test_different_batch_sizes_are_refused():
    with pytest.raises(
        ValueError, match="different batch sizes.*\\(2, 3\\), \\(4, 3\\)"
    ):
        L.Maximum()([np.ones((2, 3)), np.ones((4, 3))])


def test_a_tensor_instead_of_a_list_is_refused():
    with pytest.raises(ValueError, match='list of inputs.*"m"'):
        L.Add(name="m")(np.ones((2, 3)))
