"""The values of a "7 days" sparkline: one per cell, each cell one slice of time.

The week is cut into as many slices as the row has cells (12 cells: 14-hour slices).
Slices are aligned on multiples of their width since the epoch, the last one holding
"now": the same stored points give the same line before and after a restart, and a
minute of live ticks lands in the last cell only (or in the last two, when the minute
crosses a slice boundary).

A cell's value is the last price of its slice: what the price was when the slice ended,
so the line ends where the price is now. Slices with no point:
- before the first point (a new market, a week not fetched yet) are left out, so the
  line starts further right and those cells stay blank;
- after it repeat the previous cell (no price recorded means none changed; a flat
  stretch, not a hole).
The list then replaces the last value with the live price (`with_latest`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tui.models import PricePoint

WEEK_S = 7 * 24 * 3600


@dataclass(frozen=True, slots=True)
class SparkSlices:
    """`cells` slices of `width_s` seconds ending at `end` (exclusive)."""

    end: int
    width_s: int
    cells: int

    @classmethod
    def ending_at(cls, now: float, cells: int, window_s: int = WEEK_S) -> SparkSlices:
        """The slices of `window_s` seconds whose last one holds `now`."""
        cells = max(cells, 1)
        width = max(window_s // cells, 1)
        return cls((int(now) // width + 1) * width, width, cells)

    @property
    def start(self) -> int:
        return self.end - self.width_s * self.cells

    @property
    def starts(self) -> list[int]:
        """Where each slice begins, oldest first."""
        return [self.start + i * self.width_s for i in range(self.cells)]

    def index(self, t: int) -> int | None:
        """The slice that holds unix second `t`, or None outside the window."""
        if not self.start <= t < self.end:
            return None
        return (t - self.start) // self.width_s


def slice_lasts(points: Iterable[PricePoint], slices: SparkSlices) -> list[float | None]:
    """The last price of each slice (None: no point in it). Of two points at the same
    second the later one in `points` wins (put fresher sources last)."""
    lasts: list[PricePoint | None] = [None] * slices.cells
    for point in points:
        index = slices.index(point.t)
        if index is None:
            continue
        held = lasts[index]
        if held is None or point.t >= held.t:
            lasts[index] = point
    return [None if point is None else point.p for point in lasts]


def covers(points: Iterable[PricePoint], slices: SparkSlices) -> bool:
    """True when every slice but the last (the one still running) has a point."""
    return None not in slice_lasts(points, slices)[:-1]


def spark_values(points: Iterable[PricePoint], slices: SparkSlices) -> list[float]:
    """The sparkline's values, one per cell from the first slice with a point to the
    last slice (see the module docstring for empty slices)."""
    values: list[float] = []
    for last in slice_lasts(points, slices):
        if last is not None:
            values.append(last)
        elif values:
            values.append(values[-1])
    return values


def with_latest(values: Sequence[float], latest: float | None) -> Sequence[float]:
    """`values` with the last cell (the running slice) moved to the live price. A line
    with no history stays empty: one bar would look like a week of data."""
    if not values or latest is None or latest != latest:
        return values
    return [*values[:-1], latest]
