"""Walk nested structures (lists, tuples, dicts) of leaves, as `tf.nest` does.

Mirrors: tensorflow/python/util/nest.py (stand-in, not Keras code)

Dicts are visited in sorted key order so that flattening is deterministic, which
is what lets a structure be flattened, transformed leaf by leaf, and packed back.
"""

from typing import Any, Callable, Iterator


def is_nested(structure: Any) -> bool:
    """True for the containers `nest` walks into: list, tuple and dict."""
    return isinstance(structure, (list, tuple, dict))


def _children(structure: Any) -> Iterator[Any]:
    if isinstance(structure, dict):
        for key in sorted(structure):
            yield structure[key]
    else:
        yield from structure


def flatten(structure: Any) -> list:
    """Return the leaves of `structure`, depth first, dict keys in sorted order."""
    if not is_nested(structure):
        return [structure]
    leaves = []
    for child in _children(structure):
        leaves.extend(flatten(child))
    return leaves


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
        return next(leaves)

    packed = rebuild(structure)
    if next(leaves, None) is not None:
        raise ValueError(
            f"pack_sequence_as received more leaves than `structure` has "
            f"({len(flatten(structure))} expected, got {len(flat_leaves)})."
        )
    return packed


def map_structure(func: Callable, *structures: Any) -> Any:
    """Apply `func` leaf by leaf to structures that have the same shape."""
    flat = [flatten(structure) for structure in structures]
    if any(len(leaves) != len(flat[0]) for leaves in flat):
        raise ValueError(
            "map_structure needs structures with the same number of leaves, "
            f"got {[len(leaves) for leaves in flat]}."
        )
    return pack_sequence_as(structures[0], [func(*args) for args in zip(*flat)])
