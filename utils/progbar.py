"""`Progbar`: the progress line `fit`, `evaluate` and `predict` print.

Mirrors: keras/utils/generic_utils.py Progbar (tf.keras 2.6),
keras/src/utils/progbar.py (Keras 3)

Simplified: the bar redraws in place only when `sys.stdout` is a terminal
(Keras also does in notebooks); elsewhere it prints one line per finished bar.

On a terminal the line is redrawn in place (`\\r`), with a step counter, a
bar, the estimated time left and the running mean of each value, as Keras 3
draws it. When output goes to a file or a pipe, redrawing would leave
hundreds of partial lines, so the bar prints one plain line when it
finishes instead.
"""

import math
import sys
import time
from typing import Any, Iterable

import numpy as np

from api_export import export


@export("nanokeras.utils.Progbar")
class Progbar:
    """Displays a progress bar with running averages of named values.

    Args:
        target: Total number of steps expected, or `None` if unknown.
        width: Width of the bar, in characters.
        verbose: 0 (silent), 1 (a bar redrawn in place) or 2 (one line when
            the bar finishes).
        interval: Minimum time, in seconds, between two redraws.
        stateful_metrics: Names of values shown as given (for example a
            metric's running result); every other value is averaged over
            the steps seen.
        stateless_metrics: The reverse convention (give only one of the
            two): names of values averaged over steps; every other value is
            shown as given. `ProgbarLogger` passes an empty set, because a
            compiled model's logs are already running means.
        unit_name: What a step is called in the time-per-step display.

    Example:

    >>> bar = Progbar(target=3, verbose=2)
    >>> for step in range(1, 4):
    ...     bar.update(step, values=[("loss", 1.0 / step)])  # doctest: +SKIP
    """

    def __init__(
        self,
        target: int | None,
        width: int = 20,
        verbose: int = 1,
        interval: float = 0.05,
        stateful_metrics: Iterable[str] | None = None,
        stateless_metrics: Iterable[str] | None = None,
        unit_name: str = "step",
    ):
        if stateful_metrics is not None and stateless_metrics is not None:
            raise ValueError(
                "Progbar takes `stateful_metrics` or `stateless_metrics`, not "
                "both: pass the names of the values to average with "
                "`stateless_metrics`, or of those to show as given with "
                "`stateful_metrics`."
            )
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self.stateful_metrics = set(stateful_metrics or ())
        self.stateless_metrics = (
            None if stateless_metrics is None else set(stateless_metrics)
        )
        # Keras also redraws in notebooks; a plain `isatty` is our only test.
        self._dynamic_display = hasattr(sys.stdout, "isatty") and sys.stdout.isatty()
        self._seen_so_far = 0
        # name -> [weighted sum, count]; a list keeps first-seen order.
        self._values: dict[str, list] = {}
        self._values_order: list[str] = []
        self._start = time.time()
        self._last_update = 0.0
        self._time_after_first_step: float | None = None
        self._prev_total_width = 0

    def update(
        self,
        current: int,
        values: list[tuple[str, Any]] | None = None,
        finalize: bool | None = None,
    ) -> None:
        """Move the bar to step `current` and record `(name, value)` pairs.

        Args:
            current: Index of the current step (1-based count of steps done).
            values: `(name, value)` pairs for the last step. Names in
                `stateful_metrics` are shown as given; the others are
                averaged over the steps seen so far.
            finalize: Whether this is the last update. Defaults to
                `current >= target`.
        """
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        for name, value in values or ():
            if name not in self._values:
                self._values_order.append(name)
            if self.stateless_metrics is not None:
                stateless = name in self.stateless_metrics
            else:
                stateless = name not in self.stateful_metrics
            if not stateless or finalize:
                self._values[name] = [value, 1]
            else:
                # Weight by the steps since the last update, so skipped
                # updates still give a correct mean.
                steps = max(current - self._seen_so_far, 1)
                total = self._values.setdefault(name, [0.0, 0])
                total[0] += value * steps
                total[1] += steps
        self._seen_so_far = current

        now = time.time()
        time_per_unit = self._estimate_step_duration(current, now)
        if self.verbose == 1:
            if not finalize and now - self._last_update < self.interval:
                return
            if self._dynamic_display:
                self._draw_in_place(current, now, time_per_unit, finalize)
            elif finalize:
                sys.stdout.write(self._plain_line(current, now, time_per_unit) + "\n")
                sys.stdout.flush()
        elif self.verbose == 2 and finalize:
            sys.stdout.write(self._plain_line(current, now, time_per_unit) + "\n")
            sys.stdout.flush()
        self._last_update = now

    def add(self, n: int, values: list[tuple[str, Any]] | None = None) -> None:
        """Advance the bar by `n` steps."""
        self.update(self._seen_so_far + n, values)

    def _draw_in_place(
        self, current: int, now: float, time_per_unit: float, finalize: bool
    ) -> None:
        """Redraw the line on a terminal, in Keras's colours."""
        if self.target:
            digits = int(math.log10(self.target)) + 1
            counter = f"{current:{digits}d}/{self.target}"
            done = int(self.width * min(current / self.target, 1.0))
            bar = (
                f"\x1b[1m{counter}\x1b[0m "
                f"\x1b[32m{'━' * done}\x1b[0m\x1b[37m{'━' * (self.width - done)}"
                "\x1b[0m"
            )
            plain_width = len(counter) + 1 + self.width
        else:
            bar = f"{current:7d}/Unknown"
            plain_width = len(bar)
        info = f" {self._time_text(current, now, time_per_unit, finalize)}"
        info += self._format_time(time_per_unit) + self._values_text()
        total_width = plain_width + len(info)
        padding = " " * max(self._prev_total_width - total_width, 0)
        self._prev_total_width = total_width
        end = "\n" if finalize else ""
        sys.stdout.write("\r" + bar + info + padding + end)
        sys.stdout.flush()

    def _plain_line(self, current: int, now: float, time_per_unit: float) -> str:
        """The finished line without colours: `4/4 - 0s - 3ms/step - loss: ...`."""
        counter = f"{current}/{self.target}" if self.target else f"{current}/Unknown"
        elapsed = f"{now - self._start:.0f}s"
        return f"{counter} - {elapsed} -{self._format_time(time_per_unit)}" + (
            self._values_text()
        )

    def _time_text(
        self, current: int, now: float, time_per_unit: float, finalize: bool
    ) -> str:
        """Time left while running (ETA), total elapsed time once finished."""
        if self.target and not finalize:
            eta = time_per_unit * (self.target - current)
            if eta > 3600:
                text = f"{eta // 3600:.0f}:{(eta % 3600) // 60:02.0f}:{eta % 60:02.0f}"
            elif eta > 60:
                text = f"{eta // 60:.0f}:{eta % 60:02.0f}"
            else:
                text = f"{eta:.0f}s"
        else:
            text = f"{now - self._start:.0f}s"
        return f"\x1b[1m{text}\x1b[0m" if self._dynamic_display else text

    def _values_text(self) -> str:
        parts = []
        for name in self._values_order:
            total, count = self._values[name]
            mean = float(np.mean(total)) / max(1, count)
            parts.append(
                f" - {name}: {mean:.4f}"
                if abs(mean) > 1e-3
                else (f" - {name}: {mean:.4e}")
            )
        return "".join(parts)

    def _format_time(self, time_per_unit: float) -> str:
        """` 3ms/step`, ` 2s/step` or ` 850us/step`."""
        if time_per_unit >= 1 or time_per_unit == 0:
            return f" {time_per_unit:.0f}s/{self.unit_name}"
        if time_per_unit >= 1e-3:
            return f" {time_per_unit * 1e3:.0f}ms/{self.unit_name}"
        return f" {time_per_unit * 1e6:.0f}us/{self.unit_name}"

    def _estimate_step_duration(self, current: int, now: float) -> float:
        """Seconds per step, leaving out the first step (often slower: builds)."""
        if not current:
            return 0.0
        if self._time_after_first_step is not None and current > 1:
            per_step = (now - self._time_after_first_step) / (current - 1)
        else:
            per_step = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return per_step
