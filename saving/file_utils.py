"""Writing files atomically, so a crash mid-save never destroys the last good file.

Mirrors: keras/src/saving/file_editor.py and keras/src/utils/file_utils.py
(Keras 3; tf.keras 2.x wrote in place)

The archive is written to a temporary file in the destination's folder, flushed
to disk, and only then renamed over the destination. A rename within one
folder is atomic on POSIX systems: readers see either the old file or the new
one, never half of either.
"""

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


@contextlib.contextmanager
def atomic_write(filepath: str | os.PathLike) -> Iterator[BinaryIO]:
    """Open a temporary file that replaces `filepath` only if the block succeeds."""
    target = Path(filepath)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(handle.name)
        raise


def check_overwrite(filepath: str | os.PathLike, overwrite: bool) -> None:
    """Refuse to replace an existing file when `overwrite=False`."""
    if not overwrite and Path(filepath).exists():
        raise FileExistsError(
            f"{str(filepath)!r} already exists and `overwrite=False`. Pass "
            "`overwrite=True` to replace it, or choose another path."
        )
