"""The real HttpClient, DataApi and GammaClient.comments against tests/fakeapi.py: the
recorded Data API payloads and hostile ones, a 400 for a bad address, 429 Retry-After,
and the per-route rate limits. Sleeps are injected (SleepLog): nothing waits."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from tests.fakeapi import FakeApi, Fault
from tests.fakeapi_trader import (
    HOLDERS_MARKET,
    HOSTILE_WALLET,
    NOISY_PRICE,
    OI_MARKET,
    TRADES_MARKET,
    WALLET,
)
from tests.support import SleepLog
from tui.models import Outcome
from tui.services.data_api import AddressRejected, DataApi
from tui.services.gamma import GammaClient
from tui.services.http import DEFAULT_USER_AGENT, ApiBadPayload, ApiRateLimited, HttpClient
from tui.trader_models import NAME_MAX_LEN

HOLDER_YES = "101676997363687199724245607342877036148401850938023978421879460310389391082353"
HOLDER_NO = "4153292802911610701832309484716814274802943278345248636922528170020319407796"


@pytest.fixture
def data(http: HttpClient, fake_api: FakeApi) -> DataApi:
    return DataApi(http, fake_api.data_url + "/")


@pytest.fixture(autouse=True)
def _fake_handlers_did_not_crash(fake_api: FakeApi) -> Iterator[None]:
    yield
    assert fake_api.errors == []


def assert_inert(text: str) -> None:
    """Nothing a terminal would act on is left: no ESC, BEL, C1 or bidi control."""
    assert not any(ord(c) < 0x20 and c != "\n" or 0x7F <= ord(c) < 0xA0 for c in text), text
    assert not any(0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069 for c in text)


# ---------------------------------------------------------------- trades


async def test_trades_ask_for_the_market_taker_side_only(data: DataApi,
                                                         fake_api: FakeApi) -> None:
    await data.trades(TRADES_MARKET, limit=30)
    [request] = fake_api.requests_to("/trades")
    assert request.arg("market") == TRADES_MARKET
    assert request.arg("limit") == "30" and request.arg("takerOnly") == "true"


async def test_recorded_trades_parse_with_names_and_addresses(data: DataApi) -> None:
    trades = await data.trades(TRADES_MARKET)
    first, second = trades[:2]
    assert first.trader.wallet == "0x0f3433d8b7596000bf1046aa822308d93cf67684"
    assert first.trader.name == "" and first.trader.label == "0x0f34…7684"
    assert second.trader.label == "NYC-NO.1-Jungle-FanYang"
    assert (first.side, first.outcome, first.price, first.size) == ("BUY", "Yes", 0.765, 15.0)
    assert first.token_id.startswith("1104746018") and len(first.token_id) == 78
    assert first.time.isoformat() == "2026-07-02T16:08:47+00:00"


async def test_hostile_trade_rows_are_inert_and_bad_numbers_skipped(
        data: DataApi, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="polydash.data"):
        trades = await data.trades(TRADES_MARKET)
    # 2 recorded + 4 hostile kept; price 1.5, size -4 and "NaN" skipped and logged.
    assert len(trades) == 6
    assert len([r for r in caplog.records if r.name == "polydash.data"]) == 3
    markup, default, long, escaped = trades[2:]
    assert markup.trader.name == "[bold red]pwn[/] [@click=app.quit]x[/]"  # kept literally
    assert markup.price == NOISY_PRICE  # the API's number, unrounded
    assert default.trader.name == "" and default.trader.wallet == "0x" + "d" * 40
    assert len(long.trader.name) == NAME_MAX_LEN
    assert escaped.trader.name == "click redevil"
    for trade in trades:
        assert_inert(trade.trader.label)


# ---------------------------------------------------------------- holders and OI


async def test_holders_grouped_by_outcome_with_hidden_and_default_names(
        data: DataApi, fake_api: FakeApi) -> None:
    outcomes = (Outcome("Yes", 0.6, HOLDER_YES), Outcome("No", 0.4, HOLDER_NO))
    groups = await data.holders(HOLDERS_MARKET, outcomes)
    assert fake_api.requests_to("/holders")[0].arg("limit") == "20"
    assert [(g.outcome, g.token_id) for g in groups] == [("Yes", HOLDER_YES), ("No", HOLDER_NO)]
    yes = groups[0]
    amounts = [h.amount for h in yes.holders]
    assert amounts == sorted(amounts, reverse=True)
    assert len(yes.holders) == 6  # 5 recorded + the 3,000-character name; Infinity skipped
    labels = {h.trader.label for g in groups for h in g.holders}
    assert "siick" in labels
    assert not any(label.startswith("0x") and "-" in label for label in labels)  # default names
    assert all(len(label) <= NAME_MAX_LEN for label in labels)


async def test_open_interest_of_the_market(data: DataApi) -> None:
    assert await data.open_interest(OI_MARKET) == 21870.138673
    assert await data.open_interest("0x" + "0" * 64) is None


# ---------------------------------------------------------------- wallets


async def test_wallet_report_from_positions_activity_and_value(data: DataApi,
                                                               fake_api: FakeApi) -> None:
    report = await data.wallet(WALLET)
    assert report.address == WALLET and report.value == 517349.941
    assert len(report.positions) == 5
    first = report.positions[0]
    assert (first.outcome, first.cur_price, first.end_date, first.redeemable) == (
        "Over", 1.0, "2026-03-29", True)
    assert first.pnl == pytest.approx(222138.83166944998)
    redeems = [a for a in report.activity if a.type == "REDEEM"]
    assert len(redeems) == 5
    assert all(a.outcome is None and a.side is None and a.price is None and a.token_id == ""
               for a in redeems)
    noisy = [a for a in report.activity if a.price == NOISY_PRICE]
    assert noisy and noisy[0].outcome == "Timberwolves"
    hostile = [a for a in report.activity if "click" in a.title]
    assert hostile and hostile[0].title == "click redevil"
    positions = fake_api.requests_to("/positions")[0]
    assert positions.arg("user") == WALLET and positions.arg("sizeThreshold") == "1"


async def test_a_refused_address_is_a_sentence(data: DataApi) -> None:
    with pytest.raises(AddressRejected) as caught:
        await data.positions("0xnot-an-address")
    assert "does not accept 0xnot-an-address as a wallet address" in str(caught.value)
    assert caught.value.status == 400


async def test_429_retry_after_is_honoured_on_the_data_api(
        data: DataApi, fake_api: FakeApi, sleeps: SleepLog) -> None:
    fake_api.inject("/trades", Fault.RATE_LIMIT, times=1, retry_after="4")
    trades = await data.trades(TRADES_MARKET)
    assert trades and 4.0 in sleeps.delays
    assert fake_api.hits("/trades") == 2


async def test_429_without_end_reaches_the_caller(data: DataApi, fake_api: FakeApi) -> None:
    fake_api.inject("/activity", Fault.RATE_LIMIT, retry_after="9")
    with pytest.raises(ApiRateLimited) as caught:
        await data.activity(HOSTILE_WALLET)
    assert caught.value.retry_after == 9.0


async def test_a_wrong_shape_is_a_bad_payload(data: DataApi, fake_api: FakeApi) -> None:
    fake_api.trader.value = {"user": WALLET}  # type: ignore[assignment]
    assert await data.value(WALLET) is None
    fake_api.trader.positions = {"oops": 1}  # type: ignore[assignment]
    with pytest.raises(ApiBadPayload, match="unexpected reply to /positions"):
        await data.positions(WALLET)


# ---------------------------------------------------------------- rate limits


async def test_trades_have_their_own_rate_limit(sleeps: SleepLog, fake_api: FakeApi) -> None:
    """/trades is limited below the host's general rate: a burst past it waits."""
    host = "127.0.0.1"
    limits = {host: 1000.0, f"{host}/trades": 1.0}
    async with HttpClient(user_agent=DEFAULT_USER_AGENT, rate_limits=limits,
                          sleep=sleeps) as http:
        data = DataApi(http, fake_api.data_url)
        for _ in range(8):
            await data.open_interest(OI_MARKET)
        oi_waits = len([d for d in sleeps.delays if d > 0.5])
        for limit in range(1, 9):  # distinct queries: no cache hits
            await data.trades(TRADES_MARKET, limit=limit)
    assert oi_waits == 0
    assert len([d for d in sleeps.delays if d > 0.5]) >= 2


