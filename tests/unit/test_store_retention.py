"""Bounded price history: Store.compact_history and tui/store/retention.py."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tui.config import HistoryConfig
from tui.models import PricePoint
from tui.store import Store
from tui.store.retention import DAY_S, HOUR_S, zones

# 12:34:56 on a Sunday, so that no edge falls on a whole hour by luck.
NOW = datetime(2026, 11, 1, 12, 34, 56, tzinfo=UTC)
NOW_S = int(NOW.timestamp())
POLICY = HistoryConfig(full_days=7, hourly_days=90)
TOKEN_A = "71321045679252212594626385532706912750332728571942532289631379312455583992563"
TOKEN_B = "0052114319501245915516055106046884209969926127482827954674443846427813813222"


def ticks(token: str, start: int, end: int, every: int) -> list[PricePoint]:
    """A point every `every` seconds in [start, end), prices that differ point to point."""
    return [PricePoint(token, t, round((t // every) % 97 / 100, 2))
            for t in range(start, end, every)]


async def stored(store: Store, token: str) -> list[PricePoint]:
    return await store.history(token)


def newest_per_period(points: list[PricePoint], period: int) -> list[PricePoint]:
    last: dict[int, PricePoint] = {}
    for point in points:
        last[point.t // period] = point
    return sorted(last.values(), key=lambda p: p.t)


def test_zones_end_on_whole_hours_and_days_never_younger_than_the_policy() -> None:
    (hourly_start, full_end, hour), (_, daily_end, day) = zones(NOW_S, POLICY)
    assert (hour, day) == (HOUR_S, DAY_S)
    assert full_end % HOUR_S == 0 and NOW_S - 7 * DAY_S - HOUR_S < full_end <= NOW_S - 7 * DAY_S
    assert hourly_start % DAY_S == 0 and hourly_start <= NOW_S - 90 * DAY_S
    assert daily_end == hourly_start


def test_equal_ages_leave_no_hourly_zone() -> None:
    (hourly_start, full_end, _), _ = zones(NOW_S, HistoryConfig(full_days=7, hourly_days=7))
    assert hourly_start <= full_end and full_end - hourly_start < DAY_S


async def test_the_last_seven_days_are_kept_whole(store: Store) -> None:
    recent = ticks(TOKEN_A, NOW_S - 7 * DAY_S, NOW_S + 1, 60)  # the edge itself included
    await store.record_prices(recent)
    assert await store.compact_history(NOW, POLICY) == 0
    assert await stored(store, TOKEN_A) == recent


async def test_older_points_keep_the_last_of_each_hour_then_of_each_day(store: Store) -> None:
    (hourly_start, full_end, _), _ = zones(NOW_S, POLICY)
    old = ticks(TOKEN_A, NOW_S - 120 * DAY_S, full_end, 600)
    await store.record_prices(old)
    deleted = await store.compact_history(NOW, POLICY)
    kept = await stored(store, TOKEN_A)
    assert deleted == len(old) - len(kept) > 0
    assert kept == (newest_per_period([p for p in old if p.t < hourly_start], DAY_S)
                    + newest_per_period([p for p in old if p.t >= hourly_start], HOUR_S))
    assert NOW_S - 91 * DAY_S < hourly_start <= NOW_S - 90 * DAY_S


async def test_points_in_the_hour_before_the_edge_are_not_touched(store: Store) -> None:
    # The hour that holds now - 7 days is partly younger: it is left whole.
    edge = NOW_S - 7 * DAY_S
    straddling = ticks(TOKEN_A, edge - (edge % HOUR_S), edge + HOUR_S, 60)
    await store.record_prices(straddling)
    await store.compact_history(NOW, POLICY)
    assert await stored(store, TOKEN_A) == straddling


async def test_compacting_twice_deletes_nothing_more(store: Store) -> None:
    await store.record_prices(ticks(TOKEN_A, NOW_S - 100 * DAY_S, NOW_S, 900))
    assert await store.compact_history(NOW, POLICY) > 0
    once = await stored(store, TOKEN_A)
    assert await store.compact_history(NOW, POLICY) == 0
    assert await stored(store, TOKEN_A) == once


@pytest.mark.parametrize("per_transaction", [1, 50])
async def test_every_token_is_compacted_alone(store: Store, per_transaction: int) -> None:
    a = ticks(TOKEN_A, NOW_S - 30 * DAY_S, NOW_S, 1800)
    b = ticks(TOKEN_B, NOW_S - 30 * DAY_S, NOW_S, 900)
    await store.record_prices(a + b)
    await store.compact_history(NOW, POLICY, tokens_per_transaction=per_transaction)
    (_, full_end, _), _ = zones(NOW_S, POLICY)
    for token, points in ((TOKEN_A, a), (TOKEN_B, b)):
        expected = (newest_per_period([p for p in points if p.t < full_end], HOUR_S)
                    + [p for p in points if p.t >= full_end])
        assert await stored(store, token) == expected


async def test_hourly_sparkline_slices_draw_the_same_after_compaction(store: Store) -> None:
    # The sparkline reads the newest point of each slice: thinning keeps exactly those.
    await store.record_prices(ticks(TOKEN_A, NOW_S - 40 * DAY_S, NOW_S, 300))
    first_hour = (NOW_S - 40 * DAY_S) // HOUR_S * HOUR_S + HOUR_S
    starts = list(range(first_hour, NOW_S - 8 * DAY_S, 6 * HOUR_S))
    before = await store.last_in_slices([TOKEN_A], starts, 6 * HOUR_S)
    assert await store.compact_history(NOW, POLICY) > 0
    assert await store.last_in_slices([TOKEN_A], starts, 6 * HOUR_S) == before


async def test_new_points_are_recorded_after_compaction(store: Store) -> None:
    await store.record_prices(ticks(TOKEN_A, NOW_S - 20 * DAY_S, NOW_S, 3600))
    await store.compact_history(NOW, POLICY)
    assert await store.record_prices([PricePoint(TOKEN_A, NOW_S + 5, 0.5)]) == 1
    assert (await store.last_points([TOKEN_A], 1))[TOKEN_A] == [PricePoint(TOKEN_A, NOW_S + 5,
                                                                           0.5)]
