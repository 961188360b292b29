"""The public saving functions: `save_model`, `load_model`, `model_from_json`.

Mirrors: keras/saving/save.py (tf.keras 2.6), keras/src/saving/saving_api.py
(Keras 3)
"""

import json
from typing import Any

from api_export import export
from saving import saving_lib, serialization_lib


@export("nanokeras.saving.save_model", "nanokeras.models.save_model")
def save_model(
    model: Any,
    filepath: Any,
    overwrite: bool = True,
    zipped: bool | None = None,
    **kwargs: Any,
) -> None:
    """Save a model's architecture, weights and optimizer state to a `.keras` file.

    The file is a zip of JSON and `.npz` arrays, written atomically (a crash
    mid-save leaves any previous file intact) and never pickled.

    Args:
        model: A built model.
        filepath: Where to write; must end in `.keras`.
        overwrite: Whether an existing file may be replaced.
        zipped: Simplified: only a zipped `.keras` file (None or True), no
            unzipped folder.
        **kwargs: Keras's legacy-format options; none is supported.
    """
    check_save_options(zipped, kwargs)
    saving_lib.save_model(model, filepath, overwrite=overwrite)


def check_save_options(zipped: Any, kwargs: dict) -> None:
    """Refuse Keras's unzipped and legacy save formats with a clear error."""
    if zipped is not None and not zipped:
        raise NotImplementedError(
            "nanokeras saves only zipped `.keras` files. Received: zipped=False. "
            "Leave `zipped` as None or True."
        )
    if kwargs:
        raise TypeError(
            f"Unrecognized arguments to save_model: {sorted(kwargs)}. nanokeras "
            "supports only the `.keras` format (no `save_format`, no legacy "
            "HDF5 or SavedModel options)."
        )


@export("nanokeras.saving.load_model", "nanokeras.models.load_model")
def load_model(
    filepath: Any,
    custom_objects: dict | None = None,
    compile: bool = True,
    safe_mode: bool = True,
) -> Any:
    """Load a model saved with `model.save()` / `save_model()`.

    Args:
        filepath: A `.keras` file.
        custom_objects: Custom classes and functions (layers, losses,
            activations, ...), by the name the config uses for them.
        compile: Whether to compile the model again as it was saved (and
            restore the optimizer's state), so training can resume.
        safe_mode: When True (the default), Python code stored in the file
            (a `Lambda`'s bytecode, or a function that is neither built in
            nor registered) is refused. Pass False only for files you trust.
    """
    if not str(filepath).endswith(".keras"):
        raise ValueError(
            "File format not supported: filepath="
            f"{str(filepath)!r}. nanokeras loads `.keras` archives written by "
            "`model.save()`; for weights use `model.load_weights()`."
        )
    return saving_lib.load_model(
        filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode
    )


def model_to_json(model: Any, **kwargs: Any) -> str:
    """`Model.to_json`: the architecture and build shape as JSON (no weights)."""
    return json.dumps(serialization_lib.serialize_keras_object(model), **kwargs)


@export("nanokeras.models.model_from_json")
def model_from_json(json_string: str, custom_objects: dict | None = None) -> Any:
    """Rebuild a model (new weights) from `Model.to_json()`'s output.

    Args:
        json_string: The JSON text.
        custom_objects: Custom classes and functions, by the config's names.

    Returns:
        The model, built when the JSON records its input shape.
    """
    config = json.loads(json_string)
    return serialization_lib.deserialize_keras_object(
        config, custom_objects=custom_objects
    )


@export("nanokeras.saving.save_weights")
def save_weights(
    model: Any,
    filepath: Any,
    overwrite: bool = True,
    max_shard_size: Any = None,
    **kwargs: Any,
) -> None:
    """`model.save_weights(filepath)`, as a function (Keras 3 offers both).

    Simplified: Keras's legacy-format `**kwargs` are refused.
    """
    if kwargs:
        raise TypeError(f"Unrecognized arguments to save_weights: {sorted(kwargs)}.")
    model.save_weights(filepath, overwrite=overwrite, max_shard_size=max_shard_size)


@export("nanokeras.saving.load_weights")
def load_weights(
    model: Any, filepath: Any, skip_mismatch: bool = False, **kwargs: Any
) -> None:
    """`model.load_weights(filepath)`, as a function (Keras 3 offers both)."""
    model.load_weights(filepath, skip_mismatch=skip_mismatch, **kwargs)