# ---------------------------------------------------------------- Gamma comments


async def test_comments_of_an_event_newest_first_and_inert(
        http: HttpClient, fake_api: FakeApi) -> None:
    gamma = GammaClient(http, fake_api.gamma_url)
    comments = await gamma.comments("18396", limit=10)
    [request] = fake_api.requests_to("/comments")
    assert request.arg("parent_entity_type") == "Event"
    assert request.arg("parent_entity_id") == "18396" and request.arg("limit") == "10"
    assert "order" not in request.query
    hostile, hidden, recorded = comments
    assert hostile.body.split("\n") == [
        "line one [bold red]pwn[/] [@click=app.quit]x[/]", "line two click redevil", "",
        "line three"]
    assert hostile.likes == 7 and len(hostile.author.label) == NAME_MAX_LEN
    assert hidden.author.name == "" and hidden.author.label == "Adored-Disparity"
    assert len(hidden.body) == 2000 and hidden.parent_id is None and hidden.likes == 0
    assert recorded.author.label == "salted.caramel" and recorded.parent_id == "1763325"
    for comment in comments:
        assert_inert(comment.body)


async def test_a_market_without_an_event_has_no_comments(http: HttpClient,
                                                         fake_api: FakeApi) -> None:
    assert await GammaClient(http, fake_api.gamma_url).comments("") == []
    assert fake_api.hits("/comments") == 0
