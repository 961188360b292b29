"""The call-trace pages (scripts/docgen/traces.py): the right frames, the right lines.

The traces are recorded exactly as the site's build records them (the same
subprocesses), then checked against the code: the frames the "Keras source"
book walks through in `fit` appear in order, and every frame's link lands on
the line of its `def`, in our annotated source and in Keras 3's repository at
the pinned tag (checked against the installed Keras, whose files are checked
against its wheel's own record).
"""

import base64
import csv
import hashlib
import inspect
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from scripts import docgen
from scripts.docgen import source, trace_render, traces
from scripts.docgen.calltrace import Call, def_line

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def runs() -> traces.Runs:
    runs = traces.Runs()
    runs.results()
    return runs


def where(function) -> tuple[str, int]:
    """`(file relative to the repository, def line)` of a function of ours."""
    function = inspect.unwrap(getattr(function, "fget", function))
    code = function.__code__
    file = Path(code.co_filename).resolve().relative_to(ROOT).as_posix()
    return file, def_line(code.co_filename, code.co_firstlineno)


def key_frames() -> list[tuple[str, tuple[str, int]]]:
    """The frames the book names in `fit`, found from the objects themselves
    (so that renaming an internal helper does not hide a frame)."""
    import nanokeras as keras
    from backend.tape import GradientTape
    from callbacks.callback_list import CallbackList
    from engine.data_adapter import DataHandler

    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    train_function = model.make_train_function()
    return [
        ("fit", where(type(model).fit)),
        ("DataHandler", where(DataHandler.__init__)),
        ("train_function", where(train_function)),
        ("train_step", where(type(model).train_step)),
        ("__call__", where(type(model).__call__)),
        ("call", where(type(model).call)),
        ("GradientTape.gradient", where(GradientTape.gradient)),
        ("apply_gradients", where(type(model.optimizer).apply_gradients)),
        ("callbacks", where(CallbackList.on_train_batch_end)),
    ]


def test_fit_trace_shows_the_books_frames_in_order(runs):
    tree = runs.ours("fit")  # the tree the page shows
    frames = [(depth, call) for depth, call in tree.walk() if call.name]
    position = 0
    found = {}
    for label, place in key_frames():
        while position < len(frames) and (
            (frames[position][1].file, frames[position][1].line) != place
        ):
            position += 1
        assert position < len(frames), (
            f"{label} ({place[0]}:{place[1]}) is missing from the fit trace after "
            f"{list(found)}"
        )
        found[label] = frames[position]
    # The step runs inside the train function; the callbacks hear of it after.
    depth = {label: d for label, (d, _) in found.items()}
    step = found["train_step"][1]
    inside_step = {id(call) for _, call in step.walk()}
    for label in ("__call__", "call", "GradientTape.gradient", "apply_gradients"):
        assert id(found[label][1]) in inside_step, f"{label} is not inside train_step"
    assert depth["train_function"] < depth["train_step"]
    assert depth["callbacks"] == depth["train_function"] == depth["DataHandler"]
    assert depth["fit"] == 1


def our_frames(tree: Call) -> list[Call]:
    return [call for _, call in tree.walk() if call.name and call.file]


def test_every_frame_of_ours_links_to_its_def_line(runs):
    trees = [runs.ours(trace.name) for trace in traces.TRACES]
    files = sorted({call.file for tree in trees for call in our_frames(tree)})
    saved = dict(docgen.GENERATED)
    try:
        for file in files:
            text = (ROOT / file).read_text(encoding="utf-8")
            page = source.render_page(Path(file), text, canonical={})
            docgen.GENERATED[docgen.source_page(file)] = page
        checked = 0
        for tree in trees:
            for call in our_frames(tree):
                link = traces.our_link(call)
                assert link == f"source/{file_stem(call.file)}.md#L{call.line}", (
                    f"{call.name}: no annotated-source line {call.line}"
                )
                assert_def_at(ROOT / call.file, call)
                checked += 1
        assert checked > 500
    finally:
        docgen.GENERATED.clear()
        docgen.GENERATED.update(saved)


def file_stem(file: str) -> str:
    return file.removesuffix(".py")


def assert_def_at(path: Path, call: Call) -> None:
    name = call.name.rpartition(".")[2]
    text = path.read_text(encoding="utf-8").splitlines()[call.line - 1]
    assert re.match(rf"\s*(async\s+)?def {re.escape(name)}\(", text), (
        f"{call.name}: line {call.line} of {path.name} is {text.strip()!r}"
    )


