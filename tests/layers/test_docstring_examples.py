"""The `Example:` blocks of the convolution, pooling and recurrent layers run.

Docstring examples are read by people copying them: each one is executed here
(as a doctest) with `np` and every public layer in scope, so it cannot drift
from what the code does.
"""

import doctest
import importlib
from pathlib import Path

import numpy as np
import pytest

import nanokeras as keras

ROOT = Path(__file__).resolve().parent.parent.parent
FAMILIES = ("convolutional", "pooling", "rnn")
MODULES = sorted(
    ".".join(path.relative_to(ROOT).with_suffix("").parts)
    for family in FAMILIES
    for path in (ROOT / "layers" / family).glob("*.py")
)


@pytest.mark.parametrize("module_name", MODULES)
def test_examples_run(module_name):
    module = importlib.import_module(module_name)
    scope = {
        "np": np,
        **{name: getattr(keras.layers, name) for name in dir(keras.layers)},
    }
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    report = []
    for test in doctest.DocTestFinder().find(module, globs=scope):
        runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)


def test_every_family_has_examples():
    examples = 0
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        examples += sum(
            len(test.examples) for test in doctest.DocTestFinder().find(module)
        )
    assert examples >= 25
