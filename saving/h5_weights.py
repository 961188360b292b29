"""`save_weights("x.weights.h5")`: Keras 3's HDF5 weights layout, read and written.

Mirrors: keras/src/saving/saving_lib.py `H5IOStore` and `save_weights_only` /
`load_weights_only` (Keras 3)

Simplified: a layer nested in another is stored under its own name
(`layers/<outer>/<inner>/vars`) where Keras uses the attribute name
(`.../cell/vars`), and the optimizer's variables are not stored.

Keras 3 writes one HDF5 group per layer, named after the layer, holding its
own variables as datasets `0`, `1`, ... in the order the layer created them:

    layers/dense/vars/0    (the kernel)
    layers/dense/vars/1    (the bias)
    vars                   (the model's own variables: none)

Layers are matched by name, as in Keras 3, so a file written by real Keras
for the same architecture (same layer names) loads here, and ours loads
there. An HDF5 file can point outside itself (external links, external or
virtual storage): such datasets are refused, and every dataset's shape and
dtype kind is checked before the first one is read, so loading stays all or
nothing and never allocates more than the model's own weights.
"""

import io
from pathlib import Path
from typing import Any

import numpy as np

from saving import archive_reader, weights_store
from saving.file_utils import SavedFileError


def _group_path(model: Any, layer_path: str) -> str:
    """`model/dense` -> `layers/dense/vars`; the model itself -> `vars`."""
    parts = layer_path.split("/")[1:]
    return "/".join(["layers", *parts, "vars"]) if parts else "vars"


def to_h5_bytes(model: Any) -> bytes:
    """The model's weights as the bytes of a Keras 3 `.weights.h5` file."""
    import h5py

    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as file:
        file.create_group("vars").attrs["name"] = model.name
        for path, weights in weights_store.weight_groups(model):
            group = file.require_group(_group_path(model, path))
            group.attrs["name"] = path.rpartition("/")[2]
            for index, weight in enumerate(weights):
                group.create_dataset(str(index), data=weight.numpy())
    return buffer.getvalue()


def _dataset(file: Any, path: str, source: str) -> Any:
    """The dataset at `path`, refusing links and storage outside the file."""
    import h5py

    node = file
    for part in path.split("/"):
        link = node.get(part, getlink=True)
        if link is None:
            raise SavedFileError(source, f"it has no entry {path!r}")
        if not isinstance(link, h5py.HardLink):
            raise SavedFileError(
                source, f"{path!r} is a link ({type(link).__name__}), not data"
            )
        node = node[part]
    if not isinstance(node, h5py.Dataset):
        raise SavedFileError(source, f"{path!r} is not a dataset")
    if node.is_virtual or node.external:
        raise SavedFileError(source, f"dataset {path!r} is stored outside the file")
    return node


def load_h5(model: Any, filepath: Path, source: str) -> None:
    """Check every dataset against `model`, then assign them all."""
    import h5py

    try:
        with h5py.File(filepath, "r") as file:
            plan = []
            for path, weights in weights_store.weight_groups(model):
                group = _group_path(model, path)
                for index, weight in enumerate(weights):
                    dataset = _dataset(file, f"{group}/{index}", source)
                    if dataset.dtype.kind not in archive_reader.WEIGHT_KINDS:
                        raise SavedFileError(
                            source,
                            f"dataset '{group}/{index}' has dtype {dataset.dtype}",
                        )
                    if tuple(dataset.shape) != tuple(weight.shape):
                        raise SavedFileError(
                            source,
                            f"weight '{weight.name}' of layer '{path}' has shape "
                            f"{tuple(weight.shape)} but '{group}/{index}' in the "
                            f"file has shape {tuple(dataset.shape)}",
                        )
                    plan.append((weight, dataset))
                extra = _extra_datasets(file, group, len(weights))
                if extra:
                    raise SavedFileError(
                        source,
                        f"layer '{path}' has {len(weights)} weights but the "
                        f"file's group '{group}' also holds {extra}",
                    )
            values = [(weight, np.asarray(dataset[()])) for weight, dataset in plan]
    except SavedFileError:
        raise
    except (OSError, KeyError, ValueError, TypeError, RuntimeError) as error:
        raise SavedFileError(
            source, f"it is not a readable HDF5 weights file ({error})"
        ) from None
    for weight, value in values:
        weights_store._check_value(value, weight, f"weight '{weight.name}'", source)
    for weight, value in values:
        weight.assign(value.astype(weight.dtype, copy=False))


def _extra_datasets(file: Any, group: str, count: int) -> list[str]:
    """Names in `group` beyond the `count` datasets the layer expects."""
    node = file.get(group)
    if node is None:
        return []
    return sorted(name for name in node if not name.isdigit() or int(name) >= count)
