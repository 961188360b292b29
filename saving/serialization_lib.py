"""Objects to configs and back: the one place where a saved name becomes code.

Mirrors: keras/utils/generic_utils.py `serialize_keras_object` (tf.keras 2.6),
keras/src/saving/serialization_lib.py (Keras 3)

Simplified: no shared-object ids (an object used twice is saved twice) and
no `tf.TypeSpec`s.

`serialize_keras_object` describes any object in JSON terms, in Keras 3's
dict format:

    {"module": "nanokeras.layers", "class_name": "Dense",
     "config": {...}, "registered_name": None, "build_config": {...}}

`deserialize_keras_object` turns such a dict back into the object. This is
where a file could try to make us run code, so a name read from a config is
resolved in exactly three places and nowhere else:

1. the objects the user handed over (`custom_objects=`, a
   `custom_object_scope`, `@register_keras_serializable`);
2. the `@export` registry, restricted to the modeling namespaces (layers,
   models, activations, losses, ...), so `nanokeras.saving.load_model` or a
   module named by the file is never reached;
3. for name-only configs, the calling module's own table (`module_objects`).

Nothing is imported by name. Python code stored in a config (a lambda's
bytecode) is refused unless `safe_mode=False` or
`keras.config.enable_unsafe_deserialization()` says the file is trusted.
Real Keras names its own modules `keras.*`: they are read as `nanokeras.*`,
which is what lets Keras 3's configs load here.
"""

import base64
import inspect
import marshal
import types
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from api_export import REGISTRY, export, get_api_names
from backend.tensor import Tensor, convert_to_tensor
from saving import object_registration

PLAIN_TYPES = (str, int, float, bool)

# Public namespaces whose classes a config may name (and, from the root
# namespace, only the modeling classes in ROOT_CLASSES).
CLASS_NAMESPACES = frozenset(
    {
        "nanokeras",
        "nanokeras.activations",
        "nanokeras.constraints",
        "nanokeras.initializers",
        "nanokeras.layers",
        "nanokeras.losses",
        "nanokeras.metrics",
        "nanokeras.models",
        "nanokeras.optimizers",
        "nanokeras.optimizers.schedules",
        "nanokeras.regularizers",
    }
)
ROOT_CLASSES = frozenset(
    {"nanokeras.Sequential", "nanokeras.Model", "nanokeras.Layer", "nanokeras.Loss",
     "nanokeras.Metric", "nanokeras.Optimizer", "nanokeras.Initializer",
     "nanokeras.Regularizer"}
)  # fmt: skip
# Public namespaces whose functions a config may name: pure computations.
FUNCTION_NAMESPACES = frozenset(
    {
        "nanokeras.activations",
        "nanokeras.constraints",
        "nanokeras.initializers",
        "nanokeras.losses",
        "nanokeras.metrics",
        "nanokeras.ops",
        "nanokeras.regularizers",
    }
)
# Where a bare built-in function name (`module: "builtins"`) is looked for.
BUILTIN_NAMESPACES = (
    "nanokeras.activations",
    "nanokeras.losses",
    "nanokeras.metrics",
    "nanokeras.initializers",
    "nanokeras.regularizers",
    "nanokeras.constraints",
)
# Classes that are not exported but appear in configs under their own name.
INTERNAL_CLASSES = {"Functional": "nanokeras.models.Model"}

# Set by `SafeModeScope` and `enable_unsafe_deserialization`; None is "safe".
_SAFE_MODE: list[bool | None] = [None]


class SafeModeScope:
    """Carry `safe_mode` down to nested `from_config` calls (a deep `Lambda`)."""

    def __init__(self, safe_mode: bool | None = True):
        self.safe_mode = safe_mode

    def __enter__(self) -> "SafeModeScope":
        self._outer = _SAFE_MODE[0]
        _SAFE_MODE[0] = self.safe_mode
        return self

    def __exit__(self, *exc_info: Any) -> None:
        _SAFE_MODE[0] = self._outer

    @staticmethod
    def _reset_global() -> None:
        """Back to the default (safe); tests use it after `enable_unsafe_...`."""
        _SAFE_MODE[0] = None


