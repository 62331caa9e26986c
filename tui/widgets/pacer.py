"""Named one-shot timers for widgets: debounce (wait for a pause) and throttle (one
pending run at a time)."""

from __future__ import annotations

from collections.abc import Callable

from textual.timer import Timer


class Pacer:
    """One named timer per job: `debounce` waits for a pause, `throttle` for a slot."""

    def __init__(self, set_timer: Callable[[float, Callable[[], None]], Timer]) -> None:
        self._set_timer = set_timer
        self._timers: dict[str, Timer] = {}

    def debounce(self, job: str, delay: float, callback: Callable[[], None]) -> None:
        """Run `callback` once `delay` passes without another call (0: at once)."""
        self.cancel(job)
        self._start(job, delay, callback)

    def throttle(self, job: str, delay: float, callback: Callable[[], None]) -> None:
        """Run `callback` after `delay` unless it is already pending (0: at once)."""
        if job not in self._timers:
            self._start(job, delay, callback)

    def cancel(self, job: str) -> None:
        timer = self._timers.pop(job, None)
        if timer is not None:
            timer.stop()

    def _start(self, job: str, delay: float, callback: Callable[[], None]) -> None:
        if delay <= 0:
            callback()
            return

        def fire() -> None:
            self._timers.pop(job, None)
            callback()

        self._timers[job] = self._set_timer(delay, fire)
