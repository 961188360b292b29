"""Global numeric settings: the default float type and the fuzz factor.

Mirrors: keras/backend_config.py (tf.keras 2.6), keras/src/backend/config.py (Keras 3)
"""

from api_export import export

_FLOATX = "float32"
_EPSILON = 1e-7
_VALID_FLOATX = ("float16", "float32", "float64")


@export("nanokeras.backend.floatx", "nanokeras.config.floatx")
def floatx() -> str:
    """Return the default float type, as a string (`"float32"` unless changed)."""
    return _FLOATX


@export("nanokeras.backend.set_floatx", "nanokeras.config.set_floatx")
def set_floatx(value: str) -> None:
    """Set the default float type used for weights and converted inputs."""
    global _FLOATX
    if value not in _VALID_FLOATX:
        raise ValueError(
            f"Unknown `floatx` value: {value!r}. Expected one of {_VALID_FLOATX}."
        )
    _FLOATX = value


@export("nanokeras.backend.epsilon", "nanokeras.config.epsilon")
def epsilon() -> float:
    """Return the fuzz factor added to denominators to avoid dividing by zero."""
    return _EPSILON


@export("nanokeras.backend.set_epsilon", "nanokeras.config.set_epsilon")
def set_epsilon(value: float) -> None:
    """Set the fuzz factor returned by `epsilon()`."""
    global _EPSILON
    _EPSILON = float(value)
