"""`BaseOptimizer`: the state every optimizer keeps, and how it is saved.

Mirrors: keras/optimizer_v2/optimizer_v2.py (tf.keras 2.6),
keras/src/optimizers/base_optimizer.py (Keras 3)

An optimizer's state is a handful of variables: `iterations` (the step
counter), the `learning_rate` (a variable, or a schedule read at each step),
and the *slots*, variables the optimizer creates beside each trained variable
(Adam's `momentum` and `velocity`). Keras 3 creates slots with
`add_variable_from_reference`; tf.keras 2.x called that `add_slot` and read
them back with `get_slot`. Both names work here. What an optimizer does with
that state, one step at a time, is `optimizer.py`.

Every Keras optimizer takes the same eleven arguments after its own
(`weight_decay` ... `name`); they are declared once, by `BaseOptimizer`, and
`shared_arguments` lends them to each optimizer's signature.
"""

import functools
import inspect
import re
import warnings
from typing import Any

import numpy as np

from backend import config
from backend.module import camel_to_snake
from backend.name_scope import name_scope
from backend.ops.core import value_of
from backend.variables import Variable
from optimizers.schedules import learning_rate_schedule
from utils.argument_validation import refuse_unsupported


class BaseOptimizer:
    """The root of the optimizer chain: step counter, learning rate, slots, config.

    `Optimizer` (in `optimizer.py`) adds the training step on top.

    Args:
        learning_rate: A float, a `LearningRateSchedule`, or a callable
            returning a float.
        weight_decay: If set, each step first shrinks every variable by
            `variable * weight_decay * learning_rate` (decoupled weight decay).
        clipnorm: If set, each gradient is rescaled so its L2 norm is at most
            this value.
        clipvalue: If set, each gradient is clipped to `[-clipvalue, clipvalue]`.
        global_clipnorm: If set, all gradients are rescaled together so their
            joint L2 norm is at most this value.
        use_ema: Not supported (must be False); kept for Keras's signature.
        ema_momentum: Unused (kept for Keras's signature).
        ema_overwrite_frequency: Unused (kept for Keras's signature).
        loss_scale_factor: If set, gradients are divided by it before use.
        gradient_accumulation_steps: Not supported (must be None).
        name: The optimizer's name, the scope of its variables' names.
    """

    def __init__(
        self,
        learning_rate: Any,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        loss_scale_factor: float | None = None,
        gradient_accumulation_steps: int | None = None,
        name: str | None = None,
        **kwargs: Any,
    ):
        kwargs.pop("decay", None)  # Keras ignores the old `decay` argument too
        if kwargs:
            raise ValueError(f"Argument(s) not recognized: {kwargs}")
        refuse_unsupported(
            type(self).__name__,
            use_ema=use_ema,
            gradient_accumulation_steps=gradient_accumulation_steps,
        )
        clip_arguments = [clipnorm, clipvalue, global_clipnorm]
        if sum(a is not None for a in clip_arguments) > 1:
            raise ValueError(
                "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be "
                f"set. Received: clipnorm={clipnorm}, clipvalue={clipvalue}, "
                f"global_clipnorm={global_clipnorm}"
            )
        self.name = name or camel_to_snake(type(self).__name__)
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.use_ema = use_ema
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.built = False
        self._variables: list[Variable] = []
        self._trainable_variables: list[Variable] = []
        self._trainable_variables_indices: dict[int, int] = {}
        self._slots: dict[int, dict[str, Variable]] = {}
        self._scratch: list[np.ndarray] = []
        self._exclude_from_weight_decay: set[int] = set()
        self._exclude_from_weight_decay_pattern: re.Pattern | None = None
        with name_scope(self.name):
            self._iterations = Variable(
                0, name="iteration", dtype="int64", trainable=False
            )
        self._variables.append(self._iterations)
        self._learning_rate = self._build_learning_rate(learning_rate)

    # --- Learning rate and iterations ---

    def _build_learning_rate(self, learning_rate: Any) -> Any:
        if isinstance(learning_rate, learning_rate_schedule.LearningRateSchedule):
            return learning_rate
        if callable(learning_rate):
            return learning_rate
        if isinstance(learning_rate, bool) or not isinstance(
            learning_rate, (int, float, np.floating, np.integer)
        ):
            raise ValueError(
                f"{type(self).__name__}: argument `learning_rate` should be a float, "
                "a `LearningRateSchedule`, or a callable returning a float. "
                f"Received: learning_rate={learning_rate!r}"
            )
        with name_scope(self.name):
            variable = Variable(
                float(learning_rate),
                name="learning_rate",
                dtype=config.floatx(),
                trainable=False,
            )
        self._variables.insert(1, variable)
        return variable

    @property
    def iterations(self) -> Variable:
        """The number of steps applied so far (an int64 `Variable`)."""
        return self._iterations

    @property
    def learning_rate(self) -> Any:
        """The current learning rate: a `Variable`, or the schedule's value now."""
        if isinstance(self._learning_rate, Variable):
            return self._learning_rate
        if isinstance(self._learning_rate, learning_rate_schedule.LearningRateSchedule):
            return self._learning_rate(self._iterations)
        return self._learning_rate()

    @learning_rate.setter
    def learning_rate(self, learning_rate: Any) -> None:
        if isinstance(self._learning_rate, Variable) and not callable(learning_rate):
            self._learning_rate.assign(float(learning_rate))
            return
        if isinstance(
            self._learning_rate, learning_rate_schedule.LearningRateSchedule
        ) and not callable(learning_rate):
            raise TypeError(
                f"{type(self).__name__} was created with a `LearningRateSchedule` as "
                "its `learning_rate`, so its learning rate cannot be set to a number. "
                "Create the optimizer with a float `learning_rate` to change it."
            )
        if isinstance(self._learning_rate, Variable):
            self._variables.remove(self._learning_rate)
        self._learning_rate = self._build_learning_rate(learning_rate)

    def _current_learning_rate(self) -> float:
        """The learning rate for this step as a Python float (cheap to use)."""
        if isinstance(self._learning_rate, Variable):
            return float(self._learning_rate)
        return float(np.asarray(self.learning_rate))

    # --- Variables and slots ---

    @property
    def variables(self) -> list[Variable]:
        """Iterations, the learning rate (if a float), then every slot, in order."""
        return self._variables[:]

    def build(self, var_list: list[Variable]) -> None:
        """Remember the variables to train; subclasses then create their slots."""
        for index, variable in enumerate(var_list):
            self._trainable_variables_indices[id(variable)] = index
            self._scratch.append(np.empty_like(value_of(variable)))
        self._trainable_variables = list(var_list)
        self.built = True

    def add_variable(
        self,
        shape: tuple,
        initializer: Any = "zeros",
        dtype: Any = None,
        aggregation: str = "none",
        name: str | None = None,
    ) -> Variable:
        """Create a non-trainable variable owned by the optimizer."""
        value = _initial_value(initializer, tuple(shape), dtype or config.floatx())
        with name_scope(self.name):
            variable = Variable(value, name=name, trainable=False)
        self._variables.append(variable)
        return variable

    def add_variable_from_reference(
        self, reference_variable: Variable, name: str | None = None, initializer="zeros"
    ) -> Variable:
        """Create a slot shaped like `reference_variable` (Keras 3's `add_slot`).

        The slot is named after the variable (`dense_kernel_momentum`) and can
        be read back with `get_slot(reference_variable, name)`.
        """
        name = name or "var"
        base = reference_variable.name.split(":")[0].replace("/", "_")
        slot = self.add_variable(
            reference_variable.shape,
            initializer=initializer,
            dtype=reference_variable.dtype,
            name=f"{base}_{name}",
        )
        self._slots.setdefault(id(reference_variable), {})[name] = slot
        return slot

    def add_optimizer_variables(
        self, trainable_variables: list, name: Any, initializer: Any = "zeros"
    ) -> Any:
        """One slot per variable for `name`; a tuple of lists for a list of names."""
        names = [name] if isinstance(name, str) else list(name)
        slots = tuple(
            [
                self.add_variable_from_reference(v, n, initializer)
                for v in trainable_variables
            ]
            for n in names
        )
        return slots[0] if isinstance(name, str) else slots

    def add_slot(
        self, var: Variable, slot_name: str, initializer: Any = "zeros"
    ) -> Variable:
        """tf.keras 2.x's `add_variable_from_reference`; returns an existing slot."""
        existing = self._slots.get(id(var), {}).get(slot_name)
        if existing is not None:
            return existing
        return self.add_variable_from_reference(var, slot_name, initializer)

    def get_slot(self, var: Variable, slot_name: str) -> Variable:
        """Return the slot `slot_name` of `var` (tf.keras 2.x)."""
        slots = self._slots.get(id(var), {})
        if slot_name not in slots:
            raise KeyError(
                f"{type(self).__name__} has no slot {slot_name!r} for variable "
                f"'{var.name}'. Its slots are {self.get_slot_names()} (created by "
                "`build` on the first `apply_gradients`)."
            )
        return slots[slot_name]

    def get_slot_names(self) -> list[str]:
        """The slot names this optimizer created, in creation order."""
        names: dict[str, None] = {}
        for slots in self._slots.values():
            names.update(dict.fromkeys(slots))
        return list(names)

    def _get_variable_index(self, variable: Variable) -> int:
        return self._trainable_variables_indices[id(variable)]

    # --- In-place helpers for `update_step` ---

    def assign(self, variable: Variable, value: Any) -> None:
        variable.assign(value)

    def assign_add(self, variable: Variable, value: Any) -> None:
        variable.assign_add(value)

    def assign_sub(self, variable: Variable, value: Any) -> None:
        variable.assign_sub(value)

    # A step that must not allocate writes into `variable.array_for_update()`
    # with numpy's `out=` ops instead (see `Variable.array_for_update`).

    # --- Saving (Keras 3's hooks, used by `save_weights` / `model.save`) ---

    def save_own_variables(self, store: dict) -> None:
        """Write every optimizer variable into `store` under `"0"`, `"1"`, ..."""
        for index, variable in enumerate(self.variables):
            store[str(index)] = variable.numpy()

    def load_own_variables(self, store: Any) -> None:
        """Read the variables `save_own_variables` wrote, all or nothing.

        Like Keras, an optimizer that has a different number of variables
        (typically: not built yet) warns and loads nothing. A shape mismatch
        raises before any variable is changed.
        """
        variables = self.variables
        if len(store.keys()) != len(variables):
            hint = (
                " This is likely because the optimizer has not been built yet."
                if not self.built
                else ""
            )
            warnings.warn(
                f"Skipping variable loading for optimizer '{self.name}', because it "
                f"has {len(variables)} variables whereas the saved optimizer has "
                f"{len(store.keys())} variables.{hint}",
                stacklevel=2,
            )
            return
        values = [np.asarray(store[str(index)]) for index in range(len(variables))]
        for variable, value in zip(variables, values):
            if value.shape != variable.shape:
                raise ValueError(
                    f"Optimizer '{self.name}': the saved value for variable "
                    f"'{variable.name}' has shape {value.shape}, but the variable has "
                    f"shape {variable.shape}. The file was saved from a different "
                    "model or optimizer."
                )
        for variable, value in zip(variables, values):
            variable.assign(value.astype(variable.dtype, copy=False))

    # --- Config ---

    def get_config(self) -> dict:
        if isinstance(self._learning_rate, learning_rate_schedule.LearningRateSchedule):
            learning_rate = learning_rate_schedule.serialize(self._learning_rate)
        elif isinstance(self._learning_rate, Variable):
            learning_rate = float(self._learning_rate)
        else:
            learning_rate = self._learning_rate
        return {
            "name": self.name,
            "learning_rate": learning_rate,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }

    @classmethod
    def from_config(
        cls, config: dict, custom_objects: dict | None = None
    ) -> "BaseOptimizer":
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = learning_rate_schedule.deserialize(
                config["learning_rate"], custom_objects=custom_objects
            )
        return cls(**config)


