"""The call-trace pages: what nanokeras and Keras 3 really call, side by side.

Each workload of `scripts/docgen/trace_workloads.py` runs twice while the
site builds, in subprocesses: on nanokeras, and on the pinned real Keras 3
(its numpy backend; `fit` on its JAX backend, since the numpy backend cannot
train). `scripts/docgen/calltrace.py` records the calls.

Each trace gets a page `traces/<name>.md`: the code that ran, a mermaid
sequence diagram of the top levels of both runs, the two call trees side by
side as nested HTML `details` (no script), and which methods the two share.
Every frame of ours links to its `def` line in the annotated source; every
Keras frame links to the same line of the Keras repository at the release's
tag. The chapters embed the tree they explain through a marker comment,
`<!-- trace: fit -->` (see `scripts/mkdocs_trace_hooks.py`).

The subprocesses are started by `start()` as the build begins and read by
`pages()` once the other generators are done, so their few seconds overlap
the rest of the build.
"""

from __future__ import annotations

import dataclasses
import html
import inspect
import json
import logging
import posixpath
import resource
import subprocess
import tempfile
import textwrap
import time
from pathlib import Path

from scripts.background import start_module
from scripts.docgen import GENERATED, anchored_lines, source_page
from scripts.docgen.calltrace import Call, prune
from scripts.docgen.trace_render import method_names, sequence_diagram, tree_html
from scripts.docgen.trace_workloads import (
    KERAS_BACKENDS,
    KERAS_DEFAULT_BACKEND,
    WORKLOADS,
)

log = logging.getLogger("mkdocs.plugins.nanokeras.traces")
FOLDER = "traces"
KERAS_REPOSITORY = "https://github.com/keras-team/keras/blob/"
# Nodes of each call tree: on its own page, and embedded in a chapter.
PAGE_BUDGET = 190
EMBED_BUDGET = 70


@dataclasses.dataclass(frozen=True)
class Trace:
    """One traced workload and where the site explains it."""

    name: str  # a key of WORKLOADS and the page's file name
    title: str
    chapter: str  # docs-relative path of the chapter that embeds it
    about: str  # one sentence: what to look for


TRACES = [
    Trace(
        "layer-first-call",
        "A layer's first call",
        "tutorials/02-layer.md",
        "`__call__` builds the layer from its first input's shape, then runs `call`.",
    ),
    Trace(
        "functional-construction",
        "Model(inputs, outputs)",
        "tutorials/04-functional.md",
        "Calling layers on `KerasTensor`s records nodes; `Model(inputs, outputs)` "
        "walks them back from the outputs into a graph.",
    ),
    Trace(
        "sequential-with-input-shape",
        "Sequential.add with an input shape",
        "tutorials/05-sequential.md",
        "With an input shape the model is built at the first `add`, and every "
        "later `add` calls the new layer on the previous output.",
    ),
    Trace(
        "sequential-without-input-shape",
        "Sequential.add without an input shape",
        "tutorials/05-sequential.md",
        "Without one, `add` only appends; the first call on data builds it.",
    ),
    Trace(
        "compile",
        "compile",
        "tutorials/07-compile.md",
        "`compile` resolves the optimizer, loss and metric names and wraps them "
        "in containers; no weight is touched.",
    ),
    Trace(
        "fit",
        "fit, two steps with a callback",
        "tutorials/08-fit.md",
        "The data handler cuts batches, each step runs `train_step` (forward "
        "pass under a tape, loss, gradients, optimizer), callbacks hear each step.",
    ),
    Trace(
        "predict",
        "predict",
        "tutorials/09-predict.md",
        "The same loop as `fit` with `predict_step`: a forward pass per batch, "
        "outputs concatenated.",
    ),
    Trace(
        "evaluate",
        "evaluate",
        "tutorials/10-evaluate.md",
        "`test_step` per batch: forward pass, loss and metrics, no gradients.",
    ),
    Trace(
        "save-and-load",
        "model.save and load_model",
        "tutorials/14-saving-and-loading.md",
        "Saving writes the config and the weights into a zip; loading rebuilds "
        "the model from the config, then fills in the weights.",
    ),
]
BY_NAME = {trace.name: trace for trace in TRACES}


# --- Running the workloads -------------------------------------------------


