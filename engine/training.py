"""`Model`: a `Layer` that is a whole network, with `summary`, `get_layer` and training.

Mirrors: keras/engine/training.py (tf.keras 2.x), keras/src/models/model.py +
keras/src/trainers/trainer.py (Keras 3)

There are two ways to make a model, and `Model` serves both:

- Subclassing: `class MyModel(Model)` sets layers as attributes in `__init__`
  and writes `call`. Attribute tracking (from `Layer`) finds the layers and
  their weights.
- The functional API: `Model(inputs=..., outputs=...)`. `Model.__new__` sees
  those arguments and returns a `Functional` instead (engine/functional.py),
  exactly as tf.keras does, so users only ever write `Model`.

This file has two parts: the modeling part (below) and the training part
(`compile`, `fit`, `evaluate`, `predict`), added by the training issue in the
section marked at the end of the class.
"""

from typing import Any, Callable

from engine import layer_utils
from engine.api_export import export
from engine.base_layer import Layer


def _is_functional_init(args: tuple, kwargs: dict) -> bool:
    """`Model(inputs, outputs)` or `Model(inputs=..., outputs=...)`."""
    return len(args) == 2 or (
        "outputs" in kwargs and (len(args) == 1 or "inputs" in kwargs)
    )


@export("nanokeras.Model", "nanokeras.models.Model")
class Model(Layer):
    """Adds to `Layer` what a whole network needs: `layers`, `summary`, training.

    Subclass it (layers as attributes, a `call` method) or call it with
    `inputs` and `outputs` to get a functional model.

    Args:
        *args: `inputs, outputs` for a functional model.
        **kwargs: `inputs`, `outputs` for a functional model; `name`,
            `trainable`, `dtype` as for `Layer`.

    Example:

    ```python
    class TwoLayers(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = keras.layers.Dense(8, activation="relu")
            self.out = keras.layers.Dense(1)

        def call(self, inputs, training=False):
            return self.out(self.hidden(inputs))
    ```
    """

    def __new__(cls, *args, **kwargs):
        if cls is Model and _is_functional_init(args, kwargs):
            from engine.functional import Functional  # functional imports this file

            return super().__new__(Functional)
        return super().__new__(cls)

    def __init__(self, *args, **kwargs):
        if _is_functional_init(args, kwargs):
            raise TypeError(
                f"{type(self).__name__} got `inputs` and `outputs`: a subclassed "
                "model builds its layers in `__init__` and computes in `call`. "
                "For a functional model, call `keras.Model(inputs, outputs)`."
            )
        if args:
            raise TypeError(
                f"{type(self).__name__}.__init__ takes keyword arguments only "
                f"(name=..., trainable=...). Received positional: {args}"
            )
        super().__init__(**kwargs)
        self._is_graph_network = False

    def call(self, inputs: Any, training: bool | None = None) -> Any:
        """The forward pass; subclasses must implement it."""
        raise NotImplementedError(
            f"Model {self.name!r} ({type(self).__name__}) has no `call()` method. "
            "When subclassing `Model`, implement `call(self, inputs, "
            "training=None)`; or build a functional model with "
            "`keras.Model(inputs, outputs)`."
        )

    def build(self, input_shape: Any) -> None:
        """Build a subclassed model by running `call` once on placeholders."""
        from engine import base_layer_utils

        if type(self).call is Model.call:
            return self.call(None)  # raises the NotImplementedError above
        inputs = base_layer_utils.specs_from_shapes(input_shape, self.dtype)
        base_layer_utils.trace_output_spec(self, (inputs,), {})

    def _maybe_build(self, inputs: Any) -> None:
        # Called on data, a subclassed model needs no tracing: its `call` is
        # about to run and each sub-layer builds itself on the way (Keras
        # skips its default `Model.build` the same way).
        if type(self).build is Model.build:
            self.built = True
        else:
            super()._maybe_build(inputs)

    # --- Layers ---

    @property
    def layers(self) -> list:
        """The model's direct sub-layers (for a functional model, in graph order)."""
        return list(self._tracked_layers())

    def get_layer(self, name: str | None = None, index: int | None = None) -> Layer:
        """Return a sub-layer by `name` or by position `index` in `layers`."""
        if name is not None and index is not None:
            raise ValueError(
                f"Provide only a layer name or a layer index to `get_layer` of "
                f"model {self.name!r}. Received: name={name!r}, index={index}."
            )
        layers = self.layers
        if index is not None:
            if not -len(layers) <= index < len(layers):
                raise ValueError(
                    f"Was asked to retrieve layer at index {index} but model "
                    f"{self.name!r} only has {len(layers)} layers."
                )
            return layers[index]
        if name is not None:
            for layer in layers:
                if layer.name == name:
                    return layer
            raise ValueError(
                f"No such layer: {name!r} in model {self.name!r}. Existing "
                f"layers are: {[layer.name for layer in layers]}."
            )
        raise ValueError(
            f"Provide either a layer name or a layer index to `get_layer` of "
            f"model {self.name!r}."
        )

    def summary(
        self,
        line_length: int | None = None,
        positions: list | None = None,
        print_fn: Callable[[str], Any] | None = None,
    ) -> None:
        """Print a table of the layers, their output shapes and parameter counts.

        Args:
            line_length: Total width of the table.
            positions: Right edge of each column (fractions or absolute).
            print_fn: Called with each line instead of `print`.
        """
        if not self.built:
            raise ValueError(
                f"This model ({self.name!r}) has not yet been built. Build the "
                "model first by calling `build()` or by calling the model on a "
                "batch of data."
            )
        layer_utils.print_summary(self, line_length, positions, print_fn)

    def get_config(self) -> dict:
        """A subclassed model's config: only its name and trainability.

        Subclasses with constructor arguments override it, as for layers.
        """
        return {"name": self.name, "trainable": self.trainable}

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None):
        """A functional config (with `layers`) gives a functional model."""
        if "input_layers" in config and "layers" in config:
            from engine.functional import Functional

            target = cls if issubclass(cls, Functional) else Functional
            return Functional.from_config.__func__(target, config, custom_objects)
        return cls(**config)

    # --- Training: compile / fit / evaluate / predict (the training issue) ---
