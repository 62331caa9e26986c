"""The SQLite store: market snapshot, favorites, price history, recently viewed markets,
alerts and their log, news headlines. The rows and SQL of price history, alerts and
news are in tui/store/prices.py, alerts.py and news.py.

One aiosqlite connection per Store, in autocommit mode: reads are single statements,
and every write batch is one explicit `BEGIN IMMEDIATE ... COMMIT`. IMMEDIATE takes the
write lock up front, so a second process waits on busy_timeout instead of failing with
"database is locked" when a deferred read transaction tries to upgrade.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import aiosqlite

from tui.clock import utc_now
from tui.models import Headline, Market, PricePoint, Visit
from tui.store import alerts, news, opening, prices, retention, schema, wallets
from tui.store.alerts import AlertLogRow, AlertRow
from tui.store.codec import (
    decode_market,
    decode_markets,
    json_text,
    market_rows,
    snapshot_change,
    stamp,
    storable,
    unstamp,
    unstamp_or_none,
)
from tui.store.opening import StoreDamaged, StoreError, StoreReadOnly
from tui.trader_models import SavedWallet

FETCHED_AT_KEY = "markets.fetched_at"


@dataclass(frozen=True, slots=True)
class Favorite:
    market_id: str
    slug: str
    question: str
    added_at: datetime


# ---------------------------------------------------------------- SQL

_UPSERT_MARKET = """
INSERT INTO markets (id, slug, position, fetched_at, data, digest) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET slug = excluded.slug, fetched_at = excluded.fetched_at,
    data = excluded.data, digest = excluded.digest
