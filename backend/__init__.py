"""The stand-in for TensorFlow: tensors, variables, modules, a tape and ops.

Not Keras code: Keras 2 ran on TensorFlow, and this package plays that part in
numpy, small enough to read. Each file says which TensorFlow piece it mirrors.

The files build on each other without a circle: `tensor` is the leaf,
`variables` and the `tape` build on it, the ops on all three, and loading the
ops installs the tensor operators (`a + b`, `a @ b`, `a[1:]`), which is why
this package imports `backend.ops.operators` first thing.
"""

from backend.ops import operators  # noqa: F401  (installs `+`, `@`, `[]`, ...)
