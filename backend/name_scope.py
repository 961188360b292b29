"""`name_scope`: the stack of prefixes that variable names are built from.

Mirrors: tensorflow/python/framework/ops.py (tf.name_scope; stand-in, not Keras code)

Entering `name_scope("outer")` then `name_scope("inner")` makes a variable named
`w` come out as `outer/inner/w:0`. As in TensorFlow 2's eager mode, scopes are
not made unique: two modules with the same name share a prefix.
"""

import re
import threading

from api_export import export

# Anything but `:`, which separates a variable's name from its output index.
_VALID_SCOPE = re.compile(r"^[^:]*$")


class _ScopeStack(threading.local):
    """Each thread's stack of scopes, created empty on its first use.

    An entry is either a whole prefix (a string: `""` or `"outer/inner/"`),
    pushed by `name_scope`, or a module (anything with a `name`), pushed by
    a layer call and standing for `<its name>/` under the entry below it.
    A layer call only appends and pops; the prefix is put together when a
    variable or module is created, which is rare next to calls.
    """

    def __init__(self):
        self.stack: list = []


_state = _ScopeStack()


def scope_stack() -> list:
    """This thread's stack: append a module to open its scope, pop to close it.

    The fast form of `with name_scope(module.name):` for code that runs on
    every layer call (pop in a `finally`).
    """
    return _state.stack


def current_scope() -> str:
    """The prefix in force now: `""` at top level, else `"outer/inner/"`."""
    names = []
    prefix = ""
    for entry in reversed(_state.stack):
        if type(entry) is str:
            prefix = entry
            break
        names.append(entry.name)
    for name in reversed(names):
        prefix += name + "/"
    return prefix


def is_innermost(module) -> bool:
    """True while `module`, pushed with `scope_stack()`, is the innermost scope."""
    stack = _state.stack
    return bool(stack) and stack[-1] is module


@export("nanokeras.name_scope")
class name_scope:
    """A context manager that prefixes the names of variables created inside it.

    Args:
        name: The scope's name. A name ending in `/` is absolute: it replaces
            the current prefix instead of extending it (this is how a module
            re-enters the scope it was created in).
    """

    def __init__(self, name: str):
        if not isinstance(name, str) or not _VALID_SCOPE.match(name):
            raise ValueError(
                f"Invalid name scope {name!r}: a scope is a string without `:` "
                "(`:` starts a variable's output index, as in `kernel:0`)."
            )
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    def __enter__(self) -> str:
        if not self._name:
            scope = ""
        elif self._name.endswith("/"):
            scope = self._name
        else:
            scope = current_scope() + self._name + "/"
        _state.stack.append(scope)
        return scope

    def __exit__(self, *exc_info) -> None:
        _state.stack.pop()