@export("nanokeras.config.enable_unsafe_deserialization")
def enable_unsafe_deserialization() -> None:
    """Allow every later load to run Python code stored in files (lambdas).

    Call it only when you trust where all the files you load come from.
    """
    _SAFE_MODE[0] = False


def in_safe_mode() -> bool | None:
    """The `safe_mode` of the enclosing scope, or None outside any."""
    return _SAFE_MODE[0]


# --- Serializing ---


@export(
    "nanokeras.saving.serialize_keras_object", "nanokeras.utils.serialize_keras_object"
)
def serialize_keras_object(obj: Any) -> Any:
    """Describe `obj` in JSON terms; `deserialize_keras_object` undoes it.

    Plain values and lists/dicts of them stay as they are; arrays, tensors,
    bytes, slices and `...` get small tagged dicts; functions and objects
    with `get_config()` get Keras 3's `module`/`class_name`/`config`/
    `registered_name` dict (plus `build_config`/`compile_config` when the
    object has them).

    Example:

    >>> serialize_keras_object(keras.activations.relu)["config"]
    'relu'
    """
    if obj is None or isinstance(obj, PLAIN_TYPES):
        return obj
    if isinstance(obj, (list, tuple)):
        items = [serialize_keras_object(item) for item in obj]
        return tuple(items) if isinstance(obj, tuple) else items
    if isinstance(obj, dict):
        return serialize_dict(obj)
    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if isinstance(obj, slice):
        return {
            "class_name": "__slice__",
            "config": {
                "start": serialize_keras_object(obj.start),
                "stop": serialize_keras_object(obj.stop),
                "step": serialize_keras_object(obj.step),
            },
        }
    if obj is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(obj, Tensor):
        value = obj.numpy()
        return {
            "class_name": "__tensor__",
            "config": {"value": value.tolist(), "dtype": value.dtype.name},
        }
    if isinstance(obj, (np.ndarray, np.generic)):
        if isinstance(obj, np.ndarray) and obj.ndim > 0:
            return {
                "class_name": "__numpy__",
                "config": {"value": obj.tolist(), "dtype": obj.dtype.name},
            }
        return obj.item()
    if isinstance(obj, types.FunctionType) and obj.__name__ == "<lambda>":
        warnings.warn(
            "Saving a Python `lambda`: its bytecode goes into the config, and "
            "loading it back needs `safe_mode=False` (and the same Python "
            "version). Prefer a function defined with `def` and registered "
            "with `@keras.saving.register_keras_serializable()`.",
            stacklevel=2,
        )
        return {"class_name": "__lambda__", "config": {"value": function_to_code(obj)}}
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        return _serialize_function(obj)
    return _serialize_class_instance(obj)


def serialize_dict(config: dict) -> dict:
    """`serialize_keras_object` applied to every value of a dict."""
    return {key: serialize_keras_object(value) for key, value in config.items()}


def _allowed(path: str, namespaces: frozenset) -> bool:
    """Whether a config may name the public object at `path`."""
    namespace = path.rpartition(".")[0]
    if namespace == "nanokeras":
        return path in ROOT_CLASSES and "nanokeras" in namespaces
    return namespace in namespaces


def _public_path(obj: Any, namespaces: frozenset) -> str | None:
    """The first public path of `obj` that a config may name, if any."""
    for path in get_api_names(obj):
        if _allowed(path, namespaces):
            return path
    return None


def _serialize_function(function: Callable) -> dict:
    registered = object_registration.GLOBAL_CUSTOM_NAMES.get(function)
    path = _public_path(function, FUNCTION_NAMESPACES)
    if registered is None and path is not None:
        module, _, name = path.rpartition(".")
        return {
            "module": module,
            "class_name": "function",
            "config": name,
            "registered_name": name,
        }
    name = registered or function.__name__
    module = function.__module__
    return {
        "module": None if module == "__main__" else module,
        "class_name": "function",
        "config": name,
        "registered_name": name,
    }


