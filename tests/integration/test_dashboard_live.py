"""The live pieces wired into the running dashboard, under Pilot.

The real MarketData runs over the in-process DemoTransport with a frozen clock (as the
snapshot tests do); the websocket tests add tests/fakews.py's loopback market channel.
Nothing here touches the internet. Waits poll the app until something shows (with a
generous deadline): they never assert how long anything took.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from typing import Any

import pytest
from textual.widgets import Input

from tests.fakews import FakeWs, hostile_book_frames, tick_frame
from tests.support import (
    NOW,
    dash_config,
    dashboard,
    fake_opener,
    main_screen,
    place,
    problems_text,
    screen_text,
    settle,
    until,
)
from tui import feeds
from tui.app import PolydashApp
from tui.config import ApiConfig, Config, NewsConfig
from tui.demo.transport import DemoTransport
from tui.screens.alert_form import AlertForm
from tui.screens.alerts import AlertsScreen
from tui.screens.main import MainScreen
from tui.services.alert_rules import spec_for
from tui.services.market_data import MarketData
from tui.store import Store
from tui.widgets.book import BookView

pytestmark = pytest.mark.usefixtures("steady", "no_real_browser")

HOSTILE = "[/b] [@click=app.quit]x Trump [R] vs [link=https://evil.example]y[/link]"
WIDE = (160, 48)


@pytest.fixture(autouse=True)
def news_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The news fetch follows the selection without the debounce a person needs."""
    monkeypatch.setattr(feeds, "NEWS_DEBOUNCE_S", 0.01)


Notes = list[tuple[Sequence[Any], dict[str, Any]]]


def spy_notify(app: PolydashApp, monkeypatch: pytest.MonkeyPatch) -> Notes:
    """Every toast the app shows, with its arguments (markup=... included)."""
    notes: Notes = []
    original = app.notify

    def spy(*args: Any, **kwargs: Any) -> None:
        notes.append((args, kwargs))
        original(*args, **kwargs)

    monkeypatch.setattr(app, "notify", spy)
    return notes


def toasts(notes: Notes) -> list[str]:
    return [str(args[0]) for args, _kwargs in notes]


async def focus_news(app: PolydashApp, pilot: Any) -> None:
    main = main_screen(app)
    for _ in range(4):
        if app.focused is main.side.news.list:
            return
        await pilot.press("tab")
    assert app.focused is main.side.news.list


# ---------------------------------------------------------------- news


async def test_news_pane_shows_and_follows_the_selected_market(demo_data: MarketData) -> None:
    app = dashboard(demo_data)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        main = main_screen(app)
        pane = main.side.news
        first = main.market_list.cursor_market
        assert first is not None
        await until(pilot, lambda: main.side.detail.market is not None
                    and main.side.detail.market.id == first.id and pane.headlines,
                    "the first market's headlines")
        assert pane.subject == first.title
        assert pane.demo
        text = screen_text(app)
        assert "News  DEMO" in text
        assert pane.headlines[0].title[:25] in text  # the headline itself, on screen
        assert "No headlines yet" not in text and "Looking for news" not in text
        first_urls = {h.url for h in pane.headlines}

        # Down the list to a market of another event: the news follows the cursor.
        for _ in range(40):
            await pilot.press("j")
            current = main.market_list.cursor_market
            if current is not None and current.event_id != first.event_id:
                break
        second = main.market_list.cursor_market
        assert second is not None and second.event_id != first.event_id

        def moved() -> bool:
            return pane.subject == second.title and bool(pane.headlines) \
                and {h.url for h in pane.headlines} != first_urls

        await until(pilot, moved, "the second market's headlines")
        assert pane.headlines[0].title[:25] in screen_text(app)


async def test_enter_and_o_open_a_headline_through_the_link_chain(
        demo_data: MarketData, monkeypatch: pytest.MonkeyPatch) -> None:
    place(monkeypatch, "local")  # a desktop whose browser only records what it opens
    opened = fake_opener(monkeypatch)
    app = dashboard(demo_data)
    notes = spy_notify(app, monkeypatch)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        pane = main_screen(app).side.news
        await until(pilot, lambda: len(pane.headlines) >= 3, "headlines")
        market = main_screen(app).side.detail.market
        assert market is not None
        await focus_news(app, pilot)

        await pilot.press("j")
        second = pane.cursor_headline
        assert second is not None and second == pane.headlines[1]
        await pilot.press("enter")
        await until(pilot, lambda: opened, "the browser")
        assert opened == [second.url]

        await pilot.press("j", "o")
        third = pane.headlines[2]
        await until(pilot, lambda: len(opened) == 2, "the second article")
        assert opened[1] == third.url
        assert app.focused is pane.list  # the news pane keeps the keys

        await settle(app, pilot)
        assert pane.headlines[1].read and pane.headlines[2].read
        stored = {h.url: h.read for h in await demo_data.stored_news(market.id)}
        assert stored[second.url] and stored[third.url]  # remembered in SQLite
        assert toasts(notes) == ["Opened the article in your browser."] * 2


