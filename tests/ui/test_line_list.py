"""The Line-API list base (tui/widgets/line_list.py): the Textual internals it relies on,
and a tiny subclass driven by Pilot (cursor, paging, clicks, wheel, strip cache)."""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import Any

import pytest
import textual
from rich.segment import Segment
from textual import events
from textual.app import App, ComposeResult
from textual.dom import DOMNode
from textual.geometry import Region, Size
from textual.reactive import Reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input

from tests.support import widget_strips
from tui.widgets.line_list import (
    TEXTUAL_INTERNALS,
    FixedWidthInput,
    LineList,
    RowState,
    TextualInternal,
    cursor_bindings,
    fit_text,
    set_virtual_size_without_layout,
)

SIZE = (30, 12)

# ---------------------------------------------------------------- Textual's shape


def _where(owner: type, name: str) -> str:
    return f"Textual {textual.__version__}: {owner.__name__}.{name}"


@pytest.mark.parametrize("internal", TEXTUAL_INTERNALS,
                         ids=lambda internal: f"{internal.owner.__name__}.{internal.name}")
def test_each_textual_internal_still_exists_with_its_parameters(
        internal: TextualInternal) -> None:
    where = _where(internal.owner, internal.name)
    member = getattr(internal.owner, internal.name, None)
    assert callable(member), (f"{where} is gone; tui/widgets/line_list.py relies on it "
                              f"({internal.used_by})")
    parameters = tuple(inspect.signature(member).parameters)[1:]
    assert parameters == internal.parameters, (
        f"{where} now takes {parameters}, not {internal.parameters}; "
        f"tui/widgets/line_list.py relies on it ({internal.used_by})")


# Public methods the base overrides or calls for their side effects: a change of their
# parameters would break it as surely as a private one.
RELIED_ON = [
    (Widget, "render_lines", ("crop",)),
    (ScrollView, "watch_scroll_y", ("old_value", "new_value")),
    (ScrollView, "refresh_line", ("y",)),
    (ScrollView, "refresh_lines", ("y_start", "line_count")),
    (DOMNode, "notify_style_update", ()),
    (DOMNode, "set_reactive", ("reactive", "value")),
    (Widget, "get_line_filters", ()),
]


@pytest.mark.parametrize(("owner", "name", "parameters"), RELIED_ON,
                         ids=[f"{owner.__name__}.{name}" for owner, name, _ in RELIED_ON])
def test_each_textual_method_the_base_overrides_keeps_its_parameters(
        owner: type, name: str, parameters: tuple[str, ...]) -> None:
    member = getattr(owner, name, None)
    assert callable(member), f"{_where(owner, name)} is gone; tui/widgets/line_list.py uses it"
    found = tuple(inspect.signature(member).parameters)[1:]
    assert found == parameters, (f"{_where(owner, name)} now takes {found}, not "
                                 f"{parameters}; tui/widgets/line_list.py overrides or calls it")


def test_virtual_size_is_still_a_layout_reactive() -> None:
    """The reason for set_virtual_size_without_layout; if it is no longer a layout
    reactive, the helper can become a plain assignment."""
    descriptor = Widget.__dict__.get("virtual_size")
    assert isinstance(descriptor, Reactive), (
        f"{_where(Widget, 'virtual_size')} is no longer a Reactive: "
        "set_virtual_size_without_layout passes it to set_reactive")
    assert descriptor._layout, (f"{_where(Widget, 'virtual_size')} no longer re-lays out "
                                "the screen: set_virtual_size_without_layout can go")


def test_input_still_assigns_its_virtual_size_from_content_width() -> None:
    source = inspect.getsource(Input._watch_value)
    assert "self.virtual_size = Size(self.content_width, 1)" in source, (
        f"{_where(Input, '_watch_value')} no longer sets virtual_size from content_width: "
        "FixedWidthInput stores that same size first, so check what it must store now")


# ---------------------------------------------------------------- a tiny subclass


