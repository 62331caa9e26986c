"""The side column's trader panes (trades tape, top holders, comments) and the detail's
open interest, on FakeData at 80×24 and 160×48: the keys, the rows, "N new" without
moving the cursor, loading/empty/failed/offline states, refresh timers that stop with
the pane, and hostile names."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from tests.fakedata import TRADERS, WALLET_A, WALLET_B, FakeData, make_markets, make_trades
from tests.support import (
    NOW,
    Recorder,
    assert_inert,
    main_screen,
    screen_text,
    settle,
    widget_text,
)
from tui.messages import TraderPaneWanted, WalletWanted
from tui.sanitize import clean_text
from tui.screens.wallet import WalletScreen
from tui.services.http import ApiHttpError
from tui.trader_models import Comment, Trader
from tui.widgets.detail import MIN_CHART_ROWS
from tui.widgets.trader_list import TraderList
from tui.widgets.trader_panes import PANE_KEYS_HINT, SHORT_KEYS_HINT, TraderPane

SIZES = [(80, 24), (160, 48)]


def pane(app: Any, kind: str) -> TraderPane:
    return main_screen(app).side.trader_pane(kind)  # type: ignore[arg-type]


def pane_text(app: Any, kind: str) -> str:
    """The pane's header line, then its list's lines."""
    shown = pane(app, kind)
    return "\n".join(widget_text(part) for part in shown.children)


async def show(app: Any, pilot: Any, key: str) -> None:
    await settle(app, pilot)
    await pilot.press(key)
    await settle(app, pilot)


@pytest.mark.parametrize("size", SIZES)
async def test_t_shows_the_tape_with_side_price_size_usd_and_trader(
        make_app: Any, data: FakeData, size: tuple[int, int]) -> None:
    app = make_app(data)
    async with app.run_test(size=size) as pilot:
        await show(app, pilot, "T")
        text = screen_text(app)
        market = main_screen(app).side.market
        assert market is not None
        trades = make_trades(market)
        first = next(line for line in text.splitlines() if "12:00:00" in line)
        # time, side as a word, price in cents, shares, USD, outcome, trader label
        assert first.split()[-7:] == ["12:00:00", "SELL", "30.0¢", "10.0", "$3", "Yes",
                                      "whale.eth"]
        assert "Trades" in text and "0s ago" in text
        assert "BUY" in text and "Quiet-Heron" in text and "0xc3c3…c3c3" in text
        assert len(pane(app, "trades").list.items) == len(trades)
        assert main_screen(app).focused is pane(app, "trades").list  # j/k move in it
        assert not main_screen(app).side.news.display


@pytest.mark.parametrize("size", SIZES)
async def test_h_shows_holders_per_outcome_with_their_share(
        make_app: Any, data: FakeData, size: tuple[int, int]) -> None:
    app = make_app(data)
    async with app.run_test(size=size) as pilot:
        await show(app, pilot, "H")
        text = pane_text(app, "holders")
        assert "Top holders" in text
        lines = text.splitlines()
        yes = next(i for i, line in enumerate(lines) if line.split()[:1] == ["Yes"])
        assert "3 shown hold 9.2K shares" in lines[yes]
        assert lines[yes + 1].split() == ["1.", "whale.eth", "5.0K", "54.5%"]
        assert lines[yes + 3].split()[-1] == "18.2%"
        # The cursor skips the outcome's heading: it rests on the first holder.
        assert pane(app, "holders").list.cursor_item.holder.trader.wallet == WALLET_A


@pytest.mark.parametrize("size", SIZES)
async def test_c_shows_comments_newest_first_with_wrapped_bodies(
        make_app: Any, data: FakeData, size: tuple[int, int]) -> None:
    long_body = " ".join(f"word{n}" for n in range(60))
    data.comment_rows = [
        Comment("9", NOW - timedelta(minutes=2), TRADERS[1], long_body, 7),
        Comment("8", NOW - timedelta(hours=3), TRADERS[0], "first line\nsecond line", 0,
                parent_id="1"),
    ]
    app = make_app(data)
    async with app.run_test(size=size) as pilot:
        await show(app, pilot, "C")
        text = pane_text(app, "comments")
        lines = text.splitlines()
        assert "Quiet-Heron  2m · ♥ 7" in text
        assert "↳ whale.eth  3h · ♥ 0" in text
        assert text.index("Quiet-Heron") < text.index("whale.eth")  # newest first
        # Every word of the long body is on screen, over several lines (it wraps).
        body = [line for line in lines if "word" in line]
        assert len(body) > 1
        assert " ".join(" ".join(body).split()) == long_body
        # A body's own lines stay lines (below the first comment at 80×24).
        comments = pane(app, "comments").list
        assert [line.text for line in comments.lines if line.item == 1] == [
            "", "first line", "second line"]
        # j moves from comment to comment, not through their body lines.
        await pilot.press("j")
        await pilot.pause()
        assert comments.cursor_item is not None and comments.cursor_item.id == "8"


async def test_n_brings_the_news_back_and_the_refresh_timer_stops(
        make_app: Any, data: FakeData, messages: Recorder[Any]) -> None:
    app = make_app(data)
    async with app.run_test(size=(160, 48), message_hook=messages.append) as pilot:
        await show(app, pilot, "T")
        assert "trades" in app._refresh_timers  # the tape refreshes every few seconds
        await show(app, pilot, "N")
        assert "trades" not in app._refresh_timers
        assert main_screen(app).side.news.display
        assert pane(app, "trades").has_class("-hidden")
        assert messages.of(TraderPaneWanted)[-1] == TraderPaneWanted(None, None)
        calls = len([c for c in data.calls if c[0] == "trades"])
        app.trader_feed.refresh()  # a late timer finds no pane to refresh
        await settle(app, pilot)
        assert len([c for c in data.calls if c[0] == "trades"]) == calls


async def test_the_pane_follows_the_selected_market(make_app: Any, data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(160, 48)) as pilot:
        await show(app, pilot, "T")
        first = main_screen(app).side.market
        main_screen(app).market_list.focus()
        await pilot.press("j")
        await settle(app, pilot)
        second = main_screen(app).side.market
        assert first is not None and second is not None and first.id != second.id
        assert pane(app, "trades").market_id == second.id
        assert data.calls[-1][:2] == ("trades", second.id) or \
            ("trades", second.id, 50) in data.calls


async def test_closing_the_detail_at_80_columns_stops_the_refreshes(make_app: Any,
                                                                    data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await show(app, pilot, "T")  # opens the detail over the list, with the tape
        assert main_screen(app).panes.detail_open
        assert "trades" in app._refresh_timers
        await pilot.press("escape")
        await settle(app, pilot)
        assert not main_screen(app).panes.detail_open
        assert "trades" not in app._refresh_timers


async def test_new_trades_are_counted_and_neither_the_cursor_nor_the_rows_move(
        make_app: Any, data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await show(app, pilot, "T")
        tape = pane(app, "trades").list
        await pilot.press("j", "j")
        await pilot.pause()
        under_cursor = tape.cursor_item
        rows_before = [line for line in pane_text(app, "trades").splitlines()[2:]]
        market = main_screen(app).side.market
        assert market is not None
        older = make_trades(market)
        newer = [replace(older[0], time=NOW + timedelta(seconds=s), tx=f"0xnew{s}")
                 for s in (3, 6)]
        data.trade_rows = [*newer, *older]
        app.trader_feed.refresh()  # what the 5-second timer does
        await settle(app, pilot)
        assert tape.cursor_item == under_cursor
        assert pane_text(app, "trades").splitlines()[2:] == rows_before
        assert "2 new ▲" in pane_text(app, "trades")
        await pilot.press("g")  # to the top: the new trades are seen
        await pilot.pause()
        assert pane(app, "trades").new_count == 0
        assert not re.search(r"\d new", pane_text(app, "trades").splitlines()[0])
        assert "12:00:06" in pane_text(app, "trades")


async def test_states_loading_empty_and_failed(make_app: Any, data: FakeData) -> None:
    data.trade_rows = []
    data.failures["holders"] = [ApiHttpError("data-api.polymarket.com",
                                             "data-api.polymarket.com answered 400", 400)]
    app = make_app(data)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        side = main_screen(app).side
        market = side.market
        assert market is not None
        await side.mount_trader_pane("trades")  # the first T mounts it
        pane(app, "trades").start(market.id, NOW)  # what showing it does, before rows
        assert pane(app, "trades").list.empty_message == "Loading trades…"
        assert "loading…" in pane(app, "trades").header_content().plain
        await show(app, pilot, "T")
        assert "No trades for this market yet." in pane_text(app, "trades")
        await show(app, pilot, "H")
        text = pane_text(app, "holders")
        # The sentence in the list's place (cut to the pane; ! shows all of it).
        assert "Could not load the market's top holders: data-api" in text
        assert pane(app, "holders").failure == ("Could not load the market's top holders: "
                                                "data-api.polymarket.com answered 400.")
        assert "refresh failed (! for why)" in text
        # The next beat of the timer tries again; success clears the failure.
        app.trader_feed.refresh()
        await settle(app, pilot)
        assert "refresh failed" not in pane_text(app, "holders")
        assert "whale.eth" in pane_text(app, "holders")


async def test_offline_panes_say_so_and_fetch_nothing(make_app: Any) -> None:
    data = FakeData(make_markets(), offline=True)
    app = make_app(data)
    async with app.run_test(size=(160, 48)) as pilot:
        await show(app, pilot, "T")
        assert "Offline (--offline): no trades without the network." in \
            pane_text(app, "trades")
        assert not [c for c in data.calls if c[0] in ("trades", "open_interest")]


async def test_panes_need_a_market(make_app: Any) -> None:
    app = make_app(FakeData([]))
    async with app.run_test(size=(80, 24)) as pilot:
        await show(app, pilot, "T")
        assert "Select a market first." in "\n".join(n.message for n in app._notifications)


@pytest.mark.parametrize("size", SIZES)
async def test_open_interest_shows_beside_volume_and_liquidity(
        make_app: Any, data: FakeData, size: tuple[int, int]) -> None:
    app = make_app(data)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        money = widget_text(main_screen(app).side.detail.query_one("#detail-money"))
        assert "Liquidity" in money
        assert "Open interest $123.5K" in money.splitlines()[-1]


@pytest.mark.parametrize("key", ["T", "H", "C"])
async def test_enter_on_a_trader_opens_their_wallet(make_app: Any, data: FakeData,
                                                    messages: Recorder[Any],
                                                    key: str) -> None:
    app = make_app(data)
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        await show(app, pilot, key)
        await pilot.press("enter")
        await settle(app, pilot)
        assert messages.of(WalletWanted)[-1].address == WALLET_A
        assert isinstance(app.screen, WalletScreen)
        assert ("wallet", WALLET_A) in data.calls


MARKUP = "[@click=app.quit]x [/b] [link=https://evil.example]y[/link]"
ESCAPES = "\x1b]2;pwned\x07\x1b[2J\u202eevil"


async def test_hostile_names_show_literally_and_a_huge_one_keeps_its_row(
        make_app: Any, data: FakeData) -> None:
    huge = clean_text("W" * 3000, 5000)
    evil = Trader("0x" + "d4" * 20, clean_text(f"{MARKUP} {ESCAPES}"), "")
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        market = main_screen(app).side.market or main_screen(app).market_list.cursor_market
        assert market is not None
        base = make_trades(market)
        data.trade_rows = [replace(base[0], trader=evil, outcome=clean_text(MARKUP)),
                           replace(base[1], trader=Trader("0x" + "e5" * 20, huge))]
        data.comment_rows = [Comment("1", NOW, evil, clean_text(f"{MARKUP}\n{ESCAPES}",
                                                                multiline=True), 1)]
        await show(app, pilot, "T")
        text = screen_text(app)
        assert_inert(text, newlines=True)
        assert "[@click=app.quit]x [/b]" in text
        tape = [line for line in pane_text(app, "trades").splitlines() if "¢" in line]
        assert len(tape) == 2  # one line each, the huge name cut to its column
        assert tape[1].rstrip().endswith("W…")
        assert len(tape[1]) <= 80
        await show(app, pilot, "C")
        text = screen_text(app)
        assert_inert(text, newlines=True)
        assert "[link=https://evil.example]y[/link]" in text
        await pilot.click(TraderList, offset=(10, 0))
        await pilot.pause()
        assert app.is_running


async def test_help_and_palette_name_the_pane_keys(make_app: Any, data: FakeData) -> None:
    from textual.widgets import Static

    from tui.screens.help import HelpScreen

    app = make_app(data)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text", Static).content)
        for binding_id in ("pane-trades", "pane-holders", "pane-comments", "pane-news",
                           "wallet-open", "wallets-view", "trader.open"):
            assert f"[keys] {binding_id}" in text, binding_id
        await pilot.press("escape", "ctrl+p")
        await pilot.pause()
        await pilot.press(*"top holders")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        assert not pane(app, "holders").has_class("-hidden")
        assert "whale.eth" in pane_text(app, "holders")


async def test_a_hidden_pane_failure_is_no_longer_a_problem(make_app: Any,
                                                             data: FakeData) -> None:
    data.failures["trades"] = [ApiHttpError("data-api.polymarket.com",
                                            "data-api.polymarket.com answered 400", 400)]
    app = make_app(data)
    async with app.run_test(size=(160, 48)) as pilot:
        await show(app, pilot, "T")
        assert app.freshness.issue("trades") is not None
        assert "trades failing" in screen_text(app)  # the status line's few words
        await show(app, pilot, "N")
        assert app.freshness.issue("trades") is None


def chart_tabs_on_screen(app: Any) -> bool:
    return " 1H   6H   1D " in screen_text(app)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_a_short_detail_hides_the_chart_for_the_pane_and_n_brings_it_back(
        make_app: Any, data: FakeData, size: tuple[int, int]) -> None:
    app = make_app(data)
    async with app.run_test(size=size) as pilot:
        await show(app, pilot, "T")
        detail = main_screen(app).side.detail
        market = detail.market
        assert market is not None
        # Decided by the rows the lines would get, not by the terminal's size.
        assert detail.chart_folded and detail.chart_rows() < MIN_CHART_ROWS
        text = screen_text(app)
        assert not chart_tabs_on_screen(app) and "Make the window larger" not in text
        assert "Chart hidden · N: news and chart" in text
        # What the user came for stays: the question and every outcome's price.
        assert market.question[:40] in text
        for outcome in market.outcomes:
            assert re.search(rf"{outcome.price * 100:.1f}¢ .*{outcome.name}", text)
        for _ in range(3):  # Tab goes round the panes on screen, never to the hidden chart
            await pilot.press("tab")
            assert main_screen(app).focused is not detail.chart
        await show(app, pilot, "N")
        assert not detail.chart_folded and chart_tabs_on_screen(app)
        assert "Chart hidden" not in screen_text(app)


async def test_the_chart_comes_back_when_the_window_grows(make_app: Any,
                                                          data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await show(app, pilot, "H")
        detail = main_screen(app).side.detail
        assert detail.chart_folded
        await pilot.resize_terminal(160, 48)
        await settle(app, pilot)
        assert not detail.chart_folded and chart_tabs_on_screen(app)


async def test_a_tall_detail_keeps_its_chart_beside_the_pane(make_app: Any,
                                                             data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(160, 48)) as pilot:
        await show(app, pilot, "T")
        detail = main_screen(app).side.detail
        assert not detail.chart_folded and chart_tabs_on_screen(app)
        assert detail.chart_rows() >= MIN_CHART_ROWS
        # The rows are counted at the height the stylesheet gives the chart.
        assert detail._chart_height(detail.size) == detail.chart.size.height


async def test_enter_opens_the_wallet_of_the_holder_under_the_cursor(
        make_app: Any, data: FakeData, messages: Recorder[Any]) -> None:
    app = make_app(data)
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        await show(app, pilot, "H")
        assert "0s ago" in pane_text(app, "holders").splitlines()[0]  # how fresh
        await pilot.press("j")
        await settle(app, pilot)
        holder = pane(app, "holders").list.cursor_item.holder
        assert holder is not None and holder.trader.wallet == WALLET_B
        await pilot.press("enter")
        await settle(app, pilot)
        assert messages.of(WalletWanted)[-1].address == WALLET_B
        assert isinstance(app.screen, WalletScreen) and app.screen.address == WALLET_B


@pytest.mark.parametrize(("size", "hint"), [
    # 160 columns: the side column is 42% of them, narrower than the 80-column detail.
    ((60, 20), SHORT_KEYS_HINT), ((80, 24), PANE_KEYS_HINT), ((160, 48), SHORT_KEYS_HINT)])
async def test_the_pane_header_names_the_keys_it_has_room_for(
        make_app: Any, data: FakeData, size: tuple[int, int], hint: str) -> None:
    app = make_app(data)
    async with app.run_test(size=size) as pilot:
        await show(app, pilot, "C")
        header = pane_text(app, "comments").splitlines()[0].rstrip()
        assert header.endswith(f"0s ago   {hint}")  # whole, never cut
