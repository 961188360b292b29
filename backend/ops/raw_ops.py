"""The ops without their dispatch wrapper, for code that runs on real tensors.

Mirrors: tensorflow/python/ops/gen_math_ops.py and its siblings, the ops below
TensorFlow's public Python API (stand-in, not Keras code)

`nanokeras.ops.matmul` is `dispatch.add_dispatch_support` around the function
that multiplies, so that it can take a `KerasTensor` while a functional model
is defined. A layer's `call` never meets one (a symbolic call runs it on
placeholder tensors), nor does the engine running a model, so they call the
function itself through these namespaces: `raw_ops.math.matmul` is the op
`nanokeras.ops.matmul` wraps, with one Python frame less on every op of every
step. The names are those of the op modules:

    from backend.ops.raw_ops import math as math_ops
"""

from backend.ops import array as _array
from backend.ops import convolution as _convolution
from backend.ops import crossentropy as _crossentropy
from backend.ops import math as _math
from backend.ops import nn as _nn
from backend.ops import pooling as _pooling
from backend.ops.dispatch import undispatched

array = undispatched(_array)
convolution = undispatched(_convolution)
crossentropy = undispatched(_crossentropy)
math = undispatched(_math)
nn = undispatched(_nn)
pooling = undispatched(_pooling)
