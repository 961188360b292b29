"""`LossesContainer` and `MetricsContainer`: what `compile` records.

Mirrors: keras/engine/compile_utils.py (tf.keras 2.6),
keras/src/trainers/compile_utils.py (Keras 3)

Simplified: the containers take losses and metrics for lists and dicts of
outputs, not arbitrarily nested output structures.

`compile(loss=..., metrics=...)` accepts one loss for every output, a list
(one per output) or a dict (by output name), and strings, functions or
objects anywhere. The containers resolve all of that once, on the first
batch (when the outputs' shapes are known, which decides what `"accuracy"`
means), and then, every step:

- `LossesContainer(y_true, y_pred, sample_weight)` returns the total loss
  (the weighted sum over outputs plus the layers' regularization losses) as
  a differentiable tensor, and updates the running `"loss"` metric;
- `MetricsContainer.update_state(y_true, y_pred, sample_weight)` updates
  every metric of every output.
"""

from typing import Any

import numpy as np

import losses as losses_module
import metrics as metrics_module
from backend import nest
from backend.ops.core import value_of
from backend.ops.raw_ops import math as math_ops
from backend.tensor import Tensor
from engine.masking import get_keras_mask
from metrics.base_metric import Mean, MeanMetricWrapper, Metric
from saving import serialization_lib

# Strings whose metric depends on the shapes of the targets and predictions.
_ACCURACY_NAMES = ("accuracy", "acc")
_CROSSENTROPY_NAMES = ("crossentropy", "ce")


def _flatten_outputs(structure: Any, output_names: list | None, what: str) -> list:
    """One entry per model output, in output order (dicts are read by name)."""
    if isinstance(structure, dict) and output_names:
        unknown = set(structure) - set(output_names)
        if unknown:
            raise ValueError(
                f"Found unexpected keys {sorted(unknown)} in the {what} dict. "
                f"The model's outputs are named {output_names}."
            )
        return [structure.get(name) for name in output_names]
    if isinstance(structure, (list, tuple)):
        return list(structure)
    return [structure]


def _no_targets(y_true: Any) -> bool:
    """`y` is None, or a structure holding only None."""
    if isinstance(y_true, dict):
        return all(value is None for value in y_true.values())
    if isinstance(y_true, (list, tuple)):
        return all(value is None for value in y_true)
    return y_true is None


def _per_output(config: Any, count: int, output_names: list | None, what: str) -> list:
    """Spread a compile argument over the outputs: one for all, a list, or a dict."""
    if isinstance(config, dict) and output_names:
        return _flatten_outputs(config, output_names, what)
    if isinstance(config, (list, tuple)) and what == "loss":
        if len(config) != count:
            raise ValueError(
                f"When passing a list as `loss`, it should have one entry per "
                f"model output. The model has {count} outputs, but you passed "
                f"loss={config!r}."
            )
        return list(config)
    return [config] * count


