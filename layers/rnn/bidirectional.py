"""`Bidirectional`: read a sequence both ways with two copies of an RNN.

Mirrors: keras/layers/wrappers.py (tf.keras 2.6),
keras/src/layers/rnn/bidirectional.py (Keras 3)

A forward RNN at step `t` has seen only the past. `Bidirectional` runs a
second RNN from the end of the sequence and merges the two readings, so
each step's output knows its whole context. The wrapped layer is copied
twice from its config (its weights are not shared): `forward_<name>`, and
`backward_<name>` with `go_backwards` set.

Simplified: no fused cuDNN path for `LSTM`/`GRU` pairs.
"""

from typing import Any

from api_export import export
from backend import nest
from backend.ops.raw_ops import array as array_ops
from backend.ops.raw_ops import math as math_ops
from engine.base_layer import Layer
from saving import serialization_lib

MERGE_MODES = ("sum", "mul", "ave", "concat", None)


def _copy_named(layer: Layer, prefix: str, go_backwards: bool) -> Layer:
    """A fresh layer from `layer`'s config, renamed `prefix_<name>`."""
    config = serialization_lib.serialize_keras_object(layer)
    config.pop("build_config", None)  # the copy builds on its own first call
    name = layer.name.removeprefix(prefix)
    config["config"].update(name=f"{prefix}{name}", go_backwards=go_backwards)
    return serialization_lib.deserialize_keras_object(
        config, {type(layer).__name__: type(layer)}
    )


