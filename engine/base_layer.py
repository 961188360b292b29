"""`Layer`: a `Module` that is called on tensors, builds its weights lazily.

Mirrors: keras/engine/base_layer.py (tf.keras 2.6), keras/src/layers/layer.py (Keras 3)

The lifecycle every layer follows, and that this file implements:

1. `__init__` stores the configuration (no weights yet: the input size is
   unknown).
2. The first `__call__` converts the inputs to tensors, checks them against
   `input_spec`, and calls `build(input_shape)` once, which creates the
   weights with `add_weight`.
3. `call(inputs, training=None)` computes the outputs, on every call.

`__call__` has two branches: on real tensors it computes (the "eager" path);
on `KerasTensor`s it only works out output shapes and records a `Node` (the
"symbolic" path, how `Functional` models are built; see chapter 4).
"""

import contextlib
from typing import Any

import numpy as np

import constraints
import initializers
import regularizers
from api_export import export
from backend import nest
from backend.module import Module, camel_to_snake
from backend.name_scope import is_innermost, scope_stack
from backend.ops.core import value_of
from backend.tensor import Tensor
from backend.variables import Variable
from engine import base_layer_utils as utils
from engine import masking, symbolic
from engine.input_spec import assert_input_compatibility
from engine.naming import unique_name
from engine.node import Node


