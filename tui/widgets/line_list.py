"""The one Line-API cursor list: markets, news, and the trades, holders and positions to come.

A subclass of `LineList` says how many rows there are (`row_count`), what identifies a
row (`row_key`) and how row i looks as one Strip (`render_row`), and sets
`BINDINGS = cursor_bindings("its-prefix.")`. The base does the rest, the way
Textualize's toolong does (docs/textual-notes.md §2):

- `RowView` draws: rendered rows sit in an LRU keyed by row, row version, width, cursor
  state and whatever else the subclass says the drawing depends on (`row_look`), so
  repainting an unchanged line is a lookup; `touch(keys)` bumps rows' versions and
  repaints only the changed rows on screen; optional fixed header lines and a scrollbar
  drawn inside the lines; a direct path from the cached strips to the compositor.
- `LineList` adds the cursor (a typed, clamped reactive) moved by keys, pages, clicks
  and kept on screen, the mouse wheel, and repainting only what a change of rows moved.

This is the only module in tui/ that touches Textual internals. Each is used behind a
named function here (`set_virtual_size_without_layout`, `FixedWidthInput`) and listed in
`TEXTUAL_INTERNALS`; tests/ui/test_line_list.py checks them and names the internal if a
Textual upgrade changes one.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import ClassVar, Literal, NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.reactive import Reactive, reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.widget import Widget
from textual.widgets import Input

RowState = Literal["normal", "cursor", "blur"]
ROW_STATES: tuple[RowState, ...] = ("normal", "cursor", "blur")
# What one row line on screen shows: row key, row look, scrollbar thumb beside it.
LineId = tuple[Hashable, Hashable, bool | None]
ELLIPSIS = "…"


class Frame(NamedTuple):
    """What every line of one paint shares, read from Textual once per paint (its
    properties and reactives cost more than drawing a cached line)."""

    width: int  # content cells across, without Textual's scrollbar
    top: int  # the first row on screen
    count: int  # rows
    thumb: tuple[int, int] | None  # row lines beside the drawn scrollbar's thumb
    cursor: int  # the row drawn as the cursor (-1: none)
    cursor_state: RowState


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


def cursor_bindings(prefix: str = "") -> list[Binding]:
    """A list's keys. Their ids (`<prefix>cursor-down`, ...) are what users remap."""
    return [
        Binding("down,j", "cursor_down", "Down", show=False, id=f"{prefix}cursor-down"),
        Binding("up,k", "cursor_up", "Up", show=False, id=f"{prefix}cursor-up"),
        Binding("g,home", "cursor_top", "Top", show=False, id=f"{prefix}cursor-top"),
        Binding("G,end", "cursor_bottom", "Bottom", show=False, id=f"{prefix}cursor-bottom"),
        Binding("pagedown", "page_down", "Page down", show=False, id=f"{prefix}page-down"),
        Binding("pageup", "page_up", "Page up", show=False, id=f"{prefix}page-up"),
    ]


