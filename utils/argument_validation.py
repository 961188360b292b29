"""Checks for the window arguments of convolution and pooling layers.

Mirrors: keras/utils/conv_utils.py (tf.keras 2.x),
keras/src/utils/argument_validation.py (Keras 3)

Layers accept `kernel_size=3` or `kernel_size=(3, 3)`; these helpers turn
either into a tuple once, in `__init__`, and reject bad values there with a
message naming the layer, so a mistake never surfaces as a numpy error deep
inside `call`.
"""

from typing import Any

import numpy as np


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


def check_positive_count(value: Any, name: str, layer: str) -> int:
    """A strictly positive int (`filters`, `depth_multiplier`, `groups`)."""
    is_int = isinstance(value, (int, np.integer)) and not isinstance(value, bool)
    if not is_int or value <= 0:
        raise ValueError(
            f"Invalid value for argument `{name}` of layer {layer}. Expected a "
            f"strictly positive integer. Received {name}={value!r}."
        )
    return int(value)


def check_strides_and_dilation(strides: tuple, dilation_rate: tuple, layer: str):
    """Keras refuses `strides > 1` together with `dilation_rate > 1`."""
    if max(strides) > 1 and max(dilation_rate) > 1:
        raise ValueError(
            f"Layer {layer}: `strides > 1` is not supported together with "
            f"`dilation_rate > 1`. Received: strides={strides} and "
            f"dilation_rate={dilation_rate}. Set one of them to 1."
        )
