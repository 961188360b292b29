"""serialization_lib: every built-in object round-trips, Keras 3's dicts load, and
names resolve only through the export registry and the user's custom objects."""

import inspect
import json

import numpy as np
import pytest

import nanokeras as keras
from api_export import REGISTRY
from saving import object_registration, serialization_lib
from saving.file_utils import SavedFileError

# Constructor arguments for the built-in classes that need some.
ARGS = {
    "Activation": dict(activation="tanh"),
    "AveragePooling1D": dict(pool_size=2),
    "AveragePooling2D": dict(pool_size=2),
    "Bidirectional": dict(layer=keras.layers.LSTM(2)),
    "Conv1D": dict(filters=2, kernel_size=3),
    "Conv1DTranspose": dict(filters=2, kernel_size=3),
    "Conv2D": dict(filters=2, kernel_size=3, kernel_regularizer="l2"),
    "Conv2DTranspose": dict(filters=2, kernel_size=3),
    "Dense": dict(units=3, activation="relu", kernel_constraint="max_norm"),
    "DepthwiseConv1D": dict(kernel_size=3),
    "DepthwiseConv2D": dict(kernel_size=3),
    "Dot": dict(axes=1),
    "Dropout": dict(rate=0.5),
    "Embedding": dict(input_dim=5, output_dim=2),
    "GRU": dict(units=2),
    "GRUCell": dict(units=2),
    "InputLayer": dict(shape=(3,)),
    "LSTM": dict(units=2),
    "LSTMCell": dict(units=2),
    "Lambda": dict(function=keras.activations.relu),
    "Permute": dict(dims=(2, 1)),
    "RNN": dict(cell=keras.layers.SimpleRNNCell(2)),
    "RepeatVector": dict(n=2),
    "Reshape": dict(target_shape=(2, 2)),
    "SeparableConv1D": dict(filters=2, kernel_size=3),
    "SeparableConv2D": dict(filters=2, kernel_size=3),
    "SimpleRNN": dict(units=2),
    "SimpleRNNCell": dict(units=2),
    "StackedRNNCells": dict(
        cells=[keras.layers.SimpleRNNCell(2), keras.layers.GRUCell(2)]
    ),
    "LossFunctionWrapper": dict(fn=keras.losses.mean_squared_error),
    "MeanMetricWrapper": dict(fn=keras.metrics.mean_absolute_error),
    "Reduce": dict(reduction="sum", name="total"),
    "CosineDecay": dict(initial_learning_rate=0.1, decay_steps=10),
    "ExponentialDecay": dict(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5),
    "PiecewiseConstantDecay": dict(boundaries=[10], values=[0.1, 0.01]),
}
# Exported classes with no meaningful config of their own: the abstract bases
# (serialized only through their subclasses) and graph containers covered by
# the model tests.
NOT_INSTANTIATED = {
    "Layer", "Model", "Sequential", "Loss", "Metric", "Optimizer",
    "Initializer", "Regularizer", "Constraint", "LearningRateSchedule",
    "RandomInitializer",
}  # fmt: skip


def _builtin_classes():
    seen = {}
    for path, entry in sorted(REGISTRY.items()):
        obj = entry.obj
        if (
            inspect.isclass(obj)
            and hasattr(obj, "get_config")
            and serialization_lib._allowed(path, serialization_lib.CLASS_NAMESPACES)
            and obj.__name__ not in NOT_INSTANTIATED
        ):
            seen.setdefault(obj, path)
    return sorted(seen.items(), key=lambda item: item[1])


BUILTIN_CLASSES = _builtin_classes()


def test_the_round_trip_covers_every_exported_class():
    assert len(BUILTIN_CLASSES) > 120
    covered = {cls.__name__ for cls, _ in BUILTIN_CLASSES}
    assert {"Dense", "LSTM", "Adam", "GlorotUniform", "AUC", "L1L2"} <= covered


