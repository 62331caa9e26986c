"""What the price chart draws, free of the widget (tui.widgets.chart): the series,
plotext's drawing with its y axis fitted to the prices shown (`0` shows 0-100 instead)
and each stretch with no data left as a gap, the legend's items and how they flow, and
the inspect cursor's column and overlay.

plotext draws only what we give it (numbers, our own tick labels), and its ANSI output
goes through `Text.from_ansi`. Outcome names are untrusted, so they never go near
plotext or ANSI: the legend and the cursor line are built with `Text` pieces.
plotext is imported lazily (it costs ~40 ms at start-up) and its builds are
serialised by a lock because plotext keeps module-level state.
"""

from __future__ import annotations

import math
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from rich.style import Style
from rich.text import Text

from tui.models import PricePoint

MAX_SERIES = 4
# Distinct on dark and light backgrounds alike; the legend uses the same colours.
SERIES_RGB: tuple[tuple[int, int, int], ...] = (
    (52, 152, 219), (230, 126, 34), (155, 89, 182), (39, 174, 96),
)
CURSOR_RGB = (150, 150, 150)
# plotext's rows around the canvas: the frame's top, its bottom and the time labels.
PLOT_FRAME_ROWS = 3
_PLOTEXT_LOCK = threading.Lock()
# A step between two points this many times the usual one is missing data: a gap.
GAP_STEPS = 4
# Autoscaled y axis: room above and below the prices, and the smallest span shown, so a
# flat line is not blown up into noise.
Y_PAD_SHARE = 0.1
MIN_Y_SPAN = 2.0
_LARGEST_CENTS = 1e6  # a price is 0-100¢: anything far beyond is junk, shown as "—"
_Y_STEPS: tuple[float, ...] = (0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 25.0, 50.0)
_MAX_Y_TICKS = 5


@dataclass(frozen=True, slots=True)
class ChartSeries:
    key: str  # token id
    label: str  # outcome name: untrusted, only ever shown through Text
    times: tuple[int, ...]  # unix seconds, ascending
    cents: tuple[float, ...]  # price × 100

    def value_at(self, moment: int) -> float | None:
        """The price in force at `moment`: the last point at or before it."""
        index = bisect_right(self.times, moment) - 1
        return self.cents[index] if index >= 0 else None


def build_series(
    series: Mapping[str, Sequence[PricePoint]], labels: Mapping[str, str]
) -> tuple[ChartSeries, ...]:
    """Sorted, de-duplicated series for the first MAX_SERIES tokens that have points."""
    built: list[ChartSeries] = []
    for token, points in series.items():
        by_time = {point.t: point.p for point in points}
        if not by_time:
            continue
        times = tuple(sorted(by_time))
        cents = tuple(by_time[t] * 100.0 for t in times)
        built.append(ChartSeries(token, labels.get(token, "") or "price", times, cents))
        if len(built) == MAX_SERIES:
            break
    return tuple(built)


def merged_times(series: Sequence[ChartSeries]) -> tuple[int, ...]:
    """Every distinct timestamp across the series: the positions the cursor visits."""
    return tuple(sorted({t for line in series for t in line.times}))


def time_format(span_s: int, step_s: int = 0) -> str:
    """strftime pattern for x-axis labels that stays readable for the span shown.

    Ticks on whole days show the day; ticks inside a day show the time.
    """
    if step_s < 86400:
        return "%H:%M" if span_s <= 36 * 3600 else "%a %H:%M"
    if span_s <= 10 * 86400:
        return "%a %d"
    if span_s <= 400 * 86400:
        return "%d %b"
    return "%b %Y"


_NICE_STEPS_S: tuple[int, ...] = (
    60, 300, 600, 900, 1800, 3600, 2 * 3600, 3 * 3600, 6 * 3600, 12 * 3600,
    86400, 2 * 86400, 7 * 86400, 14 * 86400, 30 * 86400, 91 * 86400, 182 * 86400, 365 * 86400,
)


