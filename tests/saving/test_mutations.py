"""A mutated saved file either loads as the original or is refused whole.

Hypothesis mutates a `.keras` archive and a `.weights.npz` file as damage or an
attacker would: bit flips, truncation, swapped, renamed or dropped members,
arrays retyped or resized (with the manifest's digests forged to match, or
not), and configs with hostile or invalid entries injected. Every load must
either give the original model and weights, or raise `SavedFileError` naming
the file, leaving the model it loads into bit for bit unchanged; no injected
code may ever run.

Out of scope by design: a forger who rewrites the manifest's digests and
swaps two arrays of one shape, or stores a weight in a lossy dtype of the
same kind (float16 for float32), or edits a config into another valid model
(a different activation), makes a valid file for a different model; no
check without a secret can tell that from an intended edit.
"""

import hashlib
import io
import json
import time
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nanokeras as keras
from saving import serialization_lib
from saving.file_utils import SavedFileError

EXAMPLES = 500  # each load is a few milliseconds
MARKER_NAME = "injected-code-ran"


def build_model():
    model = keras.Sequential(
        [
            keras.Input((3,)),
            # Arrays of one shape in several places: swaps are hard to see.
            keras.layers.Dense(3, activation="relu", name="hidden"),
            keras.layers.Dense(3, name="middle"),
            keras.layers.Dense(3, name="out"),
        ],
        name="mutant",
    )
    model.compile(optimizer="adam", loss="mse")
    data = np.random.default_rng(0).normal(size=(6, 3)).astype("float32")
    model.fit(data, data, epochs=1, verbose=0)
    return model


@pytest.fixture(scope="module")
def originals(tmp_path_factory):
    folder = tmp_path_factory.mktemp("originals")
    model = build_model()
    model.save(folder / "model.keras")
    model.save_weights(folder / "model.weights.npz")
    target = build_model()  # loaded into; its own different weights
    yield {
        "keras": (folder / "model.keras").read_bytes(),
        "npz": (folder / "model.weights.npz").read_bytes(),
        "weights": model.get_weights(),
        "optimizer": [v.numpy().copy() for v in model.optimizer.variables],
        "config": serialization_lib.serialize_keras_object(model)["config"],
        "target": target,
        "folder": folder,
    }
    # An injected shell command runs asynchronously: give it time to show.
    time.sleep(0.5)
    assert not (folder / MARKER_NAME).exists()


def unzip(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rezip(entries, compression):
    """The same bytes for the same entries (a fixed date): examples replay."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in entries.items():
            info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            archive.writestr(info, content, compress_type=compression)
    return buffer.getvalue()


def npy(array):
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, allow_pickle=True)
    return buffer.getvalue()


# dtypes a weight is never stored in (plus float64, which holds float32 exactly).
RETYPES = ["float64", "int32", "int8", "bool", "complex64", "U4", "datetime64[s]",
           "object", [("a", "f4"), ("b", "f4")]]  # fmt: skip


def _retype(array, dtype):
    if isinstance(dtype, str) and dtype.startswith("datetime"):
        return np.zeros(array.shape, dtype)
    if isinstance(dtype, list):
        return np.zeros(array.shape, dtype)
    return array.astype(dtype)


def _forge_digests(entries):
    """Recompute the manifest's digests, as a forger who read the format would."""
    if "__manifest__.npy" not in entries:
        return
    try:
        manifest = json.loads(str(np.load(io.BytesIO(entries["__manifest__.npy"]))))
        manifest["digests"] = {
            key: hashlib.sha256(entries[f"{key}.npy"]).hexdigest()
            for key in manifest["digests"]
            if f"{key}.npy" in entries
        }
    except Exception:
        return
    entries["__manifest__.npy"] = npy(np.array(json.dumps(manifest)))


@st.composite
def member_edits(draw, entries):
    """Swap, rename, drop, retype or resize members of a zip's member dict."""
    original, entries = entries, dict(entries)
    names = sorted(entries)
    arrays = [name for name in names if name.endswith(".npy")]
    kinds = set()
    for _ in range(draw(st.integers(1, 2))):
        kind = draw(st.sampled_from(["swap", "rename", "drop", "retype", "resize"]))
        kinds.add(kind)
        name = draw(st.sampled_from(names))
        if name not in entries:
            continue
        if kind == "swap":
            other = draw(st.sampled_from(names))
            if other in entries:
                entries[name], entries[other] = entries[other], entries[name]
        elif kind == "rename":
            new = draw(st.sampled_from([*names, "junk.npy", "layers/9/0.npy"]))
            entries[new] = entries.pop(name)
        elif kind == "drop":
            del entries[name]
        elif name in arrays and name != "__manifest__.npy":
            try:
                array = np.load(io.BytesIO(entries[name]))
                if kind == "retype":
                    array = _retype(array, draw(st.sampled_from(RETYPES)))
                elif array.ndim:
                    array = np.concatenate([array, array])[: draw(st.integers(0, 9))]
                else:
                    array = np.stack([array, array])
            # A swapped-in manifest is not numbers; a datetime array does not
            # fit a short string type (numpy raises RuntimeError).
            except (ValueError, TypeError, RuntimeError):
                continue
            entries[name] = npy(array)
    # A forger may make the digests match an array of another dtype or shape
    # (the loader must still refuse it); forged digests over swapped arrays of
    # one shape, or over values a retype changed (int8 then float64 turns
    # small weights to zeros), would describe a valid file of other weights.
    if (
        kinds <= {"retype", "resize"}
        and _values_kept(original, entries)
        and draw(st.booleans())
    ):
        _forge_digests(entries)
    return entries


def _values_kept(before, after):
    """No float array of the original shape holds other values than before."""
    for name, data in after.items():
        if name == "__manifest__.npy" or data == before.get(name):
            continue
        try:
            old, new = np.load(io.BytesIO(before[name])), np.load(io.BytesIO(data))
        except (ValueError, TypeError, KeyError):
            continue
        if (
            new.dtype.kind == "f"
            and new.shape == old.shape
            and not np.array_equal(new.astype(old.dtype), old)
        ):
            return False
    return True


def _hostile_values(marker):
    pipepager = {
        "module": "pydoc",
        "class_name": "function",
        "config": "pipepager",
        "registered_name": "pipepager",
    }
    return [
        "not a number",
        -3,
        [[[[[]]]]],
        {"module": "os", "class_name": "system", "config": {}},
        {"module": "nanokeras.saving", "class_name": "function",
         "config": "load_model"},
        {"class_name": "__lambda__", "config": {"value": ["AAAA", None, None]}},
        {"class_name": "__numpy__", "config": {"value": [1], "dtype": "object"}},
        {"class_name": "Lambda", "config": {"function": pipepager,
                                            "arguments": {"cmd": f"touch {marker}"}}},
    ]  # fmt: skip


@st.composite
def config_edits(draw, config_text, marker):
    """Inject a hostile or invalid entry somewhere in a model config."""
    config = json.loads(config_text)
    layers = config["config"]["layers"]
    where = draw(st.sampled_from(["layer key", "layer class", "new layer", "model"]))
    value = draw(st.sampled_from(_hostile_values(marker)))
    if where == "layer key":
        layer = draw(st.sampled_from(layers[1:]))
        key = draw(st.sampled_from(["units", "activation", "kernel_initializer"]))
        layer["config"][key] = value
    elif where == "layer class":
        layer = draw(st.sampled_from(layers))
        layer["class_name"] = draw(st.sampled_from(["Backdoor", "Popen", "function"]))
        layer["module"] = draw(st.sampled_from(["os", "subprocess", "keras.layers"]))
    elif where == "new layer":
        lambda_layer = {
            "module": "nanokeras.layers",
            "class_name": "Lambda",
            "config": {"name": "evil", **_hostile_values(marker)[-1]["config"]},
        }
        layers.insert(draw(st.integers(1, len(layers))), lambda_layer)
    else:
        config[draw(st.sampled_from(["class_name", "config"]))] = value
    return json.dumps(config).encode()


@st.composite
def byte_edits(draw, data):
    """Flip a few bits, or cut the file short."""
    if draw(st.booleans()):
        return data[: draw(st.integers(0, len(data) - 1))]
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 3))):
        offset = draw(st.integers(0, len(data) - 1))
        data[offset] ^= 1 << draw(st.integers(0, 7))
    return bytes(data)


