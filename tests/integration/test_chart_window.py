"""MarketData.chart over a real Store and the loopback fake CLOB: each range holds only
its own window, whatever the API and SQLite hold beyond it; "max" holds everything."""

from __future__ import annotations

from dataclasses import replace

from tests.fakeapi import FAKE_NOW, FakeApi, fake_token_id
from tests.fakedata import make_markets
from tests.support import SleepLog
from tui.models import Market, Outcome, PricePoint
from tui.services.clob import ClobClient
from tui.services.gamma import GammaClient
from tui.services.http import DEFAULT_USER_AGENT, HttpClient
from tui.services.market_data import RANGE_SECONDS, MarketData, in_window
from tui.store import Store

YES = fake_token_id(0, 0)
DAY = 86400
# The dashboard's clock runs 5 days after the API's last point: the API's week of
# history then reaches 12 days back from "now", as Polymarket's answers can.
LATER = FAKE_NOW + 5 * DAY


def yes_market() -> Market:
    return replace(make_markets()[10], outcomes=(Outcome("Yes", 0.5, YES),
                                                 Outcome("No", 0.5, fake_token_id(0, 1))))


async def test_each_range_is_trimmed_to_its_window(
        store: Store, fake_api: FakeApi, sleeps: SleepLog) -> None:
    old = PricePoint(YES, LATER - 40 * DAY + 1234, 0.2)  # stored long ago (a previous run)
    await store.record_prices([old])
    http = HttpClient(user_agent=DEFAULT_USER_AGENT, timeout_s=2.0, max_attempts=2,
                      sleep=sleeps)
    clob = ClobClient(http, fake_api.url, store, clock=lambda: LATER)
    data = MarketData(store, http, GammaClient(http, fake_api.url + "/"), clob, demo=False,
                      offline=False, clock=lambda: LATER)
    try:
        assert (await data.chart(yes_market(), "1d"))[YES] == []  # nothing in the last day
        for range_ in ("1w", "1m"):
            points = (await data.chart(yes_market(), range_))[YES]
            assert points, range_  # the API's points inside the window are kept
            assert points[0].t >= LATER - RANGE_SECONDS[range_], range_
            assert points[-1].t == FAKE_NOW
        everything = (await data.chart(yes_market(), "max"))[YES]
        assert old in everything  # "max": all of it, however old
    finally:
        await data.aclose()


def test_in_window_keeps_the_points_from_since_and_all_for_max() -> None:
    points = [PricePoint(YES, t, 0.5) for t in (100, 200, 300)]
    assert in_window(points, 200) == points[1:]
    assert in_window(points, 301) == []
    assert in_window(points, None) == points
