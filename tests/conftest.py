"""Shared test setup: the repository root on the path, real Keras as a
reference, and the built documentation site.

Real Keras 3 is a test-only dependency. It is configured here, before anything
imports it, to use the numpy backend and a throwaway home folder, so the tests
neither need jax/torch to train nor touch the user's `~/.keras`.

`make test` builds `site/` with `mkdocs build --strict` and passes its path in
`NANOKERAS_SITE_DIR`, so the site is built once. Run alone (say
`pytest tests/docs`), the `site_dir` fixture builds the site itself into a
temporary folder, once for the session, and a build warning fails the tests
with mkdocs's own output.
"""

import os
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("KERAS_BACKEND", "numpy")
os.environ.setdefault("KERAS_HOME", tempfile.mkdtemp(prefix="nanokeras-keras-home-"))


# Property tests must not flake on a loaded machine: no per-example deadline,
# no "too slow" health check, and in CI a fixed sequence of examples so a
# red run can be replayed exactly.
settings.register_profile(
    "nanokeras",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=bool(os.environ.get("CI")),
)
settings.load_profile("nanokeras")


@pytest.fixture(autouse=True)
def _global_generators_seeded_by_test_id(request):
    """Each test starts Python's, numpy's and nanokeras's global generators,
    and its module's `RNG` if it has one, from a seed of its own id, so what
    an unseeded shuffle or initializer draws depends neither on the tests run
    before it nor on the run's seed (pytest-randomly reseeds from the run's
    seed first; this runs after)."""
    from utils.rng_utils import set_random_seed

    seed = zlib.crc32(request.node.nodeid.encode())
    set_random_seed(seed)
    # A test module's own generator, `RNG` at its top, is reseeded the same way.
    if isinstance(getattr(request.module, "RNG", None), np.random.Generator):
        request.module.RNG = np.random.default_rng(seed)


@pytest.fixture(scope="session")
def real_keras():
    """The real Keras 3 package on its numpy backend (test-only reference)."""
    import keras  # pinned in requirements/test.txt: missing is a failure, not a skip

    assert keras.backend.backend() == "numpy", "Keras must run on its numpy backend"
    return keras


def build_site(site_dir: Path) -> None:
    """Run `mkdocs build --strict` into `site_dir`; fail the test on any warning."""
    env = dict(
        os.environ,
        NO_MKDOCS_2_WARNING="1",
        DISABLE_MKDOCS_2_WARNING="true",
        PYTHONPATH=str(ROOT),
    )
    command = [sys.executable, "-m", "mkdocs", "build", "--strict"]
    command += ["--site-dir", str(site_dir)]
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    if result.returncode != 0 or not (site_dir / "index.html").is_file():
        pytest.fail(
            f"`mkdocs build --strict` failed (exit {result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built site: `$NANOKERAS_SITE_DIR` if it holds one, else a fresh build."""
    given = os.environ.get("NANOKERAS_SITE_DIR")
    if given and (Path(given) / "index.html").is_file():
        return Path(given)
    built = tmp_path_factory.mktemp("site")
    build_site(built)
    return built
