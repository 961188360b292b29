"""Installing nanokeras: `pip install -e <clone>` works from a fresh virtualenv,
a regular install is refused, and the declared dependencies match the pins.

The install tests build real virtualenvs (no system site-packages) and run
the tutorials there from a folder outside the clone, without `PYTHONPATH`:
the way a learner runs a chapter's code in their own script or notebook.
"""

import ast
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from sybil import Sybil

from tests.docs.markdown_exec_parser import MarkdownExecBlock, MarkdownExecParser

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements"
TUTORIALS = ROOT / "docs" / "tutorials"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

# The implementation's top-level names: none may be copied into site-packages.
TOP_LEVEL = sorted(
    entry.stem
    for entry in ROOT.iterdir()
    if (entry.is_dir() and (entry / "__init__.py").is_file())
    or (entry.suffix == ".py" and entry.is_file())
)

# Runs each page's snippets as the site build does (one process for the whole
# site, one namespace per markdown-exec session, a fresh one for a block without
# a session) and writes what each block printed, the library's stdout included.
DRIVER = """
import contextlib, io, json, sys

pages = json.load(open(sys.argv[1], encoding="utf-8"))
printed = {}
for page, blocks in pages.items():
    sessions = {}
    printed[page] = []
    for block in blocks:
        if block["session"] is None:
            namespace = {"__name__": "__main__"}
        else:
            namespace = sessions.setdefault(block["session"], {"__name__": "__main__"})
        code = compile("\\n" * block["line"] + block["source"], page, "exec")
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            exec(code, namespace)
        printed[page].append(buffer.getvalue())

import backend, nanokeras, utils

where = {m.__name__: m.__file__ for m in (nanokeras, backend, utils)}
json.dump({"printed": printed, "where": where}, open(sys.argv[2], "w"))
"""


