"""Price chart: plotext lines for up to four outcomes, range tabs and an inspect cursor.

plotext draws only what we give it (numbers, our own tick labels), and its ANSI output
goes through `Text.from_ansi`. Outcome names are untrusted, so they never go near
plotext or ANSI: the legend and the cursor line are built with `Text` pieces.
plotext is imported lazily (it costs ~40 ms at start-up) and its builds are
serialised by a lock because plotext keeps module-level state.
"""

from __future__ import annotations

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
_MIN_PLOT_WIDTH = 24
_MIN_PLOT_HEIGHT = 4
_CHROME_LINES = 3  # range tabs, legend, cursor/info line
_PLOTEXT_LOCK = threading.Lock()


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


def render_plot(series: Sequence[ChartSeries], width: int, height: int, *,
                zone: tzinfo = UTC) -> str:
    """plotext's ANSI drawing of `series` (our numbers and labels only) at width × height."""
    import plotext._figure as plotext_figure  # lazy: keeps plotext off the start-up path

    start, end = time_span(series)
    with _PLOTEXT_LOCK:
        figure = plotext_figure._figure_class()
        # A master figure is capped at the terminal size by default; we size it ourselves.
        figure._limit_size(False, False)
        figure.plot_size(width, height)
        figure.theme("clear")
        for index, line in enumerate(series):
            times, cents = thin(line.times, line.cents, 2 * width)
            figure.plot(times, cents, marker="braille", color=SERIES_RGB[index % len(SERIES_RGB)])
        figure.ylim(0, 100)
        ys = [0, 25, 50, 75, 100] if height >= 9 else [0, 50, 100]
        figure.yticks(ys, [f"{y}¢" for y in ys])
        figure.xlim(start, end)
        positions, labels = x_ticks(start, end, width, zone)
        figure.xticks(positions, labels)
        return figure.build()


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


class PriceChart(Widget, can_focus=True):
    """Chart of price history; left/right move an inspect cursor when focused."""

    DEFAULT_CSS = """
    PriceChart {
        height: 16;
        min-height: 6;
    }
    PriceChart:focus {
        background-tint: $foreground 5%;
    }
    """

    BINDINGS = [
        Binding("left", "cursor(-1)", "Earlier", show=False, id="chart.cursor_left"),
        Binding("right", "cursor(1)", "Later", show=False, id="chart.cursor_right"),
        Binding("shift+left", "cursor(-10)", "Earlier ×10", show=False,
                id="chart.cursor_left_fast"),
        Binding("shift+right", "cursor(10)", "Later ×10", show=False,
                id="chart.cursor_right_fast"),
        Binding("home", "cursor_edge(0)", "First point", show=False, id="chart.cursor_first"),
        Binding("end", "cursor_edge(1)", "Last point", show=False, id="chart.cursor_last"),
        Binding("z", "toggle_zone", "UTC/local", id="chart.toggle_zone"),
    ]

    range_: reactive[str] = reactive("1d")
    cursor: reactive[int | None] = reactive(None)
    utc: reactive[bool] = reactive(True)
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

    def values_at_cursor(self) -> list[tuple[str, float | None]]:
        moment = self.cursor_time
        if moment is None:
            return []
        return [(line.label, line.value_at(moment)) for line in self._series]

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
        key = (width, height, self._version, self.cursor, self.utc, self.range_,
               self.pending, self.error, self.has_focus)
        if key != self._cache_key or self._cache is None:
            self._cache = self._render_text(width, height)
            self._cache_key = key
        return self._cache

    def _render_text(self, width: int, height: int) -> Text:
        lines = [self._tabs_line()]
        plot_height = height - _CHROME_LINES
        if self.pending:
            lines.append(self._centered(f"Loading {RANGE_LABELS[self.range_]} price history…",
                                        width, plot_height))
        elif self.error is not None:
            lines.append(self._centered(self.error, width, plot_height))
        elif not self._series:
            lines.append(self._centered(EMPTY_MESSAGE, width, plot_height))
        elif width < _MIN_PLOT_WIDTH or plot_height < _MIN_PLOT_HEIGHT:
            lines.append(Text("Make the window larger to see the chart", style="dim"))
        else:
            lines.extend(self._plot_lines(width, plot_height))
        if self._series and not self.pending and self.error is None:
            lines.append(self._legend_line())
            lines.append(self._info_line())
        return Text("\n", no_wrap=True).join(lines)

    def _plot_lines(self, width: int, height: int) -> list[Text]:
        """The plotext drawing (rebuilt only for new data, size or zone) plus the cursor."""
        key = (width, height, self._version, self.utc)
        if key != self._plot_key:
            drawing = render_plot(self._series, width, height, zone=self.zone)
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

    def _legend_line(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        for index, line in enumerate(self._series):
            if index:
                text.append("   ")
            red, green, blue = SERIES_RGB[index % len(SERIES_RGB)]
            text.append("━━ ", style=Style(color=f"rgb({red},{green},{blue})", bold=True))
            text.append(line.label)  # untrusted: plain text, never markup or ANSI
            text.append(f" {format_cents(line.cents[-1])}", style="bold")
        return text

    def _info_line(self) -> Text:
        moment = self.cursor_time
        text = Text(no_wrap=True, overflow="ellipsis")
        if moment is None:
            # The legend shows the last values: say when that was.
            text.append(f"last point {self._stamp_text(self._times[-1])}", style="dim")
            hint = "←/→ inspect, z: UTC/local" if self.has_focus else "focus the chart to inspect"
            text.append(f" · {hint}", style="dim")
            return text
        text.append(self._stamp_text(moment), style="bold")
        for index, (label, value) in enumerate(self.values_at_cursor()):
            red, green, blue = SERIES_RGB[index % len(SERIES_RGB)]
            text.append("  ")
            text.append("● ", style=Style(color=f"rgb({red},{green},{blue})"))
            text.append(label)
            text.append(f" {format_cents(value)}")
        return text

    def _stamp_text(self, moment: int) -> str:
        stamp = datetime.fromtimestamp(moment, UTC).astimezone(self.zone)
        zone_name = "UTC" if self.utc else (stamp.tzname() or "local")
        return f"{stamp:%Y-%m-%d %H:%M} {zone_name}"

    def _index_near(self, moment: int | None) -> int | None:
        if moment is None or not self._times:
            return None
        index = bisect_right(self._times, moment) - 1
        return max(0, index)