@pytest.mark.parametrize(
    "cls", [cls for cls, _ in BUILTIN_CLASSES], ids=[p for _, p in BUILTIN_CLASSES]
)
def test_every_builtin_object_round_trips(cls):
    obj = cls(**ARGS.get(cls.__name__, {}))
    config = serialization_lib.serialize_keras_object(obj)
    assert set(config) >= {"module", "class_name", "config", "registered_name"}
    assert config["module"].startswith("nanokeras")
    text = json.dumps(config)  # a config is plain JSON
    rebuilt = serialization_lib.deserialize_keras_object(json.loads(text))
    assert type(rebuilt) is cls
    assert json.dumps(serialization_lib.serialize_keras_object(rebuilt)) == text


FUNCTION_NAMESPACES = ("activations", "losses", "metrics")


@pytest.mark.parametrize(
    "path",
    sorted(
        path
        for path, entry in REGISTRY.items()
        if path.rpartition(".")[0] in {f"nanokeras.{n}" for n in FUNCTION_NAMESPACES}
        and inspect.isfunction(entry.obj)
        and path.rpartition(".")[2] not in ("get", "serialize", "deserialize")
    ),
)
def test_every_builtin_function_round_trips_to_itself(path):
    function = REGISTRY[path].obj
    config = serialization_lib.serialize_keras_object(function)
    assert config["class_name"] == "function"
    assert serialization_lib.deserialize_keras_object(config) is function


KERAS_OBJECTS = {
    "layers": ["Dense", "Conv2D", "LSTM", "BatchNormalization", "Dropout"],
    "initializers": ["GlorotUniform", "HeNormal", "Orthogonal", "Zeros"],
    "regularizers": ["L1", "L2", "L1L2"],
    "constraints": ["MaxNorm", "NonNeg", "UnitNorm", "MinMaxNorm"],
    "losses": ["MeanSquaredError", "CategoricalCrossentropy", "Huber"],
    "metrics": ["AUC", "Precision", "MeanAbsoluteError", "Accuracy"],
    "optimizers": ["Adam", "SGD", "RMSprop", "AdamW"],
}
KERAS_ARGS = {
    "Dense": dict(units=3, activation="relu", kernel_regularizer="l2"),
    "Conv2D": dict(filters=2, kernel_size=3, kernel_constraint="non_neg"),
    "LSTM": dict(units=2),
    "Dropout": dict(rate=0.5),
}


@pytest.mark.parametrize(
    "module, name", [(m, n) for m, names in KERAS_OBJECTS.items() for n in names]
)
def test_keras_3_serialized_dicts_deserialize_here(real_keras, module, name):
    theirs = getattr(getattr(real_keras, module), name)(**KERAS_ARGS.get(name, {}))
    config = real_keras.saving.serialize_keras_object(theirs)
    assert config["module"].startswith("keras")
    ours = keras.saving.deserialize_keras_object(config)
    assert type(ours).__name__ == name
    assert type(ours) is getattr(getattr(keras, module), name)


def test_keras_3_functions_and_a_functional_model_deserialize_here(real_keras):
    relu = real_keras.saving.serialize_keras_object(real_keras.activations.relu)
    assert keras.saving.deserialize_keras_object(relu) is keras.activations.relu
    inputs = real_keras.Input((4,))
    outputs = real_keras.layers.Dense(2, activation="softmax")(inputs)
    config = real_keras.saving.serialize_keras_object(real_keras.Model(inputs, outputs))
    assert config["class_name"] == "Functional"
    model = keras.saving.deserialize_keras_object(json.loads(json.dumps(config)))
    assert [type(layer).__name__ for layer in model.layers] == ["InputLayer", "Dense"]


# --- The custom-object API ---