@export("nanokeras.layers.Bidirectional")
class Bidirectional(Layer):
    """Adds to `Layer` a forward and a backward copy of an RNN, merged.

    Weights, in Keras's order: the forward layer's, then the backward
    layer's. With `return_sequences` the backward outputs are flipped back
    into time order before merging, and masked steps output zeros in both
    directions (as Keras forces `zero_output_for_mask`). Simplified: no
    fused cuDNN path.

    Args:
        layer: An `RNN` instance (`LSTM`, `GRU`, `SimpleRNN`, `RNN`).
        merge_mode: How to combine the two outputs: `"concat"` (default),
            `"sum"`, `"mul"`, `"ave"`, or None (return both, as a tuple).
        weights: Initial weights, forward layer's then backward layer's.
        backward_layer: An `RNN` to use for the backward direction instead
            of a copy of `layer`; it must have `go_backwards=True` and the
            same `return_sequences` and `return_state`.
        **kwargs: `Layer` arguments (`name`, `dtype`, `input_shape`, ...).

    Input shape:
        `(batch_size, timesteps, features)`.

    Output shape:
        As the wrapped layer's, with the last axis doubled for `"concat"`;
        with `return_state`, `(output, *forward_states, *backward_states)`.

    Example:

    >>> layer = Bidirectional(LSTM(4, return_sequences=True))
    >>> layer(np.ones((2, 5, 3))).shape
    (2, 5, 8)
    """

    def __init__(
        self,
        layer: Any,
        merge_mode: str | None = "concat",
        weights: list | None = None,
        backward_layer: Any = None,
        **kwargs,
    ):
        for name, value in (("layer", layer), ("backward_layer", backward_layer)):
            if value is None and name == "backward_layer":
                continue
            if not isinstance(value, Layer) or not hasattr(value, "go_backwards"):
                raise ValueError(
                    f"Layer Bidirectional: `{name}` must be a recurrent layer "
                    "instance (`LSTM`, `GRU`, `SimpleRNN`, `RNN`). Received: "
                    f"{name}={value!r}"
                )
        if merge_mode not in MERGE_MODES:
            raise ValueError(
                f"Layer Bidirectional: invalid merge mode. Received: "
                f"merge_mode={merge_mode!r}. Merge mode should be one of "
                '{"sum", "mul", "ave", "concat", None}.'
            )
        if weights is not None:
            kwargs["weights"] = weights
        super().__init__(**kwargs)
        self.forward_layer = _copy_named(layer, "forward_", layer.go_backwards)
        if backward_layer is None:
            backward_layer = _copy_named(layer, "backward_", True)
        self.backward_layer = backward_layer
        self._check_directions()
        # Keras zeroes masked outputs of both directions when sequences are
        # returned, so padding reads as 0 whichever way it was reached.
        for direction in (self.forward_layer, self.backward_layer):
            direction.zero_output_for_mask = direction.return_sequences
        self.merge_mode = merge_mode
        self.stateful = layer.stateful
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True
        self.input_spec = layer.input_spec

    def _check_directions(self) -> None:
        forward, backward = self.forward_layer, self.backward_layer
        if forward.go_backwards == backward.go_backwards:
            raise ValueError(
                "Layer Bidirectional: the forward layer and the backward layer "
                "should have different `go_backwards` values. Received: "
                f"forward_layer.go_backwards={forward.go_backwards}, "
                f"backward_layer.go_backwards={backward.go_backwards}."
            )
        for attribute in ("stateful", "return_sequences", "return_state"):
            if getattr(forward, attribute) != getattr(backward, attribute):
                raise ValueError(
                    "Layer Bidirectional: the forward layer and the backward "
                    f'layer should have the same value for "{attribute}". '
                    f"Received: {getattr(forward, attribute)} (forward) and "
                    f"{getattr(backward, attribute)} (backward)."
                )

    def build(self, sequences_shape: tuple, initial_state_shape: Any = None) -> None:
        self.forward_layer.build(sequences_shape)
        self.backward_layer.build(sequences_shape)
        self.input_spec = self.forward_layer.input_spec

    def call(
        self,
        sequences: Any,
        initial_state: Any = None,
        mask: Any = None,
        training: bool | None = None,
    ) -> Any:
        forward_state = backward_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_state = list(initial_state[:half])
            backward_state = list(initial_state[half:])
        kwargs = {"mask": mask, "training": training}
        y = self.forward_layer(sequences, initial_state=forward_state, **kwargs)
        y_rev = self.backward_layer(sequences, initial_state=backward_state, **kwargs)
        states = ()
        if self.return_state:
            states = tuple(y[1:]) + tuple(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:  # back into time order
            y_rev = array_ops.getitem(y_rev, (slice(None), slice(None, None, -1)))
        if self.merge_mode == "concat":
            output = array_ops.concatenate([y, y_rev], axis=-1)
        elif self.merge_mode == "sum":
            output = math_ops.add(y, y_rev)
        elif self.merge_mode == "ave":
            output = math_ops.multiply(math_ops.add(y, y_rev), 0.5)
        elif self.merge_mode == "mul":
            output = math_ops.multiply(y, y_rev)
        else:
            output = (y, y_rev)
        if self.return_state:
            return (*output, *states) if self.merge_mode is None else (output, *states)
        return output

    def compute_output_shape(self, sequences_shape: tuple, initial_state_shape=None):
        output_shape = self.forward_layer.compute_output_shape(sequences_shape)
        state_shapes = ()
        if self.return_state:
            output_shape, state_shapes = output_shape[0], tuple(output_shape[1:])
        if self.merge_mode == "concat":
            last = output_shape[-1]
            output_shape = (*output_shape[:-1], None if last is None else 2 * last)
        if self.merge_mode is None:
            return (output_shape, output_shape) + state_shapes * 2
        if self.return_state:
            return (output_shape,) + state_shapes * 2
        return tuple(output_shape)

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """The sequence mask for returned sequences; None for states."""
        if nest.is_nested(mask):
            mask = nest.flatten(mask)[0]
        output_mask = mask if self.return_sequences else None
        masks = [output_mask] * (2 if self.merge_mode is None else 1)
        if self.return_state:
            states = len(self.forward_layer.state_size) * 2
            return masks + [None] * states
        return masks if self.merge_mode is None else output_mask

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            merge_mode=self.merge_mode,
            layer=serialization_lib.serialize_keras_object(self.forward_layer),
            backward_layer=serialization_lib.serialize_keras_object(
                self.backward_layer
            ),
        )
        return config

    @classmethod
    def from_config(
        cls, config: dict, custom_objects: dict | None = None
    ) -> "Bidirectional":
        config = dict(config)
        config["layer"] = serialization_lib.deserialize_keras_object(
            config["layer"], custom_objects
        )
        if config.get("backward_layer") is not None:
            config["backward_layer"] = serialization_lib.deserialize_keras_object(
                config["backward_layer"], custom_objects
            )
        return cls(**config)
