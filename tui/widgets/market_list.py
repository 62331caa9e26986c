"""The market list: a Line-API ScrollView that renders one market to one Strip.

The toolong technique (reference/textual.md §1): the widget keeps plain rows, renders
only the lines on screen, caches each rendered Strip by (row, row version, width,
cursor, focus, styles), and on a price tick refreshes only the visible rows that
changed. No DataTable: it freezes for about a second at 10k rows and re-renders the
whole table on every cell update.

Data text (questions, event titles) goes into Rich Segments as plain strings: it is
never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.browse import (
    SORTS,
    Column,
    ColumnLayout,
    Row,
    VisitLike,
    fit_columns,
    fmt_change,
    fmt_money,
    fmt_price,
    fmt_time_left,
    leading_change,
    leading_price,
    since_change,
)
from tui.models import Market
from tui.widgets.sparkline import sparkline_text

STAR = "★"
ELLIPSIS = "…"


def fit_text(text: str, width: int, align: str = "left", *, ellipsis: bool = False) -> str:
    """`text` padded or cut to exactly `width` cells (wide characters counted right)."""
    if width <= 0:
        return ""
    length = cell_len(text)
    if length > width:
        if ellipsis and width > 1:
            return set_cell_size(text, width - 1) + ELLIPSIS
        return set_cell_size(text, width)
    if align == "right":
        return " " * (width - length) + text
    return text + " " * (width - length)


def title_text(title: str, group_title: str, width: int) -> str:
    """The title cut to `width`, keeping the outcome's group title ("$206", "50 bps") in
    sight: sibling markets of an event often differ only at the end of the question."""
    if cell_len(title) <= width or not group_title:
        return fit_text(title, width, ellipsis=True)
    suffix = f"… {group_title}"
    room = width - cell_len(suffix)
    if room < max(12, width // 2) or title.find(group_title) < 0:
        return fit_text(title, width, ellipsis=True)
    head = set_cell_size(title, room).rstrip()
    if group_title in head:  # it is already visible: a plain cut reads better
        return fit_text(title, width, ellipsis=True)
    return fit_text(head + suffix, width)


@dataclass(frozen=True, slots=True)
class _Palette:
    """Rich styles for one theme, looked up once per style change, not per cell."""

    base: Style
    header: Style
    cursor: Style
    cursor_blur: Style
    up: Style
    down: Style
    muted: Style
    fav: Style
    event: Style
    spark: Style


class MarketList(ScrollView, can_focus=True):
    """Markets, one per line, under a fixed header; a cursor; columns that fit the width."""

    ALLOW_MAXIMIZE = False
    COMPONENT_CLASSES = {
        "market-list--header",
        "market-list--cursor",
        "market-list--cursor-blur",
        "market-list--up",
        "market-list--down",
        "market-list--muted",
        "market-list--fav",
        "market-list--event",
        "market-list--spark",
    }
    DEFAULT_CSS = """
    MarketList {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        background: $surface;
        color: $foreground;
    }
    MarketList > .market-list--header { text-style: bold; color: $text-muted; }
    MarketList > .market-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    MarketList > .market-list--cursor-blur {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
        text-style: $block-cursor-blurred-text-style;
    }
    MarketList > .market-list--up { color: $text-success; }
    MarketList > .market-list--down { color: $text-error; }
    MarketList > .market-list--muted { color: $text-muted; }
    MarketList > .market-list--fav { color: $text-warning; }
    MarketList > .market-list--event { color: $text-accent; text-style: bold; }
    MarketList > .market-list--spark { color: $text-primary; }
    """
    BINDINGS = [
        Binding("down,j", "cursor_down", "Down", show=False, id="cursor-down"),
        Binding("up,k", "cursor_up", "Up", show=False, id="cursor-up"),
        Binding("g,home", "cursor_top", "Top", show=False, id="cursor-top"),
        Binding("G,end", "cursor_bottom", "Bottom", show=False, id="cursor-bottom"),
        Binding("pagedown", "page_down", "Page down", show=False, id="page-down"),
        Binding("pageup", "page_up", "Page up", show=False, id="page-up"),
    ]

    @dataclass
    class Highlighted(Message):
        """The cursor is on another market (None: no market under it)."""

        market_id: str | None

    @dataclass
    class Chosen(Message):
        """A market was double-clicked (Enter is a screen binding)."""

        market_id: str

    @dataclass
    class VisibleChanged(Message):
        """Scrolling or new rows changed what is on screen; coalesced."""

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, MarketList.VisibleChanged)

    def __init__(self, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.rows: list[Row] = []
        self.markets: Mapping[str, Market] = {}
        self.favorites: set[str] = set()
        self.visits: Mapping[str, VisitLike] = {}
        self.sparks: dict[str, Sequence[float]] = {}
        self.cursor = 0
        self.sort_key = "volume_24h"
        self.sort_reverse = False
        self.change_column = "24h"
        self.empty_message = "Loading markets…"
        self.mouse_enabled = True
        self.now: datetime = datetime.now(UTC)
        self._index: dict[str, int] = {}
        self._versions: dict[str, int] = {}
        self._cache: LRUCache[tuple[object, ...], Strip] = LRUCache(1024)
        self._layout: ColumnLayout | None = None
        self._palette: _Palette | None = None
        self._minute = 0
        self._last_highlighted: str | None = None

    # ------------------------------------------------------------ data in

    def set_rows(self, rows: list[Row], *, keep: str | None = None) -> None:
        """Show `rows`; the cursor stays on market `keep` (or the current one) if present."""
        keep = keep if keep is not None else self.cursor_key
        self.rows = rows
        self._index = {row.key: index for index, row in enumerate(rows)}
        self._cache.clear()
        target = self._index.get(keep, 0) if keep else 0
        self.cursor = self._selectable(min(target, max(len(rows) - 1, 0)), 1)
        self._update_virtual_size()
        self._scroll_to_cursor()
        self.refresh()
        self._announce()
        self.post_message(self.VisibleChanged())

    def touch(self, market_ids: Sequence[str]) -> int:
        """Markets whose data changed: bump their version, repaint them if visible.

        Returns how many visible lines were refreshed.
        """
        top, bottom = self._visible_range()
        refreshed = 0
        for market_id in market_ids:
            self._versions[market_id] = self._versions.get(market_id, 0) + 1
            index = self._index.get(market_id)
            if index is not None and top <= index < bottom:
                self.refresh_line(index + 1)
                refreshed += 1
        return refreshed

    def set_sparks(self, series: Mapping[str, Sequence[float]]) -> None:
        self.sparks.update(series)
        changed = [
            row.key for row in self.visible_rows()
            if (market := self.markets.get(row.key)) and market.outcomes
            and market.outcomes[0].token_id in series
        ]
        self.touch(changed)

    def set_sort(self, sort_key: str, reverse: bool) -> None:
        self.sort_key, self.sort_reverse = sort_key, reverse
        self._cache.clear()
        self.refresh()

    def tick(self, now: datetime) -> None:
        """The clock moved: time-left cells change once a minute."""
        self.now = now
        minute = int(now.timestamp() // 60)
        if minute != self._minute:
            self._minute = minute
            if self._layout is not None and self._layout.has("ends"):
                self.refresh()

    # ------------------------------------------------------------ reading

    @property
    def cursor_row(self) -> Row | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    @property
    def cursor_key(self) -> str | None:
        row = self.cursor_row
        return row.key if row is not None and row.kind == "market" else None

    @property
    def cursor_market(self) -> Market | None:
        key = self.cursor_key
        return self.markets.get(key) if key else None

    def visible_rows(self) -> list[Row]:
        top, bottom = self._visible_range()
        return self.rows[top:bottom]

    def visible_market_ids(self) -> list[str]:
        return [row.key for row in self.visible_rows() if row.kind == "market"]

    def _visible_range(self) -> tuple[int, int]:
        top = int(self.scroll_offset.y)
        return top, min(len(self.rows), top + self._page_size() + 1)

    def _page_size(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    # ------------------------------------------------------------ cursor

    def move_cursor(self, index: int, direction: int = 1) -> None:
        if not self.rows:
            return
        index = max(0, min(index, len(self.rows) - 1))
        index = self._selectable(index, direction)
        if index == self.cursor:
            return
        previous, self.cursor = self.cursor, index
        if not self._scroll_to_cursor():
            self.refresh_line(previous + 1)
            self.refresh_line(index + 1)
        self._announce()

    def move_to_key(self, key: str) -> bool:
        index = self._index.get(key)
        if index is None:
            return False
        self.move_cursor(index)
        return True

    def _selectable(self, index: int, direction: int) -> int:
        """The nearest market row from `index` in `direction` (event headings are skipped)."""
        rows = self.rows
        step = 1 if direction >= 0 else -1
        probe = index
        while 0 <= probe < len(rows):
            if rows[probe].kind == "market":
                return probe
            probe += step
        probe = index
        while 0 <= probe < len(rows):
            if rows[probe].kind == "market":
                return probe
            probe -= step
        return max(0, min(index, len(rows) - 1))

    def _scroll_to_cursor(self) -> bool:
        """Scroll so the cursor row shows; True if the offset changed (a full refresh)."""
        top = int(self.scroll_offset.y)
        page = self._page_size()
        target = top
        if self.cursor < top:
            target = self.cursor
        elif self.cursor >= top + page:
            target = self.cursor - page + 1
        if self.cursor == self._selectable(0, 1):
            target = 0  # show the event heading above the first market
        if target != top:
            self.scroll_to(y=target, animate=False, force=True)
            return True
        return False

    def _announce(self) -> None:
        key = self.cursor_key
        if key != self._last_highlighted:
            self._last_highlighted = key
            self.post_message(self.Highlighted(key))

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor + 1, 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor - 1, -1)

    def action_cursor_top(self) -> None:
        self.move_cursor(0, 1)

    def action_cursor_bottom(self) -> None:
        self.move_cursor(len(self.rows) - 1, -1)

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor + self._page_size(), 1)

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor - self._page_size(), -1)

    # ------------------------------------------------------------ mouse

    def on_click(self, event: events.Click) -> None:
        if not self.mouse_enabled:
            event.stop()
            return
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        index = int(self.scroll_offset.y) + offset.y - 1
        if 0 <= index < len(self.rows) and self.rows[index].kind == "market":
            self.move_cursor(index)
            if event.chain >= 2:
                self.post_message(self.Chosen(self.rows[index].key))

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self._block_mouse(event)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self._block_mouse(event)

    def _block_mouse(self, event: events.MouseEvent) -> None:
        if not self.mouse_enabled:
            event.prevent_default()
            event.stop()

    # ------------------------------------------------------------ geometry

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self.post_message(self.VisibleChanged())

    def on_resize(self, event: events.Resize) -> None:
        self._layout = None
        self._cache.clear()
        self._update_virtual_size()
        self._scroll_to_cursor()
        self.post_message(self.VisibleChanged())

    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.rows) + 1)

    def notify_style_update(self) -> None:
        self._palette = None
        self._cache.clear()
        super().notify_style_update()

    def on_focus(self) -> None:
        self.refresh_line(self.cursor + 1)

    def on_blur(self) -> None:
        self.refresh_line(self.cursor + 1)

    # ------------------------------------------------------------ rendering

    def _columns(self, width: int) -> ColumnLayout:
        if self._layout is None or self._layout.width != width:
            self._layout = fit_columns(width)
        return self._layout

    def _styles(self) -> _Palette:
        if self._palette is None:
            def part(name: str) -> Style:
                return self.get_visual_style(name, partial=True).rich_style

            base = self.get_visual_style().rich_style
            self._palette = _Palette(
                base=base,
                header=base + part("market-list--header"),
                cursor=base + self.get_visual_style("market-list--cursor").rich_style,
                cursor_blur=base + self.get_visual_style("market-list--cursor-blur").rich_style,
                up=part("market-list--up"),
                down=part("market-list--down"),
                muted=part("market-list--muted"),
                fav=part("market-list--fav"),
                event=part("market-list--event"),
                spark=part("market-list--spark"),
            )
        return self._palette

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        layout = self._columns(width)
        palette = self._styles()
        if y == 0:
            return self._header_strip(layout, palette)
        index = int(self.scroll_offset.y) + y - 1
        if index >= len(self.rows):
            if not self.rows and y == 2:
                text = fit_text("  " + self.empty_message, width, ellipsis=True)
                return Strip([Segment(text, palette.base + palette.muted)], width)
            return Strip.blank(width, palette.base)
        row = self.rows[index]
        selected = index == self.cursor
        key = (row.key, self._versions.get(row.key, 0), width, selected,
               selected and self.has_focus, self._minute)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_row(row, layout, palette, selected)
            self._cache[key] = strip
        return strip

    def _header_strip(self, layout: ColumnLayout, palette: _Palette) -> Strip:
        key = ("header", layout.width, self.sort_key, self.sort_reverse, self.change_column)
        strip = self._cache.get(key)
        if strip is None:
            spec = SORTS.get(self.sort_key)
            arrow_column = spec.column if spec else ""
            descending = spec.descending != self.sort_reverse if spec else True
            segments = []
            for index, column in enumerate(layout.columns):
                header = column.header
                if column.key == "change" and self.change_column == "since":
                    header = "Since"
                if column.key == arrow_column:
                    header += "▼" if descending else "▲"
                text = fit_text(header, layout.width_of(column), column.align)
                segments.append(Segment((" " if index else "") + text, palette.header))
            strip = Strip(segments).adjust_cell_length(layout.width, palette.header)
            self._cache[key] = strip
        return strip

    def _render_row(self, row: Row, layout: ColumnLayout, palette: _Palette,
                    selected: bool) -> Strip:
        if selected:
            base = palette.cursor if self.has_focus else palette.cursor_blur
        else:
            base = palette.base
        if row.kind == "event":
            text = f"▾ {row.label}"
            count = f"  {row.count} markets"
            room = layout.width - 2 - cell_len(count)
            segments = [Segment("  ", base),
                        Segment(fit_text(text, max(room, 1), ellipsis=True),
                                base + palette.event),
                        Segment(count, base + palette.muted)]
            return Strip(segments).adjust_cell_length(layout.width, base)
        market = self.markets.get(row.key)
        if market is None:
            return Strip.blank(layout.width, base)
        segments = []
        for index, column in enumerate(layout.columns):
            text, style = self._cell(column, row, market, layout.width_of(column), palette)
            if index:
                segments.append(Segment(" ", base))
            segments.append(Segment(text, base + style if style else base))
        return Strip(segments).adjust_cell_length(layout.width, base)

    def _cell(self, column: Column, row: Row, market: Market, width: int,
              palette: _Palette) -> tuple[str, Style | None]:
        key = column.key
        if key == "fav":
            favorite = market.id in self.favorites
            return (STAR if favorite else " "), (palette.fav if favorite else None)
        if key == "title":
            if row.grouped:
                return fit_text(f"  {row.label}", width, ellipsis=True), None
            return title_text(market.title, market.group_title, width), None
        if key == "price":
            return fit_text(fmt_price(leading_price(market)), width, "right"), None
        if key == "change":
            change = (since_change(market, self.visits) if self.change_column == "since"
                      else leading_change(market))
            text, direction = fmt_change(change)
            style = palette.up if direction > 0 else palette.down if direction < 0 else (
                palette.muted)
            return fit_text(text, width, "right"), style
        if key == "spark":
            token = market.outcomes[0].token_id if market.outcomes else ""
            values = self.sparks.get(token, ())
            return fit_text(sparkline_text(values, width), width), palette.spark
        if key == "volume_24h":
            return fit_text(fmt_money(market.volume_24h), width, "right"), palette.muted
        if key == "liquidity":
            return fit_text(fmt_money(market.liquidity), width, "right"), palette.muted
        if key == "ends":
            text = fmt_time_left(market.end_date, self.now)
            return fit_text(text, width, "right"), (palette.muted if text != "ended" else
                                                     palette.down)
        return fit_text("", width), None
