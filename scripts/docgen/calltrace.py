"""Record which functions of a package call which, while real code runs.

`CallTracer` installs a profile function (`sys.setprofile`; Python 3.11 has
no `sys.monitoring`) and keeps a tree of the calls whose code lives in the
files it is told to watch: nanokeras's implementation, or `keras/src`. Every
other call (numpy, the standard library, jax) is not recorded, but the
watched calls it makes still hang under the nearest watched caller, so the
tree reads as "this method of ours led to that one".

Each node records what a reader needs and nothing that changes from run to
run: the qualified name, the file and the line of its `def`, the types and
shapes of the arguments (`float32[32,10]`, never values or addresses), the
shape of what it returned. `fold` then merges a run of identical sibling
subtrees into one node marked "× n" (the steps of an epoch look alike), and
`prune` keeps the tree under a size budget, shallow levels first, so that a
page stays small however much the code runs.

Nodes are plain dicts (`to_json` / `from_json`), so a trace recorded in
another process (real Keras runs in a subprocess) comes back unchanged.
"""

from __future__ import annotations

import dataclasses
import functools
import heapq
import itertools
import linecache
import os
import re
import sys
import types
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

# Generated code (comprehensions, lambdas, a module's body) is not a method a
# reader looks up: its watched calls hang under the function that ran it.
# Longer argument lists are cut (the page shows one call a line).
ARGUMENTS_LENGTH = 110
_ANONYMOUS = ("<listcomp>", "<dictcomp>", "<setcomp>", "<genexpr>", "<lambda>")


@dataclasses.dataclass
class Call:
    """One recorded call: where its code lives, what went in, what came out."""

    name: str  # qualified name, `Layer.__call__`
    file: str  # path relative to the watched root, `engine/base_layer.py`
    line: int  # the line of the `def` (not of its first decorator)
    args: str = ""  # `self=Dense, inputs=float32[32,3]`
    returns: str = ""
    children: list[Call] = dataclasses.field(default_factory=list)
    repeat: int = 1  # how many identical subtrees this node stands for
    hidden: int = 0  # calls below it left out by `prune`

    def signature(self) -> tuple:
        """What makes two subtrees "the same call" for folding."""
        return (
            self.name,
            self.file,
            self.line,
            self.args,
            self.returns,
            self.repeat,
            self.hidden,
            tuple(child.signature() for child in self.children),
        )

    def size(self) -> int:
        return 1 + sum(child.size() for child in self.children)

    def walk(self, depth: int = 0) -> Iterable[tuple[int, Call]]:
        """Every node with its depth, parents before children."""
        yield depth, self
        for child in self.children:
            yield from child.walk(depth + 1)

    def to_json(self) -> dict:
        data = dataclasses.asdict(self)
        data["children"] = [child.to_json() for child in self.children]
        return data

    @classmethod
    def from_json(cls, data: dict) -> Call:
        children = [cls.from_json(child) for child in data["children"]]
        return cls(**{**data, "children": children})


# --- Describing values without their contents ------------------------------


