"""Saving: `.keras` archives and `.weights.npz`, atomic, pickle-free, all-or-nothing."""

import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import numpy as np
import pytest

import nanokeras as keras
from saving.file_utils import SavedFileError

ROOT = Path(__file__).resolve().parents[2]


def make_model(width: int = 3) -> keras.Model:
    return keras.Sequential(
        [
            keras.Input(shape=(4,)),
            keras.layers.Dense(width, activation="relu"),
            keras.layers.Dense(1),
        ]
    )


def functional_model() -> keras.Model:
    inputs = keras.Input(shape=(4,), name="features")
    hidden = keras.layers.Dense(5, activation="tanh")(inputs)
    left = keras.layers.Dense(2)(hidden)
    right = keras.layers.Dense(2)(hidden)
    return keras.Model(inputs, keras.layers.Add()([left, right]))


@pytest.fixture
def data():
    return np.random.default_rng(0).normal(size=(8, 4)).astype("float32")


@pytest.mark.parametrize("build", [make_model, functional_model])
def test_save_then_load_gives_identical_predictions(tmp_path, data, build):
    model = build()
    path = tmp_path / "model.keras"
    model.save(path)
    restored = keras.models.load_model(path)
    assert type(restored) is type(model)
    np.testing.assert_array_equal(
        restored.predict(data, verbose=0), model.predict(data, verbose=0)
    )
    assert [w.shape for w in restored.weights] == [w.shape for w in model.weights]


def test_archive_holds_json_and_npz_only(tmp_path):
    path = tmp_path / "model.keras"
    make_model().save(path)
    with zipfile.ZipFile(path) as archive:
        names = sorted(archive.namelist())
        config = json.loads(archive.read("config.json"))
    assert names == ["config.json", "metadata.json", "model.weights.npz"]
    assert config["class_name"] == "Sequential"
    assert config["module"] == "nanokeras"


def test_load_in_a_fresh_process_gives_identical_predictions(tmp_path, data):
    model = functional_model()
    model_path, data_path = tmp_path / "model.keras", tmp_path / "x.npy"
    model.save(model_path)
    np.save(data_path, data)
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        import numpy as np
        import nanokeras as keras
        model = keras.models.load_model({str(model_path)!r})
        np.save({str(tmp_path / "out.npy")!r},
                model.predict(np.load({str(data_path)!r}), verbose=0))
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
    np.testing.assert_array_equal(
        np.load(tmp_path / "out.npy"), model.predict(data, verbose=0)
    )


def test_weights_round_trip_by_position_despite_other_names(tmp_path, data):
    model, other = make_model(), make_model()
    assert model.layers[0].name != other.layers[0].name  # dense vs dense_2
    path = tmp_path / "model.weights.npz"
    model.save_weights(path)
    other.load_weights(path)
    np.testing.assert_array_equal(
        other.predict(data, verbose=0), model.predict(data, verbose=0)
    )


def test_optimizer_variables_are_stored_in_the_archive(tmp_path, data):
    from saving import weights_store

    model = make_model()
    model.compile(optimizer="adam", loss="mse")
    model.fit(data, data[:, :1], epochs=2, verbose=0)
    path = tmp_path / "trained.keras"
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        manifest, arrays = weights_store.read_npz(
            archive.read("model.weights.npz"), "test"
        )
    assert manifest["optimizer"] == len(model.optimizer.variables)
    saved_iterations = arrays["optimizer/0"]
    assert int(saved_iterations) == int(model.optimizer.iterations.numpy())


def test_load_recompiles_and_restores_the_optimizer_so_training_resumes(tmp_path, data):
    targets = data[:, :1] * 2.0
    model = make_model()
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    model.fit(data, targets, epochs=2, batch_size=4, verbose=0)
    path = tmp_path / "trained.keras"
    model.save(path)
    restored = keras.models.load_model(path)
    assert restored.get_compile_config() == model.get_compile_config()
    for saved, loaded in zip(model.optimizer.variables, restored.optimizer.variables):
        np.testing.assert_array_equal(saved.numpy(), loaded.numpy())
    # One more epoch from the same state gives the same weights in both.
    model.fit(data, targets, epochs=1, batch_size=4, shuffle=False, verbose=0)
    restored.fit(data, targets, epochs=1, batch_size=4, shuffle=False, verbose=0)
    for a, b in zip(model.get_weights(), restored.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    uncompiled = keras.models.load_model(path, compile=False)
    assert uncompiled.optimizer is None


@pytest.mark.parametrize(
    "method, name, message",
    [
        ("save", "model.h5", "must end in `.keras`"),
        ("save_weights", "model.weights.pkl", "must end in `.weights.npz` or"),
    ],
)
def test_wrong_suffix_is_a_clear_error(tmp_path, method, name, message):
    with pytest.raises(ValueError, match=message):
        getattr(make_model(), method)(tmp_path / name)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="No file found at .*absent.keras"):
        keras.models.load_model(tmp_path / "absent.keras")
    with pytest.raises(FileNotFoundError, match="absent.weights.npz"):
        make_model().load_weights(tmp_path / "absent.weights.npz")


