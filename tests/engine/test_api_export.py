"""The @export decorator: public paths, the registry and its errors."""

import pytest

import api_export
from api_export import REGISTRY, export, get_api_names


@pytest.fixture
def clean_registry():
    """Let a test register throwaway paths without leaking them."""
    saved = dict(REGISTRY)
    yield
    REGISTRY.clear()
    REGISTRY.update(saved)


def test_export_records_paths_and_sets_api_names(clean_registry):
    @export("nanokeras.testing.Thing", "nanokeras.Thing")
    class Thing:
        pass

    assert get_api_names(Thing) == ("nanokeras.testing.Thing", "nanokeras.Thing")
    entry = REGISTRY["nanokeras.testing.Thing"]
    assert entry.obj is Thing
    assert entry.namespace == "nanokeras.testing"
    assert entry.public_name == "Thing"
    assert entry.location().endswith(f"test_api_export.py:{Thing_line(entry)}")


def Thing_line(entry):
    import inspect

    return inspect.getsourcelines(entry.obj)[1]


def test_subclass_does_not_inherit_public_paths(clean_registry):
    @export("nanokeras.testing.Base")
    class Base:
        pass

    class Child(Base):
        pass

    assert get_api_names(Child) == ()


@pytest.mark.parametrize(
    "bad_path",
    [
        "keras.layers.Dense",
        "nanokeras",
        "nanokeras.layers.",
        "nanokeras..Dense",
        "nanokeras.layers.1Dense",
        "nanokeras.layers.Dense ",
        ["nanokeras.a"],
    ],
)
def test_malformed_paths_are_rejected(bad_path):
    with pytest.raises(ValueError, match="malformed public path"):
        export(bad_path)


@pytest.mark.parametrize(
    ("path", "segment"),
    [
        ("nanokeras.lambda.Layer", "'lambda'"),
        ("nanokeras.layers.class", "'class'"),
        ("nanokeras.None", "'None'"),
    ],
)
def test_keyword_segments_are_rejected(path, segment):
    # `from nanokeras.lambda import Layer` would not even parse.
    with pytest.raises(ValueError, match=f"segment {segment} is a Python keyword"):
        export(path)


def test_export_needs_a_path():
    with pytest.raises(ValueError, match="at least one public path"):
        export()


def test_a_path_claimed_twice_names_both_places(clean_registry):
    @export("nanokeras.testing.Clash")
    class First:
        pass

    with pytest.raises(ValueError) as info:

        @export("nanokeras.testing.Clash")
        class Second:
            pass

    message = str(info.value)
    assert "'nanokeras.testing.Clash' is claimed twice" in message
    assert "First" in message and "Second" in message
    assert message.count("test_api_export.py:") == 2


def test_reimporting_the_same_definition_is_not_a_clash(clean_registry):
    def make():
        @export("nanokeras.testing.Again")
        def again():
            return 1

        return again

    make()
    make()  # same module and qualname: a reload, not a conflict
    assert REGISTRY["nanokeras.testing.Again"].qualname.endswith("again")


def test_every_registered_path_is_importable_from_the_public_package():
    import importlib

    import nanokeras  # noqa: F401  (imports every exported implementation)

    assert len(api_export.REGISTRY) > 50
    for path, entry in api_export.REGISTRY.items():
        if ".testing." in path:
            continue
        namespace, _, name = path.rpartition(".")
        assert getattr(importlib.import_module(namespace), name) is entry.obj, path


def test_every_exported_object_is_named_by_one_of_its_paths():
    """An `@export` put on the wrong definition (a helper above the class, say)
    still imports; what gives it away is a public name the object does not
    carry. Aliases are fine as long as one path uses the object's own name."""
    import nanokeras  # noqa: F401

    paths_of = {}
    for path, entry in api_export.REGISTRY.items():
        if ".testing." not in path:
            paths_of.setdefault(id(entry.obj), (entry.obj, set()))[1].add(path)
    misnamed = {
        obj.__qualname__: sorted(paths)
        for obj, paths in paths_of.values()
        if obj.__name__ not in {path.rpartition(".")[2] for path in paths}
    }
    assert misnamed == {}