class Letters(LineList):
    """Rows are strings; `values` adds text a `touch` must bring to the screen."""

    BINDINGS = cursor_bindings("letters.")

    def __init__(self, rows: Iterable[str]) -> None:
        super().__init__(id="letters")
        self.rows = list(rows)
        self.values: dict[str, str] = {}
        self.looks: dict[str, str] = {}
        self.rendered: list[int] = []
        self.chosen: list[int] = []
        self.moves = 0
        self.scrolls = 0

    def row_count(self) -> int:
        return len(self.rows)

    def row_key(self, index: int) -> str:
        return self.rows[index]

    def row_look(self, index: int) -> str | None:
        return self.looks.get(self.rows[index])

    def render_row(self, index: int, width: int, state: RowState) -> Strip:
        self.rendered.append(index)
        key = self.rows[index]
        mark = {"normal": " ", "cursor": ">", "blur": "-"}[state]
        text = f"{mark}{key} {self.values.get(key, '')}{self.looks.get(key, '')}"
        return Strip([Segment(fit_text(text, width), self.row_styles()[state])], width)

    def row_chosen(self, index: int) -> None:
        self.chosen.append(index)

    def cursor_moved(self) -> None:
        self.moves += 1

    def after_scroll(self) -> None:
        self.scrolls += 1


class Grouped(Letters):
    """A header line, its own scrollbar, and headings ("#...") the cursor skips."""

    HEADER_LINES = 1
    SCROLLBAR_CELLS = 1
    DEFAULT_CSS = "Grouped { overflow-y: scroll; scrollbar-size-vertical: 0; }"

    def is_selectable(self, index: int) -> bool:
        return not self.rows[index].startswith("#")

    def render_header(self, y: int, width: int) -> Strip:
        return Strip([Segment(fit_text("HEADER", width), self.row_styles()["normal"])], width)


class ListApp(App[None]):
    def __init__(self, widget: Widget) -> None:
        super().__init__()
        self.widget = widget

    def compose(self) -> ComposeResult:
        yield self.widget

    def on_mount(self) -> None:
        self.widget.focus()


def numbered(count: int) -> list[str]:
    return [f"r{index}" for index in range(count)]


def shown(widget: LineList) -> list[str]:
    """The widget's lines as the compositor gets them."""
    return [strip.text.rstrip() for strip in widget_strips(widget)]


def repaint_spy(widget: Widget) -> list[Region]:
    """Records the regions `widget` asks to repaint from now on."""
    regions: list[Region] = []
    refresh = widget.refresh

    def spy(*asked: Region, **kwargs: Any) -> Widget:
        regions.extend(asked)
        return refresh(*asked, **kwargs)

    widget.refresh = spy  # type: ignore[method-assign]
    return regions


async def mounted(widget: Letters, pilot: Any) -> Letters:
    widget.update_virtual_size()
    widget.refresh()
    await pilot.pause()
    return widget


# ---------------------------------------------------------------- keys and the cursor


async def test_keys_move_the_cursor_and_the_view_follows() -> None:
    letters = Letters(numbered(100))
    async with ListApp(letters).run_test(size=SIZE) as pilot:
        await mounted(letters, pilot)
        assert letters.page_size() == 12
        await pilot.press("j", "j", "down")
        assert letters.cursor == 3
        await pilot.press("k")
        assert letters.cursor == 2
        await pilot.press("G")
        assert (letters.cursor, letters.top_row) == (99, 88)
        assert shown(letters)[-1].startswith(">r99")
        await pilot.press("g")
        assert (letters.cursor, letters.top_row) == (0, 0)
        await pilot.press("pagedown")
        assert (letters.cursor, letters.top_row) == (12, 1)
        await pilot.press("pagedown", "pageup")
        assert letters.cursor == 12
        await pilot.press("pageup")
        assert (letters.cursor, letters.top_row) == (0, 0)
        await pilot.press("up")  # already at the top: nothing moves, nothing announced
        assert letters.moves == 10


async def test_the_cursor_is_a_clamped_reactive_that_scrolls_to_itself() -> None:
    letters = Letters(numbered(100))
    seen: list[int] = []
    async with ListApp(letters).run_test(size=SIZE) as pilot:
        await mounted(letters, pilot)

        def saw(index: int) -> None:
            seen.append(index)

        letters.watch(letters, "cursor", saw, init=False)
        letters.cursor = 50
        assert letters.top_row == 50 - 12 + 1
        letters.cursor = 999
        assert letters.cursor == 99
        letters.cursor = -4
        assert (letters.cursor, letters.top_row) == (0, 0)
        assert seen == [50, 99, 0]
        letters.place_cursor(70)  # quiet: no scroll, no watcher
        assert (letters.cursor, letters.top_row, seen) == (70, 0, [50, 99, 0])


