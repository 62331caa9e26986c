"""Price-history rows for the Store: points keyed by a small integer per token.

`price_tokens` gives each token id a key once; `price_points` holds (token_key, t, p),
unique per (token, second). Only Store calls these, inside its own transactions (the
Store keeps the committed keys, so that a rolled-back key is never reused).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import aiosqlite

from tui.models import PricePoint
from tui.store.codec import point_rows

# SQLite allows at most 500 terms in a compound SELECT; stay well below it.
_LAST_POINTS_CHUNK = 200

_INSERT_TOKEN_KEY = "INSERT OR IGNORE INTO price_tokens (token_id) VALUES (?)"
# The token ids travel as one JSON array parameter: no SQL is built from data.
_TOKEN_KEYS = """
SELECT k.token_id, k.key FROM json_each(?) AS j JOIN price_tokens AS k ON k.token_id = j.value
"""
_INSERT_POINT = "INSERT OR IGNORE INTO price_points (token_key, t, p) VALUES (?, ?, ?)"
# A fixed text repeated once per token (never data): each term is one unique-index
# lookup and a short backwards scan of the primary key; UNION ALL makes them a
# single round trip to aiosqlite's thread instead of one per token. Rows carry the
# token's index in the request rather than its 77-character id: no string to build
# per row, and every point of a token shares the caller's string.
_LAST_POINTS_TERM = (
    "SELECT * FROM (SELECT ? AS i, h.t, h.p FROM price_tokens AS k"
    " JOIN price_points AS h ON h.token_key = k.key"
    " WHERE k.token_id = ? ORDER BY h.t DESC LIMIT ?)"
)
# The newest point of each time slice [start, start + width) of each token: per (token,
# slice) one backwards seek of the primary key, then one lookup of that point, so the
# cost does not grow with the points stored (a token with a tick per second has 600,000
# in a week). CROSS JOIN keeps that order: left to itself, SQLite scans every point of
# the token and runs the subquery for each. Parameters: token ids and slice starts as
# JSON arrays, the slice width.
SLICE_LASTS = """
SELECT tok.key, h.t, h.p
FROM json_each(?) AS tok
CROSS JOIN price_tokens AS k ON k.token_id = tok.value
CROSS JOIN json_each(?) AS s
CROSS JOIN price_points AS h ON h.token_key = k.key AND h.t = (
    SELECT x.t FROM price_points AS x
    WHERE x.token_key = k.key AND x.t >= s.value AND x.t < s.value + ?
    ORDER BY x.t DESC LIMIT 1)
ORDER BY tok.key, h.t
"""
HISTORY = """
SELECT h.t, h.p FROM price_tokens AS k JOIN price_points AS h ON h.token_key = k.key
WHERE k.token_id = ? AND h.t >= ? ORDER BY h.t
"""


async def keys_for(db: aiosqlite.Connection, tokens: set[str],
                   known: Mapping[str, int]) -> dict[str, int]:
    """price_tokens keys of `tokens`, creating the missing ones (inside a write);
    `known` holds keys already committed."""
    keys = {token: known[token] for token in tokens if token in known}
    missing = [token for token in tokens if token not in keys]
    if not missing:
        return keys
    await db.executemany(_INSERT_TOKEN_KEY, ((token,) for token in missing))
    keys.update(await db.execute_fetchall(_TOKEN_KEYS, (json.dumps(missing),)))
    return keys


async def insert(db: aiosqlite.Connection, points: Sequence[PricePoint],
                 keys: Mapping[str, int]) -> int:
    """Insert points whose (token, t) is not stored yet; returns how many were."""
    cursor = await db.executemany(_INSERT_POINT, point_rows(points, keys))
    # sqlite3 sums the changes of every executed row; ignored rows count 0.
    inserted = max(cursor.rowcount, 0)
    await cursor.close()
    return inserted


def last_points_queries(tokens: Sequence[str],
                        n: int) -> Iterator[tuple[Sequence[str], str, list[Any]]]:
    """(tokens, SQL, parameters) per chunk of `tokens` for `Store.last_points`: rows are
    (index in the chunk, t, p), each token's newest first."""
    for start in range(0, len(tokens), _LAST_POINTS_CHUNK):
        chunk = tokens[start:start + _LAST_POINTS_CHUNK]
        sql = " UNION ALL ".join([_LAST_POINTS_TERM] * len(chunk))
        params = [v for i, token in enumerate(chunk) for v in (i, token, n)]
        yield chunk, sql, params
