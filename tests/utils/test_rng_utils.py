"""set_random_seed makes unseeded weights, dropout and shuffles repeat."""

import numpy as np
import pytest

import nanokeras as keras


def draw_everything():
    layer = keras.layers.Dense(4)
    layer.build((None, 3))
    mask = keras.random.dropout(np.ones((2, 5), dtype="float32"), rate=0.5)
    return layer.get_weights()[0], mask.numpy(), np.random.permutation(10)


def test_same_seed_same_numbers():
    keras.utils.set_random_seed(1234)
    first = draw_everything()
    keras.utils.set_random_seed(1234)
    second = draw_everything()
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    keras.utils.set_random_seed(99)
    third = draw_everything()
    assert not np.array_equal(first[0], third[0])


@pytest.mark.parametrize("seed", [-1, 1.5, "7", True])
def test_bad_seed_is_a_clear_error(seed):
    with pytest.raises(ValueError, match="non-negative integer. Received: seed="):
        keras.utils.set_random_seed(seed)
