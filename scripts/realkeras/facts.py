"""What the site shows of the reference releases, computed once and cached.

Reading a release with griffe costs a second or three (tf.keras 2.6: ~1 s,
Keras 3: ~3 s); the facts the pages need (a few class chains, the alias tables,
the source of some methods) fit in a small pickle. It is stored under
`.cache/reference/` keyed by the wheels' sha256 and the code that reads them,
so a rebuild of the site reads the pickle, and any change to the readers or
the pins recomputes it. When it must be computed, `start()` does it in
subprocesses (`python -m scripts.realkeras.facts keras2 keras3`) while the
build writes the other pages.
"""

import hashlib
import pickle
import subprocess
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from scripts import explorer
from scripts.background import start_module
from scripts.paths import REFERENCE_CACHE, SCRIPTS
from scripts.realkeras import sources

# The classes the site draws for both releases, by their public names.
CHAIN_CLASSES = (
    "keras.layers.Layer",
    "keras.Model",
    "keras.Sequential",
    "keras.layers.Dense",
    "keras.layers.Conv2D",
)
# Functional has no public name in tf.keras 2.6: its implementation paths.
FUNCTIONAL = {
    "keras2": "keras.engine.functional.Functional",
    "keras3": "keras.src.models.functional.Functional",
}
# The training machinery the side-by-side pages compare, by implementation
# path (short name -> path): tf.keras 2.6's class, and the Keras 3 class that
# does the same job under another name.
MACHINERY = {
    "keras2": {
        "DataHandler": "keras.engine.data_adapter.DataHandler",
        "LossesContainer": "keras.engine.compile_utils.LossesContainer",
        "Optimizer": "keras.optimizer_v2.optimizer_v2.OptimizerV2",
    },
    "keras3": {
        "DataHandler": "keras.src.trainers.epoch_iterator.EpochIterator",
        "LossesContainer": "keras.src.trainers.compile_utils.CompileLoss",
        "Optimizer": "keras.src.optimizers.optimizer.Optimizer",
    },
}

_READERS = [
    *sorted((SCRIPTS / "explorer").glob("*.py")),
    *sorted((SCRIPTS / "realkeras").glob("*.py")),
]


@dataclass
class ReleaseFacts:
    key: str
    chains: dict[str, explorer.Chain] = field(default_factory=dict)  # by name
    aliases: dict[str, explorer.AliasTable] = field(default_factory=dict)  # by api


def _key() -> str:
    digest = hashlib.sha256()
    for release in sources.RELEASES.values():
        digest.update(release.sha256.encode())
    for path in _READERS:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _compute(key: str) -> ReleaseFacts:
    package = f"keras=={sources.RELEASES[key].version}"
    facts = ReleaseFacts(key)
    for name in (*CHAIN_CLASSES, FUNCTIONAL[key]):
        short = name.rpartition(".")[2]
        facts.chains[short] = explorer.chain(name, package)
    for short, name in MACHINERY[key].items():
        facts.chains[short] = explorer.chain(name, package)
    apis = ("v2", "v1") if key == "keras2" else ("v2",)
    for api in apis:
        facts.aliases[api] = explorer.aliases(package, api=api)
    return facts


def _path(key: str) -> Path:
    return REFERENCE_CACHE / f"facts-{key}-{_key()}.pickle"


_computing: dict[str, subprocess.Popen] = {}


def start() -> None:
    """Compute each release's missing facts in a subprocess of its own."""
    for key in sources.RELEASES:
        if key not in _computing and not _path(key).exists():
            _computing[key] = start_module("scripts.realkeras.facts", key)


@cache
def facts(key: str) -> ReleaseFacts:
    """The chains and alias tables of one release (from the cache when fresh)."""
    started = _computing.pop(key, None)
    if started is not None:
        # Its pickle is read below; if it failed, the error shows again here.
        started.communicate(timeout=600)
    sources.fetch(sources.RELEASES[key])
    path = _path(key)
    if path.exists():
        try:
            return pickle.loads(path.read_bytes())
        except Exception:  # a pickle from another Python: recompute it
            pass
    found = _compute(key)
    for old in REFERENCE_CACHE.glob(f"facts-{key}-*.pickle"):
        old.unlink()
    tmp = Path(str(path) + ".tmp")
    tmp.write_bytes(pickle.dumps(found))
    tmp.replace(path)
    return found


if __name__ == "__main__":
    for name in sys.argv[1:]:
        facts(name)
