"""The call tracer behind the trace pages (scripts/docgen/calltrace.py)."""

import importlib.util
import sys
import textwrap
from pathlib import Path

import numpy as np

from scripts.docgen.calltrace import Call, CallTracer, describe, fold, prune

MODULE = """
import functools


def logged(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        return function(*args, **kwargs)

    return wrapper


class Net:
    @logged
    @logged
    def step(self, batch, index):
        return batch * 2

    def run(self, data, steps):
        return [self.step(data, index) for index in range(steps)]
"""


def load(tmp_path: Path, name: str = "tracedmod"):
    path = tmp_path / "pkg" / f"{name}.py"
    path.parent.mkdir()
    path.write_text(textwrap.dedent(MODULE))
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module, path


def traced_run(tmp_path: Path) -> tuple[Call, list[str]]:
    module, path = load(tmp_path)
    tracer = CallTracer(tmp_path, lambda file: file.startswith("pkg/"))
    with tracer:
        module.Net().run(np.ones((32, 10), dtype="float32"), steps=3)
    return tracer.root, path.read_text().splitlines()


def test_records_names_shapes_and_the_def_line_of_decorated_functions(tmp_path):
    root, lines = traced_run(tmp_path)
    (run,) = root.children
    assert run.name == "Net.run"
    assert run.file == "pkg/tracedmod.py"
    assert lines[run.line - 1].strip().startswith("def run(")
    assert run.args == "self=Net, data=float32[32,10], steps=3"
    assert run.returns == "[float32[32,10], float32[32,10], float32[32,10]]"
    # The list comprehension is not a frame: its calls hang under `run`.
    wrappers = run.children
    assert [call.name for call in wrappers] == ["logged.<locals>.wrapper"] * 3
    step = wrappers[0].children[0].children[0]
    assert step.name == "Net.step"
    # The code of `step` starts at its first decorator; the link must not.
    assert lines[step.line - 1].strip() == "def step(self, batch, index):"
    assert lines[step.line - 3].strip() == "@logged"
    assert step.args == "self=Net, batch=float32[32,10], index=0"


def test_fold_merges_steps_that_differ_only_in_their_counter(tmp_path):
    root, _ = traced_run(tmp_path)
    (run,) = fold(root).children
    (wrapper,) = run.children
    assert wrapper.repeat == 3
    assert wrapper.args.endswith(", 0)")  # the first one is shown


def test_fold_finds_repeated_groups_of_several_calls():
    def leaf(name: str, shape: str = "float32[2]") -> Call:
        return Call(name, "f.py", 1, args=shape)

    step = [leaf("begin"), leaf("train"), leaf("end")]
    tree = Call("root", "", 0, children=[leaf("setup")] + step * 4 + [leaf("close")])
    folded = fold(tree)
    names = [call.name for call in folded.children]
    assert names == ["setup", "", "close"]
    group = folded.children[1]
    assert group.repeat == 4
    assert [call.name for call in group.children] == ["begin", "train", "end"]
    # A different shape is a different call: the run stops there.
    odd = Call("root", "", 0, children=step * 2 + [leaf("begin", "float32[1]")])
    assert [c.repeat for c in fold(odd).children] == [2, 1]


def test_prune_keeps_the_budget_and_counts_what_it_hides():
    deep = Call("a", "f.py", 1)
    node = deep
    for index in range(30):
        child = Call(f"n{index}", "f.py", 1)
        node.children.append(child)
        node = child
    leaves = [Call("leaf", "f.py", 2) for _ in range(20)]
    wide = Call("root", "", 0, children=[deep, *leaves])
    pruned = prune(wide, 10)
    assert pruned.size() == 10
    assert pruned.size() - 1 + sum(c.hidden for _, c in pruned.walk()) == 51
    # The chain that leads somewhere is followed before the idle leaves.
    assert pruned.children[0].children, "the deep chain was cut at its top"


def test_prune_spends_the_budget_on_the_work_before_the_argument_checks():
    def chain(name: str, file: str, length: int) -> Call:
        top = node = Call(name, file, 1)
        for index in range(length):
            node.children.append(Call(f"{name}{index}", file, 1))
            node = node.children[0]
        return top

    checks = chain("check_method_arguments", "utils/argument_validation.py", 5)
    work = chain("train_step", "engine/training.py", 5)
    pruned = prune(Call("fit", "engine/training.py", 1, children=[checks, work]), 8)
    kept = {call.name for _, call in pruned.walk()}
    assert {f"train_step{index}" for index in range(5)} <= kept
    assert "check_method_arguments" in kept  # still shown, as one line
    assert pruned.children[0].hidden == 5


def test_describe_is_short_and_run_independent():
    assert describe(np.zeros((32, 10), dtype="float32")) == "float32[32,10]"
    assert describe("/tmp/abc/model.keras") == "str"
    assert describe("relu") == "'relu'"
    assert describe(0.1) == "float"
    assert describe((1, None)) == "(1, None)"
    assert describe({"a": 1}) == "dict[1]"
    assert describe(object()) == "object"


def test_json_round_trip():
    tree = Call("a", "f.py", 3, "x=1", "None", [Call("b", "g.py", 4)], 2, 5)
    assert Call.from_json(tree.to_json()) == tree
