"""Initializers: Keras 3's values for seeded draws, their distributions, `get`."""

import numpy as np
import pytest

from nanokeras import initializers, random

SEEDED = [
    ("random_normal", (30, 4)),
    ("random_uniform", (7,)),
    ("truncated_normal", (50,)),
    ("glorot_uniform", (4, 3)),
    ("glorot_normal", (6, 2)),
    ("he_uniform", (3, 3, 2, 4)),
    ("he_normal", (5, 6)),
    ("lecun_uniform", (8, 8)),
    ("lecun_normal", (2, 9)),
    ("orthogonal", (3, 5)),
    ("orthogonal", (6, 2)),
]


@pytest.mark.keras
@pytest.mark.parametrize("name, shape", SEEDED)
def test_seeded_values_equal_keras_numpy_backend(real_keras, name, shape):
    identifier = {"class_name": name, "config": {"seed": 3}}
    expected = np.asarray(real_keras.initializers.get(identifier)(shape))
    ours = initializers.get(identifier)(shape)
    assert ours.dtype == "float32"
    np.testing.assert_allclose(np.asarray(ours), expected, rtol=1e-6, atol=1e-7)


@pytest.mark.keras
@pytest.mark.parametrize("name", ["zeros", "ones", "identity"])
def test_deterministic_values_equal_keras(real_keras, name):
    expected = np.asarray(real_keras.initializers.get(name)((3, 3)))
    np.testing.assert_array_equal(np.asarray(initializers.get(name)((3, 3))), expected)


@pytest.mark.keras
def test_exported_names_match_keras(real_keras):
    names = ["GlorotUniform", "glorot_uniform", "HeNormal", "he_normal", "Zeros",
             "LecunUniform", "Orthogonal", "Identity", "Constant", "constant",
             "VarianceScaling", "TruncatedNormal", "RandomUniform"]  # fmt: skip
    for name in names:
        assert hasattr(real_keras.initializers, name)
        assert hasattr(initializers, name), name


@pytest.mark.parametrize(
    "name, limit",
    [
        ("glorot_uniform", np.sqrt(6 / (400 + 300))),
        ("he_uniform", np.sqrt(6 / 400)),
        ("lecun_uniform", np.sqrt(3 / 400)),
    ],
)
def test_uniform_variance_scaling_limits(name, limit):
    values = np.asarray(initializers.get(name)((400, 300)))
    assert np.abs(values).max() <= limit
    assert np.abs(values).max() > 0.99 * limit
    np.testing.assert_allclose(values.std(), limit / np.sqrt(3), rtol=0.02)


@pytest.mark.parametrize(
    "name, std",
    [
        ("glorot_normal", np.sqrt(2 / (400 + 300))),
        ("he_normal", np.sqrt(2 / 400)),
        ("lecun_normal", np.sqrt(1 / 400)),
    ],
)
def test_truncated_variance_scaling_keeps_the_target_variance(name, std):
    values = np.asarray(initializers.get(name)((400, 300)))
    np.testing.assert_allclose(values.std(), std, rtol=0.02)
    # Truncation at two standard deviations of the untruncated normal.
    assert np.abs(values).max() <= 2 * std / 0.87962566103423978 + 1e-6


def test_convolution_fans_count_the_window():
    from initializers import compute_fans  # internal helper, not exported

    assert compute_fans((3, 3, 16, 32)) == (144.0, 288.0)
    assert compute_fans((5,)) == (5.0, 5.0)
    assert compute_fans(()) == (1.0, 1.0)


def test_random_normal_and_uniform_statistics():
    normal = np.asarray(initializers.RandomNormal(mean=1.0, stddev=2.0)((200, 200)))
    np.testing.assert_allclose([normal.mean(), normal.std()], [1.0, 2.0], atol=0.03)
    uniform = np.asarray(initializers.RandomUniform(-1.0, 3.0)((200, 200)))
    assert uniform.min() >= -1.0 and uniform.max() < 3.0
    np.testing.assert_allclose(uniform.mean(), 1.0, atol=0.03)
    truncated = np.asarray(initializers.TruncatedNormal(stddev=1.0)((10000,)))
    assert np.abs(truncated).max() <= 2.0


