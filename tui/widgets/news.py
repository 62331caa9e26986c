"""The news pane: headlines for the selected market, newest first, arriving live.

    News  DEMO  3 new ▲ · Will Bitcoin reach $160k by March 15?
    ● 4m  CoinDesk        Bitcoin swings as traders brace for a volatile week
      2h  ledgerdaily     Options market prices bigger moves for Bitcoin
    GDELT: rate limited, next try in 40 s · RSS: 24 headlines from 7 feeds

The list is a LineList (tui.widgets.line_list: one headline -> one cached Strip;
capped at MAX_ITEMS). New headlines merge in without moving
the cursor or the rows on screen; a "3 new" count says how many are out of sight.
Enter / o asks the App to open the article through the ssh-safe link chain, y copies
it. Headline text only ever enters Segments and Content as plain strings: never markup.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from rich.segment import Segment
from rich.style import Style
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from tui.messages import ArticleWanted
from tui.models import Headline
from tui.sanitize import safe_url
from tui.view.format import HEADLINE_UNITS, fmt_elapsed
from tui.widgets.line_list import LineList, RowState, cursor_bindings, fit_text

MAX_ITEMS = 200
UNREAD = "●"
EMPTY = "No headlines yet: they arrive with the next news refresh."


def newest_first(headlines: Sequence[Headline]) -> list[Headline]:
    oldest = datetime.min.replace(tzinfo=UTC)
    return sorted(headlines, key=lambda h: (h.when or oldest, h.title), reverse=True)


@dataclass(frozen=True, slots=True)
class _Palette:
    unread: Style
    muted: Style
    publisher: Style
    fresh: Style


class NewsList(LineList):
    """Headlines, one per line, with a cursor. Owned by NewsPane."""

    COMPONENT_CLASSES = {"news-list--unread", "news-list--muted", "news-list--publisher",
                         "news-list--fresh"}
    DEFAULT_CSS = """
    NewsList {
        overflow-y: auto;
        scrollbar-size-vertical: 1;
    }
    NewsList > .news-list--unread { color: $text-accent; }
    NewsList > .news-list--muted { color: $text-muted; }
    NewsList > .news-list--publisher { color: $text-primary; }
    NewsList > .news-list--fresh { color: $text-success; text-style: bold; }
    """
    BINDINGS = cursor_bindings("news.")

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
        self.now = datetime.now(UTC)
        self.empty_message = EMPTY
        self.fresh: set[str] = set()  # arrived live and not yet on screen
        self._index: dict[str, int] = {}
        self._palette: _Palette | None = None
        self._minute = 0

    # ------------------------------------------------------------ data in

    def set_rows(self, headlines: Sequence[Headline]) -> None:
        """Replace everything: cursor and scroll go to the top, nothing counts as new."""
        self.rows = self._capped(newest_first(_unique(headlines)))
        self._reindex()
        self.fresh.clear()
        self.place_cursor(0)
        self.clear_cache()
        self.update_virtual_size()
        self.scroll_to(y=0, animate=False, force=True)
        self.refresh()
        self.post_message(self.Changed())

    def merge(self, headlines: Sequence[Headline]) -> list[Headline]:
        """Add headlines not shown yet (known URLs are updated in place) and return the
        new ones. The cursor stays on its headline and the rows on screen stay put."""
        cursor_url = self.cursor_headline.url if self.cursor_headline else None
        top = self.top_row
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
        self.place_cursor(self._index.get(cursor_url, min(self.cursor, len(self.rows) - 1))
                          if cursor_url else 0)
        self.clear_cache()
        self.update_virtual_size()
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
        self.refresh_row(index)

    def tick(self, now: datetime) -> None:
        """The clock moved: ages change once a minute."""
        self.now = now
        minute = int(now.timestamp() // 60)
        if minute != self._minute:
            self._minute = minute
            self.clear_cache()
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
        top = self.top_row
        return sum(1 for url in self.fresh if self._index.get(url, top) < top)

    def _see_visible(self) -> None:
        """Fresh headlines on screen are no longer "new"."""
        if not self.fresh or self.scrollable_content_region.height <= 0:
            return
        top, bottom = self.visible_range()
        self.fresh.difference_update(h.url for h in self.rows[top:bottom])

    # ------------------------------------------------------------ LineList's questions

    def row_count(self) -> int:
        return len(self.rows)

    def row_key(self, index: int) -> str:
        return self.rows[index].url

    def row_look(self, index: int) -> Hashable:
        headline = self.rows[index]
        return headline.read, headline.url in self.fresh

    def index_of(self, key: Hashable) -> int | None:
        return self._index.get(key) if isinstance(key, str) else None

    def cursor_moved(self) -> None:
        self.post_message(self.Changed())

    def row_chosen(self, index: int) -> None:
        self.post_message(self.Chosen(self.rows[index]))

    def after_scroll(self) -> None:
        self._see_visible()
        self.post_message(self.Changed())

    def after_resize(self) -> None:
        self._see_visible()

    def styles_updated(self) -> None:
        self._palette = None

    # ------------------------------------------------------------ rendering

    def _styles(self) -> _Palette:
        if self._palette is None:
            def part(name: str) -> Style:
                # Colour and text attributes only: a partial style's empty background
                # comes out as black, a hole in the cursor bar and in a light theme.
                style = self.get_visual_style(name, partial=True).rich_style
                return Style(color=style.color, bold=style.bold, dim=style.dim,
                             italic=style.italic, underline=style.underline)

            self._palette = _Palette(
                unread=part("news-list--unread"), muted=part("news-list--muted"),
                publisher=part("news-list--publisher"), fresh=part("news-list--fresh"))
        return self._palette

    def empty_style(self) -> Style:
        return self.row_styles()["normal"] + self._styles().muted

    def render_row(self, index: int, width: int, state: RowState) -> Strip:
        headline = self.rows[index]
        palette = self._styles()
        base = self.row_styles()[state]
        marker_style = palette.fresh if headline.url in self.fresh else palette.unread
        publisher_width = min(18, max(6, width // 5))
        title_width = max(0, width - 7 - publisher_width - 1)
        link = safe_url(headline.url)
        title_style = base + Style(link=link) if link else base
        if not headline.read:
            title_style += Style(bold=True)
        age = fmt_elapsed(headline.when, self.now, HEADLINE_UNITS, below="now")
        segments = [
            Segment(" ", base),
            Segment(" " if headline.read else UNREAD, base + marker_style),
            Segment(" ", base),
            Segment(fit_text(age, 3, "right", ellipsis=True), base + palette.muted),
            Segment(" ", base),
            Segment(fit_text(headline.publisher, publisher_width, ellipsis=True),
                    base + palette.publisher),
            Segment(" ", base),
            Segment(fit_text(headline.title, title_width, ellipsis=True), title_style),
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
        self._open(headline)

    def action_copy_headline(self) -> None:
        headline = self.cursor_headline
        if headline is None:
            self.app.notify("No headline selected.", markup=False, severity="warning")
            return
        self.app.post_message(ArticleWanted(headline.url, copy=True))

    def _open(self, headline: Headline) -> None:
        """Ask the App to open it (the ssh-safe link chain) and show it read at once."""
        self.mark_read(headline.url)
        self.app.post_message(ArticleWanted(headline.url, copy=False))

    def on_news_list_chosen(self, message: NewsList.Chosen) -> None:
        message.stop()
        self._open(message.headline)

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