def _serialize_class_instance(obj: Any) -> dict:
    cls = type(obj)
    if not hasattr(obj, "get_config"):
        raise TypeError(
            f"Cannot serialize {obj!r} (of type {cls.__name__}): a serializable "
            "object needs a `get_config()` method returning a dict."
        )
    inner = obj.get_config()
    if not isinstance(inner, dict):
        raise TypeError(
            f"The `get_config()` method of {cls.__name__} must return a dict. "
            f"Received: {inner!r} (of type {type(inner).__name__})."
        )
    registered = object_registration.GLOBAL_CUSTOM_NAMES.get(cls)
    path = _public_path(cls, CLASS_NAMESPACES)
    if registered is None and path is not None:
        module, _, class_name = path.rpartition(".")
    else:
        module, class_name = cls.__module__, cls.__name__
        registered = registered or class_name
    config = {
        "module": None if module == "__main__" else module,
        "class_name": class_name,
        "config": serialize_dict(inner),
        "registered_name": registered,
    }
    build_config = getattr(obj, "get_build_config", lambda: None)()
    if build_config is not None:
        config["build_config"] = serialize_dict(build_config)
    compile_config = getattr(obj, "get_compile_config", lambda: None)()
    if compile_config is not None:
        config["compile_config"] = serialize_dict(compile_config)
    return config


# --- Python code in configs (only ever read with safe_mode=False) ---


def function_to_code(function: Callable) -> list:
    """A function's bytecode (base64 of `marshal`), defaults and closure values."""
    code = base64.b64encode(marshal.dumps(function.__code__)).decode("ascii")
    closure = function.__closure__
    closure_values = [cell.cell_contents for cell in closure] if closure else None
    return [code, function.__defaults__, closure_values]


def function_from_code(value: list) -> Callable:
    """Undo `function_to_code`. Runs code from a file: callers check safe mode."""
    code, defaults, closure_values = value
    code_object = marshal.loads(base64.b64decode(code))
    closure = None
    if closure_values is not None:
        closure = tuple(types.CellType(item) for item in closure_values)
    defaults = tuple(defaults) if defaults is not None else None
    return types.FunctionType(
        code_object, globals(), code_object.co_name, defaults, closure
    )


def lambda_refused(what: str) -> ValueError:
    """The error for Python code in a config while in safe mode."""
    return ValueError(
        f"Refusing to load {what}: it is Python code stored in the file, and "
        "loading it could run arbitrary commands. If you trust the file's "
        "source, pass `safe_mode=False` to the loading function or call "
        "`keras.config.enable_unsafe_deserialization()`."
    )


# --- Deserializing ---


@export(
    "nanokeras.saving.deserialize_keras_object",
    "nanokeras.utils.deserialize_keras_object",
)
def deserialize_keras_object(
    config: Any,
    custom_objects: dict | None = None,
    safe_mode: bool = True,
    **kwargs: Any,
) -> Any:
    """Rebuild the object that `serialize_keras_object` described.

    Args:
        config: The serialized form: a plain value, a list or dict of them,
            or a `{"class_name": ..., "config": ...}` dict (Keras 3's and
            tf.keras 2.x's forms both load).
        custom_objects: `{name: class or function}` for objects that are not
            built in, by class name, function name or registered name.
        safe_mode: When True (the default), Python code stored in the config
            (a lambda's bytecode) is refused. An enclosing `SafeModeScope`
            or `enable_unsafe_deserialization()` takes precedence.
        **kwargs: `module_objects`: a module's own `{name: object}` table,
            used by `activations.deserialize` and friends for bare names.

    Returns:
        The object.
    """
    module_objects = kwargs.pop("module_objects", None)
    if kwargs:
        raise TypeError(
            f"deserialize_keras_object got unexpected arguments {sorted(kwargs)}."
        )
    scoped = in_safe_mode()
    safe_mode = scoped if scoped is not None else safe_mode
    custom_objects = custom_objects or {}

    def recurse(value: Any) -> Any:
        return deserialize_keras_object(
            value, custom_objects, safe_mode, module_objects=module_objects
        )

    if config is None or isinstance(config, (bool, int, float)):
        return config
    if isinstance(config, str):
        found = object_registration.get_registered_object(
            config, custom_objects, module_objects
        )
        return found if found is not None else config
    if isinstance(config, (list, tuple)):
        return [recurse(item) for item in config]
    if not isinstance(config, dict):
        raise TypeError(
            f"Could not parse config: {config!r} (of type {type(config).__name__})."
        )
    if "class_name" not in config or "config" not in config:
        if "class_name" in config and module_objects is not None:
            config = {**config, "config": {}}  # tf.keras's `{"class_name": "l2"}`
        else:
            return {key: recurse(value) for key, value in config.items()}

    class_name = config["class_name"]
    inner = config["config"] if config["config"] is not None else {}
    special = _deserialize_special(class_name, inner, recurse, safe_mode)
    if special is not _NOT_SPECIAL:
        return special
    if not isinstance(class_name, str):
        raise TypeError(f"Expected a string 'class_name', got {config!r}.")

    if class_name == "function":
        if not isinstance(inner, str):
            raise TypeError(
                f"A function's 'config' must be its name (a string). Received: "
                f"{_short(config)}"
            )
        function = resolve_function(config, custom_objects, module_objects)
        if function is None:
            raise _not_found("function", inner, config)
        return function

    if not isinstance(inner, dict):
        raise TypeError(
            f"Expected 'config' to be a dict for {class_name!r}. Received: "
            f"{_short(config)}"
        )
    cls = _resolve(class_name, config.get("registered_name"), config.get("module"),
                   "class", custom_objects, module_objects)  # fmt: skip
    if cls is None:
        raise _not_found("class", class_name, config)
    if not inspect.isclass(cls):
        return cls  # a function registered under a class-style name
    if not hasattr(cls, "from_config"):
        raise TypeError(
            f"Cannot rebuild {class_name!r}: the class has no `from_config()`."
        )
    with (
        object_registration.CustomObjectScope(custom_objects),
        SafeModeScope(safe_mode),
    ):
        instance = cls.from_config(inner)
        build_config = config.get("build_config")
        if build_config and not getattr(instance, "built", True):
            instance.build_from_config(shapes_from_json(build_config))
        compile_config = config.get("compile_config")
        if compile_config and hasattr(instance, "compile_from_config"):
            instance.compile_from_config(compile_config)
    return instance


