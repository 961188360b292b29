"""Writing files atomically and politely, and the one error a bad file raises.

Mirrors: keras/src/saving/file_editor.py and keras/src/utils/file_utils.py
(Keras 3; tf.keras 2.6 wrote in place)

A file is written to a temporary file in the destination's folder, flushed
to disk, and only then renamed over the destination. A rename within one
folder is atomic on POSIX systems: readers see either the old file or the new
one, never half of either. Around that, the write behaves as an ordinary
`open(path, "wb")` would: a new file gets the usual mode (0644 under the
usual umask), an existing file keeps its mode, a symlink is written through
to its target, and a read-only file or a missing folder is an error. A save
killed half-way leaves a temporary file behind; the next save to the same
path removes it.
"""

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


class SavedFileError(ValueError):
    """A file that cannot be loaded: the message names the file and the fault.

    Every way a saved file can be wrong (corrupted, truncated, hostile,
    written for another model) raises this one type.
    """

    def __init__(self, source: object, reason: str):
        self.source = str(source)
        self.reason = reason.rstrip(".")
        super().__init__(f"Could not load {self.source!r}: {self.reason}.")


def _temp_prefix(target: Path) -> str:
    return f".{target.name}."


def _remove_stale_temporaries(target: Path) -> None:
    """Delete temporary files that killed saves to `target` left behind.

    Each temporary file carries the id of the process writing it; one whose
    process is gone will never be renamed into place.
    """
    prefix = _temp_prefix(target)
    for leftover in target.parent.glob(f"{prefix}*.tmp"):
        pid = leftover.name[len(prefix) :].partition(".")[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                leftover.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def _new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextlib.contextmanager
def atomic_write(filepath: str | os.PathLike) -> Iterator[BinaryIO]:
    """Open a temporary file that replaces `filepath` only if the block succeeds."""
    # Write through a symlink to the file it points at, leaving the link.
    target = Path(os.path.realpath(filepath))
    if not target.parent.is_dir():
        raise FileNotFoundError(
            f"Cannot save to {str(filepath)!r}: the folder {str(target.parent)!r} "
            "does not exist. Create it first."
        )
    if target.exists():
        if target.is_dir():
            raise IsADirectoryError(
                f"Cannot save to {str(filepath)!r}: it is a folder."
            )
        mode = target.stat().st_mode & 0o7777
        # The mode bits as well as access(): root may write anything, but a
        # file marked read-only is not meant to be replaced.
        if not os.access(target, os.W_OK) or not mode & 0o222:
            raise PermissionError(
                f"Cannot save to {str(filepath)!r}: the file is read-only."
            )
    else:
        mode = _new_file_mode()
    _remove_stale_temporaries(target)
    handle = tempfile.NamedTemporaryFile(
        dir=target.parent,
        prefix=f"{_temp_prefix(target)}{os.getpid()}.",
        suffix=".tmp",
        delete=False,
    )
    try:
        with handle:
            yield handle
            handle.flush()
            os.fchmod(handle.fileno(), mode)
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