def test_seed_semantics():
    seeded = initializers.GlorotUniform(seed=7)
    np.testing.assert_array_equal(
        np.asarray(seeded((3, 4))), np.asarray(seeded((3, 4)))
    )
    unseeded = initializers.GlorotUniform()
    assert not np.array_equal(
        np.asarray(unseeded((3, 4))), np.asarray(unseeded((3, 4)))
    )
    generator = initializers.RandomNormal(seed=random.SeedGenerator(1))
    assert not np.array_equal(np.asarray(generator((5,))), np.asarray(generator((5,))))


def test_orthogonal_is_orthonormal_and_identity_is_eye():
    wide = np.asarray(initializers.Orthogonal(gain=2.0, seed=0)((3, 5)), np.float64)
    np.testing.assert_allclose(wide @ wide.T, 4.0 * np.eye(3), atol=1e-5)
    tall = np.asarray(initializers.Orthogonal(seed=0)((2, 3, 4)), np.float64)
    flat = tall.reshape(6, 4)
    np.testing.assert_allclose(flat.T @ flat, np.eye(4), atol=1e-5)
    np.testing.assert_array_equal(
        np.asarray(initializers.Identity(gain=3.0)((2, 3))), 3.0 * np.eye(2, 3)
    )


def test_constant_zeros_ones_and_dtype():
    assert np.asarray(initializers.Constant(2.5)((2,), dtype="float64")).tolist() == [
        2.5,
        2.5,
    ]
    assert initializers.Zeros()((2,), dtype="int32").dtype == "int32"
    assert np.asarray(initializers.ones()((2, 2))).sum() == 4


def test_get_accepts_names_classes_dicts_instances_and_callables():
    assert isinstance(initializers.get("glorot_uniform"), initializers.GlorotUniform)
    assert isinstance(initializers.get("HeNormal"), initializers.HeNormal)
    assert isinstance(initializers.get(initializers.Ones), initializers.Ones)
    instance = initializers.Constant(3.0)
    assert initializers.get(instance) is instance
    assert initializers.get(None) is None

    def custom(shape, dtype=None):
        return np.zeros(shape)

    assert initializers.get(custom) is custom


@pytest.mark.parametrize(
    "initializer",
    [
        initializers.VarianceScaling(2.0, "fan_out", "uniform", seed=4),
        initializers.RandomNormal(0.5, 0.1, seed=2),
        initializers.Constant(1.5),
        initializers.Orthogonal(gain=0.5, seed=1),
        initializers.HeUniform(seed=9),
    ],
)
def test_serialize_round_trip(initializer):
    rebuilt = initializers.deserialize(initializers.serialize(initializer))
    assert type(rebuilt) is type(initializer)
    assert rebuilt.get_config() == initializer.get_config()
    np.testing.assert_array_equal(
        np.asarray(rebuilt((4, 4))), np.asarray(initializer((4, 4)))
    )


def test_misuse_errors_name_the_initializer_and_value():
    with pytest.raises(ValueError, match="'glorot_uniformm'"):
        initializers.get("glorot_uniformm")
    with pytest.raises(ValueError, match=r"VarianceScaling.*'fan_sum'"):
        initializers.VarianceScaling(mode="fan_sum")
    with pytest.raises(ValueError, match=r"VarianceScaling.*scale=-1"):
        initializers.VarianceScaling(scale=-1)
    with pytest.raises(ValueError, match=r"Orthogonal.*\(4,\)"):
        initializers.Orthogonal()((4,))
    with pytest.raises(ValueError, match=r"Identity.*\(2, 2, 2\)"):
        initializers.Identity()((2, 2, 2))
    with pytest.raises(ValueError, match=r"GlorotUniform.*'abc'"):
        initializers.GlorotUniform(seed="abc")
