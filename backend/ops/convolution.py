"""Convolutions (`conv`, `depthwise_conv`, `separable_conv`, `conv_transpose`).

Mirrors: tensorflow/python/ops/nn_ops.py + nn_grad.py (tf.nn.convolution,
tf.nn.conv2d_transpose); keras/src/ops/nn.py (Keras 3). Stand-in, not Keras
code.

Only `data_format="channels_last"` is supported (channels_first raises).
1D ops are run as 2D ops on a height of 1, so one code path serves both.

A convolution is a matrix product in disguise ("im2col"). Gather every
window the kernel visits into one row of a matrix `columns` of shape
`(windows, kernel_height * kernel_width * in_channels)`; then the output is
`columns @ kernel`, one BLAS call. The windows come from a strided *view* of
the padded input (no Python loop over pixels), and the one copy that turns
the view into a matrix is the only large temporary. The gradients are:

- for the kernel: `columns.T @ output_gradient`, one more matrix product;
- for the input: `output_gradient @ kernel.T` gives one gradient per window
  entry, and "col2im" adds each back to the pixel it was read from. Windows
  overlap, so the adds loop over the kernel's taps (9 for a 3x3 kernel), each
  adding a whole strided slice at once.

`conv_transpose` is the same two steps run the other way round: its forward
pass is the col2im of a convolution's input gradient, and its input gradient
is a convolution.
"""

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import as_strided

from backend.ops.core import record, value_of
from backend.tensor import Tensor
from engine.api_export import export

# --- Argument checks shared with pooling.py ---


def check_data_format(data_format: Any, op: str) -> None:
    if data_format not in (None, "channels_last"):
        raise ValueError(
            f"`{op}` only supports data_format='channels_last' (or None); "
            f"channels_first is not supported. Received: data_format={data_format!r}. "
            "Transpose your inputs to (batch, ..., channels) instead."
        )


def check_padding(padding: Any, op: str) -> str:
    if not isinstance(padding, str) or padding.lower() not in ("valid", "same"):
        raise ValueError(
            f"`{op}` expects padding='valid' or padding='same'. "
            f"Received: padding={padding!r}."
        )
    return padding.lower()


def spatial_tuple(value: Any, rank: int, name: str, op: str) -> tuple[int, ...]:
    """An int or a tuple of `rank` positive ints (strides, dilation, pool size)."""
    values = (value,) * rank if isinstance(value, (int, np.integer)) else value
    try:
        values = tuple(int(v) for v in values)
    except (TypeError, ValueError):
        values = ()
    if len(values) != rank or any(v < 1 for v in values):
        raise ValueError(
            f"`{op}` expects `{name}` to be a positive int or a tuple of {rank} "
            f"positive ints. Received: {name}={value!r}."
        )
    return values


def check_rank(shape: tuple, op: str, what: str = "inputs") -> int:
    """The number of spatial dimensions (1 or 2) of a channels_last input."""
    if len(shape) not in (3, 4):
        raise ValueError(
            f"`{op}` expects {what} of rank 3 (batch, steps, channels) or rank 4 "
            f"(batch, height, width, channels). Received {what} of shape {shape}."
        )
    return len(shape) - 2


