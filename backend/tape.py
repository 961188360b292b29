"""`GradientTape`: record ops while they run, then differentiate in reverse.

Mirrors: tensorflow/python/eager/backprop.py (tf.GradientTape; stand-in, not
Keras code)

How it works, in three steps:

1. Every differentiable op computes its output with numpy and then calls
   `record(output, (input, vjp), ...)`. A `vjp` ("vector-Jacobian product") is
   a small function that, given the gradient of the loss with respect to the
   op's output, returns the gradient with respect to that one input.
2. Each active tape keeps the record if one of the op's inputs is *tracked*:
   a watched tensor, a trainable variable, or the output of an op it kept.
   Everything else (data flowing through untracked paths) costs nothing.
3. `gradient()` walks the kept records backwards and calls the vjps.

Simplified: first-order gradients only. The vjps compute in numpy, not with
recorded ops, so a gradient cannot be differentiated again. Where TensorFlow
would give a second derivative (a tape watching an inner tape's `gradient()`),
the outer `gradient()` raises `NotImplementedError` instead of a silent None.
"""

from typing import Any, Callable

import numpy as np

from api_export import export
from backend import nest
from backend.tensor import Tensor, TensorLike
from backend.variables import Variable

# The tapes inside whose `with` block we are, innermost last.
_active_tapes: list["GradientTape"] = []


def record(value: np.ndarray, *parents: tuple[Any, Callable]) -> Tensor:
    """Wrap an op's output in a `Tensor` and let every active tape record it.

    Args:
        value: The op's output, a fresh array nobody else writes to.
        *parents: One `(input, vjp)` pair per differentiable input, where
            `vjp(output_gradient)` returns the gradient for that input.
    """
    output = Tensor._from_array(value)
    for tape in _active_tapes:
        tape._record(output, parents)
    return output


