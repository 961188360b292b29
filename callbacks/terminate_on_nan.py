"""`TerminateOnNaN`: stop at the first non-finite loss.

Mirrors: keras/callbacks.py (tf.keras 2.x),
keras/src/callbacks/terminate_on_nan.py (Keras 3)
"""

import numpy as np

from callbacks.callback import Callback
from engine.api_export import export


@export("nanokeras.callbacks.TerminateOnNaN")
class TerminateOnNaN(Callback):
    """Stops training as soon as a batch's loss is NaN or infinite."""

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not np.isfinite(loss):
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True
