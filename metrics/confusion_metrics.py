"""Confusion-matrix metrics: precision, recall and the area under a curve.

Mirrors: keras/metrics.py + keras/utils/metrics_utils.py (tf.keras 2.6),
keras/src/metrics/confusion_metrics.py + metrics_utils.py (Keras 3)

These metrics count true/false positives/negatives at one or more decision
thresholds: a prediction counts as positive when it is *strictly greater*
than the threshold, a label when it is non-zero. Every element of `y_pred`
is one decision, so a `(batch, classes)` prediction gives `batch * classes`.
"""

from typing import Any

import numpy as np

from api_export import export
from backend import config
from backend.ops.core import value_of
from backend.tensor import Tensor
from metrics.base_metric import Metric, _divide_no_nan, as_array
from utils.losses_utils import squeeze_or_expand_to_same_rank

_NEG_INF = -1e10


def update_confusion_matrix_variables(
    variables: dict,
    y_true: Any,
    y_pred: Any,
    thresholds: np.ndarray,
    top_k: int | None = None,
    class_id: int | None = None,
    sample_weight: Any = None,
    multi_label: bool = False,
    label_weights: Any = None,
) -> None:
    """Add this batch's weighted counts to `variables` at every threshold.

    Args:
        variables: `{"tp"|"fp"|"tn"|"fn": Variable}`, each of shape
            `(len(thresholds),)` (or `(len(thresholds), labels)` when
            `multi_label`).
        y_true: Labels; non-zero means positive.
        y_pred: Scores in `[0, 1]`.
        thresholds: The decision thresholds.
        top_k: Only the `k` largest scores of each row can be positive.
        class_id: Look at one class (one column of the last axis) only.
        sample_weight: Weights broadcastable to `y_pred`.
        multi_label: Keep one count per label (the last axis) instead of
            flattening every element into one count.
        label_weights: Per-label weights, multiplied into the sample weights.
    """
    dtype = config.floatx()
    y_pred = as_array(y_pred, dtype)
    y_true = as_array(y_true, dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    if y_pred.size and (y_pred.min() < 0 or y_pred.max() > 1):
        raise ValueError(
            "Confusion-matrix metrics expect predictions in [0, 1], but "
            f"received values in [{y_pred.min()}, {y_pred.max()}]. Apply a "
            "sigmoid or softmax first (or use `from_logits=True` with AUC)."
        )
    weights = None
    if sample_weight is not None:
        weights = as_array(sample_weight, dtype)
        weights, y_pred = squeeze_or_expand_to_same_rank(weights, y_pred)
        if weights.ndim < y_pred.ndim:  # one weight per sample
            weights = weights.reshape(
                weights.shape + (1,) * (y_pred.ndim - weights.ndim)
            )
        weights = np.broadcast_to(weights, y_pred.shape)
    if top_k is not None:
        # Scores outside each row's top k can never pass a threshold.
        kth = -np.partition(-y_pred, top_k - 1, axis=-1)[..., top_k - 1 : top_k]
        y_pred = np.where(y_pred >= kth, y_pred, _NEG_INF)
    if class_id is not None:
        y_true, y_pred = y_true[..., class_id], y_pred[..., class_id]
        weights = None if weights is None else weights[..., class_id]
    if label_weights is not None and not multi_label:
        label_weights = np.broadcast_to(as_array(label_weights, dtype), y_pred.shape)
        weights = label_weights if weights is None else weights * label_weights

    if multi_label:
        preds = y_pred.reshape(-1, y_pred.shape[-1])
        labels = y_true.reshape(-1, y_true.shape[-1]) != 0
        flat_w = None if weights is None else weights.reshape(preds.shape)
        sum_axis = 1  # keep (threshold, label)
    else:
        preds, labels = y_pred.reshape(-1), y_true.reshape(-1) != 0
        flat_w = None if weights is None else weights.reshape(-1)
        sum_axis = -1
    # (thresholds, samples[, labels]): one comparison for every threshold at once.
    thresholds = np.asarray(thresholds, dtype=dtype).reshape((-1,) + (1,) * preds.ndim)
    predicted = preds[None] > thresholds
    w = np.ones(preds.shape, dtype) if flat_w is None else flat_w
    cases = {
        "tp": predicted & labels,
        "fp": predicted & ~labels,
        "fn": ~predicted & labels,
        "tn": ~predicted & ~labels,
    }
    for key, variable in variables.items():
        variable.assign_add(np.sum(cases[key] * w, axis=sum_axis, dtype=dtype))


def _parse_thresholds(thresholds: Any, default: float) -> list:
    values = [default] if thresholds is None else np.atleast_1d(thresholds).tolist()
    for value in values:
        if not (0 <= value <= 1) and value != _NEG_INF:
            raise ValueError(
                f"Threshold values must be in [0, 1]. Received: {thresholds}"
            )
    return values


class _PrecisionRecall(Metric):
    """What Precision and Recall share: thresholds, top_k, class_id, two counts."""

    _second = ""  # "fp" for precision, "fn" for recall

    def __init__(self, thresholds, top_k, class_id, name, dtype):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.init_thresholds = thresholds
        self.top_k, self.class_id = top_k, class_id
        default = 0.5 if top_k is None else _NEG_INF
        self.thresholds = _parse_thresholds(thresholds, default)
        shape = (len(self.thresholds),)
        self.true_positives = self.add_variable(shape, "zeros", name="true_positives")
        second = "false_positives" if self._second == "fp" else "false_negatives"
        setattr(self, second, self.add_variable(shape, "zeros", name=second))

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        second = self.false_positives if self._second == "fp" else self.false_negatives
        update_confusion_matrix_variables(
            {"tp": self.true_positives, self._second: second},
            y_true,
            y_pred,
            self.thresholds,
            top_k=self.top_k,
            class_id=self.class_id,
            sample_weight=sample_weight,
        )

    def result(self) -> Tensor:
        second = self.false_positives if self._second == "fp" else self.false_negatives
        tp = value_of(self.true_positives)
        value = _divide_no_nan(tp, tp + value_of(second))
        return self._result_tensor(value[0] if len(self.thresholds) == 1 else value)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "thresholds": self.init_thresholds,
            "top_k": self.top_k,
            "class_id": self.class_id,
        }


