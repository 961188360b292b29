"""Callbacks: objects `fit`, `evaluate` and `predict` call at fixed moments.

Mirrors: keras/callbacks.py (tf.keras 2.6), keras/src/callbacks/ (Keras 3)

Left out: `TensorBoard`, `BackupAndRestore`, `RemoteMonitor`,
`SwapEMAWeights` (they need services or state nanokeras does not have).

The training loop calls a `CallbackList` at the start and end of training,
of every epoch and of every batch, passing `logs`, a dict of the current
metric values. Everything that watches or steers training without being part
of the maths lives here: the progress bar (`ProgbarLogger`), the record that
`fit` returns (`History`), early stopping, checkpoints, learning-rate changes.
A callback steers training through its `model`: setting
`model.stop_training = True` ends `fit` after the current epoch (or batch).
tf.keras 2.x keeps them all in one file; like Keras 3, nanokeras gives each
its own module in this folder. Signatures and defaults follow Keras 3.
"""

from callbacks.callback import Callback
from callbacks.callback_list import CallbackList
from callbacks.csv_logger import CSVLogger
from callbacks.early_stopping import EarlyStopping
from callbacks.history import History
from callbacks.lambda_callback import LambdaCallback
from callbacks.learning_rate_scheduler import LearningRateScheduler
from callbacks.model_checkpoint import ModelCheckpoint
from callbacks.progbar_logger import ProgbarLogger
from callbacks.reduce_lr_on_plateau import ReduceLROnPlateau
from callbacks.terminate_on_nan import TerminateOnNaN

__all__ = [
    "CSVLogger",
    "Callback",
    "CallbackList",
    "EarlyStopping",
    "History",
    "LambdaCallback",
    "LearningRateScheduler",
    "ModelCheckpoint",
    "ProgbarLogger",
    "ReduceLROnPlateau",
    "TerminateOnNaN",
]
