"""Probabilistic metrics: the crossentropies, KL divergence and Poisson, as means.

Mirrors: keras/metrics.py probabilistic classes (tf.keras 2.6),
keras/src/metrics/probabilistic_metrics.py (Keras 3)

Each metric averages the loss function of the same name (from
`losses/losses.py`) over every sample seen, so `fit` can report a loss it does
not minimise.
"""

from typing import Any

from api_export import export
from losses import losses
from metrics.base_metric import MeanMetricWrapper


class _LossMetric(MeanMetricWrapper):
    """A mean of a loss function: better when lower, configured by its kwargs."""

    def __init__(self, fn, name, dtype, **kwargs):
        super().__init__(fn=fn, name=name, dtype=dtype, **kwargs)
        self._direction = "down"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, **self._fn_kwargs}


@export("nanokeras.metrics.BinaryCrossentropy")
class BinaryCrossentropy(_LossMetric):
    """BinaryCrossentropy averages `binary_crossentropy` over every sample seen.

    Args:
        name: The metric's name.
        dtype: The dtype of the state and result.
        from_logits: Whether `y_pred` holds logits instead of probabilities.
        label_smoothing: In [0, 1]; labels are squeezed toward 0.5.
    """

    def __init__(
        self,
        name: str = "binary_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        label_smoothing: float = 0,
    ):
        super().__init__(
            losses.binary_crossentropy,
            name,
            dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
        )


@export("nanokeras.metrics.CategoricalCrossentropy")
class CategoricalCrossentropy(_LossMetric):
    """CategoricalCrossentropy averages `categorical_crossentropy` over samples.

    Args:
        name: The metric's name.
        dtype: The dtype of the state and result.
        from_logits: Whether `y_pred` holds logits instead of probabilities.
        label_smoothing: In [0, 1]; labels move toward `1 / num_classes`.
        axis: The class axis.
    """

    def __init__(
        self,
        name: str = "categorical_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        label_smoothing: float = 0,
        axis: int = -1,
    ):
        super().__init__(
            losses.categorical_crossentropy,
            name,
            dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


@export("nanokeras.metrics.SparseCategoricalCrossentropy")
class SparseCategoricalCrossentropy(_LossMetric):
    """SparseCategoricalCrossentropy averages the crossentropy of integer labels.

    Args:
        name: The metric's name.
        dtype: The dtype of the state and result.
        from_logits: Whether `y_pred` holds logits instead of probabilities.
        ignore_class: A label value whose samples count as zero, or None.
        axis: The class axis.
    """

    def __init__(
        self,
        name: str = "sparse_categorical_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        ignore_class: int | None = None,
        axis: int = -1,
    ):
        super().__init__(
            losses.sparse_categorical_crossentropy,
            name,
            dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )


@export("nanokeras.metrics.KLDivergence")
class KLDivergence(_LossMetric):
    """KLDivergence averages `kl_divergence` over every sample seen."""

    def __init__(self, name: str = "kl_divergence", dtype: Any = None):
        super().__init__(losses.kl_divergence, name, dtype)


@export("nanokeras.metrics.Poisson")
class Poisson(_LossMetric):
    """Poisson averages `poisson` (`y_pred - y_true * log(y_pred)`) over samples."""

    def __init__(self, name: str = "poisson", dtype: Any = None):
        super().__init__(losses.poisson, name, dtype)
