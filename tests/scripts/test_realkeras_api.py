"""The explorer's alias tables of the pinned releases equal their generated APIs.

Each wheel ships the public API its release generated from the same
`keras_export` calls: TensorFlow's generator wrote tf.keras 2.6's
`keras/api/_v2` (and `_v1`), Keras 3's own generator the `__init__.py` files
of the wheel's `keras/` (the repository's `keras/api`). The explorer reads the
calls statically; these tests hold it to what the generators produced, name
for name and file for file.
"""

import pytest

from scripts import explorer
from scripts.explorer.exports import generated_api
from scripts.realkeras import sources


def _compare(table, generated):
    ours = {entry.public_path: entry for entry in table.entries}
    theirs = {name.public_path: name for name in generated}
    assert sorted(set(ours) - set(theirs)) == []
    assert sorted(set(theirs) - set(ours)) == []
    different = []
    for path, entry in ours.items():
        name = theirs[path]
        if entry.file:  # defined in the wheel: the very module and name
            same = (entry.module, entry.qualname) == (name.module, name.name)
        else:  # re-exported from another package: the generator names the
            # submodule that defines it, we the package it was read from.
            same = name.module.startswith(entry.module + ".") or (
                name.module == entry.module
            )
            same = same and entry.qualname == name.name
        if not same:
            different.append((path, entry.implementation, name.module, name.name))
    assert different == []
    return ours


def test_keras26_v2_table_equals_generated_api_v2():
    table = explorer.aliases("keras==2.6.0", api="v2")
    generated = generated_api(sources.KERAS2.folder, "keras/api/_v2/keras")
    ours = _compare(table, generated)
    assert len(ours) == 723
    # keras_export(v1=['keras.layers.CuDNNLSTM']): a v1 name only.
    assert "keras.layers.CuDNNLSTM" not in ours
    dense = ours["keras.layers.Dense"]
    assert (dense.file, dense.module) == ("keras/layers/core.py", "keras.layers.core")
    assert ours["keras.layers.BatchNormalization"].file == (
        "keras/layers/normalization/batch_normalization.py"
    )


def test_keras26_v1_table_equals_generated_api_v1():
    table = explorer.aliases("keras==2.6.0", api="v1")
    generated = [
        name
        for name in generated_api(sources.KERAS2.folder, "keras/api/_v1/keras")
        # TensorFlow's generator adds a deprecation wrapper to every v1
        # namespace; it is not a keras_export name.
        if not name.public_path.endswith("._module_wrapper")
    ]
    ours = _compare(table, generated)
    assert ours["keras.layers.BatchNormalization"].file == (
        "keras/layers/normalization/batch_normalization_v1.py"
    )


def test_v1_only_and_v2_only_names_are_told_apart():
    v1 = explorer.aliases("keras==2.6.0", api="v1").by_public_path()
    v2 = explorer.aliases("keras==2.6.0", api="v2").by_public_path()
    # Each version has names of its own (v1=[...] or v1=[] in the call).
    only_v1 = set(v1) - set(v2)
    only_v2 = set(v2) - set(v1)
    assert only_v1 and only_v2
    assert v1["keras.initializers.Zeros"].module.endswith("initializers_v1")
    assert v2["keras.initializers.Zeros"].module.endswith("initializers_v2")


def test_keras3_table_equals_generated_api():
    table = explorer.aliases("keras==3.15.1")
    generated = [
        name
        for name in generated_api(
            sources.KERAS3.folder, "keras", skip=("src", "_tf_keras")
        )
        # The generator writes `__version__` into keras/__init__.py itself;
        # no keras_export call names it.
        if name.public_path != "keras.__version__"
    ]
    ours = _compare(table, generated)
    assert len(ours) == 1439
    assert ours["keras.layers.Dense"].file == "keras/src/layers/core/dense.py"


def test_keras3_legacy_names_stay_out_of_the_keras_namespace():
    table = explorer.aliases("keras==3.15.1")
    assert not [e for e in table.entries if e.public_path.startswith("keras._legacy")]


@pytest.mark.parametrize("api", ["v1", "v2"])
def test_cli_reads_an_api_version(api, capsys):
    from scripts.explore import main

    assert (
        main(
            [
                "where",
                "keras.layers.BatchNormalization",
                "--package",
                "keras==2.6.0",
                "--api",
                api,
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    expected = "batch_normalization_v1.py" if api == "v1" else "batch_normalization.py:"
    assert expected in out


def test_nanokeras_has_no_v1_api(capsys):
    from scripts.explore import main

    assert main(["aliases", "--api", "v1"]) == 1
    assert "one API" in capsys.readouterr().err


@pytest.mark.parametrize(
    "release, file",
    [
        ("keras==2.6.0", "keras/layers/core.py"),
        ("keras==3.15.1", "keras/src/layers/core/dense.py"),
    ],
)
def test_a_release_chain_names_files_inside_the_wheel(release, file):
    # griffe reports resolved paths; the cache folder may be reached through a
    # link, and the pages must still show (and link) the wheel's own paths.
    dense = explorer.chain("keras.layers.Dense", release).classes[-1]
    assert dense.file == file
