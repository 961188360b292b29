"""Unique default names (`dense`, `dense_1`, ...) and `clear_session` to reset them.

Mirrors: keras/backend.py `get_uid` / `clear_session` (tf.keras 2.6),
keras/src/utils/naming.py + keras/src/backend/common/global_state.py (Keras 3)

Keras names an unnamed layer after its class in snake case and, when that
prefix has been used before, appends a counter: the first `Dense` is `dense`,
the next `dense_1`. The counters are global, so `clear_session()` resets them
(tests and notebooks call it to get the same names on every run).
"""

import collections

from api_export import export

# prefix -> how many names with that prefix were handed out so far.
_NAME_COUNTS: collections.Counter = collections.Counter()


@export("nanokeras.backend.get_uid")
def get_uid(prefix: str = "") -> int:
    """Return 1 for the first call with `prefix`, then 2, 3, ..."""
    _NAME_COUNTS[prefix] += 1
    return _NAME_COUNTS[prefix]


def unique_name(prefix: str) -> str:
    """`prefix` the first time, then `prefix_1`, `prefix_2`, ..."""
    count = get_uid(prefix)
    return prefix if count == 1 else f"{prefix}_{count - 1}"


@export("nanokeras.backend.clear_session", "nanokeras.utils.clear_session")
def clear_session(free_memory: bool = True) -> None:
    """Forget every name handed out, so the next `Dense()` is `dense` again.

    Simplified: Keras also drops its global graph state; nanokeras has none
    beyond the name counters, so `free_memory` (Keras 3's garbage-collection
    switch) has no effect.

    Args:
        free_memory: Accepted for Keras's signature; no effect here.
    """
    _NAME_COUNTS.clear()
