"""`Model`: a `Layer` that is a whole network, with `summary`, `get_layer` and training.

Mirrors: keras/engine/training.py (tf.keras 2.6), keras/src/models/model.py +
keras/src/trainers/trainer.py (Keras 3)

There are two ways to make a model, and `Model` serves both:

- Subclassing: `class MyModel(Model)` sets layers as attributes in `__init__`
  and writes `call`. Attribute tracking (from `Layer`) finds the layers and
  their weights.
- The functional API: `Model(inputs=..., outputs=...)`. `Model.__new__` sees
  those arguments and returns a `Functional` instead (engine/functional.py),
  exactly as tf.keras does, so users only ever write `Model`.

This file has two parts: the modeling part (below) and the training part
(`compile`, `fit`, `evaluate`, `predict`) in the section marked at the end of
the class.
"""

from typing import Any, Callable

import optimizers
from api_export import export
from backend.tape import GradientTape
from distribute import distribute_lib
from engine import compile_utils, data_adapter, layer_utils, symbolic, training_utils
from engine.base_layer import Layer
from utils.argument_validation import check_method_arguments


def is_functional_model_init_params(args: tuple, kwargs: dict) -> bool:
    """`Model(inputs, outputs)` or `Model(inputs=..., outputs=...)`."""
    return (
        len(args) == 2
        or (len(args) == 1 and "outputs" in kwargs)
        or ("inputs" in kwargs and "outputs" in kwargs)
    )