# ---------------------------------------------------------------- alerts


async def test_a_opens_the_alert_form_and_saving_creates_the_alert(
        demo_data: MarketData, monkeypatch: pytest.MonkeyPatch) -> None:
    app = dashboard(demo_data)
    notes = spy_notify(app, monkeypatch)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        market = main_screen(app).current_market()
        assert market is not None

        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AlertForm), "the alert form")
        form = app.screen
        assert isinstance(form, AlertForm) and form.market.id == market.id
        threshold = form.query_one("#alert-threshold", Input)
        assert threshold.has_focus
        threshold.value = ""
        await pilot.press("0", ".", "4", "2", "enter")
        await until(pilot, lambda: isinstance(app.screen, MainScreen), "the form to close")
        await settle(app, pilot)

        alerts = await demo_data.alerts.alerts()
        assert [(a.market_id, a.kind) for a in alerts] == [(market.id, "above")]
        assert alerts[0].spec.threshold == pytest.approx(0.42)
        assert alerts[0].token_id in app.market_feed.watched  # polled (and streamed) now
        assert toasts(notes) == [f"Alert set: {market.title} crosses above 42.0¢."]
        assert notes[0][1]["markup"] is False

        await pilot.press("A")
        await until(pilot, lambda: isinstance(app.screen, AlertsScreen), "the alerts view")
        await settle(app, pilot)
        shown = screen_text(app)
        assert "crosses above 42.0¢" in shown
        assert market.title[:30] in shown
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, MainScreen), "the dashboard")


async def test_alerts_are_in_the_palette(demo_data: MarketData) -> None:
    from tui.commands import MarketCommands

    app = dashboard(demo_data)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        texts = [c.text for c in MarketCommands(main_screen(app)).commands(main_screen(app))]
        assert "Add alert for this market" in texts
        assert "Alerts: list and delete" in texts


async def test_a_fired_alert_is_a_plain_text_toast_and_the_bell(
        demo_data: MarketData, monkeypatch: pytest.MonkeyPatch) -> None:
    app = dashboard(demo_data)
    notes = spy_notify(app, monkeypatch)
    bells: list[int] = []
    monkeypatch.setattr(app, "bell", lambda: bells.append(1))
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await settle(app, pilot)
        market = main_screen(app).market_list.cursor_market
        assert market is not None
        # Hostile market text, and a level any price is under: the next poll fires it.
        spec = replace(spec_for(market, "below", threshold=0.999), question=HOSTILE)
        await demo_data.alerts.add(spec)
        assert spec.token_id in app.market_feed.poll_tokens()

        app.market_feed.next_prices()  # what the prices timer runs
        await until(pilot, lambda: bells, "the bell")
        fired = [kw for args, kw in notes if kw.get("title") == "Alert"]
        assert fired and fired[-1]["markup"] is False
        message = next(args[0] for args, kw in notes if kw.get("title") == "Alert")
        assert message.startswith(HOSTILE)
        await until(pilot, lambda: app.screen.query("Toast"), "the toast")
        shown = [str(toast.render()) for toast in app.screen.query("Toast")]
        assert any(HOSTILE in text for text in shown)  # literally, markup and all
        assert app.is_running
        await demo_data.alerts.drain()
        log = await demo_data.alerts.log()
        assert [entry.alert_id for entry in log] == [a.id for a in await demo_data.alerts.alerts()]


# ---------------------------------------------------------------- the websocket


@pytest.fixture
async def eager_tasks() -> AsyncIterator[None]:
    """Tasks start at once, as under App.run (which installs asyncio's eager task
    factory; run_test does not): the stream once lost its first connection to it."""
    loop = asyncio.get_running_loop()
    before = loop.get_task_factory()
    loop.set_task_factory(asyncio.eager_task_factory)  # type: ignore[arg-type]
    try:
        yield
    finally:
        loop.set_task_factory(before)


@pytest.fixture
async def streamed(store: Store, fake_ws: FakeWs,
                   eager_tasks: None) -> AsyncIterator[tuple[MarketData, Config]]:
    """Live mode (not demo) over the demo transport, with the loopback websocket."""
    fake_ws.auto_books = True  # a book for every subscribed token (mid 50¢)
    config = replace(dash_config(), api=ApiConfig(ws_url=fake_ws.url),
                     news=NewsConfig(providers=()))
    data = await MarketData.create(config, store,
                                   transport=DemoTransport(n_markets=120, now=NOW))
    try:
        yield data, config
    finally:
        await data.aclose()