class LossesContainer:
    """Computes the total loss over a model's outputs and tracks its mean.

    Args:
        losses: A loss (string, function or `Loss`), a list with one per
            output, or a dict keyed by output name.
        loss_weights: Optional scalar weights of the outputs' losses, as a
            list or a dict keyed by output name.
        output_names: The model's output names (to read dicts).
    """

    def __init__(
        self,
        losses: Any,
        loss_weights: Any = None,
        output_names: list | None = None,
    ):
        self._user_losses = losses
        self._user_loss_weights = loss_weights
        self._output_names = output_names
        self._loss_metric = Mean(name="loss")
        self._per_output_metrics: list = []
        self._losses: list | None = None
        self._loss_weights: list | None = None
        self._built = False

    @property
    def metrics(self) -> list:
        """The `"loss"` mean, then one `"<output>_loss"` mean per output when
        there are several outputs (the mean of the total loss comes first)."""
        if not self._built:
            return []
        return [self._loss_metric] + [m for m in self._per_output_metrics if m]

    def build(self, y_pred: Any) -> None:
        if isinstance(y_pred, dict) and not self._output_names:
            self._output_names = list(y_pred)  # a dict of outputs names them
        flat = _flatten_outputs(y_pred, self._output_names, "outputs")
        count = len(flat)
        names = self._output_names or [f"output_{i + 1}" for i in range(count)]
        losses = _per_output(self._user_losses, count, self._output_names, "loss")
        self._losses = [self._get_loss(loss) for loss in losses]
        weights = self._user_loss_weights
        if weights is None:
            self._loss_weights = [1.0] * count
        else:
            self._loss_weights = [
                1.0 if w is None else float(w)
                for w in _flatten_outputs(weights, self._output_names, "loss_weights")
            ]
            if len(self._loss_weights) != count:
                raise ValueError(
                    f"`loss_weights` has {len(self._loss_weights)} entries but "
                    f"the model has {count} outputs: pass one weight per output."
                )
        if count > 1:
            self._per_output_metrics = [
                Mean(name=f"{name}_loss") if loss is not None else None
                for name, loss in zip(names, self._losses)
            ]
        self._built = True

    @staticmethod
    def _get_loss(loss: Any) -> Any:
        if loss is None:
            return None
        loss = losses_module.get(loss)
        if not isinstance(loss, losses_module.Loss):
            name = getattr(loss, "__name__", None)
            loss = losses_module.LossFunctionWrapper(loss, name=name)
        return loss

    def check_targets(self, y_true: Any) -> None:
        """Refuse missing targets when a compiled loss needs them.

        Called per batch and, for arrays, once up front by `fit`/`evaluate`,
        so `fit(x, epochs=0)` is refused as `fit(x)` is.
        """
        if self._built:
            losses = self._losses
        else:
            losses = [self._get_loss(loss) for loss in nest.flatten(self._user_losses)]
        if not (_no_targets(y_true) and any(loss is not None for loss in losses)):
            return
        # Skipping the compiled loss would train on the regularization
        # terms alone (or fail with a message blaming `compile`).
        names = [getattr(loss, "name", loss) for loss in losses if loss is not None]
        shown = names if len(names) > 1 else names[0]
        raise ValueError(
            f"The model was compiled with loss={shown!r}, "
            "which compares predictions with targets, but the data has no "
            "targets (y=None). Pass `y` (or yield `(x, y)` batches), or "
            "compile with loss=None and use `add_loss`."
        )

    def __call__(
        self,
        y_true: Any,
        y_pred: Any,
        sample_weight: Any = None,
        regularization_losses: list | None = None,
    ) -> Tensor:
        """Return the total loss (a differentiable scalar) and update the metrics.

        The running `"loss"` is weighted by the batch size, so its epoch value
        is the mean over samples even when the last batch is smaller.
        """
        if not self._built:
            self.build(y_pred)
        self.check_targets(y_true)
        y_pred = _flatten_outputs(y_pred, self._output_names, "outputs")
        y_true = _flatten_outputs(y_true, self._output_names, "targets")
        if len(y_true) != len(y_pred):
            raise ValueError(
                f"The model has {len(y_pred)} outputs but received "
                f"{len(y_true)} targets. Pass one target array per output."
            )
        sample_weights = _flatten_outputs(sample_weight, self._output_names, "weights")
        if len(sample_weights) != len(y_pred):
            sample_weights = sample_weights * len(y_pred)
        batch_size = y_pred[0].shape[0] if y_pred[0].ndim else 1
        total = None
        for index, (loss, target, output) in enumerate(
            zip(self._losses, y_true, y_pred)
        ):
            if loss is None or target is None:
                continue
            weight = apply_mask(output, sample_weights[index])
            value = loss(target, output, sample_weight=weight)
            if self._per_output_metrics:
                self._per_output_metrics[index].update_state(
                    value_of(value), sample_weight=batch_size
                )
            weight = self._loss_weights[index]
            if weight != 1.0:
                value = value * weight
            total = value if total is None else total + value
        for regularization in regularization_losses or ():
            total = regularization if total is None else total + regularization
        if total is None:
            raise ValueError(
                "No loss to compute. Provide a `loss` argument in `compile()` "
                "(or add losses in layers with `add_loss`)."
            )
        if total.ndim:
            total = math_ops.sum(total)
        self._loss_metric.update_state(value_of(total), sample_weight=batch_size)
        return total

    def reset_state(self) -> None:
        for metric in self.metrics:
            metric.reset_state()