async def test_the_cursor_skips_rows_it_cannot_rest_on() -> None:
    grouped = Grouped(["#a", "a1", "a2", "#b", "b1", *numbered(30)])
    async with ListApp(grouped).run_test(size=SIZE) as pilot:
        await mounted(grouped, pilot)
        grouped.move_cursor(0)
        assert grouped.cursor == 1  # the first market, not the heading
        await pilot.press("j", "j")
        assert grouped.cursor == 4  # over "#b"
        await pilot.press("k")
        assert grouped.cursor == 2
        await pilot.press("G", "g")
        assert (grouped.cursor, grouped.top_row) == (1, 0)  # the heading above stays shown
        assert grouped.move_to_key("b1") and grouped.cursor == 4
        assert not grouped.move_to_key("nowhere")


# ---------------------------------------------------------------- mouse


async def test_clicks_move_the_cursor_and_a_double_click_chooses() -> None:
    letters = Letters(numbered(100))
    async with ListApp(letters).run_test(size=SIZE) as pilot:
        await mounted(letters, pilot)
        letters.scroll_to(y=10, animate=False)
        await pilot.pause()
        await pilot.click(Letters, offset=(3, 4))
        assert letters.cursor == 14
        await pilot.click(Letters, offset=(3, 5), times=2)
        assert (letters.cursor, letters.chosen) == (15, [15])
        letters.mouse_enabled = False
        await pilot.click(Letters, offset=(3, 7))
        assert letters.cursor == 15


async def test_header_and_drawn_scrollbar_clicks() -> None:
    grouped = Grouped(numbered(100))
    async with ListApp(grouped).run_test(size=SIZE) as pilot:
        await mounted(grouped, pilot)
        await pilot.click(Grouped, offset=(3, 0))  # the header: no row there
        assert grouped.cursor == 0
        await pilot.click(Grouped, offset=(3, 3))
        assert grouped.cursor == 2  # under one header line
        await pilot.click(Grouped, offset=(SIZE[0] - 1, SIZE[1] - 1))  # the bar's bottom
        assert grouped.cursor == 99
        assert shown(grouped)[0] == "HEADER"


async def test_the_wheel_scrolls_unless_the_mouse_is_off() -> None:
    letters = Letters(numbered(100))

    def wheel() -> events.MouseScrollDown:
        return events.MouseScrollDown(letters, 2, 2, 0, 1, 0, False, False, False)

    async with ListApp(letters).run_test(size=SIZE) as pilot:
        await mounted(letters, pilot)
        letters.post_message(wheel())
        await pilot.pause()
        assert letters.top_row > 0 and letters.scrolls == 1
        assert shown(letters)[0].strip() == f"r{letters.top_row}"
        top = letters.top_row
        letters.mouse_enabled = False
        letters.post_message(wheel())
        await pilot.pause()
        assert (letters.top_row, letters.scrolls) == (top, 1)


# ---------------------------------------------------------------- the strip cache


async def test_rows_are_drawn_once_until_they_change() -> None:
    letters = Letters(numbered(100))
    async with ListApp(letters).run_test(size=SIZE) as pilot:
        await mounted(letters, pilot)
        assert sorted(set(letters.rendered)) == list(range(12))
        letters.rendered.clear()
        letters.refresh()
        await pilot.pause()
        assert letters.rendered == []  # a full repaint of unchanged rows: cache hits

        letters.values["r3"] = "99¢"
        await pilot.pause()
        assert "99¢" not in shown(letters)[3]  # data changed but nobody said so
        assert letters.touch(["r3", "r50"]) == 1  # r50 is off screen
        await pilot.pause()
        assert letters.rendered == [3]
        assert shown(letters)[3] == " r3 99¢"

        letters.rendered.clear()
        letters.looks["r5"] = " read"  # part of the cache key: no touch needed
        letters.refresh_row(5)
        await pilot.pause()
        assert letters.rendered == [5] and shown(letters)[5] == " r5  read"

        repainted = repaint_spy(letters)
        await pilot.press("j")  # the old and the new cursor rows only
        assert [region.y for region in repainted] == [0, 1]

        letters.blur()  # a focus change restyles the widget: the cache starts again
        await pilot.pause()
        assert shown(letters)[1].startswith("-r1")

        letters.rendered.clear()
        letters.clear_cache()
        letters.refresh()
        await pilot.pause()
        assert sorted(letters.rendered) == list(range(12))


async def test_replacing_rows_repaints_only_the_lines_that_differ() -> None:
    letters = Letters(numbered(100))
    async with ListApp(letters).run_test(size=SIZE) as pilot:
        await mounted(letters, pilot)
        repainted = repaint_spy(letters)
        before = letters.line_ids()
        letters.rows = [*numbered(5), "new", *numbered(100)[6:]]
        letters.refresh_changed_lines(before, letters.cursor)
        assert [region.y for region in repainted] == [0, 5]  # the cursor's line, "new"


