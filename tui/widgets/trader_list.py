"""TraderList: the one LineList of the trader panes and wallet views.

Trades, holders, comments, a wallet's positions and activity, the saved wallets: each is
a list of plain items drawn by a `Painter` (what one item looks like, how many lines it
takes, what Enter on it asks the App for). The list keeps the items, lays them out into
lines at its width (a comment's body wraps under its author line), and merges a refresh
the way the news pane does: new items are counted as "N new" and neither the cursor nor
the rows on screen move.

Item text is data: it only ever enters Segments as plain strings cut to their column
(`fit_text`), never markup; a 3,000-character name is cut like any other.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip

from tui.widgets.line_list import LineList, RowState, cursor_bindings, fit_text

FRESH = "●"
MAX_ITEMS = 200
ROLES = ("muted", "up", "down", "accent", "fresh", "heading", "bold")
Cell = tuple[str, str]  # text (already fitted to its width), role ("" plain)


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the list: line `part` of item `item` (0 is the item's own line,
    where the cursor rests; more are wrapped text)."""

    key: Hashable
    item: int
    part: int = 0
    text: str = ""


class Painter[T]:
    """How one kind of item is drawn and what choosing it does. The defaults draw one
    line per item, merge nothing (a refresh replaces the rows) and choose nothing."""

    heading: ClassVar[bool] = False  # a fixed column-heading line above the rows
    merges: ClassVar[bool] = False  # refreshes merge in (and count "N new")
    noun: ClassVar[str] = "rows"  # "trades": the list's sentences

    def key(self, item: T) -> Hashable:
        raise NotImplementedError

    def cells(self, item: T, line: Line, width: int, now: datetime) -> list[Cell]:
        """Line `line` of `item` as cells that add up to at most `width` cells."""
        raise NotImplementedError

    def heading_cells(self, width: int) -> list[Cell]:
        return []

    def wrapped(self, item: T, width: int) -> list[str]:
        """The lines under the item's own line (a comment's body), at `width` cells."""
        return []

    def newest_first(self, item: T) -> object:
        """What merged items are ordered by, newest first (merging painters only)."""
        raise NotImplementedError

    def selectable(self, item: T) -> bool:
        return True

    def request(self, item: T) -> Message | None:
        """What Enter (or a double click) on `item` asks the App for; None: nothing."""
        return None