def test_truncated_archive_is_a_clear_error(tmp_path):
    path = tmp_path / "model.keras"
    make_model().save(path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(ValueError, match="truncated"):
        keras.models.load_model(path)


def test_truncated_weights_file_is_a_clear_error(tmp_path):
    path = tmp_path / "model.weights.npz"
    model = make_model()
    model.save_weights(path)
    path.write_bytes(path.read_bytes()[:200])
    before = model.get_weights()
    with pytest.raises(SavedFileError, match="model.weights.npz.*not a readable zip"):
        model.load_weights(path)
    for old, new in zip(before, model.get_weights()):
        np.testing.assert_array_equal(old, new)


def test_mismatched_shapes_name_the_layer_and_load_nothing(tmp_path):
    path = tmp_path / "wide.weights.npz"
    make_model(width=3).save_weights(path)
    narrow = make_model(width=2)
    before = narrow.get_weights()
    with pytest.raises(ValueError) as info:
        narrow.load_weights(path)
    message = str(info.value)
    assert "(4, 2)" in message and "(4, 3)" in message
    assert narrow.layers[0].name in message
    for old, new in zip(before, narrow.get_weights()):
        np.testing.assert_array_equal(old, new)  # nothing was assigned


def test_wrong_layer_count_is_a_clear_error(tmp_path):
    path = tmp_path / "two.weights.npz"
    make_model().save_weights(path)
    deeper = keras.Sequential(
        [
            keras.Input(shape=(4,)),
            keras.layers.Dense(3),
            keras.layers.Dense(3),
            keras.layers.Dense(1),
        ]
    )
    with pytest.raises(ValueError, match="weights for 2 layers .* has 3 layers"):
        deeper.load_weights(path)


def test_unbuilt_model_cannot_be_saved(tmp_path):
    model = keras.Sequential([keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="has not been built"):
        model.save(tmp_path / "m.keras")


def test_overwrite_false_keeps_the_existing_file(tmp_path):
    path = tmp_path / "m.keras"
    make_model().save(path)
    with pytest.raises(FileExistsError, match="overwrite=True"):
        make_model().save(path, overwrite=False)


def test_pickled_payload_is_never_loaded(tmp_path):
    """A crafted archive whose weights hold a pickled object is refused."""
    path = tmp_path / "evil.keras"
    make_model().save(path)
    evil = tmp_path / "evil.npz"
    np.savez(evil, __manifest__=np.array([{"layers": []}], dtype=object))
    with zipfile.ZipFile(path) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    entries["model.weights.npz"] = evil.read_bytes()
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    with pytest.raises(SavedFileError, match="evil.keras.*dtype object"):
        keras.models.load_model(path)


def test_a_save_killed_halfway_leaves_the_previous_file_loadable(tmp_path, data):
    path = tmp_path / "model.keras"
    model = make_model()
    model.save(path)
    expected = model.predict(data, verbose=0)
    # A child process starts overwriting the file and dies mid-write.
    script = textwrap.dedent(
        f"""
        import os, sys, zipfile
        sys.path.insert(0, {str(ROOT)!r})
        import nanokeras as keras
        original = zipfile.ZipFile.writestr
        def dying_writestr(self, name, data, *args, **kwargs):
            if name == "model.weights.npz":
                original(self, name, data[: len(data) // 2], *args, **kwargs)
                self.fp.flush()
                os._exit(17)  # killed: no cleanup, no exception handlers
            return original(self, name, data, *args, **kwargs)
        zipfile.ZipFile.writestr = dying_writestr
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(7),
                                  keras.layers.Dense(1)])
        model.save({str(path)!r})
        """
    )
    result = subprocess.run([sys.executable, "-c", script], timeout=120)
    assert result.returncode == 17
    restored = keras.models.load_model(path)
    np.testing.assert_array_equal(restored.predict(data, verbose=0), expected)
    leftovers = [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]
    assert len(leftovers) == 1  # the dead writer's temp file, never the target
