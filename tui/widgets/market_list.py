"""The market list: one market (or event heading) per line, under a column header.

A `LineList` (tui.widgets.line_list): the widget keeps plain rows, renders only the
lines on screen, caches each rendered Strip, and on a price tick refreshes only the
visible rows that changed (docs/textual-notes.md §2). No DataTable: it freezes for
about a second at 10k rows and re-renders the whole table on every cell update. What
each line shows is drawn by tui.widgets.market_rows.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from rich.style import Style
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip

from tui.models import Market, Visit
from tui.view.catalog import RowSet
from tui.widgets.line_list import LineList, RowState, cursor_bindings
from tui.widgets.market_rows import ROLES, MarketRows, Palette, build_palette


class MarketList(LineList, inherit_bindings=False):
    """Markets, one per line, under a fixed header; a cursor; columns that fit the width."""

    HEADER_LINES = 1
    SCROLLBAR_CELLS = 1
    CACHE_SIZE = 1024
    # The header's, and one per palette role (tui.widgets.market_rows) but "plain".
    COMPONENT_CLASSES = {f"market-list--{role}" for role in (*ROLES, "header")
                         if role != "plain"}
    DEFAULT_CSS = """
    MarketList {
        overflow-y: scroll;
        /* The list draws its own one-cell scrollbar in its lines (SCROLLBAR_CELLS). */
        scrollbar-size-vertical: 0;
    }
    MarketList > .market-list--header { text-style: bold; color: $text-muted; }
    MarketList > .market-list--up { color: $text-success; }
    MarketList > .market-list--down { color: $text-error; }
    MarketList > .market-list--muted { color: $text-muted; }
    MarketList > .market-list--fav { color: $text-warning; }
    MarketList > .market-list--event { color: $text-accent; text-style: bold; }
    MarketList > .market-list--spark { color: $text-primary; }
    """
    BINDINGS = [
        *cursor_bindings(),
        # Grouped by event: fold a heading's markets away and back (Enter toggles).
        Binding("left", "fold", "Fold event", show=False, id="group-fold"),
        Binding("right", "unfold", "Unfold event", show=False, id="group-unfold"),
    ]

    @dataclass
    class Highlighted(Message):
        """The cursor is on another market (None: no market under it)."""

        market_id: str | None

    @dataclass
    class Chosen(Message):
        """A row was double-clicked: a market id, or a heading's key (Enter is a screen
        binding)."""

        market_id: str

    @dataclass
    class FoldWanted(Message):
        """Fold (or unfold) the markets under heading `heading` (its row key)."""

        heading: str
        fold: bool

    @dataclass
    class Placed(Message):
        """The cursor's place among the markets, or their number, changed; coalesced."""

        place: int  # from 1; 0 when there is no row
        count: int

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, MarketList.Placed)

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
        self.visits: Mapping[str, Visit] = {}
        self.sparks: dict[str, Sequence[float]] = {}
        self.sort_key = "volume_24h"
        self.sort_reverse = False
        self.extra_columns: frozenset[str] = frozenset()  # optional columns the view shows
        self.empty_message = "Loading markets…"
        self.now: datetime = datetime.now(UTC)
        self._painter = MarketRows(self)
        self._palette: Palette | None = None
        self._minute = 0
        self._last_highlighted: str | None = None
        self._last_place = (0, 0)
        self._repaint_all = True

    # ------------------------------------------------------------ data in

    def configure(self, *, markets: Mapping[str, Market], favorites: set[str],
                  visits: Mapping[str, Visit], columns: Collection[str], now: datetime,
                  empty_message: str) -> None:
        """What the rows are drawn from, and the optional columns the view shows. New
        data objects or columns invalidate the drawn lines."""
        extra = frozenset(columns)
        if (markets is not self.markets or favorites is not self.favorites
                or visits is not self.visits or extra != self.extra_columns
                or empty_message != self.empty_message):
            self.clear_cache()
            self._painter.forget_layout()
            self._repaint_all = True
        self.markets, self.favorites, self.visits = markets, favorites, visits
        self.extra_columns, self.empty_message, self.now = extra, empty_message, now

    def set_rows(self, rows: RowSet, *, keep: str | None = None, top: bool = False,
                 steady: bool = False) -> None:
        """Show `rows`; the cursor goes to the first row (`top`), or stays on row `keep`
        (or the current one, a heading too) if present; with `steady` that row also
        stays on its screen line (rows merged above it do not push it down), unless the
        list was scrolled to its top: then the top stays in view.

        Only the lines that differ are repainted: narrowing a filter often keeps the top
        rows, and an unchanged line is neither drawn nor composited again.
        """
        keep = None if top else keep if keep is not None else self.cursor_row_key
        before = self.line_ids()
        old_cursor = self.cursor
        top_before = self.top_row
        line = self.cursor - top_before  # the cursor's screen line
        self.rows = rows
        target = self.index_of(keep) if keep else 0
        self.place_cursor(self.selectable(min(target or 0, max(len(rows.keys) - 1, 0)), 1))
        self.update_virtual_size()
        if steady and top_before and keep is not None and self.cursor_row_key == keep:
            scrolled = self.scroll_cursor_to_line(line)
        else:
            scrolled = self.scroll_to_cursor()
        if scrolled or self._repaint_all or not rows.keys or not before:
            self._repaint_all = False
            self.refresh()
        else:
            self.refresh_changed_lines(before, old_cursor)
        self._announce()
        self.post_message(self.VisibleChanged())

    def scroll_cursor_to_line(self, line: int) -> bool:
        """Scroll so the cursor's row shows on screen line `line` (as near as the rows
        allow); True if the offset changed."""
        line = max(0, min(line, self.page_size() - 1))
        target = max(0, min(self.cursor - line, self.row_count() - self.page_size()))
        if target != self.top_row:
            self.scroll_to(y=target, animate=False, force=True)
            return True
        return False

    def set_sort(self, sort_key: str, reverse: bool) -> None:
        if sort_key != self.sort_key:  # its column always shows: the columns may change
            self.clear_cache()
            self._painter.forget_layout()
            self._repaint_all = True
        if (sort_key, reverse) != (self.sort_key, self.sort_reverse):
            self.sort_key, self.sort_reverse = sort_key, reverse
            self.refresh_line(0)

    def set_sparks(self, series: Mapping[str, Sequence[float]]) -> None:
        self.sparks.update(series)
        self.touch(self._painter.sparks_changed(series.keys(), self.visible_market_ids()))

    def tick(self, now: datetime) -> None:
        """The clock moved: time-left cells change once a minute."""
        self.now = now
        minute = int(now.timestamp() // 60)
        if minute != self._minute:
            self._minute = minute
            if self._painter.shows("ends"):
                self.clear_cache()
                self.refresh()

    # ------------------------------------------------------------ reading

    @property
    def cursor_key(self) -> str | None:
        keys = self.rows.keys
        if 0 <= self.cursor < len(keys) and not self.rows.is_heading(self.cursor):
            return keys[self.cursor]
        return None

    @property
    def cursor_row_key(self) -> str | None:
        """The key of the row under the cursor: a market id or a heading's key."""
        keys = self.rows.keys
        return keys[self.cursor] if 0 <= self.cursor < len(keys) else None

    @property
    def cursor_market(self) -> Market | None:
        key = self.cursor_key
        return self.markets.get(key) if key else None

    @property
    def cursor_heading(self) -> str | None:
        """The heading's key when the cursor is on an event's heading."""
        key = self.cursor_row_key
        return key if key is not None and key in self.rows.headings else None

    @property
    def place(self) -> int:
        """Where the cursor stands among the markets, from 1 (0: no rows)."""
        return self.rows.place(self.cursor)

    def visible_market_ids(self) -> list[str]:
        """Markets on screen, and the one a scroll of a line brings in next."""
        top, bottom = self.visible_range()
        headings = self.rows.headings
        return [key for key in self.rows.keys[top:bottom + 1] if key not in headings]

    def _announce(self) -> None:
        key = self.cursor_key
        if key != self._last_highlighted:
            self._last_highlighted = key
            self.post_message(self.Highlighted(key))
        place = (self.place, self.rows.market_count)
        if place != self._last_place:
            self._last_place = place
            self.post_message(self.Placed(*place))

    # ------------------------------------------------------------ folding

    def toggle_fold(self) -> bool:
        """Fold or unfold the heading under the cursor; False when it is not on one."""
        heading = self.cursor_heading
        if heading is None:
            return False
        self.post_message(self.FoldWanted(heading, not self.rows.headings[heading].folded))
        return True

    def reveal_below(self, count: int) -> None:
        """Scroll so the `count` rows under the cursor show too (an unfolded event's
        markets), keeping the cursor on screen."""
        top, page = self.top_row, self.page_size()
        target = min(self.cursor, max(top, self.cursor + count - page + 1))
        if target != top:
            self.scroll_to(y=target, animate=False, force=True)

    def action_fold(self) -> None:
        """←: fold the event the cursor is in (its heading or one of its markets)."""
        index = self.rows.heading_of(self.cursor)
        if index is not None:
            key = self.rows.keys[index]
            if not self.rows.headings[key].folded:
                self.post_message(self.FoldWanted(key, True))

    def action_unfold(self) -> None:
        """→: unfold the heading under the cursor; on an open one, go to its first market."""
        heading = self.cursor_heading
        if heading is None:
            return
        if self.rows.headings[heading].folded:
            self.post_message(self.FoldWanted(heading, False))
        else:
            self.move_cursor(self.cursor + 1)

    # ------------------------------------------------------------ LineList's questions

    def row_count(self) -> int:
        return len(self.rows.keys)

    def row_key(self, index: int) -> str:
        return self.rows.keys[index]

    def row_look(self, index: int) -> Hashable:
        """A market's label under a heading; a heading's title, count and fold."""
        key = self.rows.keys[index]
        return self.rows.headings.get(key) or self.rows.labels.get(key)

    def index_of(self, key: Hashable) -> int | None:
        if not isinstance(key, str):
            return None
        try:
            return self.rows.keys.index(key)
        except ValueError:
            return None

    def cursor_moved(self) -> None:
        self._announce()

    def row_chosen(self, index: int) -> None:
        self.post_message(self.Chosen(self.rows.keys[index]))

    def after_scroll(self) -> None:
        self.post_message(self.VisibleChanged())

    def after_resize(self) -> None:
        self._painter.forget_layout()
        self.scroll_to_cursor()
        self.post_message(self.VisibleChanged())

    def styles_updated(self) -> None:
        self._palette = None

    # ------------------------------------------------------------ rendering

    def _styles(self) -> Palette:
        if self._palette is None:
            self._palette = build_palette(self.row_styles(), self._role_style)
        return self._palette

    def _role_style(self, role: str) -> Style:
        # Foreground and text attributes only: a partial style's empty background comes
        # out as black, which would paint holes in a light theme.
        style = self.get_visual_style(f"market-list--{role}", partial=True).rich_style
        return Style(color=style.color, bold=style.bold, dim=style.dim,
                     italic=style.italic, underline=style.underline)

    def blank_style(self) -> Style:
        return self._styles().rows["normal"]["muted"]

    def render_header(self, y: int, width: int) -> Strip:
        layout = self._painter.columns(width - self.SCROLLBAR_CELLS)
        key = ("header", layout.columns, layout.width, width, self.sort_key,
               self.sort_reverse)
        return self.cached(key, lambda: self._painter.header(
            layout, self._styles(), width, self.sort_key, self.sort_reverse))

    def render_row(self, index: int, width: int, state: RowState) -> Strip:
        return self._painter.row(self.rows, index, width, self._styles().rows[state])