class TraderList[T](LineList):
    """Items drawn by a Painter, one or more lines each, with a cursor and "N new"."""

    SCROLLBAR_CELLS = 1
    COMPONENT_CLASSES = {f"trader-list--{role}" for role in ROLES}
    DEFAULT_CSS = """
    TraderList {
        overflow-y: scroll;
        scrollbar-size-vertical: 0;
    }
    TraderList > .trader-list--muted { color: $text-muted; }
    TraderList > .trader-list--up { color: $text-success; }
    TraderList > .trader-list--down { color: $text-error; }
    TraderList > .trader-list--accent { color: $text-accent; }
    TraderList > .trader-list--fresh { color: $text-success; text-style: bold; }
    TraderList > .trader-list--heading { color: $text-muted; text-style: bold; }
    TraderList > .trader-list--bold { color: $foreground; text-style: bold; }
    """
    BINDINGS: ClassVar[list[Binding]] = [  # type: ignore[assignment]
        *cursor_bindings("trader."),
        # Off the footer: at 60 columns it would cut "? Help"; the panes' headers say it.
        Binding("enter", "choose", "Open the wallet or market", show=False, id="trader.open"),
    ]

    @dataclass
    class Changed(Message):
        """Rows, cursor or scroll changed (the pane updates its "new" count); coalesced."""

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, TraderList.Changed)

    def __init__(self, painter: Painter[T], *, max_items: int = MAX_ITEMS,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.painter = painter
        self.max_items = max_items
        self.HEADER_LINES = 1 if painter.heading else 0  # this list's, not the class's
        self.items: list[T] = []
        self.lines: list[Line] = []
        self.fresh: set[Hashable] = set()  # items merged in and not on screen yet
        self.now = datetime.now(UTC)
        self._first_line: dict[Hashable, int] = {}
        self._palette: dict[str, Style] | None = None
        self._minute = 0
        self._laid_out_at = 0

    # ------------------------------------------------------------ data in

    def set_items(self, items: Sequence[T], *, keep_place: bool = False) -> None:
        """Replace every item. `keep_place`: the cursor stays on its item (a holders
        refresh); else cursor and scroll go to the top. Nothing counts as new."""
        place = self._place() if keep_place else None
        self.items = list(items)[: self.max_items]
        self.fresh.clear()
        self._relayout(place)

    def merge(self, items: Sequence[T]) -> int:
        """Add what is not shown yet (known items are updated), newest first; returns
        how many are new. The cursor stays on its item and the rows on screen stay put."""
        if not self.painter.merges or not self.items:
            self.set_items(self._ordered(items))
            return 0
        painter = self.painter
        place = self._place()
        by_key = {painter.key(item): item for item in self.items}
        new = [painter.key(item) for item in items if painter.key(item) not in by_key]
        by_key.update((painter.key(item), item) for item in items)
        self.items = self._ordered(by_key.values())[: self.max_items]
        kept = {painter.key(item) for item in self.items}
        self.fresh = (self.fresh | set(new)) & kept
        self._relayout(place)
        return len(kept.intersection(new))

    def _ordered(self, items: Sequence[T] | object) -> list[T]:
        rows = list(items)  # type: ignore[call-overload]
        if self.painter.merges:
            rows.sort(key=self.painter.newest_first, reverse=True)
        return rows

    def tick(self, now: datetime) -> None:
        """The clock moved: ages change once a minute."""
        self.now = now
        minute = int(now.timestamp() // 60)
        if minute != self._minute:
            self._minute = minute
            self.clear_cache()
            self.refresh()

    # ------------------------------------------------------------ reading

    @property
    def cursor_item(self) -> T | None:
        if 0 <= self.cursor < len(self.lines):
            return self.items[self.lines[self.cursor].item]
        return None

    @property
    def fresh_above(self) -> int:
        top = self.top_row
        return sum(1 for key in self.fresh if self._first_line.get(key, top) < top)

    # ------------------------------------------------------------ layout

    def _row_width(self) -> int:
        width = self.scrollable_content_region.width - self.SCROLLBAR_CELLS
        return width if width > 0 else 80

    def _place(self) -> tuple[Hashable | None, Hashable | None]:
        """The cursor's item and the item of the top line on screen."""
        def item_key(line: int) -> Hashable | None:
            if 0 <= line < len(self.lines):
                return self.painter.key(self.items[self.lines[line].item])
            return None

        return item_key(self.cursor), item_key(self.top_row)

    def _relayout(self, place: tuple[Hashable | None, Hashable | None] | None) -> None:
        """Lines from the items at the current width; then the cursor and the top row
        back on the items they were on (`place`), or at the top."""
        painter, width = self.painter, self._row_width()
        self._laid_out_at = width
        lines: list[Line] = []
        first: dict[Hashable, int] = {}
        for index, item in enumerate(self.items):
            key = painter.key(item)
            first[key] = len(lines)
            lines.append(Line(key, index))
            lines += [Line((key, part), index, part, text) for part, text
                      in enumerate(painter.wrapped(item, width), 1)]
        self.lines, self._first_line = lines, first
        cursor_key, top_key = place or (None, None)
        cursor = first.get(cursor_key, 0) if cursor_key is not None else 0
        self.place_cursor(self.selectable(min(cursor, max(len(lines) - 1, 0))))
        self.clear_cache()
        self.update_virtual_size()
        top = first.get(top_key, 0) if top_key is not None else 0
        self.scroll_to(y=top, animate=False, force=True)
        self._see_visible()
        self.refresh()
        self.post_message(self.Changed())

    def _see_visible(self) -> None:
        """Fresh items on screen are no longer "new"."""
        if not self.fresh or self.scrollable_content_region.height <= 0:
            return
        top, bottom = self.visible_range()
        self.fresh.difference_update(self.lines[i].key for i in range(top, bottom))

    # ------------------------------------------------------------ LineList's questions

    def row_count(self) -> int:
        return len(self.lines)

    def row_key(self, index: int) -> Hashable:
        return self.lines[index].key

    def row_look(self, index: int) -> Hashable:
        return self.lines[index].key in self.fresh

    def index_of(self, key: Hashable) -> int | None:
        return self._first_line.get(key)

    def is_selectable(self, index: int) -> bool:
        line = self.lines[index]
        return line.part == 0 and self.painter.selectable(self.items[line.item])

    def cursor_moved(self) -> None:
        self.post_message(self.Changed())

    def row_chosen(self, index: int) -> None:
        self.cursor = index
        self.action_choose()

    def after_scroll(self) -> None:
        self._see_visible()
        self.post_message(self.Changed())

    def after_resize(self) -> None:
        if self.items and self._row_width() != self._laid_out_at:
            self._relayout(self._place())  # wrapped lines follow the width
        self._see_visible()

    def styles_updated(self) -> None:
        self._palette = None

    # ------------------------------------------------------------ choosing

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose":
            item = self.cursor_item
            return item is not None and self.painter.request(item) is not None
        return True

    def action_choose(self) -> None:
        item = self.cursor_item
        request = self.painter.request(item) if item is not None else None
        if request is not None:
            self.app.post_message(request)

    # ------------------------------------------------------------ rendering

    def _styles(self) -> dict[str, Style]:
        if self._palette is None:
            def part(name: str) -> Style:
                # Colour and attributes only: an empty background would be a hole in
                # the cursor bar (see NewsList._styles).
                style = self.get_visual_style(f"trader-list--{name}", partial=True).rich_style
                return Style(color=style.color, bold=style.bold, dim=style.dim,
                             italic=style.italic)

            self._palette = {"": Style(), **{role: part(role) for role in ROLES}}
        return self._palette

    def empty_style(self) -> Style:
        return self.row_styles()["normal"] + self._styles()["muted"]

    def _strip(self, cells: list[Cell], width: int, base: Style, *,
               cursor: bool = False) -> Strip:
        palette = self._styles()
        # On the cursor bar muted text would be hard to read: it takes the bar's colour.
        plain = Style()
        segments = [Segment(text, base + (plain if cursor and role == "muted"
                                          else palette.get(role, plain)))
                    for text, role in cells]
        return Strip(segments).crop(0, width).adjust_cell_length(width, base)

    def render_header(self, y: int, width: int) -> Strip:
        row_width = max(width - self.SCROLLBAR_CELLS, 0)
        base = self.row_styles()["normal"]
        return self.cached(("heading", row_width), lambda: self._strip(
            [(" ", ""), *self.painter.heading_cells(row_width - 1)], width, base))

    def render_row(self, index: int, width: int, state: RowState) -> Strip:
        line = self.lines[index]
        base = self.row_styles()[state]
        fresh = line.key in self.fresh
        marker = (FRESH, "fresh") if fresh else (" ", "")
        cells = self.painter.cells(self.items[line.item], line, width - 1, self.now)
        return self._strip([marker, *cells], width, base, cursor=state == "cursor")


def fit(text: str, width: int, align: str = "left") -> str:
    """`text` cut (with "…") or padded to exactly `width` cells."""
    return fit_text(text, width, align, ellipsis=True)
