"""Constraints: projections applied to a weight after each optimizer update.

Mirrors: keras/constraints.py (tf.keras 2.6), keras/src/constraints/constraints.py
(Keras 3)

`add_weight(constraint="non_neg")` stores the constraint on the `Variable`;
the optimizer assigns `constraint(variable)` after it updates the variable.
Constraints are not differentiated, so they compute in numpy directly.
"""

from typing import Any

import numpy as np

from api_export import export
from backend import config
from backend.ops.core import value_of
from backend.tensor import Tensor
from saving import serialization_lib


def _norms(w: np.ndarray, axis: Any) -> np.ndarray:
    return np.sqrt(np.sum(np.square(w), axis=axis, keepdims=True))


@export("nanokeras.constraints.Constraint")
class Constraint:
    """The base class: `constraint(w)` returns the projected value of `w`."""

    def __call__(self, w: Any) -> Tensor:
        return Tensor(w)

    def get_config(self) -> dict:
        """The arguments that rebuild this constraint (the base class has none)."""
        return {}

    @classmethod
    def from_config(cls, config: dict) -> "Constraint":
        """Rebuild a constraint from the dictionary `get_config` returned."""
        return cls(**config)


@export("nanokeras.constraints.MaxNorm", "nanokeras.constraints.max_norm")
class MaxNorm(Constraint):
    """Adds a cap: slices along `axis` are rescaled to norm at most `max_value`.

    Args:
        max_value: The largest norm allowed.
        axis: The axis (or axes) over which each norm is computed; 0 for a
            `Dense` kernel `(inputs, units)` constrains each unit's weights.
    """

    def __init__(self, max_value: float = 2, axis: Any = 0):
        self.max_value, self.axis = max_value, axis

    def __call__(self, w: Any) -> Tensor:
        w = value_of(w)
        norms = _norms(w, self.axis)
        desired = np.clip(norms, 0, self.max_value)
        return Tensor(w * (desired / (config.epsilon() + norms)), dtype=w.dtype)

    def get_config(self) -> dict:
        return {"max_value": self.max_value, "axis": self.axis}


@export("nanokeras.constraints.NonNeg", "nanokeras.constraints.non_neg")
class NonNeg(Constraint):
    """Adds non-negativity: negative entries become zero."""

    def __call__(self, w: Any) -> Tensor:
        w = value_of(w)
        return Tensor(w * (w >= 0), dtype=w.dtype)


@export("nanokeras.constraints.UnitNorm", "nanokeras.constraints.unit_norm")
class UnitNorm(Constraint):
    """Adds normalisation: slices along `axis` are rescaled to norm 1.

    Args:
        axis: The axis (or axes) over which each norm is computed.
    """

    def __init__(self, axis: Any = 0):
        self.axis = axis

    def __call__(self, w: Any) -> Tensor:
        w = value_of(w)
        return Tensor(w / (config.epsilon() + _norms(w, self.axis)), dtype=w.dtype)

    def get_config(self) -> dict:
        return {"axis": self.axis}


@export("nanokeras.constraints.MinMaxNorm", "nanokeras.constraints.min_max_norm")
class MinMaxNorm(Constraint):
    """Adds a band: norms along `axis` are moved into `[min_value, max_value]`.

    Args:
        min_value: The smallest norm allowed.
        max_value: The largest norm allowed.
        rate: How far to move towards the band per update: 1.0 projects
            fully, smaller values move part of the way.
        axis: The axis (or axes) over which each norm is computed.
    """

    def __init__(
        self,
        min_value: float = 0.0,
        max_value: float = 1.0,
        rate: float = 1.0,
        axis: Any = 0,
    ):
        self.min_value, self.max_value = min_value, max_value
        self.rate, self.axis = rate, axis

    def __call__(self, w: Any) -> Tensor:
        w = value_of(w)
        norms = _norms(w, self.axis)
        clipped = np.clip(norms, self.min_value, self.max_value)
        desired = self.rate * clipped + (1 - self.rate) * norms
        return Tensor(w * (desired / (config.epsilon() + norms)), dtype=w.dtype)

    def get_config(self) -> dict:
        return {
            "min_value": self.min_value,
            "max_value": self.max_value,
            "rate": self.rate,
            "axis": self.axis,
        }


_BY_NAME = {
    name: cls
    for cls in (MaxNorm, NonNeg, UnitNorm, MinMaxNorm)
    for name in (cls.__name__, cls._api_names[-1].rpartition(".")[2])
}


@export("nanokeras.constraints.serialize")
def serialize(constraint: Constraint) -> dict:
    """Keras 3's serialized dict, the form `get` and saving accept."""
    return serialization_lib.serialize_keras_object(constraint)


@export("nanokeras.constraints.deserialize")
def deserialize(config: Any, custom_objects: dict | None = None) -> Constraint:
    """Rebuild a constraint from a name or `serialize`'s output (Keras 3's too).

    Args:
        config: A name or a serialized dict.
        custom_objects: Optional `{name: class}` for user-defined constraints.
    """
    return serialization_lib.deserialize_module_object(
        config, _BY_NAME, custom_objects, "constraint"
    )


@export("nanokeras.constraints.get")
def get(identifier: Any) -> Constraint | None:
    """A constraint from a name (`"non_neg"`), a dict, an instance or a callable."""
    if identifier is None or isinstance(identifier, Constraint):
        return identifier
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(
        f"Could not interpret constraint identifier: {identifier!r}. "
        f"Known names: {sorted(_BY_NAME)}."
    )
