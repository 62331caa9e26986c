"""The news pane: headlines for the selected market, newest first, arriving live.

    News  DEMO  3 new ▲ · Will Bitcoin reach $160k by March 15?
    ● 4m  CoinDesk        Bitcoin swings as traders brace for a volatile week
      2h  ledgerdaily     Options market prices bigger moves for Bitcoin
    GDELT: rate limited, next try in 40 s · RSS: 24 headlines from 7 feeds

The list is a Line-API ScrollView (one headline -> one Strip, cached per headline,
width, cursor and minute; capped at MAX_ITEMS). New headlines merge in without moving
the cursor or the rows on screen; a "3 new" count says how many are out of sight.
Enter / o opens the article through the ssh-safe link chain (tui.screens.link), y copies
it. Headline text only ever enters Segments and Content as plain strings: never markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from tui.models import Headline
from tui.sanitize import safe_url
from tui.services.news.providers import age_text

MAX_ITEMS = 200
UNREAD = "●"
ELLIPSIS = "…"
EMPTY = "No headlines yet: they arrive with the next news refresh."


def fit(text: str, width: int, *, right: bool = False) -> str:
    """`text` cut (with an ellipsis) or padded to exactly `width` cells."""
    if width <= 0:
        return ""
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + ELLIPSIS if width > 1 else set_cell_size(
            text, width)
    pad = " " * (width - length)
    return pad + text if right else text + pad


def newest_first(headlines: Sequence[Headline]) -> list[Headline]:
    oldest = datetime.min.replace(tzinfo=UTC)
    return sorted(headlines, key=lambda h: (h.when or oldest, h.title), reverse=True)


@dataclass(frozen=True, slots=True)
class _Palette:
    base: Style
    cursor: Style
    cursor_blur: Style
    unread: Style
    muted: Style
    publisher: Style
    fresh: Style


class NewsList(ScrollView, can_focus=True):
    """Headlines, one per line, with a cursor. Owned by NewsPane."""

    ALLOW_MAXIMIZE = False
    COMPONENT_CLASSES = {"news-list--cursor", "news-list--cursor-blur", "news-list--unread",
                         "news-list--muted", "news-list--publisher", "news-list--fresh"}
    DEFAULT_CSS = """
    NewsList {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        background: $surface;
        color: $foreground;
    }
    NewsList > .news-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    NewsList > .news-list--cursor-blur {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
        text-style: $block-cursor-blurred-text-style;
    }
    NewsList > .news-list--unread { color: $text-accent; }
    NewsList > .news-list--muted { color: $text-muted; }
    NewsList > .news-list--publisher { color: $text-primary; }
    NewsList > .news-list--fresh { color: $text-success; text-style: bold; }
    """
    BINDINGS = [
        Binding("down,j", "cursor_down", "Down", show=False, id="news.cursor-down"),
        Binding("up,k", "cursor_up", "Up", show=False, id="news.cursor-up"),
        Binding("g,home", "cursor_top", "Top", show=False, id="news.cursor-top"),
        Binding("G,end", "cursor_bottom", "Bottom", show=False, id="news.cursor-bottom"),
        Binding("pagedown", "page_down", "Page down", show=False, id="news.page-down"),
        Binding("pageup", "page_up", "Page up", show=False, id="news.page-up"),
    ]

    @dataclass
    class Changed(Message):
        """Rows, cursor or scroll changed (the pane updates its "new" count); coalesced."""

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, NewsList.Changed)

    @dataclass
    class Chosen(Message):
        """A headline was double-clicked."""

        headline: Headline

    def __init__(self, *, max_items: int = MAX_ITEMS, name: str | None = None,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.max_items = max_items
        self.rows: list[Headline] = []
        self.cursor = 0
        self.now = datetime.now(UTC)
        self.empty_message = EMPTY
        self.fresh: set[str] = set()  # arrived live and not yet on screen
        self._index: dict[str, int] = {}
        self._cache: LRUCache[tuple[object, ...], Strip] = LRUCache(512)
        self._palette: _Palette | None = None
        self._minute = 0

    # ------------------------------------------------------------ data in

    def set_rows(self, headlines: Sequence[Headline]) -> None:
        """Replace everything: cursor and scroll go to the top, nothing counts as new."""
        self.rows = self._capped(newest_first(_unique(headlines)))
        self._reindex()
        self.fresh.clear()
        self.cursor = 0
        self._cache.clear()
        self._update_virtual_size()
        self.scroll_to(y=0, animate=False, force=True)
        self.refresh()
        self.post_message(self.Changed())

    def merge(self, headlines: Sequence[Headline]) -> list[Headline]:
        """Add headlines not shown yet (known URLs are updated in place) and return the
        new ones. The cursor stays on its headline and the rows on screen stay put."""
        cursor_url = self.cursor_headline.url if self.cursor_headline else None
        top = int(self.scroll_offset.y)
        top_url = self.rows[top].url if top < len(self.rows) else None
        known = {h.url: h for h in self.rows}
        new = [h for h in _unique(headlines) if h.url not in known]
        for headline in headlines:
            if headline.url in known:
                known[headline.url] = _keep_state(known[headline.url], headline)
        if not new and not headlines:
            return []
        self.rows = self._capped(newest_first([*known.values(), *new]))
        self._reindex()
        self.fresh.update(h.url for h in new if h.url in self._index)
        self.fresh.intersection_update(self._index)
        self.cursor = self._index.get(cursor_url, min(self.cursor, max(len(self.rows) - 1, 0))) \
            if cursor_url else 0
        self._cache.clear()
        self._update_virtual_size()
        self.scroll_to(y=self._index.get(top_url, 0) if top_url else 0, animate=False, force=True)
        self._see_visible()
        self.refresh()
        self.post_message(self.Changed())
        return [h for h in new if h.url in self._index]

    def mark_read(self, url: str) -> None:
        index = self._index.get(url)
        if index is None or self.rows[index].read:
            return
        self.rows[index] = replace(self.rows[index], read=True)
        self.refresh_line(index)  # a virtual line number: ScrollView subtracts the scroll

    def tick(self, now: datetime) -> None:
        """The clock moved: ages change once a minute."""
        self.now = now
        minute = int(now.timestamp() // 60)
        if minute != self._minute:
            self._minute = minute
            self.refresh()

    def _capped(self, rows: list[Headline]) -> list[Headline]:
        return rows[: self.max_items]

    def _reindex(self) -> None:
        self._index = {h.url: i for i, h in enumerate(self.rows)}

    # ------------------------------------------------------------ reading

    @property
    def cursor_headline(self) -> Headline | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    @property
    def fresh_above(self) -> int:
        top = int(self.scroll_offset.y)
        return sum(1 for url in self.fresh if self._index.get(url, top) < top)

    def _page_size(self) -> int:
        return max(1, self.scrollable_content_region.height)

    def _visible_range(self) -> tuple[int, int]:
        top = int(self.scroll_offset.y)
        return top, min(len(self.rows), top + self._page_size())

    def _see_visible(self) -> None:
        """Fresh headlines on screen are no longer "new"."""
        if not self.fresh or self.scrollable_content_region.height <= 0:
            return
        top, bottom = self._visible_range()
        self.fresh.difference_update(h.url for h in self.rows[top:bottom])

    # ------------------------------------------------------------ cursor

    def move_cursor(self, index: int) -> None:
        if not self.rows:
            return
        index = max(0, min(index, len(self.rows) - 1))
        if index == self.cursor:
            return
        previous, self.cursor = self.cursor, index
        top = int(self.scroll_offset.y)
        page = self._page_size()
        if index < top:
            self.scroll_to(y=index, animate=False, force=True)
        elif index >= top + page:
            self.scroll_to(y=index - page + 1, animate=False, force=True)
        else:
            self.refresh_line(previous)
            self.refresh_line(index)
        self.post_message(self.Changed())

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor - 1)

    def action_cursor_top(self) -> None:
        self.move_cursor(0)

    def action_cursor_bottom(self) -> None:
        self.move_cursor(len(self.rows) - 1)

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor + self._page_size())

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor - self._page_size())

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = int(self.scroll_offset.y) + offset.y
        if 0 <= index < len(self.rows):
            self.move_cursor(index)
            if event.chain >= 2:
                self.post_message(self.Chosen(self.rows[index]))

    # ------------------------------------------------------------ geometry

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self._see_visible()
            self.post_message(self.Changed())

    def on_resize(self, event: events.Resize) -> None:
        self._cache.clear()
        self._update_virtual_size()
        self._see_visible()

    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.rows))

    def notify_style_update(self) -> None:
        self._palette = None
        self._cache.clear()
        super().notify_style_update()

    def on_focus(self) -> None:
        self.refresh_line(self.cursor)

    def on_blur(self) -> None:
        self.refresh_line(self.cursor)

    # ------------------------------------------------------------ rendering

    def _styles(self) -> _Palette:
        if self._palette is None:
            def part(name: str) -> Style:
                return self.get_visual_style(name, partial=True).rich_style

            base = self.get_visual_style().rich_style
            self._palette = _Palette(
                base=base,
                cursor=base + self.get_visual_style("news-list--cursor").rich_style,
                cursor_blur=base + self.get_visual_style("news-list--cursor-blur").rich_style,
                unread=part("news-list--unread"), muted=part("news-list--muted"),
                publisher=part("news-list--publisher"), fresh=part("news-list--fresh"))
        return self._palette

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        palette = self._styles()
        index = int(self.scroll_offset.y) + y
        if index >= len(self.rows):
            if not self.rows and y == 1:
                return Strip([Segment(fit("  " + self.empty_message, width),
                                      palette.base + palette.muted)], width)
            return Strip.blank(width, palette.base)
        headline = self.rows[index]
        selected = index == self.cursor
        key = (headline.url, headline.read, headline.url in self.fresh, width, selected,
               selected and self.has_focus, self._minute)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_row(headline, width, palette, selected)
            self._cache[key] = strip
        return strip

    def _render_row(self, headline: Headline, width: int, palette: _Palette,
                    selected: bool) -> Strip:
        if selected:
            base = palette.cursor if self.has_focus else palette.cursor_blur
        else:
            base = palette.base
        marker_style = palette.fresh if headline.url in self.fresh else palette.unread
        publisher_width = min(18, max(6, width // 5))
        title_width = max(0, width - 7 - publisher_width - 1)
        link = safe_url(headline.url)
        title_style = base + Style(link=link) if link else base
        if not headline.read:
            title_style += Style(bold=True)
        segments = [
            Segment(" ", base),
            Segment(" " if headline.read else UNREAD, base + marker_style),
            Segment(" ", base),
            Segment(fit(age_text(headline.when, self.now), 3, right=True), base + palette.muted),
            Segment(" ", base),
            Segment(fit(headline.publisher, publisher_width), base + palette.publisher),
            Segment(" ", base),
            Segment(fit(headline.title, title_width), title_style),
        ]
        return Strip(segments).adjust_cell_length(width, base)


class NewsPane(Widget):
    """Header, headline list, provider status. The app feeds it; it opens and copies."""

    DEFAULT_CSS = """
    NewsPane {
        layout: vertical;
        height: 1fr;
        border-top: hkey $panel;
    }
    NewsPane > #news-header {
        height: 1;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    NewsPane > NewsList {
        height: 1fr;
    }
    NewsPane > #news-status {
        height: auto;
        max-height: 2;
        padding: 0 1;
        color: $text-muted;
    }
    """
    BINDINGS = [
        # Short words: the footer at 80 columns has room for "⏎ Read y Copy link" and
        # the dashboard's keys ("? Help" last).
        Binding("enter,o", "open_headline", "Read", tooltip="Open the article",
                id="news.open"),
        Binding("y", "copy_headline", "Copy link", tooltip="Copy the article's link",
                id="news.copy"),
    ]

    @dataclass
    class Opened(Message):
        """The article was opened (or copied and shown, over ssh); `sentence` says which."""

        headline: Headline
        sentence: str

    @dataclass
    class Copied(Message):
        headline: Headline
        sentence: str

    def __init__(self, *, max_items: int = MAX_ITEMS, name: str | None = None,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._max_items = max_items
        self.demo = False
        self.subject = ""
        self.status_text = ""

    def compose(self) -> ComposeResult:
        yield Static(Content(""), id="news-header", markup=False)
        yield NewsList(max_items=self._max_items, id="news-list")
        yield Static(Content(""), id="news-status", markup=False)

    def on_mount(self) -> None:
        self._update_header()

    @property
    def list(self) -> NewsList:
        return self.query_one(NewsList)

    # ------------------------------------------------------------ public API

    def set_headlines(self, headlines: Sequence[Headline], *, now: datetime,
                      demo: bool = False, subject: str = "", empty: str = EMPTY) -> None:
        """Show `headlines` (stored ones at start, or a new market's): replaces the list."""
        self.demo = demo
        self.subject = subject
        news = self.list
        news.now = now
        news.empty_message = empty
        news.set_rows(headlines)
        self._update_header()

    def add_headlines(self, new: Sequence[Headline], now: datetime) -> int:
        """Merge live headlines; returns how many were new. The cursor does not move."""
        news = self.list
        news.now = now
        added = news.merge(new)
        self._update_header()
        return len(added)

    def set_status(self, text: str) -> None:
        """The provider status line ("GDELT: rate limited, next try in 40 s · ...")."""
        self.status_text = text
        self.query_one("#news-status", Static).update(Content(text))

    def mark_read(self, url: str) -> None:
        self.list.mark_read(url)

    def tick(self, now: datetime) -> None:
        self.list.tick(now)

    @property
    def headlines(self) -> list[Headline]:
        return list(self.list.rows)

    @property
    def cursor_headline(self) -> Headline | None:
        return self.list.cursor_headline

    @property
    def new_count(self) -> int:
        return len(self.list.fresh)

    # ------------------------------------------------------------ actions

    def action_open_headline(self) -> None:
        headline = self.cursor_headline
        if headline is None:
            self.app.notify("No headline selected.", markup=False, severity="warning")
            return
        self.run_worker(self._open(headline), group="news-open", exit_on_error=False)

    def action_copy_headline(self) -> None:
        from tui.screens.link import copy_link

        headline = self.cursor_headline
        if headline is None:
            self.app.notify("No headline selected.", markup=False, severity="warning")
            return
        sentence = copy_link(self.app, headline.url, "article")
        self.post_message(self.Copied(headline, sentence))

    async def _open(self, headline: Headline) -> None:
        from tui.screens.link import open_link

        sentence = await open_link(self.app, headline.url, what="article")
        self.mark_read(headline.url)
        self.post_message(self.Opened(headline, sentence))

    def on_news_list_chosen(self, message: NewsList.Chosen) -> None:
        message.stop()
        self.run_worker(self._open(message.headline), group="news-open", exit_on_error=False)

    def on_news_list_changed(self, message: NewsList.Changed) -> None:
        message.stop()
        self._update_header()

    # ------------------------------------------------------------ header

    def header_content(self) -> Content:
        """"News  DEMO  3 new ▲ · <subject>": the subject (untrusted text, a plain part)
        comes last so that a narrow pane cuts it, not the count."""
        parts: list[str | tuple[str, str]] = [("News", "bold")]
        if self.demo:
            parts.append(("  DEMO", "bold $text-warning"))
        count = self.new_count
        if count:
            arrow = " ▲" if self.list.fresh_above else ""
            parts.append((f"  {count} new{arrow}", "bold $text-success"))
        if self.subject:
            parts.append((f" · {self.subject}", "$text-muted"))
        return Content.assemble(*parts)

    def _update_header(self) -> None:
        if self.is_mounted:
            self.query_one("#news-header", Static).update(self.header_content())


def _unique(headlines: Sequence[Headline]) -> list[Headline]:
    """The first headline of each URL, in order."""
    seen: set[str] = set()
    unique = []
    for headline in headlines:
        if headline.url not in seen:
            seen.add(headline.url)
            unique.append(headline)
    return unique


def _keep_state(shown: Headline, update: Headline) -> Headline:
    """A known headline refreshed: it stays read once read, keeps when it was first seen."""
    return replace(update, read=shown.read or update.read,
                   first_seen=shown.first_seen or update.first_seen)
