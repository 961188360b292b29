"""`LambdaCallback`: a callback made of plain functions.

Mirrors: keras/callbacks.py (tf.keras 2.6),
keras/src/callbacks/lambda_callback.py (Keras 3)
"""

from typing import Callable

from api_export import export
from callbacks.callback import Callback


@export("nanokeras.callbacks.LambdaCallback")
class LambdaCallback(Callback):
    """A callback built from plain functions, one per hook you need.

    Each argument is a function with that hook's arguments, for example
    `on_epoch_end=lambda epoch, logs: print(logs["loss"])`. Other hooks
    (`on_test_begin=...`, ...) can be given as keyword arguments.
    """

    def __init__(
        self,
        on_epoch_begin: Callable | None = None,
        on_epoch_end: Callable | None = None,
        on_train_begin: Callable | None = None,
        on_train_end: Callable | None = None,
        on_train_batch_begin: Callable | None = None,
        on_train_batch_end: Callable | None = None,
        **kwargs: Callable,
    ):
        super().__init__()
        hooks = dict(
            on_epoch_begin=on_epoch_begin,
            on_epoch_end=on_epoch_end,
            on_train_begin=on_train_begin,
            on_train_end=on_train_end,
            on_train_batch_begin=on_train_batch_begin,
            on_train_batch_end=on_train_batch_end,
            **kwargs,
        )
        for name, function in hooks.items():
            if function is None:
                continue
            if not hasattr(Callback, name):
                raise ValueError(
                    f"LambdaCallback got an unknown hook {name!r}. Hooks are "
                    "the `on_...` methods of `Callback`, such as 'on_epoch_end'."
                )
            setattr(self, name, function)
