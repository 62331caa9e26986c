"""Connection settings and schema migrations for the polydash SQLite store.

The schema version lives in `PRAGMA user_version`. `MIGRATIONS[i]` takes a database
from version i to version i + 1; each runs inside one `BEGIN IMMEDIATE` transaction
together with the version bump, so a crash leaves either the old or the new schema.
Never edit a migration that has shipped: append a new one.
"""

from __future__ import annotations

import logging
import sqlite3

import aiosqlite

log = logging.getLogger("polydash.store")

BUSY_TIMEOUT_MS = 5000

# Every connection gets these. busy_timeout comes first: switching a fresh file to WAL
# needs a lock that another process opening the same file at the same moment may hold.
CONNECTION_PRAGMAS: tuple[str, ...] = (
    f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
    "PRAGMA journal_mode = WAL",
    "PRAGMA foreign_keys = ON",
    # NORMAL is durable across process crashes in WAL mode; only power loss can drop
    # the last commits, and the database stays consistent either way.
    "PRAGMA synchronous = NORMAL",
    # 16 MiB of page cache (the default is 2 MiB): history inserts touch pages all
    # over the table, and each miss is a system call. It grows only as it is used.
    "PRAGMA cache_size = -16384",
    # A checkpoint copies the WAL into the file and syncs it. At SQLite's default (every
    # commit past 1,000 pages, 4 MB) the commit that saved a first snapshot of 20,000
    # markets (30 MB) spent 0.2 s of its 0.6 s copying it back at once. 16,384 pages
    # (64 MB) hold a whole snapshot: the copy happens at a later commit past that size,
    # or when the last connection closes.
    "PRAGMA wal_autocheckpoint = 16384",
    # ...and after that checkpoint the WAL file is cut back to 16 MB, not left at its peak.
    f"PRAGMA journal_size_limit = {16 * 1024 * 1024}",
)

