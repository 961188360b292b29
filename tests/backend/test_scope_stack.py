"""The name-scope stack that layer calls push themselves onto.

A layer call appends the layer itself (not a string) and pops it after; the
prefix is put together only when a variable or module is created. These
tests pin down how such entries combine with `name_scope`'s whole prefixes.
"""

import threading

import numpy as np

from backend.module import Module
from backend.name_scope import current_scope, is_innermost, name_scope, scope_stack
from backend.variables import Variable


def _variable_name_under(*entries) -> str:
    stack = scope_stack()
    stack.extend(entries)
    try:
        return Variable(np.zeros(()), name="w").name
    finally:
        del stack[-len(entries) :]


def test_a_pushed_module_stands_for_its_name_under_the_scope_below_it():
    outer, inner = Module(name="outer"), Module(name="inner")
    assert _variable_name_under(outer) == "outer/w:0"
    assert _variable_name_under(outer, inner) == "outer/inner/w:0"
    with name_scope("block"):
        assert _variable_name_under(inner) == "block/inner/w:0"
    assert current_scope() == ""


def test_a_whole_prefix_on_the_stack_cuts_off_everything_below_it():
    outer, inner = Module(name="outer"), Module(name="inner")
    assert _variable_name_under(outer, "", inner) == "inner/w:0"
    assert _variable_name_under(outer, "top/", inner) == "top/inner/w:0"
    assert _variable_name_under(outer, "top/") == "top/w:0"


def test_name_scope_inside_a_pushed_module_extends_the_module_scope():
    model = Module(name="model")
    stack = scope_stack()
    stack.append(model)
    try:
        with name_scope("dense") as scope:
            assert scope == "model/dense/"
            assert Variable(np.zeros(()), name="kernel").name == "model/dense/kernel:0"
    finally:
        stack.pop()


def test_is_innermost_only_for_the_module_on_top():
    outer, inner = Module(name="outer"), Module(name="same")
    twin = Module(name="same")
    stack = scope_stack()
    stack += (outer, inner)
    try:
        assert is_innermost(inner)
        assert not is_innermost(outer)
        assert not is_innermost(twin)  # same name, another module
    finally:
        del stack[-2:]
    assert not is_innermost(inner)


def test_each_thread_has_its_own_stack():
    module = Module(name="main_thread")
    seen = []
    stack = scope_stack()
    stack.append(module)
    try:
        thread = threading.Thread(
            target=lambda: seen.append(Variable(np.zeros(()), name="w").name)
        )
        thread.start()
        thread.join()
    finally:
        stack.pop()
    assert seen == ["w:0"]


def test_is_innermost_looks_at_the_top_of_a_deep_stack():
    model, block, dense = Module(name="model"), Module(name="block"), Module(name="d")
    stack = scope_stack()
    stack += (model, block, dense)
    try:
        assert [is_innermost(m) for m in (model, block, dense)] == [False, False, True]
    finally:
        del stack[-3:]