_NOT_SPECIAL = object()


def _deserialize_special(class_name: Any, inner: Any, recurse, safe_mode: bool) -> Any:
    """The tagged dicts of plain Python and numpy values, and lambdas."""
    if class_name == "__numpy__":
        return np.array(inner["value"], dtype=_plain_dtype(inner["dtype"]))
    if class_name == "__tensor__":
        return convert_to_tensor(
            np.array(inner["value"], dtype=_plain_dtype(inner["dtype"]))
        )
    if class_name == "__bytes__":
        return inner["value"].encode("utf-8")
    if class_name == "__ellipsis__":
        return Ellipsis
    if class_name == "__slice__":
        return slice(
            recurse(inner["start"]), recurse(inner["stop"]), recurse(inner["step"])
        )
    if class_name == "__lambda__":
        if safe_mode is not False:
            raise lambda_refused("a Python lambda")
        return function_from_code(inner["value"])
    return _NOT_SPECIAL


def _plain_dtype(name: Any) -> np.dtype:
    """Only numeric and boolean dtypes: a config never makes object arrays."""
    dtype = np.dtype(name)
    if dtype.kind not in "biuf":
        raise ValueError(f"Refusing the array dtype {name!r} in a config.")
    return dtype


def resolve_function(
    config: dict, custom_objects: dict | None = None, module_objects: dict | None = None
) -> Callable | None:
    """The function a `{"class_name": "function", ...}` config names, or None.

    None means nobody handed it over and it is not a built-in: the caller
    decides whether that is an error (it is, except for a `Lambda` loaded
    with `safe_mode=False`).
    """
    return _resolve(config["config"], config.get("registered_name"),
                    config.get("module"), "function", custom_objects,
                    module_objects)  # fmt: skip