def installed_keras() -> tuple[Path, str]:
    """The site-packages folder holding the installed Keras, and its version."""
    from importlib import metadata

    distribution = metadata.distribution("keras")
    return Path(distribution.locate_file("")), distribution.version


def test_every_keras_frame_links_to_its_def_line_at_the_pinned_tag(runs):
    site_packages, version = installed_keras()
    record = recorded_hashes(site_packages, version)
    checked, files = 0, set()
    for trace in traces.TRACES:
        result = runs.keras(trace.name)
        assert result["version"] == version
        for call in our_frames(Call.from_json(result["tree"])):
            link = traces.keras_link(call, result["version"])
            base = f"https://github.com/keras-team/keras/blob/v{version}/keras/src/"
            assert link.startswith(base) and link.endswith(f"#L{call.line}"), link
            assert_def_at(site_packages / call.file, call)
            files.add(call.file)
            checked += 1
    assert checked > 500
    # The lines were read from the installed files; the links point at the
    # tag. The installed files are the wheel's, byte for byte.
    for file in sorted(files):
        data = (site_packages / file).read_bytes()
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
        assert record[file] == "sha256=" + digest.decode(), f"{file} was modified"


def recorded_hashes(site_packages: Path, version: str) -> dict[str, str]:
    """`{file: hash}` from the installed wheel's RECORD."""
    path = site_packages / f"keras-{version}.dist-info" / "RECORD"
    with path.open(newline="") as record:
        return {row[0]: row[1] for row in csv.reader(record) if len(row) >= 2}


def test_keras_fit_runs_on_jax_and_the_page_says_numpy_cannot_train(runs):
    numpy_fit = runs.keras("fit", "numpy")
    assert numpy_fit["error"].startswith("NotImplementedError")
    jax_fit = runs.keras("fit")
    assert jax_fit["backend"] == "jax" and jax_fit["error"] is None
    tree = Call.from_json(jax_fit["tree"])
    names = {call.name for _, call in tree.walk()}
    assert {"JAXTrainer.fit", "JAXTrainer.train_step"} <= names
    # What the page says: the first step traces train_step, the second
    # runs the compiled function.
    steps = [call for _, call in tree.walk() if call.name.endswith("iterator_step")]
    assert len(steps) == 2
    called = [{call.name for _, call in step.walk()} for step in steps]
    assert "JAXTrainer.train_step" in called[0]
    assert "JAXTrainer.train_step" not in called[1]
    page = traces.render_page(
        traces.BY_NAME["fit"], runs.ours("fit"), jax_fit, numpy_fit
    )
    assert "fit not implemented for NumPy backend" in page


def test_traces_are_deterministic(runs):
    """A second build records the same trees as the first.

    Run in a fresh process, as the build does: a process that has already
    used nanokeras has created its lazy global state (the global seed
    generator, say), which the first workload's trace shows being made.
    """
    names = [trace.name for trace in traces.TRACES]
    command = [sys.executable, "-m", "scripts.docgen.trace_workloads", "nanokeras"]
    command += [*names, "--budget", str(traces.PAGE_BUDGET)]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    output = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    again = json.loads(output)
    for name in names:
        assert Call.from_json(again[name]["tree"]) == runs.ours(name), name


def test_sequence_diagram_draws_the_top_levels_and_folds_loops():
    step = [Call("Cb.on_begin", "c.py", 1, "self=CallbackList")] + [
        Call("Model.train_step", "m.py", 2, "self=Sequential")
    ]
    tree = Call(
        "",
        "",
        0,
        children=[
            Call(
                "Model.fit",
                "m.py",
                3,
                "self=Sequential",
                children=[Call("", "", 0, children=step, repeat=4)],
            )
        ],
    )
    diagram = trace_render.sequence_diagram(tree)
    assert diagram.splitlines()[0] == "sequenceDiagram"
    assert "user->>p0: fit" in diagram
    assert "loop × 4" in diagram and diagram.rstrip().endswith("end")
    assert "p0->>p1: on_begin" in diagram and "participant p1 as CallbackList" in (
        diagram
    )


def test_embed_links_are_relative_to_the_chapter():
    assert traces.href("source/engine/training.md#L484", "tutorials/08-fit.md") == (
        "../../source/engine/training/#L484"
    )
    assert traces.href("traces/fit.md", "traces/index.md") == "fit/"
    assert traces.href("traces/index.md", "tutorials/08-fit.md") == "../../traces/"
