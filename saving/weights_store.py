"""Which arrays a model saves, in what order, and how they are checked on load.

Mirrors: keras/saving/hdf5_format.py `load_weights_from_hdf5_group` (tf.keras
2.x, which matched layers by order), keras/src/saving/saving_lib.py (Keras 3)

A model's weights are saved layer by layer, in the order the model tracks its
layers (depth first), as a *manifest* (each layer's path and weight shapes,
and a SHA-256 digest of every array) plus one `.npy` array per weight, in an
`.npz` zip. Loading matches layers by position, as tf.keras did, so a model
rebuilt in a fresh process (where automatic names such as `dense_3` may
differ) still loads.

Loading is all or nothing. The manifest is read first; only the arrays it
lists are decompressed (each through `archive_reader`, which never trusts a
declared size); each must match its digest, and every weight's shape and
dtype kind (and the optimizer's) is checked before the first variable is
written. A refused load leaves the model and its optimizer bit for bit as
they were.
"""

import hashlib
import io
import json
import zipfile
from typing import Any

import numpy as np

from saving import archive_reader
from saving.file_utils import SavedFileError

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


def _npy_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    # `asarray(order="C")`, not `ascontiguousarray`: that one makes 0-d arrays 1-d.
    np.lib.format.write_array(buffer, np.asarray(array, order="C"), allow_pickle=False)
    return buffer.getvalue()


def to_npz_bytes(model: Any, optimizer: Any = None) -> bytes:
    """The model's weights (and optimizer variables) as the bytes of an `.npz`."""
    arrays, manifest = {}, {"layers": [], "optimizer": None, "digests": {}}
    for index, (path, weights) in enumerate(weight_groups(model)):
        manifest["layers"].append(
            {"path": path, "shapes": [list(w.shape) for w in weights]}
        )
        for position, weight in enumerate(weights):
            arrays[f"layers/{index}/{position}"] = _npy_bytes(weight.numpy())
    if optimizer is not None and getattr(optimizer, "built", False):
        store: dict = {}
        optimizer.save_own_variables(store)
        manifest["optimizer"] = len(store)
        for key, value in store.items():
            arrays[f"optimizer/{key}"] = _npy_bytes(np.asarray(value))
    manifest["digests"] = {
        key: hashlib.sha256(data).hexdigest() for key, data in arrays.items()
    }
    # A unicode array, not a pickled object: loading stays pickle-free.
    arrays[_MANIFEST_KEY] = _npy_bytes(np.array(json.dumps(manifest)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for key, data in arrays.items():
            archive.writestr(f"{key}.npy", data)
    return buffer.getvalue()


def read_npz(data: bytes | Any, source: str) -> tuple[dict, dict]:
    """`(manifest, arrays)` from `.npz` bytes or a path; refuses anything odd."""
    with archive_reader.open_zip(data, source) as archive:
        raw = archive_reader.read_member(archive, f"{_MANIFEST_KEY}.npy", source)
        text = archive_reader.parse_npy(raw, _MANIFEST_KEY, source)
        if text.dtype.kind != "U" or text.shape != ():
            raise SavedFileError(source, "its weights manifest is not a JSON text")
        try:
            manifest = json.loads(str(text))
        except (ValueError, RecursionError) as error:
            raise SavedFileError(
                source, f"its weights manifest is not JSON ({error})"
            ) from None
        keys = _check_manifest(manifest, source)
        arrays = {}
        for key in keys:
            member = archive_reader.read_member(archive, f"{key}.npy", source)
            if hashlib.sha256(member).hexdigest() != manifest["digests"].get(key):
                raise SavedFileError(
                    source, f"array {key!r} does not match the manifest's digest"
                )
            arrays[key] = archive_reader.parse_npy(member, key, source)
    return manifest, arrays


def _check_manifest(manifest: Any, source: str) -> list[str]:
    """Check the manifest's JSON shape; return the array keys it lists."""

    def bad(what: str) -> SavedFileError:
        return SavedFileError(source, f"its weights manifest is malformed ({what})")

    if not isinstance(manifest, dict) or not isinstance(manifest.get("layers"), list):
        raise bad("expected a dict with a 'layers' list")
    if not isinstance(manifest.get("digests"), dict):
        raise bad("expected a 'digests' dict")
    keys = []
    for index, entry in enumerate(manifest["layers"]):
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("path"), str)
            and isinstance(entry.get("shapes"), list)
            and all(
                isinstance(shape, list)
                and all(type(d) is int and d >= 0 for d in shape)
                for shape in entry["shapes"]
            )
        ):
            raise bad(f"layer entry {index}")
        keys += [f"layers/{index}/{p}" for p in range(len(entry["shapes"]))]
    count = manifest.get("optimizer")
    if count is not None and not (type(count) is int and count >= 0):
        raise bad("'optimizer' must be a variable count")
    keys += [f"optimizer/{index}" for index in range(count or 0)]
    return keys


def _check_value(value: np.ndarray, variable: Any, what: str, source: str) -> None:
    """Refuse a saved array whose shape or kind of dtype does not fit `variable`."""
    if tuple(value.shape) != tuple(variable.shape):
        raise SavedFileError(
            source,
            f"{what} has shape {tuple(value.shape)} in the file but "
            f"{tuple(variable.shape)} in the model",
        )
    wanted = np.dtype(variable.dtype).kind
    allowed = {"f": "f", "b": "b", "i": "iu", "u": "iu"}.get(wanted, wanted)
    if value.dtype.kind not in allowed:
        raise SavedFileError(
            source,
            f"{what} is stored as {value.dtype} but the model's variable is "
            f"{np.dtype(variable.dtype)}",
        )


def assign_weights(
    model: Any, manifest: dict, arrays: dict, source: str, optimizer: Any = None
) -> None:
    """Check every saved array against `model`, then assign them all."""
    groups = weight_groups(model)
    saved = manifest["layers"]
    if len(saved) != len(groups):
        raise SavedFileError(
            source,
            f"the file has weights for {len(saved)} layers "
            f"({[g['path'] for g in saved]}) but model '{model.name}' has "
            f"{len(groups)} layers with weights ({[path for path, _ in groups]})",
        )
    plan = []
    for index, ((path, weights), entry) in enumerate(zip(groups, saved)):
        shapes = [tuple(w.shape) for w in weights]
        saved_shapes = [tuple(s) for s in entry["shapes"]]
        if shapes != saved_shapes:
            raise SavedFileError(
                source,
                f"layer '{path}' of model '{model.name}' has weights of shapes "
                f"{shapes}, but the file's layer '{entry['path']}' has weights "
                f"of shapes {saved_shapes}",
            )
        for position, weight in enumerate(weights):
            value = arrays[f"layers/{index}/{position}"]
            _check_value(
                value, weight, f"weight '{weight.name}' of layer '{path}'", source
            )
            plan.append((weight, value))
    count = manifest.get("optimizer") or 0
    load_optimizer = optimizer is not None and count > 0
    if load_optimizer and len(optimizer.variables) == count:
        for index, variable in enumerate(optimizer.variables):
            value = arrays[f"optimizer/{index}"]
            _check_value(
                value, variable, f"optimizer variable '{variable.name}'", source
            )
    # Everything fits: only now is anything written.
    for weight, value in plan:
        weight.assign(value.astype(weight.dtype, copy=False))
    if load_optimizer:
        optimizer.load_own_variables(
            {str(index): arrays[f"optimizer/{index}"] for index in range(count)}
        )
