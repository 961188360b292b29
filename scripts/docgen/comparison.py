"""The "nanokeras vs Keras" page: which Keras file each of our files mirrors.

Every implementation module's docstring carries one line in a fixed form
(wrapped here),

    Mirrors: keras/engine/base_layer.py (tf.keras 2.x),
    keras/src/layers/layer.py (Keras 3)

(backend files name the TensorFlow file they stand in for, with "stand-in, not
Keras code"), and may carry a paragraph starting `Left out:` or `Simplified:`
saying what we did not implement. This page tabulates them, then puts Keras
3's own chain for `Sequential`, traced by `scripts/explore.py`, beside ours.
"""

import ast
import os
import re
import tempfile

from scripts import explore
from scripts.docgen import cell, source_link

PAGE = "keras-comparison.md"
_ITEM = re.compile(r"\s*([^,(][^(]*?)\s*\(([^)]*)\)\s*(?:,|$)")


def _paragraph(doc: str, label: str) -> str:
    """The paragraph of `doc` that starts with `label:`, joined to one line."""
    for block in re.split(r"\n\s*\n", doc):
        text = " ".join(line.strip() for line in block.strip().splitlines())
        if text.startswith(label + ":"):
            return text[len(label) + 1 :].strip()
    return ""


def parse_mirrors(text: str) -> dict[str, str]:
    """`a.py (tf.keras 2.x), b.py (Keras 3)` -> {"tf.keras 2.x": ..., "Keras 3": ...}.

    A backend stand-in gives {"TensorFlow": "<file> (<what it stands in for>)"}.
    """
    found: dict[str, str] = {}
    for files, label in _ITEM.findall(text):
        if "stand-in" in label:
            what = label.replace("stand-in, not Keras code", "").strip(" ;")
            found["TensorFlow"] = f"{files} ({what})" if what else files
        elif "tf.keras" in label:
            found["tf.keras 2.x"] = files
        elif "Keras 3" in label:
            found["Keras 3"] = files
    return found


def module_rows(source: explore.Source) -> list[dict[str, str]]:
    """One row per implementation file whose docstring has a `Mirrors:` line."""
    rows = []
    for _module, path in source.files():
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        mirrors = _paragraph(doc, "Mirrors")
        if not mirrors:
            continue
        row = {"file": source.display(path), "mirrors": mirrors}
        row.update(parse_mirrors(mirrors))
        row["left out"] = " ".join(
            part
            for part in (_paragraph(doc, "Left out"), _paragraph(doc, "Simplified"))
            if part
        )
        rows.append(row)
    return rows


def table(rows: list[dict[str, str]]) -> list[str]:
    lines = [
        "| Our file | tf.keras 2.x | Keras 3 | Left out / simplified |",
        "|---|---|---|---|",
    ]
    for row in rows:
        ours = source_link(row["file"], 1, PAGE, text=row["file"])
        if "TensorFlow" in row:
            tf2 = f"`{cell(row['TensorFlow'])}` (TensorFlow; stand-in, not Keras code)"
        else:
            tf2 = f"`{cell(row.get('tf.keras 2.x', '-'))}`"
        keras3 = f"`{cell(row['Keras 3'])}`" if "Keras 3" in row else "-"
        lines.append(f"| {ours} | {tf2} | {keras3} | {cell(row['left out'])} |")
    return lines


def keras_chain() -> tuple[explore.Chain | None, str]:
    """Keras 3's chain of `Sequential`: runtime on numpy, else static, else why not."""
    os.environ.setdefault("KERAS_BACKEND", "numpy")
    os.environ.setdefault("KERAS_HOME", tempfile.mkdtemp(prefix="nanokeras-keras-"))
    try:
        return explore.chain("keras.Sequential", runtime=True), ""
    except explore.ExploreError as error:
        reason = str(error)
    try:
        return explore.chain("keras.Sequential"), f"Runtime tracing failed ({reason})."
    except explore.ExploreError as error:
        return None, str(error)


def side_by_side(ours: explore.Chain | None, theirs: explore.Chain | None) -> list[str]:
    left = [n.path for n in ours.classes] if ours else []
    right = [n.path for n in theirs.classes] if theirs else []
    lines = ["| | nanokeras | Keras 3 |", "|---|---|---|"]
    for i in range(max(len(left), len(right))):
        a = f"`{left[i]}`" if i < len(left) else ""
        b = f"`{right[i]}`" if i < len(right) else ""
        lines.append(f"| {i + 1} | {a} | {b} |")
    return lines


def pages() -> dict[str, str]:
    from scripts.docgen.chain import headline_chain

    source = explore.source_for()
    rows = module_rows(source)
    ours = headline_chain()
    theirs, problem = keras_chain()
    lines = [
        "# nanokeras vs Keras",
        "",
        "Each of our implementation files follows one file of tf.keras 2.x (the "
        "class chain we mirror) and names the Keras 3 file that does the same "
        "job today; backend files stand in for the TensorFlow code Keras 2 runs "
        "on. The table is read from the `Mirrors:` line of each module's "
        "docstring, and the last column from its `Left out:` or `Simplified:` "
        "paragraph.",
        "",
        *table(rows),
        "",
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
