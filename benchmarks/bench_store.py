"""Store figures: snapshot save+load, history insert rate, "last 50 points of 50 tokens".

Prints figures only (no assertions on time). Usage:
    .venv/bin/python benchmarks/bench_store.py [--markets 20000] [--points 1000000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiosqlite

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from results import record

from tui.models import Market, Outcome, PricePoint, Tag
from tui.store import Store
from tui.view.columns import SPARK_CELLS
from tui.view.sparkline import SparkSlices

PointsByToken = dict[str, list[PricePoint]]
NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
TAGS = (Tag("2", "politics", "Politics"), Tag("21", "crypto", "Crypto"),
        Tag("1", "sports", "Sports"), Tag("107", "economy", "Economy"))


def token_id(rng: random.Random) -> str:
    """A 77-digit CLOB token id, as text."""
    return str(rng.randrange(10**76, 10**77))


def make_market(index: int, rng: random.Random) -> Market:
    yes = round(rng.random(), 3)
    event = f"event-{index // 5}"
    return Market(
        id=str(500_000 + index), slug=f"will-thing-{index}-happen",
        question=f"Will thing {index} happen?",
        condition_id=f"0x{rng.getrandbits(256):064x}", event_id=str(index // 5),
        event_slug=event, event_title=f"Event {index // 5}", group_title=f"Option {index % 5}",
        outcomes=(Outcome("Yes", yes, token_id(rng)),
                  Outcome("No", round(1 - yes, 3), token_id(rng))),
        volume_24h=rng.random() * 1e6, volume=rng.random() * 1e7, liquidity=rng.random() * 1e5,
        end_date=NOW + timedelta(days=rng.randrange(1, 400)), start_date=NOW - timedelta(days=30),
        created_at=NOW - timedelta(days=31), best_bid=yes - 0.01, best_ask=yes + 0.01,
        last_trade_price=yes, spread=0.02, change_24h=rng.uniform(-0.1, 0.1),
        change_1w=rng.uniform(-0.2, 0.2), description="Resolves YES if the thing happens. " * 12,
        tags=(rng.choice(TAGS),), tick_size=0.01, updated_at=NOW,
    )


def moved(market: Market, step: float) -> Market:
    """`market` after a trade: new prices and volume."""
    yes = round(min((market.outcomes[0].price or 0.0) + step, 1.0), 3)
    outcomes = (replace(market.outcomes[0], price=yes), replace(market.outcomes[1],
                                                                price=round(1 - yes, 3)))
    return replace(market, outcomes=outcomes, volume_24h=market.volume_24h + 10.0,
                   last_trade_price=yes)


class Clock:
    """Wall and CPU time (all threads: aiosqlite works on its own) of a block."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu

    def __str__(self) -> str:
        return f"{self.wall:.3f} s (CPU {self.cpu:.3f} s)"


async def bench_snapshot(store: Store, count: int) -> None:
    rng = random.Random(1)
    markets = [make_market(i, rng) for i in range(count)]
    with Clock() as save:
        await store.save_markets(markets, NOW)
    with Clock() as load:
        loaded, _ = await store.load_markets()
    assert loaded == markets  # a check of the result, not of the time
    with Clock() as same:  # the steady state: each refresh replaces the snapshot
        await store.save_markets(markets, NOW)
    # A refresh rewrites only the markets that changed or moved (Store.save_markets):
    # the same markets are its best case, every one changed its worst.
    tenth = [moved(m, 0.01) if i % 10 == 0 else m for i, m in enumerate(markets)]
    with Clock() as some:
        await store.save_markets(tenth, NOW)
    changed = [moved(m, 0.02) for m in markets]
    with Clock() as every:
        await store.save_markets(changed, NOW)
    print(f"save {count:,} markets (empty table): {save}")
    print(f"save {count:,} markets again, none changed: {same}")
    print(f"save {count:,} markets again, every tenth changed: {some}")
    print(f"save {count:,} markets again, every one changed: {every}")
    print(f"load {count:,} markets: {load}")
    print(f"save+load {count:,} markets: {save.wall + load.wall:.3f} s "
          f"(CPU {save.cpu + load.cpu:.3f} s)")
    goals = count == 20_000
    record(f"save {count:,} markets in SQLite (bench_store)",
           max(save.wall, same.wall, some.wall, every.wall), "s", 0.5 if goals else None,
           note="the slowest of a first save and replacements with none, a tenth and "
                "every market changed")
    record(f"load {count:,} markets from SQLite (bench_store)", load.wall, "s",
           0.3 if goals else None)


def interleaved(tokens: Sequence[str], per_token: int) -> list[PricePoint]:
    """By time, every token each minute: what a recorder of live prices writes."""
    rng = random.Random(2)
    start = int(NOW.timestamp()) - per_token * 60
    return [
        PricePoint(token, start + step * 60, round(rng.random(), 4))
        for step in range(per_token) for token in tokens
    ]


def per_token_runs(tokens: Sequence[str], per_token: int) -> list[PricePoint]:
    """Token after token: what /prices-history answers, one token at a time."""
    rng = random.Random(2)
    start = int(NOW.timestamp()) - per_token * 60
    return [
        PricePoint(token, start + step * 60, round(rng.random(), 4))
        for token in tokens for step in range(per_token)
    ]