def thumb_span(total: int, page: int, top: int) -> tuple[int, int] | None:
    """Row lines (0-based) a scrollbar's thumb covers: `page` of `total` rows shown from
    row `top`; None when everything shows."""
    if total <= page:
        return None
    size = max(1, page * page // total)
    start = round(min(top, total - page) / (total - page) * (page - size))
    return start, start + size


# ---------------------------------------------------------------- Textual internals


@dataclass(frozen=True, slots=True)
class TextualInternal:
    """A private method of Textual this module calls or overrides."""

    owner: type
    name: str
    parameters: tuple[str, ...]  # after `self`
    used_by: str


TEXTUAL_INTERNALS: tuple[TextualInternal, ...] = (
    TextualInternal(Widget, "_scroll_update", ("virtual_size",),
                    "set_virtual_size_without_layout: the scrollbars and the scroll offset "
                    "follow a virtual size stored without a layout"),
    TextualInternal(Input, "_watch_value", ("value",),
                    "FixedWidthInput: runs before Input assigns its layout reactive "
                    "virtual_size from content_width"),
)


def set_virtual_size_without_layout(widget: Widget, size: Size) -> bool:
    """Give `widget` a new virtual size without re-laying out the screen; True if changed.

    `virtual_size` is a layout reactive: assigning it re-lays out the whole screen (the
    detail pane's long texts included), 20-30 ms per filter keystroke. Only the widget's
    scroll range depends on it; a scrollbar that appears or goes re-lays out by itself.
    """
    if size == widget.virtual_size:
        return False
    widget.set_reactive(Widget.virtual_size, size)
    widget._scroll_update(size)
    return True


class FixedWidthInput(Input):
    """An Input sized by CSS, not by its text, whose typing does not re-lay out the screen.

    Input assigns its layout reactive `virtual_size` whenever the text's width changes,
    which re-lays out the whole screen at every keystroke. The new size is stored first
    without a layout, so the assignment inside Input finds nothing to change; only the
    input's own scroll range is updated.
    """

    def _watch_value(self, value: str) -> None:
        set_virtual_size_without_layout(self, Size(self.content_width, 1))
        super()._watch_value(value)


# ---------------------------------------------------------------- drawing rows


class RowView(ScrollView):
    """Rows, one per line, under `HEADER_LINES` fixed lines, drawn as cached strips.

    The drawing half of `LineList` (which adds the cursor): subclasses implement
    `row_count`, `row_key` and `render_row`, and may override the methods under "what a
    subclass may say".
    """

    HEADER_LINES: ClassVar[int] = 0
    # Cells of a scrollbar drawn inside the lines (0: Textual's ScrollBar widget). Set
    # with `overflow-y: scroll; scrollbar-size-vertical: 0`: Textual's ScrollBar repaints
    # its whole height on every one-line scroll, and one appearing or going re-lays out
    # the screen.
    SCROLLBAR_CELLS: ClassVar[int] = 0
    CACHE_SIZE: ClassVar[int] = 512
    COMPONENT_CLASSES = {"line-list--thumb", "line-list--track"}
    DEFAULT_CSS = """
    RowView {
        overflow-x: hidden;
        background: $surface;
        color: $foreground;
    }
    RowView > .line-list--thumb { background: $scrollbar; }
    RowView > .line-list--track { background: $scrollbar-background; }
    """

    def __init__(self, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.empty_message = ""  # shown on the second row line when there are no rows
        self._strips: LRUCache[tuple[object, ...], Strip] = LRUCache(self.CACHE_SIZE)
        self._versions: dict[Hashable, int] = {}
        self._bar_styles: tuple[Style, Style] | None = None

    # ------------------------------------------------------------ what a subclass says

    def row_count(self) -> int:
        raise NotImplementedError

    def row_key(self, index: int) -> Hashable:
        """What identifies row `index`: `touch` takes these."""
        raise NotImplementedError

    def render_row(self, index: int, width: int, state: RowState) -> Strip:
        """Row `index`, exactly `width` cells, in `state` (start from `row_styles()`)."""
        raise NotImplementedError

    # ------------------------------------------------------------ what a subclass may say

    def row_look(self, index: int) -> Hashable:
        """What else row `index`'s drawing depends on (a label, a read flag): part of its
        cache key, so a change of it redraws the row without a `touch`."""
        return None

    def cursor_row(self) -> tuple[int, RowState]:
        """The row drawn as the cursor and how (-1: none)."""
        return -1, "normal"

    def row_styles(self) -> dict[RowState, Style]:
        """The full style of a row in each state."""
        return dict.fromkeys(ROW_STATES, self.get_visual_style().rich_style)

    def render_header(self, y: int, width: int) -> Strip:
        return Strip.blank(width, self.row_styles()["normal"])

    def blank_style(self) -> Style:
        """The style of the lines below the rows."""
        return self.row_styles()["normal"]

    def empty_style(self) -> Style:
        """The style of `empty_message`."""
        return self.blank_style()

    def after_resize(self) -> None:
        """The list changed size (the strip cache is empty, the virtual size updated)."""

    def styles_updated(self) -> None:
        """CSS or theme changed: drop styles derived from them (the cache is empty)."""

    # ------------------------------------------------------------ geometry

    @property
    def top_row(self) -> int:
        return int(self.scroll_offset.y)

    def page_size(self) -> int:
        """Row lines on screen."""
        return max(1, self.scrollable_content_region.height - self.HEADER_LINES)

    def visible_range(self) -> tuple[int, int]:
        """The first row on screen and the one after the last."""
        top = self.top_row
        return top, min(self.row_count(), top + self.page_size())

    def update_virtual_size(self) -> None:
        """Call after the number of rows changed."""
        size = Size(self.scrollable_content_region.width, self.row_count() + self.HEADER_LINES)
        if set_virtual_size_without_layout(self, size):
            # A list sized to its rows (height: auto, the news pane) must re-lay out.
            self.refresh(layout=self.styles.height is not None and self.styles.height.is_auto)

    def frame(self) -> Frame:
        """What the lines of a paint share (see `Frame`)."""
        region = self.scrollable_content_region
        count, top = self.row_count(), self.top_row
        page = max(1, region.height - self.HEADER_LINES)
        thumb = thumb_span(count, page, top) if self.SCROLLBAR_CELLS else None
        return Frame(region.width, top, count, thumb, *self.cursor_row())

    def on_resize(self, event: events.Resize) -> None:
        self._strips.clear()
        self.update_virtual_size()
        self.after_resize()

    # ------------------------------------------------------------ repainting

    def refresh_row(self, index: int) -> None:
        self.refresh_line(index + self.HEADER_LINES)  # ScrollView subtracts the scroll

    def touch(self, keys: Iterable[Hashable]) -> int:
        """Rows whose data changed: bump their versions, repaint those on screen.

        Returns how many lines on screen were repainted.
        """
        wanted = set(keys)
        versions = self._versions
        for key in wanted:
            versions[key] = versions.get(key, 0) + 1
        top, bottom = self.visible_range()
        hits = [index for index in range(top, bottom) if self.row_key(index) in wanted]
        if hits:
            # One region spanning the changed rows: unchanged rows inside it come from
            # the strip cache, and the compositor handles one region better than many.
            self.refresh_lines(hits[0] + self.HEADER_LINES, hits[-1] - hits[0] + 1)
        return len(hits)

    def clear_cache(self) -> None:
        """Forget every drawn line (what all rows are drawn from changed)."""
        self._strips.clear()

    def cached(self, key: tuple[object, ...], render: Callable[[], Strip]) -> Strip:
        """A strip from the list's cache (`render` on a miss): for headers and the like."""
        strip = self._strips.get(key)
        if strip is None:
            strip = self._strips[key] = render()
        return strip

    def notify_style_update(self) -> None:
        self._bar_styles = None
        self._strips.clear()
        self.styles_updated()
        super().notify_style_update()

    # ------------------------------------------------------------ rendering

    def render_lines(self, crop: Region) -> list[Strip]:
        """Our lines straight to the compositor when there is no border, padding,
        outline, hatch, tint or opacity to apply: the general path (Textual's
        StylesCache) rebuilds every dirty line, a third of a repaint's cost for the
        market list. Strips are cached, and so are their filtered and cut forms (Strip
        keeps those), so a repeated line costs a lookup."""
        styles = self.styles
        if (styles.gutter.totals != (0, 0) or self.opacity < 1 or styles.tint.a
                or styles.background_tint.a or styles.text_opacity < 1
                or styles.has_any_rules("outline_top", "outline_right", "outline_bottom",
                                        "outline_left", "hatch")):
            return super().render_lines(crop)
        width = self.size.width
        base_background, background = self.background_colors
        filters = self.get_line_filters()
        frame = self.frame()
        strips = []
        for y in crop.line_range:
            strip = self.render_frame_line(y, frame)
            if strip.cell_length < width:  # the part under Textual's scrollbar
                fill = VisualStyle(background=base_background + background).rich_style
                strip = strip.adjust_cell_length(width, fill)
            for line_filter in filters:
                strip = strip.apply_filter(line_filter, background)
            strips.append(strip)
        x1, x2 = crop.column_span
        if (x1, x2) != (0, width):
            strips = [strip.crop(x1, x2) for strip in strips]
        return strips

    def render_line(self, y: int) -> Strip:
        return self.render_frame_line(y, self.frame())

    def render_frame_line(self, y: int, frame: Frame) -> Strip:
        """Line `y` of the list: a header line, a row, or a line below the rows; then the
        drawn scrollbar's cells."""
        width = frame.width
        if y < self.HEADER_LINES:
            return self.render_header(y, width)
        line = y - self.HEADER_LINES
        index = frame.top + line
        thumb = None if frame.thumb is None else frame.thumb[0] <= line < frame.thumb[1]
        row_width = max(width - self.SCROLLBAR_CELLS, 0)
        if index < frame.count:
            key = self.row_key(index)
            state = frame.cursor_state if index == frame.cursor else "normal"
            cache_key = (key, self._versions.get(key, 0), self.row_look(index), row_width,
                         state, thumb)
            strip = self._strips.get(cache_key)
            if strip is None:
                strip = self._with_bar(self.render_row(index, row_width, state), thumb, width)
                self._strips[cache_key] = strip
            return strip
        if line == 1 and not frame.count:
            text = fit_text("  " + self.empty_message, row_width, ellipsis=True)
            blank = Strip([Segment(text, self.empty_style())], row_width)
        else:
            blank = Strip([Segment(" " * row_width, self.blank_style())], row_width)
        return self._with_bar(blank, thumb, width)

    def _with_bar(self, strip: Strip, thumb: bool | None, width: int) -> Strip:
        if not self.SCROLLBAR_CELLS:
            return strip
        normal = self.row_styles()["normal"]
        if self._bar_styles is None:
            def background(name: str) -> Style:
                return normal + Style(bgcolor=self.get_visual_style(name).rich_style.bgcolor)

            self._bar_styles = (background("line-list--thumb"),
                                background("line-list--track"))
        style = normal if thumb is None else self._bar_styles[0 if thumb else 1]
        return Strip([*strip, Segment(" " * self.SCROLLBAR_CELLS, style)], width)


# ---------------------------------------------------------------- the cursor list


class LineList(RowView, can_focus=True):
    """A `RowView` with a cursor: keys, pages, clicks, wheel.

    The bindings are the subclass's, so that their ids (what users remap) are its own:
    `BINDINGS = cursor_bindings("prefix.")`.
    """

    ALLOW_MAXIMIZE = False
    COMPONENT_CLASSES = {"line-list--cursor", "line-list--cursor-blur"}
    DEFAULT_CSS = """
    LineList > .line-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    LineList > .line-list--cursor-blur {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
        text-style: $block-cursor-blurred-text-style;
    }
    """

    cursor: Reactive[int] = reactive(0, repaint=False, init=False)
    """The row under the cursor; setting it repaints, scrolls to it, calls `cursor_moved`."""

    def __init__(self, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.mouse_enabled = True
        self._row_styles: dict[RowState, Style] | None = None

    # ------------------------------------------------------------ what a subclass may say

    def is_selectable(self, index: int) -> bool:
        """Can the cursor rest on row `index`? (The market list lets event headings be stops.)"""
        return True

    def index_of(self, key: Hashable) -> int | None:
        return next((i for i in range(self.row_count()) if self.row_key(i) == key), None)

    def cursor_moved(self) -> None:
        """The cursor went to another row (after the repaint)."""

    def row_chosen(self, index: int) -> None:
        """Row `index` was double-clicked."""

    def after_scroll(self) -> None:
        """Other rows are on screen (the top row changed)."""

    # ------------------------------------------------------------ cursor

    def validate_cursor(self, index: int) -> int:
        return max(0, min(index, self.row_count() - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        if not self.scroll_to_cursor():
            self.refresh_row(old)
            self.refresh_row(new)
        self.cursor_moved()

    def place_cursor(self, index: int) -> None:
        """Set the cursor without scrolling, repainting or `cursor_moved`: for a caller
        that replaces the rows and then repaints and announces itself."""
        self.set_reactive(LineList.cursor, self.validate_cursor(index))

    def move_cursor(self, index: int, direction: int = 1) -> None:
        """The cursor to row `index`, or the nearest row it can rest on in `direction`."""
        count = self.row_count()
        if count:
            self.cursor = self.selectable(max(0, min(index, count - 1)), direction)

    def move_to_key(self, key: Hashable) -> bool:
        index = self.index_of(key)
        if index is None:
            return False
        self.move_cursor(index)
        return True

    def selectable(self, index: int, direction: int = 1) -> int:
        """The nearest row from `index` in `direction` the cursor can rest on."""
        count = self.row_count()
        step = 1 if direction >= 0 else -1
        for sign in (step, -step):
            probe = index
            while 0 <= probe < count:
                if self.is_selectable(probe):
                    return probe
                probe += sign
        return max(0, min(index, count - 1))

    def scroll_to_cursor(self) -> bool:
        """Scroll so the cursor row shows; True if the offset changed (a full repaint)."""
        top, page = self.top_row, self.page_size()
        target = top
        if self.cursor < top:
            target = self.cursor
        elif self.cursor >= top + page:
            target = self.cursor - page + 1
        if self.cursor == self.selectable(0, 1):
            target = 0  # show the rows above the first stop (a group heading)
        if target != top:
            self.scroll_to(y=target, animate=False, force=True)
            return True
        return False

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor + 1, 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor - 1, -1)

    def action_cursor_top(self) -> None:
        self.move_cursor(0, 1)

    def action_cursor_bottom(self) -> None:
        self.move_cursor(self.row_count() - 1, -1)

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor + self.page_size(), 1)

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor - self.page_size(), -1)

    def on_focus(self) -> None:
        self.refresh_row(self.cursor)

    def on_blur(self) -> None:
        self.refresh_row(self.cursor)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self.after_scroll()

    # ------------------------------------------------------------ rows replaced

    def line_ids(self) -> list[LineId]:
        """What each row line on screen shows: taken before and after the rows change,
        `refresh_changed_lines` repaints only the lines that differ."""
        top, bottom = self.visible_range()
        thumb = self.frame().thumb or (0, 0)
        return [(self.row_key(index), self.row_look(index), thumb[0] <= index - top < thumb[1])
                for index in range(top, bottom)]

    def refresh_changed_lines(self, before: list[LineId], old_cursor: int) -> None:
        """Repaint the row lines that differ from `before` and the cursor's old and new
        lines: an unchanged line is neither drawn nor composited again."""
        after = self.line_ids()
        top = self.top_row
        for line in range(self.page_size()):
            index = top + line
            old = before[line] if line < len(before) else None
            new = after[line] if line < len(after) else None
            if old != new or index in (old_cursor, self.cursor):
                self.refresh_row(index)

    # ------------------------------------------------------------ mouse

    def on_click(self, event: events.Click) -> None:
        if not self.mouse_enabled:
            event.stop()
            return
        offset = event.get_content_offset(self)
        if offset is None or offset.y < self.HEADER_LINES:
            return
        line = offset.y - self.HEADER_LINES
        bar = self.scrollable_content_region.width - self.SCROLLBAR_CELLS
        if self.SCROLLBAR_CELLS and offset.x >= bar:  # the drawn scrollbar: jump there
            share = line / max(self.page_size() - 1, 1)
            self.move_cursor(round(share * (self.row_count() - 1)))
            return
        index = self.top_row + line
        if 0 <= index < self.row_count() and self.is_selectable(index):
            self.move_cursor(index)
            if event.chain >= 2:
                self.row_chosen(index)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self._block_mouse(event)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self._block_mouse(event)

    def _block_mouse(self, event: events.MouseEvent) -> None:
        if not self.mouse_enabled:
            event.prevent_default()
            event.stop()

    # ------------------------------------------------------------ rendering

    def cursor_row(self) -> tuple[int, RowState]:
        return self.cursor, "cursor" if self.has_focus else "blur"

    def row_styles(self) -> dict[RowState, Style]:
        """The full style of a row in each state: the list's, plus the cursor bar's."""
        if self._row_styles is None:
            base = self.get_visual_style().rich_style
            self._row_styles = {
                "normal": base,
                "cursor": base + self.get_visual_style("line-list--cursor").rich_style,
                "blur": base + self.get_visual_style("line-list--cursor-blur").rich_style,
            }
        return self._row_styles

    def notify_style_update(self) -> None:
        self._row_styles = None
        super().notify_style_update()
