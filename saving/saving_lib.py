"""The `.keras` archive: a zip of the model's config (JSON) and weights (`.npz`).

Mirrors: keras/saving/hdf5_format.py (tf.keras 2.6),
keras/src/saving/saving_lib.py (Keras 3)

Left out: the optional assets folder. We write `.npz` weights; an archive
written by real Keras 3 (`model.weights.h5`) loads too, its weights read as
`.weights.h5` files are, but its optimizer state is not restored.

An archive holds three entries, as Keras 3's does:

- `metadata.json`: what wrote it (format version, date);
- `config.json`: `serialize_keras_object(model)`, Keras 3's dict with the
  model's class, config, the input shape it was built with (`build_config`)
  and the `compile` arguments (`compile_config`);
- `model.weights.npz`: the weights and the optimizer's variables.

Nothing in it is executable: configs are JSON whose names resolve only
through `serialization_lib`, and arrays are read without pickle. Every way
an archive can be wrong raises `SavedFileError` naming the file.
"""

import datetime
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from saving import (
    archive_reader,
    file_utils,
    object_registration,
    serialization_lib,
    weights_store,
)
from saving.file_utils import SavedFileError

FORMAT_VERSION = "2"
_CONFIG = "config.json"
_METADATA = "metadata.json"
_WEIGHTS = "model.weights.npz"
_KERAS_WEIGHTS = "model.weights.h5"  # what real Keras 3 writes


def _check_suffix(filepath: Any, suffixes: tuple, what: str) -> None:
    if not str(filepath).endswith(suffixes):
        names = " or ".join(f"`{suffix}`" for suffix in suffixes)
        raise ValueError(
            f"The filepath for {what} must end in {names}. Received: "
            f"filepath={str(filepath)!r}"
        )


def _require_built(model: Any, action: str) -> None:
    if not model.built:
        raise ValueError(
            f"Model '{model.name}' has not been built, so it has no weights to "
            f"{action}. Call it on data or call `build(input_shape)` first."
        )


def save_model(model: Any, filepath: Any, overwrite: bool = True) -> None:
    """Write `model` (architecture, weights, optimizer state) to a `.keras` file."""
    _check_suffix(filepath, (".keras",), "`model.save()`")
    _require_built(model, "save")
    file_utils.check_overwrite(filepath, overwrite)
    config = serialization_lib.serialize_keras_object(model)
    metadata = {
        "format_version": FORMAT_VERSION,
        "saved_by": "nanokeras",
        "date_saved": datetime.datetime.now(datetime.UTC).isoformat(),
    }
    weights = weights_store.to_npz_bytes(model, getattr(model, "optimizer", None))
    with file_utils.atomic_write(filepath) as handle:
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(_METADATA, json.dumps(metadata, indent=2))
            archive.writestr(_CONFIG, json.dumps(config, indent=2))
            archive.writestr(_WEIGHTS, weights)


def load_model(
    filepath: Any,
    custom_objects: dict | None = None,
    compile: bool = True,
    safe_mode: bool = True,
) -> Any:
    """Rebuild the model saved in a `.keras` file, with its weights.

    With `compile=True`, a model saved compiled is compiled again the same way
    and its optimizer state (step count, moments) restored, so `fit` resumes.
    """
    source = _existing(filepath)
    what = str(filepath)
    with archive_reader.open_zip(source, what) as archive:
        config = _read_json(archive, _CONFIG, what)
        from_keras = _WEIGHTS not in archive.namelist() and (
            _KERAS_WEIGHTS in archive.namelist()
        )
        weights_name = _KERAS_WEIGHTS if from_keras else _WEIGHTS
        weights = archive_reader.read_member(archive, weights_name, what)
    if not isinstance(config, dict) or not isinstance(config.get("config"), dict):
        raise SavedFileError(what, f"{_CONFIG} is not a serialized model")
    config = dict(config)
    compile_config = config.pop("compile_config", None)
    manifest, arrays = ({}, {}) if from_keras else weights_store.read_npz(weights, what)
    try:
        model = serialization_lib.deserialize_keras_object(
            config, custom_objects=custom_objects, safe_mode=safe_mode
        )
        if not hasattr(model, "built") or not hasattr(model, "_tracked_layers"):
            raise TypeError(f"the config describes {type(model).__name__}, not a model")
        optimizer = None
        if compile and compile_config:
            # Losses and metrics are looked up as the model's layers were.
            scoped = serialization_lib.in_safe_mode()
            with object_registration.CustomObjectScope(custom_objects), \
                    serialization_lib.SafeModeScope(
                        safe_mode if scoped is None else scoped):  # fmt: skip
                model.compile_from_config(compile_config)
            if manifest.get("optimizer"):
                optimizer = model.optimizer
                optimizer.build(model.trainable_variables)
    except SavedFileError:
        raise
    except Exception as error:  # the file's fault, whatever broke: say which file
        raise SavedFileError(what, f"{type(error).__name__}: {error}") from error
    if from_keras:
        from saving import h5_weights

        h5_weights.load_h5(model, io.BytesIO(weights), what)
        return model
    weights_store.assign_weights(model, manifest, arrays, what, optimizer=optimizer)
    return model


def _read_json(archive: Any, name: str, what: str) -> Any:
    data = archive_reader.read_member(archive, name, what)
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as error:
        raise SavedFileError(what, f"{name} is not valid JSON ({error})") from None


def save_weights(model: Any, filepath: Any, overwrite: bool = True) -> None:
    """Write only the weights, to a `.weights.npz` or Keras 3 `.weights.h5` file."""
    _check_suffix(filepath, (".weights.npz", ".weights.h5"), "`save_weights()`")
    _require_built(model, "save")
    file_utils.check_overwrite(filepath, overwrite)
    if str(filepath).endswith(".h5"):
        from saving import h5_weights

        data = h5_weights.to_h5_bytes(model)
    else:
        data = weights_store.to_npz_bytes(model)
    with file_utils.atomic_write(filepath) as handle:
        handle.write(data)


def load_weights(model: Any, filepath: Any) -> None:
    """Load a `.weights.npz` or `.weights.h5` file into `model`, all or nothing."""
    _check_suffix(filepath, (".weights.npz", ".weights.h5"), "`load_weights()`")
    _require_built(model, "load weights into")
    source = _existing(filepath)
    if str(filepath).endswith(".h5"):
        from saving import h5_weights

        h5_weights.load_h5(model, source, str(filepath))
        return
    manifest, arrays = weights_store.read_npz(source, str(filepath))
    weights_store.assign_weights(model, manifest, arrays, str(filepath))


def _existing(filepath: Any) -> Path:
    path = Path(filepath)
    if not path.is_file():
        raise FileNotFoundError(f"No file found at {str(filepath)!r}.")
    return path