class MetricsContainer:
    """Updates the compiled metrics of every output, with or without weights.

    Args:
        metrics: Metrics for every output (a list), or per output (a list of
            lists, or a dict keyed by output name).
        weighted_metrics: The same, for metrics that take `sample_weight`.
        output_names: The model's output names (to read dicts and prefix
            metric names when there are several outputs).
        loss: The compiled loss, which decides what `"crossentropy"` means.
    """

    def __init__(
        self,
        metrics: Any = None,
        weighted_metrics: Any = None,
        output_names: list | None = None,
        loss: Any = None,
    ):
        self._user_metrics = metrics
        self._user_weighted_metrics = weighted_metrics
        self._output_names = output_names
        self._loss = loss
        self._metrics: list[list] = []
        self._weighted_metrics: list[list] = []
        self._used_objects: dict[int, str] = {}  # id -> name before prefixing
        self._built = False

    @property
    def metrics(self) -> list:
        """Every metric object, output by output (unweighted, then weighted)."""
        if not self._built:
            return []
        return [
            metric
            for plain, weighted in zip(self._metrics, self._weighted_metrics)
            for metric in plain + weighted
        ]

    def build(self, y_pred: Any, y_true: Any) -> None:
        if isinstance(y_pred, dict) and not self._output_names:
            self._output_names = list(y_pred)  # a dict of outputs names them
        flat_pred = _flatten_outputs(y_pred, self._output_names, "outputs")
        count = len(flat_pred)
        flat_true = _flatten_outputs(y_true, self._output_names, "targets")
        names = self._output_names or [f"output_{i + 1}" for i in range(count)]
        prefix = count > 1
        built = []
        for user in (self._user_metrics, self._user_weighted_metrics):
            per_output = self._spread(user, count)
            built.append(
                [
                    [
                        self._get_metric(
                            m, flat_true[i], flat_pred[i], names[i], prefix
                        )
                        for m in per_output[i]
                    ]
                    for i in range(count)
                ]
            )
        self._metrics, self._weighted_metrics = built
        self._built = True

    def _spread(self, user: Any, count: int) -> list:
        """One list of metric identifiers per output."""
        if user is None:
            return [[] for _ in range(count)]
        if isinstance(user, dict):
            entries = _flatten_outputs(user, self._output_names, "metrics")
            return [
                [] if e is None else (list(e) if isinstance(e, (list, tuple)) else [e])
                for e in entries
            ]
        if not isinstance(user, (list, tuple)):
            user = [user]
        if count > 1 and user and all(isinstance(u, (list, tuple)) for u in user):
            if len(user) != count:
                raise ValueError(
                    f"`metrics` has {len(user)} lists but the model has {count} "
                    "outputs: pass one list of metrics per output."
                )
            return [list(u) for u in user]
        return [list(user) for _ in range(count)]

    def _get_metric(
        self, metric: Any, y_true: Any, y_pred: Any, output: str, prefix: bool
    ) -> Metric:
        if isinstance(metric, Metric):
            # One object given for several outputs: each output gets its own
            # copy, with its own state (the first keeps the original).
            original_name = self._used_objects.get(id(metric))
            if original_name is None:
                obj = metric
                self._used_objects[id(metric)] = metric.name
            else:
                config = {**metric.get_config(), "name": original_name}
                obj = type(metric).from_config(config)
        elif (
            isinstance(metric, str) and metric in _ACCURACY_NAMES + _CROSSENTROPY_NAMES
        ):
            obj = self._shape_dependent_metric(metric, y_true, y_pred)
        else:
            resolved = metrics_module.get(metric)
            if isinstance(resolved, Metric):
                obj = resolved
            else:
                name = metric if isinstance(metric, str) else resolved.__name__
                obj = MeanMetricWrapper(resolved, name=name)
        if prefix and not obj.name.startswith(f"{output}_"):
            obj._name = f"{output}_{obj.name}"
        return obj

    def _shape_dependent_metric(self, name: str, y_true: Any, y_pred: Any) -> Metric:
        """`"accuracy"`/`"crossentropy"` become binary, sparse or categorical.

        Binary when predictions have one unit; sparse when the targets have
        one value per sample while predictions have several; else categorical.
        """
        true_shape = np.shape(y_true)
        pred_shape = np.shape(y_pred)
        is_binary = bool(pred_shape) and pred_shape[-1] == 1
        is_sparse = len(true_shape) < len(pred_shape) or (
            bool(true_shape) and true_shape[-1] == 1 and not is_binary
        )
        if name in _ACCURACY_NAMES:
            if is_binary:
                return metrics_module.BinaryAccuracy(name=name)
            if is_sparse:
                return metrics_module.SparseCategoricalAccuracy(name=name)
            return metrics_module.CategoricalAccuracy(name=name)
        if is_binary:
            fn = losses_module.binary_crossentropy
        elif is_sparse:
            fn = losses_module.sparse_categorical_crossentropy
        else:
            fn = losses_module.categorical_crossentropy
        return MeanMetricWrapper(fn, name=name)

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        if not self._built:
            self.build(y_pred, y_true)
        flat_pred = _flatten_outputs(y_pred, self._output_names, "outputs")
        flat_true = _flatten_outputs(y_true, self._output_names, "targets")
        weights = _flatten_outputs(sample_weight, self._output_names, "weights")
        if len(weights) != len(flat_pred):
            weights = weights * len(flat_pred)
        for index, (target, output) in enumerate(zip(flat_true, flat_pred)):
            if target is None:
                continue
            mask = apply_mask(output, None)  # masked steps count for no metric
            for metric in self._metrics[index]:
                metric.update_state(target, output, sample_weight=mask)
            weight = apply_mask(output, weights[index])
            for metric in self._weighted_metrics[index]:
                metric.update_state(target, output, sample_weight=weight)

    def reset_state(self) -> None:
        for metric in self.metrics:
            metric.reset_state()


