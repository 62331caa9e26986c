"""MarketData fills a 24h change Gamma left out from the price stored a day ago, and
leaves it unknown (None) when no stored price is near enough; SQLite keeps what the API
sent."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.support import NOW
from tui.models import Market, Outcome, PricePoint
from tui.services.clob import ClobClient
from tui.services.gamma import GammaClient
from tui.services.http import HttpClient
from tui.services.market_data import DAY_AGO_TOLERANCE_S, DAY_SECONDS, MarketData
from tui.store import Store

NOW_S = int(NOW.timestamp())
DAY_AGO = NOW_S - DAY_SECONDS


def market(token: str, price: float, change: float | None) -> Market:
    return Market(id=token, slug=token, question=f"Will {token} happen?", change_24h=change,
                  outcomes=(Outcome("Yes", price, token), Outcome("No", 1 - price, f"{token}-no")))


@pytest.fixture
async def offline_data(store: Store) -> AsyncIterator[MarketData]:
    """MarketData over SQLite only, its clock at NOW (no request is ever made)."""
    http = HttpClient(user_agent="test")
    data = MarketData(store, http, GammaClient(http, "https://gamma.invalid"),
                      ClobClient(http, "https://clob.invalid"), demo=False, offline=True,
                      clock=lambda: float(NOW_S))
    try:
        yield data
    finally:
        await data.aclose()


async def test_a_missing_change_comes_from_the_price_stored_a_day_ago(
        store: Store, offline_data: MarketData) -> None:
    await store.save_markets([
        market("filled", 0.50, None),  # no change from Gamma, history a day back
        market("flat", 0.30, None),  # no change from Gamma, the same price a day ago
        market("given", 0.70, 0.02),  # Gamma's change is kept
        market("young", 0.40, None),  # history only from 20 hours ago: stays unknown
        market("bare", 0.60, None),  # nothing stored: stays unknown
    ], NOW)
    await store.record_prices([
        PricePoint("filled", DAY_AGO - 2 * 3600, 0.30),
        PricePoint("filled", DAY_AGO + 3600, 0.42),  # the newest within the tolerance
        PricePoint("filled", NOW_S - 3600, 0.48),
        PricePoint("flat", DAY_AGO, 0.30),
        PricePoint("given", DAY_AGO, 0.10),
        PricePoint("young", NOW_S - 20 * 3600, 0.35),
        PricePoint("young", DAY_AGO - DAY_AGO_TOLERANCE_S - 1, 0.10),  # too old to count
    ])
    markets, _ = await offline_data.cached_markets()
    changes = {m.id: m.change_24h for m in markets}
    assert changes == {"filled": pytest.approx(0.08), "flat": 0.0, "given": 0.02,
                       "young": None, "bare": None}


async def test_refreshed_markets_are_filled_but_saved_as_the_api_sent_them(
        store: Store, demo_data: MarketData) -> None:
    first = await demo_data.refresh_markets(limit=200)
    missing = [m for m in first if m.change_24h is None and m.outcomes]
    assert missing, "the demo leaves some 24h changes out, as Gamma does"
    day_ago = NOW_S - DAY_SECONDS  # demo_data runs on the same frozen clock as the demo
    await store.record_prices([PricePoint(m.outcomes[0].token_id, day_ago, 0.5)
                               for m in missing])
    refreshed = {m.id: m for m in await demo_data.refresh_markets(limit=200)}
    for old in missing:
        new = refreshed[old.id]
        price = new.outcomes[0].price
        assert price is not None and new.change_24h == pytest.approx(price - 0.5)
    saved, _ = await store.load_markets()
    assert all(m.change_24h is None for m in saved if m.id in {o.id for o in missing})
