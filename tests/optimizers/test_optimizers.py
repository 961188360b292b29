"""Optimizers: 50-step trajectories equal Keras 3's, the book's API, errors, config."""

import warnings

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import optimizers

# Keras 3's own variables warn about numpy 2's `copy=` protocol; not our concern.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

# (class name, constructor kwargs): every optimizer, every option that changes
# the update rule, and the base-class options (clipping, weight decay, schedules).
CASES = [
    ("SGD", {}),
    ("SGD", {"learning_rate": 0.05, "momentum": 0.9}),
    ("SGD", {"learning_rate": 0.05, "momentum": 0.9, "nesterov": True}),
    ("Adam", {}),
    ("Adam", {"learning_rate": 0.01, "amsgrad": True}),
    ("Adam", {"learning_rate": 0.01, "beta_1": 0.8, "beta_2": 0.95, "epsilon": 1e-4}),
    ("AdamW", {"learning_rate": 0.01}),
    ("AdamW", {"learning_rate": 0.01, "weight_decay": 0.1, "amsgrad": True}),
    ("RMSprop", {}),
    ("RMSprop", {"learning_rate": 0.01, "momentum": 0.5}),
    ("RMSprop", {"learning_rate": 0.01, "centered": True}),
    ("RMSprop", {"learning_rate": 0.01, "centered": True, "momentum": 0.3, "rho": 0.8}),
    ("Adagrad", {"learning_rate": 0.05}),
    ("Adagrad", {"learning_rate": 0.05, "initial_accumulator_value": 0.5}),
    ("Adamax", {"learning_rate": 0.01}),
    ("Nadam", {"learning_rate": 0.01}),
    ("SGD", {"learning_rate": 0.1, "clipnorm": 1.0}),
    ("SGD", {"learning_rate": 0.1, "clipvalue": 0.5}),
    ("SGD", {"learning_rate": 0.1, "global_clipnorm": 2.0}),
    ("Adam", {"learning_rate": 0.01, "clipnorm": 0.5}),
    ("Adam", {"learning_rate": 0.01, "global_clipnorm": 1.0}),
    ("RMSprop", {"learning_rate": 0.01, "clipvalue": 0.2}),
    ("SGD", {"learning_rate": 0.1, "weight_decay": 0.05}),
    ("Adam", {"learning_rate": 0.01, "weight_decay": 0.02}),
    ("Nadam", {"learning_rate": 0.01, "weight_decay": 0.02, "clipnorm": 1.0}),
    ("Adam", {"learning_rate": ("ExponentialDecay", (0.05, 10, 0.5))}),
    ("SGD", {"learning_rate": ("ExponentialDecay", (0.1, 7, 0.8, True))}),
    (
        "SGD",
        {"learning_rate": ("PiecewiseConstantDecay", ([10, 30], [0.1, 0.05, 0.01]))},
    ),
    ("Adam", {"learning_rate": ("CosineDecay", (0.05, 40))}),
    ("Adam", {"learning_rate": ("CosineDecay", (0.01, 30, 0.1, "cd", 0.05, 10))}),
]


def _ids(case):
    name, kwargs = case
    parts = [f"{k}={v[0] if isinstance(v, tuple) else v}" for k, v in kwargs.items()]
    return "-".join([name, *parts])


def _build(module, name, kwargs):
    kwargs = dict(kwargs)
    rate = kwargs.get("learning_rate")
    if isinstance(rate, tuple):
        schedule_name, args = rate
        kwargs["learning_rate"] = getattr(module.optimizers.schedules, schedule_name)(
            *args
        )
    return getattr(module.optimizers, name)(**kwargs)


@pytest.mark.keras
@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_trajectory_matches_keras(real_keras, case, gradient_stream, initial_values):
    name, kwargs = case
    ours = [keras.Variable(v) for v in initial_values]
    theirs = [real_keras.Variable(v) for v in initial_values]
    our_optimizer = _build(keras, name, kwargs)
    their_optimizer = _build(real_keras, name, kwargs)
    for step, grads in enumerate(gradient_stream):
        our_optimizer.apply_gradients(
            zip([keras.ops.convert_to_tensor(g) for g in grads], ours)
        )
        their_optimizer.apply_gradients(zip(grads, theirs))
        for mine, reference in zip(ours, theirs):
            np.testing.assert_allclose(
                mine.numpy(),
                np.asarray(reference.numpy()),
                rtol=1e-5,
                atol=1e-5,
                err_msg=f"step {step}",
            )
    assert int(our_optimizer.iterations) == 50
    # The parameter whose gradient is always zero only moves by weight decay.
    if not kwargs.get("weight_decay") and name != "AdamW":
        assert ours[0].numpy()[0, 0] == initial_values[0][0, 0]


