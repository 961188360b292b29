"""API parity with Keras 3: same public names, signatures and defaults.

For every public path of the nanokeras registry whose Keras twin exists
(`nanokeras.a.b.C` -> `keras.a.b.C`), the signature of the callable (a class's
`__init__`) must offer every parameter Keras has, with the same name, kind and
default; the parameters Keras lacks must be few and each is justified below.
Every Keras name of the families in our scope (issues 3 and 4) must exist in
nanokeras, aliases included. The lists below are the only exceptions, each
with its reason; a new difference fails until it is fixed or justified here.
"""

import inspect

import pytest

import nanokeras
from api_export import REGISTRY

# Public paths with no Keras 3 twin at the same path, and why we have them.
NO_KERAS_TWIN = {
    "nanokeras.GradientTape": "TensorFlow stand-in (tf.GradientTape), the tape "
    "Keras's tf backend trains with; Keras 3 has no public tape",
    "nanokeras.Module": "TensorFlow stand-in (tf.Module), the root of the "
    "tf.keras 2.x chain Module -> Layer -> Model",
    "nanokeras.Tensor": "TensorFlow stand-in (tf.Tensor); Keras 3 uses the "
    "backend's own array type",
    "nanokeras.distribute.Strategy": "tf.distribute stand-in: the default "
    "single-device strategy `fit` runs through",
    "nanokeras.distribute.StrategyExtended": "tf.distribute.StrategyExtended "
    "stand-in: where a strategy places the optimizer's variable updates",
    "nanokeras.distribute.get_strategy": "tf.distribute.get_strategy stand-in",
    "nanokeras.distribute.has_strategy": "tf.distribute.has_strategy stand-in",
    "nanokeras.losses.LossFunctionWrapper": "tf.keras 2.x public class, "
    "the base of the loss classes; Keras 3 keeps it private",
    "nanokeras.metrics.Reduce": "tf.keras 2.x public base of Sum/Mean; "
    "Keras 3 keeps it private",
    "nanokeras.metrics.accuracy": "tf.keras 2.x public function behind "
    "`Accuracy`; Keras 3 keeps it private",
    "nanokeras.ops.getitem": "the op behind `Tensor.__getitem__` (tf's "
    "strided slice); Keras 3 has it as a method only",
    **{
        f"nanokeras.losses.{alias}": "tf.keras 2.x short alias (tf.keras."
        f"losses.{alias}); Keras 3 keeps only the long name"
        for alias in ("KLD", "MAE", "MAPE", "MSE", "MSLE")
        + ("kld", "mae", "mape", "mse", "msle")
    },
}

# Same path in Keras 3, but a different object by design: signatures differ.
DIFFERENT_BY_DESIGN = {
    "nanokeras.Variable": "TensorFlow stand-in: tf.Variable(initial_value, "
    "trainable, name, dtype, constraint), not Keras 3's backend Variable",
    "nanokeras.name_scope": "TensorFlow stand-in: tf.name_scope(name), the "
    "scope Module uses; Keras 3's caller/deduplicate flags have no meaning",
}

# (path, parameter) -> why our parameter differs from Keras's ("<order>": the
# positional order). Constructors and functions have none left: every
# difference found was fixed. The methods' few are tf.keras 2.x choices.
ALLOWED_DIFFERENCES = {
    ("nanokeras.Model.compile", "<order>"): "nanokeras keeps tf.keras 2.x's "
    "order (optimizer, loss, metrics, loss_weights); Keras 3 puts "
    "loss_weights before metrics. Keyword calls are identical",
}

# (path, parameter) -> why we take a parameter Keras's signature lacks.
ALLOWED_EXTRAS = {
    ("nanokeras.Model.train_on_batch", "reset_metrics"): "tf.keras 2.x argument "
    "(default True, its behaviour); Keras 3 dropped it",
    ("nanokeras.Model.test_on_batch", "reset_metrics"): "tf.keras 2.x argument "
    "(default True, its behaviour); Keras 3 dropped it",
}

