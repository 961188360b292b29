"""`InputSpec`: what a layer accepts (rank, dtype, axis sizes), checked on each call.

Mirrors: keras/engine/input_spec.py (tf.keras 2.6), keras/src/layers/input_spec.py
(Keras 3)

A layer sets `self.input_spec` (often in `build`, once it knows the size of
the last axis) and `Layer.__call__` checks every input against it before
calling `call`. The check is a few integer comparisons, so it is cheap enough
to run on every call, and it turns a shape mistake into an error that names
the layer instead of a numpy traceback deep inside `call`.
"""

from typing import Any

from api_export import export
from backend import nest


@export("nanokeras.layers.InputSpec", "nanokeras.InputSpec")
class InputSpec:
    """Describes the rank, dtype and axis sizes a layer expects of one input.

    Args:
        dtype: Expected dtype, or None for any.
        shape: Expected full shape, `None` entries matching any size.
        ndim: Expected rank.
        max_ndim: Largest rank accepted.
        min_ndim: Smallest rank accepted.
        axes: Dict `{axis: size}` of axes whose size is fixed, for example
            `{-1: 5}` for a `Dense` layer built on 5 features.
        allow_last_axis_squeeze: Accept a last axis of size 1 less or more
            than `ndim` / `shape` say.
        name: The input's name (used to match dict inputs).
        optional: Whether the input may be None.

    Example:

    >>> spec = InputSpec(ndim=2, axes={-1: 5})
    >>> spec
    InputSpec(ndim=2, axes={-1: 5})
    """

    def __init__(
        self,
        dtype: Any = None,
        shape: tuple | None = None,
        ndim: int | None = None,
        max_ndim: int | None = None,
        min_ndim: int | None = None,
        axes: dict | None = None,
        allow_last_axis_squeeze: bool = False,
        name: str | None = None,
        optional: bool = False,
    ):
        self.dtype = dtype
        self.shape = None if shape is None else tuple(shape)
        self.ndim = len(self.shape) if self.shape is not None else ndim
        self.max_ndim, self.min_ndim = max_ndim, min_ndim
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        self.name, self.optional = name, optional
        self.axes = {int(axis): value for axis, value in (axes or {}).items()}
        if self.axes and self.ndim is not None:
            largest = max(self.axes)
            if largest >= self.ndim:
                raise ValueError(
                    f"Axis {largest} is greater than the dimensionality of "
                    f"the input ({self.ndim}) in InputSpec({self._fields()})."
                )

    def _fields(self) -> str:
        fields = (
            ("dtype", self.dtype),
            ("shape", self.shape),
            ("ndim", self.ndim),
            ("max_ndim", self.max_ndim),
            ("min_ndim", self.min_ndim),
            ("axes", self.axes or None),
        )
        return ", ".join(f"{key}={value}" for key, value in fields if value)

    def __repr__(self) -> str:
        return f"InputSpec({self._fields()})"

    def get_config(self) -> dict:
        """The spec's constraints as a dictionary, for saving."""
        return {
            "dtype": self.dtype,
            "shape": self.shape,
            "ndim": self.ndim,
            "max_ndim": self.max_ndim,
            "min_ndim": self.min_ndim,
            "axes": self.axes,
        }

    @classmethod
    def from_config(cls, config: dict) -> "InputSpec":
        """Rebuild a spec from the dictionary `get_config` returned."""
        return cls(**config)


def assert_input_compatibility(input_spec: Any, inputs: Any, layer_name: str) -> None:
    """Raise a ValueError naming the layer if `inputs` does not match `input_spec`.

    Args:
        input_spec: An `InputSpec`, a list of them (one per input), or None.
        inputs: The first argument the layer was called with: a tensor (or
            `KerasTensor`), or a list/dict of them.
        layer_name: The layer's name, for the message.
    """
    if not input_spec:
        return
    if type(input_spec) is InputSpec and hasattr(inputs, "shape"):
        _check_one(0, inputs, input_spec, layer_name)  # the common case
        return
    specs = input_spec if isinstance(input_spec, (list, tuple)) else (input_spec,)
    if isinstance(inputs, dict) and all(spec.name for spec in specs):
        missing = [spec.name for spec in specs if spec.name not in inputs]
        if missing:
            raise ValueError(
                f'Missing data for input "{missing[0]}" of layer "{layer_name}". '
                f"You passed a dict with keys {list(inputs)}; expected the keys "
                f"{[spec.name for spec in specs]}."
            )
        inputs = [inputs[spec.name] for spec in specs]
    flat = nest.flatten(inputs) if nest.is_nested(inputs) else (inputs,)
    if len(flat) != len(specs):
        raise ValueError(
            f'Layer "{layer_name}" expects {len(specs)} input(s), but it '
            f"received {len(flat)} input tensors. Inputs received: {inputs}"
        )
    for index, (x, spec) in enumerate(zip(flat, specs)):
        if spec is None or (x is None and spec.optional):
            continue
        if not hasattr(x, "shape"):
            raise ValueError(
                f"Inputs to a layer should be tensors. Got '{x}' (of type "
                f"{type(x).__name__}) as input {index} of layer '{layer_name}'."
            )
        _check_one(index, x, spec, layer_name)


def _incompatible(index: int, layer: str, detail: str) -> ValueError:
    return ValueError(
        f'Input {index} of layer "{layer}" is incompatible with the layer: {detail}'
    )


def _check_one(index: int, x: Any, spec: InputSpec, layer: str) -> None:
    shape = tuple(x.shape)
    ndim = len(shape)

    if spec.ndim is not None and not spec.allow_last_axis_squeeze:
        if ndim != spec.ndim:
            raise _incompatible(
                index,
                layer,
                f"expected ndim={spec.ndim}, found ndim={ndim}. "
                f"Full shape received: {shape}",
            )
    if spec.max_ndim is not None and ndim > spec.max_ndim:
        raise _incompatible(
            index,
            layer,
            f"expected max_ndim={spec.max_ndim}, found ndim={ndim}. "
            f"Full shape received: {shape}",
        )
    if spec.min_ndim is not None and ndim < spec.min_ndim:
        raise _incompatible(
            index,
            layer,
            f"expected min_ndim={spec.min_ndim}, found ndim={ndim}. "
            f"Full shape received: {shape}",
        )
    if spec.dtype is not None and str(x.dtype) != str(spec.dtype):
        raise _incompatible(
            index, layer, f"expected dtype={spec.dtype}, found dtype={x.dtype}"
        )
    for axis, value in spec.axes.items():
        if value is None:
            continue
        if not -ndim <= axis < ndim or shape[axis] not in (value, None):
            raise _incompatible(
                index,
                layer,
                f"expected axis {axis} of input shape to have value "
                f"{value}, but received input with shape {shape}",
            )
    if spec.shape is not None:
        spec_shape = spec.shape
        if spec.allow_last_axis_squeeze:
            shape = shape[:-1] if shape and shape[-1] == 1 else shape
            spec_shape = (
                spec_shape[:-1] if spec_shape and spec_shape[-1] == 1 else spec_shape
            )
        for expected, received in zip(spec_shape, shape):
            if expected is not None and received is not None and expected != received:
                raise _incompatible(
                    index, layer, f"expected shape={spec.shape}, found shape={shape}"
                )
