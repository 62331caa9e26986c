"""Price chart: plotext lines for up to four outcomes, range tabs and an inspect cursor.

Rows, top to bottom: the range tabs, the plot, the legend (wrapped between outcomes,
never inside one) and the readout line. While inspecting, the legend reads each line's
price under the cursor and the readout its time. The plot takes the rows the others
leave, so the numbers are on screen whenever the chart is. What goes in those rows (the
plotext drawing, the legend's items, the cursor) is drawn by tui.widgets.chart_drawing.
"""

from __future__ import annotations

import textwrap
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, tzinfo

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from tui.models import PricePoint
from tui.widgets.chart_drawing import (
    PLOT_FRAME_ROWS,
    Canvas,
    ChartSeries,
    build_series,
    find_canvas,
    flow,
    labelled_value,
    merged_times,
    overlay_cursor,
    render_plot,
    series_style,
    step_index,
    time_span,
)

RANGES: tuple[str, ...] = ("1h", "6h", "1d", "1w", "1m", "max")
RANGE_LABELS: dict[str, str] = {
    "1h": "1H", "6h": "6H", "1d": "1D", "1w": "1W", "1m": "1M", "max": "ALL",
}
EMPTY_MESSAGE = "No price history for this range yet"
TOO_SMALL_MESSAGE = "Make the window larger to see the chart"
_MIN_PLOT_WIDTH = 24
_MIN_PLOT_HEIGHT = 4
_ROOMY_PLOT_HEIGHT = 8  # fewer rows than this for the plot: the legend packs tighter


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

    def canvas_rows(self, width: int, height: int) -> int:
        """The rows plotext would draw the lines in if the chart were width × height
        (the range tabs, legend, readout and plot frame take the rest). Before any data
        the legend counts as one line, so the answer does not jump when it arrives."""
        body = height - 1  # the range tabs
        legend = max(1, len(self._fitted_legend(width, body)))
        return body - legend - 1 - PLOT_FRAME_ROWS

    def _fitted_legend(self, width: int, height: int) -> list[Text]:
        legend = self._legend_lines(width)
        if height - len(legend) - 1 < _ROOMY_PLOT_HEIGHT and len(legend) > 1:
            # Short on rows (the 80×24 detail): two legend items a line, names cut.
            legend = self._legend_lines(width, item_width=max(16, (width - 3) // 2))
        return legend

    def _chart_lines(self, width: int, height: int) -> list[Text]:
        """Plot, legend and readout in `height` rows: the plot gets what the others leave,
        so the values are on screen whenever the chart is."""
        legend = self._fitted_legend(width, height)
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
            labelled_value(Text("━━ ", style=series_style(index, bold=True)), line.label,
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