def clean_environment() -> dict[str, str]:
    """This process's environment without what would put the clone on the path
    or pick another interpreter: only the install may make nanokeras importable."""
    drop = {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP"}
    return {key: value for key, value in os.environ.items() if key not in drop}


def run(command: list, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if check and result.returncode != 0:
        pytest.fail(
            f"{' '.join(map(str, command))} exited {result.returncode}:\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result


def pinned(path: Path) -> dict[str, str]:
    """`name -> version` of the `name==version` lines of a requirements file,
    following `-r` includes (not `-c`: constraints install nothing)."""
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            pins.update(pinned(path.parent / line[3:].strip()))
        elif line and not line.startswith("-"):
            name, _, version = line.partition("==")
            pins[canonical(name)] = version.strip()
    return pins


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower().strip()


def extra_pins(extra: str) -> dict[str, str]:
    """The pins of a pyproject extra, following `nanokeras[other]` self-references."""
    pins = {}
    for requirement in PYPROJECT["project"]["optional-dependencies"][extra]:
        included = re.fullmatch(r"nanokeras\[(\w+)\]", requirement)
        if included:
            pins.update(extra_pins(included.group(1)))
            continue
        name, separator, version = requirement.partition("==")
        assert separator, f"extra '{extra}': {requirement!r} is not an exact pin"
        pins[canonical(name)] = version
    return pins


@pytest.fixture
def fresh_venv(tmp_path: Path) -> Path:
    """A new virtualenv without system site-packages; returns its python."""
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", venv], cwd=tmp_path)
    return venv / "bin" / "python"


def site_packages(python: Path) -> Path:
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    return Path(run([python, "-c", code], cwd=python.parent).stdout.strip())


def tutorial_pages() -> dict[str, list]:
    """Each page's regions in order: blocks to run and outputs it claims."""
    sybil = Sybil(parsers=[MarkdownExecParser()], pattern="*.md")
    pages = {}
    for path in sorted(TUTORIALS.glob("*.md")):
        regions = []
        for example in sybil.parse(path):
            if isinstance(example.parsed, MarkdownExecBlock):
                block = example.parsed
                regions.append(
                    {
                        "session": block.session,
                        "source": block.source,
                        "line": example.line + block.line_offset,
                    }
                )
            else:
                regions.append({"expected": example.parsed.text, "line": example.line})
        if regions:
            pages[path.name] = regions
    return pages


@pytest.mark.install
def test_editable_install_runs_every_chapter_outside_the_clone(
    fresh_venv: Path, tmp_path: Path
) -> None:
    constraints = pinned(REQUIREMENTS / "constraints.txt")
    pip = [fresh_venv, "-m", "pip", "--disable-pip-version-check", "install", "-q"]
    run([*pip, "--no-deps", "-e", ROOT], cwd=tmp_path)
    runtime = [
        f"{name}=={constraints[canonical(name)]}" for name in runtime_requirements()
    ]
    run([*pip, *runtime], cwd=tmp_path)

    # The install copied no implementation package: one .pth names the clone.
    assert {"backend", "engine", "layers", "utils", "nanokeras"} <= set(TOP_LEVEL)
    installed = site_packages(fresh_venv)
    assert not [name for name in TOP_LEVEL if (installed / name).exists()]
    assert not [name for name in TOP_LEVEL if (installed / f"{name}.py").exists()]
    path_files = {
        path.name: path.read_text(encoding="utf-8").strip()
        for path in installed.glob("*.pth")
        if "distutils" not in path.name  # setuptools' own shim, if present
    }
    assert list(path_files.values()) == [str(ROOT)], path_files

    pages = tutorial_pages()
    blocks = {
        page: [region for region in regions if "source" in region]
        for page, regions in pages.items()
    }
    elsewhere = tmp_path / "notebooks"
    elsewhere.mkdir()
    (elsewhere / "blocks.json").write_text(json.dumps(blocks), encoding="utf-8")
    (elsewhere / "driver.py").write_text(DRIVER, encoding="utf-8")
    run([fresh_venv, "driver.py", "blocks.json", "out.json"], cwd=elsewhere)
    result = json.loads((elsewhere / "out.json").read_text(encoding="utf-8"))

    for name, file in result["where"].items():
        assert Path(file).is_relative_to(ROOT), f"{name} imported from {file}"
    assert sum(map(len, result["printed"].values())) == sum(map(len, blocks.values()))
    # What the pages say their snippets print, printed here too.
    for page, regions in pages.items():
        outputs = iter(result["printed"][page])
        last = None
        for region in regions:
            if "source" in region:
                last = next(outputs)
                continue
            want = [line.rstrip() for line in region["expected"].strip().splitlines()]
            got = [line.rstrip() for line in last.splitlines()]
            windows = (got[i : i + len(want)] for i in range(len(got)))
            assert want in windows, f"{page}:{region['line']}: {want} not in {got}"


@pytest.mark.install
def test_a_regular_install_is_refused_and_installs_nothing(
    fresh_venv: Path, tmp_path: Path
) -> None:
    before = sorted(path.name for path in site_packages(fresh_venv).iterdir())
    command = [fresh_venv, "-m", "pip", "--disable-pip-version-check", "install"]
    result = run([*command, "--no-deps", ROOT], cwd=tmp_path, check=False)
    assert result.returncode != 0
    output = " ".join((result.stdout + result.stderr).split())
    assert "nanokeras installs only in editable mode" in output
    assert "python -m pip install -e" in output
    after = sorted(path.name for path in site_packages(fresh_venv).iterdir())
    assert after == before


@pytest.mark.parametrize("extra", ["docs", "test"])
def test_extras_equal_the_requirement_files(extra: str) -> None:
    assert extra_pins(extra) == pinned(REQUIREMENTS / f"{extra}.txt")


def test_every_requirement_is_pinned_as_in_the_constraints() -> None:
    constraints = pinned(REQUIREMENTS / "constraints.txt")
    for name in ("docs", "test"):
        for package, version in pinned(REQUIREMENTS / f"{name}.txt").items():
            assert constraints.get(package) == version, (
                f"requirements/{name}.txt pins {package}=={version}, "
                f"constraints.txt {constraints.get(package)}"
            )


def runtime_requirements() -> list[str]:
    """The distribution names in `dependencies`: `["numpy", "h5py"]`."""
    return [
        re.split(r"[<>=!~ \[]", requirement, maxsplit=1)[0]
        for requirement in PYPROJECT["project"]["dependencies"]
    ]


def test_the_library_imports_only_its_declared_dependencies_from_outside() -> None:
    """`dependencies` in pyproject.toml is complete: every module a user's
    import can reach needs only the standard library, those and the clone."""
    assert "numpy" in runtime_requirements()
    not_library = {"scripts", "tests", "benchmarks", "docs"}
    library = set(TOP_LEVEL) - not_library
    allowed = sys.stdlib_module_names | library | set(runtime_requirements())
    outside = {}
    for name in sorted(library):
        folder = ROOT / name
        files = (
            sorted(folder.rglob("*.py")) if folder.is_dir() else [ROOT / f"{name}.py"]
        )
        for path in files:
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    modules = [node.module]
                else:
                    continue
                for module in modules:
                    top = module.split(".")[0]
                    if top not in allowed:
                        outside.setdefault(top, path.relative_to(ROOT).as_posix())
    assert not outside, f"imports beyond the declared dependencies: {outside}"


def test_the_constraints_pin_admits_every_runtime_dependency() -> None:
    constraints = pinned(REQUIREMENTS / "constraints.txt")
    for requirement in PYPROJECT["project"]["dependencies"]:
        name, _, lowest = requirement.partition(">=")
        pin = tuple(int(part) for part in constraints[canonical(name)].split("."))
        assert pin >= tuple(int(part) for part in lowest.split(".")), requirement