class Runs:
    """The traces of every workload, recorded by subprocesses that run while
    the rest of the site is generated: one for nanokeras, one per Keras
    backend."""

    def __init__(self, budget: int = PAGE_BUDGET):
        self._started = time.perf_counter()
        self._home = tempfile.TemporaryDirectory(prefix="nanokeras-keras-home-")
        names = [trace.name for trace in TRACES]
        by_backend: dict[str, list[str]] = {}
        for name in names:
            backend = KERAS_BACKENDS.get(name, KERAS_DEFAULT_BACKEND)
            by_backend.setdefault(backend, []).append(name)
        # On the numpy backend the workloads it cannot run are traced too:
        # the page shows where they stop.
        by_backend[KERAS_DEFAULT_BACKEND] += [
            name for name in KERAS_BACKENDS if name in names
        ]
        self._processes = {
            "nanokeras": self._start("nanokeras", "numpy", names, budget),
        }
        for backend, selected in by_backend.items():
            self._processes[backend] = self._start("keras", backend, selected, budget)
        self._results: dict[str, dict] | None = None

    def _start(
        self, library: str, backend: str, names: list[str], budget: int
    ) -> subprocess.Popen:
        return start_module(
            "scripts.docgen.trace_workloads",
            *(library, *names, "--budget", str(budget)),
            KERAS_BACKEND=backend,
            KERAS_HOME=self._home.name,
            JAX_PLATFORMS="cpu",  # no probing for accelerators
        )

    def results(self) -> dict[str, dict]:
        """`{run: {workload: result}}`, waiting for the subprocesses."""
        if self._results is None:
            self._results = {}
            waiting = time.perf_counter()
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            for run, process in self._processes.items():
                out, err = process.communicate(timeout=600)
                if process.returncode != 0:
                    raise RuntimeError(
                        f"Tracing the workloads ({run}) failed "
                        f"(exit {process.returncode}):\n{err}"
                    )
                self._results[run] = json.loads(out)
            self._home.cleanup()
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
            # What the traces cost the build: CPU spent beside it, and the
            # time it stood still waiting for them.
            log.info(
                "Call traces: %d runs in %.1f s (%.1f s CPU); the build waited "
                "%.1f s for them",
                len(self._processes),
                time.perf_counter() - self._started,
                cpu,
                time.perf_counter() - waiting,
            )
        return self._results

    def ours(self, name: str) -> Call:
        return Call.from_json(self.results()["nanokeras"][name]["tree"])

    def keras(self, name: str, backend: str | None = None) -> dict:
        backend = backend or KERAS_BACKENDS.get(name, KERAS_DEFAULT_BACKEND)
        return self.results()[backend][name]


_runs: Runs | None = None


def start() -> None:
    """Start the traced runs in the background (the build goes on)."""
    global _runs
    if _runs is None:
        _runs = Runs()


# --- Links -----------------------------------------------------------------


def page_url(path: str) -> str:
    """The site URL of a docs page (directory URLs, as the site is built)."""
    path = posixpath.splitext(path)[0]
    if path == "index" or path.endswith("/index"):
        path = path[: -len("index")]
    else:
        path += "/"
    return path


def href(target: str, page: str) -> str:
    """The HTML link from page `page` to docs path `target` (with an anchor)."""
    path, _, anchor = target.partition("#")
    start = page_url(page).rstrip("/") or "."
    end = page_url(path).rstrip("/") or "."
    relative = posixpath.relpath(end, start)
    return relative + "/" + (f"#{anchor}" if anchor else "")


def our_link(call: Call) -> str | None:
    """Docs path of the annotated-source line of our frame (None if absent)."""
    page = source_page(call.file)
    if page not in GENERATED or call.line not in anchored_lines(page):
        return None
    return f"{page}#L{call.line}"


def keras_link(call: Call, version: str) -> str:
    """The pinned permalink of a Keras frame: the release's tag, the line."""
    return f"{KERAS_REPOSITORY}v{version}/{call.file}#L{call.line}"


# --- Pages -----------------------------------------------------------------


def _names(names: set[str]) -> str:
    return ", ".join(f"`{name}`" for name in sorted(names)) or "none"


def workload_source(name: str) -> str:
    return textwrap.dedent(inspect.getsource(WORKLOADS[name]))


def _keras_column(result: dict) -> tuple[str, str]:
    """The heading and the tree of one Keras run."""
    version = result["version"]
    tree = Call.from_json(result["tree"])
    heading = f"Keras {version}, {result['backend']} backend"
    body = tree_html(tree, lambda call: keras_link(call, version))
    if result["error"]:
        body += (
            f'<p class="nk-trace-error">It raised <code>'
            f"{html.escape(result['error'])}</code></p>"
        )
    return heading, body


def pair_html(ours: Call, keras: dict, page: str, embed: bool = False) -> str:
    """Our tree beside Keras's, as one block of HTML without blank lines."""
    budget = EMBED_BUDGET if embed else PAGE_BUDGET

    def link(call: Call) -> str | None:
        target = our_link(call)
        return href(target, page) if target else None

    ours_tree = tree_html(prune(ours, budget), link)
    keras = dict(keras, tree=prune(Call.from_json(keras["tree"]), budget).to_json())
    heading, keras_tree = _keras_column(keras)
    return (
        '<div class="nk-trace-pair">'
        f'<div><p class="nk-trace-title">nanokeras</p>{ours_tree}</div>'
        f'<div><p class="nk-trace-title">{html.escape(heading)}</p>{keras_tree}</div>'
        "</div>"
    )