@export("nanokeras.metrics.Precision")
class Precision(_PrecisionRecall):
    """Precision reports `tp / (tp + fp)`: how many predicted positives are right.

    Args:
        thresholds: One threshold or a list (then the result is a vector);
            default 0.5.
        top_k: Only the `k` largest scores of each row count as positive.
        class_id: Measure one class only.
        name: The metric's name.
        dtype: The dtype of the state and result.
    """

    _second = "fp"

    def __init__(
        self,
        thresholds: Any = None,
        top_k: int | None = None,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        super().__init__(thresholds, top_k, class_id, name or "precision", dtype)


@export("nanokeras.metrics.Recall")
class Recall(_PrecisionRecall):
    """Recall reports `tp / (tp + fn)`: how many actual positives are found.

    Args are those of `Precision`.
    """

    _second = "fn"

    def __init__(
        self,
        thresholds: Any = None,
        top_k: int | None = None,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        super().__init__(thresholds, top_k, class_id, name or "recall", dtype)


@export("nanokeras.metrics.AUC")
class AUC(Metric):
    """AUC approximates the area under the ROC or PR curve from threshold counts.

    Args:
        num_thresholds: Evenly spaced thresholds in `[0, 1]` (more is finer).
        curve: `"ROC"` or `"PR"`.
        summation_method: `"interpolation"` (trapezoids; for PR, Davis &
            Goadrich's interpolation), `"minoring"` or `"majoring"`.
        name: The metric's name.
        dtype: The dtype of the state and result.
        thresholds: Explicit thresholds instead of `num_thresholds`.
        multi_label: One curve per label (last axis), averaged.
        num_labels: The number of labels, when `multi_label`.
        label_weights: Weights of the labels in the average.
        from_logits: Apply a sigmoid to `y_pred` first.

    Simplified: the `"PRGAIN"` curve is not implemented.
    """

    def __init__(
        self,
        num_thresholds: int = 200,
        curve: str = "ROC",
        summation_method: str = "interpolation",
        name: str | None = None,
        dtype: Any = None,
        thresholds: Any = None,
        multi_label: bool = False,
        num_labels: int | None = None,
        label_weights: Any = None,
        from_logits: bool = False,
    ):
        super().__init__(name=name or "auc", dtype=dtype)
        self._direction = "up"
        if curve.upper() not in ("ROC", "PR"):
            raise ValueError(
                f'Invalid `curve` argument value "{curve}". Expected one of: '
                "['ROC', 'PR']"
            )
        if summation_method not in ("interpolation", "minoring", "majoring"):
            raise ValueError(
                f'Invalid `summation_method` argument value "{summation_method}". '
                "Expected one of: ['interpolation', 'minoring', 'majoring']"
            )
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            inner = sorted(np.atleast_1d(thresholds).tolist())
            self.num_thresholds = len(inner) + 2
        else:
            if num_thresholds <= 1:
                raise ValueError(
                    "Argument `num_thresholds` must be an integer > 1. "
                    f"Received: num_thresholds={num_thresholds}"
                )
            self.num_thresholds = num_thresholds
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        eps = config.epsilon()
        self._thresholds = np.array([0.0 - eps] + inner + [1.0 + eps])
        self.curve, self.summation_method = curve.upper(), summation_method
        self.multi_label, self.num_labels = multi_label, num_labels
        self.label_weights = (
            None if label_weights is None else np.asarray(label_weights, self.dtype)
        )
        self._from_logits = from_logits
        self._built = False
        if num_labels and not multi_label:
            raise ValueError("`num_labels` is needed only when `multi_label` is True.")
        if not multi_label:
            self._build(None)
        elif num_labels:
            self._build((None, num_labels))

    @property
    def thresholds(self) -> list:
        return list(self._thresholds)

    def _build(self, shape: Any) -> None:
        if self.multi_label:
            if len(shape) != 2:
                raise ValueError(
                    "`y_pred` must have rank 2 when `multi_label=True`. Found "
                    f"rank {len(shape)}. Full shape received for `y_pred`: {shape}"
                )
            variable_shape = (self.num_thresholds, shape[1])
        else:
            variable_shape = (self.num_thresholds,)
        for name in ("true_positives", "false_positives", "true_negatives"):
            setattr(self, name, self.add_variable(variable_shape, "zeros", name=name))
        self.false_negatives = self.add_variable(
            variable_shape, "zeros", name="false_negatives"
        )
        self._built = True

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        y_pred = as_array(y_pred, self.dtype)
        if not self._built:
            self._build(y_pred.shape)
        if self._from_logits:
            y_pred = 0.5 * (1.0 + np.tanh(0.5 * y_pred))  # a stable sigmoid
        update_confusion_matrix_variables(
            {
                "tp": self.true_positives,
                "fp": self.false_positives,
                "tn": self.true_negatives,
                "fn": self.false_negatives,
            },
            y_true,
            y_pred,
            self._thresholds,
            sample_weight=sample_weight,
            multi_label=self.multi_label,
            label_weights=None if self.multi_label else self.label_weights,
        )

    def _interpolate_pr_auc(self, tp, fp, fn) -> np.ndarray:
        """Davis & Goadrich: precision varies along the curve between thresholds."""
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        prec_slope = _divide_no_nan(dtp, np.maximum(dp, 0))
        intercept = tp[1:] - prec_slope * p[1:]
        both_positive = (p[:-1] > 0) & (p[1:] > 0)
        safe_p_ratio = np.where(
            both_positive, _divide_no_nan(p[:-1], np.maximum(p[1:], 0)), 1.0
        )
        return _divide_no_nan(
            prec_slope * (dtp + intercept * np.log(safe_p_ratio)),
            np.maximum(tp[1:] + fn[1:], 0),
        )

    def result(self) -> Tensor:
        tp, fp = value_of(self.true_positives), value_of(self.false_positives)
        tn, fn = value_of(self.true_negatives), value_of(self.false_negatives)
        if self.curve == "PR" and self.summation_method == "interpolation":
            terms = self._interpolate_pr_auc(tp, fp, fn)
        else:
            recall = _divide_no_nan(tp, tp + fn)
            if self.curve == "ROC":
                x, y = _divide_no_nan(fp, fp + tn), recall
            else:
                x, y = recall, _divide_no_nan(tp, tp + fp)
            if self.summation_method == "interpolation":
                heights = (y[:-1] + y[1:]) / 2.0
            elif self.summation_method == "minoring":
                heights = np.minimum(y[:-1], y[1:])
            else:
                heights = np.maximum(y[:-1], y[1:])
            terms = (x[:-1] - x[1:]) * heights
        if not self.multi_label:
            return self._result_tensor(np.sum(terms))
        by_label = np.sum(terms, axis=0)
        if self.label_weights is None:
            return self._result_tensor(np.mean(by_label))
        weighted = np.sum(by_label * self.label_weights)
        return self._result_tensor(_divide_no_nan(weighted, np.sum(self.label_weights)))

    def reset_state(self) -> None:
        if self._built:
            super().reset_state()

    def get_config(self) -> dict:
        config_ = {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "curve": self.curve,
            "summation_method": self.summation_method,
            "multi_label": self.multi_label,
            "num_labels": self.num_labels,
            "label_weights": None
            if self.label_weights is None
            else self.label_weights.tolist(),
            "from_logits": self._from_logits,
        }
        if self._init_from_thresholds:
            config_["thresholds"] = self.thresholds[1:-1]
        return config_
