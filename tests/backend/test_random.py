"""backend/random.py: seed semantics, distributions, dropout, parity with Keras."""

import random as python_random

import numpy as np
import pytest

import nanokeras as nk
from backend import random as backend_random
from nanokeras import random


def test_int_seed_is_stateless_and_generator_is_stateful():
    assert np.array_equal(
        random.normal((3,), seed=1).numpy(), random.normal((3,), seed=1).numpy()
    )
    generator = random.SeedGenerator(7)
    first = random.normal((3,), seed=generator).numpy()
    second = random.normal((3,), seed=generator).numpy()
    assert not np.array_equal(first, second)
    replay = random.SeedGenerator(7)
    assert np.array_equal(random.normal((3,), seed=replay).numpy(), first)


def test_unseeded_draws_differ():
    assert not np.array_equal(
        random.uniform((8,)).numpy(), random.uniform((8,)).numpy()
    )


def test_reset_global_generator_makes_unseeded_draws_repeatable():
    draws = []
    for _ in range(2):
        python_random.seed(11)
        backend_random.reset_global_seed_generator()
        draws.append(random.normal((3,)).numpy())
    np.testing.assert_array_equal(draws[0], draws[1])


def test_seed_generator_state_is_a_named_non_trainable_variable():
    generator = random.SeedGenerator(3, name="gen")
    assert isinstance(generator.state, nk.Variable)
    assert not generator.state.trainable
    assert generator.state.name == "gen/seed_generator_state:0"
    random.uniform((2,), seed=generator)
    assert generator.state.numpy().tolist() == [3, 1]
    assert generator.get_config() == {"seed": 3, "name": "gen"}


@pytest.mark.parametrize("seed", ["1", 1.5, [1]])
def test_bad_seed_is_a_clear_error(seed):
    with pytest.raises(ValueError, match="`seed` must be an int"):
        random.normal((2,), seed=seed)


def test_dtype_defaults_to_floatx_and_can_be_chosen():
    assert random.normal((2,), seed=0).dtype == "float32"
    assert random.uniform((2,), dtype="float64", seed=0).dtype == "float64"
    assert random.randint((2,), 0, 5, seed=0).dtype == "int32"


def test_distributions_have_the_requested_moments_and_bounds():
    values = random.normal((20000,), mean=2.0, stddev=3.0, seed=0).numpy()
    assert abs(values.mean() - 2.0) < 0.1 and abs(values.std() - 3.0) < 0.1
    values = random.uniform((20000,), minval=-1.0, maxval=3.0, seed=0).numpy()
    assert values.min() >= -1.0 and values.max() < 3.0
    assert abs(values.mean() - 1.0) < 0.05
    values = random.truncated_normal((20000,), mean=1.0, stddev=0.5, seed=0)
    values = values.numpy()
    assert values.min() >= 0.0 and values.max() <= 2.0
    assert values.shape == (20000,)


def test_dropout_zeroes_and_rescales():
    x = np.ones((200, 50), dtype="float32")
    out = random.dropout(x, rate=0.25, seed=3).numpy()
    assert set(np.unique(out)) <= {0.0, np.float32(1 / 0.75)}
    assert abs((out == 0).mean() - 0.25) < 0.02
    assert out.dtype == np.float32


def test_dropout_noise_shape_drops_whole_columns():
    x = np.ones((6, 5))
    out = random.dropout(x, rate=0.5, noise_shape=(1, None), seed=2).numpy()
    assert all(len(np.unique(out[:, j])) == 1 for j in range(5))


def test_dropout_edge_rates_and_gradient():
    x = nk.Variable(np.arange(1.0, 7.0).reshape(2, 3))  # no zeros: kept != 0
    assert np.array_equal(random.dropout(x, 0.0).numpy(), x.numpy())
    assert np.array_equal(random.dropout(x, 1.0).numpy(), np.zeros((2, 3)))
    with nk.GradientTape() as tape:
        out = random.dropout(x, 0.5, seed=4)
        total = nk.ops.sum(out)
    grad = tape.gradient(total, x).numpy()
    np.testing.assert_array_equal(grad, np.where(out.numpy() != 0, 2.0, 0.0))


@pytest.mark.parametrize("rate", [-0.1, 1.5])
def test_dropout_bad_rate(rate):
    with pytest.raises(ValueError, match=r"`rate` in \[0, 1\]"):
        random.dropout(np.ones(3), rate)


def test_dropout_bad_noise_shape():
    with pytest.raises(ValueError, match="does not broadcast"):
        random.dropout(np.ones((2, 3)), 0.5, noise_shape=(2, 2))
    with pytest.raises(ValueError, match="rank 1"):
        random.dropout(np.ones((2, 3)), 0.5, noise_shape=(3,))