def padding_amounts(
    sizes: tuple, windows: tuple, strides: tuple, padding: str
) -> tuple[tuple[int, int], ...]:
    """`(before, after)` per spatial axis, split as TensorFlow splits "same".

    "same" pads so that `ceil(size / stride)` windows fit; when the total is
    odd the extra row goes at the end, as in TensorFlow and Keras.
    """
    if padding == "valid":
        return tuple((0, 0) for _ in sizes)
    pads = []
    for size, window, stride in zip(sizes, windows, strides):
        total = max((-(-size // stride) - 1) * stride + window - size, 0)
        pads.append((total // 2, total - total // 2))
    return tuple(pads)


def pad_spatial(x: np.ndarray, pads: tuple, value: float = 0.0) -> np.ndarray:
    """Pad the two spatial axes of a 4D array (no copy when nothing is padded)."""
    if not any(before or after for before, after in pads):
        return x
    return np.pad(x, ((0, 0), *pads, (0, 0)), constant_values=value)


def crop_spatial(x: np.ndarray, pads: tuple) -> np.ndarray:
    """Undo `pad_spatial`: drop the padded rows and columns again."""
    (top, bottom), (left, right) = pads
    return x[:, top : x.shape[1] - bottom, left : x.shape[2] - right]


def windows_view(
    x: np.ndarray, window: tuple, strides: tuple, dilation: tuple, out: tuple
) -> np.ndarray:
    """A read-only view of shape `(batch, out_h, out_w, win_h, win_w, channels)`.

    Element `[b, i, j, p, q, c]` is `x[b, i*stride + p*dilation, ..., c]`:
    only the strides of the view change, no data is copied.
    """
    batch, _, _, channels = x.shape
    sb, sh, sw, sc = x.strides
    return as_strided(
        x,
        shape=(batch, out[0], out[1], window[0], window[1], channels),
        strides=(
            sb,
            sh * strides[0],
            sw * strides[1],
            sh * dilation[0],
            sw * dilation[1],
            sc,
        ),
        writeable=False,
    )


def add_windows(
    windows: np.ndarray, shape: tuple, strides: tuple, dilation: tuple
) -> np.ndarray:
    """col2im: sum `(batch, out_h, out_w, win_h, win_w, c)` back into `shape`.

    The exact reverse of `windows_view`. One iteration per kernel tap, each
    adding the tap's values to a whole strided slice of the result at once.
    """
    result = np.zeros(shape, dtype=windows.dtype)
    _, out_h, out_w, win_h, win_w, _ = windows.shape
    for p in range(win_h):
        top = p * dilation[0]
        rows = slice(top, top + (out_h - 1) * strides[0] + 1, strides[0])
        for q in range(win_w):
            left = q * dilation[1]
            cols = slice(left, left + (out_w - 1) * strides[1] + 1, strides[1])
            result[:, rows, cols] += windows[:, :, :, p, q]
    return result


def _as_2d(x: np.ndarray, kernel: np.ndarray, op: str, kernel_name: str = "kernel"):
    """Validate ranks; view 1D inputs and kernels as 2D ones of height 1."""
    rank = check_rank(x.shape, op)
    if kernel.ndim != rank + 2:
        raise ValueError(
            f"`{op}` expects a {kernel_name} of rank {rank + 2} for inputs of rank "
            f"{rank + 2}. Received: inputs.shape={x.shape}, "
            f"{kernel_name}.shape={kernel.shape}."
        )
    if rank == 1:
        return x[:, None], kernel[None], rank
    return x, kernel, rank


def _check_channels(x: np.ndarray, kernel: np.ndarray, op: str, axis: int = -2):
    if x.shape[-1] != kernel.shape[axis]:
        raise ValueError(
            f"`{op}`: the kernel expects {kernel.shape[axis]} input channels "
            f"(kernel.shape={kernel.shape}) but the inputs have {x.shape[-1]} "
            f"(inputs.shape={x.shape}). The input channels must match."
        )


def _geometry(x4, kernel_size, rank, strides, padding, dilation_rate, op):
    """Strides, dilation, effective kernel size, pads and output size."""
    strides = spatial_tuple(strides, rank, "strides", op)
    dilation = spatial_tuple(dilation_rate, rank, "dilation_rate", op)
    padding = check_padding(padding, op)
    if rank == 1:
        strides, dilation = (1, *strides), (1, *dilation)
    reach = tuple((k - 1) * d + 1 for k, d in zip(kernel_size, dilation))
    pads = padding_amounts(x4.shape[1:3], reach, strides, padding)
    out = tuple(
        (size + before + after - r) // s + 1
        for size, (before, after), r, s in zip(x4.shape[1:3], pads, reach, strides)
    )
    if min(out) < 1:
        raise ValueError(
            f"`{op}`: the kernel (dilated size {reach}) is larger than the padded "
            f"inputs {x4.shape[1:3]}. Use smaller kernels or padding='same'."
        )
    return strides, dilation, pads, out


@export("nanokeras.ops.conv")
def conv(
    inputs: Any,
    kernel: Any,
    strides: Any = 1,
    padding: str = "valid",
    data_format: str | None = None,
    dilation_rate: Any = 1,
) -> Tensor:
    """General 1D or 2D convolution (cross-correlation, as in TensorFlow).

    Args:
        inputs: `(batch, steps, channels)` or `(batch, height, width, channels)`.
        kernel: `(k, in_channels, out_channels)` or `(kh, kw, in, out)`.
        strides: An int or a tuple, one per spatial axis.
        padding: `"valid"` (no padding) or `"same"` (output size is
            `ceil(input / strides)`, extra padding at the end).
        data_format: Only `"channels_last"` (or None) is supported.
        dilation_rate: An int or a tuple: the spacing between kernel taps.

    Returns:
        `(batch, ..., out_channels)`.
    """
    check_data_format(data_format, "conv")
    x, k = value_of(inputs), value_of(kernel)
    x4, k4, rank = _as_2d(np.asarray(x), np.asarray(k), "conv")
    _check_channels(x4, k4, "conv")
    kh, kw, in_channels, out_channels = k4.shape
    strides, dilation, pads, out = _geometry(
        x4, (kh, kw), rank, strides, padding, dilation_rate, "conv"
    )
    padded = pad_spatial(x4, pads)
    batch = x4.shape[0]
    # The one large copy: windows as rows, (kh, kw, c) order to match the kernel.
    columns = windows_view(padded, (kh, kw), strides, dilation, out).reshape(
        batch * out[0] * out[1], kh * kw * in_channels
    )
    matrix = k4.reshape(kh * kw * in_channels, out_channels)
    result = (columns @ matrix).reshape(*x.shape[: -rank - 1], *out[2 - rank :], -1)

    def input_grad(g):
        per_window = np.reshape(g, (-1, out_channels)) @ matrix.T
        per_window = per_window.reshape(batch, *out, kh, kw, in_channels)
        grad = add_windows(per_window, padded.shape, strides, dilation)
        return crop_spatial(grad, pads).reshape(x.shape)

    def kernel_grad(g):
        return (columns.T @ np.reshape(g, (-1, out_channels))).reshape(k.shape)

    return record(result, (inputs, input_grad), (kernel, kernel_grad))


@export("nanokeras.ops.depthwise_conv")
def depthwise_conv(
    inputs: Any,
    kernel: Any,
    strides: Any = 1,
    padding: str = "valid",
    data_format: str | None = None,
    dilation_rate: Any = 1,
) -> Tensor:
    """Depthwise 1D or 2D convolution: each input channel has its own filters.

    Args:
        inputs: `(batch, steps, channels)` or `(batch, height, width, channels)`.
        kernel: `(k, channels, depth_multiplier)` or
            `(kh, kw, channels, depth_multiplier)`.
        strides, padding, data_format, dilation_rate: As in `conv`.

    Returns:
        `(batch, ..., channels * depth_multiplier)`; output channel
        `c * depth_multiplier + m` is input channel `c` through filter `m`.
    """
    check_data_format(data_format, "depthwise_conv")
    x, k = value_of(inputs), value_of(kernel)
    x4, k4, rank = _as_2d(np.asarray(x), np.asarray(k), "depthwise_conv")
    _check_channels(x4, k4, "depthwise_conv")
    kh, kw, channels, multiplier = k4.shape
    strides, dilation, pads, out = _geometry(
        x4, (kh, kw), rank, strides, padding, dilation_rate, "depthwise_conv"
    )
    padded = pad_spatial(x4, pads)
    windows = windows_view(padded, (kh, kw), strides, dilation, out)
    # Channels do not mix, so there is no single matrix product: einsum sums
    # each channel's window against its own kernel slice.
    result = np.einsum("bhwpqc,pqcm->bhwcm", windows, k4, optimize=True)
    result = result.reshape(*x.shape[: -rank - 1], *out[2 - rank :], -1)

    def per_channel(g):
        return np.reshape(g, (x4.shape[0], *out, channels, multiplier))

    def input_grad(g):
        per_window = np.einsum("bhwcm,pqcm->bhwpqc", per_channel(g), k4, optimize=True)
        grad = add_windows(per_window, padded.shape, strides, dilation)
        return crop_spatial(grad, pads).reshape(x.shape)

    def kernel_grad(g):
        grad = np.einsum("bhwpqc,bhwcm->pqcm", windows, per_channel(g), optimize=True)
        return grad.reshape(k.shape)

    return record(result, (inputs, input_grad), (kernel, kernel_grad))


@export("nanokeras.ops.separable_conv")
def separable_conv(
    inputs: Any,
    depthwise_kernel: Any,
    pointwise_kernel: Any,
    strides: Any = 1,
    padding: str = "valid",
    data_format: str | None = None,
    dilation_rate: Any = 1,
) -> Tensor:
    """A `depthwise_conv` followed by a 1x1 `conv` that mixes the channels.

    Args:
        inputs: `(batch, steps, channels)` or `(batch, height, width, channels)`.
        depthwise_kernel: As `depthwise_conv`'s kernel.
        pointwise_kernel: `(1, channels * depth_multiplier, filters)` or
            `(1, 1, channels * depth_multiplier, filters)`.
        strides, padding, data_format, dilation_rate: Applied to the
            depthwise step, as in `conv`.

    Returns:
        `(batch, ..., filters)`.
    """
    depthwise = depthwise_conv(
        inputs, depthwise_kernel, strides, padding, data_format, dilation_rate
    )
    return conv(depthwise, pointwise_kernel, 1, "valid", data_format)


def _transpose_pads(size, kernel_size, stride, dilation, padding, output_padding):
    """Crop from the start and output size of a transposed conv, per axis.

    The result is the "full" scatter of every input pixel times the kernel,
    `(size - 1) * stride + reach` long, cropped at the start and cropped (or
    zero-extended) at the end to Keras's output size, computed as in Keras's
    `compute_conv_transpose_output_shape`.
    """
    reach = (kernel_size - 1) * dilation + 1
    if padding == "valid":
        extra = max(reach, stride) - reach if output_padding is None else output_padding
        start_pad = reach - 1
        end_pad = reach - 1 + extra
    else:
        if output_padding is None:
            total = stride + reach - 2
        else:
            total = reach + reach % 2 - 2 + output_padding
        start_pad = min(total // 2 + total % 2, reach - 1)
        end_pad = total - start_pad
    crop = reach - 1 - start_pad
    out_size = (size - 1) * stride + 1 + start_pad + end_pad - (reach - 1)
    return crop, out_size


@export("nanokeras.ops.conv_transpose")
def conv_transpose(
    inputs: Any,
    kernel: Any,
    strides: Any = 1,
    padding: str = "valid",
    output_padding: Any = None,
    data_format: str | None = None,
    dilation_rate: Any = 1,
) -> Tensor:
    """Transposed 1D or 2D convolution: the gradient of `conv` as a forward op.

    Args:
        inputs: `(batch, steps, channels)` or `(batch, height, width, channels)`.
        kernel: `(k, out_channels, in_channels)` or `(kh, kw, out, in)`, the
            layout Keras's `Conv2DTranspose` stores.
        strides, padding, data_format, dilation_rate: As in `conv`.
        output_padding: None, an int or a tuple: extra rows at the end of
            the output (None lets Keras's shape rule choose).

    Returns:
        `(batch, ..., out_channels)`, sized by Keras's output shape rule.
    """
    op = "conv_transpose"
    check_data_format(data_format, op)
    x, k = value_of(inputs), value_of(kernel)
    x4, k4, rank = _as_2d(np.asarray(x), np.asarray(k), op)
    _check_channels(x4, k4, op, axis=-1)
    kh, kw, out_channels, in_channels = k4.shape
    strides = spatial_tuple(strides, rank, "strides", op)
    dilation = spatial_tuple(dilation_rate, rank, "dilation_rate", op)
    padding = check_padding(padding, op)
    extras = (
        (None,) * rank
        if output_padding is None
        else (output_padding,) * rank
        if isinstance(output_padding, (int, np.integer))
        else tuple(output_padding)
    )
    if rank == 1:
        strides, dilation, extras = (1, *strides), (1, *dilation), (0, *extras)
    crops, sizes = zip(
        *(
            _transpose_pads(n, kk, s, d, padding, e)
            for n, kk, s, d, e in zip(
                x4.shape[1:3], (kh, kw), strides, dilation, extras
            )
        )
    )
    batch, in_h, in_w, _ = x4.shape
    # The scatter target must hold the full result and the cropped window.
    buffer = tuple(
        max((n - 1) * s + (kk - 1) * d + 1, c + size)
        for n, s, kk, d, c, size in zip(
            (in_h, in_w), strides, (kh, kw), dilation, crops, sizes
        )
    )
    matrix = k4.reshape(kh * kw * out_channels, in_channels)
    per_window = (x4.reshape(-1, in_channels) @ matrix.T).reshape(
        batch, in_h, in_w, kh, kw, out_channels
    )
    full = add_windows(per_window, (batch, *buffer, out_channels), strides, dilation)
    window = (slice(None), *(slice(c, c + n) for c, n in zip(crops, sizes)))
    result = np.ascontiguousarray(full[window])
    result = result.reshape(*x.shape[: -rank - 1], *sizes[2 - rank :], out_channels)

    def columns_of(g):
        # Put `g` back where the forward pass cropped it from, then gather the
        # windows a conv with the same strides would read.
        grad_full = np.zeros_like(full)
        grad_full[window] = np.reshape(g, full[window].shape)
        return windows_view(grad_full, (kh, kw), strides, dilation, (in_h, in_w))

    def input_grad(g):
        columns = columns_of(g).reshape(-1, kh * kw * out_channels)
        return (columns @ matrix).reshape(x.shape)

    def kernel_grad(g):
        columns = columns_of(g).reshape(-1, kh * kw * out_channels)
        return (columns.T @ x4.reshape(-1, in_channels)).reshape(k.shape)

    return record(result, (inputs, input_grad), (kernel, kernel_grad))