"""
_STORED_ROWS = "SELECT position, id, digest FROM markets"
# A market changed in its place: its id and position index entries stay as they are.
_UPDATE_MARKET = """
UPDATE markets SET slug = ?, fetched_at = ?, data = ?, digest = ? WHERE position = ?
"""
# The positions as one JSON array.
_DELETE_POSITIONS = "DELETE FROM markets WHERE position IN (SELECT value FROM json_each(?))"
_NEXT_POSITION = "SELECT COALESCE(MAX(position), -1) + 1 FROM markets"
# The rowid: no sort. The JSON as bytes: see codec.decode_market.
_LOAD_MARKETS = "SELECT CAST(data AS BLOB) FROM markets ORDER BY position"
_OLDEST_FETCH = "SELECT MIN(fetched_at) FROM markets"
_LOAD_CHUNK = 2_000  # markets decoded at a time by load_markets
# The key is bound twice: id first, then slug.
_MARKET_BY_ID_OR_SLUG = """
SELECT data FROM (
    SELECT 0 AS rank, data FROM markets WHERE id = ?
    UNION ALL
    SELECT 1, data FROM markets WHERE slug = ?
) ORDER BY rank LIMIT 1
"""
# The rows whose JSON holds the string (a quoted token id): one scan of the snapshot,
# some 20 ms for 20,000 markets. Only the headless commands look markets up by token
# id, and keeping a token -> market table cost a fifth of each snapshot save.
_MARKETS_HOLDING = "SELECT data FROM markets WHERE instr(data, ?) > 0 ORDER BY position"
_ADD_FAVORITE = """
INSERT INTO favorites (market_id, slug, question, added_at) VALUES (?, ?, ?, ?)
ON CONFLICT (market_id) DO UPDATE SET slug = excluded.slug, question = excluded.question
"""
_RECORD_VIEW = """
INSERT INTO views (market_id, viewed_at, price) VALUES (?, ?, ?)
ON CONFLICT (market_id) DO UPDATE SET viewed_at = excluded.viewed_at, price = excluded.price
"""
_SET_META = """
INSERT INTO meta (key, value) VALUES (?, ?)
ON CONFLICT (key) DO UPDATE SET value = excluded.value
"""


# ---------------------------------------------------------------- opening


async def _checked(db: aiosqlite.Connection, target: Path) -> None:
    try:
        await opening.check_pages(db, target)
    except BaseException:
        await db.close()
        raise


async def _copied(db: aiosqlite.Connection) -> aiosqlite.Connection:
    """An in-memory copy of the read-only `db`, which is closed."""
    try:
        return await opening.connect_memory(copy_of=db)
    finally:
        await db.close()


# ---------------------------------------------------------------- conversions


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


# ---------------------------------------------------------------- the store


class Store:
    """Async access to the polydash database. Create with `await Store.open(path)`."""

    def __init__(self, db: aiosqlite.Connection, path: Path) -> None:
        self._db = db
        self.path = path
        # One connection serves every task of the app; a write transaction must not
        # interleave with another task's BEGIN on the same connection.
        self._write_lock = asyncio.Lock()
        # token id -> price_tokens.key, filled only from committed transactions.
        self._token_keys: dict[str, int] = {}
        # Opened with `mode=ro`: the file or its folder cannot be written (tui/store/opening.py).
        self.read_only = False
        # Damage found: True makes the store go on in memory (the dashboard); False raises
        # StoreDamaged (headless commands exit with a sentence).
        self.memory_on_damage = False
        self.cache_off = ""  # the sentence once the store runs in memory after damage
        self.on_cache_off: Callable[[str], object] | None = None  # told that sentence
        # read_only and memory_on_damage: the store works on an in-memory copy of the file
        # (writes last until the process ends).
        self.scratch = False
        self._retired: list[aiosqlite.Connection] = []  # the damaged file's, once swapped

    @classmethod
    async def open(cls, path: str | Path, *, memory_on_damage: bool = False,
                   check: bool = False) -> Store:
        """Open (or create) the database at `path`. A healthy file that cannot be written
        opens read-only (with `memory_on_damage`, as an in-memory copy whose changes last
        until the process ends); a damaged one raises StoreDamaged, or with
        `memory_on_damage` gives an empty in-memory store that says why (`cache_off`).
        `check`: read every page first (opening.check_pages). The file is never changed."""
        if str(path) == opening.MEMORY:
            return cls(await opening.connect_memory(), Path(opening.MEMORY))
        target = Path(path)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder {target.parent}: {exc}") from exc
        try:
            db = await opening.connect_writable(target) if opening.writable(target) else None
            read_only = db is None
            if db is None:
                db = await opening.connect_read_only(target)
            if check:
                await _checked(db, target)
            if read_only and memory_on_damage:
                db = await _copied(db)
        except StoreDamaged as exc:
            if not memory_on_damage:
                raise
            store = cls(await opening.connect_memory(), target)
            store.memory_on_damage = True
            store.cache_off = opening.cache_off_sentence(str(exc))
            return store
        store = cls(db, target)
        store.read_only = read_only
        store.memory_on_damage = memory_on_damage
        store.scratch = read_only and memory_on_damage
        return store

    def notice(self) -> str:
        """What a person must know about this database ("" when all is well)."""
        if self.cache_off:
            return self.cache_off
        if self.scratch:
            return opening.scratch_sentence(self.path)
        return opening.read_only_sentence(self.path) if self.read_only else ""

    async def _failed(self, error: BaseException) -> None:
        """An SQLite error of a running store, as a StoreError a person can read. Damage
        with `memory_on_damage` swaps in an empty in-memory database and returns (the
        caller may retry a read); anything that is not damage nor a refused write
        returns too, for the caller to re-raise as it is."""
        if opening.is_damage(error):
            damage = opening.damaged_sentence(self.path, error)
            if not self.memory_on_damage:
                raise StoreDamaged(damage) from error
            if self.cache_off:
                return
            fresh = await opening.connect_memory()
            if self.cache_off:  # another task swapped while this one waited
                await fresh.close()
                return
            # The damaged file's connection is closed with the store, not now: other
            # tasks may be waiting on it (they fail or finish, but never on a closed one).
            self._retired.append(self._db)
            self._db = fresh
            self._token_keys.clear()  # keys of the damaged file's price_tokens
            self.cache_off = opening.cache_off_sentence(damage)
            opening.log.error("%s", damage)
            if self.on_cache_off is not None:
                self.on_cache_off(self.cache_off)
        elif opening.is_read_only(error):
            raise StoreReadOnly(opening.read_only_sentence(self.path)) from error

    async def close(self) -> None:
        # aiosqlite's worker thread is not a daemon: an unclosed Store keeps the
        # process alive at exit.
        for retired in self._retired:
            await retired.close()
        await self._db.close()

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction; commits on success, rolls back on any error."""
        if self.read_only and not self.scratch:
            raise StoreReadOnly(opening.read_only_sentence(self.path))
        async with self._write_lock:
            try:
                # BEGIN inside the try: a task cancelled while BEGIN waits for the lock
                # must still roll back, or the connection stays in a transaction.
                await self._db.execute("BEGIN IMMEDIATE")
                yield self._db
                await self._db.execute("COMMIT")
            except BaseException as exc:
                await schema.rollback(self._db)
                await self._failed(exc)
                if self.cache_off and opening.is_damage(exc):
                    raise StoreDamaged(self.cache_off) from exc  # this write is lost
                raise

    async def _write(self, sql: str, params: Sequence[Any] = ()) -> int:
        """One statement in its own write transaction; returns how many rows it changed."""
        async with self._transaction() as db:
            cursor = await db.execute(sql, params)
            changed = max(cursor.rowcount, 0)
            await cursor.close()
        return changed

    async def _fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        try:
            return list(await self._db.execute_fetchall(sql, params))
        except sqlite3.DatabaseError as exc:
            await self._read_failed(exc)
        # The damaged file was swapped for memory: the same read there (nothing saved).
        return list(await self._db.execute_fetchall(sql, params))

    async def _read_failed(self, error: sqlite3.DatabaseError) -> None:
        """A read failed: raise (a StoreError a person can read, or `error` itself),
        unless damage turned the cache off and the caller may answer from memory."""
        await self._failed(error)
        if not (self.cache_off and opening.is_damage(error)):
            raise error

    async def _fetchone(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = await self._fetchall(sql, params)
        return rows[0] if rows else None

    # ------------------------------------------------------------ markets

    async def save_markets(self, markets: Sequence[Market], fetched_at: datetime) -> None:
        """Replace the snapshot with `markets` (in this order), in one transaction."""
        fetched = stamp(fetched_at)
        async with self._transaction() as db:
            stored = await db.execute_fetchall(_STORED_ROWS)
            # Encoding and hashing 20,000 markets takes a tenth of a second: not on the
            # event loop.
            change = await asyncio.to_thread(snapshot_change, markets, stored, fetched)
            if change.everything:
                await db.execute("DELETE FROM markets")
            elif change.stale:
                await db.execute(_DELETE_POSITIONS, (json.dumps(change.stale),))
            await db.executemany(_UPDATE_MARKET, change.updates)
            await db.executemany(_UPSERT_MARKET, change.rows)
            await db.execute(_SET_META, (FETCHED_AT_KEY, fetched))

    async def upsert_markets(self, markets: Sequence[Market], fetched_at: datetime) -> None:
        """Add or update `markets`; new ones go after the snapshot, known ones keep
        their place. The snapshot's own fetched_at is left alone."""
        if not markets:
            return
        fetched = stamp(fetched_at)
        async with self._transaction() as db:
            async with db.execute(_NEXT_POSITION) as cursor:
                row = await cursor.fetchone()
            first = int(row[0]) if row else 0
            await db.executemany(_UPSERT_MARKET, market_rows(markets, first, fetched))

    async def load_markets(self) -> tuple[list[Market], datetime | None]:
        """The snapshot in saved order, and when it was fetched (None if never)."""
        markets: list[Market] = []
        # A chunk of rows at a time: the JSON of 20,000 markets (30+ MB) is never held
        # together with the markets made of it. The write lock keeps this connection's
        # own writes from changing the snapshot between two chunks of the one SELECT.
        try:
            async with self._write_lock, self._db.execute(_LOAD_MARKETS) as cursor:
                while rows := await cursor.fetchmany(_LOAD_CHUNK):
                    markets.extend(await asyncio.to_thread(decode_markets, rows))
        except sqlite3.DatabaseError as exc:
            await self._read_failed(exc)
            markets = []  # damage turned the cache off: memory has no snapshot
        return markets, await self._snapshot_time(bool(markets))

    async def load_first_markets(self, count: int) -> tuple[list[Market], datetime | None]:
        """The first `count` markets of the snapshot in saved order, and when it was
        fetched: a screenful to paint before the rest is read and decoded."""
        rows = await self._fetchall(_LOAD_MARKETS + " LIMIT ?", (max(int(count), 0),))
        markets = decode_markets(rows)
        return markets, await self._snapshot_time(bool(markets))

    async def _snapshot_time(self, any_rows: bool) -> datetime | None:
        saved = await self.get_meta(FETCHED_AT_KEY)
        if saved is not None:
            return unstamp(saved)
        if not any_rows:
            return None
        # Only upserts so far: claim the age of the oldest row, never fresher.
        row = await self._fetchone(_OLDEST_FETCH)
        return unstamp_or_none(row[0]) if row else None

    async def get_market(self, key: str) -> Market | None:
        """A market of the snapshot by Gamma id, slug or token id."""
        key = storable(key)
        row = await self._fetchone(_MARKET_BY_ID_OR_SLUG, (key, key))
        if row:
            return decode_market(row[0])
        if not key:
            return None
        # JSON strings hold a token id as it is, between quotes: no longer id matches.
        for (data,) in await self._fetchall(_MARKETS_HOLDING, (f'"{key}"',)):
            market = decode_market(data)
            if key in market.token_ids:
                return market
        return None

    # ------------------------------------------------------------ favorites

    async def add_favorite(self, market: Market) -> None:
        """Add (or refresh the slug/question of) a favorite; added_at is kept."""
        await self._write(_ADD_FAVORITE, (storable(market.id), storable(market.slug),
                                          storable(market.question), stamp(utc_now())))

    async def remove_favorite(self, market_id: str) -> bool:
        """True if it was a favorite."""
        sql = "DELETE FROM favorites WHERE market_id = ?"
        return await self._write(sql, (storable(market_id),)) > 0

    async def favorite_ids(self) -> set[str]:
        return {row[0] for row in await self._fetchall("SELECT market_id FROM favorites")}

    async def favorites(self) -> list[Favorite]:
        """Every favorite, oldest first; independent of the market snapshot."""
        rows = await self._fetchall(
            "SELECT market_id, slug, question, added_at FROM favorites"
            " ORDER BY added_at, market_id"
        )
        return [Favorite(row[0], row[1], row[2], unstamp(row[3])) for row in rows]

    # ------------------------------------------------------------ price history

    async def record_prices(self, points: Sequence[PricePoint]) -> int:
        """Store points (one transaction); a (token, t) already stored is kept.
        Returns how many rows were inserted."""
        if not points:
            return 0
        async with self._transaction() as db:
            tokens = {point.token_id for point in points}
            keys = await prices.keys_for(db, tokens, self._token_keys)
            inserted = await prices.insert(db, points, keys)
        # Only now: keys of a rolled-back transaction must not be remembered.
        self._token_keys.update(keys)
        return inserted

    async def last_points(
        self, token_ids: Sequence[str], n: int
    ) -> dict[str, list[PricePoint]]:
        """The last `n` points of each token, ascending by t. Every requested token
        is a key, with an empty list when nothing is stored."""
        tokens = _unique(token_ids)
        result: dict[str, list[PricePoint]] = {token: [] for token in tokens}
        if n <= 0:
            return result
        for chunk, sql, params in prices.last_points_queries(tokens, n):
            for i, t, p in await self._fetchall(sql, params):
                token = chunk[i]
                result[token].append(PricePoint(token, t, p))
        for points in result.values():
            points.reverse()  # each term came newest first
        return result

    async def last_in_slices(self, token_ids: Sequence[str], starts: Sequence[int],
                             width_s: int) -> dict[str, list[PricePoint]]:
        """Per token, the newest point of each time slice [start, start + width_s),
        ascending by t: at most one point per slice. Every requested token is a key,
        with an empty list when nothing is stored in the slices."""
        tokens = _unique(token_ids)
        result: dict[str, list[PricePoint]] = {token: [] for token in tokens}
        if not tokens or not starts:
            return result
        params = (json.dumps(tokens), json.dumps([int(s) for s in starts]), int(width_s))
        for i, t, p in await self._fetchall(prices.SLICE_LASTS, params):
            token = tokens[i]
            result[token].append(PricePoint(token, t, p))
        return result

    async def history(self, token_id: str, since: int | None = None) -> list[PricePoint]:
        """Every stored point of a token (from `since`, unix s, inclusive), ascending."""
        start = -(2**63) if since is None else int(since)
        rows = await self._fetchall(prices.HISTORY, (token_id, start))
        return [PricePoint(token_id, t, p) for t, p in rows]

    async def compact_history(self, now: datetime, policy: retention.RetentionPolicy,
                              *, tokens_per_transaction: int = 50) -> int:
        """Thin price history older than `policy.full_days` (tui/store/retention.py);
        returns how many points were deleted. A few tokens per transaction: live prices
        are recorded in between, and a cancelled run keeps what it finished. Nothing to
        do (0) where nothing lasts: a read-only file, memory, or the cache turned off."""
        if self.read_only or self.cache_off or str(self.path) == opening.MEMORY:
            return 0
        zones = retention.zones(now.timestamp(), policy)
        keys = [row[0] for row in await self._fetchall(retention.TOKEN_KEYS)]
        deleted, step = 0, max(1, tokens_per_transaction)
        for start in range(0, len(keys), step):
            async with self._transaction() as db:
                deleted += await retention.thin(db, keys[start:start + step], zones)
        return deleted

    # ------------------------------------------------------------ recently viewed

    async def record_view(
        self, market_id: str, price: float | None, at: datetime | None = None
    ) -> None:
        """Remember that a market was viewed (replacing the previous visit)."""
        await self._write(_RECORD_VIEW, (market_id, stamp(at or utc_now()), price))

    async def last_view(self, market_id: str) -> Visit | None:
        row = await self._fetchone(
            "SELECT market_id, viewed_at, price FROM views WHERE market_id = ?", (market_id,)
        )
        return Visit(row[0], unstamp(row[1]), row[2]) if row else None

    async def recent_views(self, limit: int = 200) -> list[Visit]:
        """Most recent first."""
        rows = await self._fetchall(
            "SELECT market_id, viewed_at, price FROM views ORDER BY viewed_at DESC LIMIT ?",
            (max(int(limit), 0),),
        )
        return [Visit(row[0], unstamp(row[1]), row[2]) for row in rows]

    # ------------------------------------------------------------ alerts

    async def add_alert(self, market_id: str, kind: str, params: Mapping[str, Any],
                        created_at: datetime | None = None) -> int:
        """Store a new (armed) alert; returns its id."""
        async with self._transaction() as db:
            return await alerts.add(db, market_id, kind, params, created_at or utc_now())

    async def alerts(self) -> list[AlertRow]:
        """Every alert, oldest first."""
        return [alerts.alert_of(row) for row in await self._fetchall(alerts.ALL)]

    async def remove_alert(self, alert_id: int) -> bool:
        """Delete an alert (its log stays: it is history); True if it existed."""
        return await self._write(alerts.DELETE, (int(alert_id),)) > 0

    async def set_alert_armed(self, alert_id: int, armed: bool) -> None:
        await self._write(alerts.SET_ARMED, (int(armed), int(alert_id)))

    async def update_alert_params(self, alert_id: int, params: Mapping[str, Any]) -> None:
        await self._write(alerts.SET_PARAMS, (json_text(params), int(alert_id)))

    async def record_alert_fired(self, alert_id: int, fired_at: datetime,
                                 payload: Mapping[str, Any]) -> int:
        """Disarm the alert and log the firing, in one transaction (logged even when the
        alert was deleted meanwhile). Returns the log id."""
        async with self._transaction() as db:
            return await alerts.record_fired(db, alert_id, fired_at, payload)

    async def alert_log(self, limit: int = 100, alert_id: int | None = None
                        ) -> list[AlertLogRow]:
        """The latest firings, newest first (of one alert when `alert_id` is given)."""
        sql, params = alerts.log_query(limit, alert_id)
        return [alerts.log_entry_of(row) for row in await self._fetchall(sql, params)]

    # ------------------------------------------------------------ news

    async def save_headlines(self, headlines: Sequence[Headline], market_id: str | None = None,
                             *, seen_at: datetime | None = None) -> int:
        """Store matched headlines (one transaction); returns how many stories are new.

        Each is linked to `market_id`, or without one to its own `market_id` (a favorite
        it matched) or to general news. A known URL, or a known normalized title from
        another provider, is the same story: it keeps its first_seen and read flag.
        """
        if not headlines:
            return 0
        async with self._transaction() as db:
            return await news.save(db, headlines, market_id, seen_at or utc_now())

    async def recent_headlines(self, market_id: str | None = None,
                               limit: int = 200) -> list[Headline]:
        """Newest first: the headlines of a market, or (None) general news and the
        favorites' news. `score` and `market_id` are those of the link."""
        sql, params = news.recent_query(market_id, limit)
        return [news.headline_of(row) for row in await self._fetchall(sql, params)]

    async def mark_read(self, url: str) -> bool:
        """True if the headline is stored (it is read now)."""
        return await self._write("UPDATE news SET read = 1 WHERE url = ?", (storable(url),)) > 0

    async def prune_news(self, before: datetime) -> int:
        """Forget headlines first seen before `before`; returns how many."""
        return await self._write("DELETE FROM news WHERE first_seen < ?", (stamp(before),))

    # ------------------------------------------------------------ saved wallets

    async def saved_wallets(self) -> list[SavedWallet]:
        """Oldest first."""
        return [wallets.wallet_of(row) for row in await self._fetchall(wallets.ALL)]

    async def save_wallet(self, address: str, label: str,
                          added_at: datetime | None = None) -> SavedWallet:
        """Save (or relabel: `added_at` stays) a wallet; returns it as stored."""
        params = wallets.upsert_params(address, label, stamp(added_at or utc_now()))
        async with self._transaction() as db:
            await db.execute(wallets.UPSERT, params)
            async with db.execute(wallets.ONE, (params[0],)) as cursor:
                row = await cursor.fetchone()
        if row is None:  # just written in the same transaction: cannot happen
            raise StoreError(f"the wallet {address} was not saved")
        return wallets.wallet_of(row)

    async def remove_wallet(self, address: str) -> bool:
        """True if it was saved."""
        return await self._write(wallets.DELETE, (address.lower(),)) > 0

    # ------------------------------------------------------------ meta

    async def get_meta(self, key: str) -> str | None:
        row = await self._fetchone("SELECT value FROM meta WHERE key = ?", (key,))
        return row[0] if row else None

    async def set_meta(self, key: str, value: str) -> None:
        await self._write(_SET_META, (key, value))
