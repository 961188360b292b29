"""Walk nested structures (lists, tuples, dicts) of leaves, as `tf.nest` does.

Mirrors: tensorflow/python/util/nest.py (stand-in, not Keras code)

Dicts are visited in sorted key order so that flattening is deterministic, which
is what lets a structure be flattened, transformed leaf by leaf, and packed back.
Code that only *reads* the leaves (object tracking, readiness checks) uses
`leaves`, the same walk with the choices such code needs: insertion order,
and containers that count as one leaf.
"""

from typing import Any, Callable, Iterable


def is_nested(structure: Any) -> bool:
    """True for the containers `nest` walks into: list, tuple and dict."""
    return isinstance(structure, (list, tuple, dict))


def _children(structure: Any, sort_keys: bool = True) -> Iterable[Any]:
    """A list's or tuple's items; a dict's values, in sorted key order if asked."""
    if isinstance(structure, dict):
        keys = sorted(structure) if sort_keys else structure
        return [structure[key] for key in keys]
    return structure


def flatten(structure: Any) -> list:
    """Return the leaves of `structure`, depth first, dict keys in sorted order."""
    if not is_nested(structure):
        return [structure]
    return [leaf for child in _children(structure) for leaf in flatten(child)]


def leaves(
    structure: Any,
    *,
    sort_keys: bool = True,
    is_leaf: Callable[[Any], bool] | None = None,
) -> list:
    """The leaves of `structure`, depth first, for code that reads them only.

    `flatten` must visit leaves in the order `pack_sequence_as` refills them,
    so it refuses dicts whose keys do not sort, as `tf.nest` does. A walk that
    never packs back can be more accommodating:

    Args:
        structure: Nested lists, tuples and dicts; anything else is a leaf.
        sort_keys: Visit dicts in sorted key order (`tf.Module`'s walk of its
            attributes), or in insertion order when False (Keras's layer
            tracking: sub-layers in a dict come in the order they were added).
            A dict whose keys do not sort (`{1: a, "b": b}`) is visited in
            insertion order either way.
        is_leaf: Called on each container before it is entered; a True result
            makes that container one leaf (a serialized tensor reference is a
            dict, yet stands for one tensor).

    Returns:
        A list of the leaves.
    """
    if not is_nested(structure) or (is_leaf is not None and is_leaf(structure)):
        return [structure]
    try:
        children = _children(structure, sort_keys)
    except TypeError:  # keys that do not sort: keep the dict's own order
        children = _children(structure, sort_keys=False)
    return [
        leaf
        for child in children
        for leaf in leaves(child, sort_keys=sort_keys, is_leaf=is_leaf)
    ]


# What `next` returns once the leaves run out: a leaf may itself be None.
_NO_LEAF = object()


def pack_sequence_as(structure: Any, flat_leaves: list) -> Any:
    """Rebuild `structure`'s shape with `flat_leaves` in place of its leaves."""
    leaves = iter(flat_leaves)

    def rebuild(node: Any) -> Any:
        if isinstance(node, dict):
            rebuilt = {key: rebuild(node[key]) for key in sorted(node)}
            return {key: rebuilt[key] for key in node}  # keep the caller's order
        if isinstance(node, (list, tuple)):
            items = [rebuild(child) for child in node]
            if hasattr(node, "_fields"):  # a namedtuple keeps its type
                return type(node)(*items)
            return type(node)(items)
        leaf = next(leaves, _NO_LEAF)
        if leaf is _NO_LEAF:
            raise ValueError(_count_error("fewer", structure, flat_leaves))
        return leaf

    packed = rebuild(structure)
    if next(leaves, _NO_LEAF) is not _NO_LEAF:
        raise ValueError(_count_error("more", structure, flat_leaves))
    return packed


def _count_error(which: str, structure: Any, flat_leaves: list) -> str:
    return (
        f"pack_sequence_as received {which} leaves than `structure` has "
        f"({len(flatten(structure))} expected, got {len(flat_leaves)})."
    )


def map_structure(func: Callable, *structures: Any) -> Any:
    """Apply `func` leaf by leaf to structures that have the same shape."""
    flat = [flatten(structure) for structure in structures]
    if any(len(leaves) != len(flat[0]) for leaves in flat):
        raise ValueError(
            "map_structure needs structures with the same number of leaves, "
            f"got {[len(leaves) for leaves in flat]}."
        )
    return pack_sequence_as(structures[0], [func(*args) for args in zip(*flat)])
