"""`Optimizer`: turns gradients into in-place updates of the variables.

Mirrors: keras/optimizer_v2/optimizer_v2.py (tf.keras 2.6),
keras/src/optimizers/optimizer.py + base_optimizer.py (Keras 3)

The path of one training step through this file:

    minimize(loss, var_list, tape)      # tf.keras 2.x entry point
      -> tape.gradient(loss, var_list)
      -> apply_gradients(zip(grads, var_list))
           -> build(var_list)           # once: create the slots (moments, ...)
           -> skip None gradients, clip, apply weight decay
           -> per variable, through strategy.extended.update:
                update_step(gradient, variable, learning_rate)
                variable.constraint
           -> iterations += 1

`update_step` is what each optimizer file defines (tf.keras 2.x called it
`_resource_apply_dense`). The state it reads and writes (`iterations`, the
learning rate, the slots) is kept by `BaseOptimizer` in `base_optimizer.py`.

Every write to a trained variable (the decay, the update, the constraint)
goes through the current distribution strategy's `extended.update(variable,
fn)`, as tf.keras 2.x's `_distributed_apply` and Keras 3's TensorFlow
optimizer do: a strategy that keeps a copy of each variable per device runs
`fn` on every copy. The default strategy (`distribute/distribute_lib.py`)
calls `fn` once.

Speed: the updates are the optimizer's whole cost, so they run in place on the
variables' own arrays (`np.multiply(..., out=...)`) with one preallocated
scratch buffer per variable: no array is allocated per step. Moments of
parameters whose gradient stays exactly zero decay toward 0 and would become
subnormal floats, on which the CPU is many times slower; they are flushed to
zero every `_FLUSH_EVERY` steps.

Simplified: no EMA of the weights and no gradient accumulation (`use_ema=True`
or `gradient_accumulation_steps` raise); gradients are dense.
"""

import re
import warnings
from typing import Any, Iterable

import numpy as np

from api_export import export
from backend.ops.core import value_of
from backend.tape import GradientTape
from backend.variables import Variable
from distribute import distribute_lib
from optimizers.base_optimizer import BaseOptimizer

# How often slots are swept for subnormal values (see the module docstring).
_FLUSH_EVERY = 64