def test_book_sgd_with_momentum():
    # SYLLABUS ch.13: v = 0.9 v - 0.1 g; w += v, with g = 2w (loss w^2).
    w = keras.Variable(1.0)
    sgd = optimizers.SGD(learning_rate=0.1, momentum=0.9)
    for _ in range(2):
        sgd.minimize(lambda: w * w, [w])
    # step 1: v = -0.2, w = 0.8; step 2: v = 0.9 * -0.2 - 0.16 = -0.34, w = 0.46
    assert float(w) == pytest.approx(0.46)
    assert float(sgd.get_slot(w, "momentum")) == pytest.approx(-0.34)
    assert int(sgd.iterations) == 2


def test_minimize_with_tape_and_slots():
    w = keras.Variable([1.0, -2.0], name="w")
    adam = optimizers.Adam(learning_rate=0.1)
    with keras.GradientTape() as tape:
        loss = keras.ops.sum(w * w)
    adam.minimize(loss, [w], tape=tape)
    # First Adam step moves every coordinate by about lr against its gradient.
    np.testing.assert_allclose(w.numpy(), [0.9, -1.9], atol=1e-6)
    assert adam.get_slot_names() == ["momentum", "velocity"]
    assert adam.get_slot(w, "momentum") is adam.add_slot(w, "momentum")
    assert [v.name for v in adam.variables] == [
        "adam/iteration:0",
        "adam/learning_rate:0",
        "adam/w_momentum:0",
        "adam/w_velocity:0",
    ]


def test_minimize_needs_a_tape_for_tensor_losses():
    w = keras.Variable(1.0)
    with pytest.raises(ValueError, match="`tape` is required"):
        optimizers.SGD().minimize(keras.ops.convert_to_tensor(1.0), [w])


def test_none_gradients_are_skipped_with_keras_warning():
    a, b = keras.Variable(1.0, name="a"), keras.Variable(1.0, name="b")
    sgd = optimizers.SGD(learning_rate=0.5)
    with pytest.warns(
        UserWarning, match=r"Gradients do not exist for variables \['b:0'\]"
    ):
        sgd.apply_gradients([(keras.ops.convert_to_tensor(1.0), a), (None, b)])
    assert float(a) == 0.5 and float(b) == 1.0
    with pytest.raises(ValueError, match="No gradients provided for any variable"):
        sgd.apply_gradients([(None, a)])


def test_constraint_applied_after_update():
    w = keras.Variable([0.5, -0.5], constraint=lambda v: keras.ops.maximum(v, 0.0))
    optimizers.SGD(learning_rate=1.0).apply_gradients(
        [(keras.ops.convert_to_tensor([1.0, 1.0]), w)]
    )
    np.testing.assert_allclose(w.numpy(), [0.0, 0.0])


def test_update_bumps_version_so_stale_tapes_fail():
    w = keras.Variable([1.0])
    with keras.GradientTape() as tape:
        loss = keras.ops.sum(w * 3.0)
    optimizers.Adam().apply_gradients([(keras.ops.convert_to_tensor([1.0]), w)])
    with pytest.raises(RuntimeError, match="was modified"):
        tape.gradient(loss, w)


def test_updates_are_in_place():
    w = keras.Variable(np.ones((3, 3), dtype="float32"))
    array = w._value
    adam = optimizers.Adam()
    for _ in range(3):
        adam.apply_gradients([(keras.ops.ones((3, 3)), w)])
    assert w._value is array


def test_subnormal_moments_are_flushed():
    w = keras.Variable(np.ones(4, dtype="float32"))
    adam = optimizers.Adam()
    adam.apply_gradients([(keras.ops.convert_to_tensor([1e-19, 1.0, 0.0, 0.0]), w)])
    velocity = adam.get_slot(w, "velocity")
    velocity.assign(np.array([1e-40, 1.0, 0.0, 0.0], dtype="float32"))  # subnormal
    for _ in range(200):
        adam.apply_gradients([(keras.ops.convert_to_tensor([0.0, 1.0, 0.0, 0.0]), w)])
    tiny = np.finfo(np.float32).tiny
    values = np.concatenate([s.numpy() for s in adam.variables[2:]])
    assert not np.any((values != 0) & (np.abs(values) < tiny))


def test_learning_rate_property_is_settable():
    adam = optimizers.Adam(learning_rate=0.01)
    assert float(adam.learning_rate) == pytest.approx(0.01)
    adam.learning_rate = 0.5
    assert float(adam.learning_rate) == 0.5
    assert adam.get_config()["learning_rate"] == 0.5
    scheduled = optimizers.SGD(optimizers.schedules.ExponentialDecay(1.0, 1, 0.5))
    with pytest.raises(TypeError, match="cannot be set to a number"):
        scheduled.learning_rate = 0.1


def test_schedule_uses_iterations():
    w = keras.Variable(0.0)
    sgd = optimizers.SGD(optimizers.schedules.PiecewiseConstantDecay([1], [1.0, 0.1]))
    gradient = keras.ops.convert_to_tensor(1.0)
    for _ in range(3):  # rates used: step 0 -> 1.0, step 1 -> 1.0, step 2 -> 0.1
        sgd.apply_gradients([(gradient, w)])
    assert float(w) == pytest.approx(-2.1)


