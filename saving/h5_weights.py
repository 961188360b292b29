"""`save_weights("x.weights.h5")`: Keras 3's HDF5 weights layout, read and written.

Mirrors: keras/src/saving/saving_lib.py `H5IOStore` and `save_weights_only` /
`load_weights_only` (Keras 3)

Simplified: the optimizer's variables are not stored, and a layer kept in
a list attribute of another layer (not a model) is stored under
`layers/<class>` rather than under the list's name.

Keras 3 writes one HDF5 group per layer holding its own variables as
datasets `0`, `1`, ... in the order the layer created them. The group is
named after the layer's *class* and position, not after its name (names such
as `dense_7` depend on what else the process created), and a layer inside
another one is named by the attribute that holds it:

    layers/dense/vars/0            (the first Dense's kernel)
    layers/dense_1/vars/1          (the second Dense's bias)
    layers/bidirectional/forward_layer/cell/vars/0
    vars                           (the model's own variables: none)

The same paths are computed on load, so a file written by real Keras for the
same architecture loads here, and ours loads there.

An HDF5 file can point outside itself (external links, external or virtual
storage): such datasets are refused, and every dataset's shape and
dtype kind is checked before the first one is read, so loading stays all or
nothing and never allocates more than the model's own weights.
"""

import io
from pathlib import Path
from typing import Any

import numpy as np

from backend.module import camel_to_snake
from saving import archive_reader, weights_store
from saving.file_utils import SavedFileError


def weight_groups(model: Any) -> list[tuple[str, Any, list]]:
    """`(group path, layer, own weights)` for every layer with weights, in order."""
    groups = []

    def visit(layer: Any, path: str) -> None:
        own = layer._own_trainable_weights + layer._own_non_trainable_weights
        if own:
            groups.append((f"{path}/vars" if path else "vars", layer, own))
        attributes = {id(value): key for key, value in vars(layer).items()}
        used: dict[str, int] = {}
        for child in layer._tracked_layers():
            attribute = attributes.get(id(child))
            if attribute is not None and not getattr(layer, "_is_graph_network", False):
                child_path = attribute.lstrip("_")
            else:
                name = camel_to_snake(type(child).__name__)
                used[name] = used.get(name, -1) + 1
                child_path = f"layers/{name}" + (f"_{used[name]}" if used[name] else "")
            visit(child, f"{path}/{child_path}" if path else child_path)

    visit(model, "")
    return groups


def to_h5_bytes(model: Any) -> bytes:
    """The model's weights as the bytes of a Keras 3 `.weights.h5` file."""
    import h5py

    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as file:
        file.create_group("vars").attrs["name"] = model.name
        for path, layer, weights in weight_groups(model):
            group = file.require_group(path)
            group.attrs["name"] = layer.name
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
            for group, layer, weights in weight_groups(model):
                path = layer.name
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
