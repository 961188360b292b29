"""The "nanokeras vs Keras" page: which Keras file each of our files mirrors.

Every implementation module's docstring carries one line in a fixed form
(wrapped here),

    Mirrors: keras/engine/base_layer.py (tf.keras 2.x),
    keras/src/layers/layer.py (Keras 3)

(backend files name the TensorFlow file they stand in for, with "stand-in, not
Keras code"), and may carry a paragraph starting `Left out:` or `Simplified:`
saying what we did not implement. This page tabulates them, then puts Keras
3's own chain for `Sequential`, traced by the explorer, beside ours.
"""

import ast
import json
import os
import re
import subprocess
import tempfile

from scripts import explorer
from scripts.background import start_module
from scripts.docgen import cell, source_link
from scripts.docgen.cache import cached, is_cached
from scripts.docgen.sections import parse_module
from scripts.paths import SCRIPTS

PAGE = "keras-comparison.md"


def _paragraph(doc: str, label: str) -> str:
    """The paragraph of `doc` that starts with `label:`, joined to one line."""
    for block in re.split(r"\n\s*\n", doc):
        text = " ".join(line.strip() for line in block.strip().splitlines())
        if text.startswith(label + ":"):
            return text[len(label) + 1 :].strip()
    return ""


def _items(text: str) -> list[tuple[str, str]]:
    """`a.py (x), b.py (y, z); c.py` -> [("a.py", "x"), ("b.py", "y, z"), ("c.py", "")].

    Splits on `,` and `;` outside parentheses; the label of an item is its last
    parenthesised group.
    """
    items, depth, current = [], 0, ""
    for char in text + ";":
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char in ",;" and depth == 0:
            items.append(current.strip())
            current = ""
        else:
            current += char
    found = []
    for item in filter(None, items):
        if item.endswith(")") and "(" in item:
            # Find the opening parenthesis of the final group.
            depth = 0
            for i in range(len(item) - 1, -1, -1):
                depth += {")": 1, "(": -1}.get(item[i], 0)
                if depth == 0:
                    break
            found.append((item[:i].strip(), item[i + 1 : -1].strip()))
        else:
            found.append((item, ""))
    return found


def parse_mirrors(text: str) -> dict[str, str]:
    """Read a `Mirrors:` paragraph (without the `Mirrors:` word).

    `a.py (tf.keras 2.x), b.py (Keras 3)` -> {"tf.keras 2.x": "a.py",
    "Keras 3": "b.py"}. A backend stand-in (the text says "stand-in, not Keras
    code") gives the TensorFlow file instead: {"TensorFlow": "t.py (what)"}.
    """
    stand_in = re.search(r"stand-in", text, re.IGNORECASE) is not None
    text = re.sub(r"\.?\s*Stand-in, not Keras code\.?\s*$", "", text.strip())
    found: dict[str, str] = {}
    for files, label in _items(text):
        detail = re.sub(r";?\s*stand-in, not Keras code", "", label).strip(" ;,")
        if "Keras 3" in label:
            found["Keras 3"] = files
        elif stand_in and "TensorFlow" not in found:
            plain = detail and "tf.keras" not in detail
            found["TensorFlow"] = f"{files} ({detail})" if plain else files
        elif "tf.keras" in label:
            found["tf.keras 2.x"] = files
    return found


def _code(text: str) -> str:
    """Put file paths in code spans, leaving the text's own code spans alone."""
    parts = re.split(r"(`[^`]*`)", cell(text))
    for i in range(0, len(parts), 2):
        parts[i] = re.sub(
            r"([\w.-]+(?:/[\w.-]*)+|[\w-]+\.py)\b/?", r"`\g<0>`", parts[i]
        )
    return "".join(parts)


def module_rows(source: explorer.Source) -> tuple[list[dict[str, str]], list[str]]:
    """One row per implementation file with a `Mirrors:` line; the files without."""
    rows, without = [], []
    for _module, path in source.files():
        text = path.read_text(encoding="utf-8")
        doc = ast.get_docstring(parse_module(text)) or ""
        mirrors = _paragraph(doc, "Mirrors")
        if not mirrors:
            if doc:  # a package's empty __init__.py mirrors nothing
                without.append(source.display(path))
            continue
        row = {"file": source.display(path), "mirrors": mirrors}
        row.update(parse_mirrors(mirrors))
        left_out = (_paragraph(doc, "Left out"), _paragraph(doc, "Simplified"))
        row["left out"] = " ".join(part for part in left_out if part)
        rows.append(row)
    return rows, without


def table(rows: list[dict[str, str]]) -> list[str]:
    lines = [
        "| Our file | tf.keras 2.6 | Keras 3 | Left out / simplified |",
        "|---|---|---|---|",
    ]
    for row in rows:
        ours = source_link(row["file"], 1, PAGE, text=row["file"])
        if "TensorFlow" in row:
            tf2 = f"{_code(row['TensorFlow'])} *(stand-in)*"
        else:
            tf2 = _code(row.get("tf.keras 2.x", "-"))
        keras3 = _code(row.get("Keras 3", "-"))
        lines.append(f"| {ours} | {tf2} | {keras3} | {cell(row['left out'])} |")
    return lines


