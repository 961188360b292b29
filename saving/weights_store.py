"""Which arrays a model saves, in what order, and how they are checked on load.

Mirrors: keras/saving/hdf5_format.py `load_weights_from_hdf5_group` (tf.keras
2.x, which matched layers by order), keras/src/saving/saving_lib.py (Keras 3)

A model's weights are saved layer by layer, in the order the model tracks its
layers (depth first), as a *manifest* (each layer's path and weight shapes)
plus one array per weight. Loading matches layers by position, as tf.keras
did, so a model rebuilt in a fresh process (where automatic names such as
`dense_3` may differ) still loads. Everything is checked before the first
variable is written: a mismatch raises and leaves the model untouched.
"""

import io
import json
from typing import Any

import numpy as np

_MANIFEST_KEY = "__manifest__"


def weight_groups(model: Any) -> list[tuple[str, list]]:
    """`(layer path, own weights)` for every layer that owns weights, in order."""
    groups = []

    def visit(layer: Any, path: str) -> None:
        own = layer._own_trainable_weights + layer._own_non_trainable_weights
        if own:
            groups.append((path, own))
        for child in layer._tracked_layers():
            visit(child, f"{path}/{child.name}")

    visit(model, model.name)
    return groups


def to_npz_bytes(model: Any, optimizer: Any = None) -> bytes:
    """The model's weights (and optimizer variables) as the bytes of an `.npz`."""
    groups = weight_groups(model)
    arrays, manifest = {}, {"layers": [], "optimizer": None}
    for index, (path, weights) in enumerate(groups):
        manifest["layers"].append(
            {"path": path, "shapes": [list(w.shape) for w in weights]}
        )
        for position, weight in enumerate(weights):
            arrays[f"layers/{index}/{position}"] = weight.numpy()
    if optimizer is not None and getattr(optimizer, "built", False):
        store: dict = {}
        optimizer.save_own_variables(store)
        manifest["optimizer"] = len(store)
        for key, value in store.items():
            arrays[f"optimizer/{key}"] = np.asarray(value)
    # A unicode array, not a pickled object: loading stays pickle-free.
    arrays[_MANIFEST_KEY] = np.array(json.dumps(manifest))
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def read_npz(data: bytes | Any, source: str) -> tuple[dict, dict]:
    """Parse `.npz` bytes or a file into `(manifest, arrays)`, never unpickling."""
    try:
        handle = io.BytesIO(data) if isinstance(data, bytes) else data
        with np.load(handle, allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
        manifest = json.loads(str(arrays.pop(_MANIFEST_KEY)))
    except KeyError:
        raise ValueError(
            f"{source} has no weights manifest: it was not written by nanokeras "
            "`save_weights` / `save`."
        ) from None
    except Exception as error:  # zip, zlib, format and JSON errors alike
        raise ValueError(
            f"Could not read the weights in {source}: the file is truncated or "
            f"corrupted ({type(error).__name__}: {error})."
        ) from None
    return manifest, arrays


def assign_weights(
    model: Any, manifest: dict, arrays: dict, source: str, optimizer: Any = None
) -> None:
    """Check every saved array against `model`, then assign them all."""
    groups = weight_groups(model)
    saved = manifest["layers"]
    if len(saved) != len(groups):
        raise ValueError(
            f"Cannot load {source} into model '{model.name}': the file has "
            f"weights for {len(saved)} layers ({[g['path'] for g in saved]}) but "
            f"the model has {len(groups)} layers with weights "
            f"({[path for path, _ in groups]})."
        )
    plan = []
    for index, ((path, weights), entry) in enumerate(zip(groups, saved)):
        shapes = [tuple(w.shape) for w in weights]
        saved_shapes = [tuple(s) for s in entry["shapes"]]
        if shapes != saved_shapes:
            raise ValueError(
                f"Cannot load {source} into model '{model.name}': layer "
                f"'{path}' has weights of shapes {shapes}, but the file's layer "
                f"'{entry['path']}' has weights of shapes {saved_shapes}."
            )
        for position, weight in enumerate(weights):
            key = f"layers/{index}/{position}"
            if key not in arrays or arrays[key].shape != tuple(weight.shape):
                raise ValueError(
                    f"{source} is corrupted: the array for weight "
                    f"'{weight.name}' of layer '{path}' is missing or has the "
                    "wrong shape."
                )
            plan.append((weight, arrays[key]))
    for weight, value in plan:
        weight.assign(value.astype(weight.dtype, copy=False))
    if optimizer is not None and manifest.get("optimizer"):
        store = {
            key.split("/", 1)[1]: value
            for key, value in arrays.items()
            if key.startswith("optimizer/")
        }
        optimizer.load_own_variables(store)