@export("nanokeras.layers.Layer", "nanokeras.Layer")
class Layer(Module):
    """Adds to `Module` the call lifecycle (`build` once, `call`), weights and config.

    Args:
        activity_regularizer: Regularizer of the layer's outputs (adds to
            `losses` on each call), or None.
        trainable: Whether the layer's weights are updated by training.
        dtype: The dtype of the weights and of the computation. Defaults to
            `floatx()` (`"float32"`). Floating inputs are cast to it. Keras 3's
            serialized `DTypePolicy` dict of a plain dtype is accepted too.
        autocast: Keras 3's mixed-precision switch; simplified: no effect
            (nanokeras has no mixed precision).
        name: The layer's name. Defaults to the snake-cased class name made
            unique with a counter: `dense`, `dense_1`, ...
        **kwargs: Keras's layer arguments: `input_shape` (without the batch
            axis), `batch_size`, `batch_input_shape` (with it), `input_dim`
            (`input_shape=(input_dim,)`). A `Sequential` model reads the
            input shape from its first layer.

    Example:

    ```python
    class SimpleDense(Layer):
        def __init__(self, units=4):
            super().__init__()
            self.units = units

        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(input_shape[-1], self.units))

        def call(self, inputs):
            return inputs @ self.kernel
    ```
    """

    # Graph links point at other layers (the walk must not follow them) and
    # the bookkeeping lists hold no sub-layers (no need to search them).
    _TF_MODULE_IGNORED_PROPERTIES = Module._TF_MODULE_IGNORED_PROPERTIES | frozenset(
        ("_inbound_nodes", "_outbound_nodes", "_build_input_shape", "_losses")
        + ("_own_trainable_weights", "_own_non_trainable_weights")
        + ("_weight_regularizers", "_initial_weights", "_layer_attributes")
        + ("_metric_attributes",)
    )

    # A `Metric` is a Layer too, but its running state is not part of the
    # model holding it: `Metric` sets this to False, which keeps it out of the
    # model's `layers` and `weights` (and so out of saving), as in Keras.
    _tracked_as_sublayer = True
    # A model's outputs already carry the masks its layers attached, so
    # `__call__` leaves them as they are (`Functional` sets this).
    _outputs_carry_masks = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "build" in vars(cls) and not getattr(cls.build, "_wrapped_build", False):
            cls.build = utils.wrap_build(cls.build)

    def __init__(
        self,
        *,
        activity_regularizer: Any = None,
        trainable: bool = True,
        dtype: Any = None,
        autocast: bool = True,
        name: str | None = None,
        **kwargs,
    ):
        utils.check_layer_kwargs(type(self).__name__, kwargs)
        super().__init__(name=name or unique_name(camel_to_snake(type(self).__name__)))
        # From here on, __setattr__ may track sub-layers and variables.
        self._self_tracking_ready = True
        self._trainable = bool(trainable)
        self._np_dtype = utils.standardize_dtype(dtype, self.name)
        self._dtype = self._np_dtype.name
        self.built = False
        self.input_spec = None
        self.supports_masking = False
        self._own_trainable_weights: list = []
        self._own_non_trainable_weights: list = []
        self._weight_regularizers: list = []
        self._losses: list = []
        self._inbound_nodes: list = []
        self._outbound_nodes: list = []
        self._build_input_shape = None
        signature = utils.call_signature(type(self))
        self._call_has_training_arg, self._call_training_default = signature[:2]
        self._call_has_mask_arg = signature[2]
        self._computes_masks = type(self).compute_mask is not Layer.compute_mask
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.autocast = autocast
        self._initial_weights = kwargs.get("weights")
        batch_input_shape = utils.batch_input_shape_from_kwargs(kwargs)
        if batch_input_shape is not None:
            self._batch_input_shape = batch_input_shape

    def _check_name(self, name: Any) -> None:
        """Keras's rule, looser than `tf.Module`'s: `"3_layer_mlp"` is a fine name.

        A layer name becomes a name scope, so it cannot hold `/` (which
        separates scopes) or `:` (which starts a variable's output index).
        """
        if not isinstance(name, str) or not name or "/" in name or ":" in name:
            raise ValueError(
                f"Argument `name` of {type(self).__name__} must be a non-empty "
                f"string without '/' or ':'. Received: name={name!r}"
            )

    # --- Attribute tracking ---

    def __setattr__(self, name: str, value: Any) -> None:
        # Only values that hold layers or variables need tracking; checking the
        # type first keeps ordinary attribute writes cheap.
        nested = isinstance(value, (list, tuple, dict))
        if isinstance(value, (Module, Variable)) or (
            nested and utils.holds_trackable(value)
        ):
            if "_self_tracking_ready" not in self.__dict__:
                raise RuntimeError(utils.forgot_super_init_message(self, name))
            for leaf in nest.leaves(value, sort_keys=False):
                if isinstance(leaf, Variable):
                    self._track_variable(leaf)
        # Remember which attributes may hold sub-layers (containers too: a
        # list may receive layers after it is assigned), so `weights` and
        # `losses` search those few instead of every attribute.
        if (nested or isinstance(value, Layer)) and (
            name not in self._TF_MODULE_IGNORED_PROPERTIES
        ):
            self.__dict__.setdefault("_layer_attributes", {})[name] = None
            # A metric (a layer kept as state, not as a sub-layer) is noted
            # apart too: `metrics`, asked at every training step, reads these.
            if _is_metric(value):
                self.__dict__.setdefault("_metric_attributes", {})[name] = None
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        self.__dict__.get("_layer_attributes", {}).pop(name, None)
        self.__dict__.get("_metric_attributes", {}).pop(name, None)
        object.__delattr__(self, name)

    def _track_variable(self, variable: Variable) -> None:
        own = self._own_trainable_weights + self._own_non_trainable_weights
        if all(variable is not known for known in own):
            if variable.trainable:
                self._own_trainable_weights.append(variable)
            else:
                self._own_non_trainable_weights.append(variable)

    def _tracked_layers(self) -> list:
        """The direct sub-layers, in the order their attributes were first set."""
        layers, attributes = [], self.__dict__
        for key in attributes.get("_layer_attributes", ()):
            for leaf in nest.leaves(attributes.get(key), sort_keys=False):
                if (
                    isinstance(leaf, Layer)
                    and leaf._tracked_as_sublayer
                    and all(leaf is not x for x in layers)
                ):
                    layers.append(leaf)
        return layers

    def _flatten_layers(self, include_self: bool = True, recursive: bool = True):
        """Yield this layer (optionally) and its sub-layers, depth first, once each."""
        seen = set()
        pending = [self] if include_self else list(self._tracked_layers())
        while pending:
            layer = pending.pop(0)
            if id(layer) in seen:
                continue
            seen.add(id(layer))
            yield layer
            if recursive or layer is self:
                pending[0:0] = layer._tracked_layers()

    # --- Weights ---

    def add_weight(
        self,
        *args: Any,
        shape: tuple | None = None,
        initializer: Any = None,
        dtype: Any = None,
        trainable: bool = True,
        autocast: bool = True,
        regularizer: Any = None,
        constraint: Any = None,
        aggregation: str = "none",
        overwrite_with_gradient: bool = False,
        name: str | None = None,
        **kwargs,
    ) -> Variable:
        """Create a weight, track it, and return it as a `Variable`.

        Positional arguments take either Keras 3's order `(shape, initializer,
        dtype)` or, when the first is a string, tf.keras 2.x's `(name, shape,
        dtype, initializer, regularizer, trainable, constraint)`.

        Args:
            *args: The positional forms above.
            shape: The weight's shape; `()` for a scalar.
            initializer: An initializer or its name. Defaults to
                `"glorot_uniform"` for floating weights and `"zeros"` otherwise.
            dtype: Defaults to the layer's dtype.
            trainable: Whether training updates it (and gradients flow to it).
            autocast: Simplified: no effect (no mixed precision).
            regularizer: A regularizer or its name; its penalty joins `losses`.
            constraint: A constraint or its name, applied after each update.
            aggregation: Simplified: no effect (a single device).
            overwrite_with_gradient: Keras 3's float8 switch; only False.
            name: The weight's name, prefixed with the layer's (`dense/kernel:0`).
            **kwargs: tf.keras 2.x's `synchronization` and `use_resource`,
                accepted and ignored (single device).
        """
        given = dict(
            name=name, shape=shape, dtype=dtype, initializer=initializer,
            regularizer=regularizer, trainable=trainable, constraint=constraint,
        )  # fmt: skip
        given = utils.positional_add_weight_args(self.name, args, given)
        kwargs["overwrite_with_gradient"] = overwrite_with_gradient
        utils.check_add_weight_kwargs(self.name, kwargs)
        name, shape, dtype = given["name"], given["shape"], given["dtype"]
        initializer, trainable = given["initializer"], given["trainable"]
        regularizer, constraint = given["regularizer"], given["constraint"]
        shape = () if shape is None else tuple(shape)
        dtype = np.dtype(dtype or self._dtype).name
        if initializer is None:
            initializer = "glorot_uniform" if "float" in dtype else "zeros"
        init = initializers.get(initializer)
        # Inside this layer's own call or build, its (possibly nested) scope
        # is the current one already; elsewhere (e.g. `__init__`), enter the
        # scope the layer was created in.
        with contextlib.nullcontext() if is_innermost(self) else self.name_scope:
            variable = Variable(
                lambda: init(shape, dtype=dtype),
                trainable=trainable,
                name=name,
                dtype=dtype,
                constraint=constraints.get(constraint),
            )
        self._track_variable(variable)
        if regularizer is not None:
            self._weight_regularizers.append((regularizers.get(regularizer), variable))
        return variable

    def add_variable(
        self,
        shape: tuple,
        initializer: Any,
        dtype: Any = None,
        trainable: bool = True,
        autocast: bool = True,
        regularizer: Any = None,
        constraint: Any = None,
        name: str | None = None,
    ) -> Variable:
        """Keras 3's `add_weight` with `shape` and `initializer` required."""
        return self.add_weight(
            shape=shape, initializer=initializer, dtype=dtype, trainable=trainable,
            autocast=autocast, regularizer=regularizer, constraint=constraint,
            name=name,
        )  # fmt: skip

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        """Freezing a layer freezes its weights and sub-layers (as Keras 3 does).

        The variables' own `trainable` flags follow, so a `GradientTape` stops
        watching frozen weights. Weights created non-trainable stay so.
        """
        for layer in self._flatten_layers():
            layer._trainable = bool(value)
            for weight in layer._own_trainable_weights:
                weight.trainable = bool(value)

    @property
    def weights(self) -> list:
        """Own weights (trainable first, creation order), then each sub-layer's."""
        weights, seen = [], set()
        for layer in self._flatten_layers():
            for weight in (
                layer._own_trainable_weights + layer._own_non_trainable_weights
            ):
                if id(weight) not in seen:
                    seen.add(id(weight))
                    weights.append(weight)
        return weights

    @property
    def trainable_weights(self) -> list:
        """The weights training updates: none if the layer is frozen."""
        if not self.trainable:
            return []
        return [weight for weight in self.weights if weight.trainable]

    @property
    def non_trainable_weights(self) -> list:
        if not self.trainable:
            return self.weights
        return [weight for weight in self.weights if not weight.trainable]

    # Module's names for the same lists, in Keras's order.
    variables = weights
    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights

    def get_weights(self) -> list:
        """The weights' values as numpy arrays, in `weights` order."""
        return [weight.numpy() for weight in self.weights]

    def set_weights(self, weights: list) -> None:
        """Assign numpy arrays to the weights, in `weights` order; shapes must match."""
        own = self.weights
        utils.check_weights_match(self.name, own, weights)
        for variable, value in zip(own, weights):
            variable.assign(value)

    def count_params(self) -> int:
        """The total number of scalars in the weights; the layer must be built."""
        if not self.built:
            raise ValueError(
                f"You tried to call `count_params` on layer '{self.name}', but "
                "the layer isn't built. You can build it manually via: "
                f"`{self.name}.build(batch_input_shape)`, or call it on data."
            )
        return int(sum(np.prod(w.shape, dtype=np.int64) for w in self.weights))

    # --- Losses ---

    def add_loss(self, loss: Any) -> None:
        """Add a loss tensor (computed in `call`) to `losses`, for training."""
        self._losses.append(loss)
        utils.call_context().losses_added = True

    @property
    def losses(self) -> list:
        """Losses added in the last call, then the weight regularizers' penalties."""
        losses = []
        for layer in self._flatten_layers():
            losses.extend(layer._losses)
            losses.extend(reg(weight) for reg, weight in layer._weight_regularizers)
        return losses

    @property
    def metrics(self) -> list:
        """The `Metric`s set as attributes of this layer or of its sub-layers.

        A layer that computes its own metric in `call` (the endpoint-layer
        pattern) reports it here, and a model's `fit` logs it.
        """
        found = []
        for layer in self._flatten_layers():
            # `__setattr__` noted the attributes that were set to a metric:
            # read those, not every attribute (`fit` asks at every step).
            attributes = vars(layer)
            for key in attributes.get("_metric_attributes", ()):
                value = attributes.get(key)
                if _is_metric(value) and all(value is not m for m in found):
                    found.append(value)
        return found

    def _clear_losses(self) -> None:
        for layer in self._flatten_layers():
            layer._losses.clear()

    # --- The lifecycle: build, call, __call__ ---

    def build(self, input_shape: Any) -> None:
        """Create the weights, knowing the input shape. Runs once, before `call`."""
        self._build_input_shape = input_shape
        self.built = True

    def call(self, inputs: Any, *args, **kwargs) -> Any:
        """The layer's computation. The base layer returns its inputs unchanged."""
        return inputs

    def _maybe_build(self, inputs: Any) -> None:
        if not self.built:
            self.build(symbolic.shape_structure(inputs))
            self.built = True
            if self._initial_weights is not None:
                self.set_weights(self._initial_weights)
                self._initial_weights = None

    def __call__(self, *args, **kwargs) -> Any:
        """Run the layer on `inputs`: convert, check, build once, call.

        On `KerasTensor`s, only compute the output specs and record a `Node`
        (see `_symbolic_call`). Each step below is a few attribute reads on a
        built layer, so calling a layer costs little more than its `call`.
        """
        if not args or "_self_tracking_ready" not in self.__dict__:
            args = self._inputs_from_kwargs(kwargs)
        first = args[0]
        # The common case, one tensor and at most `training`/`mask`, cannot
        # hold a KerasTensor: skip looking for one.
        if not (
            type(first) is Tensor
            and len(args) == 1
            and (not kwargs or kwargs.keys() <= _CONTEXT_KWARGS)
        ) and symbolic.has_keras_tensor(args, kwargs):
            return self._symbolic_call(args, kwargs)

        # 1. Read the input's mask (a `call` that takes `mask` receives it),
        # then convert numpy arrays and lists of numbers to tensors.
        previous_mask = kwargs.get("mask")
        if previous_mask is None and masking.mask_use.attached:
            previous_mask = masking.masks_of(first)
            if previous_mask is not None and self._call_has_mask_arg:
                kwargs["mask"] = previous_mask
        if type(first) is not Tensor or value_of(first).dtype != self._np_dtype:
            first = utils.convert_inputs(first, self._dtype)
            args = (first,) + args[1:]
        if len(args) > 1:  # further tensor arguments: convert numpy arrays too
            args = (first,) + tuple(
                utils.convert_input(x, self._dtype) if isinstance(x, np.ndarray) else x
                for x in args[1:]
            )
        # 2. Check the input spec (a few comparisons).
        if self.input_spec is not None:
            assert_input_compatibility(self.input_spec, first, self.name)
        # 3. Open the layer's name scope, under the caller's (a layer built
        # inside a model's call names its weights `model/dense/...`, as
        # tf.keras 2.x), around build and call.
        context = utils.call_context()
        scopes = context.scopes
        scopes.append(self)
        try:
            # 4. Build once.
            if not self.built:
                self._maybe_build(first)
            # 5. Resolve `training`: explicit argument, else the outer call's,
            # else the default of this layer's `call` signature.
            training = kwargs.get("training")
            if training is None:
                training = context.training
                if training is None:
                    training = self._call_training_default
            if self._call_has_training_arg:
                if training is not None:
                    kwargs["training"] = training
            elif "training" in kwargs:
                del kwargs["training"]
            # An outermost call starts this layer's losses afresh (as Keras
            # does on every outermost call), once the thread has seen any
            # `add_loss`: the flag stays set, because the stale losses may
            # sit in a layer other than the one the last outermost call ran.
            if context.losses_added and context.depth == 0:
                self._clear_losses()
            # 6. Call, with `training` visible to the layers `call` calls.
            previous_training, context.training = context.training, training
            context.depth += 1
            try:
                outputs = self.call(*args, **kwargs)
            finally:
                context.depth -= 1
                context.training = previous_training
        finally:
            scopes.pop()
        if self.activity_regularizer is not None:
            self._add_activity_loss(outputs)
        if (
            previous_mask is not None or self._computes_masks
        ) and not self._outputs_carry_masks:
            masking.attach_output_masks(
                outputs, self.compute_mask(first, previous_mask)
            )
        return outputs

    def _inputs_from_kwargs(self, kwargs: dict) -> tuple:
        if "_self_tracking_ready" not in self.__dict__:
            raise RuntimeError(
                f"In layer '{type(self).__name__}', you forgot to call "
                "`super().__init__()` as the first statement of `__init__()`."
            )
        if "inputs" not in kwargs:
            raise ValueError(f'Layer "{self.name}" was called without inputs.')
        return (kwargs.pop("inputs"),)

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """The outputs' mask: the input's passes through if `supports_masking`."""
        return mask if self.supports_masking else None

    def _add_activity_loss(self, outputs: Any) -> None:
        for output in nest.flatten(outputs):
            batch = output.shape[0] if output.ndim else 1
            self.add_loss(self.activity_regularizer(output) / batch)

    # --- Symbolic path (chapter 2, then chapter 4: how Functional sees a call) ---

    def _symbolic_call(self, args: tuple, kwargs: dict) -> Any:
        """Call on `KerasTensor`s: no values, only output specs and a graph `Node`.

        Masks flow as in the eager path: the inputs' `_keras_mask` is given to
        a `call` that takes `mask` (only while working out the output specs:
        the node records the call as written, and the running model passes
        the real mask again), and the outputs get the mask `compute_mask`
        gives on placeholders.
        """
        if self.input_spec is not None:
            assert_input_compatibility(self.input_spec, args[0], self.name)
        mask = kwargs.get("mask")
        trace_kwargs = kwargs
        if mask is None:
            mask = masking.masks_of(args[0])
            if mask is not None and self._call_has_mask_arg:
                trace_kwargs = dict(kwargs, mask=mask)
        # tf.keras works out a symbolic call in a scratch graph whose scopes
        # start at the root: a functional model's layers are `dense/...`.
        scopes = scope_stack()
        scopes += ("", self)  # the root, then this layer's scope under it
        try:
            if not self.built:
                self._maybe_build(args[0])
            outputs = self.compute_output_spec(*args, **trace_kwargs)
        finally:
            del scopes[-2:]
        Node(self, call_args=args, call_kwargs=kwargs, outputs=outputs)
        if mask is not None or self._computes_masks:
            output_mask = symbolic.symbolic_output_mask(self, args[0], mask)
            masking.attach_output_masks(outputs, output_mask)
        return outputs

    def compute_output_spec(self, *args, **kwargs) -> Any:
        """The `KerasTensor`(s) a call on `args` would return.

        Uses `compute_output_shape` when the layer implements it; otherwise
        runs `call` on placeholder zeros to see what comes out.
        """
        if type(self).compute_output_shape is not Layer.compute_output_shape:
            shapes = self.compute_output_shape(symbolic.shape_structure(args[0]))
            return symbolic.specs_from_shapes(shapes, self._dtype)
        return symbolic.trace_output_spec(self, args, kwargs)

    def compute_output_shape(self, input_shape: Any) -> Any:
        """The output shape for `input_shape` (the batch axis may be None).

        The base implementation runs `call` on placeholders; layers override it
        with the formula (cheaper, and it documents the layer).
        """
        return symbolic.output_shape_by_tracing(self, input_shape)

    # --- Graph connectivity ---

    @property
    def input(self) -> Any:
        """The input `KerasTensor` of the layer's first symbolic call."""
        return self._first_node("input").call_args[0]

    @property
    def output(self) -> Any:
        """The output `KerasTensor`(s) of the layer's first symbolic call."""
        return self._first_node("output").outputs

    def _first_node(self, what: str) -> Node:
        if not self._inbound_nodes:
            raise AttributeError(
                f"The layer {self.name} has never been called on a symbolic "
                f"input and thus has no defined {what}."
            )
        return self._inbound_nodes[0]

    # --- Configuration ---

    @property
    def dtype(self) -> str:
        """The dtype of the weights."""
        return self._dtype

    @property
    def compute_dtype(self) -> str:
        """The dtype of the computation (floating inputs are cast to it)."""
        return self._dtype

    @property
    def variable_dtype(self) -> str:
        return self._dtype

    def get_config(self) -> dict:
        """The arguments that rebuild this layer with `from_config` (no weights)."""
        config = {"name": self.name, "trainable": self.trainable, "dtype": self._dtype}
        if getattr(self, "_batch_input_shape", None) is not None:
            config["batch_input_shape"] = self._batch_input_shape
        utils.check_get_config_is_overridden(self, Layer)
        return config

    @classmethod
    def from_config(cls, config: dict) -> "Layer":
        """Rebuild a layer (unbuilt, without weights) from its `get_config`."""
        return cls(**config)

    def get_build_config(self) -> dict | None:
        """The input shape the layer was built with, so loading can rebuild it."""
        if self._build_input_shape is None:
            return None
        return {"input_shape": self._build_input_shape}

    def build_from_config(self, config: dict | None) -> None:
        """Build from `get_build_config()`'s output (creates the weights)."""
        if config and not self.built:
            self.build(config["input_shape"])

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _is_metric(value: Any) -> bool:
    """A `Metric`: the layers that are state, not sub-layers (metrics import
    this file, so the test reads the flag `Metric` sets)."""
    return isinstance(value, Layer) and not value._tracked_as_sublayer


# The keyword arguments `__call__` resolves itself (never KerasTensors).
_CONTEXT_KWARGS = frozenset(("training", "mask"))
