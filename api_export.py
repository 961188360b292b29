"""The `@export` decorator: give an object its public import paths.

Mirrors: tensorflow/python/util/tf_export.py (TensorFlow 2.6, whose
keras_export tf.keras 2.6 imports), keras/src/api_export.py (Keras 3)

The code of `Dense` lives in `layers/core/dense.py`, but users write
`nanokeras.layers.Dense`. The decorator above the class records that public
path in a registry; `scripts/gen_api.py` reads the registry and writes the
`nanokeras/` package, one `__init__.py` per namespace, whose only content is
imports of the implementations. Moving a file then changes one import line in
generated code, never a user's program.
"""

import inspect
import keyword
import re
from dataclasses import dataclass
from typing import Any

_PUBLIC_PATH = re.compile(r"^nanokeras(\.[A-Za-z_][A-Za-z0-9_]*)+$")


@dataclass(frozen=True)
class Export:
    """One registry entry: where the object behind a public path is defined."""

    public_path: str
    module: str
    qualname: str
    obj: Any

    @property
    def namespace(self) -> str:
        """`nanokeras.layers.Dense` -> `nanokeras.layers`."""
        return self.public_path.rpartition(".")[0]

    @property
    def public_name(self) -> str:
        """`nanokeras.layers.Dense` -> `Dense`."""
        return self.public_path.rpartition(".")[2]

    def location(self) -> str:
        """`file:line` of the definition (computed on demand: it reads the file)."""
        return describe_location(self.obj)


# public path -> Export. Filled as implementation modules are imported.
REGISTRY: dict[str, Export] = {}


def describe_location(obj: Any) -> str:
    # A decorated function (an op with dispatch support) is reported where
    # its own code is, as `inspect.getsourcelines` already does.
    obj = inspect.unwrap(obj)
    try:
        file = inspect.getsourcefile(obj) or "<unknown>"
        line = inspect.getsourcelines(obj)[1]
    except (OSError, TypeError):
        return f"{getattr(obj, '__module__', '?')}.{getattr(obj, '__qualname__', obj)}"
    return f"{file}:{line}"


class export:
    """Decorator recording one or more public paths for a class or function.

    Args:
        *api_names: Public paths such as `"nanokeras.layers.Dense"`. Each must
            start with `nanokeras.` and be a dotted Python identifier, and no
            path may be claimed by two different objects.

    Example:

    ```python
    @export("nanokeras.layers.Dense")
    class Dense(Layer):
        ...
    ```
    """

    def __init__(self, *api_names: str):
        if not api_names:
            raise ValueError("@export needs at least one public path.")
        for path in api_names:
            if not isinstance(path, str) or not _PUBLIC_PATH.match(path):
                raise ValueError(
                    f"@export got the malformed public path {path!r}. A public "
                    "path is dotted identifiers under `nanokeras`, such as "
                    "'nanokeras.layers.Dense'."
                )
            reserved = [part for part in path.split(".") if keyword.iskeyword(part)]
            if reserved:
                # `from nanokeras.lambda import X` would be a syntax error.
                raise ValueError(
                    f"@export got the public path {path!r}, whose segment "
                    f"{reserved[0]!r} is a Python keyword: the generated "
                    "import could not be written. Pick another name."
                )
        self.api_names = api_names

    def __call__(self, obj: Any) -> Any:
        for path in self.api_names:
            entry = Export(path, obj.__module__, obj.__qualname__, obj)
            previous = REGISTRY.get(path)
            if previous is not None and not _same_definition(previous, entry):
                raise ValueError(
                    f"The public path {path!r} is claimed twice: by "
                    f"{previous.module}.{previous.qualname} "
                    f"({previous.location()}) and by {entry.module}."
                    f"{entry.qualname} ({entry.location()}). Give one of them "
                    "another path."
                )
            REGISTRY[path] = entry
        # Read from the object's own __dict__: a subclass must not inherit its
        # parent's public paths.
        own = vars(obj).get("_api_names", ()) if hasattr(obj, "__dict__") else ()
        obj._api_names = tuple(own) + tuple(self.api_names)
        return obj


def _same_definition(a: Export, b: Export) -> bool:
    """A module imported again (reload) re-registers the same definition."""
    return (a.module, a.qualname) == (b.module, b.qualname)


def get_api_names(obj: Any) -> tuple:
    """The public paths of `obj`, or `()` when it is not exported."""
    return vars(obj).get("_api_names", ()) if hasattr(obj, "__dict__") else ()
