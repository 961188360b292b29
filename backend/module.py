"""`Module`: a named container of variables and of other modules.

Mirrors: tensorflow/python/module/module.py (tf.Module; stand-in, not Keras code)

This is the root of Keras's class chain, `Module -> Layer -> Model ->
Functional -> Sequential`. It gives every subclass three things: a name (by
default the class name in snake case), a `name_scope` that prefixes the names of
the variables it creates, and *automatic tracking*: `variables`,
`trainable_variables` and `submodules` are found by walking the object's
attributes, so nothing has to be registered by hand.
"""

import re
from typing import Any, Callable, Iterator

from api_export import export
from backend import nest
from backend.name_scope import current_scope, name_scope
from backend.variables import Variable

_VALID_MODULE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")


def camel_to_snake(name: str) -> str:
    """`MyModule` -> `my_module`, `Conv2D` -> `conv2d`, `GRUCell` -> `gru_cell`."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


@export("nanokeras.Module")
class Module:
    """A named container that finds its variables and sub-modules by itself.

    Stand-in for `tf.Module`, the base of every Keras layer and model.

    Args:
        name: The module's name, used as its `name_scope`. Defaults to the
            class name in snake case (`MyModule` -> `"my_module"`). It must
            start with a letter or `_` and contain only letters, digits, `_`,
            `.` and `-`.

    Example:

    >>> class Counter(Module):
    ...     def __init__(self, name=None):
    ...         super().__init__(name=name)
    ...         with self.name_scope:
    ...             self.count = Variable(0, trainable=False, name="count")
    >>> Counter().variables
    (<Variable 'counter/count:0' shape=() dtype=int32, numpy=0>,)
    """

    # Attributes the walk skips: subclasses add the ones that point back up or
    # sideways in a graph (Keras layers skip their graph nodes).
    _TF_MODULE_IGNORED_PROPERTIES: frozenset[str] = frozenset(("_scope_name",))

    def __init__(self, name: str | None = None):
        if name is None:
            name = camel_to_snake(type(self).__name__)
        self._check_name(name)
        self._name = name
        # Like TensorFlow, remember the full scope at construction, so a module
        # built inside another's scope keeps that prefix when re-entering.
        self._scope_name = current_scope() + name + "/"

    def _check_name(self, name: Any) -> None:
        if not isinstance(name, str) or not _VALID_MODULE_NAME.match(name):
            raise ValueError(
                f"{name!r} is not a valid name for {type(self).__name__}. A "
                "name must start with a letter or `_` and contain only "
                "letters, digits, `_`, `.` and `-` (for example 'my_module')."
            )

    @property
    def name(self) -> str:
        return self._name

    @property
    def name_scope(self) -> name_scope:
        """A context manager: variables created inside are named `name/...`."""
        return name_scope(self._scope_name)

    @property
    def variables(self) -> tuple:
        """Every variable in this module and its sub-modules, without duplicates."""
        return tuple(self._flatten(lambda value: isinstance(value, Variable)))

    @property
    def trainable_variables(self) -> tuple:
        return tuple(
            self._flatten(lambda value: isinstance(value, Variable) and value.trainable)
        )

    @property
    def non_trainable_variables(self) -> tuple:
        return tuple(
            self._flatten(
                lambda value: isinstance(value, Variable) and not value.trainable
            )
        )

    @property
    def submodules(self) -> tuple:
        """Every module reachable from this one's attributes (not itself)."""
        return tuple(self._flatten(lambda value: isinstance(value, Module)))

    def _flatten(
        self, predicate: Callable[[Any], bool], seen: set | None = None
    ) -> Iterator[Any]:
        """Yield matching values reachable from the attributes, each once.

        The order is tf.Module's: this module's attributes in sorted name order
        (lists, tuples and dicts walked in place), then each sub-module met on
        the way, in that order, flattened the same way before the next one.
        `seen` is shared by the whole walk: it makes the walk safe with cycles
        (a child that points back to its parent) and drops duplicates.
        """
        seen = {id(self)} if seen is None else seen
        submodules = []
        for leaf in self._attribute_leaves():
            if id(leaf) in seen:
                continue
            seen.add(id(leaf))
            if predicate(leaf):
                yield leaf
            if isinstance(leaf, Module):
                submodules.append(leaf)
        for submodule in submodules:
            yield from submodule._flatten(predicate, seen)

    def _attribute_leaves(self) -> Iterator[Any]:
        ignored = self._TF_MODULE_IGNORED_PROPERTIES
        attributes = vars(self)
        for key in sorted(attributes):
            if key not in ignored:
                # Sorted keys where they sort, as tf.Module walks its attributes.
                yield from nest.leaves(attributes[key])

    @classmethod
    def with_name_scope(cls, method: Callable) -> Callable:
        """Decorate a method so that it runs inside the module's `name_scope`."""

        def wrapper(self, *args, **kwargs):
            with self.name_scope:
                return method(self, *args, **kwargs)

        wrapper.__name__ = method.__name__
        wrapper.__doc__ = method.__doc__
        return wrapper

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self._name!r}>"