# The user-facing methods compared like the constructors above.
METHODS = {
    "nanokeras.Model": [
        "compile", "fit", "evaluate", "predict", "train_on_batch",
        "test_on_batch", "predict_on_batch", "save", "save_weights",
        "load_weights", "summary", "get_layer", "reset_metrics", "get_config",
        "from_config", "get_weights", "set_weights", "count_params", "to_json",
    ],
    "nanokeras.Sequential": ["add", "pop", "build"],
    "nanokeras.layers.Layer": [
        "get_config", "from_config", "get_weights", "set_weights", "add_loss",
        "count_params", "get_build_config", "build_from_config", "add_weight",
        "add_variable",
    ],
    "nanokeras.metrics.Metric": ["update_state", "result", "reset_state"]
    + ["add_variable"],
    "nanokeras.optimizers.Optimizer": [
        "apply_gradients", "apply", "get_config", "from_config",
    ],
    "nanokeras.callbacks.Callback": [
        "set_model", "set_params", "on_epoch_begin", "on_epoch_end",
        "on_train_begin", "on_train_end", "on_train_batch_begin",
        "on_train_batch_end", "on_test_begin", "on_test_end",
        "on_predict_begin", "on_predict_end",
    ],
    "nanokeras.losses.Loss": ["__call__", "call", "get_config", "from_config"],
}  # fmt: skip
# Left out of METHODS by design (tf.keras 2.x forms the book teaches):
# `Layer.compute_mask(inputs, mask)` (Keras 3: `previous_mask`), and
# `Optimizer.build(var_list)` (Keras 3 names it `variables`).


def _keras_object(real_keras, public_path: str):
    """`nanokeras.a.b.C` -> the object at `keras.a.b.C`, or None."""
    obj = real_keras
    for part in public_path.split(".")[1:]:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def _signature(obj) -> inspect.Signature:
    return inspect.signature(obj.__init__ if inspect.isclass(obj) else obj)


def _differences(path: str, ours, theirs) -> list[str]:
    """Human-readable differences of our signature from Keras's."""
    mine, keras_params = _signature(ours).parameters, _signature(theirs).parameters
    found = []
    for name, param in keras_params.items():
        if name == "self" or (path, name) in ALLOWED_DIFFERENCES:
            continue
        if param.kind is param.VAR_KEYWORD:
            if not any(p.kind is p.VAR_KEYWORD for p in mine.values()):
                found.append("missing **kwargs")
            continue
        if name not in mine:
            found.append(f"missing {name}={param.default!r}")
            continue
        if mine[name].kind is not param.kind:
            found.append(
                f"{name}: kind {mine[name].kind.name}, Keras {param.kind.name}"
            )
        if repr(mine[name].default) != repr(param.default):
            found.append(
                f"{name}: default {mine[name].default!r}, Keras {param.default!r}"
            )
    for name, param in mine.items():
        skipped = name == "self" or param.kind is param.VAR_KEYWORD
        if (
            not skipped
            and name not in keras_params
            and (path, name) not in ALLOWED_EXTRAS
        ):
            found.append(f"extra {name}={param.default!r}")
    ordered = [
        name
        for name, p in keras_params.items()
        if name in mine and p.kind is p.POSITIONAL_OR_KEYWORD and name != "self"
    ]
    ours_ordered = [name for name in mine if name in ordered]
    if ours_ordered != ordered and (path, "<order>") not in ALLOWED_DIFFERENCES:
        found.append(f"positional order {ours_ordered}, Keras {ordered}")
    return found


def test_registry_is_populated():
    assert "nanokeras.layers.Dense" in REGISTRY
    assert nanokeras.layers.Dense is REGISTRY["nanokeras.layers.Dense"].obj


def test_every_public_path_has_a_keras_twin_or_a_reason(real_keras):
    missing = {
        path
        for path in REGISTRY
        if path not in NO_KERAS_TWIN and _keras_object(real_keras, path) is None
    }
    assert not missing, f"No Keras 3 twin and no reason given: {sorted(missing)}"
    stale = {path for path in NO_KERAS_TWIN if _keras_object(real_keras, path)}
    assert not stale, f"These now have a Keras twin; compare them: {sorted(stale)}"
    assert set(NO_KERAS_TWIN) <= set(REGISTRY)


def test_signatures_match_keras(real_keras):
    report = {}
    for path, entry in sorted(REGISTRY.items()):
        theirs = _keras_object(real_keras, path)
        if theirs is None or path in DIFFERENT_BY_DESIGN or not callable(theirs):
            continue
        found = _differences(path, entry.obj, theirs)
        if found:
            report[path] = found
    lines = "\n".join(f"  {path}: {'; '.join(diffs)}" for path, diffs in report.items())
    assert not report, f"Signatures differing from Keras 3:\n{lines}"


