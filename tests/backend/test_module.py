"""Module: names, name scopes and automatic tracking of variables and sub-modules."""

import pytest

import nanokeras as keras


class MyModule(keras.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        with self.name_scope:
            self.my_variable = keras.Variable([10, 20, 30], name="my_variable")


def test_chapter_one_module_snippet_prints_tensorflows_repr():
    module = MyModule(name="my_module")
    assert repr(module.my_variable) == (
        "<Variable 'my_module/my_variable:0' shape=(3,) dtype=int32, "
        "numpy=array([10, 20, 30], dtype=int32)>"
    )
    assert module.variables == (module.my_variable,)


@pytest.mark.parametrize(
    "class_name, expected",
    [
        ("MyModule", "my_module"),
        ("Conv2D", "conv2d"),
        ("GRUCell", "gru_cell"),
        ("Dense", "dense"),
        ("HTTPServer", "http_server"),
        ("SimpleRNN", "simple_rnn"),
        ("MyLSTMCell", "my_lstm_cell"),
    ],
)
def test_default_name_is_snake_cased_class_name(class_name, expected):
    cls = type(class_name, (keras.Module,), {})
    assert cls().name == expected


@pytest.mark.parametrize("bad_name", ["", "1abc", "has space", "a/b", 3])
def test_invalid_names_are_rejected_clearly(bad_name):
    with pytest.raises(ValueError) as error:
        MyModule(name=bad_name)
    assert str(error.value) == (
        f"{bad_name!r} is not a valid name for MyModule. A name must start "
        "with a letter or `_` and contain only letters, digits, `_`, `.` and "
        "`-` (for example 'my_module')."
    )


def test_repr_names_the_class_and_the_name():
    assert repr(MyModule(name="encoder")) == "<MyModule name='encoder'>"
    assert repr(keras.Module()) == "<Module name='module'>"


def test_nested_scopes_compose():
    with keras.name_scope("outer"):
        inner = MyModule(name="inner")
    assert inner.my_variable.name == "outer/inner/my_variable:0"
    # Re-entering the module's scope later keeps the prefix it was built with.
    with inner.name_scope:
        later = keras.Variable(1.0, name="later")
    assert later.name == "outer/inner/later:0"


class Container(keras.Module):
    def __init__(self):
        super().__init__()
        with self.name_scope:
            self.frozen = keras.Variable(0.0, trainable=False, name="frozen")
            self.weights_list = [keras.Variable(1.0, name="a"), MyModule(name="child")]
            self.by_key = {"b": keras.Variable(2.0, name="b"), "a": (MyModule(),)}


def test_tracking_walks_attributes_lists_tuples_and_dicts():
    container = Container()
    names = [v.name for v in container.variables]
    assert sorted(names) == sorted(
        [
            "container/a:0",
            "container/b:0",
            "container/frozen:0",
            "container/child/my_variable:0",
            "container/my_module/my_variable:0",
        ]
    )
    assert [v.name for v in container.non_trainable_variables] == ["container/frozen:0"]
    assert len(container.trainable_variables) == 4
    assert sorted(m.name for m in container.submodules) == ["child", "my_module"]


class Leaf(keras.Module):
    def __init__(self, name):
        super().__init__(name=name)
        with self.name_scope:  # assigned in reverse alphabetical order
            self.z = keras.Variable(0.0, name="z")
            self.a = keras.Variable(0.0, name="a")


class Middle(keras.Module):
    def __init__(self):
        super().__init__(name="middle")
        with self.name_scope:
            self.m = keras.Variable(0.0, name="m")
            self.inner = Leaf("inner")


class Tree(keras.Module):
    def __init__(self):
        super().__init__(name="tree")
        with self.name_scope:
            self.zeta = Leaf("zeta")
            self.middle = Middle()
            self.alpha = keras.Variable(0.0, name="alpha")


def test_variables_come_in_sorted_attribute_order_depth_first_as_tf_module():
    """tf.Module's order, not the order of assignment: a module's own
    attributes sorted by name, then each sub-module it met, walked the same
    way before the next sub-module."""
    tree = Tree()
    assert [v.name for v in tree.variables] == [
        "tree/alpha:0",
        "tree/middle/m:0",
        "tree/middle/inner/a:0",
        "tree/middle/inner/z:0",
        "tree/zeta/a:0",
        "tree/zeta/z:0",
    ]
    # Its own attributes first (middle, zeta), then what middle holds.
    assert [m.name for m in tree.submodules] == ["middle", "zeta", "inner"]
    assert [v.name for v in tree.middle.variables] == [
        "tree/middle/m:0",
        "tree/middle/inner/a:0",
        "tree/middle/inner/z:0",
    ]


def test_nested_containers_are_walked_in_sorted_key_order():
    container = Container()
    assert [v.name for v in container.variables] == [
        "container/b:0",  # by_key: {"a": (my_module,), "b": b}
        "container/frozen:0",
        "container/a:0",  # weights_list: [a, child]
        "container/my_module/my_variable:0",
        "container/child/my_variable:0",
    ]
    assert [m.name for m in container.submodules] == ["my_module", "child"]


def test_tracking_is_safe_with_cycles_and_duplicates():
    parent, child = MyModule(name="parent"), MyModule(name="child")
    parent.child = child
    child.parent = parent  # a cycle
    parent.same_again = [child, child.my_variable]  # duplicates
    assert len(parent.variables) == 2
    assert parent.submodules == (child,)
    assert child.submodules == (parent,)


def test_a_value_met_again_is_skipped_and_the_walk_goes_on():
    module = keras.Module(name="holder")
    first, second = (
        keras.Variable(1.0, name="first"),
        keras.Variable(2.0, name="second"),
    )
    module.a = first
    module.b = [first, second]  # `first` again, then a new variable
    assert module.variables == (first, second)


def test_with_name_scope_decorator():
    class Lazy(keras.Module):
        @keras.Module.with_name_scope
        def build(self, shape, *, dtype="float32"):
            """Create the weight."""
            self.w = keras.Variable(keras.ops.zeros(shape), name="w", dtype=dtype)
            return self.w

    lazy = Lazy()
    weight = lazy.build((2, 3), dtype="float64")
    assert lazy.w is weight
    assert (lazy.w.name, lazy.w.shape, lazy.w.dtype) == ("lazy/w:0", (2, 3), "float64")
    assert Lazy.build.__name__ == "build"
    assert Lazy.build.__doc__ == "Create the weight."
