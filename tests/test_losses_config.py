"""Every loss class round-trips through its config, with Keras 3's config keys."""

import inspect

import pytest

import nanokeras as keras

LOSS_CLASSES = [
    obj
    for name, obj in vars(keras.losses).items()
    if inspect.isclass(obj)
    and issubclass(obj, keras.losses.LossFunctionWrapper)
    and obj is not keras.losses.LossFunctionWrapper
]


def test_every_builtin_loss_class_is_covered():
    assert len({cls.__name__ for cls in LOSS_CLASSES}) >= 15


@pytest.mark.parametrize("cls", LOSS_CLASSES, ids=lambda cls: cls.__name__)
def test_config_round_trip_and_keras_keys(cls, real_keras):
    loss = cls(name="custom", reduction="sum")
    config = loss.get_config()
    assert "fn" not in config  # a subclass always wraps the same function
    assert cls.from_config(config).get_config() == config
    keras_config = getattr(real_keras.losses, cls.__name__)().get_config()
    # Every key Keras writes is there (Keras 3 also writes a dtype policy)...
    assert set(keras_config) - {"dtype"} <= set(config)
    # ...and ours may keep more: Keras 3.15 drops e.g. Huber's `delta` from the
    # config, so its round trip loses it; every extra key here is an argument.
    assert set(config) <= set(inspect.signature(cls).parameters)