def describe(value: Any, depth: int = 0) -> str:
    """A short, run-independent description: `float32[32,10]`, `Dense`, `3`."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return str(value) if abs(value) < 10_000 else "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        # Paths and long texts differ between machines or say nothing.
        short = len(value) <= 24 and "/" not in value and "\\" not in value
        return repr(value) if short else "str"
    shape = getattr(value, "shape", None)
    dtype = getattr(value, "dtype", None)
    if isinstance(shape, tuple) and dtype is not None:
        dims = ",".join("None" if d is None else str(d) for d in shape)
        kind = type(value).__name__
        prefix = "" if kind in ("ndarray", "Tensor", "ArrayImpl") else f"{kind} "
        return f"{prefix}{_dtype_name(dtype)}[{dims}]"
    if isinstance(value, (list, tuple)) and depth < 1:
        items = [describe(item, depth + 1) for item in value[:3]]
        more = ", …" if len(value) > 3 else ""
        open_, close = ("[", "]") if isinstance(value, list) else ("(", ")")
        return open_ + ", ".join(items) + more + close
    if isinstance(value, (list, tuple, dict, set)):
        return f"{type(value).__name__}[{len(value)}]"
    if isinstance(value, (types.FunctionType, types.MethodType)):
        return f"function {value.__qualname__}"
    return type(value).__name__


def _dtype_name(dtype: Any) -> str:
    name = getattr(dtype, "name", None)
    return name if isinstance(name, str) else str(dtype)


def describe_arguments(frame: types.FrameType) -> str:
    """The frame's parameters as `name=description`, `self` as its class.

    Arguments that are None are left out: nearly all are defaults, and a
    call like `fit` has a dozen of them.
    """
    code = frame.f_code
    count = code.co_argcount + code.co_kwonlyargcount
    count += bool(code.co_flags & 0x04) + bool(code.co_flags & 0x08)
    parts = []
    for name in code.co_varnames[:count]:
        if name not in frame.f_locals:
            continue
        value = frame.f_locals[name]
        if value is None:
            continue  # almost always an argument left at its default
        if name in ("self", "cls"):
            owner = value if isinstance(value, type) else type(value)
            parts.append(f"{name}={owner.__name__}")
        elif isinstance(value, dict) and name.startswith("kw") and not value:
            continue
        elif isinstance(value, tuple) and name == "args" and not value:
            continue
        else:
            parts.append(f"{name}={describe(value)}")
    text = ", ".join(parts)
    return text if len(text) <= ARGUMENTS_LENGTH else text[: ARGUMENTS_LENGTH - 1] + "…"


# --- Recording -------------------------------------------------------------


@functools.cache
def _real_path(filename: str) -> str:
    # Compared resolved: the virtualenv may be reached through a symlink.
    return os.path.realpath(filename)


_DEF = re.compile(r"\s*(async\s+)?def\s")


def def_line(filename: str, first_line: int) -> int:
    """The line of the `def` of a function whose code starts at `first_line`.

    A decorated function's code object starts at its first decorator; a link
    must land on the `def` itself, the first `def` line from there on.
    """
    line = first_line
    text = linecache.getline(filename, line)
    while text and not _DEF.match(text):
        line += 1
        text = linecache.getline(filename, line)
    return line if text else first_line


class CallTracer:
    """Records the calls into `root`'s files while it is active.

    Use it as a context manager around the code to watch:

        tracer = CallTracer(root, watched=lambda path: path.startswith("engine/"))
        with tracer:
            model.fit(x, y)
        tree = tracer.root

    Args:
        root: The folder the recorded file names are relative to.
        watched: Whether a file (relative to `root`, with `/`) is recorded.
    """

    def __init__(self, root: Path, watched: Callable[[str], bool]):
        self._root = str(root.resolve()) + "/"
        self._watched = watched
        self._codes: dict[types.CodeType, tuple[str, str, int] | None] = {}
        self.root = Call("<traced code>", "", 0)
        # The root's slot holds no frame: no `return` event can pop it.
        self._stack: list[tuple[types.FrameType | None, Call]] = []
        self._previous: Any = None

    def __enter__(self) -> CallTracer:
        self._previous = sys.getprofile()
        self._stack = [(None, self.root)]
        sys.setprofile(self._profile)
        return self

    def __exit__(self, *exc_info: object) -> None:
        sys.setprofile(self._previous)

    def _where(self, code: types.CodeType) -> tuple[str, str, int] | None:
        """`(qualname, relative file, def line)` of watched code, else None."""
        found = self._codes.get(code, False)
        if found is not False:
            return found
        found = None
        filename = _real_path(code.co_filename)
        if filename.startswith(self._root):
            relative = filename[len(self._root) :]
            name = code.co_qualname
            anonymous = name.rpartition(".")[2] in _ANONYMOUS or name == "<module>"
            if not anonymous and self._watched(relative):
                found = (name, relative, def_line(filename, code.co_firstlineno))
        self._codes[code] = found
        return found

    def _profile(self, frame: types.FrameType, event: str, arg: Any) -> None:
        if event == "call":
            where = self._where(frame.f_code)
            if where is None:
                return
            name, file, line = where
            call = Call(name, file, line, describe_arguments(frame))
            self._stack[-1][1].children.append(call)
            self._stack.append((frame, call))
        elif event == "return" and self._stack[-1][0] is frame:
            self._stack.pop()[1].returns = describe(arg)


# --- Shaping the tree for a page -------------------------------------------


def fold(call: Call, longest_period: int = 6) -> Call:
    """Merge repeated runs of identical sibling subtrees, bottom up.

    A run of the same subtree (or the same few subtrees in a row, like the
    `on_train_batch_begin`, `train_function`, `on_train_batch_end` of each
    step) becomes one copy whose `repeat` says how many times it ran.
    """
    return _Folder(longest_period).fold(call)[0]


class _Folder:
    """`fold`, with each distinct subtree numbered once so that comparing two
    subtrees is comparing two integers (traces run to thousands of calls)."""

    def __init__(self, longest_period: int):
        self.longest_period = longest_period
        self.numbers: dict[tuple, int] = {}
        self.kids: dict[int, list[int]] = {}  # id(folded node) -> its children's

    def number(self, call: Call, children: list[int]) -> int:
        self.kids[id(call)] = children
        args, returns = _without_counts(call.args), _without_counts(call.returns)
        key = (call.name, call.file, call.line, args, returns)
        key += (call.repeat, call.hidden, tuple(children))
        return self.numbers.setdefault(key, len(self.numbers))

    def fold(self, call: Call) -> tuple[Call, int]:
        pairs = [self.fold(child) for child in call.children]
        children, numbers = [p[0] for p in pairs], [p[1] for p in pairs]
        merged = True
        while merged:
            merged = False
            for period in range(1, self.longest_period + 1):
                found = _repeated_run(numbers, period)
                if found is None:
                    continue
                start, times = found
                run = children[start : start + period]
                if period == 1:
                    group = dataclasses.replace(run[0], repeat=run[0].repeat * times)
                    number = self.number(group, self.kids[id(run[0])])
                else:
                    group = Call("", "", 0, children=run, repeat=times)
                    number = self.number(group, numbers[start : start + period])
                end = start + times * period
                children[start:end] = [group]
                numbers[start:end] = [number]
                merged = True
                break
        folded = dataclasses.replace(call, children=children)
        return folded, self.number(folded, numbers)


# A whole number standing alone (`batch=1`, `(0, None)`), not a dimension of
# a shape (`float32[32,10]`): the step and epoch counters that make every
# step's calls differ from the previous step's.
_COUNT = re.compile(r"(?:(?<=[=( ])|^)-?\d+(?=[,)\]]|$)")


def _without_counts(text: str) -> str:
    return _COUNT.sub("#", text)


def _repeated_run(numbers: list[int], period: int) -> tuple[int, int] | None:
    """The first `(start, times)` where `period` items repeat back to back."""
    for start in range(len(numbers) - 2 * period + 1):
        pattern = numbers[start : start + period]
        times = 1
        while numbers[start + times * period : start + (times + 1) * period] == (
            pattern
        ):
            times += 1
        if times > 1:
            return start, times
    return None


# Plumbing: the argument checks every public entry point runs first, and the
# helpers that walk nested structures. On a page about what `fit` does they
# would spend the budget before the model is even called.
PLUMBING_FILES = frozenset({"utils/argument_validation.py", "backend/nest.py"})


def prune(
    call: Call,
    budget: int,
    leaf_cost: int = 2,
    plumbing_files: frozenset[str] = PLUMBING_FILES,
    plumbing_cost: int = 4,
) -> Call:
    """Keep at most `budget` nodes, the shallow ones first.

    Calls that call nothing watched (accessors, small helpers) count as
    `leaf_cost` levels deeper than they are, and calls into
    `plumbing_files` as `plumbing_cost` levels deeper, so the calls that
    lead somewhere are kept first. A node whose children were cut says how
    many calls it hides, so the page never pretends the code did less than
    it did.
    """
    kept: set[int] = set()
    order = itertools.count()
    queue = [(0, next(order), call)]
    while queue and len(kept) < budget:
        depth, _, node = heapq.heappop(queue)
        kept.add(id(node))
        for child in node.children:
            cost = depth + 1 + (0 if child.children else leaf_cost)
            if child.file in plumbing_files:
                cost += plumbing_cost
            heapq.heappush(queue, (cost, next(order), child))
    return _cut(call, kept)


def _cut(call: Call, kept: set[int]) -> Call:
    children = [_cut(child, kept) for child in call.children if id(child) in kept]
    lost = sum(
        child.size() + child.hidden for child in call.children if id(child) not in kept
    )
    return dataclasses.replace(call, children=children, hidden=call.hidden + lost)
