"""The stand-in for TensorFlow: tensors, variables, modules, a tape and ops.

Not Keras code: Keras 2 ran on TensorFlow, and this package plays that part in
numpy, small enough to read. Each file says which TensorFlow piece it mirrors.

Import order matters once: `tensor` goes first because it binds `+`, `@`, ...
to the ops, the ops need the tape, and the tape needs `Variable`, which in turn
subclasses the already-defined `TensorLike`.
"""

from backend import tensor  # noqa: F401  (see the import order note above)
