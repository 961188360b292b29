"""Checks of user arguments, made once where a call enters the library.

Mirrors: keras/utils/conv_utils.py (tf.keras 2.6),
keras/src/utils/argument_validation.py (Keras 3)

Two families live here. Layers accept `kernel_size=3` or `kernel_size=(3, 3)`;
the window helpers turn either into a tuple once, in `__init__`, and reject bad
values there with a message naming the layer. The training helpers check what
`fit`, `evaluate`, `predict` and the `*_on_batch` methods receive before any
batch runs: counts are positive integers, fractions lie in range, data arrays
are numeric and non-empty, weights have the right shapes and keys. A mistake
is refused with the argument's name and value, never turned into a plausible
number (`batch_size=-1` used to "evaluate" zero batches and report zeros).
Keras 3 checks few of these; where it has a message, ours keeps its wording.
"""

from typing import Any

import numpy as np

from backend import nest


def standardize_tuple(
    value: Any, n: int, name: str, layer: str, allow_zero: bool = False
) -> tuple[int, ...]:
    """An int or an iterable of `n` ints -> a tuple of `n` ints.

    Args:
        value: The argument as given (`3`, `(3, 3)`, `[2, 1]`).
        n: How many ints are needed (the number of spatial axes).
        name: The argument's name, for the message (`"kernel_size"`).
        layer: The layer's class name, for the message.
        allow_zero: Accept 0 (Keras allows it for `output_padding`).

    Returns:
        A tuple of `n` ints, all positive (or non-negative with `allow_zero`).
    """
    is_int = isinstance(value, (int, np.integer)) and not isinstance(value, bool)
    values = (value,) * n if is_int else value
    try:
        values = tuple(values)
        ok = len(values) == n and all(
            isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in values
        )
    except TypeError:
        ok = False
    if ok and all(v > 0 or (allow_zero and v == 0) for v in values):
        return tuple(int(v) for v in values)
    kind = "non-negative" if allow_zero else "positive"
    raise ValueError(
        f"Layer {layer} expects `{name}` to be an int or a tuple of {n} "
        f"{kind} ints. Received: {name}={value!r}."
    )


def standardize_padding(value: Any, layer: str, allow_causal: bool = False) -> str:
    """`"valid"` or `"same"` (or `"causal"` for 1D convolutions), lower case."""
    allowed = ("valid", "same", "causal") if allow_causal else ("valid", "same")
    if isinstance(value, str) and value.lower() in allowed:
        return value.lower()
    raise ValueError(
        f"Layer {layer} expects `padding` to be one of {allowed}. "
        f"Received: padding={value!r}."
    )


def standardize_data_format(value: Any, layer: str) -> str:
    """`"channels_last"` for None or `"channels_last"`; anything else raises.

    nanokeras computes windows on channels_last arrays only, so a
    `"channels_first"` layer is refused when it is created, not when called.
    """
    if value is None or value == "channels_last":
        return "channels_last"
    if value == "channels_first":
        raise ValueError(
            f"Layer {layer} only supports data_format='channels_last' in "
            "nanokeras (there are no channels_first kernels). Received: "
            "data_format='channels_first'. Transpose your inputs to "
            "(batch, ..., channels) and use data_format='channels_last'."
        )
    raise ValueError(
        f"Layer {layer} expects `data_format` to be 'channels_last' (or None). "
        f"Received: data_format={value!r}."
    )


def refuse_unsupported(owner: str, **arguments: Any) -> None:
    """Refuse Keras arguments that nanokeras accepts only at their default.

    Keras signatures are kept whole (so Keras code runs unchanged), but some
    features are left out: LoRA, float8, `renorm`, EMA of the weights, ...
    Each such argument is passed here by name; any value other than its
    default (None, False or 0) is refused with one message naming `owner`.
    """
    for name, value in arguments.items():
        if value is not None and value is not False and not _is_zero(value):
            raise NotImplementedError(
                f"{owner}: `{name}` is not supported by nanokeras. Received: "
                f"{name}={value!r}. Leave it at its default."
            )


