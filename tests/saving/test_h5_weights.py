"""`.weights.h5`: Keras 3's HDF5 layout both ways, checked before any assign."""

import h5py
import numpy as np
import pytest

import nanokeras as keras
from saving.file_utils import SavedFileError


def _model(module, width=3):
    return module.Sequential(
        [
            module.Input((4,)),
            module.layers.Dense(width, name="hidden"),
            module.layers.BatchNormalization(name="norm"),
            module.layers.Dense(1, name="out"),
        ]
    )


def _randomize(model):
    rng = np.random.default_rng(1)
    model.set_weights([rng.normal(size=w.shape) for w in model.get_weights()])


def test_h5_round_trip_in_keras_3_layout(tmp_path):
    model = _model(keras)
    _randomize(model)
    path = tmp_path / "model.weights.h5"
    model.save_weights(path)
    with h5py.File(path) as file:
        # Groups are named by class and position, as Keras 3 names them.
        assert sorted(file["layers"]) == ["batch_normalization", "dense", "dense_1"]
        assert file["layers/dense/vars"].attrs["name"] == "hidden"
        assert file["layers/dense/vars/0"].shape == (4, 3)
        assert len(file["layers/batch_normalization/vars"]) == 4
    copy = _model(keras)
    keras.saving.load_weights(copy, path)  # Keras 3's function form
    for ours, saved in zip(copy.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(ours, saved)


def test_keras_3_reads_our_h5_and_we_read_theirs(real_keras, tmp_path):
    ours, theirs = _model(keras), _model(real_keras)
    _randomize(ours)
    ours.save_weights(tmp_path / "ours.weights.h5")
    theirs.load_weights(tmp_path / "ours.weights.h5")
    for a, b in zip(theirs.get_weights(), ours.get_weights()):
        np.testing.assert_array_equal(a, b)

    fresh = _model(real_keras)
    fresh.save_weights(tmp_path / "theirs.weights.h5")
    ours.load_weights(tmp_path / "theirs.weights.h5")
    for a, b in zip(ours.get_weights(), fresh.get_weights()):
        np.testing.assert_array_equal(a, b)
    x = np.random.default_rng(0).normal(size=(5, 4)).astype("float32")
    np.testing.assert_allclose(
        ours.predict(x, verbose=0), np.asarray(fresh.predict(x, verbose=0)), rtol=1e-5
    )


def _unchanged(model, before):
    for old, new in zip(before, model.get_weights()):
        np.testing.assert_array_equal(old, new)


def test_a_shape_mismatch_names_the_weight_and_loads_nothing(tmp_path):
    path = tmp_path / "wide.weights.h5"
    _model(keras, width=3).save_weights(path)
    narrow = _model(keras, width=2)
    before = narrow.get_weights()
    with pytest.raises(SavedFileError, match=r"wide.weights.h5.*hidden.*\(4, 2\)"):
        narrow.load_weights(path)
    _unchanged(narrow, before)


@pytest.mark.parametrize(
    "tamper, message",
    [
        (
            lambda f: f["layers/dense_1/vars"].create_dataset("7", data=[1.0]),
            "also holds",
        ),
        (lambda f: f.__delitem__("layers/dense_1/vars/1"), "no entry"),
        (
            lambda f: (
                f.__delitem__("layers/dense_1/vars/1"),
                f["layers/dense_1/vars"].create_dataset("1", data=np.array([b"x"])),
            ),
            "dtype",
        ),
        (
            lambda f: (
                f.__delitem__("layers/dense_1/vars/1"),
                f["layers/dense_1/vars"].__setitem__(
                    "1", h5py.ExternalLink("/etc/passwd", "/x")
                ),
            ),
            "a link",
        ),
    ],
    ids=["extra dataset", "missing dataset", "string dtype", "external link"],
)
def test_a_tampered_h5_file_is_refused_whole(tmp_path, tamper, message):
    model = _model(keras)
    path = tmp_path / "model.weights.h5"
    model.save_weights(path)
    with h5py.File(path, "a") as file:
        tamper(file)
    _randomize(model)
    before = model.get_weights()
    with pytest.raises(SavedFileError, match=message):
        model.load_weights(path)
    _unchanged(model, before)


def test_a_file_that_is_not_hdf5_is_a_clear_error(tmp_path):
    path = tmp_path / "junk.weights.h5"
    path.write_bytes(b"not an hdf5 file at all")
    with pytest.raises(SavedFileError, match="junk.weights.h5.*not a readable HDF5"):
        _model(keras).load_weights(path)


def _recurrent(module):
    inputs = module.Input((5, 3))
    x = module.layers.Bidirectional(module.layers.LSTM(2, return_sequences=True))(
        inputs
    )
    x = module.layers.GRU(2)(x)
    return module.Model(inputs, module.layers.Dense(1)(x))


def test_nested_layers_use_keras_3_attribute_paths(real_keras, tmp_path):
    theirs, ours = _recurrent(real_keras), _recurrent(keras)
    theirs.save_weights(tmp_path / "theirs.weights.h5")
    ours.load_weights(tmp_path / "theirs.weights.h5")
    x = np.random.default_rng(0).normal(size=(2, 5, 3)).astype("float32")
    np.testing.assert_allclose(
        ours.predict(x, verbose=0), np.asarray(theirs.predict(x, verbose=0)), atol=1e-6
    )
    ours.save_weights(tmp_path / "ours.weights.h5")
    with h5py.File(tmp_path / "ours.weights.h5") as file:
        assert "layers/bidirectional/forward_layer/cell/vars/0" in file
    again = _recurrent(real_keras)
    again.load_weights(tmp_path / "ours.weights.h5")
    np.testing.assert_allclose(
        np.asarray(again.predict(x, verbose=0)), ours.predict(x, verbose=0), atol=1e-6
    )


def test_a_keras_file_written_by_keras_3_loads_here(real_keras, tmp_path):
    inputs = real_keras.Input((4,))
    hidden = real_keras.layers.Dense(3, activation="relu")(inputs)
    theirs = real_keras.Model(inputs, real_keras.layers.Dense(1)(hidden))
    theirs.compile(optimizer="adam", loss="mse")
    path = tmp_path / "theirs.keras"
    theirs.save(path)
    ours = keras.models.load_model(path)
    assert type(ours.optimizer).__name__ == "Adam" and ours.loss == "mse"
    x = np.random.default_rng(0).normal(size=(3, 4)).astype("float32")
    np.testing.assert_allclose(
        ours.predict(x, verbose=0), np.asarray(theirs.predict(x, verbose=0)), atol=1e-6
    )
