"""What callbacks that watch one logged value share: direction and improvement.

Mirrors: keras/src/callbacks/monitor_callback.py (Keras 3)
"""

import warnings


class MonitorMixin:
    """Shared by callbacks that watch one logged value for improvement.

    Simplified from Keras 3's `MonitorCallback`: a mixin beside `Callback`.
    """

    monitor: str
    mode: str
    min_delta: float

    def _direction(self) -> str:
        """`"max"` for accuracy-like names, `"min"` otherwise, as Keras guesses."""
        if self.mode in ("min", "max"):
            return self.mode
        name = self.monitor.removeprefix("val_")
        maximised = ("acc", "auc", "precision", "recall")
        return "max" if name != "loss" and any(m in name for m in maximised) else "min"

    def _is_improvement(self, value: float, reference: float | None) -> bool:
        if reference is None:
            return True
        if self._direction() == "max":
            return value - abs(self.min_delta) > reference
        return value + abs(self.min_delta) < reference

    def _check_mode(self) -> None:
        if self.mode not in ("auto", "min", "max"):
            raise ValueError(
                f"{type(self).__name__} mode {self.mode!r} is unknown. Expected "
                "'auto', 'min' or 'max'."
            )

    def _monitored(self, logs: dict | None) -> float | None:
        value = (logs or {}).get(self.monitor)
        if value is None:
            warnings.warn(
                f"{type(self).__name__} is conditioned on metric "
                f"`{self.monitor}` which is not available. Available metrics "
                f"are: {','.join(logs or {})}.",
                stacklevel=3,
            )
            return None
        return float(value)
