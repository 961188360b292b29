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
    """Each thread's stack of scopes, created empty on its first use."""

    def __init__(self):
        self.stack: list[str] = []


# Read on every layer call: one attribute lookup, no `hasattr` test.
_state = _ScopeStack()


def _stack() -> list[str]:
    return _state.stack


def current_scope() -> str:
    """The prefix in force now: `""` at top level, else `"outer/inner/"`."""
    stack = _stack()
    return stack[-1] if stack else ""


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
        _stack().append(scope)
        return scope

    def __exit__(self, *exc_info) -> None:
        _stack().pop()


def enter_scope(name: str, absolute: bool = False) -> str:
    """Push the scope of `name` (under the current one unless `absolute`).

    The fast form of `with name_scope(name):` for code that runs on every
    layer call; pair it with `exit_scope()` in a `finally`.
    """
    stack = _state.stack
    scope = name + "/" if absolute or not stack else stack[-1] + name + "/"
    stack.append(scope)
    return scope


def exit_scope() -> None:
    """Pop the scope `enter_scope` pushed."""
    _state.stack.pop()
