"""MarketData's start and end (issue 10): the HTTP clients (and httpx) are made when the
network is first needed, not when MarketData is; a market-list save whose caller is
cancelled (the user quits just after the first load) still finishes before close, and
close waits for it at most SAVE_ON_CLOSE_S."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakeapi import FakeApi
from tests.fakedata import make_markets
from tests.support import NOW, SleepLog
from tui.services import market_data as market_data_module
from tui.services.clob import ClobClient
from tui.services.gamma import GammaClient
from tui.services.http import DEFAULT_USER_AGENT, HttpClient
from tui.services.market_data import MarketData
from tui.store import Store

LAZY_CLIENTS_PROBE = """
import asyncio, sys
from tui.config import Config
from tui.services.market_data import MarketData
from tui.store import Store

def http_loaded():
    return 'httpx' in sys.modules

async def main():
    async with await Store.open(DB) as store:
        unused = await MarketData.create(Config(), store, demo=True)
        await unused.cached_markets()
        await unused.aclose()  # clients never made: nothing to close
        print('after-cache-and-close', http_loaded())
        data = await MarketData.create(Config(), store, demo=True)
        try:
            markets = await data.refresh_markets(limit=5)
            print('after-refresh', http_loaded(), len(markets) > 0)
        finally:
            await data.aclose()

asyncio.run(main())
"""


def test_the_http_stack_loads_when_the_network_is_first_needed(tmp_path: Path) -> None:
    code = f"DB = {str(tmp_path / 'polydash.db')!r}\n" + LAZY_CLIENTS_PROBE
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split("\n")[:2] == ["after-cache-and-close False",
                                             "after-refresh True True"]


def test_market_data_needs_its_clients_or_a_way_to_make_them(store: Store) -> None:
    with pytest.raises(TypeError):
        MarketData(store, demo=False, offline=False)


def over(store: Store, api: FakeApi, sleeps: SleepLog) -> MarketData:
    http = HttpClient(user_agent=DEFAULT_USER_AGENT, timeout_s=2.0, max_attempts=2,
                      sleep=sleeps)
    return MarketData(store, http, GammaClient(http, api.url), ClobClient(http, api.url),
                      demo=False, offline=False)


async def test_a_save_whose_caller_is_cancelled_finishes_before_close(
        store: Store, fake_api: FakeApi, sleeps: SleepLog) -> None:
    fake_api.set_market_count(90)
    data = over(store, fake_api, sleeps)
    try:
        ids = [m.id async for page in data.market_pages() for m in page]
        saving = asyncio.create_task(data.save_snapshot())
        await asyncio.sleep(0)  # the save has started: it awaits SQLite now
        saving.cancel()  # what quitting does to the App's "markets" worker
        with pytest.raises(asyncio.CancelledError):
            await saving
    finally:
        await data.aclose()
    saved, fetched_at = await store.load_markets()
    assert [m.id for m in saved] == ids and len(ids) == 90
    assert fetched_at is not None


async def test_close_waits_for_a_stuck_save_only_so_long(
        store: Store, fake_api: FakeApi, sleeps: SleepLog,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(market_data_module, "SAVE_ON_CLOSE_S", 0.05)
    started = asyncio.Event()

    async def never_done(*_: object) -> None:
        started.set()
        await asyncio.Event().wait()

    monkeypatch.setattr(store, "save_markets", never_done)
    data = over(store, fake_api, sleeps)
    data._unsaved = (make_markets(3), NOW)  # as a finished walk leaves it
    saving = asyncio.create_task(data.save_snapshot())
    await started.wait()
    saving.cancel()
    [save] = data._saving  # the shielded save goes on without its caller
    await data.aclose()  # returns although the save never ends: it is given up
    await asyncio.wait([save])
    assert save.cancelled()
    with pytest.raises(asyncio.CancelledError):
        await saving
