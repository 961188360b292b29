"""Reading zip members and `.npy` arrays without trusting what the file declares.

Mirrors: keras/src/saving/saving_lib.py (Keras 3), which opens the archive
with `zipfile` directly; this module is the guard nanokeras puts in front.

Simplified: a member that would inflate more than `MAX_RATIO` times its
compressed size (beyond `SMALL_MEMBER` bytes) is refused, whatever it holds.

A `.keras` file and a `.weights.npz` file are zips, and a zip is a list of
claims: "this member is 1 KB, stored with deflate, CRC 0x1234". A hostile or
damaged file can lie in each of them. So before a member is decompressed its
declared size, compression and encryption flag are checked, and while it is
decompressed (in chunks, never all at once) the bytes are counted against the
declared size. Every failure, whatever its cause, is one `SavedFileError`
naming the file and what is wrong: never a raw `zlib.error` or `KeyError`.
"""

import io
import zipfile
import zlib
from typing import Any

import numpy as np

from saving.file_utils import SavedFileError

# Beyond this size, a member may not inflate more than MAX_RATIO times: real
# weights (random floats) compress about 1.1 times and configs about 10.
SMALL_MEMBER = 1 << 20
MAX_RATIO = 200
_CHUNK = 1 << 20
_SUPPORTED = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
# Array dtypes a weights file may hold: booleans and numbers, never objects,
# strings, complex numbers, dates or structured records.
WEIGHT_KINDS = "biuf"


def open_zip(source: Any, what: str) -> zipfile.ZipFile:
    """Open `source` (a path or bytes) as a zip, or raise `SavedFileError`."""
    try:
        handle = io.BytesIO(source) if isinstance(source, bytes) else source
        return zipfile.ZipFile(handle)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        OSError,
        ValueError,
    ) as error:
        raise SavedFileError(
            what, f"it is not a readable zip archive ({error})"
        ) from None


def read_member(archive: zipfile.ZipFile, name: str, what: str) -> bytes:
    """The bytes of member `name`, checked against every claim the zip makes."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise SavedFileError(what, f"it has no member {name!r}") from None
    if info.flag_bits & 0x1:
        raise SavedFileError(what, f"member {name!r} is encrypted")
    if info.compress_type not in _SUPPORTED:
        raise SavedFileError(
            what,
            f"member {name!r} uses compression method {info.compress_type}; "
            "only stored and deflated members are read",
        )
    if info.file_size > SMALL_MEMBER and info.file_size > MAX_RATIO * max(
        info.compress_size, 1
    ):
        raise SavedFileError(
            what,
            f"member {name!r} declares {info.file_size} bytes from "
            f"{info.compress_size} compressed bytes (a ratio above {MAX_RATIO}: "
            "a zip bomb, or a damaged size field)",
        )
    data = bytearray()
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                data += chunk
                if len(data) > info.file_size:
                    raise SavedFileError(
                        what, f"member {name!r} is larger than its declared size"
                    )
    except SavedFileError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
            NotImplementedError, RuntimeError) as error:  # fmt: skip
        raise SavedFileError(
            what, f"member {name!r} is corrupted ({type(error).__name__}: {error})"
        ) from None
    if len(data) != info.file_size:
        raise SavedFileError(what, f"member {name!r} is shorter than declared")
    return bytes(data)


def parse_npy(data: bytes, name: str, what: str) -> np.ndarray:
    """An array from `.npy` bytes; the header is checked before anything is built.

    Never unpickles, and refuses dtypes outside `WEIGHT_KINDS` (plus unicode
    text, which the weights manifest uses) and headers whose shape does not
    match the number of bytes that follow.
    """
    stream = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(stream)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(stream)
        else:
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(stream)
    except Exception as error:  # noqa: BLE001
        # numpy parses the header as a Python literal: besides ValueError and
        # SyntaxError a damaged one raises tokenize's TokenError, a nested one
        # RecursionError. Whatever it is, the file is at fault.
        raise SavedFileError(
            what, f"array {name!r} has a bad header ({type(error).__name__}: {error})"
        ) from None
    if (
        dtype.hasobject
        or dtype.fields is not None
        or dtype.kind not in WEIGHT_KINDS + "U"
    ):
        raise SavedFileError(
            what, f"array {name!r} has dtype {dtype}, which weights never have"
        )
    count = int(np.prod(shape, dtype=np.int64)) if shape else 1
    body = data[stream.tell() :]
    if count < 0 or count * dtype.itemsize != len(body):
        raise SavedFileError(
            what,
            f"array {name!r} declares shape {shape} of {dtype} "
            f"({count * dtype.itemsize} bytes) but holds {len(body)} bytes",
        )
    array = np.frombuffer(body, dtype=dtype, count=count)
    order = "F" if fortran else "C"
    return array.reshape(shape, order=order).copy(order="C")