def test_register_keras_serializable_round_trips_a_class_and_a_function():
    @keras.saving.register_keras_serializable(package="tests")
    class Scale(keras.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, inputs):
            return inputs * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    @keras.saving.register_keras_serializable(package="tests", name="cube")
    def cube(x):
        return x**3

    try:
        assert keras.saving.get_custom_objects()["tests>Scale"] is Scale
        assert keras.saving.get_registered_name(cube) == "tests>cube"
        config = keras.saving.serialize_keras_object(Scale(3.0))
        assert config["registered_name"] == "tests>Scale"
        assert keras.saving.deserialize_keras_object(config).factor == 3.0
        function = keras.saving.serialize_keras_object(cube)
        assert function["config"] == "tests>cube"
        assert keras.saving.deserialize_keras_object(function) is cube
    finally:
        for key in ("tests>Scale", "tests>cube"):
            obj = keras.saving.get_custom_objects().pop(key)
            object_registration.GLOBAL_CUSTOM_NAMES.pop(obj)


def test_registering_a_class_without_get_config_is_refused():
    with pytest.raises(ValueError, match="NoConfig.*get_config"):

        @keras.saving.register_keras_serializable()
        class NoConfig:
            pass


def test_custom_object_scopes_nest_and_unwind():
    def first(x):
        return x

    def second(x):
        return x

    config = {"class_name": "function", "config": "first", "module": "x"}
    with keras.saving.custom_object_scope({"first": first}):
        with keras.utils.custom_object_scope({"second": second}):
            assert keras.saving.deserialize_keras_object(config) is first
        assert keras.activations.get("first") is first
    with pytest.raises(TypeError, match="Could not locate function 'first'"):
        keras.saving.deserialize_keras_object(config)


def my_activation(x):
    return keras.ops.maximum(x, 0.0) * 2.0


def my_loss(y_true, y_pred):
    return keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)


def my_metric(y_true, y_pred):
    return keras.ops.mean(keras.ops.abs(y_true - y_pred), axis=-1)