@pytest.mark.parametrize(
    "name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adamax", "Nadam"]
)
def test_get_config_round_trip(name):
    optimizer = getattr(optimizers, name)(learning_rate=0.02, clipnorm=1.5)
    rebuilt = optimizers.deserialize(optimizers.serialize(optimizer))
    assert type(rebuilt) is type(optimizer)
    assert rebuilt.get_config() == optimizer.get_config()


def test_schedule_config_round_trip():
    schedule = optimizers.schedules.CosineDecay(
        0.1, 100, alpha=0.1, warmup_target=0.2, warmup_steps=5
    )
    adam = optimizers.Adam(learning_rate=schedule)
    rebuilt = optimizers.Adam.from_config(adam.get_config())
    assert isinstance(rebuilt._learning_rate, optimizers.schedules.CosineDecay)
    assert rebuilt.get_config() == adam.get_config()


def test_get_by_name_any_case_and_errors():
    assert isinstance(optimizers.get("adam"), optimizers.Adam)
    assert isinstance(optimizers.get("RMSprop"), optimizers.RMSprop)
    assert isinstance(
        optimizers.get({"class_name": "SGD", "config": {"momentum": 0.5}}),
        optimizers.SGD,
    )
    sgd = optimizers.SGD()
    assert optimizers.get(sgd) is sgd
    assert optimizers.get(None) is None
    with pytest.raises(
        ValueError, match=r"Could not interpret optimizer identifier: 'adamm'.*'adam'"
    ):
        optimizers.get("adamm")


def test_default_names_match_keras():
    names = [getattr(optimizers, n)().name for n in ["SGD", "Adam", "AdamW", "RMSprop"]]
    assert names == ["sgd", "adam", "adam_w", "rm_sprop"]


def test_argument_errors():
    with pytest.raises(ValueError, match="Only one of `clipnorm`, `clipvalue`"):
        optimizers.SGD(clipnorm=1.0, clipvalue=1.0)
    with pytest.raises(ValueError, match="`momentum` must be a float between"):
        optimizers.SGD(momentum=2.0)
    with pytest.raises(ValueError, match="`weight_decay` must be a float"):
        optimizers.AdamW(weight_decay=None)
    with pytest.raises(ValueError, match="`learning_rate` should be a float"):
        optimizers.Adam(learning_rate="fast")
    with pytest.raises(ValueError, match="not recognized"):
        optimizers.Adam(lr=0.1)


def test_unknown_variable_error():
    a, b = keras.Variable(1.0, name="a"), keras.Variable(1.0, name="b")
    adam = optimizers.Adam()
    adam.apply_gradients([(keras.ops.convert_to_tensor(1.0), a)])
    with pytest.raises(ValueError, match="Unknown variable: 'b:0'"):
        adam.apply_gradients([(keras.ops.convert_to_tensor(1.0), b)])


def test_exclude_from_weight_decay():
    kernel = keras.Variable([1.0], name="kernel")
    bias = keras.Variable([1.0], name="bias")
    adamw = optimizers.AdamW(learning_rate=0.1, weight_decay=0.5)
    adamw.exclude_from_weight_decay(var_names=["bias"])
    zero = keras.ops.convert_to_tensor([0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        adamw.apply_gradients([(zero, kernel), (zero, bias)])
    assert float(kernel[0]) == pytest.approx(0.95)
    assert float(bias[0]) == 1.0


def test_save_and_load_own_variables_restore_the_state():
    w = keras.Variable([1.0, 2.0], name="w")
    adam = optimizers.Adam()
    adam.apply_gradients([(keras.ops.convert_to_tensor([0.5, -0.5]), w)])
    store = {}
    adam.save_own_variables(store)
    assert sorted(store) == ["0", "1", "2", "3"]
    fresh_w = keras.Variable([1.0, 2.0], name="w")
    fresh = optimizers.Adam()
    fresh.build([fresh_w])
    fresh.load_own_variables(store)
    assert int(fresh.iterations) == 1
    np.testing.assert_array_equal(
        fresh.get_slot(fresh_w, "velocity").numpy(),
        adam.get_slot(w, "velocity").numpy(),
    )


def test_load_own_variables_all_or_nothing():
    w = keras.Variable([1.0, 2.0], name="w")
    adam = optimizers.Adam()
    with pytest.warns(UserWarning, match="not been built yet"):
        adam.load_own_variables({str(i): np.zeros(2) for i in range(4)})
    adam.build([w])
    store = {"0": np.array(5), "1": np.array(0.1), "2": np.ones(2), "3": np.ones(3)}
    with pytest.raises(ValueError, match=r"'adam/w_velocity:0' has shape \(3,\)"):
        adam.load_own_variables(store)
    assert int(adam.iterations) == 0  # nothing was loaded
