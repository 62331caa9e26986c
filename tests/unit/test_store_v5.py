"""Schema v5 drops the market_tokens(market_id) index (a faster snapshot save): an older
file migrates with its snapshot and token lookups kept, and upserts still replace a
market's tokens."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.unit.test_store import T0, market, sqlite_rows, token
from tui.models import Market, Outcome, iso
from tui.store import SCHEMA_VERSION, Store, schema
from tui.store.codec import market_json, stamp

# The rows as polydash wrote them up to schema v5.
_V4_MARKET = """INSERT INTO markets (id, slug, event_slug, question, volume_24h, liquidity,
    end_date, closed, position, fetched_at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
_V4_TOKEN = "INSERT INTO market_tokens (token_id, market_id) VALUES (?, ?)"


def v4_market_row(item: Market, position: int) -> tuple[object, ...]:
    return (item.id, item.slug, item.event_slug, item.question, item.volume_24h,
            item.liquidity, iso(item.end_date), int(item.closed), position, stamp(T0),
            market_json(item))


def old_file(path: Path, version: int = 4) -> None:
    """A database as polydash with schema `version` (4 or 5) left it: a snapshot of two
    markets."""
    db = sqlite3.connect(path)
    for migration in schema.MIGRATIONS[:version]:
        for statement in migration:
            db.execute(statement)
    db.execute(f"PRAGMA user_version = {int(version)}")
    markets = [market(1), market(2)]
    db.executemany(_V4_MARKET, [v4_market_row(item, n) for n, item in enumerate(markets)])
    db.executemany(_V4_TOKEN, [(token_id, item.id) for item in markets
                               for token_id in item.token_ids])
    db.commit()
    db.close()


def v4_file(path: Path) -> None:
    old_file(path, 4)


def indexes(path: Path) -> set[str]:
    return {name for (name,) in sqlite_rows(
        path, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?",
        ("market_tokens",))}


async def test_a_v4_file_keeps_its_snapshot_and_token_lookups(tmp_path: Path) -> None:
    path = tmp_path / "v4.db"
    v4_file(path)
    assert "market_tokens_market" in indexes(path)
    async with await Store.open(path) as store:
        loaded, fetched_at = await store.load_markets()
        assert loaded == [market(1), market(2)] and fetched_at == T0
        found = await store.get_market(token(6))  # market n has tokens 2n+1, 2n+2
        assert found is not None and found.id == market(2).id
    assert sqlite_rows(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert "market_tokens_market" not in indexes(path)
    assert sqlite_rows(path, "PRAGMA integrity_check") == [("ok",)]


async def test_an_upsert_replaces_only_the_tokens_of_its_markets(store: Store) -> None:
    await store.save_markets([market(1), market(2), market(3)], T0)
    moved = market(2, outcomes=(Outcome("Yes", 0.5, token(90)), Outcome("No", 0.5, token(91))))
    await store.upsert_markets([moved, market(3)], T0)
    assert await store.get_market(token(6)) is None  # market 2's old token is gone
    for key, owner in ((token(90), moved), (token(3), market(1)), (token(7), market(3))):
        found = await store.get_market(key)
        assert found is not None and found.id == owner.id
