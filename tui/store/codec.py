"""Values to SQLite and back: times, text, JSON and the rows of markets and price points.

Pure functions, shared by tui/store/store.py and tui/store/news.py; no SQL runs here.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import msgspec

from tui.idle import no_cyclic_gc
from tui.market_json import market_from_dict, market_to_dict, shared_tag
from tui.models import Market, PricePoint

_SURROGATE = re.compile("[\ud800-\udfff]")


# ---------------------------------------------------------------- times and text


def stamp(moment: datetime) -> str:
    """Fixed-width UTC text, so that string order is time order in SQL."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # our code passes aware times; assume UTC
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def unstamp(text: str) -> datetime:
    return datetime.fromisoformat(text)


def stamp_or_none(moment: datetime | None) -> str | None:
    return stamp(moment) if moment is not None else None


def unstamp_or_none(text: str | None) -> datetime | None:
    """None for NULL and for '' (the default of columns added by a migration)."""
    return unstamp(text) if text else None


def storable(text: str) -> str:
    """`text` as SQLite can take it. SQLite stores UTF-8, and a lone surrogate (JSON
    "\\ud83d" without its pair) cannot be encoded: binding it would fail the whole
    batch, so it becomes U+FFFD."""
    return text if text.isascii() else _SURROGATE.sub("\ufffd", text)


def json_text(data: Mapping[str, Any]) -> str:
    # ensure_ascii: any text (lone surrogates included) stores and loads back equal.
    return json.dumps(dict(data), separators=(",", ":"), sort_keys=True)


# ---------------------------------------------------------------- markets


# msgspec encodes and decodes the Market dataclass itself, in C: about ten times the
# speed of market_to_dict + json (20,000 markets: 0.1 s against 1.1 s each way). The
# JSON has market_to_dict's field names, so rows written by either way load with either.
_ENCODER = msgspec.json.Encoder()
_DECODER = msgspec.json.Decoder(Market)


def market_json(market: Market) -> str:
    """The `markets.data` text of a market."""
    return _market_json_bytes(market).decode()


def _market_json_bytes(market: Market) -> bytes:
    try:
        return _ENCODER.encode(market)
    except UnicodeEncodeError:
        # A lone surrogate (JSON "\\ud83d" without its pair) has no UTF-8: the stdlib's
        # ASCII-only JSON stores it, and loads back equal.
        return json.dumps(market_to_dict(market), separators=(",", ":")).encode()


def digest(data: bytes) -> bytes:
    """The `markets.digest` of a `markets.data` value: equal digests, equal JSON. SHA-1
    is not for security here, only the fastest hashlib hash on common CPUs (twice
    BLAKE2b's speed); an accidental collision is out of reach."""
    return hashlib.sha1(data, usedforsecurity=False).digest()


def market_row(market: Market, position: int, fetched: str) -> tuple[Any, ...]:
    """The `markets` row of a market: the columns looked up, the JSON of all of it and
    the digest of that JSON."""
    data = _market_json_bytes(market)
    return (storable(market.id), storable(market.slug), position, fetched, data.decode(),
            digest(data))


def market_rows(markets: Sequence[Market], first: int, fetched: str) -> Iterator[tuple[Any, ...]]:
    """Rows at positions first, first + 1, ..."""
    # A generator: aiosqlite consumes it on its own thread, so the JSON encoding of
    # 20,000 markets does not hold up the event loop.
    for offset, market in enumerate(markets):
        yield market_row(market, first + offset, fetched)


@dataclass(frozen=True, slots=True)
class SnapshotChange:
    """What replacing a stored snapshot with a new one writes: a row that holds the
    same market (same id, same JSON) at the same position stays as it is, one that
    holds the same market changed is updated in place (its index entries stay)."""

    stale: list[int]  # positions of stored rows to delete
    updates: list[tuple[Any, ...]]  # (slug, fetched_at, data, digest, position)
    rows: list[tuple[Any, ...]]  # `markets` rows to insert
    everything: bool  # every stored row is stale


def snapshot_change(markets: Sequence[Market], stored: Iterable[Sequence[Any]],
                    fetched: str) -> SnapshotChange:
    """The change from `stored` (position, id, digest) rows to `markets` at positions
    0, 1, ... A refresh mostly brings the same markets in the same order: only the
    others are written, which saves writing most of 30 MB of JSON."""
    stored_rows = {int(position): (market_id, saved) for position, market_id, saved in stored}
    count = len(stored_rows)
    updates, rows = [], []
    with no_cyclic_gc():  # 20,000 new tuples and their JSON
        for position, market in enumerate(markets):
            row = market_row(market, position, fetched)
            before = stored_rows.get(position)
            if before is None or before[0] != row[0]:
                rows.append(row)
                continue
            del stored_rows[position]  # this position keeps its market
            if before[1] != row[-1]:
                _id, slug, _position, when, data, digest = row
                updates.append((slug, when, data, digest, position))
    # Everything left over is deleted.
    return SnapshotChange(sorted(stored_rows), updates, rows,
                          everything=len(stored_rows) == count)


def decode_market(data: str | bytes) -> Market:
    """The market of a `markets.data` value: text, or bytes (`CAST(data AS BLOB)` reads
    the stored UTF-8 as it is, without making a str that msgspec would encode again)."""
    try:
        market = _DECODER.decode(data)
    except msgspec.MsgspecError:
        # Rows msgspec does not take: escaped lone surrogates, or a shape written by
        # an older polydash. The careful way reads them all.
        return market_from_dict(json.loads(data))
    return _with_shared_tags(market)


def decode_markets(rows: Iterable[sqlite3.Row | tuple[Any, ...]]) -> list[Market]:
    """The markets of rows whose first column is `markets.data`."""
    with no_cyclic_gc():
        return [decode_market(row[0]) for row in rows]


def _with_shared_tags(market: Market) -> Market:
    """`market` with the shared Tag objects: thousands of markets carry the same few."""
    tags = market.tags
    if not tags:
        return market
    shared = tuple(shared_tag(t.id, t.slug, t.label) for t in tags)
    # The dataclass is frozen, and `replace` would run __init__ again: set the one field.
    object.__setattr__(market, "tags", shared)
    return market


# ---------------------------------------------------------------- price points


def point_rows(
    points: Sequence[PricePoint], keys: Mapping[str, int]
) -> Iterator[tuple[int, int, float]]:
    """(token_key, t, p) rows of `price_points`; `keys` maps token ids to token keys."""
    # Sorted by primary key, a batch fills each page once instead of jumping across
    # the table for every point: 2-3x the insert rate. A generator, so the sort runs
    # on aiosqlite's thread.
    rows = [(keys[p.token_id], int(p.t), p.p) for p in points]
    rows.sort()
    yield from rows