async def test_stream_ticks_update_the_list_and_the_status_says_live(
        streamed: tuple[MarketData, Config], fake_ws: FakeWs) -> None:
    data, config = streamed
    app = dashboard(data, config)
    async with app.run_test(size=WIDE) as pilot:
        main = main_screen(app)
        await until(pilot, lambda: main.status.text.startswith(" LIVE "), "LIVE")
        assert app.live.stream is not None
        await until(pilot, lambda: app.market_feed.poll_tokens() == [], "every token on the socket")
        market = main.market_list.cursor_market
        assert market is not None and market.outcomes[0].name == "Yes"
        token = market.outcomes[0].token_id
        assert token in app.live.stream.tokens

        fake_ws.send(tick_frame(token, 0.87, ahead_ms=1000))  # after the book dump
        await until(pilot, lambda: main.catalog.markets[market.id].outcomes[0].price
                    == pytest.approx(0.87), "the tick in the list")
        await pilot.pause()
        rows = screen_text(app).splitlines()
        row = rows[2 + main.market_list.rows.market_ids().index(market.id)]
        assert "87¢" in row
        assert main.status.text.startswith(" LIVE  updated 0s ago")
        # The detail's book follows the socket too.
        book = main.side.detail.query_one(BookView)
        await until(pilot, lambda: book.live, "the live book")


async def test_books_with_impossible_prices_neither_crash_nor_show_and_it_stays_live(
        streamed: tuple[MarketData, Config], fake_ws: FakeWs) -> None:
    """Issue 12: bids at 1e308 made the midpoint infinite (an OverflowError ended the
    app); bid 2.5 / ask 3.5 showed as "300¢". Both are dropped at the boundary."""
    data, config = streamed
    app = dashboard(data, config)
    async with app.run_test(size=WIDE) as pilot:
        main = main_screen(app)
        await until(pilot, lambda: main.status.text.startswith(" LIVE "), "LIVE")
        await until(pilot, lambda: app.market_feed.poll_tokens() == [], "every token on the socket")
        market = main.market_list.cursor_market
        assert market is not None
        token = market.outcomes[0].token_id
        book = main.side.detail.query_one(BookView)
        await until(pilot, lambda: book.live, "the live book")
        for frame in hostile_book_frames(token):
            fake_ws.send(frame)
        stream = app.live.stream
        assert stream is not None
        await until(pilot, lambda: stream.stats.out_of_range >= 2, "both books read")
        fake_ws.send(tick_frame(token, 0.61, ahead_ms=5000))  # a good frame after them
        await until(pilot, lambda: main.catalog.markets[market.id].outcomes[0].price
                    == pytest.approx(0.61), "the good tick in the list")
        await settle(app, pilot)
        text = screen_text(app)
        assert not any(word in text for word in ("300¢", "300.0¢", "250.0¢", "inf¢", "nan¢"))
        assert app.is_running and main.status.text.startswith(" LIVE ")


async def test_while_the_stream_is_down_it_says_polling_and_rest_covers_the_tokens(
        streamed: tuple[MarketData, Config], fake_ws: FakeWs,
        monkeypatch: pytest.MonkeyPatch) -> None:
    data, config = streamed
    polled: list[tuple[str, ...]] = []
    refresh_prices = data.refresh_prices

    async def recording(tokens: Sequence[str]) -> dict[str, float]:
        polled.append(tuple(tokens))
        return await refresh_prices(tokens)

    monkeypatch.setattr(data, "refresh_prices", recording)
    app = dashboard(data, config)
    async with app.run_test(size=WIDE) as pilot:
        main = main_screen(app)
        await until(pilot, lambda: main.status.text.startswith(" LIVE "), "LIVE")
        await until(pilot, lambda: app.market_feed.poll_tokens() == [], "every token on the socket")

        fake_ws.reject_status = 503  # reconnecting fails too
        fake_ws.drop()
        await until(pilot, lambda: main.status.text.startswith(" POLLING "), "POLLING")
        assert "⚠ live prices down (! details)" in main.status.text
        # The drop, or (once it tried again) the refusal: a sentence either way, under `!`.
        problems = await problems_text(app, pilot)
        assert ("Live prices down: 127.0.0.1 closed the websocket; reconnecting." in problems
                or "Live prices down: 127.0.0.1 refused the websocket (HTTP 503); "
                   "reconnecting." in problems)
        watched = app.market_feed.watched
        assert app.market_feed.poll_tokens() == watched  # nothing is live: REST covers every token

        polled.clear()
        app.market_feed.next_prices()  # what the prices timer runs
        await until(pilot, lambda: polled, "a REST poll")
        assert set(polled[0]) == set(watched)
        market = main.market_list.cursor_market
        assert market is not None and market.outcomes[0].token_id in polled[0]
        await settle(app, pilot)
        assert main.status.text.startswith(" POLLING  updated 0s ago")
        book = main.side.detail.query_one(BookView)
        await until(pilot, lambda: not book.live, "the /book snapshot")
