"""What the site shows of the reference releases, computed once and cached.

Reading a release with griffe costs a second or three (tf.keras 2.6: ~1 s,
Keras 3: ~3 s); the facts the pages need (a few class chains, the alias tables,
the source of some methods) fit in a small pickle. It is stored under
`.cache/reference/` keyed by the wheels' sha256 and the code that reads them,
so a rebuild of the site reads the pickle, and any change to the readers or
the pins recomputes it.
"""

import hashlib
import pickle
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from scripts import explorer
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


@cache
def facts(key: str) -> ReleaseFacts:
    """The chains and alias tables of one release (from the cache when fresh)."""
    sources.fetch(sources.RELEASES[key])
    path = REFERENCE_CACHE / f"facts-{key}-{_key()}.pickle"
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
