"""MarketData.sparklines over a real Store and the loopback fake CLOB: one value per
14-hour slice of the week, live ticks only in the last cell, the same line after a
restart, a week fetched only for tokens whose stored points leave a slice empty."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from tests.fakeapi import FAKE_NOW, FakeApi, fake_token_id
from tests.support import SleepLog
from tui.models import PricePoint
from tui.services.clob import ClobClient
from tui.services.gamma import GammaClient
from tui.services.http import DEFAULT_USER_AGENT, HttpClient
from tui.services.market_data import MarketData
from tui.store import Store
from tui.view.sparkline import SparkSlices

YES = fake_token_id(0, 0)
OTHER = fake_token_id(1, 0)
SLICES = SparkSlices.ending_at(FAKE_NOW, 12)


@asynccontextmanager
async def market_data(store: Store, api: FakeApi, sleeps: SleepLog, *, now: int,
                      offline: bool = False) -> AsyncIterator[MarketData]:
    """The real MarketData on `store` and the fake API, its clocks at `now`."""
    http = HttpClient(user_agent=DEFAULT_USER_AGENT, timeout_s=2.0, max_attempts=2,
                      sleep=sleeps)
    clob = ClobClient(http, api.url, store, clock=lambda: now)
    data = MarketData(store, http, GammaClient(http, api.url + "/"), clob, demo=False,
                      offline=offline, clock=lambda: now)
    try:
        yield data
    finally:
        await data.aclose()


def ticks(token: str, first: int, count: int, price: float) -> list[PricePoint]:
    """What the websocket records: a tick a second."""
    return [PricePoint(token, first + i, price) for i in range(count)]


def history_asked_for(api: FakeApi) -> list[str | None]:
    return [request.arg("market") for request in api.requests_to("/prices-history")]


async def test_live_ticks_then_a_restart_change_only_the_last_cell(
        tmp_path: Path, fake_api: FakeApi, sleeps: SleepLog) -> None:
    path = tmp_path / "polydash.db"
    async with await Store.open(path) as store:
        async with market_data(store, fake_api, sleeps, now=FAKE_NOW) as data:
            before = (await data.sparklines([YES]))[YES]
        assert len(before) == 12  # a week fetched: every 14-hour slice has a value
        assert [r.arg("interval") for r in fake_api.requests_to("/prices-history")] == ["1w"]
        # Two minutes of live prices, recorded the way the stream records them.
        await store.record_prices(ticks(YES, FAKE_NOW + 1, 120, 0.97))
    async with await Store.open(path) as store:  # the next start
        async with market_data(store, fake_api, sleeps, now=FAKE_NOW + 180) as data:
            after = (await data.sparklines([YES]))[YES]
    assert after[:-1] == before[:-1]
    assert after[-1] == 0.97
    assert history_asked_for(fake_api) == [YES]  # the stored week was enough


async def test_only_tokens_with_an_empty_slice_fetch_the_week(
        store: Store, fake_api: FakeApi, sleeps: SleepLog) -> None:
    week = [PricePoint(OTHER, start + 60, 0.4) for start in SLICES.starts]
    await store.record_prices(week)
    # Plenty of points, all in the last minute: not a week.
    await store.record_prices(ticks(YES, FAKE_NOW + 1, 60, 0.97))
    async with market_data(store, fake_api, sleeps, now=FAKE_NOW + 60) as data:
        lines = await data.sparklines([YES, OTHER, YES])
    assert history_asked_for(fake_api) == [YES]
    assert lines[OTHER] == [0.4] * 12
    assert len(lines[YES]) == 12 and lines[YES][-1] == 0.97  # the ticks are newer


async def test_offline_draws_what_is_stored_blank_before_it_flat_across_gaps(
        store: Store, fake_api: FakeApi, sleeps: SleepLog) -> None:
    starts = SLICES.starts
    await store.record_prices([PricePoint(YES, starts[2], 0.2), PricePoint(YES, starts[3], 0.3),
                               PricePoint(YES, starts[7], 0.7), PricePoint(YES, FAKE_NOW, 0.8)])
    async with market_data(store, fake_api, sleeps, now=FAKE_NOW, offline=True) as data:
        lines = await data.sparklines([YES, OTHER])
    assert lines == {YES: [0.2, 0.3, 0.3, 0.3, 0.3, 0.7, 0.7, 0.7, 0.7, 0.8], OTHER: []}
    assert fake_api.requests == []
