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
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.browse import (
    SORTS,
    ColumnLayout,
    Heading,
    RowSet,
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
TITLE_CACHE = 4096
GUTTER = 1  # cells of the list's own scrollbar


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
    at = title.find(group_title)
    if room < max(12, width // 2) or at < 0 or at < room:
        # Too little room, or the group title starts in sight already: a plain cut.
        return fit_text(title, width, ellipsis=True)
    return fit_text(set_cell_size(title, room).rstrip() + suffix, width)


ROLES = ("plain", "up", "down", "muted", "fav", "event", "spark")
STATES = ("normal", "cursor", "blur")


@dataclass(frozen=True, slots=True)
class _Palette:
    """Full Rich styles per row state and cell role, built once per style change so a
    row render never adds styles together."""

    header: Style
    rows: dict[str, dict[str, Style]]  # state -> role -> style
    thumb: Style
    track: Style


def _right(text: str, width: int) -> str:
    """Right-align a cell made of single-width characters (numbers, arrows, ¢)."""
    return text.rjust(width) if len(text) <= width else text[:width]


class MarketList(ScrollView, can_focus=True, inherit_bindings=False):
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
        "market-list--thumb",
        "market-list--track",
    }
    DEFAULT_CSS = """
    MarketList {
        overflow-x: hidden;
        overflow-y: scroll;
        /* The list draws its own one-cell scrollbar in its lines: Textual's ScrollBar
           widget re-renders its whole height on every one-line scroll (a third of the
           cost of a scroll), and one appearing or going re-lays out the screen. */
        scrollbar-size-vertical: 0;
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
    MarketList > .market-list--thumb { background: $scrollbar; }
    MarketList > .market-list--track { background: $scrollbar-background; }
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
        self.rows = RowSet([])
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
        self._versions: dict[str, int] = {}
        self._cache: LRUCache[tuple[object, ...], Strip] = LRUCache(1024)
        self._layout: ColumnLayout | None = None
        self._palette: _Palette | None = None
        self._titles: dict[tuple[object, ...], str] = {}
        self._spark_texts: dict[tuple[str, int], str] = {}
        self._minute = 0
        self._last_highlighted: str | None = None
        self._repaint_all = True

    # ------------------------------------------------------------ data in

    def configure(self, *, markets: Mapping[str, Market], favorites: set[str],
                  visits: Mapping[str, VisitLike], change_column: str, now: datetime,
                  empty_message: str) -> None:
        """What the rows are drawn from. New data objects invalidate the drawn lines."""
        if (markets is not self.markets or favorites is not self.favorites
                or visits is not self.visits or change_column != self.change_column
                or empty_message != self.empty_message):
            self._cache.clear()
            self._repaint_all = True
        self.markets, self.favorites, self.visits = markets, favorites, visits
        self.change_column, self.empty_message, self.now = change_column, empty_message, now

    def set_rows(self, rows: RowSet, *, keep: str | None = None) -> None:
        """Show `rows`; the cursor stays on market `keep` (or the current one) if present.

        Only the lines that differ are repainted: narrowing a filter often keeps the top
        rows, and an unchanged line is neither drawn nor composited again.
        """
        keep = keep if keep is not None else self.cursor_key
        top, page = int(self.scroll_offset.y), self._page_size() + 1
        before = self._lines(top, page)
        old_cursor = self.cursor
        self.rows = rows
        target = self._find(keep) if keep else 0
        self.cursor = self._selectable(min(target or 0, max(len(rows.keys) - 1, 0)), 1)
        self._update_virtual_size()
        scrolled = self._scroll_to_cursor()
        if scrolled or self._repaint_all or not rows.keys or not before:
            self._repaint_all = False
            self.refresh()
        else:
            after = self._lines(top, page)
            for offset in range(page):
                index = top + offset
                old = before[offset] if offset < len(before) else None
                new = after[offset] if offset < len(after) else None
                if old != new or index in (old_cursor, self.cursor):
                    self.refresh_line(index + 1)
        self._announce()
        self.post_message(self.VisibleChanged())

    def _lines(self, top: int, count: int) -> list[tuple[str, str | None, bool]]:
        """What each visible line shows: row, short label, scrollbar thumb or not."""
        labels = self.rows.labels
        thumb = self._thumb() or (0, 0)
        return [(key, labels.get(key), thumb[0] <= offset < thumb[1])
                for offset, key in enumerate(self.rows.keys[top:top + count])]

    def set_sort(self, sort_key: str, reverse: bool) -> None:
        if (sort_key, reverse) != (self.sort_key, self.sort_reverse):
            self.sort_key, self.sort_reverse = sort_key, reverse
            self.refresh_line(0)

    def touch(self, market_ids: Sequence[str]) -> int:
        """Markets whose data changed: bump their version, repaint them if visible.

        Returns how many visible lines were refreshed.
        """
        versions = self._versions
        for market_id in market_ids:
            versions[market_id] = versions.get(market_id, 0) + 1
        wanted = set(market_ids)
        top, bottom = self._visible_range()
        keys = self.rows.keys
        hits = [index for index in range(top, bottom) if keys[index] in wanted]
        if hits:
            # One region spanning the changed rows: unchanged rows inside it come from
            # the strip cache, and the compositor handles one region better than many.
            self.refresh_lines(hits[0] + 1, hits[-1] - hits[0] + 1)
        return len(hits)

    def set_sparks(self, series: Mapping[str, Sequence[float]]) -> None:
        self.sparks.update(series)
        self._spark_texts = {k: v for k, v in self._spark_texts.items() if k[0] not in series}
        changed = [
            key for key in self.visible_market_ids()
            if (market := self.markets.get(key)) and market.outcomes
            and market.outcomes[0].token_id in series
        ]
        self.touch(changed)

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
    def cursor_key(self) -> str | None:
        keys = self.rows.keys
        if 0 <= self.cursor < len(keys) and not self.rows.is_heading(self.cursor):
            return keys[self.cursor]
        return None

    @property
    def cursor_market(self) -> Market | None:
        key = self.cursor_key
        return self.markets.get(key) if key else None

    def visible_market_ids(self) -> list[str]:
        top, bottom = self._visible_range()
        headings = self.rows.headings
        return [key for key in self.rows.keys[top:bottom] if key not in headings]

    def _visible_range(self) -> tuple[int, int]:
        top = int(self.scroll_offset.y)
        return top, min(len(self.rows.keys), top + self._page_size() + 1)

    def _find(self, key: str) -> int | None:
        try:
            return self.rows.keys.index(key)
        except ValueError:
            return None

    def _page_size(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    # ------------------------------------------------------------ cursor

    def move_cursor(self, index: int, direction: int = 1) -> None:
        if not self.rows.keys:
            return
        index = max(0, min(index, len(self.rows.keys) - 1))
        index = self._selectable(index, direction)
        if index == self.cursor:
            return
        previous, self.cursor = self.cursor, index
        if not self._scroll_to_cursor():
            self.refresh_line(previous + 1)
            self.refresh_line(index + 1)
        self._announce()

    def move_to_key(self, key: str) -> bool:
        index = self._find(key)
        if index is None:
            return False
        self.move_cursor(index)
        return True

    def _selectable(self, index: int, direction: int) -> int:
        """The nearest market row from `index` in `direction` (event headings are skipped)."""
        keys, headings = self.rows.keys, self.rows.headings
        step = 1 if direction >= 0 else -1
        for sign in (step, -step):
            probe = index
            while 0 <= probe < len(keys):
                if keys[probe] not in headings:
                    return probe
                probe += sign
        return max(0, min(index, len(keys) - 1))

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
        self.move_cursor(len(self.rows.keys) - 1, -1)

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
        if offset.x >= self.size.width - GUTTER:  # the scrollbar: jump there
            page = self._page_size()
            share = (offset.y - 1) / max(page - 1, 1)
            self.move_cursor(round(share * (len(self.rows.keys) - 1)))
            return
        index = int(self.scroll_offset.y) + offset.y - 1
        if 0 <= index < len(self.rows.keys) and not self.rows.is_heading(index):
            self.move_cursor(index)
            if event.chain >= 2:
                self.post_message(self.Chosen(self.rows.keys[index]))

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
        size = Size(self.scrollable_content_region.width, len(self.rows.keys) + 1)
        if size == self.virtual_size:
            return
        # `virtual_size` is a layout reactive: assigning it re-lays out the whole screen
        # (the detail pane's long texts included), 20-30 ms per filter keystroke. Only the
        # scrollbars depend on it here; they re-layout by themselves if they appear or go.
        self.set_reactive(MarketList.virtual_size, size)
        self._scroll_update(size)
        self.refresh()

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
                # Foreground and text attributes only: a partial style's empty background
                # comes out as black, which would paint holes in a light theme.
                style = self.get_visual_style(name, partial=True).rich_style
                return Style(color=style.color, bold=style.bold, dim=style.dim,
                             italic=style.italic, underline=style.underline)

            base = self.get_visual_style().rich_style
            bases = {
                "normal": base,
                "cursor": base + self.get_visual_style("market-list--cursor").rich_style,
                "blur": base + self.get_visual_style("market-list--cursor-blur").rich_style,
            }
            roles = {role: part(f"market-list--{role}") for role in ROLES if role != "plain"}
            rows = {state: {"plain": state_base,
                            **{role: state_base + style for role, style in roles.items()}}
                    for state, state_base in bases.items()}
            # On the focused cursor's solid bar, red and green text is hard to read: the
            # bar's own colour throughout (the arrows and signs still say up or down).
            rows["cursor"] = dict.fromkeys(rows["cursor"], bases["cursor"])
            def background(name: str) -> Style:
                return base + Style(bgcolor=self.get_visual_style(name).rich_style.bgcolor)

            self._palette = _Palette(header=base + part("market-list--header"), rows=rows,
                                     thumb=background("market-list--thumb"),
                                     track=background("market-list--track"))
        return self._palette

    def render_lines(self, crop: Region) -> list[Strip]:
        """Our lines straight to the compositor when there is no border, padding, tint or
        opacity to apply: the general path (StylesCache) rebuilds every dirty line, a
        third of a repaint's cost here. Our strips are cached, and so are their filtered
        and padded forms (Strip keeps those), so a repeated line costs a lookup."""
        styles = self.styles
        if (styles.gutter.totals != (0, 0) or self.opacity < 1 or styles.tint.a
                or styles.background_tint.a or styles.text_opacity < 1):
            return super().render_lines(crop)
        width = self.size.width
        _, background = self.background_colors
        filters = self.get_line_filters()
        strips = []
        for y in crop.line_range:
            strip = self.render_line(y)
            for line_filter in filters:
                strip = strip.apply_filter(line_filter, background)
            strips.append(strip)
        x1, x2 = crop.column_span
        if (x1, x2) != (0, width):
            strips = [strip.crop(x1, x2) for strip in strips]
        return strips

    def render_line(self, y: int) -> Strip:
        """Line `y` of the widget: the columns, then one cell of scrollbar.

        Strips are cached whole, so the filtered and cut copies Textual derives from a
        strip are cached along with it.
        """
        full = self.size.width
        width = max(full - GUTTER, 0)
        layout = self._columns(width)
        palette = self._styles()
        if y == 0:
            return self._header_strip(layout, palette, full)
        gutter = self._gutter(y, palette)
        index = int(self.scroll_offset.y) + y - 1
        keys = self.rows.keys
        if index >= len(keys):
            text = " " * width
            if not keys and y == 2:
                text = fit_text("  " + self.empty_message, width, ellipsis=True)
            return Strip([Segment(text, palette.rows["normal"]["muted"]), gutter], full)
        row_key = keys[index]
        selected = index == self.cursor
        cache_key = (row_key, self.rows.labels.get(row_key), self._versions.get(row_key, 0),
                     full, selected, selected and self.has_focus, self._minute, gutter.style)
        strip = self._cache.get(cache_key)
        if strip is None:
            strip = self._render_row(row_key, layout, palette, selected, gutter, full)
            self._cache[cache_key] = strip
        return strip

    def _thumb(self) -> tuple[int, int] | None:
        """Viewport rows (0-based, under the header) the scrollbar thumb covers."""
        total, page = len(self.rows.keys), self._page_size()
        if total <= page:
            return None
        size = max(1, page * page // total)
        top = min(int(self.scroll_offset.y), total - page)
        start = round(top / (total - page) * (page - size))
        return start, start + size

    def _gutter(self, y: int, palette: _Palette) -> Segment:
        thumb = self._thumb()
        if thumb is None:
            return Segment(" " * GUTTER, palette.rows["normal"]["plain"])
        inside = thumb[0] <= y - 1 < thumb[1]
        return Segment(" " * GUTTER, palette.thumb if inside else palette.track)

    def _header_strip(self, layout: ColumnLayout, palette: _Palette, full: int) -> Strip:
        key = ("header", layout.width, full, self.sort_key, self.sort_reverse,
               self.change_column)
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
            strip = Strip(segments).adjust_cell_length(full, palette.header)
            self._cache[key] = strip
        return strip

    def _render_row(self, row_key: str, layout: ColumnLayout, palette: _Palette,
                    selected: bool, gutter: Segment, full: int) -> Strip:
        """One line, `full` cells wide: the columns, padding, the scrollbar cell."""
        state = ("cursor" if self.has_focus else "blur") if selected else "normal"
        styles = palette.rows[state]
        heading = self.rows.headings.get(row_key)
        if heading is not None:
            return Strip([*self._heading_strip(heading, layout, styles), gutter], full)
        market = self.markets.get(row_key)
        if market is None:
            return Strip([Segment(" " * layout.width, styles["plain"]), gutter], full)
        label = self.rows.labels.get(row_key)
        # Few segments per line: Textual cuts every line at every widget edge on screen,
        # so each extra segment costs at every frame. A gap takes the next cell's role
        # (a space shows only the background), and same-role neighbours are merged.
        parts: list[str] = []
        segments: list[Segment] = []
        current = ""
        for index, column in enumerate(layout.columns):
            text, role = self._cell(column.key, label, market, layout.width_of(column))
            if role != current and parts:
                segments.append(Segment("".join(parts), styles[current]))
                parts = []
            current = role
            if index:
                parts.append(" ")
            parts.append(text)
        parts.append(" " * (full - GUTTER - layout.width))
        segments.append(Segment("".join(parts), styles[current]))
        segments.append(gutter)
        return Strip(segments, full)

    def _heading_strip(self, heading: Heading, layout: ColumnLayout,
                       styles: dict[str, Style]) -> Strip:
        count = f"  {heading.count} markets"
        room = max(layout.width - 2 - cell_len(count), 1)
        segments = [Segment("  ", styles["plain"]),
                    Segment(fit_text(f"▾ {heading.label}", room, ellipsis=True),
                            styles["event"]),
                    Segment(count, styles["muted"])]
        return Strip(segments).adjust_cell_length(layout.width, styles["plain"])

    def _cell(self, key: str, label: str | None, market: Market,
              width: int) -> tuple[str, str]:
        """(text exactly `width` cells wide, style role) for one cell."""
        if key == "title":
            return self._title(market, label, width), "plain"
        if key == "price":
            return _right(fmt_price(leading_price(market)), width), "plain"
        if key == "change":
            change = (since_change(market, self.visits) if self.change_column == "since"
                      else leading_change(market))
            text, direction = fmt_change(change)
            return _right(text, width), ("up" if direction > 0 else "down" if direction < 0
                                         else "muted")
        if key == "fav":
            return (STAR, "fav") if market.id in self.favorites else (" ", "plain")
        if key == "spark":
            return self._spark(market, width), "spark"
        if key == "volume_24h":
            return _right(fmt_money(market.volume_24h), width), "muted"
        if key == "liquidity":
            return _right(fmt_money(market.liquidity), width), "muted"
        if key == "ends":
            text = fmt_time_left(market.end_date, self.now)
            return _right(text, width), ("down" if text == "ended" else "muted")
        return " " * width, "plain"

    def _title(self, market: Market, label: str | None, width: int) -> str:
        # Titles do not change on a price tick: cache the cut text (str hashes are cached).
        key = (label, width) if label is not None else (market.title, market.group_title, width)
        text = self._titles.get(key)
        if text is None:
            if len(self._titles) > TITLE_CACHE:
                self._titles.clear()
            if label is not None:
                text = fit_text(f"  {label}", width, ellipsis=True)
            else:
                text = title_text(market.title, market.group_title, width)
            self._titles[key] = text
        return text

    def _spark(self, market: Market, width: int) -> str:
        token = market.outcomes[0].token_id if market.outcomes else ""
        key = (token, width)
        text = self._spark_texts.get(key)
        if text is None:
            text = fit_text(sparkline_text(self.sparks.get(token, ()), width), width)
            self._spark_texts[key] = text
        return text
