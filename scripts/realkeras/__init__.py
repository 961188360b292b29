"""Real Keras beside nanokeras: the two reference releases, read from their wheels.

- `sources`: the pinned wheels (keras 2.6.0, the book's tf.keras; Keras
  3.15.1), fetched from PyPI with a checked sha256 and unpacked under
  `.cache/reference/`; `permalink()` turns `file:line` into a GitHub link
  pinned to the release tag.
- `api`: the explorer's alias tables of a release, v1 or v2 (read by
  `scripts/explorer/exports.py`, which understands TensorFlow's `v1=`).
- `chains`: the primary-base chain (the book's view) and the full method
  resolution order of a class, read statically with griffe.

Nothing here imports Keras or TensorFlow: the wheels are only read.
"""
