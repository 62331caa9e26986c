"""Bounded price history: recent points at full resolution, older ones thinned.

A token with a tick a second gains 600,000 points a week, so history kept whole grows
without end. The policy (config [history]) keeps every point for `full_days`; from there
to `hourly_days` the last point of each UTC hour per token, and before that the last
point of each UTC day. The last point of a period is what a chart or a sparkline of that
period draws (tui/store/prices.py SLICE_LASTS reads the newest point of each slice), so
thinning changes no picture drawn at that resolution.

Each zone's edges are whole hours or days (older than the age, never younger), so a
period is thinned whole or not at all, and thinning again deletes nothing more: a run
after a crash or a second process's run is harmless. The Store runs it a few tokens per
transaction, so live prices keep being recorded in between.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol

import aiosqlite

HOUR_S = 3_600
DAY_S = 86_400
# Below any stored time; t / DAY_S of it still fits in 64 bits.
_BEGINNING = -(2**62)

# Per (token, zone): delete every point of the zone but the newest of its period.
# Both terms seek the primary key (token_key, t); the subquery runs once per statement.
_THIN = """
DELETE FROM price_points
WHERE token_key = :key AND t >= :start AND t < :end AND t NOT IN (
    SELECT MAX(t) FROM price_points
    WHERE token_key = :key AND t >= :start AND t < :end
    GROUP BY t / :period)
"""
TOKEN_KEYS = "SELECT key FROM price_tokens ORDER BY key"


class RetentionPolicy(Protocol):
    """What the compaction reads of the config (tui.config.HistoryConfig is one)."""

    @property
    def full_days(self) -> float: ...

    @property
    def hourly_days(self) -> float: ...


def zones(now_s: float, policy: RetentionPolicy) -> tuple[tuple[int, int, int], ...]:
    """(start, end, period) of each zone to thin, oldest last: [start, end) keeps the
    newest point of each `period` seconds. Nothing at or after `now - full_days` is in
    any zone."""
    full_end = math.floor((now_s - policy.full_days * DAY_S) / HOUR_S) * HOUR_S
    hourly_start = math.floor((now_s - policy.hourly_days * DAY_S) / DAY_S) * DAY_S
    hourly_start = min(hourly_start, full_end)
    return ((hourly_start, full_end, HOUR_S), (_BEGINNING, hourly_start, DAY_S))


async def thin(db: aiosqlite.Connection, token_keys: Sequence[int],
               zone_list: Sequence[tuple[int, int, int]]) -> int:
    """Thin the history of `token_keys` (inside the caller's write transaction);
    returns how many points were deleted."""
    rows = [{"key": key, "start": start, "end": end, "period": period}
            for key in token_keys for start, end, period in zone_list if start < end]
    if not rows:
        return 0
    cursor = await db.executemany(_THIN, rows)
    deleted = max(cursor.rowcount, 0)
    await cursor.close()
    return deleted