_V1: tuple[str, ...] = (
    """CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID""",
    # The last market snapshot; `data` is market_json.market_to_dict as JSON, the other
    # columns are copies for queries. `position` (the rowid) keeps the order the API
    # gave, so loading the snapshot is a plain table scan.
    """CREATE TABLE markets (
        position   INTEGER PRIMARY KEY,
        id         TEXT NOT NULL UNIQUE,
        slug       TEXT NOT NULL DEFAULT '',
        event_slug TEXT NOT NULL DEFAULT '',
        question   TEXT NOT NULL DEFAULT '',
        volume_24h REAL,
        liquidity  REAL,
        end_date   TEXT,
        closed     INTEGER NOT NULL DEFAULT 0,
        fetched_at TEXT NOT NULL,
        data       TEXT NOT NULL
    )""",
    "CREATE INDEX markets_slug ON markets(slug)",
    # Token id -> market, for get_market(token id). Token ids are 70+ digit strings:
    # TEXT, never INTEGER. No foreign key: Store rewrites both tables in the same
    # transaction, and the per-row checks made saving 20,000 markets 3x slower.
    """CREATE TABLE market_tokens (
        token_id  TEXT PRIMARY KEY,
        market_id TEXT NOT NULL
    ) WITHOUT ROWID""",
    "CREATE INDEX market_tokens_market ON market_tokens(market_id)",
    # No foreign key to markets on purpose: favorites outlive any snapshot.
    """CREATE TABLE favorites (
        market_id TEXT PRIMARY KEY,
        slug      TEXT NOT NULL DEFAULT '',
        question  TEXT NOT NULL DEFAULT '',
        added_at  TEXT NOT NULL
    )""",
    # Price history. A token id is 77 characters; repeated on each of a million rows
    # it made the table 5x bigger (108 MB against 21 MB) and inserts 2x slower, so
    # each token id is stored once (as TEXT) and points refer to it by a small key.
    # AUTOINCREMENT: a key is never reused, so Store may cache the mapping.
    """CREATE TABLE price_tokens (
        key      INTEGER PRIMARY KEY AUTOINCREMENT,
        token_id TEXT NOT NULL UNIQUE
    )""",
    # Clustered on (token_key, t): "the last N points of a token" is one short
    # backwards range scan of the primary key. No foreign key on purpose: the keys
    # come from price_tokens in the same transaction, and the check costs ~20 % of
    # the insert rate.
    """CREATE TABLE price_points (
        token_key INTEGER NOT NULL,
        t         INTEGER NOT NULL,
        p         REAL NOT NULL,
        PRIMARY KEY (token_key, t)
    ) WITHOUT ROWID""",
    # The (token_id, t, p) shape, for people reading the file with the sqlite3 shell.
    """CREATE VIEW price_history (token_id, t, p) AS
        SELECT k.token_id, h.t, h.p
        FROM price_points AS h JOIN price_tokens AS k ON k.key = h.token_key""",
    """CREATE TABLE views (
        market_id TEXT PRIMARY KEY,
        viewed_at TEXT NOT NULL,
        price     REAL
    )""",
    "CREATE INDEX views_viewed_at ON views(viewed_at)",
    # Room for the news issue.
    """CREATE TABLE news (
        id           INTEGER PRIMARY KEY,
        url          TEXT NOT NULL UNIQUE,
        title        TEXT NOT NULL,
        publisher    TEXT NOT NULL DEFAULT '',
        published_at TEXT,
        provider     TEXT NOT NULL DEFAULT '',
        market_id    TEXT,
        first_seen   TEXT NOT NULL,
        read         INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX news_market ON news(market_id, published_at)",
    "CREATE INDEX news_published ON news(published_at)",
    # Room for the alerts issue.
    """CREATE TABLE alerts (
        id         INTEGER PRIMARY KEY,
        market_id  TEXT NOT NULL,
        kind       TEXT NOT NULL,
        params     TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        armed      INTEGER NOT NULL DEFAULT 1
    )""",
    "CREATE INDEX alerts_market ON alerts(market_id)",
    """CREATE TABLE alert_log (
        id       INTEGER PRIMARY KEY,
        alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
        fired_at TEXT NOT NULL,
        payload  TEXT NOT NULL DEFAULT '{}'
    )""",
    "CREATE INDEX alert_log_alert ON alert_log(alert_id, fired_at)",
)

# News (issue 4). A headline keeps its summary and score, its normalized title (the same
# story from two providers is one row) and `sort_at` = published_at, else first_seen
# (fixed-width UTC text: string order is time order). `news_markets` says which markets
# it matched: one story can concern several markets, and market_id '' marks general
# news (shown with no market selected). news.market_id keeps the first market matched.
_V2: tuple[str, ...] = (
    "ALTER TABLE news ADD COLUMN summary TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE news ADD COLUMN score REAL NOT NULL DEFAULT 0",
    "ALTER TABLE news ADD COLUMN title_key TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE news ADD COLUMN sort_at TEXT NOT NULL DEFAULT ''",
    "UPDATE news SET sort_at = COALESCE(published_at, first_seen)",
    "CREATE INDEX news_sort ON news(sort_at)",
    "CREATE INDEX news_first_seen ON news(first_seen)",
    "CREATE INDEX news_title_key ON news(title_key) WHERE title_key != ''",
    """CREATE TABLE news_markets (
        market_id TEXT NOT NULL,
        news_id   INTEGER NOT NULL REFERENCES news(id) ON DELETE CASCADE,
        score     REAL NOT NULL DEFAULT 0,
        PRIMARY KEY (market_id, news_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX news_markets_news ON news_markets(news_id)",
    """INSERT INTO news_markets (market_id, news_id, score)
        SELECT COALESCE(market_id, ''), id, score FROM news""",
)

# Alerts (issue 9). The log is history: deleting an alert no longer deletes its firings
# (v1's ON DELETE CASCADE did), and alert ids are never reused (AUTOINCREMENT, started
# past every id the log names), so old firings never seem to belong to a new alert.
# SQLite cannot drop a foreign key in place: both tables are rebuilt, rows and ids kept.
# The log's payload already holds the market text, so a row reads well on its own.
_V3: tuple[str, ...] = (
    """CREATE TABLE alert_log_v3 (
        id       INTEGER PRIMARY KEY,
        alert_id INTEGER NOT NULL,
        fired_at TEXT NOT NULL,
        payload  TEXT NOT NULL DEFAULT '{}'
    )""",
    """INSERT INTO alert_log_v3 (id, alert_id, fired_at, payload)
        SELECT id, alert_id, fired_at, payload FROM alert_log""",
    "DROP TABLE alert_log",
    "ALTER TABLE alert_log_v3 RENAME TO alert_log",
    "CREATE INDEX alert_log_alert ON alert_log(alert_id, fired_at)",
    """CREATE TABLE alerts_v3 (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        market_id  TEXT NOT NULL,
        kind       TEXT NOT NULL,
        params     TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        armed      INTEGER NOT NULL DEFAULT 1
    )""",
    """INSERT INTO alerts_v3 (id, market_id, kind, params, created_at, armed)
        SELECT id, market_id, kind, params, created_at, armed FROM alerts""",
    "DROP TABLE alerts",
    "ALTER TABLE alerts_v3 RENAME TO alerts",
    "CREATE INDEX alerts_market ON alerts(market_id)",
    "DELETE FROM sqlite_sequence WHERE name = 'alerts'",
    """INSERT INTO sqlite_sequence (name, seq) SELECT 'alerts', MAX(
        (SELECT COALESCE(MAX(id), 0) FROM alerts),
        (SELECT COALESCE(MAX(alert_id), 0) FROM alert_log))""",
)

# Saved wallets (issue 11): a lowercase proxy address, the user's label, when it was added.
_V4: tuple[str, ...] = (
    """CREATE TABLE wallets (
        address  TEXT PRIMARY KEY,
        label    TEXT NOT NULL DEFAULT '',
        added_at TEXT NOT NULL
    ) WITHOUT ROWID""",
)

# Saving the snapshot faster (issue 10): the index on market_tokens(market_id) cost as
# much as the table itself on each save of 20,000 markets (40,000 random-order index
# entries). Only upsert_markets looked tokens up by market; it now scans the table once.
_V5: tuple[str, ...] = ("DROP INDEX IF EXISTS market_tokens_market",)

# Saving the snapshot faster (issue 10). `digest` is a hash of `data` (codec.digest): a
# refresh rewrites only the markets that changed or moved. A row from before v6 has none
# (NULL) and is rewritten at the next save. `fetched_at` now says when a row was last
# written; the snapshot's own time stays in meta. The copies of event_slug, question,
# volume_24h, liquidity, end_date and closed go: no query read them, and computing and
# binding them was a fifth of the time of saving 20,000 markets. So does market_tokens
# (token id -> market), another fifth: Store.get_market finds a token id by scanning the
# JSON now, which only headless commands do. `digest` comes before `data`, so reading
# the digests never follows a long row's overflow pages. SQLite rewrites the table for
# each DROP COLUMN: one rebuild instead, rows and positions kept.
_V6: tuple[str, ...] = (
    """CREATE TABLE markets_v6 (
        position   INTEGER PRIMARY KEY,
        id         TEXT NOT NULL UNIQUE,
        slug       TEXT NOT NULL DEFAULT '',
        digest     BLOB,
        fetched_at TEXT NOT NULL,
        data       TEXT NOT NULL
    )""",
    """INSERT INTO markets_v6 (position, id, slug, fetched_at, data)
        SELECT position, id, slug, fetched_at, data FROM markets ORDER BY position""",
    "DROP TABLE markets",
    "ALTER TABLE markets_v6 RENAME TO markets",
    "CREATE INDEX markets_slug ON markets(slug)",
    "DROP TABLE market_tokens",
)

MIGRATIONS: tuple[tuple[str, ...], ...] = (_V1, _V2, _V3, _V4, _V5, _V6)
SCHEMA_VERSION = len(MIGRATIONS)


class SchemaTooNew(Exception):
    """The database was written by a newer polydash than this one."""

    def __init__(self, found: int) -> None:
        super().__init__(
            f"the database has schema version {found}, newer than this polydash "
            f"understands ({SCHEMA_VERSION}); upgrade polydash or use another --db"
        )
        self.found = found


async def configure(db: aiosqlite.Connection) -> None:
    """Apply the per-connection pragmas (they are not stored in the file)."""
    for pragma in CONNECTION_PRAGMAS:
        await db.execute(pragma)


async def user_version(db: aiosqlite.Connection) -> int:
    async with db.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def migrate(db: aiosqlite.Connection) -> int:
    """Bring the schema up to SCHEMA_VERSION; return the version found before."""
    found = await user_version(db)
    if found == SCHEMA_VERSION:
        return found  # the common case takes no write lock
    if found > SCHEMA_VERSION:
        raise SchemaTooNew(found)
    for target in range(found + 1, SCHEMA_VERSION + 1):
        await _apply(db, target)
    return found


async def _apply(db: aiosqlite.Connection, target: int) -> None:
    """Run MIGRATIONS[target - 1] in its own write transaction, if still needed."""
    try:
        await db.execute("BEGIN IMMEDIATE")
        # Re-read under the write lock: another process may have migrated meanwhile.
        current = await user_version(db)
        if current < target:
            for statement in MIGRATIONS[target - 1]:
                await db.execute(statement)
            # PRAGMA takes no parameters; `target` is an int from our own range().
            await db.execute(f"PRAGMA user_version = {int(target)}")
        await db.execute("COMMIT")
    except BaseException:
        await rollback(db)
        raise


async def rollback(db: aiosqlite.Connection) -> None:
    """Roll back the open transaction, if SQLite has not already done so."""
    try:
        await db.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        # After some errors (disk full, I/O) SQLite rolls back by itself; the caller
        # re-raises the original error, which is the one worth seeing.
        log.debug("rollback after a failed write: %s", exc)
