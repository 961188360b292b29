"""`pad_sequences`: lists of different lengths -> one padded array.

Mirrors: keras/preprocessing/sequence.py (tf.keras 2.x),
keras/src/utils/sequence_utils.py (Keras 3)
"""

from typing import Any

import numpy as np

from api_export import export


@export(
    "nanokeras.utils.pad_sequences",
    "nanokeras.preprocessing.sequence.pad_sequences",
)
def pad_sequences(
    sequences: Any,
    maxlen: int | None = None,
    dtype: Any = "int32",
    padding: str = "pre",
    truncating: str = "pre",
    value: Any = 0.0,
) -> np.ndarray:
    """Pad (or cut) each sequence to `maxlen` steps: `(num_samples, maxlen, ...)`.

    Padding with 0 is what `Embedding(mask_zero=True)` then masks. "post"
    padding keeps each sequence at the start, which RNNs read first.

    Args:
        sequences: A list of sequences (lists or arrays of steps; a step may
            be a number or an array, the same shape in every sequence).
        maxlen: The length to pad or cut to; defaults to the longest.
        dtype: The output's dtype.
        padding: `"pre"` or `"post"`: pad before or after each sequence.
        truncating: `"pre"` or `"post"`: cut a longer sequence's start or end.
        value: The padding value.

    Returns:
        A numpy array of `len(sequences)` rows of `maxlen` steps.

    Example:

    >>> pad_sequences([[1], [2, 3]], padding="post")
    array([[1, 0],
           [2, 3]], dtype=int32)
    """
    for name, given in (("padding", padding), ("truncating", truncating)):
        if given not in ("pre", "post"):
            raise ValueError(
                f'`{name}` must be "pre" or "post". Received: {name}={given!r}'
            )
    if not hasattr(sequences, "__len__"):
        raise ValueError(
            f"`sequences` must be a list of sequences. Received: {sequences!r:.100}"
        )
    rows = []
    for index, sequence in enumerate(sequences):
        if not hasattr(sequence, "__len__"):
            raise ValueError(
                "`sequences` must be a list of iterables. Found the non-"
                f"iterable {sequence!r} at position {index}."
            )
        rows.append(np.asarray(sequence, dtype=dtype if len(sequence) else None))
    step_shape = next((row.shape[1:] for row in rows if len(row)), ())
    if maxlen is None:
        maxlen = max((len(row) for row in rows), default=0)
    out = np.full((len(rows), maxlen) + step_shape, value, dtype=dtype)
    for index, row in enumerate(rows):
        if not len(row) or not maxlen:
            continue
        if row.shape[1:] != step_shape:
            raise ValueError(
                f"Shape of sample {row.shape[1:]} of sequence at position "
                f"{index} is different from expected shape {step_shape}."
            )
        kept = row[-maxlen:] if truncating == "pre" else row[:maxlen]
        if padding == "post":
            out[index, : len(kept)] = kept
        else:
            out[index, maxlen - len(kept) :] = kept
    return out