def test_methods_match_keras(real_keras):
    report = {}
    for class_path, names in METHODS.items():
        ours, theirs = REGISTRY[class_path].obj, _keras_object(real_keras, class_path)
        for name in names:
            path = f"{class_path}.{name}"
            found = _differences(path, getattr(ours, name), getattr(theirs, name))
            if found:
                report[path] = found
    lines = "\n".join(f"  {path}: {'; '.join(diffs)}" for path, diffs in report.items())
    assert not report, f"Method signatures differing from Keras 3:\n{lines}"


def _lookup(root, path: str):
    for part in path.split(".")[1:]:
        root = getattr(root, part)
    return root


def test_allow_lists_name_real_parameters(real_keras):
    for path, name in ALLOWED_DIFFERENCES:
        keras_params = _signature(_lookup(real_keras, path)).parameters
        assert name == "<order>" or name in keras_params
    for path, name in ALLOWED_EXTRAS:
        assert name in _signature(_lookup(nanokeras, path)).parameters
    assert set(DIFFERENT_BY_DESIGN) <= set(REGISTRY)


# The Keras names of the layer catalogue and the training API nanokeras covers.
IN_SCOPE = {
    "": [
        "Input", "InputSpec", "KerasTensor", "Layer", "Loss", "Metric", "Model",
        "Optimizer", "Regularizer", "Initializer", "Sequential", "Variable",
        "name_scope",
    ],
    "utils": ["to_categorical", "normalize", "set_random_seed", "Progbar"],
    "layers": [
        "Layer", "Input", "InputLayer", "InputSpec", "Dense", "Activation",
        "Dropout", "Flatten", "Reshape", "Permute", "RepeatVector", "Lambda",
        "Identity", "Conv1D", "Conv2D", "Conv2DTranspose", "DepthwiseConv2D",
        "SeparableConv2D", "MaxPooling1D", "MaxPooling2D", "AveragePooling1D",
        "AveragePooling2D", "GlobalMaxPooling1D", "GlobalMaxPooling2D",
        "GlobalAveragePooling1D", "GlobalAveragePooling2D", "ZeroPadding2D",
        "Cropping2D", "UpSampling2D", "BatchNormalization", "LayerNormalization",
        "Embedding", "Add", "Subtract", "Multiply", "Average", "Maximum",
        "Minimum", "Concatenate", "Dot", "SimpleRNN", "GRU", "LSTM",
        "Bidirectional", "RNN", "SimpleRNNCell", "GRUCell", "LSTMCell",
        "StackedRNNCells", "Conv1DTranspose", "DepthwiseConv1D", "SeparableConv1D",
    ],
    "models": ["Model", "Sequential", "load_model", "save_model", "model_from_json"],
    "losses": [
        "Loss", "MeanSquaredError", "MeanAbsoluteError",
        "MeanAbsolutePercentageError", "MeanSquaredLogarithmicError", "Huber",
        "LogCosh", "BinaryCrossentropy", "CategoricalCrossentropy",
        "SparseCategoricalCrossentropy", "KLDivergence", "Hinge", "SquaredHinge",
        "CategoricalHinge", "CosineSimilarity", "Poisson", "get", "serialize",
        "deserialize",
    ],
    "metrics": [
        "Metric", "Sum", "Mean", "MeanMetricWrapper", "Accuracy", "BinaryAccuracy",
        "CategoricalAccuracy", "SparseCategoricalAccuracy",
        "TopKCategoricalAccuracy", "SparseTopKCategoricalAccuracy",
        "MeanSquaredError", "MeanAbsoluteError", "RootMeanSquaredError", "AUC",
        "Precision", "Recall", "get", "serialize", "deserialize",
        # The means of the loss functions we implement (cheap, and in Keras).
        "BinaryCrossentropy", "CategoricalCrossentropy",
        "SparseCategoricalCrossentropy", "KLDivergence", "Poisson", "Hinge",
        "SquaredHinge", "CategoricalHinge", "MeanAbsolutePercentageError",
        "MeanSquaredLogarithmicError", "LogCoshError", "CosineSimilarity",
    ],
    "optimizers": [
        "Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adamax",
        "Nadam", "get", "serialize", "deserialize",
    ],
    "optimizers.schedules": [
        "LearningRateSchedule", "ExponentialDecay", "PiecewiseConstantDecay",
        "CosineDecay", "serialize", "deserialize",
    ],
    "callbacks": [
        "Callback", "CallbackList", "History", "ProgbarLogger", "EarlyStopping",
        "ModelCheckpoint", "LearningRateScheduler", "ReduceLROnPlateau",
        "TerminateOnNaN", "CSVLogger", "LambdaCallback",
    ],
}  # fmt: skip