async def bench_inserts(store: Store, points: list[PricePoint], label: str) -> None:
    batch = 100_000
    inserted = 0
    with Clock() as clock:
        for offset in range(0, len(points), batch):
            inserted += await store.record_prices(points[offset:offset + batch])
    print(f"history insert, {label}: {inserted:,} points in {clock} = "
          f"{inserted / clock.wall:,.0f} points/s (batches of {batch:,}, one transaction each)")


async def timings(run: Callable[[list[str]], Awaitable[object]],
                  tokens: Sequence[str], runs: int) -> tuple[float, float]:
    """Median wall and CPU ms of `run` on 50 random tokens, after a few warm-up calls."""
    rng = random.Random(3)
    walls, cpus = [], []
    for index in range(runs + 5):
        picked = rng.sample(list(tokens), 50)
        with Clock() as clock:
            await run(picked)
        if index >= 5:
            walls.append(clock.wall * 1000)
            cpus.append(clock.cpu * 1000)
    return statistics.median(walls), statistics.median(cpus)


async def bench_last_points(store: Store, path: Path, tokens: Sequence[str]) -> None:
    wall, cpu = await timings(lambda t: store.last_points(t, 50), tokens, 100)
    print(f"last 50 points of 50 tokens, Store.last_points (UNION ALL of per-token scans): "
          f"{wall:.2f} ms (CPU {cpu:.2f} ms), median of 100")
    async with aiosqlite.connect(path, isolation_level=None) as db:
        await db.execute("PRAGMA cache_size = -16384")  # as the Store's connection
        sample = list(tokens[:50])
        expected = await store.last_points(sample, 50)
        for name, query in (("one query per token", per_token_query),
                            ("ROW_NUMBER() window", window_query)):
            assert await query(db, sample) == expected, name  # same answer, or no contest
            wall, cpu = await timings(lambda t, q=query: q(db, t), tokens, 30)
            print(f"  alternative, {name}: {wall:.2f} ms (CPU {cpu:.2f} ms), median of 30")


async def bench_spark_slices(store: Store, tokens: Sequence[str]) -> None:
    """What a screenful of 7-day sparklines reads (MarketData.sparklines)."""
    slices = SparkSlices.ending_at(NOW.timestamp(), SPARK_CELLS)
    wall, cpu = await timings(
        lambda t: store.last_in_slices(t, slices.starts, slices.width_s), tokens, 100)
    print(f"7-day sparklines of 50 tokens, Store.last_in_slices ({SPARK_CELLS} slices, "
          f"a seek each): {wall:.2f} ms (CPU {cpu:.2f} ms), median of 100")


PER_TOKEN = """
SELECT h.t, h.p FROM price_tokens AS k JOIN price_points AS h ON h.token_key = k.key
WHERE k.token_id = ? ORDER BY h.t DESC LIMIT 50
"""
# Token ids as one JSON array parameter.
WINDOW = """
SELECT j.key, t, p FROM (
    SELECT h.token_key, h.t, h.p,
           ROW_NUMBER() OVER (PARTITION BY h.token_key ORDER BY h.t DESC) AS rn
    FROM price_points AS h
    WHERE h.token_key IN (SELECT k.key FROM json_each(?) AS j
                          JOIN price_tokens AS k ON k.token_id = j.value)
) AS w JOIN price_tokens AS k ON k.key = w.token_key
JOIN json_each(?) AS j ON j.value = k.token_id
WHERE rn <= 50 ORDER BY j.key, t
"""


async def per_token_query(db: aiosqlite.Connection, tokens: list[str]) -> PointsByToken:
    result = {}
    for token in tokens:
        rows = await db.execute_fetchall(PER_TOKEN, (token,))
        result[token] = [PricePoint(token, t, p) for t, p in reversed(list(rows))]
    return result


async def window_query(db: aiosqlite.Connection, tokens: list[str]) -> PointsByToken:
    result: PointsByToken = {token: [] for token in tokens}
    listed = json.dumps(tokens)
    for index, t, p in await db.execute_fetchall(WINDOW, (listed, listed)):
        token = tokens[index]
        result[token].append(PricePoint(token, t, p))
    return result


def count(args: argparse.Namespace) -> int:
    per_token = args.points // 2 // args.tokens
    return per_token * args.tokens + per_token * 10 * (args.tokens // 10)


def file_mb(path: Path) -> float:
    return path.stat().st_size / 1e6 if path.exists() else 0.0


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--markets", type=int, default=20_000)
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--tokens", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        async with await Store.open(path) as store:
            await bench_snapshot(store, args.markets)
            rng = random.Random(4)
            tokens = [token_id(rng) for _ in range(args.tokens)]
            # Half the points as live ticks, half as whole histories.
            per_token = args.points // 2 // len(tokens)
            await bench_inserts(store, interleaved(tokens, per_token), "live ticks interleaved")
            others = [token_id(rng) for _ in range(args.tokens // 10)]
            await bench_inserts(store, per_token_runs(others, per_token * 10),
                                "whole histories token by token")
            await bench_last_points(store, path, tokens)
            await bench_spark_slices(store, tokens)
        # Closed: the last connection checkpoints the WAL into the file and removes it.
        print(f"database file with {count(args):,} points and {args.markets:,} markets: "
              f"{file_mb(path):.0f} MB")


if __name__ == "__main__":
    asyncio.run(main())
