"""The 7-day sparkline's time slices: one cell per slice of the week, the last cell the
running slice; empty slices blank before the first point and flat after it."""

from __future__ import annotations

import pytest

from tui.models import PricePoint
from tui.view.sparkline import (
    WEEK_S,
    SparkSlices,
    covers,
    slice_lasts,
    spark_values,
    with_latest,
)
from tui.widgets.sparkline import sparkline_text

HOUR = 3600
SLICE = 14 * HOUR  # a week in 12 cells
NOW = 1_791_258_810  # 11.9 hours into its 14-hour slice
SLICES = SparkSlices.ending_at(NOW, 12)
TOKEN = "7" * 77


def at(t: int, p: float) -> PricePoint:
    return PricePoint(TOKEN, t, p)


def week_every(hours: int, price: float = 0.5, step: float = 0.01) -> list[PricePoint]:
    """A point every `hours` over the last week, the price climbing by `step`."""
    count = WEEK_S // (hours * HOUR)
    return [at(NOW - (count - i) * hours * HOUR, round(price + i * step, 4))
            for i in range(count)]


def a_minute_of_ticks(price: float = 0.9) -> list[PricePoint]:
    return [at(NOW - 59 + i, price + i / 10_000) for i in range(60)]


@pytest.mark.parametrize(("cells", "width_h"), [(12, 14), (8, 21), (7, 24), (14, 12)])
def test_the_week_is_cut_into_as_many_slices_as_cells(cells: int, width_h: int) -> None:
    slices = SparkSlices.ending_at(NOW, cells)
    assert slices.width_s == width_h * HOUR
    assert slices.cells == cells and len(slices.starts) == cells
    assert slices.index(NOW) == cells - 1  # the last slice is the running one
    assert slices.end % slices.width_s == 0  # aligned: the same cuts after a restart
    assert NOW - WEEK_S < slices.start <= NOW - WEEK_S + slices.width_s


@pytest.mark.parametrize(("t", "index"), [
    (SLICES.start - 1, None),
    (SLICES.start, 0),
    (SLICES.start + SLICE - 1, 0),
    (SLICES.start + SLICE, 1),
    (NOW, 11),
    (SLICES.end - 1, 11),
    (SLICES.end, None),
])
def test_a_time_falls_in_one_slice_or_outside(t: int, index: int | None) -> None:
    assert SLICES.index(t) == index


@pytest.mark.parametrize(("points", "expected"), [
    ([], [None] * 12),
    # The last point of a slice wins, whatever the order given.
    ([at(SLICES.start + 10, 0.2), at(SLICES.start + 5, 0.1)], [0.2] + [None] * 11),
    # Two points at the same second: the later one given (the fresher source).
    ([at(NOW, 0.3), at(NOW, 0.4)], [None] * 11 + [0.4]),
    # Outside the window: ignored.
    ([at(SLICES.start - 1, 0.9), at(SLICES.end, 0.9)], [None] * 12),
])
def test_slice_lasts(points: list[PricePoint], expected: list[float | None]) -> None:
    assert slice_lasts(points, SLICES) == expected


@pytest.mark.parametrize(("points", "expected"), [
    ([], []),
    # Only the running slice has data: one value, drawn in the last cell.
    (a_minute_of_ticks(), [0.9059]),
    # Empty slices before the first point are left out (blank cells on the left)...
    ([at(SLICES.starts[9], 0.2), at(NOW, 0.3)], [0.2, 0.2, 0.3]),
    # ...and after it repeat the previous value (the price held).
    ([at(SLICES.starts[0], 0.1), at(SLICES.starts[3], 0.4), at(NOW, 0.5)],
     [0.1, 0.1, 0.1, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.5]),
    # The running slice with no point yet repeats the last one.
    ([at(SLICES.starts[10], 0.6)], [0.6, 0.6]),
])
def test_spark_values(points: list[PricePoint], expected: list[float]) -> None:
    assert spark_values(points, SLICES) == expected


def test_a_minute_of_ticks_moves_only_the_last_cell() -> None:
    history = week_every(6)
    before = spark_values(history, SLICES)
    after = spark_values([*history, *a_minute_of_ticks()], SLICES)
    assert len(before) == len(after) == 12
    assert after[:-1] == before[:-1]
    assert after[-1] == 0.9059
    # With no history, the minute is one bar in the last cell, not a week-wide line.
    assert sparkline_text(spark_values(a_minute_of_ticks(), SLICES), 12) == " " * 11 + "▄"


def test_the_same_points_give_the_same_line_in_any_order_and_a_minute_later() -> None:
    points = [*week_every(6), *a_minute_of_ticks()]
    first = spark_values(points, SLICES)
    # A restart: the store hands the points back in another order, a minute later.
    assert spark_values(points[::-1], SparkSlices.ending_at(NOW + 60, 12)) == first


@pytest.mark.parametrize(("points", "covered"), [
    ([], False),
    (week_every(6), True),  # every 6 hours: each 14-hour slice has one
    (week_every(6)[:-2], True),  # the running slice may still be empty
    (week_every(24), False),  # a point a day leaves 14-hour slices empty
    (a_minute_of_ticks(), False),  # plenty of points, one slice: fetch the week
])
def test_covers_means_every_past_slice_has_a_point(points: list[PricePoint],
                                                   covered: bool) -> None:
    assert covers(points, SLICES) is covered


@pytest.mark.parametrize(("values", "latest", "expected"), [
    ([0.1, 0.2, 0.3], 0.5, [0.1, 0.2, 0.5]),
    ([0.1, 0.2, 0.3], None, [0.1, 0.2, 0.3]),
    ([0.1, 0.2, 0.3], float("nan"), [0.1, 0.2, 0.3]),
    ([], 0.5, []),  # no history: no one-bar line pretending to be a week
])
def test_with_latest_moves_the_last_cell(values: list[float], latest: float | None,
                                         expected: list[float]) -> None:
    assert list(with_latest(values, latest)) == expected