async def test_an_empty_list_says_why_on_its_second_line() -> None:
    letters = Letters([])
    letters.empty_message = "Nothing here yet"
    async with ListApp(letters).run_test(size=SIZE) as pilot:
        await mounted(letters, pilot)
        await pilot.press("j", "G", "pagedown")
        assert letters.cursor == 0 and letters.moves == 0
        assert shown(letters)[:3] == ["", "  Nothing here yet", ""]


# ---------------------------------------------------------------- the fast paint path


def segments(strips: list[Strip]) -> list[list[Segment]]:
    return [list(strip) for strip in strips]


async def test_the_fast_path_paints_what_textuals_general_path_paints() -> None:
    """render_lines skips Textual's StylesCache; with nothing for it to add, both must
    give the same lines (own scrollbar, header, cursor, partial crops included)."""
    grouped = Grouped(["#a", *numbered(60)])
    async with ListApp(grouped).run_test(size=SIZE) as pilot:
        await mounted(grouped, pilot)
        await pilot.press("j", "j", "pagedown")
        for crop in (Region(0, 0, *SIZE), Region(3, 2, 10, 4)):
            grouped._styles_cache.clear()
            general = Widget.render_lines(grouped, crop)
            assert segments(grouped.render_lines(crop)) == segments(general), crop


async def test_the_fast_path_fills_the_column_under_textuals_scrollbar() -> None:
    letters = Letters(numbered(60))
    letters.styles.scrollbar_size_vertical = 1
    letters.styles.overflow_y = "auto"
    async with ListApp(letters).run_test(size=SIZE) as pilot:
        await mounted(letters, pilot)
        assert letters.show_vertical_scrollbar
        crop = Region(0, 0, *SIZE)
        letters._styles_cache.clear()
        general = Widget.render_lines(letters, crop)
        assert segments(letters.render_lines(crop)) == segments(general)


async def test_the_general_path_takes_over_when_a_border_is_set() -> None:
    letters = Letters(numbered(60))
    letters.styles.border = ("round", "red")
    async with ListApp(letters).run_test(size=SIZE) as pilot:
        await mounted(letters, pilot)
        assert shown(letters)[0].startswith("╭")


# ---------------------------------------------------------------- the quiet virtual size


async def test_a_virtual_size_set_without_layout_still_moves_the_scroll_range() -> None:
    letters = Letters(numbered(100))
    async with ListApp(letters).run_test(size=SIZE) as pilot:
        await mounted(letters, pilot)
        letters.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert letters.scroll_y == 88
        layouts: list[bool] = []
        refresh = letters.refresh

        def spy(*regions: Region, layout: bool = False, **kwargs: Any) -> Widget:
            layouts.append(layout)
            return refresh(*regions, layout=layout, **kwargs)

        letters.refresh = spy  # type: ignore[method-assign]
        letters.rows = numbered(20)
        assert set_virtual_size_without_layout(letters, Size(30, 20))
        assert letters.virtual_size == Size(30, 20)
        assert letters.scroll_y == 8  # clamped to the new range at once
        assert not set_virtual_size_without_layout(letters, Size(30, 20))
        assert True not in layouts


class InputApp(App[None]):
    CSS = "Input { width: 20; height: 1; }"

    def __init__(self, field: Input) -> None:
        super().__init__()
        self.field = field

    def compose(self) -> ComposeResult:
        yield self.field


async def layouts_while_typing(field: Input) -> int:
    layouts = 0
    async with InputApp(field).run_test(size=SIZE) as pilot:
        refresh = field.refresh

        def spy(*regions: Region, layout: bool = False, **kwargs: Any) -> Widget:
            nonlocal layouts
            layouts += layout
            return refresh(*regions, layout=layout, **kwargs)

        field.refresh = spy  # type: ignore[method-assign]
        field.focus()
        await pilot.press(*"bitcoin")
        assert field.value == "bitcoin"
        assert field.virtual_size == Size(field.content_width, 1)
    return layouts


async def test_typing_into_a_fixed_width_input_lays_nothing_out() -> None:
    assert await layouts_while_typing(Input()) > 0, (
        "Textual's Input no longer re-lays out the screen while typing: "
        "FixedWidthInput (tui/widgets/line_list.py) may be dropped")
    assert await layouts_while_typing(FixedWidthInput()) == 0