@st.composite
def mutated_keras(draw, original, marker):
    outer = unzip(original)
    level = draw(st.sampled_from(["outer", "weights", "config", "bytes"]))
    if level == "outer":
        outer = draw(member_edits(outer))
    elif level == "weights":
        inner = draw(member_edits(unzip(outer["model.weights.npz"])))
        outer["model.weights.npz"] = rezip(inner, zipfile.ZIP_STORED)
    elif level == "config":
        outer["config.json"] = draw(config_edits(outer["config.json"], marker))
    data = rezip(outer, zipfile.ZIP_DEFLATED)
    if level == "bytes" or draw(st.booleans()):
        data = draw(byte_edits(data))
    return data


@st.composite
def mutated_npz(draw, original):
    entries = unzip(original)
    edited = draw(member_edits(entries)) if draw(st.booleans()) else entries
    data = original if edited == entries else rezip(edited, zipfile.ZIP_STORED)
    if edited == entries or draw(st.booleans()):
        data = draw(byte_edits(data))
    return data


def _assert_weights(actual, expected):
    assert len(actual) == len(expected)
    for a, b in zip(actual, expected):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)


def _state(model):
    return [w.numpy().copy() for w in model.weights] + [
        v.numpy().copy() for v in model.optimizer.variables
    ]


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_mutated_file_loads_as_the_original_or_is_refused_whole(originals, data):
    folder = originals["folder"]
    marker = folder / MARKER_NAME
    if data.draw(st.booleans(), label="archive"):
        path = folder / "mutant.keras"
        path.write_bytes(data.draw(mutated_keras(originals["keras"], marker)))
        try:
            model = keras.models.load_model(path)
        except SavedFileError as error:
            assert str(path) in str(error)
        else:
            _assert_weights(model.get_weights(), originals["weights"])
            optimizer = [v.numpy() for v in model.optimizer.variables]
            _assert_weights(optimizer, originals["optimizer"])
            config = serialization_lib.serialize_keras_object(model)["config"]
            assert config == originals["config"]
    else:
        path = folder / "mutant.weights.npz"
        path.write_bytes(data.draw(mutated_npz(originals["npz"])))
        target = originals["target"]
        before = _state(target)
        try:
            target.load_weights(path)
        except SavedFileError as error:
            assert str(path) in str(error)
            for old, new in zip(before, _state(target), strict=True):
                np.testing.assert_array_equal(old, new)
        else:
            _assert_weights(target.get_weights(), originals["weights"])
            count = len(target.weights)
            for variable, old in zip(target.optimizer.variables, before[count:]):
                np.testing.assert_array_equal(variable.numpy(), old)
            for variable, old in zip(target.weights, before):
                variable.assign(old)  # the next example starts from the same state
    assert not marker.exists()
