"""The first load, page by page (issue 10): the first page paints before the rest has
arrived, later pages merge without moving the cursor or the scroll position, the status
line counts while loading and stops when done, a refresh during the load adds no row
twice, and a warm start paints a screenful from SQLite before reading the rest.

FakeData hands its markets out in pages; while `held` is unset, every page after the
first waits, so the tests see the screen between the first page and the rest."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.fakedata import FakeData, make_markets
from tests.support import Recorder, main_screen, screen_text, settle, until
from tui.app import PolydashApp
from tui.feeds import FIRST_SCREENFUL
from tui.messages import MarketsLoaded, MarketsPage
from tui.services.http import ApiTimeout
from tui.widgets.browser import MarketBrowser
from tui.widgets.market_list import MarketList

pytestmark = pytest.mark.usefixtures("steady")


@pytest.fixture(autouse=True)
def pages_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages merge as soon as they arrive (no throttle timer to wait for)."""
    monkeypatch.setattr(MarketBrowser, "PAGE_FLUSH_S", 0.0)


def listing(app: PolydashApp) -> MarketList:
    return main_screen(app).market_list


def status_text(app: PolydashApp) -> str:
    return main_screen(app).browser.status.text


def paged(markets: int, page_size: int, **kwargs: Any) -> FakeData:
    """Nothing saved, `markets` from the API in pages of `page_size`, the rest held."""
    return FakeData(make_markets(markets), cached=[], page_size=page_size,
                    held=asyncio.Event(), **kwargs)


async def test_first_page_paints_before_the_rest_arrives(make_app: Any) -> None:
    data = paged(60, 20)
    app = make_app(data)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: listing(app).row_count() == 20, "the first page")
        assert "20 fetched, loading…" in status_text(app)
        assert set(listing(app).rows.keys) == {m.id for m in data.markets[:20]}
        assert sum("¢" in line for line in screen_text(app).splitlines()) >= 10
        assert data.snapshots == []  # nothing is saved before the whole list is in

        assert data.held is not None
        data.held.set()
        await until(pilot, lambda: "loading" not in status_text(app), "the end of the load")
        await settle(app, pilot)
        assert listing(app).row_count() == 60
        assert "60 markets" in status_text(app)
        assert [len(s) for s in data.snapshots] == [60]  # saved once, after the screen


async def test_cursor_and_scroll_stay_put_while_pages_merge(make_app: Any) -> None:
    # The API's pages in reverse order of the list's sort: every later page sorts above
    # what shows, the hardest case for a steady cursor.
    markets = sorted(make_markets(120), key=lambda m: m.volume_24h or 0)
    data = FakeData(markets, cached=[], page_size=40, held=asyncio.Event())
    app = make_app(data)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: listing(app).row_count() == 40, "the first page")
        rows = listing(app)
        rows.focus()
        rows.scroll_to(y=4, animate=False, force=True)
        await pilot.pause()
        rows.move_cursor(10)
        await pilot.pause()
        chosen, line = rows.cursor_key, rows.cursor - rows.top_row
        assert chosen is not None and rows.top_row == 4

        assert data.held is not None
        data.held.set()
        await until(pilot, lambda: "loading" not in status_text(app), "the end of the load")
        await settle(app, pilot)
        assert rows.row_count() == 120
        assert rows.cursor_key == chosen  # the same market under the cursor
        assert rows.cursor - rows.top_row == line  # on the same screen line
        assert rows.top_row > 4  # the rows merged above it went above the screen


async def test_refresh_during_the_load_adds_no_row_twice(make_app: Any) -> None:
    data = paged(60, 20)
    app = make_app(data)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: listing(app).row_count() == 20, "the first page")
        await pilot.press("r")  # the load in progress is replaced by a new one
        await until(pilot, lambda: data.calls.count(("refresh_markets",)) == 2,
                    "the second load")
        assert data.held is not None
        data.held.set()
        await until(pilot, lambda: "loading" not in status_text(app), "the end of the load")
        await settle(app, pilot)
        keys = listing(app).rows.keys
        assert len(keys) == len(set(keys)) == 60
        assert "60 markets" in status_text(app)


async def test_a_failed_load_stops_counting(make_app: Any) -> None:
    data = paged(60, 20)
    data.failures["market_page"] = [ApiTimeout("gamma-api.polymarket.com", "timed out")]
    app = make_app(data)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: "20 fetched, loading…" in status_text(app), "a count")
        assert data.held is not None
        data.held.set()  # the second page fails
        await until(pilot, lambda: "loading" not in status_text(app), "the count stopped")
        assert "list refresh failing" in status_text(app)
        assert listing(app).row_count() == 20  # what arrived stays on screen


async def test_later_refreshes_replace_the_list_once(make_app: Any,
                                                     messages: Recorder[Any]) -> None:
    data = FakeData(make_markets(60), cached=[], page_size=20)
    app = make_app(data)
    async with app.run_test(size=(100, 30), message_hook=messages.append) as pilot:
        await settle(app, pilot)
        pages = len(messages.of(MarketsPage))
        assert pages == 3
        await pilot.press("r")
        await until(pilot, lambda: len([m for m in messages.of(MarketsLoaded)
                                        if m.source == "live"]) == 2, "the refresh")
        assert len(messages.of(MarketsPage)) == pages  # no page by page after the first


async def test_warm_start_paints_a_screenful_before_reading_the_rest(
        make_app: Any, messages: Recorder[Any]) -> None:
    saved = make_markets(FIRST_SCREENFUL + 50)
    data = FakeData(saved, offline=True)
    app = make_app(data)
    async with app.run_test(size=(100, 30), message_hook=messages.append) as pilot:
        await settle(app, pilot)
        reads = [call for call in data.calls if call[0] == "cached_markets"]
        assert reads == [("cached_markets", FIRST_SCREENFUL), ("cached_markets",)]
        first = messages.of(MarketsPage)
        assert [(m.source, len(m.markets)) for m in first] == [("cache", FIRST_SCREENFUL)]
        assert len(messages.of(MarketsLoaded)[-1].markets) == FIRST_SCREENFUL + 50
        assert listing(app).row_count() == FIRST_SCREENFUL + 50
        assert "loading" not in status_text(app)


async def test_sparklines_wait_for_the_end_of_a_load_from_the_api(make_app: Any) -> None:
    """Their week of history is a request per token: not while the pages come in."""
    data = paged(60, 20)
    app = make_app(data)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: listing(app).row_count() == 20, "the first page")
        await pilot.pause(MarketBrowser.SPARK_DELAY * 2)
        assert not [c for c in data.calls if c[0] == "sparklines"]

        assert data.held is not None
        data.held.set()
        await until(pilot, lambda: "loading" not in status_text(app), "the end of the load")
        await until(pilot, lambda: any(c[0] == "sparklines" for c in data.calls),
                    "the sparklines of the rows in sight")
        shown = set(listing(app).visible_market_ids())
        asked = {t for c in data.calls if c[0] == "sparklines" for t in c[1]}
        assert asked and asked <= {o.token_id for m in data.markets if m.id in shown
                                   for o in m.outcomes}
