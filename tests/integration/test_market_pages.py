"""MarketData.market_pages against the loopback fake Gamma (issue 10): the events'
keyset pages come one at a time, as Gamma sends them; nothing is saved until
save_snapshot, which saves the whole walk once; the first screenful is read alone."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from tests.fakeapi import FakeApi, Request, Response, error_response
from tests.support import SleepLog
from tui.services.clob import ClobClient
from tui.services.gamma import MAX_PAGE_SIZE, GammaClient
from tui.services.http import DEFAULT_USER_AGENT, ApiError, HttpClient
from tui.services.market_data import MarketData
from tui.store import Store

PER_EVENT = 3


@asynccontextmanager
async def market_data(store: Store, api: FakeApi, sleeps: SleepLog
                      ) -> AsyncIterator[MarketData]:
    http = HttpClient(user_agent=DEFAULT_USER_AGENT, timeout_s=2.0, max_attempts=2,
                      sleep=sleeps)
    data = MarketData(store, http, GammaClient(http, api.url), ClobClient(http, api.url),
                      demo=False, offline=False)
    try:
        yield data
    finally:
        await data.aclose()


async def test_pages_arrive_one_at_a_time_and_are_saved_after(
        store: Store, fake_api: FakeApi, sleeps: SleepLog) -> None:
    markets = 2 * MAX_PAGE_SIZE * PER_EVENT + 30  # two full pages of events and a bit
    fake_api.set_market_count(markets)
    async with market_data(store, fake_api, sleeps) as data:
        pages = data.market_pages()
        first = await anext(pages)
        # One request so far: the first page is in hand before the second is asked for.
        assert fake_api.hits("/events/keyset") == 1
        assert len(first) == MAX_PAGE_SIZE * PER_EVENT
        rest = [page async for page in pages]
        assert [len(page) for page in rest] == [MAX_PAGE_SIZE * PER_EVENT, 30]
        ids = [m.id for page in (first, *rest) for m in page]
        assert len(ids) == len(set(ids)) == markets
        assert (await store.load_markets())[0] == []  # not saved during the walk

        await data.save_snapshot()
        saved, fetched_at = await store.load_markets()
        assert [m.id for m in saved] == ids and fetched_at is not None
        await data.save_snapshot()  # saved already: nothing more happens
        first_screen, _ = await data.cached_markets(10)
        assert [m.id for m in first_screen] == ids[:10]


async def test_a_walk_that_stops_early_saves_nothing(
        store: Store, fake_api: FakeApi, sleeps: SleepLog) -> None:
    fake_api.set_market_count(2 * MAX_PAGE_SIZE * PER_EVENT)
    async with market_data(store, fake_api, sleeps) as data:
        pages = data.market_pages()
        await anext(pages)
        await pages.aclose()  # a refresh replaced this load
        await data.save_snapshot()
        assert (await store.load_markets())[0] == []


async def test_a_page_that_arrived_before_a_failure_is_still_handed_on(
        store: Store, fake_api: FakeApi, sleeps: SleepLog) -> None:
    fake_api.set_market_count(4 * MAX_PAGE_SIZE * PER_EVENT)
    events_page = fake_api._events_keyset  # the fake's own answer, until the third

    def third_fails(request: Request) -> Response:
        if fake_api.hits("/events/keyset") >= 3:
            return error_response(400, "bad cursor")  # not retried
        return events_page(request)

    fake_api.route("GET", "/events/keyset", third_fails)
    async with market_data(store, fake_api, sleeps) as data:
        got: list[int] = []
        with pytest.raises(ApiError):
            async for page in data.market_pages():
                got.append(len(page))
        assert got == [MAX_PAGE_SIZE * PER_EVENT] * 2
