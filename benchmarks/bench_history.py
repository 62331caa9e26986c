"""Bounded price history: the database after a month of ticks, and query times.

Two parts (figures only, no assertions on time):
1. A simulated month of live ticks on 500 tokens (one per token every --tick-s seconds,
   written in batches as the recorder does) into a fresh database; its size, then
   Store.compact_history with the default policy (config [history]: every point for 7
   days, one per hour per token after) and the size again: the pages in use, and the
   file after VACUUM (SQLite reuses freed pages rather than shrinking the file).
2. 1,000,000 points (500 tokens, a point every 5 minutes): the sparkline query of a
   screenful (50 tokens, 7 days) and the chart query of one token (7 days, and all).

Run: .venv/bin/python benchmarks/bench_history.py [--tick-s 600] [--tokens 500]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from results import record

from tui.config import HistoryConfig
from tui.models import PricePoint
from tui.store import Store
from tui.view.columns import SPARK_CELLS
from tui.view.sparkline import SparkSlices

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
NOW_S = int(NOW.timestamp())
DAY_S = 86_400
BATCH = 100_000


def token_ids(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [str(rng.randrange(10**76, 10**77)) for _ in range(count)]


async def record_ticks(store: Store, tokens: list[str], start: int, end: int,
                       every: int) -> int:
    """A random walk per token, a point every `every` seconds, oldest first, in batches."""
    rng = random.Random(5)
    prices = dict.fromkeys(tokens, 0.5)
    batch: list[PricePoint] = []
    written = 0
    for t in range(start, end, every):
        for token in tokens:
            price = min(0.99, max(0.01, prices[token] + rng.uniform(-0.01, 0.01)))
            prices[token] = price
            batch.append(PricePoint(token, t, round(price, 4)))
        if len(batch) >= BATCH:
            written += await store.record_prices(batch)
            batch = []
    return written + await store.record_prices(batch)


def sizes(path: Path) -> tuple[float, float]:
    """(MB of pages in use, MB of the file), after a checkpoint of the WAL."""
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = db.execute("PRAGMA page_size").fetchone()[0]
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        free = db.execute("PRAGMA freelist_count").fetchone()[0]
    finally:
        db.close()
    return (pages - free) * page / 1e6, path.stat().st_size / 1e6


def vacuumed_mb(path: Path) -> float:
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("VACUUM")
    finally:
        db.close()
    return path.stat().st_size / 1e6


async def month_of_ticks(folder: Path, tokens: int, tick_s: int) -> None:
    path = folder / "month.db"
    policy = HistoryConfig()
    async with await Store.open(path) as store:
        started = time.perf_counter()
        points = await record_ticks(store, token_ids(tokens, 1), NOW_S - 30 * DAY_S, NOW_S,
                                    tick_s)
        print(f"a month of ticks on {tokens} tokens, one every {tick_s} s: {points:,} points "
              f"written in {time.perf_counter() - started:.1f} s")
    before, _ = sizes(path)
    async with await Store.open(path) as store:
        started = time.perf_counter()
        deleted = await store.compact_history(NOW, policy)
        took = time.perf_counter() - started
    after, file_mb = sizes(path)
    print(f"compaction ({policy.full_days:g} days whole, then hourly): {deleted:,} points "
          f"deleted in {took:.1f} s; {points - deleted:,} kept")
    record("price history after a month of ticks on 500 tokens, before compaction",
           before, "MB", note=f"{points:,} points, a tick per token every {tick_s} s")
    record("price history after a month of ticks on 500 tokens, after compaction",
           after, "MB", note=f"pages in use; the file stays {file_mb:.0f} MB until "
           f"VACUUM ({vacuumed_mb(path):.0f} MB after it), its free pages are reused")
    per_token_year = 7 * DAY_S // tick_s + (90 - 7) * 24 + (365 - 90)
    print(f"  bound: at most {per_token_year:,} points per token after a year of such ticks "
          f"(without compaction: {365 * DAY_S // tick_s:,})")


async def median_ms(run: Callable[[], Awaitable[object]], runs: int = 50) -> float:
    for _ in range(5):
        await run()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        await run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


async def million_points(folder: Path, tokens: int) -> None:
    path = folder / "million.db"
    ids = token_ids(tokens, 2)
    per_token = 1_000_000 // tokens
    async with await Store.open(path) as store:
        await record_ticks(store, ids, NOW_S - per_token * 300, NOW_S, 300)
    async with await Store.open(path) as store:  # a cold cache, as after a start
        rng = random.Random(3)
        slices = SparkSlices.ending_at(NOW_S, SPARK_CELLS)
        spark = await median_ms(lambda: store.last_in_slices(
            rng.sample(ids, 50), slices.starts, slices.width_s))
        week = await median_ms(lambda: store.history(rng.choice(ids), NOW_S - 7 * DAY_S))
        whole = await median_ms(lambda: store.history(rng.choice(ids)))
    record("sparklines of 50 tokens (7 days) with 1,000,000 points stored", spark, "ms", 16.0,
           note="Store.last_in_slices, median of 50; goal: within one frame")
    record("chart of one token (7 days) with 1,000,000 points stored", week, "ms", 16.0,
           note="Store.history since 7 days, median of 50")
    print(f"  chart of one token, all {per_token:,} points: {whole:.2f} ms (median of 50)")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tick-s", type=int, default=600)
    parser.add_argument("--tokens", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        await month_of_ticks(Path(folder), args.tokens, args.tick_s)
        await million_points(Path(folder), args.tokens)


if __name__ == "__main__":
    asyncio.run(main())
