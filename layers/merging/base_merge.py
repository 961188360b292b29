"""`Merge`: the base of the layers that combine a list of tensors into one.

Mirrors: keras/layers/merge.py (tf.keras 2.6),
keras/src/layers/merging/base_merge.py (Keras 3)

Simplified: masks are combined (OR) but masked positions are not replaced
before `Multiply`, `Maximum` and `Minimum`; at least 2 inputs, as tf.keras 2.x.

A merge layer is called on a list (`Add()([a, b])`). The base class does
what every elementwise merge shares: it checks the list and the shapes
(once, in `build`), gives inputs of lower rank size-1 axes after the batch
axis so they broadcast, and combines the inputs' masks. Each subclass only
writes `_merge_function`, the arithmetic.
"""

from typing import Any

import numpy as np

from backend.ops.core import value_of
from backend.ops.raw_ops import array as array_ops
from backend.tensor import Tensor
from engine.base_layer import Layer


def _is_shape_list(input_shape: Any) -> bool:
    return isinstance(input_shape, (list, tuple)) and all(
        isinstance(shape, (list, tuple)) for shape in input_shape
    )


class Merge(Layer):
    """Adds to `Layer` the checks, broadcasting and masks of elementwise merges.

    As in tf.keras 2.x, a merge needs at least 2 inputs (Keras 3 accepts 1).
    Simplified: masks are combined (OR, as Keras 3), but masked positions are
    not substituted before `Multiply`, `Maximum` and `Minimum` as Keras 3 does.

    Args:
        **kwargs: `Layer` arguments (`name`, `dtype`, ...).
    """

    # How many inputs a subclass takes: (least, most); None is unlimited.
    _input_count: tuple = (2, None)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self._reshape_required = False

    def _merge_function(self, inputs: list) -> Any:
        raise NotImplementedError

    # --- Checks and shapes ---

    def _check_input_list(self, input_shape: Any) -> None:
        """A list of shapes, as many as the layer takes, of one batch size."""
        where = f'(in layer "{self.name}")'
        if not _is_shape_list(input_shape):
            raise ValueError(
                "A merge layer should be called on a list of inputs. Received: "
                f"input_shape={input_shape} (not a list of shapes) {where}"
            )
        least, most = self._input_count
        if len(input_shape) < least or (most is not None and len(input_shape) > most):
            shapes = list(map(tuple, input_shape))
            if most == least:
                raise ValueError(
                    f"A `{type(self).__name__}` layer should be called on "
                    f"exactly {least} inputs. Received: input_shape={shapes} "
                    f"{where}"
                )
            raise ValueError(
                f"A merge layer should be called on a list of at least {least} "
                f"inputs. Got {len(shapes)} inputs. Full input_shape received: "
                f"{shapes} {where}"
            )
        batch_sizes = {shape[0] for shape in input_shape if shape} - {None}
        if len(batch_sizes) > 1:
            raise ValueError(
                "Cannot merge tensors with different batch sizes. Received "
                f"tensors with shapes {list(map(tuple, input_shape))} {where}"
            )

    def _elementwise_shape(self, shape1: tuple, shape2: tuple) -> tuple:
        """The shape of an elementwise result, aligning the shapes from the right."""
        if len(shape1) < len(shape2):
            shape1, shape2 = shape2, shape1
        if not shape2:
            return tuple(shape1)
        output = list(shape1[: len(shape1) - len(shape2)])
        for i, j in zip(shape1[len(shape1) - len(shape2) :], shape2):
            if i is None or j is None:
                output.append(None)
            elif i == 1 or j == 1:
                output.append(j if i == 1 else i)
            elif i != j:
                raise ValueError(
                    "Inputs have incompatible shapes. Received shapes "
                    f"{tuple(shape1)} and {tuple(shape2)} "
                    f'(in layer "{self.name}")'
                )
            else:
                output.append(i)
        return tuple(output)

    def build(self, input_shape: Any) -> None:
        self.compute_output_shape(input_shape)  # raises on a bad list or shapes
        # Inputs of different ranks get size-1 axes after the batch axis.
        self._reshape_required = len({len(shape) for shape in input_shape}) > 1

    def compute_output_shape(self, input_shape: Any) -> tuple:
        self._check_input_list(input_shape)
        output = tuple(input_shape[0][1:])
        for shape in input_shape[1:]:
            output = self._elementwise_shape(output, tuple(shape[1:]))
        batch_sizes = {shape[0] for shape in input_shape} - {None}
        return (batch_sizes.pop() if batch_sizes else None,) + output

    # --- Call ---

    def call(self, inputs: Any) -> Any:
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                "A merge layer should be called on a list of inputs. Received: "
                f"inputs={inputs} (not a list of tensors) "
                f'(in layer "{self.name}")'
            )
        shapes = [tuple(x.shape) for x in inputs]
        if len(set(shapes)) > 1:  # a later call may bring other shapes
            self.compute_output_shape(shapes)
        if self._reshape_required or len({len(s) for s in shapes}) > 1:
            rank = max(len(shape) for shape in shapes)
            inputs = [
                array_ops.reshape(x, x.shape[:1] + (1,) * (rank - x.ndim) + x.shape[1:])
                if x.ndim < rank
                else x
                for x in inputs
            ]
        return self._merge_function(list(inputs))

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """The OR of the inputs' masks; None unless every input has one (Keras 3)."""
        if mask is None or not isinstance(mask, (list, tuple)):
            return None
        if any(m is None for m in mask):
            return None
        output = np.asarray(value_of(mask[0]), dtype=bool)
        for m in mask[1:]:
            output = np.logical_or(output, value_of(m))
        return Tensor(output)
