"""News rows for the Store (schema V2): save matched headlines, read them newest first.

A headline is one `news` row (unique URL, or the same normalized title from another
provider); `news_markets` links it to each market it matched, or to '' for general
news. Only Store calls these, inside its own transactions.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import aiosqlite

from tui.models import Headline, title_key
from tui.store.codec import stamp, stamp_or_none, storable, unstamp_or_none

GENERAL = ""  # news_markets.market_id of general news

_FIND_URL = "SELECT id FROM news WHERE url = ?"
_FIND_TITLE = "SELECT id FROM news WHERE title_key = ? ORDER BY id LIMIT 1"
_INSERT = """
INSERT INTO news (url, title, publisher, published_at, provider, market_id, first_seen, read,
                  summary, score, title_key, sort_at)
VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)
"""
# Known story: fill what it lacked. Every right-hand side reads the old row.
_UPDATE = """
UPDATE news SET summary = CASE WHEN summary = '' THEN ? ELSE summary END,
                published_at = COALESCE(published_at, ?),
                sort_at = COALESCE(published_at, ?, sort_at),
                market_id = COALESCE(market_id, ?),
                score = MAX(score, ?)
WHERE id = ?
"""
_LINK = """
INSERT INTO news_markets (market_id, news_id, score) VALUES (?, ?, ?)
ON CONFLICT (market_id, news_id) DO UPDATE SET score = excluded.score
"""
_FOR_MARKET = """
SELECT n.url, n.title, n.publisher, n.published_at, n.provider, m.market_id, n.first_seen,
       n.read, n.summary, m.score
FROM news_markets AS m JOIN news AS n ON n.id = m.news_id
WHERE m.market_id = ? ORDER BY n.sort_at DESC, n.id DESC LIMIT ?
"""
# General news and news of favorites. MAX(m.score) with bare columns: SQLite takes the
# other m.* values from the row with the highest score.
_GENERAL = """
SELECT n.url, n.title, n.publisher, n.published_at, n.provider, m.market_id, n.first_seen,
       n.read, n.summary, MAX(m.score)
FROM news_markets AS m JOIN news AS n ON n.id = m.news_id
WHERE m.market_id = '' OR m.market_id IN (SELECT market_id FROM favorites)
GROUP BY n.id ORDER BY n.sort_at DESC, n.id DESC LIMIT ?
"""


async def save(db: aiosqlite.Connection, headlines: Sequence[Headline],
               market_id: str | None, seen_at: datetime) -> int:
    """Insert new stories, update known ones, link each to its market; returns how many
    stories were new."""
    seen = stamp(seen_at)
    new = 0
    for headline in headlines:
        key = title_key(headline.title)
        news_id = await _find(db, storable(headline.url), key)
        published = stamp_or_none(headline.published_at)
        first_seen = stamp_or_none(headline.first_seen) or seen
        if news_id is None:
            cursor = await db.execute(_INSERT, (
                storable(headline.url), storable(headline.title), storable(headline.publisher),
                published, storable(headline.provider), headline.market_id, first_seen,
                storable(headline.summary), headline.score, key, published or first_seen))
            news_id = int(cursor.lastrowid or 0)
            await cursor.close()
            new += 1
        else:
            await db.execute(_UPDATE, (storable(headline.summary), published, published,
                                       headline.market_id, headline.score, news_id))
        link = market_id if market_id is not None else (headline.market_id or GENERAL)
        await db.execute(_LINK, (storable(link), news_id, headline.score))
    return new


async def _find(db: aiosqlite.Connection, url: str, key: str) -> int | None:
    rows = list(await db.execute_fetchall(_FIND_URL, (url,)))
    if not rows and key:
        rows = list(await db.execute_fetchall(_FIND_TITLE, (key,)))
    return int(rows[0][0]) if rows else None


def recent_query(market_id: str | None, limit: int) -> tuple[str, tuple[Any, ...]]:
    """SQL and parameters for `Store.recent_headlines`."""
    if market_id is None:
        return _GENERAL, (max(int(limit), 0),)
    return _FOR_MARKET, (market_id, max(int(limit), 0))


def headline_of(row: Sequence[Any]) -> Headline:
    return Headline(
        title=row[1], url=row[0], publisher=row[2],
        published_at=unstamp_or_none(row[3]), provider=row[4],
        market_id=row[5] or None, first_seen=unstamp_or_none(row[6]),
        read=bool(row[7]), summary=row[8], score=float(row[9] or 0.0),
    )