KERAS_CHAIN = ("keras-sequential-chain", ("keras",), (SCRIPTS / "explorer",))
KERAS_SEQUENTIAL = "keras.Sequential"
_tracing: subprocess.Popen | None = None


def start() -> None:
    """Trace Keras 3's chain of `Sequential` in a subprocess, unless cached.

    Importing Keras takes seconds; in a subprocess they pass while this
    process writes the other pages, and `keras_chain()` collects the answer.
    """
    global _tracing
    if _tracing is None and not is_cached(*KERAS_CHAIN):
        # Keras writes a config file on import: keep it out of the user's
        # ~/.keras (one fixed folder, so `mkdocs serve` rebuilds do not
        # litter /tmp).
        home = os.path.join(tempfile.gettempdir(), "nanokeras-docs-keras-home")
        _tracing = start_module(
            "scripts.explore",
            *("chain", KERAS_SEQUENTIAL, "--runtime", "--format", "json"),
            KERAS_BACKEND="numpy",
            KERAS_HOME=home,
        )


def keras_chain() -> tuple[explorer.Chain | None, str]:
    """Keras 3's chain of `Sequential`, cached while Keras and the explorer stay."""
    return cached(*KERAS_CHAIN, trace_keras_chain)


def trace_keras_chain() -> tuple[explorer.Chain | None, str]:
    """Keras 3's chain of `Sequential`: runtime on numpy, else static, else why not."""
    global _tracing
    start()
    assert _tracing is not None
    out, err = _tracing.communicate(timeout=600)
    _tracing = None
    if out.strip():
        return explorer.Chain.from_dict(json.loads(out)), ""
    reason = err.strip().removeprefix("explore: ") or "no output"
    try:
        return explorer.chain(KERAS_SEQUENTIAL), f"Runtime tracing failed ({reason})."
    except explorer.ExploreError as error:
        return None, str(error)


def side_by_side(
    ours: explorer.Chain | None, theirs: explorer.Chain | None
) -> list[str]:
    def cells(result: explorer.Chain | None, link: bool) -> list[str]:
        found = []
        for node in result.classes if result else []:
            name = (
                f"`{node.public_paths[0]}`" if node.public_paths else f"`{node.name}`"
            )
            where = (
                source_link(node.file, node.line, PAGE) if link else f"`{node.path}`"
            )
            found.append(f"{name} ({where})")
        return found

    left, right = cells(ours, link=True), cells(theirs, link=False)
    lines = ["| | nanokeras | Keras 3 |", "|---|---|---|"]
    for i in range(max(len(left), len(right))):
        a = left[i] if i < len(left) else ""
        b = right[i] if i < len(right) else ""
        lines.append(f"| {i + 1} | {a} | {b} |")
    return lines


def pages() -> dict[str, str]:
    from scripts.docgen.chain import headline_chain

    rows, without = module_rows(explorer.source_for())
    ours = headline_chain()
    theirs, problem = keras_chain()
    lines = [
        # A four-column table of file paths needs the page's full width: this
        # page has no siblings to navigate to and only two headings.
        "---",
        "hide:",
        "  - navigation",
        "  - toc",
        "---",
        "",
        "# nanokeras vs Keras",
        "",
        "Each of our implementation files follows one file of tf.keras 2.6 (the "
        "class chain we mirror) and names the Keras 3 file that does the same "
        "job today; backend files stand in for the TensorFlow code Keras 2 runs "
        "on. The table is read from the `Mirrors:` line of each module's "
        "docstring, and the last column from its `Left out:` or `Simplified:` "
        "paragraph. Files marked *(stand-in)* replace TensorFlow code that "
        "Keras 2 runs on; they are not Keras code.",
        "",
        *table(rows),
        "",
    ]
    if without:
        listed = ", ".join(f"`{file}`" for file in without)
        lines += [f"Files whose docstring has no `Mirrors:` line yet: {listed}.", ""]
    lines += [
        "## The chain of `Sequential`, ours and Keras 3's",
        "",
        "Base first. Ours is read statically from the code; Keras 3's is traced "
        "by `python scripts/explore.py chain keras.Sequential --runtime` on its "
        "numpy backend, because Keras 3 chooses some bases (a backend's `Layer` "
        "and `Trainer`) while it is imported.",
        "",
    ]
    if problem:
        lines += [f"!!! note\n    {cell(problem)}\n"]
    lines += side_by_side(ours, theirs)
    if theirs is not None:
        lines += [""] + [f"!!! note\n    {cell(note)}\n" for note in theirs.notes]
    return {PAGE: "\n".join(lines) + "\n"}
