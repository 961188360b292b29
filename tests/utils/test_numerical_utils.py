"""`utils.to_categorical` and `utils.normalize` give Keras's values."""

import numpy as np
import pytest

import nanokeras as keras


@pytest.mark.parametrize(
    "labels,num_classes",
    [([0, 2, 1], None), ([[1], [0]], None), (np.array([[0, 1], [2, 0]]), 4)],
)
def test_to_categorical_matches_keras(real_keras, labels, num_classes):
    ours = keras.utils.to_categorical(labels, num_classes)
    theirs = real_keras.utils.to_categorical(labels, num_classes)
    assert ours.dtype == np.float32
    np.testing.assert_array_equal(ours, theirs)


def test_to_categorical_rejects_labels_out_of_range():
    with pytest.raises(ValueError, match=r"\[0, 2\).*from 0 to 3"):
        keras.utils.to_categorical([0, 3], num_classes=2)
    with pytest.raises(ValueError, match="integer class labels"):
        keras.utils.to_categorical([0.5, 1.0])


@pytest.mark.parametrize("axis,order", [(-1, 2), (-2, 1), (1, 3)])
def test_normalize_matches_keras(real_keras, axis, order):
    x = np.random.default_rng(0).normal(size=(3, 4))
    x[1] = 0.0  # a zero row stays zero
    np.testing.assert_allclose(
        keras.utils.normalize(x, axis, order),
        np.asarray(real_keras.utils.normalize(x, axis, order)),
        rtol=1e-6,
    )


def test_normalize_along_axis_zero():
    """Axis 0 normalizes columns (Keras 3.15 reads `axis=0` as -1 on numpy input)."""
    x = np.array([[3.0, 0.0], [4.0, 2.0]])
    np.testing.assert_allclose(
        keras.utils.normalize(x, axis=0), [[0.6, 0.0], [0.8, 1.0]]
    )