def _resolve(
    name: str,
    registered_name: Any,
    module: Any,
    kind: str,
    custom_objects: dict | None,
    module_objects: dict | None,
) -> Any:
    """Custom objects first, then the registry; never an import."""
    for key in (registered_name, name):
        found = object_registration.get_registered_object(key, custom_objects)
        if found is not None:
            return found
    if module_objects and name in module_objects:
        return module_objects[name]
    namespaces = FUNCTION_NAMESPACES if kind == "function" else CLASS_NAMESPACES
    public_module = _public_module(module)
    if public_module is not None:
        path = f"{public_module}.{name}"
        if path in REGISTRY:
            if not _allowed(path, namespaces):
                raise ValueError(
                    f"Cannot load the {kind} `{path}` named in a config: it is "
                    "not a modeling object. Configs may name layers, models, "
                    "losses, metrics, optimizers, their building blocks, and "
                    "registered custom objects."
                )
            return REGISTRY[path].obj
    search = kind == "class" and (public_module is not None or _is_ours(module))
    if kind == "function" and module == "builtins":
        return _find_by_name(name, BUILTIN_NAMESPACES)
    if search:
        if name in INTERNAL_CLASSES:
            return REGISTRY[INTERNAL_CLASSES[name]].obj
        return _find_by_name(name, namespaces)
    return None


def _public_module(module: Any) -> str | None:
    """`keras.layers` or `nanokeras.layers` -> `nanokeras.layers`; else None."""
    if not isinstance(module, str):
        return None
    for prefix in ("nanokeras", "keras"):
        if module == prefix or module.startswith(prefix + "."):
            return "nanokeras" + module[len(prefix) :]
    return None


def _is_ours(module: Any) -> bool:
    """A module of this package (`engine.functional`), as our configs name them."""
    if not isinstance(module, str):
        return False
    return module == "engine.functional" or any(
        entry.module == module for entry in REGISTRY.values()
    )


def _find_by_name(name: str, namespaces) -> Any:
    """The object exported as `<namespace>.<name>`, first namespace first."""
    for namespace in sorted(namespaces):
        path = f"{namespace}.{name}"
        if path in REGISTRY and _allowed(path, namespaces):
            return REGISTRY[path].obj
    return None


def _short(config: Any, limit: int = 300) -> str:
    text = repr(config)
    return text if len(text) <= limit else text[:limit] + "..."


def _not_found(kind: str, name: str, config: dict) -> TypeError:
    return TypeError(
        f"Could not locate {kind} {name!r}. If it is a custom {kind}, decorate "
        "it with `@keras.saving.register_keras_serializable()` (and import it "
        f"before loading) or pass `custom_objects={{{name!r}: ...}}`. "
        f"Config: {_short(config)}"
    )


def shapes_from_json(value: Any) -> Any:
    """JSON gave lists: innermost lists of ints/None become shape tuples."""
    if isinstance(value, dict):
        return {key: shapes_from_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        if all(item is None or isinstance(item, int) for item in value):
            return tuple(value)
        return [shapes_from_json(item) for item in value]
    return value


def exported_objects(namespace: str) -> dict:
    """`{name: object}` of what is exported directly under `namespace`.

    `exported_objects("nanokeras.losses")["mse"]` is `mean_squared_error`: a
    module low in the house (a metric's base class) finds by name the
    functions defined above it without importing them.
    """
    prefix = namespace + "."
    return {
        path.removeprefix(prefix): entry.obj
        for path, entry in REGISTRY.items()
        if path.startswith(prefix) and "." not in path.removeprefix(prefix)
    }


def deserialize_module_object(
    config: Any, module_objects: dict, custom_objects: dict | None, kind: str
) -> Any:
    """The shared body of `activations.deserialize`, `losses.deserialize`, ...

    A name or dict is resolved as `deserialize_keras_object` does, with the
    module's own names (`"mse"`, `"glorot_uniform"`) as `module_objects`. A
    name that gives a class gives a fresh instance, as Keras's `get` does.

    Args:
        config: A name, or a serialized dict (ours, Keras 3's or tf.keras's).
        module_objects: The module's `{name: class or function}` table.
        custom_objects: User objects, by name.
        kind: What is being looked up ("loss", "initializer", ...), for errors.
    """
    obj = deserialize_keras_object(
        config, custom_objects=custom_objects, module_objects=module_objects
    )
    if (
        isinstance(obj, str)
        or isinstance(obj, dict)
        or obj is None
        and config is not None
    ):
        known = sorted(name for name in module_objects if name[:1].islower())
        raise ValueError(
            f"Could not interpret {kind} identifier: {config!r}. Expected one of "
            f"the names {known}, a class name, a serialized config, or a "
            "registered custom object."
        )
    if inspect.isclass(obj) and isinstance(config, str):
        obj = obj.from_config({}) if hasattr(obj, "from_config") else obj()
    return obj