# The shared arguments, read once from `BaseOptimizer.__init__`: the one place
# they are declared, with their defaults.
_SHARED_PARAMETERS = [
    parameter
    for name, parameter in inspect.signature(BaseOptimizer.__init__).parameters.items()
    if name not in ("self", "learning_rate", "kwargs")
]


def shared_arguments(init: Any) -> Any:
    """Give an optimizer's `__init__` Keras's full signature: its own arguments,
    then the shared ones (`weight_decay` ... `name`), then `**kwargs`.

    Keras spells all eleven shared arguments in every optimizer's signature
    and forwards each by name. Here an optimizer lists only its own arguments
    and passes `**kwargs` on to `BaseOptimizer`, where the shared ones are
    declared. The signature stays Keras's, and stays true: calls are bound to
    it, so `inspect.signature`, `help()` and even positional calls
    (`Adam(0.01, 0.9, 0.999, 1e-7, False, 0.004)`) behave as in Keras.
    """
    own = inspect.signature(init)
    own_parameters = [p for p in own.parameters.values() if p.kind is not p.VAR_KEYWORD]
    own_names = {p.name for p in own_parameters}
    signature = own.replace(
        parameters=own_parameters
        + [p for p in _SHARED_PARAMETERS if p.name not in own_names]
        + [own.parameters["kwargs"]]
    )

    @functools.wraps(init)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        arguments = signature.bind(self, *args, **kwargs).arguments
        extra = arguments.pop("kwargs", {})
        init(**arguments, **extra)

    __init__.__signature__ = signature  # what `inspect.signature` reports
    return __init__


def _initial_value(initializer: Any, shape: tuple, dtype: Any) -> np.ndarray:
    """Slots need only constants: `"zeros"`, `"ones"`, a number, or a callable."""
    if isinstance(initializer, str):
        if initializer not in ("zeros", "ones"):
            raise ValueError(
                f"Optimizer slots accept the initializers 'zeros' and 'ones', a "
                f"number or a callable. Received: {initializer!r}"
            )
        return np.full(shape, 0.0 if initializer == "zeros" else 1.0, dtype=dtype)
    if isinstance(initializer, (int, float)):
        return np.full(shape, initializer, dtype=dtype)
    if callable(initializer):
        return np.asarray(initializer(shape, dtype=dtype), dtype=dtype)
    raise ValueError(f"Unsupported slot initializer: {initializer!r}")
