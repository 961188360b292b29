"""Custom objects: the only way a name read from a file reaches user code.

Mirrors: keras/utils/generic_utils.py `CustomObjectScope` /
`register_keras_serializable` (tf.keras 2.6),
keras/src/saving/object_registration.py (Keras 3)

Loading turns names in a config into classes and functions. Built-in names
resolve through the `@export` registry; everything else must have been handed
over by the user, in one of three ways, searched in this order:

1. the `custom_objects=` argument of the loading function;
2. an enclosing `with custom_object_scope({...}):` block;
3. the global dictionary that `@register_keras_serializable()` fills
   (`get_custom_objects()` returns it, live).

A name that none of them knows is an error: it is never imported.
"""

import inspect
from collections.abc import Callable
from typing import Any

from api_export import export

# "package>name" -> object, and object -> "package>name".
GLOBAL_CUSTOM_OBJECTS: dict[str, Any] = {}
GLOBAL_CUSTOM_NAMES: dict[Any, str] = {}
# The objects of the innermost `custom_object_scope` (merged with outer ones).
_SCOPE_OBJECTS: list[dict] = [{}]


@export(
    "nanokeras.saving.CustomObjectScope",
    "nanokeras.saving.custom_object_scope",
    "nanokeras.utils.CustomObjectScope",
    "nanokeras.utils.custom_object_scope",
)
class CustomObjectScope:
    """Make custom classes and functions known to loading inside a `with` block.

    Args:
        custom_objects: `{name: class or function}`; the names are those a
            saved config uses (a class name, a function's `__name__`, or a
            registered `"package>name"`).

    Example:

    ```python
    with keras.saving.custom_object_scope({"MyLayer": MyLayer}):
        model = keras.models.load_model("model.keras")
    ```
    """

    def __init__(self, custom_objects: dict | None):
        self.custom_objects = dict(custom_objects or {})

    def __enter__(self) -> "CustomObjectScope":
        # Inner scopes see the outer scopes' objects too, and win on a clash.
        _SCOPE_OBJECTS.append({**_SCOPE_OBJECTS[-1], **self.custom_objects})
        return self

    def __exit__(self, *exc_info: Any) -> None:
        _SCOPE_OBJECTS.pop()


custom_object_scope = CustomObjectScope


@export("nanokeras.saving.get_custom_objects", "nanokeras.utils.get_custom_objects")
def get_custom_objects() -> dict:
    """The live global dictionary of registered custom objects.

    Adding to it (`get_custom_objects()["MyLayer"] = MyLayer`) registers an
    object for every later load; `custom_object_scope` does not touch it.
    """
    return GLOBAL_CUSTOM_OBJECTS


@export(
    "nanokeras.saving.register_keras_serializable",
    "nanokeras.utils.register_keras_serializable",
)
def register_keras_serializable(
    package: str = "Custom", name: str | None = None
) -> Callable[[Any], Any]:
    """Decorator: register a class or function under `"package>name"`.

    A registered object is saved under that name (its config's
    `registered_name`) and found again by it when loading, with no
    `custom_objects` needed.

    Args:
        package: The first part of the registered name.
        name: The second part; defaults to the object's `__name__`.

    Example:

    ```python
    @keras.saving.register_keras_serializable(package="my_package")
    class MyDense(keras.layers.Dense):
        pass
    ```
    """

    def decorator(obj: Any) -> Any:
        registered_name = f"{package}>{name if name is not None else obj.__name__}"
        if inspect.isclass(obj) and not hasattr(obj, "get_config"):
            raise ValueError(
                f"Cannot register the class {obj.__name__!r} as "
                f"{registered_name!r}: it has no `get_config()` method, so it "
                "could not be saved. Define `get_config()` first."
            )
        GLOBAL_CUSTOM_OBJECTS[registered_name] = obj
        GLOBAL_CUSTOM_NAMES[obj] = registered_name
        return obj

    return decorator


@export("nanokeras.saving.get_registered_name", "nanokeras.utils.get_registered_name")
def get_registered_name(obj: Any) -> str:
    """`"package>name"` for a registered object, else its `__name__`."""
    try:
        return GLOBAL_CUSTOM_NAMES[obj]
    except (KeyError, TypeError):  # TypeError: an unhashable object
        return obj.__name__


@export(
    "nanokeras.saving.get_registered_object", "nanokeras.utils.get_registered_object"
)
def get_registered_object(
    name: str,
    custom_objects: dict | None = None,
    module_objects: dict | None = None,
) -> Any:
    """The object registered as `name`, or None when nobody handed it over.

    Searches `custom_objects`, then the enclosing `custom_object_scope`s,
    then the global registry, then `module_objects` (a module's own names).
    """
    for objects in (
        custom_objects,
        _SCOPE_OBJECTS[-1],
        GLOBAL_CUSTOM_OBJECTS,
        module_objects,
    ):
        if objects and isinstance(name, str) and name in objects:
            return objects[name]
    return None


def scope_objects() -> dict:
    """The objects every enclosing `custom_object_scope` makes known."""
    return _SCOPE_OBJECTS[-1]
