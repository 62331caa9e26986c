"""Price chart: plotext lines for up to four outcomes, range tabs and an inspect cursor.

Rows, top to bottom: the range tabs, the plot, the legend (wrapped between outcomes,
never inside one) and the readout line. While inspecting, the legend reads each line's
price under the cursor and the readout its time. The plot takes the rows the others
leave, so the numbers are on screen whenever the chart is. The y axis fits the prices
shown, with some room (`0` shows 0-100 instead); a stretch with no data is drawn as a
gap, not as a flat line.

plotext draws only what we give it (numbers, our own tick labels), and its ANSI output
goes through `Text.from_ansi`. Outcome names are untrusted, so they never go near
plotext or ANSI: the legend and the cursor line are built with `Text` pieces.
plotext is imported lazily (it costs ~40 ms at start-up) and its builds are
serialised by a lock because plotext keeps module-level state.
"""

from __future__ import annotations

import math
import textwrap
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from tui.models import PricePoint

RANGES: tuple[str, ...] = ("1h", "6h", "1d", "1w", "1m", "max")
RANGE_LABELS: dict[str, str] = {
    "1h": "1H", "6h": "6H", "1d": "1D", "1w": "1W", "1m": "1M", "max": "ALL",
}
MAX_SERIES = 4
# Distinct on dark and light backgrounds alike; the legend uses the same colours.
SERIES_RGB: tuple[tuple[int, int, int], ...] = (
    (52, 152, 219), (230, 126, 34), (155, 89, 182), (39, 174, 96),
)
CURSOR_RGB = (150, 150, 150)
EMPTY_MESSAGE = "No price history for this range yet"
TOO_SMALL_MESSAGE = "Make the window larger to see the chart"
_MIN_PLOT_WIDTH = 24
_MIN_PLOT_HEIGHT = 4
_ROOMY_PLOT_HEIGHT = 8  # fewer rows than this for the plot: the legend packs tighter
# plotext's rows around the canvas: the frame's top, its bottom and the time labels.
_PLOT_FRAME_ROWS = 3
_PLOTEXT_LOCK = threading.Lock()
# A step between two points this many times the usual one is missing data: a gap.
GAP_STEPS = 4
# Autoscaled y axis: room above and below the prices, and the smallest span shown, so a
# flat line is not blown up into noise.
Y_PAD_SHARE = 0.1
MIN_Y_SPAN = 2.0
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
    rows so labels never touch."""
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
    axis = y_axis(series, height - _PLOT_FRAME_ROWS, full=full_scale)
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
    return "—" if value is None else f"{value:.1f}¢"


def _series_style(index: int, *, bold: bool = False) -> Style:
    red, green, blue = SERIES_RGB[index % len(SERIES_RGB)]
    return Style(color=f"rgb({red},{green},{blue})", bold=bold)


class PriceChart(Widget, can_focus=True):
    """Chart of price history; left/right move an inspect cursor when focused."""

    DEFAULT_CSS = """
    PriceChart {
        height: 16;
        min-height: 6;
        text-wrap: nowrap;
        text-overflow: clip;
    }
    PriceChart:focus {
        background-tint: $foreground 5%;
    }
    """

    BINDINGS = [
        Binding("left", "cursor(-1)", "Earlier", show=False, id="chart.cursor-left"),
        Binding("right", "cursor(1)", "Later", show=False, id="chart.cursor-right"),
        Binding("shift+left", "cursor(-10)", "Earlier ×10", show=False,
                id="chart.cursor-left-fast"),
        Binding("shift+right", "cursor(10)", "Later ×10", show=False,
                id="chart.cursor-right-fast"),
        Binding("home", "cursor_edge(0)", "First point", show=False, id="chart.cursor-first"),
        Binding("end", "cursor_edge(1)", "Last point", show=False, id="chart.cursor-last"),
        Binding("z", "toggle_zone", "UTC/local", id="chart.toggle-zone"),
        Binding("0", "toggle_scale", "Y axis 0-100 / fitted", show=False,
                id="chart.toggle-scale"),
    ]

    range_: reactive[str] = reactive("1d")
    cursor: reactive[int | None] = reactive(None)
    utc: reactive[bool] = reactive(True)
    full_scale: reactive[bool] = reactive(False)  # y from 0 to 100 instead of fitted
    pending: reactive[bool] = reactive(False)
    error: reactive[str | None] = reactive(None)

    class RangeChanged(Message):
        """The user picked a range on the chart (a click on a range tab)."""

        def __init__(self, range_: str) -> None:
            self.range_ = range_
            super().__init__()

    def __init__(self, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None, local_zone: tzinfo | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._series: tuple[ChartSeries, ...] = ()
        self._times: tuple[int, ...] = ()
        self._local_zone = local_zone
        self._tab_spans: list[tuple[int, int, str]] = []
        self._cache_key: tuple[object, ...] | None = None
        self._cache: Text | None = None
        self._version = 0
        self._plot_key: tuple[object, ...] | None = None
        self._plot: list[Text] = []
        self._canvas: Canvas | None = None

    # ------------------------------------------------------------ public API

    @property
    def series(self) -> tuple[ChartSeries, ...]:
        return self._series

    @property
    def cursor_time(self) -> int | None:
        if self.cursor is None or not self._times:
            return None
        return self._times[self.cursor]

    def set_series(self, series: Mapping[str, Sequence[PricePoint]],
                   labels: Mapping[str, str], range_: str | None = None) -> None:
        """Show new data; the cursor stays on the same moment if it was in use."""
        previous = self.cursor_time
        built = build_series(series, labels)
        if range_ is not None and range_ in RANGE_LABELS:
            self.set_reactive(PriceChart.range_, range_)
        self.pending = False
        self.error = None
        if built == self._series:
            return  # a repeated poll with nothing new: keep plotext's drawing
        self._series = built
        self._times = merged_times(built)
        self._version += 1
        self.set_reactive(PriceChart.cursor, self._index_near(previous))
        self.refresh()

    def show_error(self, sentence: str) -> None:
        """Say why there is no chart (e.g. "Polymarket did not answer within 10 s")."""
        self.pending = False
        self.error = sentence

    def clear_series(self) -> None:
        self.set_series({}, {})

    def select_range(self, range_: str) -> None:
        """Switch to `range_` as the user asked: show it as loading and tell the parent."""
        if range_ not in RANGE_LABELS:
            return
        self.range_ = range_
        self.pending = True
        self.post_message(self.RangeChanged(range_))

    # ------------------------------------------------------------ actions

    def action_cursor(self, step: int) -> None:
        if not self._times:
            return
        if self.cursor is None:
            # The first press lands on the newest point: "what is it now" comes first.
            self.cursor = len(self._times) - 1
            return
        self.cursor = step_index(self._times, self.cursor, step, self._canvas,
                                 time_span(self._series))

    def action_cursor_edge(self, edge: int) -> None:
        if self._times:
            self.cursor = 0 if edge == 0 else len(self._times) - 1

    def action_toggle_zone(self) -> None:
        self.utc = not self.utc

    def action_toggle_scale(self) -> None:
        self.full_scale = not self.full_scale

    def on_click(self, event: events.Click) -> None:
        if event.y != 0:
            return
        for start, end, range_ in self._tab_spans:
            if start <= event.x < end:
                self.select_range(range_)
                return

    def on_blur(self) -> None:
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    # ------------------------------------------------------------ rendering

    @property
    def zone(self) -> tzinfo:
        if self.utc:
            return UTC
        return self._local_zone or datetime.now().astimezone().tzinfo or UTC

    def render(self) -> Text:
        width, height = self.size.width, self.size.height
        key = (width, height, self._version, self.cursor, self.utc, self.full_scale,
               self.range_, self.pending, self.error, self.has_focus)
        if key != self._cache_key or self._cache is None:
            self._cache = self._render_text(width, height)
            self._cache_key = key
        return self._cache

    def _render_text(self, width: int, height: int) -> Text:
        lines = [self._tabs_line()]
        body = height - 1
        if self.pending:
            lines.append(self._centered(f"Loading {RANGE_LABELS[self.range_]} price history…",
                                        width, body))
        elif self.error is not None:
            lines.append(self._centered(self.error, width, body))
        elif not self._series:
            lines.append(self._centered(EMPTY_MESSAGE, width, body))
        else:
            lines.extend(self._chart_lines(width, body))
        return Text("\n", no_wrap=True).join(lines)

    def _chart_lines(self, width: int, height: int) -> list[Text]:
        """Plot, legend and readout in `height` rows: the plot gets what the others leave,
        so the values are on screen whenever the chart is."""
        legend = self._legend_lines(width)
        if height - len(legend) - 1 < _ROOMY_PLOT_HEIGHT and len(legend) > 1:
            # Short on rows (the 80×24 detail): two legend items a line, names cut.
            legend = self._legend_lines(width, item_width=max(16, (width - 3) // 2))
        plot_height = height - len(legend) - 1
        if width < _MIN_PLOT_WIDTH or plot_height < _MIN_PLOT_HEIGHT:
            rows = textwrap.wrap(TOO_SMALL_MESSAGE, max(10, width))[: max(1, plot_height)]
            plot = [Text(row, style="dim") for row in rows]
        else:
            plot = self._plot_lines(width, plot_height)
        return [*plot, *legend, self._readout_line(width)]

    def _plot_lines(self, width: int, height: int) -> list[Text]:
        """The plotext drawing (rebuilt only for new data, size, zone or scale) plus the
        cursor."""
        key = (width, height, self._version, self.utc, self.full_scale)
        if key != self._plot_key:
            drawing = render_plot(self._series, width, height, zone=self.zone,
                                  full_scale=self.full_scale)
            # Our own plotext output only: no data text ever goes through from_ansi.
            text = Text.from_ansi(drawing.rstrip("\n"), no_wrap=True, end="")
            self._plot = text.split("\n", allow_blank=True)
            self._canvas = find_canvas([line.plain for line in self._plot])
            self._plot_key = key
        moment = self.cursor_time
        if moment is None or self._canvas is None:
            return self._plot
        start, end = time_span(self._series)
        return overlay_cursor(self._plot, self._canvas, self._canvas.column(moment, start, end))

    def _tabs_line(self) -> Text:
        text = Text(no_wrap=True)
        self._tab_spans = []
        for range_ in RANGES:
            label = f" {RANGE_LABELS[range_]} "
            start = len(text)
            selected = range_ == self.range_
            text.append(label, style="reverse bold" if selected else "dim")
            self._tab_spans.append((start, len(text), range_))
            text.append(" ")
        return text

    @staticmethod
    def _centered(message: str, width: int, height: int) -> Text:
        rows = textwrap.wrap(message, max(10, width)) or [""]
        pad_top = max(0, (height - len(rows)) // 2)
        text = Text("\n" * pad_top, no_wrap=True)
        text.append("\n".join(row.center(width) for row in rows), style="dim italic")
        return text

    def _legend_lines(self, width: int, item_width: int | None = None) -> list[Text]:
        """Each line's colour, name and price: the last one, or the one under the cursor
        while inspecting. Wrapped between items, never inside one, so the plot above
        keeps the same height whether or not the cursor is out."""
        moment = self.cursor_time
        items = [
            labelled_value(Text("━━ ", style=_series_style(index, bold=True)), line.label,
                           line.cents[-1] if moment is None else line.value_at(moment),
                           item_width or width)
            for index, line in enumerate(self._series)
        ]
        return flow(items, width, gap=3)

    def _readout_line(self, width: int) -> Text:
        """When the legend's prices are from: the cursor's time, or the last point."""
        moment = self.cursor_time
        if moment is None:
            text = Text(f"last point {self._stamp_text(self._times[-1])}", style="dim",
                        no_wrap=True)
        else:
            text = Text.assemble(("at ", "dim"), (self._stamp_text(moment), "bold"),
                                 no_wrap=True)
        text.append(f" · {self._hint()}", style="dim")
        text.truncate(width, overflow="ellipsis")
        return text

    def _hint(self) -> str:
        if not self.has_focus:
            return "focus the chart to inspect"
        scale = "fit y" if self.full_scale else "y 0-100"
        return f"←/→ inspect · 0 {scale} · z UTC/local"

    def _stamp_text(self, moment: int) -> str:
        stamp = datetime.fromtimestamp(moment, UTC).astimezone(self.zone)
        zone_name = "UTC" if self.utc else (stamp.tzname() or "local")
        return f"{stamp:%Y-%m-%d %H:%M} {zone_name}"

    def _index_near(self, moment: int | None) -> int | None:
        if moment is None or not self._times:
            return None
        index = bisect_right(self._times, moment) - 1
        return max(0, index)