def apply_mask(y_pred: Any, sample_weight: Any) -> Any:
    """Fold the mask an output carries (`_keras_mask`) into its sample weights.

    As tf.keras 2.x's containers do: a masked step gets weight 0, so padding
    counts for neither the loss nor the metrics. A mask must cover the
    output's leading axes, `(batch, timesteps)` for `(batch, timesteps, units)`.
    """
    mask = get_keras_mask(y_pred)
    if mask is None:
        return sample_weight
    mask = np.asarray(getattr(mask, "_value", mask))
    if mask.shape != tuple(y_pred.shape[: mask.ndim]):
        raise ValueError(
            f"The mask of a model output has shape {mask.shape}, which does not "
            f"match the output's leading axes: output shape {tuple(y_pred.shape)}. "
            "A mask is (batch, timesteps) for (batch, timesteps, features) "
            "outputs; check the layer that computes it (`compute_mask`)."
        )
    mask = mask.astype(y_pred.dtype)
    if sample_weight is None:
        return mask
    weight = np.asarray(getattr(sample_weight, "_value", sample_weight))
    weight = weight.reshape(weight.shape + (1,) * (mask.ndim - weight.ndim))
    return mask * weight


def serialize_compile_arg(value: Any) -> Any:
    """A `compile` argument (nested lists/dicts of losses or metrics) as JSON data.

    Strings and numbers stay; `Loss` and `Metric` objects and functions become
    Keras 3's serialized dicts (a custom function by its registered name).
    """
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, dict):
        return {key: serialize_compile_arg(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [serialize_compile_arg(item) for item in value]
    if isinstance(value, Metric):
        return metrics_module.serialize(value)
    if isinstance(value, losses_module.Loss):
        return losses_module.serialize(value)
    if getattr(value, "__name__", None) is None:
        raise ValueError(
            f"Cannot serialize the compile argument {value!r}: expected a name, a "
            "`Loss`, a `Metric` or a function."
        )
    return serialization_lib.serialize_keras_object(value)


def deserialize_compile_arg(value: Any, kind: str) -> Any:
    """The inverse of `serialize_compile_arg`; `kind` is "loss" or "metric".

    Names stay names (`compile` resolves them); config dicts become objects.
    """
    if isinstance(value, dict) and "class_name" in value:
        module = losses_module if kind == "loss" else metrics_module
        return module.deserialize(value)
    if isinstance(value, dict):
        return {key: deserialize_compile_arg(item, kind) for key, item in value.items()}
    if isinstance(value, list):
        return [deserialize_compile_arg(item, kind) for item in value]
    return value
