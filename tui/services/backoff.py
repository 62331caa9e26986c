"""Retry delays that double after each failure, up to a ceiling, and start over on success.

One policy for every retry loop of the app: the periodic refreshes, the market stream's
reconnects and the news providers each hold a `Backoff` with their own first step and
ceiling. Delays are plain seconds; the caller sleeps or schedules.
"""

from __future__ import annotations


class Backoff:
    """`first` seconds, then twice that after each failure, never above `ceiling`."""

    def __init__(self, first: float, ceiling: float) -> None:
        if not 0 < first <= ceiling:
            raise ValueError(f"a backoff needs 0 < first <= ceiling, not {first}, {ceiling}")
        self.first, self.ceiling = first, ceiling
        self._next = first

    def next(self, at_least: float = 0.0) -> float:
        """The delay before the next try, and one step up for the try after it.

        `at_least` is what the server asked for (a Retry-After): it wins over the step,
        even above the ceiling, because asking sooner would only be refused again."""
        delay = max(self._next, at_least)
        self._next = min(self._next * 2, self.ceiling)
        return delay

    def reset(self) -> None:
        """After a success: the next failure waits `first` again."""
        self._next = self.first
