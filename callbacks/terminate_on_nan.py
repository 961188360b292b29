"""`TerminateOnNaN`: stop at the first non-finite loss.

Mirrors: keras/callbacks.py (tf.keras 2.6),
keras/src/callbacks/terminate_on_nan.py (Keras 3)
"""

import numpy as np

from api_export import export
from callbacks.callback import Callback


@export("nanokeras.callbacks.TerminateOnNaN")
class TerminateOnNaN(Callback):
    """Stops training as soon as a batch's loss is NaN or infinite.

    Args:
        raise_error: If False, stop gracefully (`model.stop_training = True`,
            so `on_train_end` still runs); if True, raise a `RuntimeError` at
            once instead.
    """

    def __init__(self, raise_error: bool = False):
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not np.isfinite(loss):
            if self.raise_error:
                raise RuntimeError(
                    f"TerminateOnNaN: the loss of batch {batch} is {loss}. "
                    "Training stopped at once (raise_error=True)."
                )
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True
