"""`safe_mode`: a `.keras` file never runs code that the file itself names.

A `Lambda` config may name any function by module and name. Loading it with
the default `safe_mode=True` must refuse, before anything is imported or
called; `safe_mode=False` (or `enable_unsafe_deserialization()`) is the
explicit "I trust this file" switch, as in Keras 3.
"""

import json
import time
import zipfile

import numpy as np
import pytest

import nanokeras as keras
from saving import serialization_lib


def double(x):
    return x * 2


def _archive_with_extra_layer(tmp_path, layer_config, name="crafted.keras"):
    """A valid `.keras` file of a small Sequential, with `layer_config` inserted."""
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(4)])
    source = tmp_path / "plain.keras"
    model.save(source)
    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    config = json.loads(members["config.json"])
    config["config"]["layers"].insert(1, layer_config)
    members["config.json"] = json.dumps(config).encode()
    crafted = tmp_path / name
    with zipfile.ZipFile(crafted, "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return crafted


def _pipepager_lambda(marker):
    return {
        "module": "nanokeras.layers",
        "class_name": "Lambda",
        "config": {
            "name": "evil",
            "function": {
                "module": "pydoc",
                "class_name": "function",
                "config": "pipepager",
                "registered_name": "pipepager",
            },
            "arguments": {"cmd": f"touch {marker}"},
        },
        "registered_name": None,
    }


def _appeared(path, wait=1.0):
    """Whether `path` exists, allowing a started shell `wait` s to create it."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if path.exists():
            return True
        time.sleep(0.05)
    return path.exists()


def test_a_lambda_naming_a_shell_command_is_refused_and_never_runs(tmp_path):
    marker = tmp_path / "code-ran"
    crafted = _archive_with_extra_layer(tmp_path, _pipepager_lambda(marker))
    with pytest.raises(ValueError, match="safe_mode=False") as info:
        keras.models.load_model(crafted)
    assert str(crafted) in str(info.value)
    assert "Lambda" in str(info.value)
    assert not _appeared(marker)


def test_safe_mode_is_the_default_of_every_entry_point(tmp_path):
    marker = tmp_path / "code-ran"
    layer_config = _pipepager_lambda(marker)
    with pytest.raises(ValueError, match="safe_mode=False"):
        keras.layers.Lambda.from_config(dict(layer_config["config"]))
    with pytest.raises(ValueError, match="safe_mode=False"):
        keras.saving.deserialize_keras_object(layer_config)
    with pytest.raises(ValueError, match="safe_mode=False"):
        keras.layers.deserialize(layer_config)
    assert not _appeared(marker, wait=0.2)


def test_a_module_function_loads_only_when_safe_mode_is_off(tmp_path):
    layer = keras.layers.Lambda(double, name="twice")
    model = keras.Sequential([keras.Input(shape=(2,)), layer])
    path = tmp_path / "lambda.keras"
    model.save(path)
    with pytest.raises(ValueError, match="safe_mode=False"):
        keras.models.load_model(path)
    restored = keras.models.load_model(path, safe_mode=False)
    np.testing.assert_array_equal(
        restored.predict(np.ones((1, 2)), verbose=0), [[2, 2]]
    )


def test_python_lambda_bytecode_loads_only_when_safe_mode_is_off(tmp_path):
    model = keras.Sequential(
        [keras.Input(shape=(2,)), keras.layers.Lambda(lambda x: x + 1)]
    )
    path = tmp_path / "lambda.keras"
    model.save(path)
    with pytest.raises(ValueError, match="Python lambda"):
        keras.models.load_model(path)
    restored = keras.models.load_model(path, safe_mode=False)
    np.testing.assert_array_equal(
        restored.predict(np.ones((1, 2)), verbose=0), [[2, 2]]
    )


def test_enable_unsafe_deserialization_lifts_the_refusal(tmp_path):
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Lambda(double)])
    path = tmp_path / "lambda.keras"
    model.save(path)
    try:
        keras.config.enable_unsafe_deserialization()
        restored = keras.models.load_model(path)
    finally:
        serialization_lib.SafeModeScope._reset_global()
    np.testing.assert_array_equal(
        restored.predict(np.ones((1, 2)), verbose=0), [[2, 2]]
    )
    with pytest.raises(ValueError, match="safe_mode=False"):
        keras.models.load_model(path)


def test_a_lambda_wrapping_a_registered_or_built_in_function_loads(tmp_path):
    model = keras.Sequential(
        [
            keras.Input(shape=(2,)),
            keras.layers.Lambda(keras.activations.relu),
            keras.layers.Lambda(keras.ops.negative),
        ]
    )
    path = tmp_path / "builtins.keras"
    model.save(path)
    restored = keras.models.load_model(path)
    np.testing.assert_array_equal(
        restored.predict(np.array([[-1.0, 3.0]]), verbose=0), [[0.0, -3.0]]
    )


def test_non_modeling_functions_are_never_resolved():
    config = {
        "module": "nanokeras.saving",
        "class_name": "function",
        "config": "load_model",
        "registered_name": "load_model",
    }
    with pytest.raises(ValueError, match="not a modeling"):
        keras.saving.deserialize_keras_object(config)
