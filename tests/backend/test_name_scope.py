"""name_scope: the prefixes variable names are built from, per thread."""

import threading

import pytest

import nanokeras as keras
from backend.name_scope import current_scope


def test_scopes_nest_and_unwind():
    assert current_scope() == ""
    with keras.name_scope("outer") as outer:
        assert outer == "outer/"
        with keras.name_scope("inner") as inner:
            assert inner == current_scope() == "outer/inner/"
        assert current_scope() == "outer/"
    assert current_scope() == ""


def test_an_empty_name_returns_to_the_top_level():
    with keras.name_scope("outer"):
        with keras.name_scope("") as scope:
            assert scope == ""
            variable = keras.Variable(0.0, name="w")
        assert current_scope() == "outer/"
    assert variable.name == "w:0"


def test_a_name_ending_in_a_slash_replaces_the_prefix():
    with keras.name_scope("outer"):
        with keras.name_scope("model/dense/") as scope:
            variable = keras.Variable(0.0, name="kernel")
    assert scope == "model/dense/"
    assert variable.name == "model/dense/kernel:0"


@pytest.mark.parametrize("bad_name", ["kernel:0", ":", 3, None])
def test_a_scope_must_be_a_string_without_colon(bad_name):
    message = (
        f"Invalid name scope {bad_name!r}: a scope is a string without `:` "
        "(`:` starts a variable's output index, as in `kernel:0`)."
    )
    with pytest.raises(ValueError) as error:
        keras.name_scope(bad_name)
    assert str(error.value) == message


def test_each_thread_has_its_own_scopes():
    names = {}

    def make_variable():
        # A new thread starts at the top level, whatever the caller's scope.
        names["start"] = current_scope()
        with keras.name_scope("worker"):
            names["variable"] = keras.Variable(0.0, name="w").name

    with keras.name_scope("main"):
        thread = threading.Thread(target=make_variable)
        thread.start()
        thread.join()
        assert current_scope() == "main/"
    assert names == {"start": "", "variable": "worker/w:0"}
