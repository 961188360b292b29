"""Core layers: `Dense`, `Embedding`, `Lambda`, `Identity`."""

# Loading the layers registers the op dispatcher of `TFOpLambda`, so an op on
# a `KerasTensor` (`keras.ops.mean(keras.Input((3,)))`) becomes a layer of the
# graph, as tf.keras 2.6 registers it when `keras.layers` loads `core.py`.
from layers.core import tf_op_layer  # noqa: F401