def inject_functional_model_class(cls: type) -> type:
    """Put `Functional` in place of `Model` among the bases of `cls`, recursively.

    A class `CustomModel(keras.Model)` whose instance is created with inputs
    and outputs only learns that it is functional in `__init__`, after the
    object exists: tf.keras then rewrites the class's bases, so `CustomModel`
    inherits the graph machinery (`call`, `get_config`, ...) from `Functional`
    and keeps its own overrides (`train_step`, ...) on top.
    """
    from engine.functional import Functional  # functional imports this file

    if cls is Model:
        return Functional
    if cls is object or issubclass(cls, Functional):
        return cls
    cls.__bases__ = tuple(inject_functional_model_class(base) for base in cls.__bases__)
    return cls


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

    # A model's layers keep their own names (`dense/kernel:0`) when the
    # model builds them, instead of nesting under the model's scope.
    _builds_layers_at_root = True

    def __new__(cls, *args, **kwargs):
        if cls is Model and is_functional_model_init_params(args, kwargs):
            from engine.functional import Functional  # functional imports this file

            return super().__new__(Functional)
        return super().__new__(cls)

    def __init__(self, *args, **kwargs):
        if is_functional_model_init_params(args, kwargs):
            # A subclass of Model called (or calling `super().__init__`) with
            # inputs and outputs: it becomes a subclass of Functional.
            self._init_as_functional(args, kwargs)
            return
        if args:
            raise TypeError(
                f"{type(self).__name__}.__init__ takes keyword arguments only "
                f"(name=..., trainable=...). Received positional: {args}"
            )
        super().__init__(**kwargs)
        self._is_graph_network = False

    def _init_as_functional(self, args: tuple, kwargs: dict) -> None:
        from engine.functional import Functional

        known = ("inputs", "outputs", "name", "trainable")
        unknown = sorted(set(kwargs) - set(known))
        if unknown:
            raise TypeError(
                f"{type(self).__name__}: the following keyword arguments aren't "
                f"supported with `inputs` and `outputs`: {unknown}. Accepted: "
                f"{list(known)}."
            )
        inject_functional_model_class(type(self))
        Functional.__init__(self, *args, **kwargs)

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
        if type(self).call is Model.call:
            return self.call(None)  # raises the NotImplementedError above
        inputs = symbolic.specs_from_shapes(input_shape, self.dtype)
        symbolic.trace_output_spec(self, (inputs,), {})

    def _maybe_build(self, inputs: Any) -> None:
        # Called on data, a subclassed model needs no tracing: its `call` is
        # about to run and each sub-layer builds itself on the way (Keras
        # skips its default `Model.build` the same way).
        if type(self).build is Model.build:
            if not self.built:  # recorded for `get_build_config` (saving)
                self._build_input_shape = symbolic.shape_structure(inputs)
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
        expand_nested: bool = False,
        show_trainable: bool = False,
        layer_range: tuple | None = None,
    ) -> None:
        """Print a table of the layers, their output shapes and parameter counts.

        Args:
            line_length: Total width of the table.
            positions: Right edge of each column (fractions or absolute).
            print_fn: Called with each line instead of `print`.
            expand_nested: Also list the layers of nested models, indented.
            show_trainable: Add a "Trainable" column.
            layer_range: `(first, last)` layer names: print only that slice.
        """
        if not self.built:
            raise ValueError(
                f"This model ({self.name!r}) has not yet been built. Build the "
                "model first by calling `build()` or by calling the model on a "
                "batch of data."
            )
        layer_utils.print_summary(
            self,
            line_length,
            positions,
            print_fn,
            expand_nested=expand_nested,
            show_trainable=show_trainable,
            layer_range=layer_range,
        )

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

    # --- Saving (saving/saving_lib.py does the work) ---

    def save(
        self,
        filepath: Any,
        overwrite: bool = True,
        zipped: bool | None = None,
        **kwargs: Any,
    ) -> None:
        """Save architecture, weights and optimizer state to a `.keras` archive.

        Written atomically and without pickle; reload with
        `nanokeras.models.load_model(filepath)`. Simplified: only zipped
        `.keras` files (`zipped` None or True; no legacy-format `**kwargs`).
        """
        from saving import saving_api

        saving_api.save_model(self, filepath, overwrite, zipped, **kwargs)

    def to_json(self, **kwargs: Any) -> str:
        """The architecture as JSON, no weights; `models.model_from_json` rebuilds it.

        Args:
            **kwargs: Passed to `json.dumps` (for example `indent=2`).
        """
        from saving import saving_api

        return saving_api.model_to_json(self, **kwargs)

    def save_weights(
        self, filepath: Any, overwrite: bool = True, max_shard_size: Any = None
    ) -> None:
        """Save only the weights, to `.weights.npz` or Keras 3's `.weights.h5`.

        Simplified: one file, never sharded (`max_shard_size` only None).
        """
        from saving import saving_lib

        if max_shard_size is not None:
            raise NotImplementedError(
                f"Model {self.name!r}: nanokeras writes weights to one file. "
                f"Received: max_shard_size={max_shard_size!r}. Leave it None."
            )
        saving_lib.save_weights(self, filepath, overwrite=overwrite)

    def load_weights(
        self, filepath: Any, skip_mismatch: bool = False, **kwargs: Any
    ) -> None:
        """Load weights saved by `save_weights` (`.weights.npz` or `.weights.h5`).

        Layers are matched by position (in `.weights.h5`, by Keras 3's
        class-and-position group names). Every shape and dtype is checked
        first: on a mismatch nothing is loaded and the error names the file,
        the layer and both shapes. Simplified: loading is all-or-nothing
        (`skip_mismatch` only False; no legacy `**kwargs`).
        """
        from saving import saving_lib

        if skip_mismatch or kwargs:
            raise NotImplementedError(
                f"Model {self.name!r}: nanokeras loads all weights or none. "
                f"Received: skip_mismatch={skip_mismatch!r}, {kwargs}."
            )

        saving_lib.load_weights(self, filepath)

    # --- Training: compile / fit / evaluate / predict ---
    # The training state a model starts with; `compile` and `fit` set them.
    _is_compiled = False
    optimizer = None
    compiled_loss = None
    compiled_metrics = None
    stop_training = False
    history = None
    train_function = None
    test_function = None
    predict_function = None

    def compile(
        self,
        optimizer: Any = "rmsprop",
        loss: Any = None,
        metrics: Any = None,
        loss_weights: Any = None,
        weighted_metrics: Any = None,
        run_eagerly: bool = False,
        steps_per_execution: int = 1,
        jit_compile: Any = "auto",
        auto_scale_loss: bool = True,
        **kwargs: Any,
    ) -> None:
        """Configure the model for training: optimizer, loss and metrics.

        Records an optimizer (`optimizers.get`), a `LossesContainer` and a
        `MetricsContainer` (engine/compile_utils.py). Losses and metrics may
        be strings, functions or objects; for several outputs, a list (one
        per output) or a dict keyed by output name.

        Args:
            optimizer: An optimizer name (`"adam"`) or instance.
            loss: The loss(es) to minimise.
            metrics: Metrics to report for every output (or per output).
            loss_weights: Scalar weights of the outputs' losses in the total.
            weighted_metrics: Metrics that take `sample_weight`/`class_weight`.
            run_eagerly: Accepted for Keras's signature; nanokeras is
                always eager.
            steps_per_execution: Accepted for Keras's signature; must be 1.
            jit_compile: Accepted for Keras's signature; ignored (no compiler).
            auto_scale_loss: Keras 3's loss scaling under mixed precision;
                simplified: no effect (nanokeras has no mixed precision).
        """
        if steps_per_execution != 1:
            raise ValueError(
                f"Model {self.name!r}: nanokeras runs one step per execution; "
                f"received steps_per_execution={steps_per_execution}. Use 1."
            )
        if kwargs:
            raise TypeError(
                f"Invalid keyword arguments passed to compile() of model "
                f"{self.name!r}: {sorted(kwargs)}."
            )
        names = training_utils.output_names(self)
        self.optimizer = optimizers.get(optimizer)
        self.loss = loss
        self.compiled_loss = compile_utils.LossesContainer(loss, loss_weights, names)
        self.compiled_metrics = compile_utils.MetricsContainer(
            metrics, weighted_metrics, names, loss=loss
        )
        self.train_function = self.test_function = self.predict_function = None
        self._is_compiled = True
        self._compile_config = dict(
            loss=loss,
            metrics=metrics,
            loss_weights=loss_weights,
            weighted_metrics=weighted_metrics,
        )

    def get_compile_config(self) -> dict | None:
        """The `compile` arguments as JSON-friendly data (saving stores it)."""
        if not self._is_compiled:
            return None
        config = {
            key: compile_utils.serialize_compile_arg(value)
            for key, value in self._compile_config.items()
        }
        return {"optimizer": optimizers.serialize(self.optimizer), **config}

    def compile_from_config(self, config: dict) -> None:
        """Compile again from `get_compile_config()`'s output (a new optimizer)."""
        self.compile(
            optimizer=optimizers.deserialize(config["optimizer"]),
            loss=compile_utils.deserialize_compile_arg(config["loss"], "loss"),
            metrics=compile_utils.deserialize_compile_arg(config["metrics"], "metric"),
            loss_weights=config.get("loss_weights"),
            weighted_metrics=compile_utils.deserialize_compile_arg(
                config.get("weighted_metrics"), "metric"
            ),
        )

    @property
    def distribute_strategy(self) -> distribute_lib.Strategy:
        """The strategy the training steps run under (the default one)."""
        return distribute_lib.get_strategy()

    @property
    def metrics(self) -> list:
        """The `"loss"` tracker, the compiled metrics (once data was seen), then
        `Metric`s set as attributes of the model (a custom `train_step`'s own
        trackers) or of its layers (a layer that updates a metric in `call`)."""
        compiled = []
        if self._is_compiled:
            compiled = self.compiled_loss.metrics + self.compiled_metrics.metrics
        own = super().metrics
        return compiled + [m for m in own if all(m is not c for c in compiled)]

    @property
    def metrics_names(self) -> list:
        """Names of `metrics`, the order of `evaluate`'s list: `["loss", "mae"]`."""
        return [metric.name for metric in self.metrics]

    def reset_metrics(self) -> None:
        """Zero the state of every metric (done at the start of each epoch)."""
        for metric in self.metrics:
            metric.reset_state()

    def _assert_compile_was_called(self) -> None:
        if not self._is_compiled:
            raise RuntimeError(
                "You must compile your model before training/testing. Use "
                "`model.compile(optimizer, loss)`."
            )

    # --- One step: what `fit`, `evaluate` and `predict` repeat ---

    def compute_loss(
        self,
        x: Any = None,
        y: Any = None,
        y_pred: Any = None,
        sample_weight: Any = None,
        training: bool = True,
    ) -> Any:
        """The total loss of a batch: compiled losses plus `self.losses`.

        As in tf.keras 2.x, this is `self.compiled_loss(...)`, which also
        updates the running `"loss"` metric. `training` is Keras 3's
        argument; the loss is the same either way.
        """
        return self.compiled_loss(
            y, y_pred, sample_weight, regularization_losses=self.losses
        )

    def compute_metrics(
        self, x: Any, y: Any, y_pred: Any, sample_weight: Any = None
    ) -> dict:
        """Update the compiled metrics with a batch; return every metric's result."""
        self.compiled_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def get_metrics_result(self) -> dict:
        """`{name: result}` for every metric of the model."""
        return {metric.name: metric.result() for metric in self.metrics}

    def train_step(self, data: Any) -> dict:
        """One step of gradient descent on one batch; returns the metric results.

        Override it to customise `fit` (keeping callbacks, progress bar and
        data handling): unpack `data`, run the forward pass under a
        `GradientTape`, compute the loss, apply the gradients, update and
        return the metrics.
        """
        x, y, sample_weight = data_adapter.unpack_x_y_sample_weight(data)
        with GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x, y, y_pred, sample_weight)
        self.optimizer.minimize(loss, self.trainable_variables, tape=tape)
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def test_step(self, data: Any) -> dict:
        """One evaluation step: forward pass, loss and metrics, no update."""
        x, y, sample_weight = data_adapter.unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        self.compute_loss(x, y, y_pred, sample_weight, training=False)
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def predict_step(self, data: Any) -> Any:
        """One inference step: the model's outputs for a batch of inputs."""
        x, _, _ = data_adapter.unpack_x_y_sample_weight(data)
        return self(x, training=False)

    def _make_function(self, step: Callable) -> Callable:
        """Wrap a step as `function(iterator)`: read a batch, run it on the strategy.

        tf.keras 2.x compiles this function with `tf.function`; here it stays
        plain Python, and `strategy.run` is where replicas would plug in.
        """
        strategy = self.distribute_strategy

        def function(iterator):
            return strategy.run(step, args=(next(iterator),))

        return function

    def make_train_function(self, force: bool = False) -> Callable:
        """The function `fit` calls once per step (built once, then cached)."""
        if self.train_function is None or force:
            self.train_function = self._make_function(self.train_step)
        return self.train_function

    def make_test_function(self, force: bool = False) -> Callable:
        """The function `evaluate` calls once per step."""
        if self.test_function is None or force:
            self.test_function = self._make_function(self.test_step)
        return self.test_function

    def make_predict_function(self, force: bool = False) -> Callable:
        """The function `predict` calls once per step."""
        if self.predict_function is None or force:
            self.predict_function = self._make_function(self.predict_step)
        return self.predict_function

    # --- The loops ---

    def fit(
        self,
        x: Any = None,
        y: Any = None,
        batch_size: int | None = None,
        epochs: int = 1,
        verbose: Any = "auto",
        callbacks: list | None = None,
        validation_split: float = 0.0,
        validation_data: Any = None,
        shuffle: bool = True,
        class_weight: dict | None = None,
        sample_weight: Any = None,
        initial_epoch: int = 0,
        steps_per_epoch: int | None = None,
        validation_steps: int | None = None,
        validation_batch_size: int | None = None,
        validation_freq: Any = 1,
    ):
        """Train the model for `epochs` epochs; return a `History`.

        The loop the "Keras source" book walks: a `DataHandler` yields epochs
        and steps, each step calls `train_function` (one `train_step`), the
        callbacks hear about every batch and epoch, and validation runs at
        the end of an epoch.

        Args:
            x: Inputs: an array, a list/dict of arrays, a `PyDataset` (its
                `workers` build batches ahead in threads), or a generator (or
                iterable) of `(x, y)` / `(x, y, sample_weight)` batches.
            y: Targets, with array inputs.
            batch_size: Samples per step (default 32) for array inputs.
            epochs: The epoch to stop at (counting from `initial_epoch`).
            verbose: 0 silent, 1 progress bar, 2 one line per epoch;
                `"auto"` is 1.
            callbacks: `Callback`s to call during training.
            validation_split: Fraction of the array data (the last samples,
                before shuffling) held out for validation.
            validation_data: `(x_val, y_val)` or `(x_val, y_val, weights)`.
            shuffle: Shuffle the array data before each epoch.
            class_weight: `{class: weight}` scaling each sample's loss.
            sample_weight: Per-sample weights of the loss.
            initial_epoch: The epoch to start at (to resume training).
            steps_per_epoch: Steps per epoch (default: the whole data).
            validation_steps: Validation steps (default: the whole data).
            validation_batch_size: Validation batch size (default: batch_size).
            validation_freq: Validate every n epochs, or at listed epochs.

        Returns:
            The `History` callback; `history.history` holds the metrics.
        """
        check_method_arguments(
            "fit", batch_size=batch_size, epochs=epochs, verbose=verbose,
            validation_split=validation_split, shuffle=shuffle,
            class_weight=class_weight, initial_epoch=initial_epoch,
            steps_per_epoch=steps_per_epoch, validation_steps=validation_steps,
            validation_batch_size=validation_batch_size,
            validation_freq=validation_freq, callbacks=callbacks,
        )  # fmt: skip
        self._assert_compile_was_called()
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = (
                data_adapter.train_validation_split(
                    (x, y, sample_weight), validation_split
                )
            )
        if validation_data is not None:
            # Converted once here, not at every epoch's validation.
            val_x, val_y, val_weight = data_adapter.prepare_validation_data(
                validation_data
            )
        data_handler = data_adapter.DataHandler(
            x, y, sample_weight, batch_size, steps_per_epoch, initial_epoch,
            epochs, shuffle, class_weight, model=self,
        )  # fmt: skip
        if data_handler.has_no_targets:
            self.compiled_loss.check_targets(None)
        callbacks = training_utils.make_callback_list(
            callbacks, self, verbose, epochs, data_handler.inferred_steps,
            add_history=True,
        )  # fmt: skip
        self.stop_training = False
        train_function = self.make_train_function()
        callbacks.on_train_begin()
        epoch_logs = None
        for epoch, iterator in data_handler.enumerate_epochs():
            self.reset_metrics()
            callbacks.on_epoch_begin(epoch)
            logs = None
            with data_handler.catch_stop_iteration():
                for step in data_handler.steps():
                    callbacks.on_train_batch_begin(step)
                    logs = training_utils.to_python_logs(train_function(iterator))
                    callbacks.on_train_batch_end(step, logs)
                    if self.stop_training:
                        break
            if logs is None:
                break  # the data ran out before this epoch's first step
            epoch_logs = dict(logs)
            if validation_data is not None and training_utils.should_validate(
                epoch, validation_freq
            ):
                val_logs = self.evaluate(
                    val_x, val_y, sample_weight=val_weight,
                    batch_size=validation_batch_size or batch_size,
                    steps=validation_steps, callbacks=callbacks, return_dict=True,
                )  # fmt: skip
                epoch_logs.update({f"val_{k}": v for k, v in val_logs.items()})
            callbacks.on_epoch_end(epoch, epoch_logs)
            if self.stop_training:
                break
        callbacks.on_train_end(epoch_logs)
        return self.history

    def evaluate(
        self,
        x: Any = None,
        y: Any = None,
        batch_size: int | None = None,
        verbose: Any = "auto",
        sample_weight: Any = None,
        steps: int | None = None,
        callbacks: list | None = None,
        return_dict: bool = False,
        **kwargs: Any,
    ) -> Any:
        """Return the loss and metrics on the given data (no weight updates).

        Returns:
            A list in `metrics_names` order (`[loss, mae]`), a scalar when
            the loss is the only metric, or a dict when `return_dict=True`.
        """
        if kwargs:  # Keras 3's message: nothing is silently ignored
            raise ValueError(f"Arguments not recognized: {kwargs}")
        check_method_arguments(
            "evaluate", batch_size=batch_size, verbose=verbose, steps=steps,
            return_dict=return_dict, callbacks=callbacks,
        )  # fmt: skip
        self._assert_compile_was_called()
        data_handler = data_adapter.DataHandler(
            x, y, sample_weight, batch_size, steps_per_epoch=steps, model=self
        )
        callbacks = training_utils.make_callback_list(
            callbacks, self, verbose, 1, data_handler.inferred_steps
        )
        test_function = self.make_test_function()
        callbacks.on_test_begin()
        self.reset_metrics()
        for _, iterator in data_handler.enumerate_epochs():
            with data_handler.catch_stop_iteration():
                for step in data_handler.steps():
                    callbacks.on_test_batch_begin(step)
                    logs = training_utils.to_python_logs(test_function(iterator))
                    callbacks.on_test_batch_end(step, logs)
        logs = training_utils.to_python_logs(self.get_metrics_result())
        callbacks.on_test_end(logs)
        return training_utils.format_results(logs, self.metrics_names, return_dict)

    def predict(
        self,
        x: Any,
        batch_size: int | None = None,
        verbose: Any = "auto",
        steps: int | None = None,
        callbacks: list | None = None,
    ) -> Any:
        """Return the model's outputs for `x`, batch by batch, as numpy arrays.

        Needs no `compile`: it only runs `predict_step` (the forward pass).
        """
        check_method_arguments(
            "predict", batch_size=batch_size, verbose=verbose, steps=steps,
            callbacks=callbacks,
        )  # fmt: skip
        data_handler = data_adapter.DataHandler(
            x, batch_size=batch_size, steps_per_epoch=steps, model=self
        )
        callbacks = training_utils.make_callback_list(
            callbacks, self, verbose, 1, data_handler.inferred_steps
        )
        predict_function = self.make_predict_function()
        callbacks.on_predict_begin()
        batch_outputs = []
        for _, iterator in data_handler.enumerate_epochs():
            with data_handler.catch_stop_iteration():
                for step in data_handler.steps():
                    callbacks.on_predict_batch_begin(step)
                    batch_outputs.append(predict_function(iterator))
                    callbacks.on_predict_batch_end(step, {"outputs": batch_outputs[-1]})
        if not batch_outputs:
            raise ValueError(
                f"Model {self.name!r}: `predict` received no data. Pass at "
                "least one sample (or one batch from a generator)."
            )
        callbacks.on_predict_end()
        return training_utils.concat_batches(batch_outputs)

    # --- One batch at a time ---

    def train_on_batch(
        self,
        x: Any,
        y: Any = None,
        sample_weight: Any = None,
        class_weight: dict | None = None,
        reset_metrics: bool = True,
        return_dict: bool = False,
    ) -> Any:
        """Run one `train_step` on exactly this batch; return its metrics."""
        check_method_arguments(
            "train_on_batch", class_weight=class_weight,
            reset_metrics=reset_metrics, return_dict=return_dict,
        )  # fmt: skip
        self._assert_compile_was_called()
        if reset_metrics:
            self.reset_metrics()
        iterator = data_adapter.single_batch_iterator(x, y, sample_weight, class_weight)
        logs = self.make_train_function()(iterator)
        return training_utils.format_results(logs, self.metrics_names, return_dict)

    def test_on_batch(
        self,
        x: Any,
        y: Any = None,
        sample_weight: Any = None,
        reset_metrics: bool = True,
        return_dict: bool = False,
    ) -> Any:
        """Run one `test_step` on exactly this batch; return its metrics."""
        check_method_arguments(
            "test_on_batch", reset_metrics=reset_metrics, return_dict=return_dict
        )
        self._assert_compile_was_called()
        if reset_metrics:
            self.reset_metrics()
        iterator = data_adapter.single_batch_iterator(x, y, sample_weight)
        logs = self.make_test_function()(iterator)
        return training_utils.format_results(logs, self.metrics_names, return_dict)

    def predict_on_batch(self, x: Any) -> Any:
        """The model's outputs for exactly this batch, as numpy arrays."""
        outputs = self.make_predict_function()(data_adapter.single_batch_iterator(x))
        return training_utils.concat_batches([outputs])