@export("nanokeras.optimizers.Optimizer", "nanokeras.Optimizer")
class Optimizer(BaseOptimizer):
    """Adds the training step to `BaseOptimizer`: clipping, weight decay, updates.

    Subclasses create their slots in `build(var_list)` and implement
    `update_step(gradient, variable, learning_rate)`, which changes one
    variable in place.

    Args:
        learning_rate: A float, a `LearningRateSchedule`, or a callable
            returning a float.
        weight_decay: If set, each step first shrinks every variable by
            `variable * weight_decay * learning_rate` (decoupled weight decay).
        clipnorm: If set, each gradient is rescaled so its L2 norm is at most
            this value.
        clipvalue: If set, each gradient is clipped to `[-clipvalue, clipvalue]`.
        global_clipnorm: If set, all gradients are rescaled together so their
            joint L2 norm is at most this value.
        use_ema: Not supported (must be False); kept for Keras's signature.
        ema_momentum: Unused (kept for Keras's signature).
        ema_overwrite_frequency: Unused (kept for Keras's signature).
        loss_scale_factor: If set, gradients are divided by it before use.
        gradient_accumulation_steps: Not supported (must be None).
        name: The optimizer's name, the scope of its variables' names.
    """

    # --- Applying gradients ---

    def minimize(self, loss: Any, var_list: Any, tape: GradientTape | None = None):
        """Compute the gradients of `loss` and apply them (tf.keras 2.x).

        Args:
            loss: A scalar tensor recorded by `tape`, or a callable with no
                arguments returning the loss (it is then run under a new tape).
            var_list: The variables to update, or a callable returning them.
            tape: The `GradientTape` that recorded `loss` (needed when `loss`
                is a tensor).

        Returns:
            The `iterations` variable.
        """
        if callable(loss):
            with GradientTape() as tape:
                loss = loss()
        elif tape is None:
            raise ValueError(
                f"{type(self).__name__}.minimize: `tape` is required when `loss` is a "
                "tensor. Pass the GradientTape that recorded it, or pass `loss` as "
                "a callable."
            )
        if callable(var_list):
            var_list = var_list()
        var_list = list(var_list)
        grads = tape.gradient(loss, var_list)
        return self.apply_gradients(zip(grads, var_list))

    def apply_gradients(self, grads_and_vars: Iterable) -> Variable:
        """Apply `(gradient, variable)` pairs; returns `iterations`."""
        pairs = list(grads_and_vars)
        if not pairs:
            return self._iterations
        grads, variables = zip(*pairs)
        self.apply(list(grads), list(variables))
        return self._iterations

    def apply(self, grads: list, trainable_variables: list | None = None) -> None:
        """Apply `grads` to `trainable_variables` (default: the built ones)."""
        if len(grads) == 0:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must "
                    "already be built. Call `optimizer.build(trainable_variables)` "
                    "first."
                )
            trainable_variables = self._trainable_variables
        else:
            trainable_variables = list(trainable_variables)
            if not self.built:
                self.build(trainable_variables)
            self._check_variables_are_known(trainable_variables)
        grads, trainable_variables = self._filter_empty_gradients(
            grads, trainable_variables
        )
        arrays = [np.asarray(value_of(g)) for g in grads]
        if self.loss_scale_factor is not None:
            arrays = [g / self.loss_scale_factor for g in arrays]
        arrays = self._clip_gradients(arrays)
        learning_rate = self._current_learning_rate()
        self._apply_weight_decay(trainable_variables, learning_rate)
        self._backend_update_step(arrays, trainable_variables, learning_rate)
        self._iterations.assign_add(1)
        if int(self._iterations) % _FLUSH_EVERY == 0:
            self._flush_subnormal_slots()

    def _backend_update_step(
        self, grads: list, trainable_variables: list, learning_rate: float
    ) -> None:
        update = distribute_lib.get_strategy().extended.update
        for grad, variable in zip(grads, trainable_variables):
            dtype = value_of(variable).dtype  # numpy's, not the dtype's name
            if grad.dtype != dtype:
                grad = grad.astype(dtype)
            update(variable, self._apply_to_variable, args=(grad, learning_rate))

    def _apply_to_variable(
        self, variable: Variable, gradient: np.ndarray, learning_rate: float
    ) -> None:
        """One variable's step where it lives: the rule, then its constraint."""
        self.update_step(gradient, variable, learning_rate)
        if variable.constraint is not None:
            variable.assign(variable.constraint(variable))

    def update_step(
        self, gradient: np.ndarray, variable: Variable, learning_rate: float
    ):
        """Update one variable in place (tf.keras 2.x: `_resource_apply_dense`).

        Args:
            gradient: The (clipped) gradient, a read-only numpy array.
            variable: The variable to change, through `assign*` or
                `variable.array_for_update()`.
            learning_rate: This step's learning rate, a float.
        """
        raise NotImplementedError(
            f"{type(self).__name__} must implement `update_step`."
        )

    def _check_variables_are_known(self, variables: list) -> None:
        for variable in variables:
            if id(variable) not in self._trainable_variables_indices:
                raise ValueError(
                    f"Unknown variable: '{variable.name}'. {type(self).__name__} can "
                    "only be called for the variables it was originally built with. "
                    "When working with a new set of variables, create a new optimizer "
                    "instance."
                )

    def _filter_empty_gradients(self, grads: list, variables: list) -> tuple:
        kept = [(g, v) for g, v in zip(grads, variables) if g is not None]
        if not kept:
            raise ValueError(
                "No gradients provided for any variable. Check that the loss depends "
                "on the variables (and that the tape recorded the forward pass)."
            )
        if len(kept) < len(grads):
            missing = [v.name for g, v in zip(grads, variables) if g is None]
            warnings.warn(
                f"Gradients do not exist for variables {missing} when minimizing the "
                "loss. If using `model.compile()`, did you forget to provide a "
                "`loss` argument?",
                stacklevel=3,
            )
        grads, variables = zip(*kept)
        return list(grads), list(variables)

    def _clip_gradients(self, grads: list) -> list:
        if self.clipnorm and self.clipnorm > 0:
            return [_clip_by_norm(g, self.clipnorm) for g in grads]
        if self.global_clipnorm and self.global_clipnorm > 0:
            norm = np.sqrt(sum(float(np.sum(np.square(g))) for g in grads))
            scale = self.global_clipnorm * min(1.0 / norm, 1.0 / self.global_clipnorm)
            return [g * np.asarray(scale, dtype=g.dtype) for g in grads]
        if self.clipvalue and self.clipvalue > 0:
            return [np.clip(g, -self.clipvalue, self.clipvalue) for g in grads]
        return grads

    # --- Weight decay ---

    def exclude_from_weight_decay(
        self, var_list: list | None = None, var_names: list | None = None
    ) -> None:
        """Leave these variables (or those whose name matches `var_names`) undecayed."""
        if self.built:
            raise ValueError(
                "`exclude_from_weight_decay()` can only be configured before the "
                "optimizer is built."
            )
        self._exclude_from_weight_decay = {id(v) for v in var_list or ()}
        self._exclude_from_weight_decay_pattern = (
            re.compile("|".join(set(var_names))) if var_names else None
        )

    def _use_weight_decay(self, variable: Variable) -> bool:
        if id(variable) in self._exclude_from_weight_decay:
            return False
        pattern = self._exclude_from_weight_decay_pattern
        return pattern is None or pattern.search(variable.name) is None

    def _apply_weight_decay(self, variables: list, learning_rate: float) -> None:
        if self.weight_decay is None:
            return
        shrink = 1.0 - learning_rate * self.weight_decay
        update = distribute_lib.get_strategy().extended.update
        for variable in variables:
            if self._use_weight_decay(variable):
                update(variable, _scale_in_place, args=(shrink,))

    def _flush_subnormal_slots(self) -> None:
        tiny = {}
        for slots in self._slots.values():
            for slot in slots.values():
                array = slot.array_for_update()
                if array.dtype.kind != "f":
                    continue
                limit = tiny.setdefault(array.dtype, np.finfo(array.dtype).tiny)
                np.putmask(array, np.abs(array) < limit, 0)


def _scale_in_place(variable: Variable, factor: float) -> None:
    array = variable.array_for_update()
    np.multiply(array, factor, out=array)


def _clip_by_norm(grad: np.ndarray, clipnorm: float) -> np.ndarray:
    """Rescale `grad` so its L2 norm is at most `clipnorm`."""
    norm = np.sqrt(np.sum(np.square(grad)))
    return grad * clipnorm / np.maximum(norm, clipnorm)
