"""The wallet view and the saved wallets, on FakeData at 80×24 and 160×48: positions,
totals and activity; live repricing; the address prompt (a wrong address is a sentence,
not a request); saving, renaming and removing a wallet; failures; Esc back."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input

from tests.fakedata import WALLET_A, WALLET_B, FakeData, make_wallet
from tests.support import NOW, Recorder, main_screen, screen_text, settle, toasts
from tui.messages import PricesUpdated, WalletWanted
from tui.screens.main import MainScreen
from tui.screens.prompt import PromptScreen, address_from
from tui.screens.wallet import WalletScreen
from tui.screens.wallets import WalletsScreen
from tui.services.http import ApiHttpError
from tui.trader_models import AddressError, SavedWallet, short_address

SIZES = [(80, 24), (160, 48)]


async def open_wallet(app: Any, pilot: Any, address: str = WALLET_A, label: str = "") -> None:
    await settle(app, pilot)
    app.post_message(WalletWanted(address, label))
    await settle(app, pilot)


def row(text: str, needle: str) -> list[str]:
    return next(line for line in text.splitlines() if needle in line).split()


@pytest.mark.parametrize("size", SIZES)
async def test_positions_totals_and_activity(make_app: Any, data: FakeData,
                                             size: tuple[int, int]) -> None:
    app = make_app(data)
    async with app.run_test(size=size) as pilot:
        await open_wallet(app, pilot, label="whale.eth")
        assert isinstance(app.screen, WalletScreen)
        text = screen_text(app)
        assert "Wallet whale.eth" in text and WALLET_A in text
        # Totals: value, P&L in $ and % of the cost (80 + 70).
        assert "Value $170   P&L +$20 (+13.3%)   as of 0s ago · 2 positions" in text
        # shares, avg, now, value, P&L $, P&L %, outcome, market
        assert row(text, "rain in")[:7] == ["200", "40.0¢", "55.0¢", "$110", "+$30", "+37.5%",
                                          "Yes"]
        assert row(text, "Fed cuts")[:7] == ["100", "70.0¢", "60.0¢", "$60", "−$10",
                                             "−14.3%", "No"]
        # Activity: a redeem has no outcome, no side and no price: "—", never an index.
        assert row(text, "Old market?") == ["10:00:00", "Redeem", "—", "50.0", "$50", "—",
                                            "Old", "market?"]
        assert row(text, "11:57:00")[:4] == ["11:57:00", "Trade", "BUY", "40.0¢"]


async def test_live_prices_reprice_the_positions_and_totals(make_app: Any,
                                                            data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_wallet(app, pilot)
        app.deliver(PricesUpdated({"9000001": 0.8, "unrelated": 0.1}, NOW))
        await settle(app, pilot)
        text = screen_text(app)
        # 200 shares at 80¢: $160, +$80 on a cost of $80.
        assert row(text, "rain in")[:6] == ["200", "40.0¢", "80.0¢", "$160", "+$80", "+100.0%"]
        assert "Value $220   P&L +$70 (+46.7%)   as of 0s ago · 2 positions · 1 live" in text


async def test_w_asks_for_an_address_and_a_wrong_one_is_a_sentence(
        make_app: Any, data: FakeData, messages: Recorder[Any]) -> None:
    app = make_app(data)
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        await settle(app, pilot)
        await pilot.press("w")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, PromptScreen)
        await pilot.press(*"0x1234", "enter")
        await pilot.pause()
        assert app.screen is prompt  # still asking
        assert prompt.error == ("'0x1234' is not a wallet address: one is 0x followed by 40 "
                                "hex digits.")
        assert "is not a wallet address" in screen_text(app)
        assert not messages.of(WalletWanted)
        assert not [c for c in data.calls if c[0] == "wallet"]
        prompt.query_one(Input).value = f"  {WALLET_B.upper().replace('0X', '0x')}  "
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, WalletScreen)
        assert app.screen.address == WALLET_B  # lowercase, trimmed
        assert ("wallet", WALLET_B) in data.calls


def test_a_profile_link_is_an_address() -> None:
    assert address_from(f"https://polymarket.com/profile/{WALLET_A.upper()[2:].join(['0x', ''])}"
                        ) == WALLET_A
    with pytest.raises(AddressError):
        address_from("https://polymarket.com/@whale")


async def test_esc_goes_back_and_the_palette_opens_a_wallet(make_app: Any,
                                                            data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_wallet(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"open wallet")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is main_screen(app)


@pytest.mark.parametrize("size", SIZES)
async def test_s_saves_the_wallet_with_a_label(make_app: Any, data: FakeData,
                                               size: tuple[int, int]) -> None:
    app = make_app(data)
    async with app.run_test(size=size) as pilot:
        await open_wallet(app, pilot)
        assert "· unsaved" in screen_text(app)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*"Big  fish", "enter")
        await settle(app, pilot)
        assert data.saved[WALLET_A].label == "Big fish"
        assert isinstance(app.screen, WalletScreen)
        text = screen_text(app)
        assert "Wallet Big fish" in text and "· saved" in text
        assert "Saved wallet Big fish." in toasts(app)


async def test_a_label_too_long_is_refused_in_the_box(make_app: Any, data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_wallet(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one(Input).value = "x" * 41
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        assert "at most 40 characters" in app.screen.error
        assert not data.saved


@pytest.mark.parametrize("size", SIZES)
async def test_the_wallets_view_opens_renames_and_removes(make_app: Any, data: FakeData,
                                                          size: tuple[int, int]) -> None:
    data.saved = {WALLET_A: SavedWallet(WALLET_A, "whale", NOW),
                  WALLET_B: SavedWallet(WALLET_B, "[b]heron[/b]", NOW)}
    app = make_app(data)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("W")
        await settle(app, pilot)
        assert isinstance(app.screen, WalletsScreen)
        text = screen_text(app)
        assert "whale" in text and "[b]heron[/b]" in text  # labels shown literally
        await pilot.press("j", "e")
        await pilot.pause()
        field = app.screen.query_one(Input)
        assert field.value == "[b]heron[/b]"
        field.value = "heron"
        await pilot.press("enter")
        await settle(app, pilot)
        assert data.saved[WALLET_B].label == "heron"
        assert "heron" in screen_text(app) and "[b]" not in screen_text(app)
        await pilot.press("d")
        await settle(app, pilot)
        assert WALLET_B not in data.saved
        await pilot.press("enter")  # the cursor is on the one left
        await settle(app, pilot)
        assert isinstance(app.screen, WalletScreen) and app.screen.address == WALLET_A
        assert "Wallet whale" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WalletsScreen)


async def test_no_saved_wallet_says_how_to_save_one(make_app: Any, data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("W")
        await settle(app, pilot)
        assert "No saved wallets yet" in screen_text(app)


async def test_a_failed_wallet_says_why_and_r_tries_again(make_app: Any,
                                                          data: FakeData) -> None:
    data.failures["wallet"] = [ApiHttpError("data-api.polymarket.com",
                                            "data-api.polymarket.com answered 400", 400)]
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_wallet(app, pilot)
        text = screen_text(app)
        assert "Could not load the wallet: data-api.polymarket.com answered 400." in text
        assert "Press r to try again." in text
        await pilot.press("r")
        await settle(app, pilot)
        text = screen_text(app)
        assert "Could not load" not in text
        assert "Value $170" in text


async def test_hostile_wallet_text_is_literal(make_app: Any, data: FakeData) -> None:
    from dataclasses import replace

    from tui.sanitize import clean_text

    report = make_wallet(WALLET_A)
    evil = clean_text("[@click=app.quit]x [/b] \x1b[2J" + "T" * 3000, 5000)
    data.wallet_reports[WALLET_A] = replace(
        report, positions=tuple(replace(p, title=evil, outcome="[R]") for p in
                                report.positions))
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_wallet(app, pilot)
        text = screen_text(app)
        assert "[@click=app.q" in text and "[R]" in text  # cut to its column, literal
        assert all(len(line) <= 80 for line in text.splitlines())
        assert app.is_running


async def test_the_positions_are_priced_live_while_the_view_shows(make_app: Any,
                                                                  data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_wallet(app, pilot)
        assert app.market_feed.wallet_tokens == ("9000001", "9000003")
        assert {"9000001", "9000003"} <= set(app.market_feed.watched)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.market_feed.wallet_tokens == ()


async def test_wallets_opened_from_wallets_stack_up_and_unwind(make_app: Any,
                                                               data: FakeData) -> None:
    data.saved = {WALLET_A: SavedWallet(WALLET_A, "whale", NOW)}
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_wallet(app, pilot)
        for _ in range(2):  # wallet → saved wallets → the same wallet, twice over
            await pilot.press("W")
            await settle(app, pilot)
            await pilot.press("enter")
            await settle(app, pilot)
        assert isinstance(app.screen, WalletScreen)
        for _ in range(5):
            await pilot.press("escape")
            await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.is_running


@pytest.mark.parametrize(("width", "whole_address"), [(60, False), (80, False), (160, True)])
async def test_the_header_fits_its_width(make_app: Any, data: FakeData, width: int,
                                         whole_address: bool) -> None:
    label = "A label of exactly forty characters long"
    app = make_app(data)
    async with app.run_test(size=(width, 24)) as pilot:
        await open_wallet(app, pilot, label=label)
        head = screen_text(app).splitlines()[0].rstrip()
        # The address (whole when it fits) and the state are never cut: a label is.
        address = WALLET_A if whole_address else short_address(WALLET_A)
        assert head.endswith(f"  {address} · unsaved")
        assert head.startswith(" Wallet A label")
        assert (label in head) is (width >= 80)


@pytest.mark.parametrize("size", SIZES)
async def test_enter_on_a_position_opens_its_market_in_the_dashboard(
        make_app: Any, data: FakeData, size: tuple[int, int]) -> None:
    app = make_app(data)
    async with app.run_test(size=size) as pilot:
        await open_wallet(app, pilot)
        await pilot.press("j", "enter")  # the second position: token 9000003, market 1001
        await settle(app, pilot)
        main = main_screen(app)
        assert app.screen is main
        assert main.market_list.cursor_market.id == "1001"
        assert main.side.market is not None and main.side.market.id == "1001"
        assert main.detail_visible


async def test_a_position_not_in_the_list_says_so_in_one_line(make_app: Any,
                                                              data: FakeData) -> None:
    from dataclasses import replace

    report = make_wallet(WALLET_A)
    data.wallet_reports[WALLET_A] = replace(report, positions=tuple(
        replace(p, token_id="777", condition_id="0xgone") for p in report.positions))
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_wallet(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, WalletScreen)
        assert toasts(app)[-1] == ("Not in the dashboard's list (closed, or not loaded): "
                                   "Will it rain in Paris?")
