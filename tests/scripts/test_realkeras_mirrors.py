"""Each `Mirrors:` line names files that exist in the pinned releases.

A module's docstring says which real file it follows: tf.keras paths as of
keras 2.6.0 (the book's, e.g. `keras/optimizer_v2/adam.py`), Keras 3 paths as
of 3.15.1 (`keras/src/...`). Both wheels are unpacked by
scripts/realkeras/sources.py; a path that is in neither is a broken promise.
"""

import re

from scripts import explorer
from scripts.docgen import comparison
from scripts.realkeras import sources

PATH = re.compile(r"(?:keras|tensorflow)/[\w/]+\.py|(?<![\w/])[\w]+\.py")


def paths(text: str) -> list[str]:
    """Paths in a Mirrors item; a bare `x.py` after `a/b/c.py` means `a/b/x.py`."""
    found, folder = [], ""
    for match in PATH.findall(text):
        if "/" in match:
            folder = match.rpartition("/")[0]
            found.append(match)
        elif folder:
            found.append(f"{folder}/{match}")
    return found


def test_paths_reads_shorthands():
    assert paths("keras/src/metrics/metric.py + reduction_metrics.py") == [
        "keras/src/metrics/metric.py",
        "keras/src/metrics/reduction_metrics.py",
    ]


def test_every_mirrors_file_exists_in_its_release():
    rows, _ = comparison.module_rows(explorer.source_for())
    assert len(rows) > 100
    missing, checked = [], 0
    for row in rows:
        for label, release in (
            ("tf.keras 2.x", sources.KERAS2),
            ("Keras 3", sources.KERAS3),
        ):
            for path in paths(row.get(label, "")):
                if path.startswith("tensorflow/"):
                    continue  # TensorFlow's own code is not in the keras wheel
                checked += 1
                if not (sources.fetch(release) / path).is_file():
                    missing.append(f"{row['file']}: {path} ({release.label})")
    assert missing == []
    assert checked > 200


def test_tf_keras_paths_are_the_books():
    rows, _ = comparison.module_rows(explorer.source_for())
    by_file = {row["file"]: row for row in rows}
    assert by_file["optimizers/adam.py"]["tf.keras 2.x"] == "keras/optimizer_v2/adam.py"
    assert by_file["layers/core/dense.py"]["tf.keras 2.x"] == "keras/layers/core.py"
    assert by_file["engine/sequential.py"]["tf.keras 2.x"] == (
        "keras/engine/sequential.py"
    )
