"""tui.store.Store on a real SQLite file: schema, snapshot, favorites, history, views."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tui.models import Market, Outcome, PricePoint, Tag, Visit
from tui.store import SCHEMA_VERSION, Favorite, Store, StoreError, schema

T0 = datetime(2026, 11, 1, 12, 0, 0, 123456, tzinfo=UTC)
# Real CLOB token ids are 77 digits; one with leading zeros would not survive int().
TOKEN_A = "71321045679252212594626385532706912750332728571942532289631379312455583992563"
TOKEN_B = "0052114319501245915516055106046884209969926127482827954674443846427813813222"

TABLES = {"meta", "markets", "favorites", "price_tokens", "price_points", "views", "news",
          "alerts", "alert_log"}


def token(n: int) -> str:
    return f"{n:077d}"


def market(n: int, **changes: object) -> Market:
    fields: dict[str, object] = dict(
        id=str(500_000 + n), slug=f"will-x-{n}", question=f"Will X {n} happen? [/b] ★",
        condition_id=f"0x{n:064x}", event_id=str(9000 + n // 2), event_slug=f"event-{n // 2}",
        event_title=f"Event {n // 2}", group_title=f"Option {n}",
        outcomes=(Outcome("Yes", 0.62, token(2 * n + 1)), Outcome("No", 0.38, token(2 * n + 2))),
        volume_24h=12345.678 + n, volume=987654.321, liquidity=4321.5,
        end_date=T0 + timedelta(days=30), start_date=T0 - timedelta(days=10, microseconds=7),
        created_at=T0 - timedelta(days=11), best_bid=0.61, best_ask=0.63,
        last_trade_price=0.62, spread=0.02, change_24h=-0.035, change_1w=0.1,
        description="Resolves YES if…\nsecond line", tags=(Tag("2", "politics", "Politics"),),
        active=True, closed=False, accepting_orders=True, neg_risk=False,
        resolution_status="", tick_size=0.01, updated_at=T0,
    )
    fields.update(changes)
    return Market(**fields)  # type: ignore[arg-type]


async def pragma(store: Store, name: str) -> object:
    rows = list(await store._db.execute_fetchall(f"PRAGMA {name}"))
    return rows[0][0]


def sqlite_rows(path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple]:
    db = sqlite3.connect(path)
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()


# ---------------------------------------------------------------- opening and schema


async def test_open_creates_folders_and_sets_every_pragma(store: Store) -> None:
    assert store.path.exists()
    assert await pragma(store, "journal_mode") == "wal"
    assert await pragma(store, "foreign_keys") == 1
    assert await pragma(store, "busy_timeout") == schema.BUSY_TIMEOUT_MS
    assert await pragma(store, "synchronous") == 1  # NORMAL
    assert await pragma(store, "user_version") == SCHEMA_VERSION


async def test_migrations_from_an_empty_file_create_every_table(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    async with await Store.open(path):
        pass
    names = {row[0] for row in sqlite_rows(path, "SELECT name FROM sqlite_schema")}
    assert names >= TABLES | {"price_history"}
    assert sqlite_rows(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert sqlite_rows(path, "PRAGMA integrity_check") == [("ok",)]


async def test_reopening_is_idempotent_and_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "polydash.db"
    async with await Store.open(path) as first:
        await first.add_favorite(market(1))
        await first.set_meta("k", "v")
    for _ in range(2):
        async with await Store.open(path) as again:
            assert await again.favorite_ids() == {market(1).id}
            assert await again.get_meta("k") == "v"
            assert await pragma(again, "user_version") == SCHEMA_VERSION


async def test_a_new_migration_is_applied_once_on_an_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "polydash.db"
    async with await Store.open(path) as old:
        await old.add_favorite(market(1))
    v2 = ("CREATE TABLE extra (x TEXT)", "INSERT INTO extra VALUES ('once')")
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, v2))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    for _ in range(2):
        async with await Store.open(path) as new:
            assert await pragma(new, "user_version") == SCHEMA_VERSION + 1
            assert await new.favorite_ids() == {market(1).id}
    assert sqlite_rows(path, "SELECT x FROM extra") == [("once",)]


async def test_a_failing_migration_leaves_the_previous_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "polydash.db"
    async with await Store.open(path):
        pass
    broken = ("CREATE TABLE half_done (x TEXT)", "THIS IS NOT SQL")
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, broken))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(StoreError):
        await Store.open(path)
    assert sqlite_rows(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert not sqlite_rows(path, "SELECT name FROM sqlite_schema WHERE name = 'half_done'")


async def test_a_database_from_a_newer_polydash_is_refused_with_a_sentence(
    tmp_path: Path,
) -> None:
    path = tmp_path / "polydash.db"
    sqlite_rows(path, "PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="newer than this polydash"):
        await Store.open(path)


async def test_a_file_that_is_not_a_database_is_refused_with_a_sentence(
    tmp_path: Path,
) -> None:
    path = tmp_path / "polydash.db"
    path.write_bytes(b"this is not an sqlite file, just some text" * 100)
    with pytest.raises(StoreError, match="not a usable polydash database"):
        await Store.open(path)


async def test_a_folder_that_cannot_be_made_is_reported_with_a_sentence(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="cannot create the folder"):
        await Store.open(blocker / "polydash.db")


# ---------------------------------------------------------------- market snapshot


async def test_snapshot_round_trip_gives_equal_markets_in_order(store: Store) -> None:
    markets = [market(3), market(1, outcomes=(), tags=(), end_date=None, volume_24h=None),
               market(2, closed=True, accepting_orders=None, description="")]
    await store.save_markets(markets, T0)
    loaded, fetched_at = await store.load_markets()
    assert loaded == markets
    assert fetched_at == T0


async def test_load_markets_on_a_new_database_is_empty(store: Store) -> None:
    assert await store.load_markets() == ([], None)


async def test_save_markets_replaces_the_whole_snapshot(store: Store) -> None:
    await store.save_markets([market(1), market(2)], T0)
    later = T0 + timedelta(minutes=5)
    await store.save_markets([market(3)], later)
    assert await store.load_markets() == ([market(3)], later)
    assert await store.get_market(market(1).id) is None
    assert await store.get_market(market(1).outcomes[0].token_id) is None


async def test_save_markets_empty_keeps_favorites_views_and_history(store: Store) -> None:
    await store.save_markets([market(1), market(2)], T0)
    await store.add_favorite(market(1))
    await store.record_view(market(2).id, 0.5, at=T0)
    await store.record_prices([PricePoint(TOKEN_A, 100, 0.5)])
    await store.save_markets([], T0 + timedelta(hours=1))
    assert await store.load_markets() == ([], T0 + timedelta(hours=1))
    assert [f.market_id for f in await store.favorites()] == [market(1).id]
    assert await store.last_view(market(2).id) == Visit(market(2).id, T0, 0.5)
    assert await store.history(TOKEN_A) == [PricePoint(TOKEN_A, 100, 0.5)]


async def test_upsert_adds_at_the_end_updates_in_place_and_keeps_snapshot_time(
    store: Store,
) -> None:
    await store.save_markets([market(1), market(2)], T0)
    changed = market(1, question="Will X 1 happen, really?", volume_24h=1.0)
    await store.upsert_markets([market(5), changed], T0 + timedelta(minutes=1))
    loaded, fetched_at = await store.load_markets()
    assert loaded == [changed, market(2), market(5)]
    assert fetched_at == T0


async def test_upsert_replaces_the_token_index_of_a_market(store: Store) -> None:
    await store.save_markets([market(1)], T0)
    moved = market(1, outcomes=(Outcome("Yes", 0.5, TOKEN_A), Outcome("No", 0.5, TOKEN_B)))
    await store.upsert_markets([moved], T0)
    assert await store.get_market(TOKEN_B) == moved
    assert await store.get_market(market(1).outcomes[0].token_id) is None


async def test_upsert_on_an_empty_snapshot_reports_the_oldest_row(store: Store) -> None:
    await store.upsert_markets([market(1)], T0 + timedelta(minutes=3))
    await store.upsert_markets([market(2)], T0 + timedelta(minutes=9))
    await store.upsert_markets([], T0 + timedelta(minutes=20))
    loaded, fetched_at = await store.load_markets()
    assert loaded == [market(1), market(2)]
    assert fetched_at == T0 + timedelta(minutes=3)


async def test_get_market_by_id_slug_and_token_id(store: Store) -> None:
    await store.save_markets([market(1), market(2)], T0)
    wanted = market(2)
    assert await store.get_market(wanted.id) == wanted
    assert await store.get_market(wanted.slug) == wanted
    assert await store.get_market(wanted.outcomes[1].token_id) == wanted
    assert await store.get_market("no-such-market") is None
    assert await store.get_market("") is None


async def test_get_market_prefers_an_id_over_a_slug(store: Store) -> None:
    by_slug = market(1, slug=market(2).id)
    await store.save_markets([by_slug, market(2)], T0)
    assert await store.get_market(market(2).id) == market(2)


async def test_hostile_text_round_trips_literally(store: Store) -> None:
    nasty = market(1, question="'; DROP TABLE markets; -- [@click=app.quit]x \u202e",
                   slug="x'\"--", description="\x00 nul? \U0001f600")
    await store.save_markets([nasty], T0)
    assert await store.get_market("x'\"--") == nasty
    assert (await store.load_markets())[0] == [nasty]


async def test_a_lone_surrogate_does_not_fail_the_snapshot(store: Store) -> None:
    # json.loads('"\\ud83d"') gives a str that UTF-8 (and so SQLite) cannot take.
    odd = market(1, id="1-\udc00", question="Will \ud83d happen?", group_title="\udfff")
    await store.save_markets([odd, market(2)], T0)
    assert (await store.load_markets())[0] == [odd, market(2)]  # the JSON keeps it exactly
    assert await store.get_market("1-\udc00") == odd
    await store.add_favorite(odd)
    assert [f.question for f in await store.favorites()] == ["Will \ufffd happen?"]


# ---------------------------------------------------------------- favorites


async def test_add_list_and_remove_favorites(store: Store) -> None:
    await store.add_favorite(market(2))
    await store.add_favorite(market(1))
    favorites = await store.favorites()
    assert [f.market_id for f in favorites] == [market(2).id, market(1).id]
    first = favorites[0]
    assert isinstance(first, Favorite)
    assert (first.slug, first.question) == (market(2).slug, market(2).question)
    assert first.added_at.tzinfo is not None
    assert await store.favorite_ids() == {market(1).id, market(2).id}
    assert await store.remove_favorite(market(2).id) is True
    assert await store.remove_favorite(market(2).id) is False
    assert await store.favorite_ids() == {market(1).id}


async def test_adding_a_favorite_again_keeps_its_date_and_updates_its_text(
    store: Store,
) -> None:
    await store.add_favorite(market(1))
    before = (await store.favorites())[0]
    await store.add_favorite(market(1, question="Renamed?", slug="renamed"))
    after = await store.favorites()
    assert after == [Favorite(before.market_id, "renamed", "Renamed?", before.added_at)]


async def test_favorites_survive_reopening_without_a_snapshot(tmp_path: Path) -> None:
    path = tmp_path / "polydash.db"
    async with await Store.open(path) as first:
        await first.add_favorite(market(7))
    async with await Store.open(path) as again:
        assert await again.load_markets() == ([], None)
        assert [f.question for f in await again.favorites()] == [market(7).question]


# ---------------------------------------------------------------- price history


async def test_record_prices_returns_rows_inserted_and_ignores_repeats(store: Store) -> None:
    first = [PricePoint(TOKEN_A, t, 0.5) for t in range(100, 110)]
    assert await store.record_prices(first) == 10
    again = [PricePoint(TOKEN_A, t, 0.9) for t in range(105, 115)]
    assert await store.record_prices(again) == 5
    assert await store.record_prices(again + again) == 0
    assert await store.record_prices([]) == 0
    stored = await store.history(TOKEN_A)
    assert [p.t for p in stored] == list(range(100, 115))
    assert stored[5] == PricePoint(TOKEN_A, 105, 0.5)  # the first value is kept


async def test_a_point_without_a_price_is_skipped(store: Store) -> None:
    points = [PricePoint(TOKEN_A, 1, None), PricePoint(TOKEN_A, 2, 0.5)]  # type: ignore[arg-type]
    assert await store.record_prices(points) == 1
    assert await store.history(TOKEN_A) == [PricePoint(TOKEN_A, 2, 0.5)]


async def test_token_ids_are_stored_as_text_exactly(store: Store) -> None:
    await store.record_prices([PricePoint(TOKEN_B, 1, 0.25), PricePoint(TOKEN_A, 1, 0.75)])
    assert await store.history(TOKEN_B) == [PricePoint(TOKEN_B, 1, 0.25)]
    # What another reader of the file sees (the committed rows).
    types = sqlite_rows(store.path, "SELECT DISTINCT typeof(token_id) FROM price_tokens")
    assert list(map(tuple, types)) == [("text",)]
    view = sqlite_rows(store.path, "SELECT token_id, t, p FROM price_history ORDER BY p")
    assert list(map(tuple, view)) == [(TOKEN_B, 1, 0.25), (TOKEN_A, 1, 0.75)]


async def test_last_points_are_the_newest_n_in_ascending_order(store: Store) -> None:
    await store.record_prices([PricePoint(TOKEN_A, t, t / 1000) for t in range(200, 0, -1)])
    await store.record_prices([PricePoint(TOKEN_B, t, 0.1) for t in (5, 7)])
    result = await store.last_points([TOKEN_A, TOKEN_B, "unknown", TOKEN_A], 3)
    assert result == {
        TOKEN_A: [PricePoint(TOKEN_A, t, t / 1000) for t in (198, 199, 200)],
        TOKEN_B: [PricePoint(TOKEN_B, 5, 0.1), PricePoint(TOKEN_B, 7, 0.1)],
        "unknown": [],
    }
    assert await store.last_points([TOKEN_A], 0) == {TOKEN_A: []}
    assert await store.last_points([], 5) == {}


async def test_last_points_of_more_tokens_than_one_query_holds(store: Store) -> None:
    tokens = [token(n) for n in range(450)]
    await store.record_prices([PricePoint(tok, t, 0.5) for tok in tokens for t in (1, 2, 3)])
    result = await store.last_points(tokens, 2)
    assert list(result) == tokens
    assert all([p.t for p in points] == [2, 3] for points in result.values())


async def test_history_since_is_inclusive_and_ascending(store: Store) -> None:
    await store.record_prices([PricePoint(TOKEN_A, t, 0.5) for t in (30, 10, 20, 40)])
    assert [p.t for p in await store.history(TOKEN_A)] == [10, 20, 30, 40]
    assert [p.t for p in await store.history(TOKEN_A, since=20)] == [20, 30, 40]
    assert await store.history(TOKEN_A, since=41) == []
    assert await store.history("unknown") == []


async def test_a_token_and_second_is_stored_once_from_any_source(store: Store) -> None:
    # The same second from a poll, a book, the websocket and a fetched history.
    batch = [PricePoint(TOKEN_A, 100, 0.5), PricePoint(TOKEN_A, 100, 0.6),
             PricePoint(TOKEN_B, 100, 0.5), PricePoint(TOKEN_A, 101, 0.7)]
    assert await store.record_prices(batch) == 3
    assert await store.record_prices([PricePoint(TOKEN_A, 100, 0.8)]) == 0
    rows = sqlite_rows(store.path, "SELECT token_id, t, COUNT(*) FROM price_history"
                                   " GROUP BY token_id, t ORDER BY token_id, t")
    assert rows == [(TOKEN_B, 100, 1), (TOKEN_A, 100, 1), (TOKEN_A, 101, 1)]
    # The table itself refuses a second row, whoever writes the file.
    with pytest.raises(sqlite3.IntegrityError):
        sqlite_rows(store.path, "INSERT INTO price_points (token_key, t, p)"
                                " SELECT token_key, t, p FROM price_points LIMIT 1")


async def test_last_in_slices_gives_the_newest_point_of_each_slice(store: Store) -> None:
    await store.record_prices([PricePoint(TOKEN_A, t, t / 100) for t in (1, 5, 9, 12, 35, 40)])
    await store.record_prices([PricePoint(TOKEN_B, 45, 0.5)])
    result = await store.last_in_slices([TOKEN_A, TOKEN_B, "unknown", TOKEN_A],
                                        [0, 10, 20, 30], 10)
    assert result == {
        # 1 and 5 are older in their slice, slice 20-29 is empty, 40 is past the last.
        TOKEN_A: [PricePoint(TOKEN_A, t, t / 100) for t in (9, 12, 35)],
        TOKEN_B: [],
        "unknown": [],
    }
    assert await store.last_in_slices([TOKEN_A], [], 10) == {TOKEN_A: []}
    assert await store.last_in_slices([], [0], 10) == {}


async def test_last_in_slices_of_a_token_with_a_tick_every_second(store: Store) -> None:
    await store.record_prices([PricePoint(TOKEN_A, t, (t % 100) / 100) for t in range(50_000)])
    result = await store.last_in_slices([TOKEN_A], list(range(0, 60_000, 5_000)), 5_000)
    assert [p.t for p in result[TOKEN_A]] == list(range(4_999, 50_000, 5_000))
    assert {p.p for p in result[TOKEN_A]} == {0.99}


async def test_a_failed_write_rolls_back_and_the_store_stays_usable(store: Store) -> None:
    bad = [PricePoint(TOKEN_A, 1, 0.5), PricePoint(TOKEN_A, "soon", 0.5)]  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        await store.record_prices(bad)
    # The token key created inside the failed transaction must not be remembered.
    assert await store._db.execute_fetchall("SELECT * FROM price_tokens") == []
    assert await store.record_prices([PricePoint(TOKEN_A, 1, 0.5)]) == 1
    assert await store.history(TOKEN_A) == [PricePoint(TOKEN_A, 1, 0.5)]


@pytest.mark.parametrize("yields", [0, 1, 2, 3, 5, 8])
async def test_a_cancelled_write_leaves_the_store_usable(store: Store, yields: int) -> None:
    big = [PricePoint(token(n), t, 0.5) for n in range(20) for t in range(500)]
    task = asyncio.create_task(store.record_prices(big))
    for _ in range(yields):
        await asyncio.sleep(0)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    stored = len(await store.history(token(0)))
    assert stored in (0, 500)  # all or nothing
    assert await store.record_prices([PricePoint(TOKEN_A, 1, 0.5)]) == 1
    await store.add_favorite(market(1))
    assert await store.favorite_ids() == {market(1).id}


async def test_concurrent_tasks_share_one_store(store: Store) -> None:
    async def writer(n: int) -> None:
        await store.record_prices([PricePoint(token(n), t, 0.5) for t in range(50)])
        await store.add_favorite(market(n))
        await store.set_meta(f"k{n}", str(n))
        await store.record_view(market(n).id, 0.5)

    await asyncio.gather(*(writer(n) for n in range(20)), store.save_markets([market(1)], T0))
    assert len(await store.favorite_ids()) == 20
    points = await store.last_points([token(n) for n in range(20)], 100)
    assert all(len(series) == 50 for series in points.values())


# ---------------------------------------------------------------- recently viewed


async def test_record_and_read_views(store: Store) -> None:
    await store.record_view("1", 0.25, at=T0)
    await store.record_view("2", None, at=T0 + timedelta(minutes=1))
    await store.record_view("3", 0.75, at=T0 + timedelta(minutes=2))
    assert await store.last_view("2") == Visit("2", T0 + timedelta(minutes=1), None)
    assert await store.last_view("nope") is None
    assert [v.market_id for v in await store.recent_views()] == ["3", "2", "1"]
    assert [v.market_id for v in await store.recent_views(limit=2)] == ["3", "2"]
    assert await store.recent_views(limit=0) == []


async def test_a_new_view_replaces_the_previous_one(store: Store) -> None:
    await store.record_view("1", 0.25, at=T0)
    await store.record_view("1", 0.40, at=T0 + timedelta(days=1))
    assert await store.recent_views() == [Visit("1", T0 + timedelta(days=1), 0.40)]


async def test_view_times_default_to_now_and_naive_times_mean_utc(store: Store) -> None:
    before = datetime.now(UTC)
    await store.record_view("1", 0.5)
    after = datetime.now(UTC)
    seen = await store.last_view("1")
    assert seen is not None and before <= seen.viewed_at <= after
    await store.record_view("2", 0.5, at=datetime(2026, 1, 2, 3, 4, 5))  # noqa: DTZ001
    assert (await store.last_view("2")) == Visit("2", datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
                                                 0.5)


# ---------------------------------------------------------------- meta


async def test_meta_get_and_set(store: Store) -> None:
    assert await store.get_meta("theme") is None
    await store.set_meta("theme", "dark")
    await store.set_meta("theme", "light")
    assert await store.get_meta("theme") == "light"


# ---------------------------------------------------------------- alerts


async def test_deleting_an_alert_keeps_its_log_and_its_id_is_not_reused(store: Store) -> None:
    first = await store.add_alert("m1", "above", {"threshold": 0.6}, T0)
    second = await store.add_alert("m2", "below", {"threshold": 0.3}, T0)
    payload = {"market": "Will X happen? [/b]", "message": "Will X happen? [/b]: crossed"}
    await store.record_alert_fired(second, T0, payload)
    assert await store.remove_alert(second)
    [row] = await store.alert_log()
    assert (row.alert_id, row.payload) == (second, payload)  # history outlives the alert
    again = await store.add_alert("m3", "above", {"threshold": 0.7}, T0)
    assert again not in (first, second)  # the log's alert id never names a new alert
    assert await store.alert_log(alert_id=again) == []


async def test_a_firing_is_logged_even_after_its_alert_was_deleted(store: Store) -> None:
    alert_id = await store.add_alert("m1", "above", {"threshold": 0.6}, T0)
    await store.remove_alert(alert_id)
    log_id = await store.record_alert_fired(alert_id, T0, {"market": "M"})
    assert [(r.id, r.alert_id) for r in await store.alert_log()] == [(log_id, alert_id)]


async def test_v2_alerts_and_their_log_survive_the_v3_migration(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    db = sqlite3.connect(path)
    for statement in (*schema.MIGRATIONS[0], *schema.MIGRATIONS[1]):
        db.execute(statement)
    db.execute("PRAGMA user_version = 2")
    db.executemany("INSERT INTO alerts (id, market_id, kind, params, created_at, armed)"
                   " VALUES (?, ?, ?, ?, ?, ?)",
                   [(1, "m1", "above", '{"threshold": 0.6}', "2026-02-01T00:00:00.000000Z", 1),
                    (4, "m2", "below", '{"threshold": 0.3}', "2026-02-02T00:00:00.000000Z", 0)])
    db.execute("INSERT INTO alert_log (id, alert_id, fired_at, payload) VALUES "
               "(7, 4, '2026-02-03T00:00:00.000000Z', '{\"market\": \"M2\"}')")
    db.commit()
    db.close()
    async with await Store.open(path) as store:
        assert [(a.id, a.market_id, a.armed) for a in await store.alerts()] == [
            (1, "m1", True), (4, "m2", False)]
        assert await store.remove_alert(4)  # v2 would have deleted its log row with it
        assert [(r.id, r.alert_id, r.payload) for r in await store.alert_log()] == [
            (7, 4, {"market": "M2"})]
        assert await store.add_alert("m3", "above", {}, T0) == 5  # 4 is not reused
    assert sqlite_rows(path, "PRAGMA foreign_key_list(alert_log)") == []
    assert sqlite_rows(path, "PRAGMA integrity_check") == [("ok",)]


async def test_the_v3_migration_never_reuses_an_id_the_log_names(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    db = sqlite3.connect(path)
    for statement in (*schema.MIGRATIONS[0], *schema.MIGRATIONS[1]):
        db.execute(statement)
    db.execute("PRAGMA user_version = 2")
    db.execute("PRAGMA foreign_keys = OFF")  # a log row whose alert is gone, as v3 keeps
    db.execute("INSERT INTO alert_log (alert_id, fired_at, payload) VALUES "
               "(9, '2026-02-03T00:00:00.000000Z', '{}')")
    db.commit()
    db.close()
    async with await Store.open(path) as store:
        assert await store.add_alert("m1", "above", {}, T0) == 10
