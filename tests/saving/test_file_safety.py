"""Reading never trusts the file; writing behaves like an ordinary `open(path, "wb")`.

Every bad file raises `SavedFileError` naming the file (never a raw
`zlib.error`, `KeyError` or `RecursionError`), loads nothing, and never
allocates what the file merely claims.
"""

import hashlib
import io
import json
import os
import struct
import tracemalloc
import zipfile

import numpy as np
import pytest

import nanokeras as keras
from saving import file_utils
from saving.file_utils import SavedFileError


def make_model():
    model = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(1)]
    )
    model.compile(optimizer="adam", loss="mse")
    data = np.random.default_rng(0).normal(size=(8, 4)).astype("float32")
    model.fit(data, data[:, :1], epochs=1, verbose=0)
    return model


def members(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_zip(path, entries, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)


def npy(array):
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.asarray(array), allow_pickle=True)
    return buffer.getvalue()


def weights_npz(entries, manifest=None):
    """An `.npz` as nanokeras writes it, with digests made to match `entries`."""
    raw = {key: npy(value) for key, value in entries.items()}
    if manifest is not None:
        manifest = {
            **manifest,
            "digests": {k: hashlib.sha256(v).hexdigest() for k, v in raw.items()},
        }
        raw["__manifest__"] = npy(np.array(json.dumps(manifest)))
    buffer = io.BytesIO()
    write_zip(buffer, {f"{key}.npy": data for key, data in raw.items()})
    return buffer.getvalue()


