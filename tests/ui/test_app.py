"""The dashboard under Pilot: start-up, browsing, keys, favorites, detail, links,
palette, help, keymap, sizes, live refresh and recovery. Assertions look at the
screen as a person reads it and at the messages the app posts."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.widgets import Static

from tests.fakedata import FakeData, make_markets
from tests.support import (
    NOW,
    Recorder,
    dash_config,
    fake_opener,
    main_screen,
    place,
    problems_text,
    screen_strips,
    screen_text,
    settle,
    toasts,
)
from tui.app import PolydashApp, key_scopes
from tui.failures import describe_failure
from tui.idle import IdleCollector
from tui.keys import plan_keymap, remappable_ids
from tui.messages import (
    ChartLoaded,
    FavoriteToggled,
    FreshnessChanged,
    MarketsLoaded,
    Notice,
    PricesUpdated,
    SearchFinished,
    TokensWatched,
)
from tui.models import market_from_gamma
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.services.backoff import Backoff
from tui.services.http import ApiRateLimited, ApiTimeout
from tui.view.sorts import SORTS, VIEW_ONLY_SORTS
from tui.widgets.market_list import MarketList


def listing(app: PolydashApp) -> MarketList:
    return main_screen(app).market_list


def row_ids(app: PolydashApp) -> list[str]:
    return listing(app).rows.market_ids()


# ---------------------------------------------------------------- start-up and modes


async def test_paints_cache_first_then_live(make_app: Any, messages: Recorder) -> None:
    live = make_markets()
    data = FakeData(live, cached=live[:10])
    app = make_app(data)
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        await settle(app, pilot)
        loads = messages.of(MarketsLoaded)
        assert [m.source for m in loads] == ["cache", "live"]
        assert len(loads[0].markets) == 10
        text = screen_text(app)
        assert "POLLING" in text and "updated 0s ago" in text
        assert "60 markets" in text
        assert "Will crypto thing number 31 happ" in text


async def test_cached_mode_shows_age_until_refresh_works(make_app: Any) -> None:
    data = FakeData(make_markets())
    data.failures["refresh_markets"] = [ApiTimeout("gamma-api.polymarket.com",
                                                   "gamma-api.polymarket.com did not answer "
                                                   "within 10 s")]
    app = make_app(data)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(app, pilot)
        status = main_screen(app).status.text
        assert status.startswith(" CACHED ")
        assert "data from 5m ago" in status
        # A few words on the status line; `!` has the whole sentence.
        assert "⚠ list refresh failing, retrying in 5 s (! details)" in status
        assert ("Could not refresh the market list: gamma-api.polymarket.com did not answer "
                "within 10 s.") in await problems_text(app, pilot)


async def test_demo_and_offline_modes(make_app: Any, messages: Recorder) -> None:
    demo = FakeData(make_markets(), demo=True)
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert main_screen(app).status.text.startswith(" DEMO ")
    offline = FakeData(make_markets(), offline=True)
    app = make_app(offline)
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        await settle(app, pilot)
        assert main_screen(app).status.text.startswith(" OFFLINE ")
        assert "data from 5m ago" in main_screen(app).status.text
        await pilot.press("r")
        await settle(app, pilot)
        assert ("refresh_markets",) not in offline.calls
        assert any("Offline mode" in n.sentence for n in messages.of(Notice))


async def test_status_age_ticks_with_the_clock(data: FakeData) -> None:
    now = [NOW]
    app = PolydashApp(dash_config(), data, clock=lambda: now[0])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert "updated 0s ago" in main_screen(app).status.text
        now[0] = NOW + timedelta(seconds=12)
        main_screen(app).browser.tick()  # what the screen's tick timer runs
        await pilot.pause()
        assert "updated 12s ago" in screen_text(app)


# ---------------------------------------------------------------- browsing


async def test_filter_at_every_keystroke_and_escape_clears(make_app: Any, data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await pilot.press("m", "a", "r")
        await pilot.pause()
        assert len(row_ids(app)) == 60  # "mar" is in every "... March?" and "market-N" slug
        await pilot.press("space", "F", "E", "d")
        await pilot.pause()
        assert len(row_ids(app)) == 6
        assert "6 of 60 markets" in main_screen(app).status.text
        await pilot.press("backspace", "backspace", "backspace")
        await pilot.pause()
        assert len(row_ids(app)) == 60
        await pilot.press("o", "u", "t", "c", "o", "m", "e", "space", "3")
        await pilot.pause()
        assert row_ids(app) == ["1003"]
        await pilot.press("escape")
        await pilot.pause()
        assert len(row_ids(app)) == 60
        assert app.focused is listing(app)


async def test_enter_in_filter_searches_and_merges(make_app: Any, messages: Recorder) -> None:
    data = FakeData(make_markets())
    data.search_results = [market_from_gamma(
        {"id": "77", "slug": "zebra", "question": "Will a zebra win the derby?",
         "outcomes": '["Yes","No"]', "outcomePrices": '["0.3","0.7"]',
         "clobTokenIds": '["1","2"]'})]
    app = make_app(data)
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"zebra", "enter")
        await settle(app, pilot)
        assert ("search", "zebra") in data.calls
        assert [m.query for m in messages.of(SearchFinished)] == ["zebra"]
        assert row_ids(app) == ["77"]
        assert "Polymarket search found 1 market, 1 not loaded before." in toasts(app)
        assert "Will a zebra win the derby?" in screen_text(app)


async def test_sort_cycle_reverse_and_header_arrow(make_app: Any, data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert "Vol 24h▼" in screen_text(app)
        await pilot.press("s")
        await pilot.pause()
        assert main_screen(app).selection.sort == "change"
        assert "24h▼" in screen_text(app) and "by 24h change" in main_screen(app).status.text
        markets = [main_screen(app).catalog.markets[i] for i in row_ids(app)]
        changes = [abs(m.change_24h or 0) for m in markets]
        assert changes == sorted(changes, reverse=True)
        await pilot.press("S")
        await pilot.pause()
        assert main_screen(app).selection.reverse
        assert "(reversed)" in main_screen(app).status.text
        cycle = [k for k in SORTS if VIEW_ONLY_SORTS.get(k, "all") == "all"]
        for _ in range(len(cycle) - 1):
            await pilot.press("s")
        await pilot.pause()
        assert main_screen(app).selection.sort == "volume_24h"


async def test_views_cycle_and_empty_favorites(make_app: Any, data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("v")
        await pilot.pause()
        assert main_screen(app).selection.view == "favorites"
        assert "No favorites yet: press f on a market to add it." in screen_text(app)
        await pilot.press("v")
        await pilot.pause()
        assert main_screen(app).selection.view == "trending"
        labels = [v.label for v in main_screen(app).catalog.views()]
        assert {"Politics", "Crypto", "Sports", "Economy", "Culture"} <= set(labels)
        main_screen(app).set_view("tag:crypto")
        await pilot.pause()
        assert all("crypto" in main_screen(app).catalog.markets[i].question or
                   "Crypto" in [t.label for t in main_screen(app).catalog.markets[i].tags]
                   for i in row_ids(app))
        assert "Crypto" in main_screen(app).status.text
        await pilot.press("V")
        await pilot.pause()
        assert main_screen(app).selection.view != "tag:crypto"


async def test_group_by_event_headings_are_stops(make_app: Any, data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(80, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        rows = listing(app).rows
        heading = next(i for i, key in enumerate(rows.keys) if key in rows.headings)
        assert "▾ Fed decision in March?" in screen_text(app)
        listing(app).move_cursor(heading - 1)
        await pilot.press("j")
        assert listing(app).cursor == heading  # the heading is a stop: Enter, ← and → fold
        assert listing(app).cursor_market is None
        await pilot.press("j")
        assert listing(app).cursor == heading + 1


async def test_cursor_keys(make_app: Any, data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        lst = listing(app)
        await pilot.press("j", "j", "down")
        assert lst.cursor == 3
        await pilot.press("k", "up")
        assert lst.cursor == 1
        await pilot.press("G")
        assert lst.cursor == 59
        await pilot.pause()
        assert lst.scroll_offset.y > 0
        await pilot.press("g")
        assert lst.cursor == 0
        await pilot.press("pagedown")
        assert lst.cursor == lst.scrollable_content_region.height - 1
        await pilot.press("pageup")
        assert lst.cursor == 0


async def test_mouse_click_selects_and_can_be_disabled(make_app: Any) -> None:
    data = FakeData(make_markets())
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.click(MarketList, offset=(5, 4))
        assert listing(app).cursor == 3
        await pilot.click(MarketList, offset=(79, 21))  # the list's own scrollbar: the end
        assert listing(app).cursor == 59
        await pilot.pause()
        assert listing(app).scroll_offset.y > 0
        listing(app).post_message(events.MouseScrollUp(listing(app), 5, 5, 0, 0, 0, False,
                                                       False, False))
        await pilot.pause()
        assert listing(app).scroll_offset.y < 59 - 20  # the wheel scrolls
        await pilot.click(MarketList, offset=(5, 1))
        await pilot.click(MarketList, offset=(5, 2), times=2)
        await pilot.pause()
        assert main_screen(app).has_class("-detail-open")
    app = make_app(FakeData(make_markets()), dash_config(mouse=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.click(MarketList, offset=(5, 4))
        assert listing(app).cursor == 0
        listing(app).post_message(events.MouseScrollDown(listing(app), 5, 5, 0, 0, 0, False,
                                                         False, False))
        await pilot.pause()
        assert listing(app).scroll_offset.y == 0


# ---------------------------------------------------------------- favorites


async def test_favorite_toggles_with_f_and_space(make_app: Any, data: FakeData,
                                                 messages: Recorder) -> None:
    app = make_app(data)
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        await settle(app, pilot)
        first = row_ids(app)[0]
        await pilot.press("j", "f")
        await settle(app, pilot)
        second = row_ids(app)[0]  # favorites first in All: the starred one moved up
        assert [(m.market_id, m.favorite) for m in messages.of(FavoriteToggled)] == [
            (second, True)]
        assert second != first and data.favorites == {second}
        assert screen_text(app).splitlines()[2].startswith("★")
        assert listing(app).cursor_key == second
        await pilot.press("space")
        await settle(app, pilot)
        assert data.favorites == set()


async def test_favorite_survives_restart(tmp_path: Path) -> None:
    from tui.services.market_data import MarketData
    from tui.store import Store

    db = tmp_path / "polydash.db"
    markets = make_markets(12)

    async def run(press: tuple[str, ...]) -> str:
        store = await Store.open(db)
        data = await MarketData.create(dash_config(), store, offline=True)
        try:
            app = PolydashApp(dash_config(), data, clock=lambda: NOW)
            async with app.run_test(size=(80, 24)) as pilot:
                await settle(app, pilot)
                await pilot.press(*press)
                await settle(app, pilot)
                return screen_text(app)
        finally:
            await data.aclose()
            await store.close()

    store = await Store.open(db)
    await store.save_markets(markets, NOW)
    await store.close()
    await run(("j", "j", "f"))
    text = await run(("v",))  # the Favorites view after a restart
    lines = [line for line in text.splitlines() if line.startswith("★")]
    assert len(lines) == 1
    assert "1 of 12 markets" in text
    assert "Favorites" in text


# ---------------------------------------------------------------- detail and chart


async def test_detail_opens_full_screen_at_80_and_escape_goes_back(
        make_app: Any, data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert not main_screen(app).side.detail.display or not main_screen(app).detail_visible
        question = listing(app).cursor_market.question  # type: ignore[union-attr]
        await pilot.press("enter")
        await settle(app, pilot)
        assert main_screen(app).has_class("-detail-open")
        assert question in screen_text(app)
        assert ("record_view", listing(app).cursor_key) in data.calls
        assert any(c[0] == "chart" for c in data.calls)
        await pilot.press("escape")
        await pilot.pause()
        assert not main_screen(app).has_class("-detail-open")
        assert app.focused is listing(app)


async def test_wide_layout_follows_the_cursor(make_app: Any, data: FakeData,
                                              messages: Recorder) -> None:
    app = make_app(data)
    async with app.run_test(size=(160, 48), message_hook=messages.append) as pilot:
        await settle(app, pilot)
        assert main_screen(app).has_class("-wide")
        first = listing(app).cursor_market
        assert first is not None and main_screen(app).side.detail.market == first
        await pilot.press("j")
        await settle(app, pilot)
        second = listing(app).cursor_market
        assert main_screen(app).side.detail.market == second
        assert [m.market_id for m in messages.of(ChartLoaded)][-1] == second.id  # type: ignore[union-attr]
        await pilot.press("tab")
        assert app.focused is main_screen(app).side.detail
        await pilot.press("escape")
        assert app.focused is listing(app)


async def test_chart_range_keys(make_app: Any, data: FakeData, messages: Recorder) -> None:
    app = make_app(data)
    async with app.run_test(size=(160, 48), message_hook=messages.append) as pilot:
        await settle(app, pilot)
        market_id = listing(app).cursor_key
        for key, range_ in zip("123456", ("1h", "6h", "1d", "1w", "1m", "max"), strict=True):
            await pilot.press(key)
            await settle(app, pilot)
            assert ("chart", market_id, range_) in data.calls
            assert messages.of(ChartLoaded)[-1].range_ == range_
        assert main_screen(app).side.chart_range == "max"


async def test_chart_range_key_before_opening_applies_on_open(make_app: Any,
                                                             data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("3", "enter")
        await settle(app, pilot)
        assert ("chart", listing(app).cursor_key, "1d") in data.calls


# ---------------------------------------------------------------- links


async def test_links_go_through_the_link_chain(make_app: Any, data: FakeData,
                                               monkeypatch: pytest.MonkeyPatch,
                                               messages: Recorder) -> None:
    """o, t and y go through the real link chain, which says what happened once: one
    toast each, no Notice repeating it."""
    from tui.services import links

    place(monkeypatch, "local")
    opened = fake_opener(monkeypatch, opens=True)
    app = make_app(data)
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        await settle(app, pilot)
        market = listing(app).cursor_market
        assert market is not None
        await pilot.press("o")
        await settle(app, pilot)
        assert opened == [market.url]
        assert toasts(app) == ["Opened the Polymarket page in your browser."]
        await pilot.press("t")
        await settle(app, pilot)
        chart = links.tradingview_for(market, app.config.tradingview)
        assert opened == [market.url, *([chart.url] if chart else [])]
        assert len(toasts(app)) == 2 and "TradingView chart" in toasts(app)[-1]
        await pilot.press("y")
        await settle(app, pilot)
        assert app.clipboard == market.url
        assert len(toasts(app)) == 3 and toasts(app)[-1].startswith("Copied the Polymarket")
        assert messages.of(Notice) == []


async def test_a_link_over_ssh_is_said_once_in_the_modal(make_app: Any, data: FakeData,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        messages: Recorder) -> None:
    from tui.screens.link import REMOTE_SENTENCE, LinkScreen

    place(monkeypatch, "remote")
    app = make_app(data)
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        assert isinstance(app.screen, LinkScreen) and app.screen.sentence == REMOTE_SENTENCE
        assert toasts(app) == [] and messages.of(Notice) == []  # no toast, no status line


async def test_open_uses_app_open_url_under_the_web_driver(
        make_app: Any, data: FakeData, monkeypatch: pytest.MonkeyPatch,
        no_real_browser: list[str]) -> None:
    from tui.services import links

    monkeypatch.setattr(links, "current_environment", lambda is_web: "web")
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        assert no_real_browser == [listing(app).cursor_market.url]  # type: ignore[union-attr]


# ---------------------------------------------------------------- alerts


async def test_without_alerts_a_says_so(make_app: Any, data: FakeData) -> None:
    app = make_app(data)  # FakeData: no alert service
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert "Alerts are not available here." in toasts(app)


# ---------------------------------------------------------------- palette, help, keys


async def test_palette_runs_a_sort_and_jumps_to_a_market(make_app: Any, data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"sort by liquidity")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        assert main_screen(app).selection.sort == "liquidity"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"march 125")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        assert listing(app).cursor_key == "1005"  # "Fed outcome 5 in March?" — 125 bps
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"view tag sports")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        assert main_screen(app).selection.view == "tag:sports"


async def test_help_lists_every_binding_with_its_id(make_app: Any, data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text", Static).content)
        ids = [b.id for b in MainScreen.BINDINGS + MarketList.BINDINGS + PolydashApp.BINDINGS
               if not b.system]
        for binding_id in ids:
            assert f"[keys] {binding_id}" in text, binding_id
        assert "Favorite" in text and "f, space" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_remapped_key_works_and_shows_in_help(make_app: Any, data: FakeData) -> None:
    config = dash_config()
    from dataclasses import replace

    config = replace(config, keys={"favorite": "x", "sort-cycle": "ctrl+s"})
    app = make_app(data, config)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        assert data.favorites == set()
        await pilot.press("x")
        await settle(app, pilot)
        assert len(data.favorites) == 1
        await pilot.press("ctrl+s")
        assert main_screen(app).selection.sort == "change"
        await pilot.press("question_mark")
        await pilot.pause()
        text = str(app.screen.query_one("#help-text", Static).content)
        favorite_line = next(line for line in text.splitlines() if "[keys] favorite" in line)
        assert favorite_line.startswith("x ")


async def test_themes_and_no_color(make_app: Any, data: FakeData,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(data, dash_config(theme="polydash-light"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.theme == "polydash-light"
        assert not app.current_theme.dark
    app = make_app(data, dash_config(theme="no-such-theme"))
    assert app.theme == "polydash-dark"
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(data)
    assert app.no_color  # Textual reads NO_COLOR and adds its monochrome filter
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        for strip in screen_strips(app):
            for segment in strip:
                for color in (segment.style.color, segment.style.bgcolor) if segment.style \
                        else ():
                    if color is not None and color.triplet is not None:
                        red, green, blue = color.triplet
                        assert red == green == blue, segment  # grey only: no colour


# ---------------------------------------------------------------- sizes


async def test_resize_to_too_small_and_back(make_app: Any, data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.resize_terminal(40, 10)
        await pilot.pause()
        text = screen_text(app)
        assert "Terminal too small (need 50×12)" in text
        assert "Will " not in text
        await pilot.resize_terminal(160, 48)
        await settle(app, pilot)
        assert main_screen(app).has_class("-wide")
        assert main_screen(app).side.detail.market is not None
        await pilot.press("enter")
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        assert main_screen(app).has_class("-detail-open")
        await pilot.press("escape")
        await pilot.resize_terminal(50, 12)
        await pilot.pause()
        assert "Terminal too small" not in screen_text(app)
        assert "Market" in screen_text(app)


# ---------------------------------------------------------------- live refresh


async def test_failed_refresh_recovers_by_itself(make_app: Any, messages: Recorder) -> None:
    data = FakeData(make_markets())
    data.failures["refresh_markets"] = [
        ApiTimeout("gamma-api.polymarket.com",
                   "gamma-api.polymarket.com did not answer within 10 s"),
        ApiRateLimited("gamma-api.polymarket.com", "Polymarket is rate limiting us"),
    ]
    app = make_app(data)
    app.market_feed.backoff["markets"] = Backoff(first=0.05, ceiling=0.2)

    def sentences() -> list[str]:
        said = [m.freshness.issue("markets") for m in messages.of(FreshnessChanged)]
        return list(dict.fromkeys(issue.sentence for issue in said if issue is not None))

    async with app.run_test(size=(120, 24), message_hook=messages.append) as pilot:
        await settle(app, pilot)
        assert sentences()[0] == ("Could not refresh the market list: "
                                  "gamma-api.polymarket.com did not answer within 10 s.")
        for _ in range(20):
            await pilot.pause(0.1)
            await settle(app, pilot)
            if app.freshness.mode == "POLLING":
                break
        assert sentences()[1] == (
            "Could not refresh the market list: Polymarket is rate limiting us.")
        last = messages.of(FreshnessChanged)[-1].freshness
        assert last.issue("markets") is None and last.mode == "POLLING"
        assert data.calls.count(("refresh_markets",)) == 3
        status = main_screen(app).status.text
        assert status.startswith(" POLLING ") and "Could not" not in status
        assert "60 markets" in status


async def test_unexpected_errors_become_sentences() -> None:
    sentence = describe_failure("sparklines", KeyError("token"))
    assert sentence == ("Could not load the 7-day sparklines because of an unexpected error "
                        "(details in the log).")
    assert "KeyError" not in sentence


async def test_prices_refresh_updates_visible_rows(make_app: Any, data: FakeData,
                                                  messages: Recorder) -> None:
    app = make_app(data)
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        await settle(app, pilot)
        market = listing(app).cursor_market
        assert market is not None
        data.prices = {market.outcomes[0].token_id: 0.99, market.outcomes[1].token_id: 0.01}
        tokens = messages.of(TokensWatched)[-1].tokens
        assert market.outcomes[0].token_id in tokens
        app.market_feed.next_prices()
        await settle(app, pilot)
        assert messages.of(PricesUpdated)
        assert "99¢" in screen_text(app).splitlines()[2]


def test_price_messages_coalesce() -> None:
    older = PricesUpdated({"a": 0.1, "b": 0.2}, NOW)
    newer = PricesUpdated({"b": 0.3}, NOW)
    assert older.can_replace(newer)
    assert newer.prices == {"a": 0.1, "b": 0.3}


async def test_a_sparkline_failure_is_a_sentence_not_a_crash(make_app: Any,
                                                             data: FakeData) -> None:
    async def broken(token_ids: Any, points: int = 28) -> Any:
        raise RuntimeError("boom")

    data.sparklines = broken  # type: ignore[method-assign]
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert "⚠ sparklines failed" in main_screen(app).status.text
        assert "Could not load the 7-day sparklines because of an unexpected error" in \
            await problems_text(app, pilot)
        assert "RuntimeError" not in screen_text(app)
        assert app.is_running


def test_idle_collector_runs_only_when_idle() -> None:
    import gc

    now = [100.0]
    collector = IdleCollector(idle_s=1.5, every_s=60.0, clock=lambda: now[0])
    before = gc.get_threshold()
    try:
        collector.install()
        assert gc.get_threshold()[2] >= 1_000_000  # no automatic full collection
        collector.soon()
        collector.touched()
        now[0] += 1.0
        assert not collector.maybe_run()  # the user typed a second ago
        now[0] += 1.0
        assert collector.maybe_run() and not collector.pending
        now[0] += 30
        assert not collector.maybe_run()  # nothing pending, not a minute yet
        now[0] += 31
        assert collector.maybe_run()
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_keymap_accepts_underscored_ids() -> None:
    known = remappable_ids(key_scopes()).keys()
    assert {"favorite", "open-polymarket", "sort-cycle", "cursor-down", "quit", "help"} <= known
    keys = plan_keymap({"open_polymarket": "P", "chart.toggle_zone": "Z"}, key_scopes())
    assert keys.keymap == {"open-polymarket": "P", "chart.toggle-zone": "Z"}


async def test_light_theme_has_no_dark_holes(make_app: Any, data: FakeData) -> None:
    app = make_app(data, dash_config(theme="polydash-light"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("j")
        lst = listing(app)
        for y in range(6):
            if y == lst.cursor + 1:
                continue  # the cursor bar is the theme's primary colour
            for segment in list(lst.render_line(y))[:-1]:  # the last cell: the scrollbar
                background = segment.style.bgcolor if segment.style else None
                assert background is not None, (y, segment)
                red, green, blue = background.get_truecolor()
                assert red + green + blue > 600, (y, segment)  # light, like the theme


async def test_partial_repaints_match_a_full_repaint(make_app: Any, data: FakeData) -> None:
    """The list repaints only lines that changed; the screen must equal a full repaint."""
    app = make_app(data)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        lst = listing(app)
        steps: list[tuple[str, ...]] = [
            ("slash", "t", "h"), ("i",), ("backspace", "backspace"), ("escape",), ("e",),
            ("j", "j", "f"), ("s",), ("e",), ("G",), ("g", "space"), ("v", "v"), ("V", "V"),
        ]
        for keys in steps:
            await pilot.press(*keys)
            await settle(app, pilot)
            partial = screen_text(app)
            lst.clear_cache()
            lst.refresh()
            await pilot.pause()
            assert screen_text(app) == partial, keys


async def test_detail_shows_the_change_since_the_last_visit(make_app: Any, data: FakeData,
                                                            messages: Recorder) -> None:
    from tui.messages import DetailReady
    from tui.models import Visit as FakeVisit

    first = make_markets()[31]  # the top row by 24h volume
    data.visits = [FakeVisit(first.id, NOW - timedelta(hours=3), 0.5)]

    async def only_recent() -> list[FakeVisit]:
        return []  # older than what recent_views returns: read through last_view

    data.recent_views = only_recent  # type: ignore[method-assign]
    app = make_app(data)
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        await settle(app, pilot)
        assert listing(app).cursor_key == first.id
        await pilot.press("enter")
        await settle(app, pilot)
        ready = messages.of(DetailReady)
        assert ready and ready[-1].last_view.price == 0.5
        calls = [c for c in data.calls if c[0] in ("last_view", "record_view")]
        assert calls == [("last_view", first.id), ("record_view", first.id)]
        visit = str(main_screen(app).query_one("#detail-visit", Static).content)
        assert visit.startswith("since your last visit 3h ago: ▲ +22.0¢")


async def test_first_start_without_network_says_so(make_app: Any) -> None:
    data = FakeData(make_markets(), cached=[], cached_at=None)
    data.failures["refresh_markets"] = [ApiTimeout("gamma-api.polymarket.com",
                                                   "gamma-api.polymarket.com did not answer "
                                                   "within 10 s")]
    app = make_app(data)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "No markets yet: loading them failed (the status line says why)." in text
        assert "no data yet" in main_screen(app).status.text
        assert "did not answer within 10 s" in await problems_text(app, pilot)


async def test_typing_right_after_slash_goes_to_the_filter(make_app: Any, data: FakeData,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    """A terminal delivers "/btc" in one read: the letters must not run list bindings."""
    from tui.screens import link

    async def no_links(*args: Any) -> str:
        raise AssertionError("t ran the TradingView binding")

    monkeypatch.setattr(link, "open_tradingview", no_links)
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        for key, character in (("slash", "/"), ("b", "b"), ("t", "t"), ("c", "c")):
            app.post_message(events.Key(key, character))  # no pause between them
        await settle(app, pilot)
        assert main_screen(app).browser.filter_input.value == "btc"
        assert main_screen(app).selection.query == "btc"
