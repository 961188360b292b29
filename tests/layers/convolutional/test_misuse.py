"""Convolution layer misuse: each error names the layer and the offending value."""

import numpy as np
import pytest

import nanokeras as keras


def _raises(error, call, *fragments):
    with pytest.raises(error) as info:
        call()
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"


@pytest.mark.parametrize("filters", [0, -1, 2.5, "3", None])
def test_non_positive_filters(filters):
    _raises(
        ValueError,
        lambda: keras.layers.Conv2D(filters, 3),
        "Conv2D",
        f"filters={filters!r}",
    )


@pytest.mark.parametrize("kernel_size", [0, (3,), (3, 0), "3", (2, 2.5)])
def test_bad_kernel_size(kernel_size):
    _raises(
        ValueError,
        lambda: keras.layers.Conv2D(2, kernel_size),
        "Conv2D",
        f"kernel_size={kernel_size!r}",
    )


def test_channels_first_is_refused_when_the_layer_is_made():
    for make in (
        lambda: keras.layers.Conv2D(2, 3, data_format="channels_first"),
        lambda: keras.layers.DepthwiseConv2D(3, data_format="channels_first"),
        lambda: keras.layers.Conv2DTranspose(2, 3, data_format="channels_first"),
    ):
        _raises(ValueError, make, "data_format='channels_first'", "channels_last")


def test_wrong_input_rank_names_the_layer():
    layer = keras.layers.Conv2D(2, 3, name="edges")
    _raises(
        ValueError,
        lambda: layer(np.ones((2, 5, 3))),
        'layer "edges"',
        "expected ndim=4, found ndim=3",
    )


def test_kernel_larger_than_input():
    layer = keras.layers.Conv2D(2, 5, name="big")
    _raises(
        ValueError,
        lambda: layer(np.ones((1, 3, 3, 1))),
        '"big"',
        "kernel_size=(5, 5)",
        "(1, 3, 3, 1)",
    )


def test_smaller_image_after_build_still_names_the_layer():
    layer = keras.layers.Conv2D(2, 3, name="fully_conv")
    layer(np.ones((1, 6, 6, 1)))
    _raises(ValueError, lambda: layer(np.ones((1, 2, 2, 1))), '"fully_conv"')


def test_wrong_channel_count_after_build():
    layer = keras.layers.Conv1D(2, 3, name="c1")
    layer(np.ones((1, 6, 4)))
    _raises(
        ValueError,
        lambda: layer(np.ones((1, 6, 5))),
        'layer "c1"',
        "expected axis -1 of input shape to have value 4",
    )


def test_unknown_channels_cannot_build():
    layer = keras.layers.Conv2D(2, 3, name="needs_channels")
    _raises(
        ValueError,
        lambda: layer.build((None, 5, 5, None)),
        '"needs_channels"',
        "(None, 5, 5, None)",
    )


def test_bad_padding_and_causal_outside_conv1d():
    _raises(ValueError, lambda: keras.layers.Conv2D(2, 3, padding="full"), "'full'")
    _raises(
        ValueError,
        lambda: keras.layers.Conv2D(2, 3, padding="causal"),
        "Conv2D",
        "padding='causal'",
    )
    assert keras.layers.Conv1D(2, 3, padding="CAUSAL").padding == "causal"


def test_strides_with_dilation():
    _raises(
        ValueError,
        lambda: keras.layers.Conv2D(2, 3, strides=2, dilation_rate=2),
        "Conv2D",
        "strides=(2, 2)",
        "dilation_rate=(2, 2)",
    )


def test_groups_must_divide_filters_and_channels():
    _raises(
        ValueError, lambda: keras.layers.Conv2D(3, 2, groups=2), "groups=2", "filters=3"
    )
    layer = keras.layers.Conv2D(4, 2, groups=2, name="grouped")
    _raises(ValueError, lambda: layer(np.ones((1, 4, 4, 3))), '"grouped"', "3 channels")


def test_output_padding_must_be_below_strides():
    _raises(
        ValueError,
        lambda: keras.layers.Conv2DTranspose(2, 3, strides=2, output_padding=2),
        "Conv2DTranspose",
        "output_padding=(2, 2)",
        "strides=(2, 2)",
    )


@pytest.mark.parametrize("name", ["DepthwiseConv2D", "SeparableConv2D"])
def test_non_positive_depth_multiplier(name):
    extra = {"filters": 2} if name == "SeparableConv2D" else {}
    _raises(
        ValueError,
        lambda: getattr(keras.layers, name)(kernel_size=3, depth_multiplier=0, **extra),
        name,
        "depth_multiplier=0",
    )


def test_unknown_keyword():
    _raises(TypeError, lambda: keras.layers.Conv2D(2, 3, kernel=4), "Conv2D", "kernel")