def saved_arrays(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        arrays = {
            name[:-4]: np.load(io.BytesIO(archive.read(name)))
            for name in archive.namelist()
        }
    manifest = json.loads(str(arrays.pop("__manifest__")))
    return manifest, arrays


@pytest.fixture
def saved(tmp_path):
    model = make_model()
    path = tmp_path / "model.keras"
    model.save(path)
    weights = tmp_path / "model.weights.npz"
    model.save_weights(weights)
    return model, path, weights


def state(model):
    return [w.numpy().copy() for w in model.weights] + [
        v.numpy().copy() for v in model.optimizer.variables
    ]


def assert_unchanged(model, before):
    for old, new in zip(before, state(model), strict=True):
        np.testing.assert_array_equal(old, new)


# --- Memory: zip bombs ---


def _bomb_member(archive, name, size):
    zeros = bytes(1 << 20)
    with archive.open(name, "w") as stream:
        for _ in range(size >> 20):
            stream.write(zeros)


def _central_entry(raw, name):
    """Offset of `name`'s record in the zip's central directory."""
    start = 0
    while (start := raw.find(b"PK\x01\x02", start)) >= 0:
        length = struct.unpack_from("<H", raw, start + 28)[0]
        if raw[start + 46 : start + 46 + length] == name.encode():
            return start
        start += 4
    raise AssertionError(f"{name} not in the central directory")


def _peak_bytes(function):
    tracemalloc.start()
    try:
        function()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def test_a_zip_bomb_is_refused_before_it_is_inflated(saved, tmp_path):
    _, path, _ = saved
    entries = members(path)
    bomb = tmp_path / "bomb.keras"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            if name != "model.weights.npz":
                archive.writestr(name, data)
        _bomb_member(archive, "model.weights.npz", 300 << 20)
    assert bomb.stat().st_size < 2 << 20  # 300 MB declared by a < 2 MB file

    def load():
        with pytest.raises(SavedFileError, match="bomb.keras.*zip bomb"):
            keras.models.load_model(bomb)

    assert _peak_bytes(load) < 20 << 20


def test_a_member_lying_about_its_size_stops_at_the_claim(saved, tmp_path):
    _, path, _ = saved
    entries = members(path)
    liar = tmp_path / "liar.keras"
    with zipfile.ZipFile(liar, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            if name != "config.json":
                archive.writestr(name, data)
        _bomb_member(archive, "config.json", 100 << 20)
    # Rewrite the declared size (local header and central directory) to 1 KB.
    data = bytearray(liar.read_bytes())
    with zipfile.ZipFile(liar) as archive:
        info = archive.getinfo("config.json")
    struct.pack_into("<I", data, info.header_offset + 22, 1024)
    struct.pack_into("<I", data, _central_entry(data, "config.json") + 24, 1024)
    liar.write_bytes(bytes(data))

    def load():
        with pytest.raises(SavedFileError, match="liar.keras"):
            keras.models.load_model(liar)

    assert _peak_bytes(load) < 20 << 20


def test_arrays_the_manifest_does_not_list_are_never_inflated(saved, tmp_path):
    model, path, _ = saved
    entries = members(path)
    inner = io.BytesIO(entries["model.weights.npz"])
    with zipfile.ZipFile(inner, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        _bomb_member(archive, "unlisted.npy", 200 << 20)
    entries["model.weights.npz"] = inner.getvalue()
    padded = tmp_path / "padded.keras"
    write_zip(padded, entries)
    loaded = []
    peak = _peak_bytes(lambda: loaded.append(keras.models.load_model(padded)))
    assert peak < 40 << 20
    for ours, theirs in zip(loaded[0].get_weights(), model.get_weights()):
        np.testing.assert_array_equal(ours, theirs)


# --- Corrupt files: one error type, naming the file ---


def _flip(data, offset):
    data = bytearray(data)
    data[offset] ^= 0xFF
    return bytes(data)


def test_corrupt_archives_raise_one_error_naming_the_file(saved, tmp_path):
    _, path, _ = saved
    entries = members(path)
    config = json.loads(entries["config.json"])
    cases = {
        "truncated": path.read_bytes()[: path.stat().st_size // 2],
        "empty": b"",
        "not a zip": b"PK\x03\x04 this is no archive",
    }
    for name, data in cases.items():
        target = tmp_path / f"{name}.keras"
        target.write_bytes(data)
        with pytest.raises(SavedFileError, match=f"{name}.keras"):
            keras.models.load_model(target)

    def archive_with(**replaced):
        target = tmp_path / "bad.keras"
        write_zip(target, {**entries, **replaced})
        return target

    broken = {
        "wrong JSON shape": {"config.json": json.dumps([1, 2, 3])},
        "not JSON": {"config.json": b"{not json"},
        "deep JSON": {"config.json": "[" * 100_000 + "]" * 100_000},
        "deep config": {
            "config.json": json.dumps(
                {**config, "config": {**config["config"], "layers": [[[]]] * 3}}
            )
        },
        "unknown class": {
            "config.json": json.dumps({**config, "class_name": "Backdoor"})
        },
        "missing weights": {"model.weights.npz": b""},
    }
    for label, replaced in broken.items():
        with pytest.raises(SavedFileError, match="bad.keras") as info:
            keras.models.load_model(archive_with(**replaced))
        assert info.type is SavedFileError, label


def test_bad_crc_encryption_and_unknown_compression_are_refused(saved, tmp_path):
    _, path, _ = saved
    raw = path.read_bytes()
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("config.json")
    data_start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    variants = {
        "crc": _flip(raw, data_start + 5),
        "encrypted": bytearray(raw),
        "compression": bytearray(raw),
    }
    # Set the flag / method in the central directory, which zipfile trusts.
    central = _central_entry(raw, "config.json")
    struct.pack_into("<H", variants["encrypted"], central + 8, 0x1)
    struct.pack_into("<H", variants["compression"], central + 10, 99)
    messages = {"crc": "corrupted", "encrypted": "encrypted", "compression": "99"}
    for name, data in variants.items():
        target = tmp_path / f"{name}.keras"
        target.write_bytes(bytes(data))
        with pytest.raises(SavedFileError, match=f"{name}.keras.*{messages[name]}"):
            keras.models.load_model(target)


# --- All or nothing: shapes, dtype kinds, digests ---


@pytest.mark.parametrize(
    "retype, message",
    [
        (lambda a: a.astype("U8"), "stored as <U8"),
        (lambda a: a.astype(object), "dtype object"),
        (lambda a: a.astype(complex), "complex128"),
        (lambda a: np.zeros(a.shape, "datetime64[s]"), "datetime64"),
        (lambda a: np.zeros(a.shape, [("x", "f4"), ("y", "f4")]), "dtype"),
        (lambda a: a.astype("int32"), "int32"),
        (lambda a: a[:1], "shape"),
    ],
    ids=["str", "object", "complex", "datetime", "structured", "int", "resized"],
)
def test_an_unfit_array_is_refused_and_nothing_is_assigned(saved, retype, message):
    model, _, weights = saved
    manifest, arrays = saved_arrays(weights.read_bytes())
    arrays["layers/1/0"] = retype(arrays["layers/1/0"])
    manifest.pop("digests")
    weights.write_bytes(weights_npz(arrays, manifest))
    before = state(model)
    with pytest.raises(SavedFileError, match=f"model.weights.npz.*{message}"):
        model.load_weights(weights)
    assert_unchanged(model, before)


def test_swapped_or_missing_arrays_are_caught_by_the_manifest(saved, tmp_path):
    model, _, weights = saved
    entries = members(weights)
    swapped = dict(entries)
    swapped["layers/0/1.npy"], swapped["layers/1/1.npy"] = (
        entries["layers/1/1.npy"],
        entries["layers/0/1.npy"],
    )
    del entries["layers/1/0.npy"]
    before = state(model)
    for label, content, message in [
        ("swapped", swapped, "digest"),
        ("missing", entries, "no member 'layers/1/0.npy'"),
    ]:
        target = tmp_path / f"{label}.weights.npz"
        write_zip(target, content, compression=zipfile.ZIP_STORED)
        with pytest.raises(SavedFileError, match=f"{label}.weights.npz.*{message}"):
            model.load_weights(target)
        assert_unchanged(model, before)


@pytest.mark.parametrize(
    "retype, message",
    [
        (lambda a: a.astype(complex), "optimizer/1.*complex128"),
        (lambda a: a.astype("int32"), "optimizer variable .* stored as int32"),
        (lambda a: a[:1], r"optimizer variable .* shape \(1,"),
    ],
    ids=["complex", "int", "resized"],
)
def test_a_bad_optimizer_array_refuses_the_whole_archive(
    saved, tmp_path, retype, message
):
    _, path, _ = saved
    entries = members(path)
    manifest, arrays = saved_arrays(entries["model.weights.npz"])
    optimizer_keys = [key for key in arrays if key.startswith("optimizer/")]
    moment = max(optimizer_keys, key=lambda key: arrays[key].size)  # a kernel's
    arrays[moment] = retype(arrays[moment])
    if "optimizer/1" in message:
        arrays["optimizer/1"] = retype(arrays["optimizer/1"])
    manifest.pop("digests")
    entries["model.weights.npz"] = weights_npz(arrays, manifest)
    target = tmp_path / "bad-optimizer.keras"
    write_zip(target, entries)
    with pytest.raises(SavedFileError, match=f"bad-optimizer.keras.*{message}"):
        keras.models.load_model(target)


# --- Writing ---


def test_a_new_file_gets_the_usual_mode_and_an_old_one_keeps_its_own(tmp_path):
    model = make_model()
    path = tmp_path / "model.keras"
    old_umask = os.umask(0o022)
    try:
        model.save(path)
        assert path.stat().st_mode & 0o777 == 0o644
        path.chmod(0o600)
        model.save(path)
        assert path.stat().st_mode & 0o777 == 0o600
        model.save_weights(tmp_path / "w.weights.npz")
        assert (tmp_path / "w.weights.npz").stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(old_umask)


def test_saving_to_a_symlink_writes_through_to_its_target(tmp_path):
    model = make_model()
    target = tmp_path / "real" / "model.keras"
    target.parent.mkdir()
    target.write_bytes(b"old")
    link = tmp_path / "link.keras"
    link.symlink_to(target)
    model.save(link)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert zipfile.is_zipfile(target)
    keras.models.load_model(link)


def test_read_only_targets_and_missing_folders_are_clear_errors(tmp_path):
    model = make_model()
    path = tmp_path / "model.keras"
    model.save(path)
    path.chmod(0o444)
    content = path.read_bytes()
    with pytest.raises(PermissionError, match="model.keras.*read-only"):
        model.save(path)
    assert path.read_bytes() == content
    with pytest.raises(FileNotFoundError, match="does not exist"):
        model.save(tmp_path / "absent" / "model.keras")
    assert not (tmp_path / "absent").exists()


def test_a_failed_save_leaves_no_temporary_file(tmp_path, monkeypatch):
    model = make_model()
    path = tmp_path / "model.keras"
    model.save(path)
    content = path.read_bytes()

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", fail)
    with pytest.raises(OSError, match="disk full"):
        model.save(path)
    assert sorted(os.listdir(tmp_path)) == ["model.keras"]
    assert path.read_bytes() == content


def test_a_later_save_removes_what_a_killed_save_left(tmp_path):
    path = tmp_path / "model.keras"
    # What a save killed in process 999999 (no such process) leaves behind.
    stale = tmp_path / ".model.keras.999999.abc123.tmp"
    stale.write_bytes(b"half an archive")
    live = tmp_path / f".model.keras.{os.getppid()}.def456.tmp"
    live.write_bytes(b"another process is writing this one")
    make_model().save(path)
    assert not stale.exists()
    assert live.exists()  # its writer is alive: not ours to remove
    assert file_utils.SavedFileError is SavedFileError


@pytest.mark.parametrize(
    "header",
    [
        b"{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }    (",
        b"{'descr': '<f4', 'fortran_order': False, 'shape': " + b"(" * 2000,
        b"{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4)} + x",
    ],
    ids=["unclosed bracket", "nested deeper than the parser goes", "expression"],
)
def test_a_damaged_array_header_is_the_files_error(header):
    from saving.archive_reader import parse_npy

    header = header.ljust(118) + b"\n"
    data = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header
    with pytest.raises(
        SavedFileError, match="model.weights.npz.*'kernel' has a bad header"
    ):
        parse_npy(data + bytes(48), "kernel", "model.weights.npz")