class Doubler(keras.layers.Layer):
    """A custom layer with a config and a build config of its own."""

    def __init__(self, units=2, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.kernel = self.add_weight(
            name="kernel", shape=(input_shape[-1], self.units)
        )

    def call(self, inputs):
        return keras.ops.matmul(inputs, self.kernel) * 2.0

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def _custom_model():
    inputs = keras.Input((3,))
    hidden = keras.layers.Dense(4, activation=my_activation)(inputs)
    model = keras.Model(inputs, Doubler(2)(hidden))
    model.compile(optimizer="adam", loss=my_loss, metrics=[my_metric])
    return model


def test_custom_objects_resolve_functions_layers_losses_and_metrics(tmp_path):
    model = _custom_model()
    data = np.random.default_rng(0).normal(size=(8, 3)).astype("float32")
    model.fit(data, data[:, :2], epochs=1, verbose=0)
    path = tmp_path / "custom.keras"
    model.save(path)
    custom = {
        "my_activation": my_activation,
        "my_loss": my_loss,
        "my_metric": my_metric,
        "Doubler": Doubler,
    }
    restored = keras.models.load_model(path, custom_objects=custom)
    np.testing.assert_array_equal(
        restored.predict(data, verbose=0), model.predict(data, verbose=0)
    )
    assert restored.layers[1].activation is my_activation
    assert restored.loss is my_loss
    with keras.saving.custom_object_scope(custom):
        assert keras.models.load_model(path).layers[2].units == 2


def test_an_unknown_custom_object_names_the_missing_name_and_the_file(tmp_path):
    path = tmp_path / "custom.keras"
    _custom_model().save(path)
    with pytest.raises(SavedFileError) as info:
        keras.models.load_model(path, custom_objects={"Doubler": Doubler})
    message = str(info.value)
    assert "my_activation" in message and str(path) in message
    assert "register_keras_serializable" in message


def test_custom_layer_get_build_config_and_build_from_config_round_trip():
    layer = Doubler(3)
    layer.build((None, 5))
    config = keras.layers.serialize(layer)
    assert config["build_config"] == {"input_shape": (None, 5)}
    rebuilt = keras.layers.deserialize(config, custom_objects={"Doubler": Doubler})
    assert rebuilt.built and rebuilt.kernel.shape == (5, 3)


def test_custom_model_get_config_from_config_round_trip():
    class Tower(keras.Model):
        def __init__(self, width=3, **kwargs):
            super().__init__(**kwargs)
            self.width = width
            self.dense = keras.layers.Dense(width)

        def call(self, inputs):
            return self.dense(inputs)

        def get_config(self):
            return {**super().get_config(), "width": self.width}

    model = Tower(4, name="tower")
    model(np.ones((1, 2), "float32"))
    config = keras.saving.serialize_keras_object(model)
    rebuilt = keras.saving.deserialize_keras_object(
        config, custom_objects={"Tower": Tower}
    )
    assert isinstance(rebuilt, Tower) and rebuilt.width == 4 and rebuilt.built
    assert [w.shape for w in rebuilt.weights] == [(2, 4), (4,)]


def test_layers_deserialize_refuses_a_config_that_is_not_a_layer():
    config = keras.saving.serialize_keras_object(keras.optimizers.Adam())
    with pytest.raises(ValueError, match="config of a layer.*Adam"):
        keras.layers.deserialize(config)


def test_names_outside_the_modeling_namespaces_are_never_resolved():
    for module, name in [
        ("nanokeras.models", "load_model"),
        ("keras.saving", "save_model"),
        ("nanokeras.utils", "set_random_seed"),
    ]:
        config = {"module": module, "class_name": "function", "config": name}
        with pytest.raises(ValueError, match="not a modeling object"):
            keras.saving.deserialize_keras_object(config)
    # A module the file names is never imported: an unknown name is an error.
    config = {"module": "os", "class_name": "function", "config": "system"}
    with pytest.raises(TypeError, match="Could not locate function 'system'"):
        keras.saving.deserialize_keras_object(config)
    config = {"module": "subprocess", "class_name": "Popen", "config": {}}
    with pytest.raises(TypeError, match="Could not locate class 'Popen'"):
        keras.saving.deserialize_keras_object(config)


def test_tagged_values_round_trip_and_object_arrays_are_refused():
    values = [b"bytes", slice(1, None, 2), Ellipsis, np.arange(3.0)]
    config = json.loads(json.dumps(serialization_lib.serialize_keras_object(values)))
    rebuilt = serialization_lib.deserialize_keras_object(config)
    assert rebuilt[:3] == values[:3]
    np.testing.assert_array_equal(rebuilt[3], values[3])
    bad = {"class_name": "__numpy__", "config": {"value": [1], "dtype": "object"}}
    with pytest.raises(ValueError, match="dtype 'object'"):
        serialization_lib.deserialize_keras_object(bad)


# --- clone_model ---


def test_clone_model_gives_new_weights_for_sequential_and_functional():
    sequential = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    inputs = keras.Input((3,))
    functional = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    for model in (sequential, functional):
        clone = keras.models.clone_model(model)
        assert type(clone) is type(model) and clone.built
        assert clone.get_config() == model.get_config()
        assert all(a is not b for a, b in zip(clone.weights, model.weights))
        clone.set_weights(model.get_weights())
        data = np.ones((2, 3), "float32")
        np.testing.assert_array_equal(clone.predict(data, verbose=0),
                                      model.predict(data, verbose=0))  # fmt: skip


def test_clone_model_applies_clone_function_and_input_tensors():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="d")])

    def rename(layer):
        return layer.__class__.from_config({**layer.get_config(), "name": "copy"})

    assert [layer.name for layer in keras.models.clone_model(
        model, clone_function=rename).layers] == ["copy"]  # fmt: skip
    on_new_input = keras.models.clone_model(model, input_tensors=keras.Input((3,)))
    assert on_new_input.output.shape == (None, 2)
    with pytest.raises(NotImplementedError, match="recursive"):
        keras.models.clone_model(model, recursive=True)
