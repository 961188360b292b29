"""`mkdocs serve` must rebuild when any implementation file changes."""

import re
from pathlib import Path

from scripts.gen_api import implementation_modules

ROOT = Path(__file__).resolve().parents[2]


def watched_paths() -> set[str]:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    block = re.search(r"^watch:\n((?:  .*\n)+)", text, re.MULTILINE)
    assert block, "mkdocs.yml has no `watch:` list"
    return set(re.findall(r"^  - (\S+)$", block.group(1), re.MULTILINE))


def test_every_implementation_root_is_watched():
    roots = set()
    for module in implementation_modules():
        top = module.split(".")[0]
        roots.add(top if (ROOT / top).is_dir() else f"{top}.py")
    missing = roots - watched_paths()
    assert not missing, f"add these to `watch:` in mkdocs.yml: {sorted(missing)}"