@export("nanokeras.GradientTape")
class GradientTape:
    """Records the ops run inside its `with` block, to compute gradients later.

    Stand-in for `tf.GradientTape`. Trainable variables read by an op are
    watched automatically; other tensors need `tape.watch(tensor)`.

    Args:
        persistent: Allow more than one call to `gradient()`. A non-persistent
            tape frees its records after the first call.
        watch_accessed_variables: Watch every trainable variable an op reads.
            Set to False to watch only what you pass to `watch()`.

    Example:

    >>> w = Variable([1.0, 2.0])
    >>> with GradientTape() as tape:
    ...     loss = ops.sum(w * w)
    >>> tape.gradient(loss, w)  # d(sum w^2)/dw = 2w
    <Tensor: shape=(2,), dtype=float32, numpy=array([2., 4.], dtype=float32)>
    """

    def __init__(self, persistent: bool = False, watch_accessed_variables: bool = True):
        self._persistent = persistent
        self._watch_accessed_variables = watch_accessed_variables
        self._recording = False
        self._used = False
        self.reset()

    def reset(self) -> None:
        """Forget everything recorded so far."""
        self._records: list[tuple[Tensor, tuple]] = []
        # id -> object: holding the object keeps its id from being reused.
        self._tracked: dict[int, TensorLike] = {}
        # id -> (variable, version when first read), to catch later overwrites.
        self._variable_versions: dict[int, tuple[Variable, int]] = {}

    def __enter__(self) -> "GradientTape":
        _active_tapes.append(self)
        self._recording = True
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop()

    def _stop(self) -> None:
        if self._recording:
            _active_tapes.remove(self)
            self._recording = False

    def watch(self, tensor: Any) -> None:
        """Track `tensor` (or a nested structure of them) so it can be a source."""
        for leaf in nest.flatten(tensor):
            if not isinstance(leaf, TensorLike):
                raise TypeError(
                    f"GradientTape.watch() takes Tensors or Variables, got "
                    f"{type(leaf).__name__}. Convert it first with "
                    "`nanokeras.ops.convert_to_tensor(value)`."
                )
            self._track(leaf)

    def watched_variables(self) -> tuple:
        """The variables this tape has watched, in the order it first saw them."""
        return tuple(v for v, _ in self._variable_versions.values())

    def stop_recording(self) -> "_Paused":
        """A context manager inside which this tape records nothing."""
        return _Paused(self)

    def _track(self, value: TensorLike) -> None:
        self._tracked[id(value)] = value
        if isinstance(value, Variable) and id(value) not in self._variable_versions:
            self._variable_versions[id(value)] = (value, value._version)

    def _is_tracked(self, value: Any) -> bool:
        if id(value) in self._tracked:
            return True
        if (
            self._watch_accessed_variables
            and isinstance(value, Variable)
            and value.trainable
        ):
            self._track(value)
            return True
        return False

    def _record(self, output: Tensor, parents: tuple) -> None:
        # Runs once per op. Inside a model most inputs are outputs of earlier
        # recorded ops, so one dict lookup settles them before `_is_tracked`.
        tracked = self._tracked
        kept = [p for p in parents if id(p[0]) in tracked or self._is_tracked(p[0])]
        if kept:
            self._tracked[id(output)] = output
            self._records.append((output, kept))

    def gradient(
        self,
        target: Any,
        sources: Any,
        output_gradients: Any = None,
        unconnected_gradients: str = "none",
    ) -> Any:
        """Return d(target)/d(source) for each source, in the sources' structure.

        Args:
            target: A tensor, or a nested structure of tensors whose gradients
                are summed (as if differentiating their sum).
            sources: A variable or tensor, or a nested list/dict of them.
            output_gradients: Optional gradients to start from, one per
                target; defaults to ones (so a non-scalar target is summed).
            unconnected_gradients: What a source that `target` does not depend
                on gets: `"none"` (TensorFlow's default) or `"zero"`.

        Returns:
            Gradients as `Tensor`s (or `None`), nested like `sources`.
        """
        if unconnected_gradients not in ("none", "zero"):
            raise ValueError(
                "`unconnected_gradients` must be 'none' or 'zero', got "
                f"{unconnected_gradients!r}."
            )
        if self._used and not self._persistent:
            raise RuntimeError(
                "This GradientTape has already computed gradients once and is "
                "not persistent. Create it with `GradientTape(persistent=True)` "
                "to call `gradient()` more than once."
            )
        self._check_variables_unchanged()
        targets = nest.flatten(target)
        seeds = nest.flatten(output_gradients) if output_gradients is not None else None
        flat_sources = nest.flatten(sources)
        for source in flat_sources:
            if not isinstance(source, TensorLike):
                raise TypeError(
                    "GradientTape.gradient() sources must be Tensors or "
                    f"Variables, got {type(source).__name__}."
                )

        grads: dict[int, np.ndarray] = {}
        for index, tensor in enumerate(targets):
            seed = (
                np.ones_like(tensor._value)
                if seeds is None
                else np.array(seeds[index], dtype=tensor._value.dtype)
            )
            _accumulate(grads, id(tensor), seed)
        keep = {id(source) for source in flat_sources}
        self._backpropagate(grads, keep)

        if not self._persistent:
            self._used = True
            # Free the records and the arrays their vjps hold; keep the list
            # of watched variables, which `watched_variables()` still reports.
            self._records, self._tracked = [], {}

        def result(source: TensorLike) -> Tensor | None:
            grad = grads.get(id(source))
            if grad is None:
                if unconnected_gradients == "none":
                    return None
                grad = np.zeros_like(source._value)
            return Tensor._from_array(np.asarray(grad, dtype=source._value.dtype))

        gradients = [result(source) for source in flat_sources]
        self._mark_as_constants(gradients, flat_sources, targets)
        return nest.pack_sequence_as(sources, gradients)

    def _mark_as_constants(self, gradients: list, sources: list, targets: list) -> None:
        """Make a recording tape refuse to differentiate these gradients.

        The vjps compute in plain numpy, so no tape sees how a gradient was
        made: to a tape around this one (or this persistent tape, still
        recording) it would be an unconnected constant, and a second
        derivative would come back as a silent None. Each gradient is
        recorded there instead with a vjp that raises, so the mistake
        surfaces in the `gradient()` call that needs it.
        """
        tapes = [t for t in _active_tapes if t is not self or self._persistent]
        if not tapes:
            return

        def refuse(_):
            raise NotImplementedError(
                "GradientTape: second-order gradients are not supported. The "
                "target depends on a gradient computed by another "
                "`GradientTape.gradient()` call (nested tapes, or a "
                "persistent tape differentiating its own gradients); nanokeras "
                "computes gradients in numpy, outside any tape, so it cannot "
                "differentiate them again. Compute the second derivative "
                "analytically or by finite differences."
            )

        for tape in tapes:
            for gradient, source in zip(gradients, sources):
                if gradient is not None:
                    tape._record(gradient, [(x, refuse) for x in (source, *targets)])

    def _backpropagate(self, grads: dict[int, np.ndarray], keep: set[int]) -> None:
        """Push gradients from outputs to inputs, newest record first.

        Why backwards in recording order? A tensor's gradient is the sum of
        the contributions from *every* op that consumed it, so it is complete
        only once all of its consumers have been processed. An op can only
        consume tensors that already existed when it ran, so every consumer of
        a tensor was recorded after the op that produced it. Walking the
        records from last to first therefore reaches each op only after all of
        its consumers: the recording order is already a topological order of
        the graph, and reversing it is exactly the order backpropagation needs.
        """
        for output, parents in reversed(self._records):
            key = id(output)
            grad = grads.get(key)
            if grad is None:
                continue  # the target does not depend on this op's output
            if key not in keep:
                del grads[key]  # no longer needed: free it early
            for parent, vjp in parents:
                _accumulate(grads, id(parent), vjp(grad))

    def _check_variables_unchanged(self) -> None:
        for variable, version in self._variable_versions.values():
            if variable._version != version:
                raise RuntimeError(
                    f"Variable '{variable.name}' was modified (by assign, "
                    "assign_add or assign_sub) after this tape recorded an op "
                    "that read it, so the recorded gradients would be wrong. "
                    "Compute gradients before updating the variables."
                )


def _accumulate(grads: dict[int, np.ndarray], key: int, grad: np.ndarray) -> None:
    """Add `grad` to the gradient stored under `key` (never in place: vjps may
    return arrays that other gradients share)."""
    previous = grads.get(key)
    grads[key] = grad if previous is None else previous + grad


class _Paused:
    """Context manager behind `GradientTape.stop_recording()`."""

    def __init__(self, tape: GradientTape):
        self._tape = tape

    def __enter__(self) -> None:
        if not self._tape._recording:
            raise ValueError("stop_recording() needs a tape that is recording.")
        self._tape._stop()

    def __exit__(self, *exc_info) -> None:
        _active_tapes.append(self._tape)
        self._tape._recording = True
