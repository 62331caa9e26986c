"""NewsPane in a tiny App, driven with Pilot: live arrivals, open, copy, offline start."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest
from textual.app import App, ComposeResult

from tests.support import NOW, fake_opener, place, screen_text, settle
from tui.config import Config
from tui.messages import ArticleWanted
from tui.models import Headline
from tui.screens.link import REMOTE_SENTENCE, LinkScreen, copy_link, open_link
from tui.services.market_data import MarketData
from tui.services.news.parse import parse_feed
from tui.store import Store
from tui.widgets.news import UNREAD, NewsList, NewsPane


def headline(n: int, minutes_ago: float, *, read: bool = False,
             title: str | None = None) -> Headline:
    return Headline(title or f"Story {n} about Bitcoin", f"https://news{n}.example.com/s/{n}",
                    f"pub{n}.example.com", NOW - timedelta(minutes=minutes_ago), "gdelt",
                    read=read)


STORIES = [headline(n, 10 * n, read=n == 2) for n in range(1, 13)]


class NewsApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[ArticleWanted, str]] = []

    def compose(self) -> ComposeResult:
        yield NewsPane(id="news")

    def on_article_wanted(self, request: ArticleWanted) -> None:
        """What PolydashApp does with the request: the real ssh-safe link chain."""
        self.run_worker(self._follow(request))

    async def _follow(self, request: ArticleWanted) -> None:
        if request.copy:
            sentence = copy_link(self, request.url, "article")
        else:
            sentence = await open_link(self, request.url, what="article")
        self.seen.append((request, sentence))

    @property
    def pane(self) -> NewsPane:
        return self.query_one(NewsPane)


async def started(pilot: Any, headlines: Sequence[Headline] = STORIES, **kw: Any) -> NewsPane:
    pane = pilot.app.pane
    pane.set_headlines(headlines, now=NOW, **kw)
    await pilot.pause()
    return pane


def rows(app: App[Any]) -> list[str]:
    """The headline lines on screen, without the scrollbar column."""
    return [line.rstrip().rstrip("▁▂▃▄▅▆▇█▀▔").rstrip()
            for line in screen_text(app).splitlines() if "example.com" in line]


async def test_newest_first_with_age_publisher_and_unread_marker() -> None:
    app = NewsApp()
    async with app.run_test(size=(90, 16)) as pilot:
        await started(pilot, list(reversed(STORIES)), subject="Will BTC break $15k?")
        shown = rows(app)
        assert shown[0].split() == [UNREAD, "10m", "pub1.example.com", "Story", "1", "about",
                                    "Bitcoin"]
        assert shown[1].split()[:2] == ["20m", "pub2.example.com"]  # read: no marker
        assert shown[5].split()[1] == "1h"
        header = screen_text(app).splitlines()[1]
        assert header.strip() == "News · Will BTC break $15k?"


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_the_cursor_bar_is_one_colour_under_the_dot_age_and_publisher(theme: str) -> None:
    app = NewsApp()
    app.theme = theme
    async with app.run_test(size=(90, 16)) as pilot:
        news = (await started(pilot)).list
        for state in ("normal", "cursor", "blur"):
            bar = news.row_styles()[state].bgcolor
            strip = news.render_row(0, 80, state)
            assert {segment.style.bgcolor for segment in strip if segment.style} == {bar}, state


async def test_a_new_item_arrives_the_count_shows_and_the_cursor_stays() -> None:
    app = NewsApp()
    async with app.run_test(size=(90, 10)) as pilot:
        pane = await started(pilot)
        await pilot.press("down", "down")
        assert pane.cursor_headline == STORIES[2]
        before = rows(app)

        added = pane.add_headlines([headline(100, 1), STORIES[0]], NOW)
        await pilot.pause()
        assert added == 1
        assert pane.cursor_headline == STORIES[2]  # same story under the cursor
        assert rows(app) == before  # the rows on screen did not move
        assert "1 new ▲" in screen_text(app)
        assert pane.new_count == 1

        assert pane.add_headlines([headline(100, 1)], NOW) == 0  # already there
        await pilot.press("home")
        await pilot.pause()
        assert pane.cursor_headline is not None and pane.cursor_headline.url.startswith(
            "https://news100.")
        assert "new" not in screen_text(app).splitlines()[1]
        assert pane.new_count == 0


async def test_new_items_with_the_list_at_the_top_still_count(monkeypatch: Any) -> None:
    app = NewsApp()
    async with app.run_test(size=(90, 10)) as pilot:
        pane = await started(pilot)
        pane.add_headlines([headline(200, 0.5), headline(201, 0.2)], NOW)
        await pilot.pause()
        assert pane.cursor_headline == STORIES[0]
        assert "2 new ▲" in screen_text(app)
        await pilot.press("up")  # move onto the new ones: they are seen
        await pilot.pause()
        assert pane.new_count == 1
        await pilot.press("up")
        await pilot.pause()
        assert pane.new_count == 0


async def test_open_over_ssh_copies_and_shows_the_link(monkeypatch: pytest.MonkeyPatch) -> None:
    place(monkeypatch, "remote")
    opened = fake_opener(monkeypatch)
    app = NewsApp()
    async with app.run_test(size=(90, 16)) as pilot:
        pane = await started(pilot)
        await pilot.press("o")
        await settle(app, pilot)
        [(request, sentence)] = app.seen
        assert not request.copy
        assert sentence == REMOTE_SENTENCE
        assert request.url == STORIES[0].url
        assert app.clipboard == STORIES[0].url
        assert isinstance(app.screen, LinkScreen)
        assert opened == []  # no browser on a remote session
        await pilot.press("escape")
        await pilot.pause()
        assert pane.headlines[0].read
        assert not rows(app)[0].lstrip().startswith(UNREAD)


async def test_enter_opens_in_the_local_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    place(monkeypatch, "local")
    opened = fake_opener(monkeypatch)
    app = NewsApp()
    async with app.run_test(size=(90, 16)) as pilot:
        await started(pilot)
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert opened == [STORIES[1].url]
        [(request, sentence)] = app.seen
        assert sentence == "Opened the article in your browser."


async def test_y_copies_the_link() -> None:
    app = NewsApp()
    async with app.run_test(size=(90, 16)) as pilot:
        await started(pilot)
        await pilot.press("down", "down", "y")
        await settle(app, pilot)
        assert app.clipboard == STORIES[2].url
        [(request, sentence)] = app.seen
        assert request.copy
        assert sentence.startswith("Copied the article link (OSC 52")


async def test_open_and_copy_with_nothing_selected() -> None:
    app = NewsApp()
    async with app.run_test(size=(90, 16)) as pilot:
        await started(pilot, [], empty="No headlines for this market yet.")
        await pilot.press("o", "y")
        await settle(app, pilot)
        assert app.seen == []
        assert "No headlines for this market yet." in screen_text(app)


async def test_hostile_headlines_are_shown_literally() -> None:
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Evil</title>'
            "<item><title>[/b] Trump [R] vs Harris [D] [@click=app.quit]x &#27;[2J</title>"
            "<link>https://evil.example.com/1</link><pubDate>Sun, 01 Mar 2026 11:55:00 GMT"
            "</pubDate></item></channel></rss>")
    hostile = parse_feed(feed, provider="rss:[b]Evil[/b]", publisher="[link=x]Evil")
    app = NewsApp()
    async with app.run_test(size=(100, 12)) as pilot:
        pane = await started(pilot, hostile, subject="[@click=app.quit]Market [/i]")
        pane.set_status("[b]GDELT[/b]: [@click=app.quit]rate limited")
        await pilot.pause()
        text = screen_text(app)
        assert "[/b] Trump [R] vs Harris [D] [@click=app.quit]x" in text
        assert "[2J" not in text  # the escape sequence is gone whole
        assert "[link=x]Evil" in text
        assert "[@click=app.quit]Market [/i]" in text
        assert "[b]GDELT[/b]: [@click=app.quit]rate limited" in text
        assert "\x1b" not in "".join(h.title for h in pane.headlines)
        await pilot.click(NewsList, offset=(40, 0))
        await pilot.pause()
        assert app.is_running


async def test_demo_marker_and_status_line() -> None:
    app = NewsApp()
    async with app.run_test(size=(90, 16)) as pilot:
        pane = await started(pilot, demo=True)
        pane.set_status("GDELT: rate limited, next try in 40 s")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        assert lines[1].split()[:2] == ["News", "DEMO"]
        assert "GDELT: rate limited, next try in 40 s" in screen_text(app)


async def test_the_list_is_capped() -> None:
    many = [headline(n, n) for n in range(250)]
    app = NewsApp()
    async with app.run_test(size=(90, 16)) as pilot:
        pane = await started(pilot, many)
        assert len(pane.headlines) == 200
        pane.add_headlines([headline(999, 0)], NOW)
        assert len(pane.headlines) == 200
        assert pane.headlines[0].url.startswith("https://news999.")


async def test_ages_move_with_the_clock() -> None:
    app = NewsApp()
    async with app.run_test(size=(90, 16)) as pilot:
        pane = await started(pilot)
        pane.tick(NOW + timedelta(hours=3))
        await pilot.pause()
        assert rows(app)[0].split()[1] == "3h"


async def test_offline_start_shows_stored_news_with_its_age(store: Store) -> None:
    saved = [headline(1, 125), headline(2, 3 * 24 * 60)]
    await store.save_headlines(saved, None, seen_at=NOW - timedelta(hours=2))
    data = await MarketData.create(Config(), store, offline=True)
    try:
        stored = await data.stored_news(None)
        status = data.news_status()
    finally:
        await data.aclose()
    app = NewsApp()
    async with app.run_test(size=(90, 16)) as pilot:
        pane = await started(pilot, stored)
        pane.set_status(status)
        await pilot.pause()
        shown = rows(app)
        assert [line.split()[:2] for line in shown] == [[UNREAD, "2h"], [UNREAD, "3d"]]
        assert "Offline: showing saved headlines only." in screen_text(app)
