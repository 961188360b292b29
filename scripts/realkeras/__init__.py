"""Real Keras beside nanokeras: the two reference releases, read from their wheels.

- `sources`: the pinned wheels (keras 2.6.0, the book's tf.keras; Keras
  3.15.1), fetched from PyPI with a checked sha256 and unpacked under
  `.cache/reference/`; `permalink()` turns `file:line` into a GitHub link
  pinned to the release tag.
- `facts`: what the site shows of each release (class chains read statically
  with the explorer, the v1/v2 alias tables), computed once and cached.
- `permalinks`: checks the hand-written links into a release: the tag is
  pinned, the file exists, the line holds what the link names.

Nothing here imports Keras or TensorFlow: the wheels are only read.
"""