@pytest.mark.keras
def test_same_values_as_keras_numpy_backend(real_keras):
    for name, args in [
        ("normal", ((3, 4),)),
        ("uniform", ((3, 4),)),
        ("truncated_normal", ((40,),)),
        ("randint", ((5,), 0, 10)),
    ]:
        ours = getattr(random, name)(*args, seed=42).numpy()
        theirs = np.asarray(getattr(real_keras.random, name)(*args, seed=42))
        np.testing.assert_array_equal(ours, theirs)
    ours, theirs = random.SeedGenerator(9), real_keras.random.SeedGenerator(9)
    for _ in range(3):
        np.testing.assert_array_equal(
            random.normal((4,), seed=ours).numpy(),
            np.asarray(real_keras.random.normal((4,), seed=theirs)),
        )
    x = np.linspace(-1, 1, 24, dtype="float32").reshape(4, 6)
    np.testing.assert_allclose(
        random.dropout(x, 0.3, noise_shape=(None, 1), seed=5).numpy(),
        np.asarray(real_keras.random.dropout(x, 0.3, noise_shape=(None, 1), seed=5)),
        rtol=1e-6,
    )


def test_seed_generator_defaults_as_keras():
    generator = random.SeedGenerator(5)
    assert generator.name == "seed_generator"
    assert generator.state.name == "seed_generator/seed_generator_state:0"
    # Keras 3's numpy backend keeps the `[seed, counter]` state as uint32.
    assert generator.state.dtype == "uint32"
    assert generator.state.numpy().tolist() == [5, 0]
    assert random.SeedGenerator(5, backend=None).state.numpy().tolist() == [5, 0]


@pytest.mark.parametrize("kwargs", [{"backend": "jax"}, {"device": "cpu"}])
def test_seed_generator_refuses_other_backends_and_unknown_arguments(kwargs):
    with pytest.raises(TypeError) as error:
        random.SeedGenerator(1, **kwargs)
    assert str(error.value) == (
        f"Unrecognized keyword arguments to SeedGenerator: {kwargs}. "
        "nanokeras has one backend; pass only `seed` and `name`."
    )


@pytest.mark.parametrize(
    "seed, shown", [(True, "True (of type bool)"), (1.5, "1.5 (of type float)")]
)
def test_seed_generator_seed_must_be_an_int(seed, shown):
    with pytest.raises(ValueError) as error:
        random.SeedGenerator(seed)
    assert str(error.value) == (
        f"SeedGenerator's `seed` must be an int or None. Received: seed={shown}."
    )


def test_seed_argument_error_names_what_is_accepted():
    with pytest.raises(ValueError) as error:
        random.normal((2,), seed="1")
    assert str(error.value) == (
        "Argument `seed` must be an int, a `nanokeras.random.SeedGenerator` or "
        "None. Received: seed='1' (of type str)."
    )


@pytest.mark.keras
def test_unseeded_generator_starts_where_keras_does_after_random_seed(real_keras):
    # Both draw the starting seed from Python's `random`, in the same range.
    for value in (0, 5, 123):
        python_random.seed(value)
        theirs = np.asarray(real_keras.random.SeedGenerator().state.value)
        python_random.seed(value)
        ours = random.SeedGenerator().state.numpy()
        np.testing.assert_array_equal(ours, theirs)


def test_the_global_generator_is_made_once_and_dropped_by_reset():
    backend_random.reset_global_seed_generator()
    generator = backend_random.global_seed_generator()
    assert backend_random.global_seed_generator() is generator
    assert generator.state.name == "global_seed_generator/seed_generator_state:0"
    assert not generator.state.trainable
    random.normal((2,))  # an unseeded draw advances the global generator
    assert generator.state.numpy()[1] == 1
    backend_random.reset_global_seed_generator()
    assert backend_random.global_seed_generator() is not generator


def test_dropout_noise_shape_errors_say_what_is_expected():
    with pytest.raises(ValueError) as error:
        random.dropout(np.ones((2, 3)), 0.5, noise_shape=(3,))
    assert str(error.value) == (
        "dropout() got a `noise_shape` of rank 1 for inputs of shape (2, 3). "
        "Pass one entry per input axis (use None to take the input's size)."
    )
    with pytest.raises(ValueError) as error:
        random.dropout(np.ones((2, 3)), 0.5, noise_shape=(2, 2))
    assert str(error.value) == (
        "dropout() got noise_shape=(2, 2), which does not broadcast to the "
        "inputs' shape (2, 3): each entry must be 1, None or the input's size "
        "on that axis."
    )
