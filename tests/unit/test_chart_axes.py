"""The chart's pure parts: the fitted y axis, gaps in the data, the legend's flow."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from rich.text import Text

from tui.widgets.chart_drawing import (
    GAP_STEPS,
    MIN_Y_SPAN,
    ChartSeries,
    auto_y_axis,
    find_canvas,
    flow,
    full_y_axis,
    gap_threshold,
    labelled_value,
    one_tick_per_row,
    render_plot,
    split_at_gaps,
    y_axis,
)

HOUR = 3600


@pytest.mark.parametrize(("lowest", "highest"), [
    (29.0, 31.0), (47.3, 48.1), (10.0, 90.0), (0.2, 1.5), (97.0, 99.9), (50.0, 50.0),
])
@pytest.mark.parametrize("rows", [2, 4, 10, 30])
def test_fitted_axis_holds_the_prices_with_room_inside_0_to_100(
        lowest: float, highest: float, rows: int) -> None:
    axis = auto_y_axis(lowest, highest, rows)
    assert 0.0 <= axis.low < lowest or axis.low == 0.0
    assert highest < axis.high <= 100.0 or axis.high == 100.0
    assert axis.high - axis.low >= min(MIN_Y_SPAN, 100.0)
    # Room on each side unless a bound of the price range stops it.
    span = max(highest - lowest, MIN_Y_SPAN)
    assert axis.low == 0.0 or lowest - axis.low >= 0.09 * span
    assert axis.high == 100.0 or axis.high - highest >= 0.09 * span
    # Ticks inside the range, evenly spaced, no more than one per two rows (or two).
    assert 1 <= len(axis.ticks) <= max(2, rows // 2 + 1)
    assert all(axis.low <= tick <= axis.high for tick in axis.ticks)
    steps = {round(b - a, 6) for a, b in zip(axis.ticks, axis.ticks[1:], strict=False)}
    assert len(steps) <= 1
    assert all(label.endswith("¢") for label in axis.labels)


def test_fitted_axis_zooms_into_a_small_move() -> None:
    axis = auto_y_axis(29.0, 31.0, 10)
    # Not 0-100: a 2¢ move fills the chart, ticked every half cent.
    assert (axis.low, axis.high) == pytest.approx((28.8, 31.2))
    assert axis.labels == ("29.0¢", "29.5¢", "30.0¢", "30.5¢", "31.0¢")
    wide = auto_y_axis(20.0, 80.0, 10)
    assert wide.ticks == (20.0, 40.0, 60.0, 80.0)
    assert wide.labels == ("20¢", "40¢", "60¢", "80¢")


def test_a_flat_line_gets_the_smallest_span_not_a_blown_up_one() -> None:
    axis = auto_y_axis(50.0, 50.0, 10)
    assert axis.high - axis.low == pytest.approx(MIN_Y_SPAN * 1.2)
    assert axis.low < 50.0 < axis.high


def test_full_scale_is_0_to_100_and_y_axis_picks_it() -> None:
    line = ChartSeries("a", "A", (0, 60), (40.0, 42.0))
    assert y_axis([line], 10, full=True) == full_y_axis(10)
    assert full_y_axis(10).ticks == (0.0, 25.0, 50.0, 75.0, 100.0)
    assert full_y_axis(3).ticks == (0.0, 50.0, 100.0)
    fitted = y_axis([line], 10, full=False)
    assert fitted == auto_y_axis(40.0, 42.0, 10)


# ---------------------------------------------------------------- gaps


def test_a_step_longer_than_n_times_the_usual_one_is_a_gap() -> None:
    hourly = [t * HOUR for t in range(48)]
    times = hourly[:20] + [t + 30 * HOUR for t in hourly[20:]]  # 31 hours missing
    threshold = gap_threshold(times, seconds_per_column=60)
    assert threshold == GAP_STEPS * HOUR
    runs = split_at_gaps(times, [1.0] * len(times), threshold)
    assert [len(run_times) for run_times, _ in runs] == [20, 28]
    assert runs[1][0][0] - runs[0][0][-1] == 31 * HOUR


def test_regular_history_with_live_ticks_has_no_gap() -> None:
    """6-hourly history plus a burst of ticks a second apart: the ticks outnumber the
    history, yet no 6-hour step is a gap (steps inside a column do not count)."""
    history = [i * 6 * HOUR for i in range(28)]
    ticks = [history[-1] + s for s in range(1, 301)]
    times = history + ticks
    week_on_60_columns = (times[-1] - times[0]) / 60
    threshold = gap_threshold(times, week_on_60_columns)
    assert threshold > 6 * HOUR
    assert len(split_at_gaps(times, [1.0] * len(times), threshold)) == 1


def test_no_steps_no_gaps() -> None:
    assert gap_threshold([], 60) == float("inf")
    assert gap_threshold([100], 60) == float("inf")
    assert split_at_gaps([], [], 10) == []


def blank_columns(drawing: str) -> set[int]:
    """Canvas columns with no dot in any row."""
    lines = drawing.splitlines()
    canvas = find_canvas(lines)
    assert canvas is not None
    rows = lines[canvas.top: canvas.bottom + 1]
    return {column for column in range(canvas.left, canvas.right + 1)
            if all(row[column] in " │" for row in rows)}


def test_a_gap_is_drawn_blank_not_as_a_flat_line() -> None:
    times = tuple(t * HOUR for t in range(20)) + tuple(t * HOUR for t in range(60, 80))
    values = tuple(40.0 + (i % 3) for i in range(40))
    gapped = render_plot([ChartSeries("a", "A", times, values)], 80, 12)
    # The 40 missing hours are about half of the 80-column canvas: well over 20 blank.
    assert len(blank_columns(_plain(gapped))) > 20
    steady = tuple(t * HOUR for t in range(80))
    whole = render_plot([ChartSeries("a", "A", steady, (41.0,) * 80)], 80, 12)
    assert len(blank_columns(_plain(whole))) <= 1


def _plain(ansi: str) -> str:
    return Text.from_ansi(ansi).plain


# ---------------------------------------------------------------- legend


def test_flow_wraps_between_items_never_inside_one() -> None:
    items = [Text(word) for word in ("━━ Gavin Newsom 27.0¢", "━━ Alexandria Ocasio-Cortez 14.0¢",
                                     "━━ Josh Shapiro 29.0¢", "━━ Pete Buttigieg 31.0¢")]
    lines = flow(items, 60, gap=3)
    assert [line.plain for line in lines] == [
        "━━ Gavin Newsom 27.0¢   ━━ Alexandria Ocasio-Cortez 14.0¢",
        "━━ Josh Shapiro 29.0¢   ━━ Pete Buttigieg 31.0¢",
    ]
    assert all(line.cell_len <= 30 for line in flow(items, 30, gap=3))
    assert len(flow(items, 200, gap=3)) == 1
    assert flow([], 40, gap=3) == []


def test_a_label_too_long_for_a_line_is_shortened_but_keeps_its_value() -> None:
    item = labelled_value(Text("━━ "), "Will the Democrats win the House and the Senate", 61.5, 30)
    assert item.cell_len <= 30
    assert item.plain.startswith("━━ Will the") and item.plain.endswith("… 61.5¢")
    assert labelled_value(Text("● "), "Yes", None, 30).plain == "● Yes —"


def test_one_row_keeps_the_middle_tick_only() -> None:
    axis = one_tick_per_row(full_y_axis(1), 1)
    assert axis.labels == ("50¢",)


@pytest.mark.parametrize("rows", [1, 2, 3, 5, 8, 20])
def test_each_kept_tick_has_a_row_of_its_own(rows: int) -> None:
    for axis in (full_y_axis(rows), auto_y_axis(31.0, 69.0, rows), auto_y_axis(0.2, 1.5, rows)):
        kept = one_tick_per_row(axis, rows)
        assert set(kept.ticks) <= set(axis.ticks) and kept.ticks
        places = [round(0.5 + (rows - 1) * (t - kept.low) / (kept.high - kept.low), 8) // 1
                  for t in kept.ticks]
        assert len(set(places)) == len(places)
        assert list(kept.ticks) == sorted(kept.ticks)


# Two lines whose fitted axis puts its two ticks (40¢, 60¢) on one row at these heights:
# before one_tick_per_row, PYTHONHASHSEED 0 drew "60¢" there and 3 drew "40¢".
_DRAW = """
from tui.widgets.chart_drawing import ChartSeries, render_plot
lines = (ChartSeries("a", "Yes", (0, 3600, 7200), (31.0, 31.2, 31.1)),
         ChartSeries("b", "No", (0, 3600, 7200), (69.0, 68.8, 68.9)))
for height in (4, 5, 6):
    for full in (False, True):
        print(render_plot(lines, 40, height, full_scale=full))
"""


def test_the_drawing_does_not_depend_on_the_hash_seed() -> None:
    drawings = [
        subprocess.run([sys.executable, "-c", _DRAW], capture_output=True, text=True,
                       check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("0", "3")
    ]
    assert drawings[0] == drawings[1]
    assert "50¢" in drawings[0]  # the 0-100 axis on one row: its middle