# Namespaces in scope as a whole: every Keras name there, except these.
WHOLE_NAMESPACES = {
    "initializers": {
        "STFT": "audio-specific (STFT windows), outside the modeling API",
        "STFTInitializer": "alias of STFT",
        "stft": "alias of STFT",
    },
    "regularizers": {
        "OrthogonalRegularizer": "nanokeras keeps tf.keras 2.6's L1, L2 and L1L2",
        "orthogonal_regularizer": "alias of OrthogonalRegularizer",
    },
    "constraints": {},
    "activations": {},
}


def _namespace(root, dotted: str):
    for part in filter(None, dotted.split(".")):
        root = getattr(root, part)
    return root


def test_in_scope_keras_names_exist_with_their_aliases(real_keras):
    missing = []
    for namespace, names in IN_SCOPE.items():
        theirs, ours = (
            _namespace(real_keras, namespace),
            _namespace(nanokeras, namespace),
        )
        for name in names:
            target = getattr(theirs, name)  # a typo here is an AttributeError
            # Keras's aliases of the same object (`Convolution2D`, `MaxPool2D`).
            aliases = [n for n in dir(theirs) if getattr(theirs, n) is target]
            missing += [f"{namespace}.{n}" for n in aliases if not hasattr(ours, n)]
    assert not missing, f"Keras names in scope missing from nanokeras: {missing}"


@pytest.mark.parametrize("namespace", sorted(WHOLE_NAMESPACES))
def test_whole_namespaces_match_keras(real_keras, namespace):
    theirs = {n for n in dir(getattr(real_keras, namespace)) if not n.startswith("_")}
    ours = {n for n in dir(getattr(nanokeras, namespace)) if not n.startswith("_")}
    left_out = WHOLE_NAMESPACES[namespace]
    assert not (theirs - ours - set(left_out)), sorted(theirs - ours - set(left_out))
    assert set(left_out) <= theirs - ours  # stale entries must go


def test_keyword_only_layer_arguments_as_keras_3():
    """Keras 3's `Layer(*, ...)`: a positional argument is a TypeError."""
    with pytest.raises(TypeError):
        nanokeras.layers.Layer(False)
    layer = nanokeras.layers.Layer(trainable=False, name="frozen", autocast=False)
    assert (layer.trainable, layer.name) == (False, "frozen")


@pytest.mark.parametrize(
    "build",
    [
        lambda: nanokeras.layers.Dense(2, lora_rank=4),
        lambda: nanokeras.layers.Dense(2, quantization_config={"mode": "int8"}),
        lambda: nanokeras.layers.Embedding(5, 2, lora_alpha=1.0),
        lambda: nanokeras.Input(shape=(2,), optional=True),
        lambda: nanokeras.Input(shape=(2,), ragged=True),
        lambda: nanokeras.layers.LayerNormalization(rms_scaling=True),
        lambda: nanokeras.models.save_model(None, "m.keras", zipped=False),
    ],
    ids=["lora_rank", "quantization", "lora_alpha", "optional", "ragged", "rms", "zip"],
)
def test_unsupported_keras_values_raise_clearly(build):
    """A simplification keeps Keras's parameter and refuses other values."""
    with pytest.raises((ValueError, NotImplementedError)) as info:
        build()
    assert "received" in str(info.value).lower()


def test_add_weight_takes_both_positional_forms():
    """Keras 3's `(shape, initializer, dtype)` and tf.keras 2's `(name, shape, ...)`."""
    layer = nanokeras.layers.Layer(name="holder")
    keras3 = layer.add_weight((3, 2), "ones", "float64", name="k3")
    tf2 = layer.add_weight("tf2", (2,), "int32", None, None, False)
    assert (keras3.name, keras3.shape, keras3.dtype) == (
        "holder/k3:0",
        (3, 2),
        "float64",
    )
    assert float(keras3.numpy().sum()) == 6.0
    assert (tf2.name, tf2.shape, tf2.dtype, tf2.trainable) == (
        "holder/tf2:0",
        (2,),
        "int32",
        False,
    )
    with pytest.raises(TypeError, match="both positionally and as a keyword"):
        layer.add_weight((2,), shape=(3,))
    with pytest.raises(NotImplementedError, match="overwrite_with_gradient"):
        layer.add_weight(shape=(2,), overwrite_with_gradient=True)
