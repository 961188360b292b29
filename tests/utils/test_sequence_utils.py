"""pad_sequences: parity with Keras 3 on every padding/truncating mode, misuse."""

import numpy as np
import pytest

import nanokeras as keras

SEQUENCES = [[1], [2, 3], [4, 5, 6, 7], []]


@pytest.mark.parametrize("padding", ["pre", "post"])
@pytest.mark.parametrize("truncating", ["pre", "post"])
@pytest.mark.parametrize("maxlen", [None, 2, 6])
def test_matches_keras(real_keras, padding, truncating, maxlen):
    kwargs = dict(maxlen=maxlen, padding=padding, truncating=truncating, value=-1)
    expected = real_keras.utils.pad_sequences(SEQUENCES, **kwargs)
    ours = keras.utils.pad_sequences(SEQUENCES, **kwargs)
    assert ours.dtype == expected.dtype
    np.testing.assert_array_equal(ours, expected)


def test_steps_may_be_vectors_and_the_dtype_is_kept():
    out = keras.utils.pad_sequences(
        [np.ones((1, 2)), np.zeros((3, 2))], dtype="float32", padding="post"
    )
    assert out.shape == (2, 3, 2) and out.dtype == np.float32
    np.testing.assert_array_equal(out[0, 1:], 0.0)


def test_tf_keras_path_is_the_same_function():
    assert keras.preprocessing.sequence.pad_sequences is keras.utils.pad_sequences


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: keras.utils.pad_sequences([[1]], padding="middle"), "`padding`"),
        (lambda: keras.utils.pad_sequences([[1]], truncating="x"), "`truncating`"),
        (lambda: keras.utils.pad_sequences([1, 2]), "non-iterable 1 at position 0"),
        (
            lambda: keras.utils.pad_sequences([np.ones((1, 2)), np.ones((1, 3))]),
            "position 1",
        ),
    ],
)
def test_bad_input_is_a_clear_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()
