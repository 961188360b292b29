"""Hinge metrics: hinge, squared hinge and categorical hinge, as means.

Mirrors: keras/metrics.py hinge classes (tf.keras 2.6),
keras/src/metrics/hinge_metrics.py (Keras 3)
"""

from typing import Any

from api_export import export
from losses import losses
from metrics.probabilistic_metrics import _LossMetric


@export("nanokeras.metrics.Hinge")
class Hinge(_LossMetric):
    """Hinge averages `hinge` (labels -1/1, or 0/1 mapped to -1/1) over samples."""

    def __init__(self, name: str = "hinge", dtype: Any = None):
        super().__init__(losses.hinge, name, dtype)


@export("nanokeras.metrics.SquaredHinge")
class SquaredHinge(_LossMetric):
    """SquaredHinge averages `squared_hinge` over every sample seen."""

    def __init__(self, name: str = "squared_hinge", dtype: Any = None):
        super().__init__(losses.squared_hinge, name, dtype)


@export("nanokeras.metrics.CategoricalHinge")
class CategoricalHinge(_LossMetric):
    """CategoricalHinge averages `categorical_hinge` over every sample seen."""

    def __init__(self, name: str = "categorical_hinge", dtype: Any = None):
        super().__init__(losses.categorical_hinge, name, dtype)
