"""Saved wallets in SQLite: labels, relabelling, removal, and the V4 migration."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tui.store import SCHEMA_VERSION, Store, schema

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
ADDRESS = "0x" + "ab" * 20
OTHER = "0x" + "cd" * 20


async def test_saved_wallets_keep_their_label_and_first_added_time(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    async with await Store.open(path) as store:
        saved = await store.save_wallet(ADDRESS, "whale", T0)
        assert (saved.address, saved.label, saved.added_at) == (ADDRESS, "whale", T0)
        await store.save_wallet(OTHER.upper().replace("0X", "0x"), "'; DROP TABLE wallets; --",
                                T0 + timedelta(minutes=1))
        relabelled = await store.save_wallet(ADDRESS, "big whale", T0 + timedelta(hours=1))
        assert relabelled.added_at == T0 and relabelled.label == "big whale"
    async with await Store.open(path) as store:  # survives a restart
        assert [(w.address, w.label) for w in await store.saved_wallets()] == [
            (ADDRESS, "big whale"), (OTHER, "'; DROP TABLE wallets; --")]
        assert await store.remove_wallet(OTHER.upper().replace("0X", "0x"))
        assert not await store.remove_wallet(OTHER)
        assert [w.address for w in await store.saved_wallets()] == [ADDRESS]


async def test_a_v3_database_gains_the_wallets_table(tmp_path: Path) -> None:
    path = tmp_path / "v3.db"
    db = sqlite3.connect(path)
    for migration in schema.MIGRATIONS[:3]:
        for statement in migration:
            db.execute(statement)
    db.execute("PRAGMA user_version = 3")
    db.execute("INSERT INTO meta (key, value) VALUES ('k', 'v')")
    db.commit()
    db.close()
    async with await Store.open(path) as store:
        assert await store.get_meta("k") == "v"
        assert await store.saved_wallets() == []
        await store.save_wallet(ADDRESS, "", T0)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    db.close()
