"""GradientTape: recording, watching, persistence and the structure of results."""

import gc
import weakref

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import ops


def test_gradient_of_a_variable_is_recorded_automatically():
    w = keras.Variable([1.0, 2.0, 3.0])
    with keras.GradientTape() as tape:
        loss = ops.sum(w * w)
    grad = tape.gradient(loss, w)
    assert isinstance(grad, keras.Tensor)
    np.testing.assert_allclose(grad.numpy(), [2.0, 4.0, 6.0])


def test_tensors_need_watch():
    x = keras.Tensor([3.0])
    with keras.GradientTape() as tape:
        y = x * x
    assert tape.gradient(y, x) is None
    with keras.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [6.0])


def test_watch_rejects_non_tensors():
    with keras.GradientTape() as tape:
        with pytest.raises(TypeError, match="takes Tensors or Variables, got float"):
            tape.watch([[1.0]])


def test_non_trainable_and_unwatched_variables():
    frozen = keras.Variable(2.0, trainable=False)
    w = keras.Variable(3.0)
    with keras.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(frozen)
        y = frozen * w
    assert tape.gradient(y, [frozen, w])[1] is None
    with keras.GradientTape() as tape:
        y = frozen * w
    grads = tape.gradient(y, [frozen, w])
    assert grads[0] is None
    assert float(grads[1]) == 2.0
    assert tape.watched_variables() == (w,)


def test_unconnected_gradients_none_or_zero():
    w, unused = keras.Variable([1.0]), keras.Variable([[5.0, 5.0]])
    with keras.GradientTape(persistent=True) as tape:
        y = w * 2
    assert tape.gradient(y, unused) is None
    zero = tape.gradient(y, unused, unconnected_gradients="zero")
    np.testing.assert_array_equal(zero.numpy(), [[0.0, 0.0]])
    with pytest.raises(ValueError, match="unconnected_gradients"):
        tape.gradient(y, w, unconnected_gradients="ignore")


def test_second_call_needs_persistent():
    w = keras.Variable(1.0)
    with keras.GradientTape() as tape:
        y = w * w
    tape.gradient(y, w)
    with pytest.raises(RuntimeError, match="persistent=True"):
        tape.gradient(y, w)
    with keras.GradientTape(persistent=True) as tape:
        y = w * w
        z = y * 3
    assert float(tape.gradient(y, w)) == 2.0
    assert float(tape.gradient(z, w)) == 6.0


def test_sources_keep_their_nested_structure():
    a, b, c = keras.Variable(1.0), keras.Variable(2.0), keras.Variable(3.0)
    with keras.GradientTape() as tape:
        y = a * b * c
    grads = tape.gradient(y, {"first": a, "rest": [b, (c,)]})
    assert float(grads["first"]) == 6.0
    assert float(grads["rest"][0]) == 3.0
    assert float(grads["rest"][1][0]) == 2.0


def test_a_tensor_used_twice_accumulates_both_paths():
    w = keras.Variable(3.0)
    with keras.GradientTape() as tape:
        h = w * w  # used by both branches below
        y = h + ops.exp(h * 0.0) * h
    # y = 2 h = 2 w^2, so dy/dw = 4 w.
    assert float(tape.gradient(y, w)) == pytest.approx(12.0)


def test_list_of_targets_is_summed_and_output_gradients_seed():
    w = keras.Variable([1.0, 2.0])
    with keras.GradientTape(persistent=True) as tape:
        y1, y2 = w * 2, w * 3
    np.testing.assert_allclose(tape.gradient([y1, y2], w).numpy(), [5.0, 5.0])
    seeded = tape.gradient(y1, w, output_gradients=np.array([1.0, 0.0]))
    np.testing.assert_allclose(seeded.numpy(), [2.0, 0.0])


def test_stop_recording_pauses_the_tape():
    w = keras.Variable(2.0)
    with keras.GradientTape() as tape:
        with tape.stop_recording():
            hidden = w * w
        y = w * 3 + hidden
    assert float(tape.gradient(y, w)) == 3.0


def test_nested_tapes_refuse_second_derivatives_instead_of_returning_none():
    # Each tape records independently: the outer one sees the inner forward ops.
    x = keras.Variable(3.0)
    with keras.GradientTape() as outer:
        with keras.GradientTape() as inner:
            y = x * x * x
        first = inner.gradient(y, x)
    assert float(first) == pytest.approx(27.0)
    # The vjps run in numpy, so the gradient itself is not differentiable:
    # TensorFlow would give 6x = 18 here; a None would pass for "no effect".
    with pytest.raises(NotImplementedError, match="second-order gradients"):
        outer.gradient(first, x)


def test_outer_tape_still_differentiates_what_does_not_use_the_gradient():
    x = keras.Variable(3.0)
    with keras.GradientTape() as outer:
        with keras.GradientTape() as inner:
            y = x * x
        inner.gradient(y, x)
        z = x * 2.0
    assert float(outer.gradient(z, x)) == 2.0


def test_persistent_tape_refuses_to_differentiate_its_own_gradient():
    x = keras.Variable(3.0)
    with keras.GradientTape(persistent=True) as tape:
        y = x * x
        first = tape.gradient(y, x)
    with pytest.raises(NotImplementedError, match="second-order gradients"):
        tape.gradient(first, x)
    assert float(tape.gradient(y, x)) == 6.0


def test_gradient_through_a_variable_changed_after_reading_is_refused():
    w = keras.Variable([1.0, 2.0], name="kernel")
    with keras.GradientTape() as tape:
        y = ops.sum(w * w)
    w.assign_add([1.0, 1.0])
    with pytest.raises(RuntimeError, match="'kernel:0' was modified"):
        tape.gradient(y, w)