def render_page(trace: Trace, ours: Call, keras: dict, numpy_fit: dict | None) -> str:
    page = f"{FOLDER}/{trace.name}.md"
    chapter = posixpath.relpath(trace.chapter, FOLDER)
    keras_tree = Call.from_json(keras["tree"])
    shared = method_names(ours) & method_names(keras_tree)
    out = [
        f"# Trace: {trace.title}",
        "",
        f"{trace.about} Explained in [this chapter]({chapter}).",
        "",
        "The code below ran while this site was built, once on nanokeras and",
        f"once on Keras {keras['version']}; only the statements inside",
        "`with trace:` are recorded. Each frame shows the arguments' types and",
        "shapes and what it returned, and links to the line of its `def`: ours",
        "to the annotated source, Keras's to its repository at the release's tag.",
        "Identical calls in a row are folded into one, marked `× n`.",
        "",
        "```python",
        workload_source(trace.name).rstrip(),
        "```",
        "",
    ]
    if numpy_fit is not None and numpy_fit["error"]:
        out += [
            '!!! note "Keras 3 trains on JAX here"',
            "",
            "    Keras 3's numpy backend cannot train: there, `fit` raises",
            f"    `{numpy_fit['error']}` The Keras column therefore runs the",
            f"    same code on Keras's {keras['backend']} backend (installed beside",
            "    Keras for this site). Its first step traces `train_step` into a",
            "    compiled function; the second step runs that function without",
            "    calling `train_step` again.",
            "",
        ]
    out += [
        "## The top levels",
        "",
        "The first levels of each run as a sequence diagram: who calls whom.",
        "",
        "### nanokeras",
        "",
        "```mermaid",
        sequence_diagram(ours),
        "```",
        "",
        f"### Keras {keras['version']}",
        "",
        "```mermaid",
        sequence_diagram(keras_tree),
        "```",
        "",
        "## The call trees",
        "",
        pair_html(ours, keras, page),
        "",
        "## What the two share",
        "",
        f"- **Both call:** {_names(shared)}",
        f"- **Only nanokeras:** {_names(method_names(ours) - shared)}",
        f"- **Only Keras 3:** {_names(method_names(keras_tree) - shared)}",
        "",
        "(Method names in the first four levels of each tree.)",
        "",
    ]
    return "\n".join(out)


def render_index() -> str:
    out = [
        "# Call traces",
        "",
        "Real runs, recorded while this site was built: which functions",
        "nanokeras calls, in what order, with what shapes, beside what Keras 3",
        "calls for the same code. Each chapter embeds the trace it explains.",
        "",
        "| Trace | What to look for | Chapter |",
        "| --- | --- | --- |",
    ]
    for trace in TRACES:
        chapter = posixpath.relpath(trace.chapter, FOLDER)
        out.append(
            f"| [{trace.title}]({trace.name}.md) | {trace.about} "
            f"| [{Path(trace.chapter).stem}]({chapter}) |"
        )
    return "\n".join(out) + "\n"


# name -> (our tree, Keras result), kept for the chapters' embeds.
RESULTS: dict[str, tuple[Call, dict]] = {}


def embed_html(name: str, page: str) -> str:
    """The block a chapter embeds for trace `name` (one HTML block)."""
    trace = BY_NAME[name]
    ours, keras = RESULTS[name]
    full = href(f"{FOLDER}/{name}.md", page)
    return (
        '<details class="nk-trace-embed"><summary>Watch it run: the calls of '
        f"<em>{html.escape(trace.title)}</em>, nanokeras beside Keras "
        f"{html.escape(keras['version'])}</summary>"
        f"{pair_html(ours, keras, page, embed=True)}"
        f'<p>The <a href="{full}">whole trace</a>, with sequence diagrams of'
        " both runs.</p></details>"
    )


def pages() -> dict[str, str]:
    """Every trace page: docs-relative path -> Markdown."""
    start()
    assert _runs is not None
    result = {}
    for trace in TRACES:
        ours = _runs.ours(trace.name)
        keras = _runs.keras(trace.name)
        numpy_fit = None
        if trace.name in KERAS_BACKENDS:
            numpy_fit = _runs.keras(trace.name, KERAS_DEFAULT_BACKEND)
        RESULTS[trace.name] = (ours, keras)
        result[f"{FOLDER}/{trace.name}.md"] = render_page(trace, ours, keras, numpy_fit)
    result[f"{FOLDER}/index.md"] = render_index()
    result[f"{FOLDER}/SUMMARY.md"] = "* [Overview](index.md)\n" + "".join(
        f"* [{trace.title}]({trace.name}.md)\n" for trace in TRACES
    )
    return result
