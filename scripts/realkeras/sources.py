"""The two reference releases of Keras, as files on disk.

keras 2.6.0 is the tf.keras the book "Keras source" reads (`keras/engine/...`,
with TensorFlow's generated `keras/api/_v2`); Keras 3.15.1 is the release our
Keras 3 parity tests run against. Both wheels come from PyPI (`pip download
--no-deps`), their sha256 is checked against the pin below, and they are
unpacked into `.cache/reference/<release>/` (git-ignored, outside `docs/` and
`site/`). The Makefile runs `python -m scripts.realkeras.sources` first; the
generators call `ensure()` too, so a test run on a fresh clone fetches them
the same way. Nothing here imports the code it unpacks.
"""

import hashlib
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from scripts.paths import REFERENCE_CACHE, ROOT

REPOSITORY = "https://github.com/keras-team/keras"


# tf.keras 2.6's `Layer` subclasses `tf.Module` (imported as
# `tensorflow.compat.v2.Module`), whose code lives in TensorFlow, not in the
# keras wheel. Its bases as of TensorFlow 2.6: `Module(tracking.AutoTrackable)`
# in tensorflow/python/module/module.py, `AutoTrackable(base.Trackable)` in
# tensorflow/python/training/tracking/tracking.py, `Trackable(object)` in
# tensorflow/python/training/tracking/base.py. Chains show them as outside
# leaves, without members.
TENSORFLOW_BASES = (
    (
        "tensorflow.compat.v2.Module",
        ("tensorflow.python.training.tracking.tracking.AutoTrackable",),
    ),
    (
        "tensorflow.python.training.tracking.tracking.AutoTrackable",
        ("tensorflow.python.training.tracking.base.Trackable",),
    ),
)


@dataclass(frozen=True)
class Release:
    """One pinned release of Keras: its wheel and the tag its files are linked at."""

    key: str  # "keras2" or "keras3": how the site and the explorer name it
    version: str
    sha256: str
    label: str  # how prose names it
    tag: str  # the git tag of keras-team/keras holding exactly these files
    # How the explorer reads the unpacked wheel (scripts/explorer/source.py):
    # with TensorFlow's API versions (`keras_export(..., v1=[...])`), without
    # the modules a wheel generates, routing some public prefixes to another
    # namespace, following one backend's branch where bases are picked while
    # importing, with the bases of classes outside the wheel.
    tf_versions: bool = False
    skip_modules: tuple[str, ...] = ()
    other_namespaces: tuple[str, ...] = ()
    backend: str = ""
    outside_bases: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def wheel(self) -> str:
        tail = "py2.py3-none-any" if self.version.startswith("2.") else "py3-none-any"
        return f"keras-{self.version}-{tail}.whl"

    @property
    def folder(self) -> Path:
        """The unpacked wheel: `<folder>/keras/...`."""
        return REFERENCE_CACHE / f"keras-{self.version}"

    def permalink(self, file: str, line: int | None = None) -> str:
        """`keras/engine/training.py`, 120 -> that line at this release's tag."""
        anchor = f"#L{line}" if line else ""
        return f"{REPOSITORY}/blob/{self.tag}/{file}{anchor}"


KERAS2 = Release(
    "keras2",
    "2.6.0",
    "504af5656a9829fe803ce48a8580ef16916e89906aceddad9e098614269437e7",
    "tf.keras 2.6",
    "v2.6.0",
    # Exports with TensorFlow's API versions (`v1=`); its own generated API
    # (`keras/api`) is output, not source.
    tf_versions=True,
    skip_modules=("keras.api",),
    outside_bases=TENSORFLOW_BASES,
)
KERAS3 = Release(
    "keras3",
    "3.15.1",
    "836460e480930acbd19bb7a17e62f9ecad40e8a9af9a651fc8d0586a96d27e20",
    "Keras 3.15",
    "v3.15.1",
    # Keras 3 sends `keras._legacy.*` names to its tf.keras compatibility
    # namespace `keras._tf_keras`.
    other_namespaces=("keras._legacy.",),
    backend="tensorflow",
)
RELEASES = {release.key: release for release in (KERAS2, KERAS3)}

# The book this site follows, and where it lives online: one page a chapter.
BOOK = "Keras source"
BOOK_AUTHOR = "Haifeng Jin"
BOOK_URL = "https://haifeng-jin.github.io/keras-source/"
BOOK_CHAPTERS = {
    1: ("01-modeling-api-overview", "Modeling API overview"),
    2: ("02-the-layer-class", "The Layer class"),
    3: ("03-the-model-class", "The Model class"),
    4: ("04-the-functional-class", "The Functional class"),
    5: ("05-the-sequential-class", "The Sequential class"),
    6: ("06-training-api-overview", "Training API overview"),
    7: ("07-the-compile-function", "The compile function"),
    8: ("08-the-fit-function", "The fit function"),
    9: ("09-the-predict-function", "The predict function"),
    10: ("10-the-evaluate-function", "The evaluate function"),
    11: ("11-the-losses", "The losses"),
    12: ("12-the-metrics", "The metrics"),
    13: ("13-the-optimizers", "The optimizers"),
}


class FetchError(RuntimeError):
    """The wheel could not be fetched or does not match its pin."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(release: Release) -> Path:
    """Download the wheel (once), check its sha256, unpack it; return its folder."""
    done = release.folder / ".unpacked"
    if done.exists() and done.read_text().strip() == release.sha256:
        return release.folder
    wheels = REFERENCE_CACHE / "wheels"
    wheel = wheels / release.wheel
    if not wheel.exists():
        wheels.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            "--dest",
            str(wheels),
            f"keras=={release.version}",
        ]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0 or not wheel.exists():
            raise FetchError(
                f"pip could not download keras=={release.version}: "
                f"{result.stderr.strip().splitlines()[-1:] or 'no wheel'}"
            )
    found = _sha256(wheel)
    if found != release.sha256:
        wheel.unlink()
        raise FetchError(
            f"{release.wheel} has sha256 {found}, expected {release.sha256}: "
            "the file was removed; run again to download it afresh."
        )
    with zipfile.ZipFile(wheel) as archive:
        members = [
            name
            for name in archive.namelist()
            if name.startswith("keras/") and name.endswith(".py")
        ]
        archive.extractall(release.folder, members)
    done.write_text(release.sha256 + "\n")
    return release.folder


def ensure() -> None:
    """Both releases unpacked (downloads only what is missing)."""
    for release in RELEASES.values():
        fetch(release)


def release_of(name: str) -> Release:
    """`keras2`, `2.6.0`, `keras==2.6.0`, `keras3`, `3.15.1` -> the release."""
    plain = name.removeprefix("keras==").removeprefix("keras-")
    for release in RELEASES.values():
        if plain in (release.key, release.version):
            return release
    raise KeyError(
        f"unknown Keras release {name!r}: use "
        + " or ".join(f"{r.key} ({r.version})" for r in RELEASES.values())
    )


def main() -> int:
    try:
        ensure()
    except FetchError as error:
        print(f"reference wheels: {error}", file=sys.stderr)
        return 1
    for release in RELEASES.values():
        print(f"{release.label}: {release.folder.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
