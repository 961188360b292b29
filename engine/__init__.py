"""Keras's framework classes: `Layer -> Model -> Functional -> Sequential`.

Mirrors: keras/engine/__init__.py (tf.keras 2.6)

The files in reading order, one concept each:

The layer
- `base_layer.py`: `Layer`, the call lifecycle (`build` once, then `call`),
  weights, losses and config.
- `base_layer_utils.py`: what `Layer` leans on: argument checks, the build
  wrapper, the call context nested calls share, input conversion.
- `input_spec.py`: `InputSpec`, what a layer accepts, checked on each call.
- `masking.py`: masks (which steps are padding) carried by the tensors.
- `naming.py`: unique default names (`dense`, `dense_1`) and `clear_session`.

The symbolic graph
- `keras_tensor.py`: `KerasTensor`, a shape and a dtype without values.
- `symbolic.py`: the output specs of a call on `KerasTensor`s, from the
  layer's formula or by running `call` on placeholders.
- `node.py`: `Node`, one recorded layer call, the edges of a model graph.
- `input_layer.py`: `Input` and `InputLayer`, where a graph starts.

The models
- `training.py`: `Model`, adding `compile`, `fit`, `evaluate`, `predict`,
  `summary` and saving to `Layer`.
- `compile_utils.py`: `LossesContainer` and `MetricsContainer`, what
  `compile` records.
- `data_adapter.py`: `DataHandler`, what `fit` receives as epochs of batches.
- `training_utils.py`: small helpers of the training loops.
- `layer_utils.py`: `print_summary`, the table `model.summary()` prints.
- `functional.py`: `Functional`, a `Model` that is a graph of layer calls.
- `functional_utils.py`: a functional graph turned into a config and back.
- `sequential.py`: `Sequential`, a `Functional` built one layer at a time.
"""
