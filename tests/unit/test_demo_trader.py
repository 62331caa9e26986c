"""Demo trader data: deterministic under a frozen clock, fresh as time moves, and shaped
like the real Data API (it goes through the real client and parser)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from tui.config import default_config
from tui.demo.trader import DEMO_WALLETS
from tui.demo.transport import DemoTransport
from tui.models import Market
from tui.services.data_api import AddressRejected
from tui.services.market_data import MarketData
from tui.store import Store

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


async def demo_data(now: datetime) -> MarketData:
    store = await Store.open(":memory:")
    return await MarketData.create(default_config(), store, demo=True,
                                   transport=DemoTransport(n_markets=60, now=now))


@pytest.fixture
async def data() -> AsyncIterator[MarketData]:
    source = await demo_data(NOW)
    yield source
    await source.aclose()
    await source.store.close()


async def first_market(data: MarketData) -> Market:
    return (await data.refresh_markets(limit=5))[0]


async def test_trades_are_deterministic_and_newest_first(data: MarketData) -> None:
    market = await first_market(data)
    trades = await data.trades(market, 40)
    assert len(trades) == 40
    assert [t.time for t in trades] == sorted((t.time for t in trades), reverse=True)
    assert all(t.time <= NOW and t.condition_id == market.condition_id for t in trades)
    assert {t.outcome for t in trades} <= {o.name for o in market.outcomes}
    assert all(0 < t.price < 1 and t.size > 0 for t in trades)
    again = await demo_data(NOW)
    try:
        assert await again.trades(await first_market(again), 40) == trades
    finally:
        await again.aclose()
        await again.store.close()


async def test_later_the_tape_has_new_trades() -> None:
    early, late = await demo_data(NOW), await demo_data(NOW + timedelta(minutes=2))
    try:
        market = await first_market(early)
        before = await early.trades(market, 20)
        after = await late.trades(market, 20)
        assert after[0].time > before[0].time
        assert {t.key for t in before} & {t.key for t in after}  # the older ones remain
    finally:
        for source in (early, late):
            await source.aclose()
            await source.store.close()


async def test_holders_open_interest_and_comments(data: MarketData) -> None:
    market = await first_market(data)
    groups = await data.holders(market)
    assert [g.outcome for g in groups] == [o.name for o in market.outcomes]
    assert all(g.holders and g.total > 0 for g in groups)
    assert (await data.open_interest(market) or 0) > 0
    comments = [c for m in await data.refresh_markets(limit=5) for c in await data.comments(m)]
    assert any("\n" in c.body for c in comments)
    assert any(c.parent_id for c in comments) and any(c.likes for c in comments)
    first = await data.comments(market, 40)
    assert [c.time for c in first] == sorted((c.time for c in first if c.time), reverse=True)


async def test_two_demo_wallets_with_positions_and_a_redeem(data: MarketData) -> None:
    assert len(DEMO_WALLETS) == 2
    for address, _label in DEMO_WALLETS:
        report = await data.wallet(address)
        assert report.positions and report.value == pytest.approx(report.positions_value)
        redeems = [a for a in report.activity if a.type == "REDEEM"]
        assert redeems and redeems[0].outcome is None and redeems[0].price is None
        assert any(a.side == "BUY" for a in report.activity)


async def test_the_demo_refuses_a_bad_address(data: MarketData) -> None:
    with pytest.raises(AddressRejected):
        await data.wallet("0x1234")


async def test_the_facade_offline_and_without_a_condition(data: MarketData) -> None:
    from dataclasses import replace

    from tui.services.market_data import OfflineError

    market = replace(await first_market(data), condition_id="", event_id="")
    assert await data.trades(market) == [] and await data.holders(market) == []
    assert await data.open_interest(market) is None and await data.comments(market) == []
    data.offline = True
    for call in (data.trades(market), data.holders(market), data.open_interest(market),
                 data.comments(market), data.wallet(DEMO_WALLETS[0][0])):
        with pytest.raises(OfflineError):
            await call
    saved = await data.save_wallet(f" {DEMO_WALLETS[0][0].upper().replace('0X', '0x')} ",
                                   "a\x1b[31m label")
    assert saved.address == DEMO_WALLETS[0][0] and saved.label == "a label"
    assert [w.address for w in await data.saved_wallets()] == [DEMO_WALLETS[0][0]]