def _is_zero(value: Any) -> bool:
    return (
        isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0
    )


def check_positive_count(value: Any, name: str, layer: str) -> int:
    """A strictly positive int (`filters`, `depth_multiplier`, `groups`)."""
    is_int = isinstance(value, (int, np.integer)) and not isinstance(value, bool)
    if not is_int or value <= 0:
        raise ValueError(
            f"Invalid value for argument `{name}` of layer {layer}. Expected a "
            f"strictly positive integer. Received {name}={value!r}."
        )
    return int(value)


def check_non_negative(value: Any, name: str, owner: str) -> None:
    """A number that is neither None nor negative (`ReLU`'s `threshold`, ...).

    `owner` names what takes the argument in the message, for example
    `"the ReLU layer 're_lu'"`.
    """
    if value is None or value < 0:
        raise ValueError(
            f"`{name}` of {owner} cannot be None or negative. Received: {name}={value}"
        )


def standardize_window(
    kernel_size: Any, strides: Any, dilation_rate: Any, rank: int, layer: str
) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """A convolution's `kernel_size`, `strides` and `dilation_rate`, each as a
    tuple of `rank` positive ints.

    Keras refuses `strides > 1` together with `dilation_rate > 1`, and so
    does this check.
    """
    kernel_size = standardize_tuple(kernel_size, rank, "kernel_size", layer)
    strides = standardize_tuple(strides, rank, "strides", layer)
    dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate", layer)
    if max(strides) > 1 and max(dilation_rate) > 1:
        raise ValueError(
            f"Layer {layer}: `strides > 1` is not supported together with "
            f"`dilation_rate > 1`. Received: strides={strides} and "
            f"dilation_rate={dilation_rate}. Set one of them to 1."
        )
    return kernel_size, strides, dilation_rate


# --- The training API: fit / evaluate / predict / *_on_batch ---


