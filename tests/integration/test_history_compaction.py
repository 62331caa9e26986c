"""Bounded history through the real data path: MarketData.compact_history on a real
SQLite file, and the dashboard compacting it once its first list shows."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from tests.integration.test_broken_db import read_only
from tests.support import NOW, dashboard, main_screen, polydash, until
from tui.cli import EXIT_DATABASE
from tui.config import HistoryConfig
from tui.models import PricePoint
from tui.services.market_data import MarketData
from tui.store import Store
from tui.store.retention import DAY_S, HOUR_S

NOW_S = int(NOW.timestamp())
TOKEN = "71321045679252212594626385532706912750332728571942532289631379312455583992563"
POLICY = HistoryConfig()  # the defaults: whole for 7 days, hourly to 90, daily before


def month_of_ticks() -> list[PricePoint]:
    """A point every 10 minutes for 30 days up to NOW."""
    return [PricePoint(TOKEN, t, round(t // 600 % 90 / 100, 2))
            for t in range(NOW_S - 30 * DAY_S, NOW_S + 1, 600)]


def older_than_a_week(points: list[PricePoint]) -> list[PricePoint]:
    return [p for p in points if p.t < NOW_S - 7 * DAY_S - HOUR_S]


async def test_market_data_thins_old_history_and_keeps_the_last_week(
        demo_data: MarketData) -> None:
    ticks = month_of_ticks()
    await demo_data.store.record_prices(ticks)
    deleted = await demo_data.compact_history(NOW, POLICY)
    kept = await demo_data.store.history(TOKEN)
    assert deleted == len(ticks) - len(kept) > 0
    old = older_than_a_week(kept)
    assert len({p.t // HOUR_S for p in old}) == len(old)  # one point an hour
    recent = [p for p in ticks if p.t >= NOW_S - 7 * DAY_S]
    assert kept[-len(recent):] == recent  # the last week whole


async def test_the_dashboard_compacts_the_stored_history(demo_data: MarketData) -> None:
    ticks = month_of_ticks()
    await demo_data.store.record_prices(ticks)
    app = dashboard(demo_data)
    stored: list[PricePoint] = ticks
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: main_screen(app).catalog.markets, "the list")

        async def compacted() -> bool:
            nonlocal stored
            stored = await demo_data.store.history(TOKEN)
            return len(stored) < len(ticks)

        for _ in range(200):  # a wait, not a timing assertion
            if await compacted():
                break
            await pilot.pause(0.05)
    assert len(stored) < len(ticks)
    old = older_than_a_week(stored)
    assert old and len({p.t // HOUR_S for p in old}) == len(old)


async def test_a_store_that_keeps_nothing_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "polydash.db"
    async with await Store.open(path) as store:
        await store.record_prices(month_of_ticks())
    with read_only(path, tmp_path):
        async with await Store.open(path) as store:
            assert store.read_only
            assert await store.compact_history(NOW, POLICY) == 0
            assert await store.history(TOKEN) == month_of_ticks()
    async with await Store.open(":memory:") as memory:
        await memory.record_prices(month_of_ticks())
        assert await memory.compact_history(NOW, POLICY) == 0
        assert await memory.history(TOKEN) == month_of_ticks()


def test_polydash_compact_thins_the_history_now(tmp_path: Path, no_config: Path) -> None:
    path = tmp_path / "polydash.db"
    now_s = int(time.time())
    ticks = [PricePoint(TOKEN, t, 0.5) for t in range(now_s - 30 * DAY_S, now_s, 600)]

    async def fill() -> None:
        async with await Store.open(path) as store:
            await store.record_prices(ticks)

    asyncio.run(fill())
    result = polydash("compact", "--offline", db=path, config=no_config)
    assert result.returncode == 0, result.stderr
    assert "price history compacted:" in result.stdout and "7 days kept" in result.stdout
    deleted = int(result.stdout.split("compacted: ")[1].split(" points")[0].replace(",", ""))

    async def count() -> int:
        async with await Store.open(path) as store:
            return len(await store.history(TOKEN))

    assert deleted > 0 and asyncio.run(count()) == len(ticks) - deleted


def test_polydash_compact_refuses_a_read_only_database(tmp_path: Path, no_config: Path) -> None:
    path = tmp_path / "polydash.db"

    async def create() -> None:
        async with await Store.open(path) as store:
            await store.record_prices(month_of_ticks())

    asyncio.run(create())
    with read_only(path, tmp_path):
        result = polydash("compact", "--offline", db=path, config=no_config)
    assert result.returncode == EXIT_DATABASE
    assert "read-only" in result.stderr and "Traceback" not in result.stderr
