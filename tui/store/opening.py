"""Opening the SQLite file, and what a person is told when that cannot go as usual.

Three cases the store must never get wrong (issue 12):
- a damaged file (SQLite: "database disk image is malformed"): say so, keep the file as
  it is, say how to start fresh; the dashboard goes on with the cache off (in memory);
- a healthy file that cannot be written (read-only file, folder or filesystem): open it
  read-only (`mode=ro`, and `immutable=1` when even the WAL index cannot be made), show
  the data, say what cannot be saved; never call it "not a usable polydash database";
- a new file in a folder that cannot be written: one sentence, a usage error.

The SQLite behaviour this relies on is in docs/storage-failures.md. No textual or rich
import; the sentences are for people (the CLI prints them).
"""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

import aiosqlite

from tui.store import schema

log = logging.getLogger("polydash.store")

MEMORY = ":memory:"
_DAMAGED = frozenset({sqlite3.SQLITE_CORRUPT})
_NOT_A_DATABASE = frozenset({sqlite3.SQLITE_NOTADB})
_CANNOT_WRITE = frozenset({sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN,
                           sqlite3.SQLITE_PERM})


class StoreError(Exception):
    """The database cannot be used; the message is a sentence for a person."""


class StoreDamaged(StoreError):
    """SQLite found damaged pages in the file; the file is left as it is."""


class StoreReadOnly(StoreError):
    """A write to a database that was opened read-only."""


def _code(error: sqlite3.Error) -> int:
    # The primary result code: extended codes (SQLITE_READONLY_DBMOVED...) carry it in
    # their low byte.
    return (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF


def is_damage(error: BaseException) -> bool:
    return isinstance(error, sqlite3.DatabaseError) and (
        _code(error) in _DAMAGED or "malformed" in str(error))


def is_read_only(error: BaseException) -> bool:
    return isinstance(error, sqlite3.DatabaseError) and _code(error) in _CANNOT_WRITE


def damaged_sentence(path: Path, error: BaseException | str) -> str:
    return (f"the local database {path} is damaged ({error}); polydash left it as it is. "
            "Start fresh with --db NEW.db, or move the file away and polydash makes a new one.")


def read_only_sentence(path: Path) -> str:
    return (f"the local database {path} is read-only: showing what it holds, but favorites, "
            "price history and alerts can't be saved until it is writable.")


def scratch_sentence(path: Path) -> str:
    return (f"The local database {path} is read-only: showing what it holds; favorites, "
            "price history and alerts changed now are kept only until you quit (make the "
            "file and its folder writable to save them).")


def cache_off_sentence(damage: str) -> str:
    return f"Running on live data with the cache off: {damage}"


def writable(target: Path) -> bool:
    """Whether `target` can be written: the file and its folder (the WAL files live
    beside it). A new file needs a writable folder, or it is a usage error."""
    folder = target.parent
    if not target.exists():
        if not os.access(folder, os.W_OK):
            raise StoreError(f"cannot create the database {target}: the folder {folder} is "
                             "not writable (give another place with --db)")
        return True
    return os.access(target, os.W_OK) and os.access(folder, os.W_OK)


async def connect_memory(copy_of: aiosqlite.Connection | None = None) -> aiosqlite.Connection:
    """An in-memory database with the current schema; a copy of `copy_of` when given
    (SQLite's backup API: the copy is as consistent as a read)."""
    db = await aiosqlite.connect(MEMORY, isolation_level=None)
    if copy_of is not None:
        await copy_of.backup(db)
    await schema.configure(db)
    await schema.migrate(db)
    return db


async def check_pages(db: aiosqlite.Connection, target: Path) -> None:
    """SQLite's quick_check (every page's structure, not the indexes' content): damage
    anywhere in the file raises StoreDamaged now rather than halfway through a command.
    Costs a read of the file (about 0.2 s for 60 MB); headless commands only."""
    try:
        rows = await db.execute_fetchall("PRAGMA quick_check(1)")
    except sqlite3.DatabaseError as exc:
        if is_damage(exc):
            raise StoreDamaged(damaged_sentence(target, exc)) from exc
        raise
    verdict = str(next(iter(rows), ("ok",))[0])
    if verdict != "ok":
        where = verdict.replace("*** in database main ***", "")
        reason = "database disk image is malformed: " + " ".join(where.split())[:120]
        raise StoreDamaged(damaged_sentence(target, reason))


async def connect_writable(target: Path) -> aiosqlite.Connection | None:
    """The usual connection; None when the file turns out not to be writable after all
    (the caller opens it read-only)."""
    try:
        db = await aiosqlite.connect(target, isolation_level=None,
                                     timeout=schema.BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the database {target} ({exc})") from exc
    try:
        await schema.configure(db)
        await schema.migrate(db)
    except BaseException as exc:
        await db.close()
        if is_read_only(exc) and _exists(target):
            return None
        raise _refusal(target, exc) from exc
    return db


async def connect_read_only(target: Path) -> aiosqlite.Connection:
    """A read-only connection (`mode=ro`; with `immutable=1` when SQLite cannot even
    make the WAL index beside the file: a read-only folder or filesystem)."""
    uri = _read_only_uri(target)
    try:
        return await _read_only(uri, target)
    except StoreError as exc:
        if not isinstance(exc.__cause__, sqlite3.Error) or not is_read_only(exc.__cause__):
            raise
        log.info("%s: no WAL index can be made beside it; reading it as immutable", target)
        return await _read_only(uri + "&immutable=1", target)


async def _read_only(uri: str, target: Path) -> aiosqlite.Connection:
    try:
        db = await aiosqlite.connect(uri, uri=True, isolation_level=None,
                                     timeout=schema.BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the database {target} ({exc})") from exc
    try:
        await db.execute(schema.CONNECTION_PRAGMAS[0])  # busy_timeout; the rest write
        found = await schema.user_version(db)
        await db.execute_fetchall("SELECT count(*) FROM sqlite_schema")
    except BaseException as exc:
        await db.close()
        raise _refusal(target, exc) from exc
    if found != schema.SCHEMA_VERSION:
        await db.close()
        if found > schema.SCHEMA_VERSION:
            raise StoreError(f"{target}: {schema.SchemaTooNew(found)}")
        raise StoreReadOnly(f"the local database {target} is read-only and was written by "
                            "an older polydash: make it writable once so it can be upgraded")
    return db


def _exists(target: Path) -> bool:
    return target.exists()


def _read_only_uri(target: Path) -> str:
    return f"file:{quote(str(target.absolute()))}?mode=ro"


def _refusal(target: Path, exc: BaseException) -> BaseException:
    """The StoreError to raise for a failure while opening (others pass through)."""
    if isinstance(exc, schema.SchemaTooNew):
        return StoreError(f"{target}: {exc}")
    if is_damage(exc):
        return StoreDamaged(damaged_sentence(target, exc))
    if isinstance(exc, sqlite3.DatabaseError) and _code(exc) in _NOT_A_DATABASE:
        return StoreError(f"{target} is not a usable polydash database ({exc}); it was left "
                          "as it is: give another file with --db")
    if isinstance(exc, sqlite3.DatabaseError):
        return StoreError(f"{target} is not a usable polydash database ({exc})")
    return exc
