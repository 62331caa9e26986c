"""Schema v6 saves the snapshot faster: a refresh rewrites only the markets that changed
or moved (the `digest` column), the unread copy columns and the token table are gone,
and an older file migrates with its snapshot and token lookups kept."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.unit.test_store import T0, market, sqlite_rows, token
from tests.unit.test_store_v5 import old_file
from tui.models import Outcome
from tui.store import SCHEMA_VERSION, Store

T1 = T0 + timedelta(minutes=5)


def columns(path: Path) -> list[str]:
    return [row[1] for row in sqlite_rows(path, "PRAGMA table_info(markets)")]


def written_at(path: Path) -> dict[str, str]:
    """Market id -> when its row was last written."""
    return dict(sqlite_rows(path, "SELECT id, fetched_at FROM markets"))


async def test_a_v5_file_keeps_its_snapshot_and_token_lookups(tmp_path: Path) -> None:
    path = tmp_path / "v5.db"
    old_file(path, 5)
    async with await Store.open(path) as store:
        loaded, fetched_at = await store.load_markets()
        assert loaded == [market(1), market(2)] and fetched_at == T0
        found = await store.get_market(token(6))  # market n has tokens 2n+1, 2n+2
        assert found is not None and found.id == market(2).id
        await store.save_markets([market(1), market(2)], T1)
    assert sqlite_rows(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert columns(path) == ["position", "id", "slug", "digest", "fetched_at", "data"]
    assert not sqlite_rows(path, "SELECT name FROM sqlite_schema WHERE name = 'market_tokens'")
    # The rows from before v6 had no digest: the first save rewrote them all.
    assert set(written_at(path).values()) == {"2026-11-01T12:05:00.123456Z"}
    assert sqlite_rows(path, "PRAGMA integrity_check") == [("ok",)]


async def test_a_refresh_rewrites_only_changed_or_moved_markets(tmp_path: Path) -> None:
    path = tmp_path / "refresh.db"
    async with await Store.open(path) as store:
        await store.save_markets([market(n) for n in range(5)], T0)
        # 1 changes, 4 moves up, 2 is gone, 7 is new; 0 and 3 keep their places.
        after = [market(0), market(1, volume_24h=1.0), market(4), market(3), market(7)]
        await store.save_markets(after, T1)
        loaded, fetched_at = await store.load_markets()
        assert loaded == after and fetched_at == T1
        assert await store.get_market(market(2).id) is None
    stamps = written_at(path)
    for kept in (market(0), market(3)):  # left as they were
        assert stamps.pop(kept.id) == "2026-11-01T12:00:00.123456Z"
    assert set(stamps.values()) == {"2026-11-01T12:05:00.123456Z"}
    assert sqlite_rows(path, "SELECT position FROM markets ORDER BY position") == [
        (n,) for n in range(5)]


async def test_a_shorter_snapshot_drops_the_tail(store: Store) -> None:
    await store.save_markets([market(n) for n in range(4)], T0)
    await store.save_markets([market(0), market(1)], T1)
    assert (await store.load_markets())[0] == [market(0), market(1)]
    assert await store.get_market(token(7)) is None  # market 3's token went with it


async def test_a_token_id_matches_whole(store: Store) -> None:
    """A token id inside a longer one, or inside another field, finds no market."""
    longer = market(1, outcomes=(Outcome("Yes", 0.5, "123456"), Outcome("No", 0.5, "99")))
    await store.save_markets([longer], T0)
    for key in ("1234", "23456", "Yes", "0.5"):
        assert await store.get_market(key) is None, key
    found = await store.get_market("99")
    assert found is not None and found.id == longer.id


async def test_a_snapshot_save_leaves_the_checkpoint_for_later(tmp_path: Path) -> None:
    """The commit does not copy the snapshot from the WAL into the file (SQLite's default
    would, past 4 MB): that waits for a WAL past 64 MB, or for the last connection to
    close."""
    path = tmp_path / "wal.db"
    wal = path.with_name(path.name + "-wal")
    count = 6_000  # some 6 MB of JSON
    async with await Store.open(path) as store:
        await store.save_markets([market(n) for n in range(count)], T0)
        assert wal.stat().st_size > 5_000_000
        assert path.stat().st_size < 1_000_000  # the snapshot is all in the WAL
        assert sqlite_rows(path, "SELECT count(*) FROM markets") == [(count,)]
    assert not wal.exists()  # checkpointed and removed at close
    assert path.stat().st_size > 5_000_000
