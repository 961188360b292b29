"""Pinned links into real Keras, written by hand in the docs, checked by tests.

A hand-written "Real Keras" note links a line of a pinned release, and names
what is on that line in the link's code span:

    [`cls_name = 'Model'`](https://github.com/keras-team/keras/blob/v2.6.0/keras/engine/functional.py#L498)

`check()` resolves such a link against the unpacked wheel: the tag must be a
pinned release's, the file must exist in it, and the linked line must hold the
code span's text (or, for a dotted name like `Layer.__call__`, its last part).
So a link can neither drift to another line nor name what is not there.

`python -m scripts.realkeras.permalinks keras2 keras/engine/functional.py
"cls_name = 'Model'"` prints the link for the first line holding the text.
"""

import re
import sys

from scripts.realkeras import sources

PERMALINK = re.compile(
    r"\[`(?P<text>[^`]+)`\]\((?P<url>https://github\.com/keras-team/keras/blob/"
    r"(?P<tag>[^/]+)/(?P<file>[^#)\s]+)(?:#L(?P<line>\d+))?)\)"
)
ANY_LINK = re.compile(r"https://github\.com/keras-team/keras/blob/[^)\s\"'>]+")


def release_of_tag(tag: str) -> sources.Release | None:
    return next((r for r in sources.RELEASES.values() if r.tag == tag), None)


def names_in(text: str) -> list[str]:
    """What a code span may match on its line: itself, or its last name."""
    found = [text]
    parts = re.findall(r"[A-Za-z_][A-Za-z_0-9]*", text)
    if parts and re.fullmatch(r"[\w.]+(\(\))?", text):
        found.append(parts[-1])
    return found


def check(text: str, tag: str, file: str, line: int | None) -> str:
    """An empty string when the link holds, else why not."""
    release = release_of_tag(tag)
    if release is None:
        pinned = ", ".join(r.tag for r in sources.RELEASES.values())
        return f"tag {tag!r} is not a pinned release ({pinned})"
    path = sources.fetch(release) / file
    if not path.is_file():
        return f"{file} does not exist in keras {release.version}"
    if line is None:
        return ""
    lines = path.read_text(encoding="utf-8").splitlines()
    if not 1 <= line <= len(lines):
        return f"{file} has {len(lines)} lines, not {line}"
    if not any(name in lines[line - 1] for name in names_in(text)):
        return f"{file}:{line} is {lines[line - 1].strip()!r}, not `{text}`"
    return ""


def find(key: str, file: str, text: str, start: int = 1) -> str:
    """The permalink of the first line (from `start`) of `file` holding `text`."""
    release = sources.RELEASES[key]
    lines = (sources.fetch(release) / file).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines[start - 1 :], start):
        if text in line:
            return release.permalink(file, number)
    raise LookupError(f"{text!r} not in {file} from line {start}")


if __name__ == "__main__":
    print(find(sys.argv[1], sys.argv[2], sys.argv[3], *map(int, sys.argv[4:])))
