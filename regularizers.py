"""Regularizers: penalties on a weight's values, added to the training loss.

Mirrors: keras/regularizers.py (tf.keras 2.6), keras/src/regularizers/regularizers.py
(Keras 3)

`add_weight(regularizer="l2")` stores the regularizer; `layer.losses` then
holds `regularizer(weight)` for each such weight, computed with the
differentiable ops so that the penalty's gradient reaches the weight.
"""

from typing import Any

from api_export import export
from backend.ops import math as ops
from backend.tensor import Tensor
from saving import serialization_lib


def _check_factor(name: str, value: Any, owner: str) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        value = float("nan")
    if not value >= 0.0:  # also rejects NaN
        raise ValueError(
            f"`{name}` of {owner} must be a non-negative number. "
            f"Received: {name}={value!r}"
        )
    return value


@export("nanokeras.regularizers.Regularizer", "nanokeras.Regularizer")
class Regularizer:
    """The base class: `regularizer(weight)` returns a scalar penalty.

    Subclasses implement `__call__` and `get_config`.
    """

    def __call__(self, x: Any) -> Tensor:
        return ops.multiply(0.0, ops.sum(x))

    def get_config(self) -> dict:
        """The arguments that rebuild this regularizer (the base class has none)."""
        return {}

    @classmethod
    def from_config(cls, config: dict) -> "Regularizer":
        """Rebuild a regularizer from the dictionary `get_config` returned."""
        return cls(**config)


@export("nanokeras.regularizers.L1L2", "nanokeras.regularizers.l1_l2")
class L1L2(Regularizer):
    """Adds both penalties: `l1 * sum(|x|) + l2 * sum(x²)`.

    Args:
        l1: Factor of the L1 penalty.
        l2: Factor of the L2 penalty.
    """

    def __init__(self, l1: float = 0.0, l2: float = 0.0):
        self.l1 = _check_factor("l1", l1, type(self).__name__)
        self.l2 = _check_factor("l2", l2, type(self).__name__)

    def __call__(self, x: Any) -> Tensor:
        penalty = ops.multiply(0.0, ops.sum(x))
        if self.l1:
            penalty = ops.add(penalty, ops.multiply(self.l1, ops.sum(ops.abs(x))))
        if self.l2:
            penalty = ops.add(penalty, ops.multiply(self.l2, ops.sum(ops.square(x))))
        return penalty

    def get_config(self) -> dict:
        return {"l1": self.l1, "l2": self.l2}


@export("nanokeras.regularizers.L1", "nanokeras.regularizers.l1")
class L1(Regularizer):
    """Adds the L1 penalty `l1 * sum(|x|)`, which pushes weights to exactly zero.

    Args:
        l1: Factor of the penalty.
    """

    def __init__(self, l1: float = 0.01):
        self.l1 = _check_factor("l1", l1, type(self).__name__)

    def __call__(self, x: Any) -> Tensor:
        return ops.multiply(self.l1, ops.sum(ops.abs(x)))

    def get_config(self) -> dict:
        return {"l1": self.l1}


@export("nanokeras.regularizers.L2", "nanokeras.regularizers.l2")
class L2(Regularizer):
    """Adds the L2 penalty `l2 * sum(x²)` ("weight decay"): small weights.

    Args:
        l2: Factor of the penalty.
    """

    def __init__(self, l2: float = 0.01):
        self.l2 = _check_factor("l2", l2, type(self).__name__)

    def __call__(self, x: Any) -> Tensor:
        return ops.multiply(self.l2, ops.sum(ops.square(x)))

    def get_config(self) -> dict:
        return {"l2": self.l2}


_BY_NAME = {"L1": L1, "l1": L1, "L2": L2, "l2": L2, "L1L2": L1L2, "l1_l2": L1L2}


@export("nanokeras.regularizers.serialize")
def serialize(regularizer: Regularizer) -> dict:
    """Keras 3's serialized dict, the form `get` and saving accept."""
    return serialization_lib.serialize_keras_object(regularizer)


@export("nanokeras.regularizers.deserialize")
def deserialize(config: Any, custom_objects: dict | None = None) -> Regularizer:
    """Rebuild a regularizer from a name or `serialize`'s output (Keras 3's too).

    Args:
        config: A name or a serialized dict.
        custom_objects: Optional `{name: class}` for user-defined regularizers.
    """
    return serialization_lib.deserialize_module_object(
        config, _BY_NAME, custom_objects, "regularizer"
    )


@export("nanokeras.regularizers.get")
def get(identifier: Any) -> Regularizer | None:
    """A regularizer from a name (`"l2"`), a config dict, an instance or a callable."""
    if identifier is None or isinstance(identifier, Regularizer):
        return identifier
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(
        f"Could not interpret regularizer identifier: {identifier!r}. "
        f"Known names: {sorted(_BY_NAME)}."
    )
