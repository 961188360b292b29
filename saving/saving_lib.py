"""The `.keras` archive: a zip of the model's config (JSON) and weights (`.npz`).

Mirrors: keras/saving/saving_lib.py (tf.keras 2.13+), keras/src/saving/saving_lib.py
(Keras 3)

Left out: Keras's HDF5 weights (we store `.npz`), custom-object registration
by decorator (pass `custom_objects=` instead) and the optional assets folder.

An archive holds three entries:

- `metadata.json`: what wrote it (format version, date);
- `config.json`: the model's class and config (`get_config`), the input
  shape it was built with and the `compile` arguments: enough to rebuild the
  architecture and recompile it;
- `model.weights.npz`: the weights and the optimizer's variables.

Nothing in it is executable: configs are JSON and arrays are loaded with
`allow_pickle=False`, so opening a crafted file can never run code.
"""

import datetime
import json
import zipfile
from pathlib import Path
from typing import Any

from saving import file_utils, weights_store

FORMAT_VERSION = "1"
_CONFIG = "config.json"
_METADATA = "metadata.json"
_WEIGHTS = "model.weights.npz"


def _check_suffix(filepath: Any, suffix: str, what: str) -> None:
    if not str(filepath).endswith(suffix):
        raise ValueError(
            f"The filepath for {what} must end in `{suffix}`. Received: "
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
    from engine.functional_utils import serialize_layer

    _check_suffix(filepath, ".keras", "`model.save()`")
    _require_built(model, "save")
    file_utils.check_overwrite(filepath, overwrite)
    config = {
        "model": serialize_layer(model),
        "build_input_shape": _jsonable(getattr(model, "_build_input_shape", None)),
        "compile_config": _compile_config(model),
    }
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
    filepath: Any, custom_objects: dict | None = None, compile: bool = True
) -> Any:
    """Rebuild the model saved in a `.keras` file, with its weights.

    With `compile=True`, a model saved compiled is compiled again the same way
    and its optimizer state (step count, moments) restored, so `fit` resumes.
    """
    from engine.functional_utils import deserialize_layer

    source = _existing(filepath)
    try:
        with zipfile.ZipFile(source) as archive:
            names = set(archive.namelist())
            missing = {_CONFIG, _WEIGHTS} - names
            if missing:
                raise ValueError(
                    f"{str(filepath)!r} is not a nanokeras `.keras` archive: it "
                    f"lacks {sorted(missing)}."
                )
            config = json.loads(archive.read(_CONFIG))
            weights = archive.read(_WEIGHTS)
    except (zipfile.BadZipFile, EOFError, OSError, json.JSONDecodeError) as error:
        raise ValueError(
            f"Could not read {str(filepath)!r}: the file is truncated or is not "
            f"a `.keras` archive ({type(error).__name__}: {error})."
        ) from None
    model = deserialize_layer(config["model"], custom_objects)
    shape = config.get("build_input_shape")
    if not model.built and shape is not None:
        model.build(_shape_from_json(shape))
    manifest, arrays = weights_store.read_npz(weights, repr(str(filepath)))
    optimizer = None
    if compile and config.get("compile_config"):
        model.compile_from_config(config["compile_config"])
        if manifest.get("optimizer"):
            optimizer = model.optimizer
            optimizer.build(model.trainable_variables)
    weights_store.assign_weights(
        model, manifest, arrays, repr(str(filepath)), optimizer=optimizer
    )
    return model


def _compile_config(model: Any) -> dict | None:
    """What `compile` was called with, when the model can describe it."""
    get_config = getattr(model, "get_compile_config", None)
    return get_config() if get_config is not None else None


def save_weights(model: Any, filepath: Any, overwrite: bool = True) -> None:
    """Write only the weights, to a `.weights.npz` file."""
    _check_suffix(filepath, ".weights.npz", "`save_weights()`")
    _require_built(model, "save")
    file_utils.check_overwrite(filepath, overwrite)
    data = weights_store.to_npz_bytes(model)
    with file_utils.atomic_write(filepath) as handle:
        handle.write(data)


def load_weights(model: Any, filepath: Any) -> None:
    """Load a `.weights.npz` file into `model`, all weights or none."""
    _check_suffix(filepath, ".weights.npz", "`load_weights()`")
    _require_built(model, "load weights into")
    source = _existing(filepath)
    manifest, arrays = weights_store.read_npz(source.read_bytes(), repr(str(filepath)))
    weights_store.assign_weights(model, manifest, arrays, repr(str(filepath)))


def _existing(filepath: Any) -> Path:
    path = Path(filepath)
    if not path.is_file():
        raise FileNotFoundError(f"No file found at {str(filepath)!r}.")
    return path


def _jsonable(shape: Any) -> Any:
    """Shapes as nested lists (JSON has no tuples)."""
    if isinstance(shape, (list, tuple)):
        return [_jsonable(item) for item in shape]
    if isinstance(shape, dict):
        return {key: _jsonable(value) for key, value in shape.items()}
    return shape


def _shape_from_json(shape: Any) -> Any:
    """Inverse of `_jsonable`: innermost lists of ints/None become tuples."""
    if isinstance(shape, dict):
        return {key: _shape_from_json(value) for key, value in shape.items()}
    if isinstance(shape, list):
        if all(item is None or isinstance(item, int) for item in shape):
            return tuple(shape)
        return [_shape_from_json(item) for item in shape]
    return shape