def test_gradient_dtype_follows_the_source():
    w = keras.Variable(np.ones(3, dtype="float64"))
    with keras.GradientTape() as tape:
        y = ops.sum(w * 2.0)
    assert tape.gradient(y, w).dtype == "float64"


def test_gradient_rejects_non_tensor_sources():
    w = keras.Variable(1.0)
    with keras.GradientTape() as tape:
        y = w * 2
    with pytest.raises(TypeError, match="sources must be Tensors or Variables"):
        tape.gradient(y, [np.ones(1)])


def test_untracked_data_is_not_recorded():
    data = keras.Tensor(np.ones((4, 3), dtype="float32"))
    with keras.GradientTape() as tape:
        data @ keras.Tensor(np.ones((3, 2), dtype="float32"))
    assert tape._records == []  # nothing depends on a watched value


def test_watch_error_says_how_to_convert():
    with keras.GradientTape() as tape:
        with pytest.raises(TypeError) as error:
            tape.watch([np.ones(2)])
    assert str(error.value) == (
        "GradientTape.watch() takes Tensors or Variables, got ndarray. Convert "
        "it first with `nanokeras.ops.convert_to_tensor(value)`."
    )


def test_a_watched_tensor_is_kept_alive_while_the_tape_lives():
    """The tape holds what it tracks, so the id it keys them by cannot be
    reused by a new tensor that was never watched."""
    with keras.GradientTape() as tape:
        temporary = keras.Tensor([1.0])
        tape.watch(temporary)
        alive = weakref.ref(temporary)
        del temporary
        gc.collect()
        assert alive() is not None


def test_a_variable_changed_between_two_watches_is_still_refused():
    """The version checked is the one from the first read: watching the variable
    again after changing it does not make the earlier records right."""
    w = keras.Variable([1.0, 2.0], name="kernel")
    with keras.GradientTape() as tape:
        tape.watch(w)
        y = ops.sum(w * w)
        w.assign([3.0, 4.0])
        tape.watch(w)
    with pytest.raises(RuntimeError, match="'kernel:0' was modified"):
        tape.gradient(y, w)


def test_gradient_with_respect_to_an_intermediate_tensor():
    x = keras.Variable([1.0, 2.0])
    with keras.GradientTape() as tape:
        y = x * x
        z = ops.sum(y * 3.0)
    dx, dy = tape.gradient(z, [x, y])
    np.testing.assert_allclose(dx.numpy(), [6.0, 12.0])
    np.testing.assert_allclose(dy.numpy(), [3.0, 3.0])


def test_stop_recording_needs_a_recording_tape_and_resumes_it():
    tape = keras.GradientTape()
    with pytest.raises(ValueError) as error:
        with tape.stop_recording():
            pass
    assert str(error.value) == "stop_recording() needs a tape that is recording."
    w = keras.Variable(2.0)
    tape = keras.GradientTape(persistent=True)
    with tape:
        with tape.stop_recording():
            pass
        inside = w * 3.0  # recorded again after the pause
    after = w * 5.0  # the block has ended: the tape records no more
    assert float(tape.gradient(inside, w)) == 3.0
    assert tape.gradient(after, w) is None


def test_watched_variables_lists_each_variable_once_in_order():
    first, second = keras.Variable(1.0), keras.Variable(2.0)
    with keras.GradientTape() as tape:
        second * first * second
    assert tape.watched_variables() == (second, first)


def test_a_zero_unconnected_gradient_has_the_source_shape_and_dtype():
    w, unused = keras.Variable([1.0]), keras.Variable(np.ones((2, 3), "float64"))
    with keras.GradientTape() as tape:
        y = w * 2
    zero = tape.gradient(y, unused, unconnected_gradients="zero")
    assert zero.shape == (2, 3) and zero.dtype == "float64"
    assert not np.any(zero.numpy())


def test_a_gradient_comes_in_the_source_dtype_even_through_float64_ops():
    w = keras.Variable([1.0, 2.0])  # float32
    with keras.GradientTape() as tape:
        y = ops.sum(w * keras.Tensor(np.array([3.0, 4.0])))  # computed in float64
    grad = tape.gradient(y, w)
    assert y.dtype == "float64" and grad.dtype == "float32"
    np.testing.assert_array_equal(grad.numpy(), [3.0, 4.0])


def test_gradient_errors_read_in_full():
    w = keras.Variable(1.0, name="kernel")
    with keras.GradientTape() as tape:
        y = w * w
    with pytest.raises(ValueError) as error:
        tape.gradient(y, w, unconnected_gradients="ignore")
    assert str(error.value) == (
        "`unconnected_gradients` must be 'none' or 'zero', got 'ignore'."
    )
    with pytest.raises(TypeError) as error:
        tape.gradient(y, [np.ones(1)])
    assert str(error.value) == (
        "GradientTape.gradient() sources must be Tensors or Variables, got ndarray."
    )
    tape.gradient(y, w)
    with pytest.raises(RuntimeError) as error:
        tape.gradient(y, w)
    assert str(error.value) == (
        "This GradientTape has already computed gradients once and is not "
        "persistent. Create it with `GradientTape(persistent=True)` to call "
        "`gradient()` more than once."
    )
    with keras.GradientTape() as tape:
        y = w * w
    w.assign(2.0)
    with pytest.raises(RuntimeError) as error:
        tape.gradient(y, w)
    assert str(error.value) == (
        "Variable 'kernel:0' was modified (by assign, assign_add or assign_sub) "
        "after this tape recorded an op that read it, so the recorded gradients "
        "would be wrong. Compute gradients before updating the variables."
    )


def test_a_tape_whose_block_ended_cannot_be_paused():
    with keras.GradientTape() as tape:
        pass
    with pytest.raises(ValueError, match="needs a tape that is recording"):
        with tape.stop_recording():
            pass