def x_ticks(start: int, end: int, width: int, zone: tzinfo) -> tuple[list[float], list[str]]:
    """Tick positions on round times (whole hours, midnights...) with readable labels.

    At most one label per 12 columns, so labels never collide at any width.
    """
    if end <= start:
        return [float(start)], [_stamp(start, zone, time_format(0))]
    most = max(2, width // 12)
    span = end - start
    step = next((s for s in _NICE_STEPS_S if span / s <= most - 1), None)
    if step is None:  # many years in a narrow chart: whole numbers of years
        year = _NICE_STEPS_S[-1]
        step = year * -(-span // (year * (most - 1)))
    offset = _utc_offset(start, zone)
    first = -(-(start + offset) // step) * step - offset  # ceil to a round local time
    positions = [float(t) for t in range(first, end + 1, step)]
    if len(positions) < 2:  # a span shorter than the step: label both ends instead
        positions = [float(start), float(end)]
    pattern = time_format(span, step)
    return positions, [_stamp(int(p), zone, pattern) for p in positions]


def _utc_offset(moment: int, zone: tzinfo) -> int:
    delta = datetime.fromtimestamp(moment, UTC).astimezone(zone).utcoffset()
    return int(delta.total_seconds()) if delta is not None else 0


def _stamp(moment: int, zone: tzinfo, pattern: str) -> str:
    return datetime.fromtimestamp(moment, UTC).astimezone(zone).strftime(pattern)


def thin(times: Sequence[int], values: Sequence[float],
         most: int) -> tuple[list[int], list[float]]:
    """At most `most` points (the first, then the last of each bucket).

    The canvas has two braille dots per cell, so more points than twice its width
    only cost plotext time (it is ~0.1 ms per point per line).
    """
    count = len(times)
    if count <= most or most < 2:
        return list(times), list(values)
    picks = [0] + [((i + 1) * count) // (most - 1) - 1 for i in range(most - 1)]
    return [times[i] for i in picks], [values[i] for i in picks]


@dataclass(frozen=True, slots=True)
class YAxis:
    """The y range drawn (cents) and its labelled ticks."""

    low: float
    high: float
    ticks: tuple[float, ...]
    labels: tuple[str, ...]


def full_y_axis(canvas_rows: int) -> YAxis:
    """0-100 ¢, the whole range a price can take."""
    ticks = (0.0, 25.0, 50.0, 75.0, 100.0) if canvas_rows >= 6 else (0.0, 50.0, 100.0)
    return YAxis(0.0, 100.0, ticks, tuple(f"{tick:.0f}¢" for tick in ticks))


def auto_y_axis(lowest: float, highest: float, canvas_rows: int) -> YAxis:
    """A y range around [lowest, highest] with Y_PAD_SHARE of room on each side (at
    least MIN_Y_SPAN wide, inside 0-100), ticked on round numbers, at most one per two
    rows so labels never touch. Values outside 0-100 (or NaN) are clamped: an axis
    never fails to draw."""
    if not (math.isfinite(lowest) and math.isfinite(highest)):
        return full_y_axis(canvas_rows)
    lowest, highest = (min(100.0, max(0.0, value)) for value in (lowest, highest))
    middle = (lowest + highest) / 2
    span = max(highest - lowest, MIN_Y_SPAN)
    pad = span * Y_PAD_SHARE
    low = max(0.0, middle - span / 2 - pad)
    high = min(100.0, middle + span / 2 + pad)
    most = max(2, min(_MAX_Y_TICKS, canvas_rows // 2 + 1))
    step = next((s for s in _Y_STEPS if _ticks_inside(low, high, s) <= most), _Y_STEPS[-1])
    first = math.ceil(round(low / step, 6))
    ticks = tuple(round(i * step, 6) for i in range(first, first + _ticks_inside(low, high, step)))
    decimals = 1 if step < 1 else 0
    return YAxis(low, high, ticks, tuple(f"{tick:.{decimals}f}¢" for tick in ticks))


def one_tick_per_row(axis: YAxis, canvas_rows: int) -> YAxis:
    """`axis` with at most one tick on each canvas row: the one nearest the row's value.

    plotext de-duplicates ticks through a set (plotext._utility.brush), so when two
    ticks share a row, which label it writes last (and shows) follows the string hash,
    which PYTHONHASHSEED changes from run to run. Rows are counted as plotext does
    (plotext._utility.get_matrix_data).
    """
    rows = max(1, canvas_rows)
    span = axis.high - axis.low
    if span <= 0:
        return axis
    chosen: dict[int, tuple[float, str]] = {}
    for tick, label in zip(axis.ticks, axis.labels, strict=True):
        row = math.floor(round(0.5 + (rows - 1) * (tick - axis.low) / span, 8))
        # The value a row stands for: its centre, the middle of the range on one row.
        centre = axis.low + (row / (rows - 1) * span if rows > 1 else span / 2)
        kept = chosen.get(row)
        if kept is None or abs(tick - centre) < abs(kept[0] - centre):
            chosen[row] = (tick, label)
    kept_ticks = sorted(chosen.values())
    return YAxis(axis.low, axis.high, tuple(t for t, _ in kept_ticks),
                 tuple(label for _, label in kept_ticks))


def _ticks_inside(low: float, high: float, step: float) -> int:
    # round(): 0.3 / 0.1 is 2.9999999999999996, which must count as 3.
    return math.floor(round(high / step, 6)) - math.ceil(round(low / step, 6)) + 1


def y_axis(series: Sequence[ChartSeries], canvas_rows: int, *, full: bool) -> YAxis:
    if full or not series:
        return full_y_axis(canvas_rows)
    lowest = min(min(line.cents) for line in series)
    highest = max(max(line.cents) for line in series)
    return auto_y_axis(lowest, highest, canvas_rows)


def gap_threshold(times: Sequence[int], seconds_per_column: float) -> float:
    """The step (seconds) beyond which two points have missing data between them:
    GAP_STEPS times the usual step.

    The usual step is the median between points at least a column apart: live ticks
    seconds apart, merged into the end of 6-hourly history, must not make each 6 hours
    look like a gap (and steps inside one column are never seen anyway).
    """
    steps: list[float] = []
    kept = times[0] if times else 0
    for moment in times[1:]:
        if moment - kept >= seconds_per_column:
            steps.append(moment - kept)
            kept = moment
    if not steps:
        return math.inf
    steps.sort()
    return GAP_STEPS * max(steps[len(steps) // 2], seconds_per_column)


def split_at_gaps(times: Sequence[int], values: Sequence[float],
                  threshold: float) -> list[tuple[list[int], list[float]]]:
    """The runs of points with no step longer than `threshold`: one line each."""
    runs: list[tuple[list[int], list[float]]] = []
    for index, (moment, value) in enumerate(zip(times, values, strict=True)):
        if not runs or moment - times[index - 1] > threshold:
            runs.append(([], []))
        runs[-1][0].append(moment)
        runs[-1][1].append(value)
    return runs


def render_plot(series: Sequence[ChartSeries], width: int, height: int, *,
                zone: tzinfo = UTC, full_scale: bool = False) -> str:
    """plotext's ANSI drawing of `series` (our numbers and labels only) at width × height:
    y fitted to the prices (0-100 with `full_scale`), each gap in the data left blank."""
    import plotext._figure as plotext_figure  # lazy: keeps plotext off the start-up path

    start, end = time_span(series)
    canvas_rows = height - PLOT_FRAME_ROWS
    axis = one_tick_per_row(y_axis(series, canvas_rows, full=full_scale), canvas_rows)
    seconds_per_column = (end - start) / max(1, width)
    with _PLOTEXT_LOCK:
        figure = plotext_figure._figure_class()
        # A master figure is capped at the terminal size by default; we size it ourselves.
        figure._limit_size(False, False)
        figure.plot_size(width, height)
        figure.theme("clear")
        for index, line in enumerate(series):
            color = SERIES_RGB[index % len(SERIES_RGB)]
            threshold = gap_threshold(line.times, seconds_per_column)
            for times, cents in split_at_gaps(line.times, line.cents, threshold):
                times, cents = thin(times, cents, 2 * width)
                figure.plot(times, cents, marker="braille", color=color)
        figure.ylim(axis.low, axis.high)
        figure.yticks(list(axis.ticks), list(axis.labels))
        figure.xlim(start, end)
        positions, labels = x_ticks(start, end, width, zone)
        figure.xticks(positions, labels)
        return figure.build()


def flow(items: Sequence[Text], width: int, gap: int) -> list[Text]:
    """`items` on as few lines of `width` cells as they fit, `gap` spaces apart, never
    broken inside an item (an item wider than a line is cut with an ellipsis)."""
    lines: list[Text] = []
    for item in items:
        line = lines[-1] if lines else None
        if line is None or line.cell_len + gap + item.cell_len > width:
            lines.append(item.copy())
            continue
        line.append(" " * gap)
        line.append_text(item)
    for line in lines:
        line.no_wrap = True
        line.truncate(width, overflow="ellipsis")
    return lines


def labelled_value(mark: Text, label: str, value: float | None, width: int) -> Text:
    """`mark` label value, the label (untrusted: plain text) shortened so the value stays."""
    value_text = f" {format_cents(value)}"
    room = max(1, width - mark.cell_len - len(value_text))
    name = Text(label, no_wrap=True)
    name.truncate(room, overflow="ellipsis")
    return Text.assemble(mark, name, (value_text, "bold"), no_wrap=True)


def time_span(series: Sequence[ChartSeries]) -> tuple[int, int]:
    """First and last moment drawn (never an empty span, which plotext cannot scale)."""
    start = min(line.times[0] for line in series)
    end = max(line.times[-1] for line in series)
    return start, max(end, start + 1)


@dataclass(frozen=True, slots=True)
class Canvas:
    """Where plotext put the plotting area inside its drawing (rows and columns)."""

    top: int  # first row inside the frame
    bottom: int  # last row inside the frame
    left: int  # first column inside the frame
    right: int  # last column inside the frame

    def column(self, moment: int, start: int, end: int) -> int:
        # plotext scales x linearly from the first to the last column of the canvas.
        share = (moment - start) / (end - start)
        return self.left + round(share * (self.right - self.left))

    def moment(self, column: float, start: int, end: int) -> float:
        """Inverse of `column`: the time at a (fractional) column."""
        return start + (column - self.left) / max(1, self.right - self.left) * (end - start)


def step_index(times: Sequence[int], index: int, columns: int, canvas: Canvas | None,
               span: tuple[int, int]) -> int:
    """Move the cursor by `columns` screen columns (or points when nothing is drawn yet).

    Each press lands on a real point at least one column away, so sparse data moves
    point by point and dense data (hourly history plus live ticks) column by column.
    """
    last = len(times) - 1
    if canvas is None:
        return max(0, min(last, index + columns))
    start, end = span
    target = canvas.column(times[index], start, end) + columns
    if columns < 0:
        # The last point drawn in the target column or left of it.
        bound = canvas.moment(target + 0.5, start, end)
        return max(0, min(index - 1, bisect_right(times, bound) - 1)) if index else 0
    bound = canvas.moment(target - 0.5, start, end)
    return min(last, max(index + 1, bisect_left(times, bound))) if index < last else last


def find_canvas(lines: Sequence[str]) -> Canvas | None:
    """Locate the frame corners ┌ ┐ └ in plotext's drawing; None if it is not there."""
    top = next((row for row, line in enumerate(lines) if "┌" in line), None)
    bottom = next((row for row, line in enumerate(lines) if "└" in line), None)
    if top is None or bottom is None or bottom - top < 2:
        return None
    left = lines[top].index("┌") + 1
    right = lines[top].rfind("┐") - 1
    if right < left:
        return None
    return Canvas(top + 1, bottom - 1, left, right)


def overlay_cursor(lines: list[Text], canvas: Canvas, column: int) -> list[Text]:
    """Draw the inspect cursor: a vertical rule in empty cells, reversed data cells."""
    drawn = list(lines)
    rule = Style(color=f"rgb{CURSOR_RGB}")
    for row in range(canvas.top, canvas.bottom + 1):
        line = drawn[row]
        if column >= len(line):
            continue
        cell = line[column : column + 1]
        if cell.plain == " ":
            cell = Text("│", style=rule)
        else:
            cell.stylize("reverse")
        drawn[row] = Text.assemble(line[:column], cell, line[column + 1 :], no_wrap=True)
    return drawn


def format_cents(value: float | None) -> str:
    if value is None or not math.isfinite(value) or abs(value) > _LARGEST_CENTS:
        return "—"
    return f"{value:.1f}¢"


def series_style(index: int, *, bold: bool = False) -> Style:
    red, green, blue = SERIES_RGB[index % len(SERIES_RGB)]
    return Style(color=f"rgb({red},{green},{blue})", bold=bold)
