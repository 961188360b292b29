"""`to_categorical` and `normalize`: numpy helpers for labels and features.

Mirrors: keras/utils/np_utils.py (tf.keras 2.6),
keras/src/utils/numerical_utils.py (Keras 3)

Both work on plain arrays (no tape): they prepare data before `fit`.
"""

from typing import Any

import numpy as np

from api_export import export


@export("nanokeras.utils.to_categorical")
def to_categorical(x: Any, num_classes: int | None = None) -> np.ndarray:
    """One-hot encode integer labels: `[0, 2]` -> `[[1, 0, 0], [0, 0, 1]]`.

    Args:
        x: Integer class labels of any shape; a trailing axis of size 1 is
            dropped first (labels shaped `(n, 1)` give `(n, num_classes)`).
        num_classes: The number of classes; defaults to `max(x) + 1`.

    Returns:
        A float32 array of shape `x.shape + (num_classes,)`.

    Example:

    >>> to_categorical([0, 2], num_classes=3)
    array([[1., 0., 0.],
           [0., 0., 1.]], dtype=float32)
    """
    labels = np.asarray(x)
    if labels.ndim > 1 and labels.shape[-1] == 1:
        labels = labels.reshape(labels.shape[:-1])
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        if not np.all(labels == np.round(labels)):
            raise ValueError(
                "to_categorical expects integer class labels. Received values "
                f"such as {labels.reshape(-1)[:3].tolist()}."
            )
        labels = labels.astype("int64")
    if num_classes is None:
        num_classes = int(labels.max()) + 1 if labels.size else 0
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(
            f"to_categorical: labels must lie in [0, {num_classes}) for "
            f"num_classes={num_classes}. Received labels from {labels.min()} "
            f"to {labels.max()}."
        )
    return np.eye(num_classes, dtype="float32")[labels]


@export("nanokeras.utils.normalize")
def normalize(x: Any, axis: int = -1, order: int = 2) -> np.ndarray:
    """Scale `x` to unit `order`-norm along `axis` (zero vectors stay zero).

    Args:
        x: An array.
        axis: The axis along which to normalize.
        order: The norm's order (2 for the Euclidean norm).

    Returns:
        The normalized array.
    """
    x = np.asarray(x)
    norm = np.atleast_1d(np.linalg.norm(x, order, axis))
    norm[norm == 0] = 1
    return x / np.expand_dims(norm, axis)
