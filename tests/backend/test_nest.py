"""`nest`: flatten and pack back in sorted key order; `leaves` for reading walks."""

import collections

import pytest

from backend import nest


def test_flatten_visits_dicts_in_sorted_key_order_and_packs_back():
    structure = {"b": [1, (2, 3)], "a": 0}
    assert nest.flatten(structure) == [0, 1, 2, 3]
    packed = nest.pack_sequence_as(structure, [10, 11, 12, 13])
    assert packed == {"b": [11, (12, 13)], "a": 10}
    assert list(packed) == ["b", "a"]  # the caller's key order is kept


def test_flatten_refuses_keys_that_do_not_sort_as_tf_nest():
    with pytest.raises(TypeError):
        nest.flatten({1: "x", "a": "y"})


def test_leaves_defaults_to_flattens_order():
    structure = {"z": [1, {"b": 2, "a": 3}], "a": (4,)}
    assert nest.leaves(structure) == nest.flatten(structure) == [4, 1, 3, 2]


def test_leaves_in_insertion_order_when_keys_are_not_sorted():
    structure = {"z": [1, {"b": 2, "a": 3}], "a": (4,)}
    assert nest.leaves(structure, sort_keys=False) == [1, 2, 3, 4]


def test_leaves_walks_dicts_whose_keys_do_not_sort_in_their_own_order():
    # Sorted where the keys sort, the dict's own order where they do not, at
    # every depth.
    structure = [{2: "c", "b": {"y": "e", "x": "d"}}, "f"]
    assert nest.leaves(structure) == ["c", "d", "e", "f"]


def test_leaves_stops_at_containers_is_leaf_accepts():
    reference = {"class_name": "__keras_tensor__", "config": {"history": [0, 1]}}
    structure = {"args": [reference, 3], "kwargs": {}}
    found = nest.leaves(structure, is_leaf=lambda x: x is reference)
    assert found == [reference, 3]
    assert nest.leaves(structure) == ["__keras_tensor__", 0, 1, 3]


def test_leaves_treats_namedtuples_as_tuples_and_other_values_as_leaves():
    Point = collections.namedtuple("Point", ["x", "y"])
    assert nest.leaves([Point(1, 2), {3}, None]) == [1, 2, {3}, None]
    assert nest.leaves(5) == [5]
    assert nest.leaves([]) == []


def test_pack_sequence_as_rebuilds_lists_tuples_and_namedtuples():
    Point = collections.namedtuple("Point", ["x", "y"])
    structure = [Point(1, 2), (3, [4]), {"k": 5}]
    packed = nest.pack_sequence_as(structure, ["a", "b", "c", "d", "e"])
    assert packed == [Point("a", "b"), ("c", ["d"]), {"k": "e"}]
    assert type(packed[0]) is Point and type(packed[1]) is tuple
    assert type(packed[1][1]) is list
    assert nest.pack_sequence_as(7, [None]) is None  # a bare leaf


@pytest.mark.parametrize(
    "flat, which",
    [([1, 2], "fewer"), ([1, 2, 3, 4], "more"), ([1, 2, 3, None], "more")],
)
def test_pack_sequence_as_refuses_a_wrong_number_of_leaves(flat, which):
    with pytest.raises(ValueError) as error:
        nest.pack_sequence_as({"a": 0, "b": (0, 0)}, flat)
    assert str(error.value) == (
        f"pack_sequence_as received {which} leaves than `structure` has "
        f"(3 expected, got {len(flat)})."
    )


def test_map_structure_applies_leaf_by_leaf_in_the_first_structures_shape():
    first = {"b": [1, 2], "a": 3}
    second = {"a": 30, "b": (10, 20)}
    mapped = nest.map_structure(lambda x, y: x + y, first, second)
    assert mapped == {"b": [11, 22], "a": 33}
    assert list(mapped) == ["b", "a"]  # the first structure's key order
    assert nest.map_structure(str, (1, [2])) == ("1", ["2"])


def test_map_structure_refuses_structures_of_different_sizes():
    with pytest.raises(ValueError) as error:
        nest.map_structure(max, [1, 2], (1, 2, 3), 4)
    assert str(error.value) == (
        "map_structure needs structures with the same number of leaves, got [2, 3, 1]."
    )
