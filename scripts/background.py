"""Start a `python -m <module>` beside the site build, at a lower priority.

The build's slow inputs (tracing real Keras, reading its wheels) run in
subprocesses while the build process writes the other pages. At normal
priority four of them would share two cores with the build and slow it down;
niced, they take the core the build leaves idle, and the build, which must
render every page on its own, keeps a core to itself.
"""

import os
import subprocess
import sys

from scripts.paths import ROOT

NICENESS = 10
# `python -m module args` after lowering its own priority (a `preexec_fn`
# would do it before exec, but is unsafe beside `mkdocs serve`'s threads).
_RUN_NICED = (
    "import os, runpy, sys; os.nice(int(sys.argv.pop(1))); "
    "sys.argv[0] = sys.argv.pop(1); "
    "runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)"
)


def start_module(module: str, *args: str, **env: str) -> subprocess.Popen:
    """`python -m module args...` from the repository root, niced; text pipes."""
    return subprocess.Popen(
        [sys.executable, "-c", _RUN_NICED, str(NICENESS), module, *args],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT), **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