def _is_int(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def check_count(
    value: Any, name: str, method: str, allow_none: bool = True, minimum: int = 1
) -> None:
    """`batch_size`, `steps`, `epochs`...: an int >= `minimum` (or None)."""
    if value is None and allow_none:
        return
    if not _is_int(value) or value < minimum:
        kind = "a strictly positive" if minimum == 1 else "a non-negative"
        optional = " (or None)" if allow_none else ""
        raise ValueError(
            f"Invalid value for argument `{name}` of `{method}`. Expected "
            f"{kind} integer{optional}. Received: {name}={value!r}"
            + (f" of type {type(value).__name__}." if not _is_int(value) else ".")
        )


def check_fraction(value: Any, name: str, method: str) -> None:
    """`validation_split`: a float in [0, 1)."""
    is_number = isinstance(value, (int, float, np.number)) and not isinstance(
        value, bool
    )
    if not is_number or not 0.0 <= float(value) < 1.0:
        raise ValueError(
            f"Invalid value for argument `{name}` of `{method}`. Expected a "
            f"float in [0, 1): the fraction of the data held out. Received: "
            f"{name}={value!r}."
        )


def check_verbose(value: Any, name: str, method: str) -> None:
    if value not in ("auto", 0, 1, 2) or isinstance(value, (bool, float)):
        raise ValueError(
            f"Invalid value for argument `verbose` of `{method}`. Expected "
            f"'auto', 0, 1 or 2. Received: verbose={value!r}."
        )


def check_shuffle(value: Any, name: str, method: str) -> None:
    if not isinstance(value, (bool, np.bool_)) and value != "batch":
        raise ValueError(
            f"Invalid value for argument `shuffle` of `{method}`. Expected "
            f"True, False or 'batch'. Received: shuffle={value!r}."
        )


def check_validation_freq(value: Any, name: str, method: str) -> None:
    """An interval (every n epochs) or a list of positive epoch numbers."""
    if _is_int(value):
        check_count(value, "validation_freq", "fit", allow_none=False)
        return
    if isinstance(value, (list, tuple, set)) and all(
        _is_int(epoch) and epoch >= 1 for epoch in value
    ):
        return
    # Keras 3's wording, plus what the values must be.
    raise ValueError(
        "Expected `validation_freq` to be a list or int of positive epochs. "
        f"Received: validation_freq={value!r} of the type "
        f"{type(value).__name__}."
    )


def check_class_weight(class_weight: Any, name: str, method: str) -> None:
    """`{class index: weight}` with non-negative int keys and number values."""
    if class_weight is None:
        return
    if not isinstance(class_weight, dict):
        raise ValueError(
            f"Invalid value for argument `class_weight` of `{method}`. Expected a "
            "dict mapping class indices (ints) to weights. Received: "
            f"class_weight={class_weight!r} of type {type(class_weight).__name__}."
        )
    for key, weight in class_weight.items():
        if not _is_int(key) or key < 0:
            raise ValueError(
                "`class_weight` keys must be class indices, non-negative "
                f"integers. Received: class_weight={class_weight!r} with key "
                f"{key!r}. Map string labels to integers first."
            )
        is_number = isinstance(weight, (int, float, np.number)) and not isinstance(
            weight, bool
        )
        if not is_number or not np.isfinite(weight) or weight < 0:
            raise ValueError(
                "`class_weight` values must be non-negative finite numbers. "
                f"Received: class_weight={class_weight!r} with "
                f"class_weight[{key!r}]={weight!r}."
            )


def check_callbacks(value: Any, name: str, method: str) -> None:
    """None, or a list of callbacks (anything with `set_model`/`set_params`).

    A `CallbackList` is itself a callback: `fit` hands its own to `evaluate`.
    """
    if value is None:
        return
    if hasattr(value, "callbacks") and hasattr(value, "set_model"):
        return  # a `CallbackList`
    items = value if isinstance(value, (list, tuple)) else None
    if items is not None and all(
        hasattr(item, "set_model") and hasattr(item, "set_params") for item in items
    ):
        return
    raise ValueError(
        f"Invalid value for argument `callbacks` of `{method}`. Expected a "
        "list of `keras.callbacks.Callback` instances. Received: "
        f"callbacks={value!r}."
    )


def check_method_arguments(method: str, **arguments: Any) -> None:
    """Check every argument a training method received that has a rule here.

    Called first thing in `fit`, `evaluate`, `predict` and the `*_on_batch`
    methods, so a bad argument fails before any batch runs or any weight moves.
    Each check is a few comparisons: a call pays for its arguments, not for
    its data.
    """
    for name, value in arguments.items():
        rule = _RULES.get(name)
        if rule is None:
            raise AssertionError(f"no rule for argument {name!r}")  # a bug here
        rule(value, name, method)


def _check_flag(value: Any, name: str, method: str) -> None:
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(
            f"Invalid value for argument `{name}` of `{method}`. "
            f"Expected True or False. Received: {name}={value!r}."
        )


def _check_epoch(value: Any, name: str, method: str) -> None:
    check_count(value, name, method, allow_none=False, minimum=0)


# Argument name -> its check; every check is called as `rule(value, name, method)`.
_RULES = {
    "batch_size": check_count,
    "steps_per_epoch": check_count,
    "steps": check_count,
    "validation_steps": check_count,
    "validation_batch_size": check_count,
    "epochs": _check_epoch,
    "initial_epoch": _check_epoch,
    "validation_split": check_fraction,
    "verbose": check_verbose,
    "shuffle": check_shuffle,
    "validation_freq": check_validation_freq,
    "class_weight": check_class_weight,
    "callbacks": check_callbacks,
    "return_dict": _check_flag,
    "reset_metrics": _check_flag,
}


def check_data_array(array: np.ndarray, path: str) -> None:
    """One leaf of `x`, `y` or `sample_weight`: numeric, with a batch axis.

    `path` names the leaf as the user wrote it (`y`, `x['image']`, `x[1]`).
    Object arrays are refused even when numpy could cast them: `None` would
    silently become NaN. Strings (class names as labels) need a lookup first.
    """
    kind = array.dtype.kind
    if kind == "O":
        holes = [i for i, item in enumerate(array.reshape(-1)) if item is None]
        detail = (
            f" It holds None (first at flat index {holes[0]})."
            if holes
            else " Convert it with `np.asarray(data, dtype='float32')`."
        )
        raise ValueError(
            f"Invalid dtype for `{path}`: expected a numeric array, received "
            f"an array of dtype object and shape {array.shape}.{detail}"
        )
    if kind in "USV":
        hint = (
            "Map string labels to integer class indices first (for example "
            "with `np.unique(labels, return_inverse=True)`)."
            if path.startswith("y")
            else "Encode strings as numbers first (nanokeras has no string "
            "preprocessing layers)."
        )
        raise ValueError(
            f"Invalid dtype for `{path}`: expected a numeric array, received "
            f"dtype {array.dtype} (strings) with values like "
            f"{array.reshape(-1)[:3].tolist()!r}. {hint}"
        )
    if kind not in "biuf":
        raise ValueError(
            f"Invalid dtype for `{path}`: expected a numeric array (bool, int "
            f"or float), received dtype {array.dtype}."
        )
    if array.ndim == 0:
        raise ValueError(
            f"Expected `{path}` to have a batch dimension (one entry per "
            f"sample), but received a scalar of value {array.item()!r}. Give every "
            "input and target a leading axis of samples."
        )
    if array.shape[0] == 0:
        raise ValueError(
            f"Expected `{path}` to contain at least one sample. Received: "
            f"{path} with shape {array.shape}."
        )


def check_sample_weight(sample_weight: np.ndarray, y: Any, path: str) -> None:
    """Per-sample weights: 1-D `(samples,)`, or `y`'s leading shape (temporal)."""
    if sample_weight.ndim == 1:
        return
    targets = [t for t in nest.leaves(y, sort_keys=False) if t is not None]
    shapes = [t.shape for t in targets]
    if any(sample_weight.shape == s[: sample_weight.ndim] for s in shapes):
        return
    raise ValueError(
        f"Invalid shape for `{path}`: expected one weight per sample, shape "
        f"({sample_weight.shape[0]},), or one per timestep matching the "
        f"targets' leading axes (targets of shape {shapes}). Received: "
        f"{path} of shape {sample_weight.shape}."
    )


def named_leaves(structure: Any, path: str) -> list:
    """`[(path, leaf)]` for each array of a structure, paths as Python reads them."""
    if isinstance(structure, dict):
        return [
            pair
            for key, value in structure.items()
            for pair in named_leaves(value, f"{path}[{key!r}]")
        ]
    if isinstance(structure, (list, tuple)):
        return [
            pair
            for index, value in enumerate(structure)
            for pair in named_leaves(value, f"{path}[{index}]")
        ]
    return [(path, structure)]


def check_data(structure: tuple) -> None:
    """`(x, y, sample_weight)` as converted arrays: every leaf usable as data."""
    x, y, sample_weight = structure
    for part, name in ((x, "x"), (y, "y"), (sample_weight, "sample_weight")):
        if isinstance(part, np.ndarray):  # the usual case: no paths to spell
            check_data_array(part, name)
            continue
        for path, leaf in named_leaves(part, name):
            if leaf is not None:
                check_data_array(leaf, path)
    if sample_weight is not None:
        for path, leaf in named_leaves(sample_weight, "sample_weight"):
            if leaf is not None:
                check_sample_weight(leaf, y, path)
