"""News rows in SQLite: save, dedupe, read back newest first, read flags, migration."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tui.models import Headline, Market
from tui.store import Store, schema

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def headline(n: int, *, minutes_ago: int = 0, provider: str = "gdelt",
             title: str | None = None, market_id: str | None = None,
             published: bool = True) -> Headline:
    return Headline(
        title=title or f"Story number {n} about the Fed and interest rates",
        url=f"https://news.example.com/story-{n}", publisher="news.example.com",
        published_at=T0 - timedelta(minutes=minutes_ago) if published else None,
        provider=provider, summary=f"Summary {n}", market_id=market_id, score=0.5)


async def test_save_counts_new_stories_and_keeps_first_seen(store: Store) -> None:
    first = [headline(1, minutes_ago=30), headline(2, minutes_ago=10)]
    assert await store.save_headlines(first, "m1", seen_at=T0) == 2
    again = [headline(1, minutes_ago=30), headline(3, minutes_ago=5)]
    assert await store.save_headlines(again, "m1", seen_at=T0 + timedelta(hours=1)) == 1
    stored = await store.recent_headlines("m1")
    assert [h.url for h in stored] == [headline(3).url, headline(2).url, headline(1).url]
    assert stored[2].first_seen == T0  # the second save did not move it
    assert stored[0].first_seen == T0 + timedelta(hours=1)
    assert all(h.market_id == "m1" and not h.read for h in stored)
    assert stored[0].summary == "Summary 3" and stored[0].score == 0.5


async def test_the_same_title_from_another_provider_is_the_same_story(store: Store) -> None:
    gdelt = headline(1, title="Fed holds rates steady as inflation cools")
    google = replace(headline(9, provider="google_news"),
                     title="Fed Holds Rates Steady as Inflation Cools - Reuters")
    assert await store.save_headlines([gdelt], "m1", seen_at=T0) == 1
    assert await store.save_headlines([google], "m1", seen_at=T0) == 0
    assert len(await store.recent_headlines("m1")) == 1


async def test_one_story_can_belong_to_several_markets(store: Store) -> None:
    story = headline(1)
    await store.save_headlines([replace(story, score=0.9)], "m1", seen_at=T0)
    await store.save_headlines([replace(story, score=0.4)], "m2", seen_at=T0)
    assert [(h.market_id, h.score) for h in await store.recent_headlines("m1")] == [("m1", 0.9)]
    assert [(h.market_id, h.score) for h in await store.recent_headlines("m2")] == [("m2", 0.4)]
    assert await store.recent_headlines("m3") == []


async def test_unpublished_items_sort_by_first_seen(store: Store) -> None:
    await store.save_headlines([headline(1, minutes_ago=120)], "m1", seen_at=T0)
    await store.save_headlines([headline(2, published=False)], "m1",
                               seen_at=T0 - timedelta(minutes=60))
    assert [h.url for h in await store.recent_headlines("m1")] == [headline(2).url,
                                                                   headline(1).url]


async def test_general_view_is_general_news_and_favorites(store: Store) -> None:
    await store.save_headlines([headline(1, minutes_ago=5)], None, seen_at=T0)  # general
    await store.save_headlines([headline(2, minutes_ago=4, market_id="fav")], None, seen_at=T0)
    await store.save_headlines([headline(3, minutes_ago=3)], "other", seen_at=T0)
    await store.save_headlines([headline(4, minutes_ago=2)], "fav", seen_at=T0)
    assert [h.url for h in await store.recent_headlines(None)] == [headline(1).url]
    await store.add_favorite(Market(id="fav", slug="fav", question="A favorite?"))
    general = await store.recent_headlines(None)
    assert [h.url for h in general] == [headline(4).url, headline(2).url, headline(1).url]
    assert [h.market_id for h in general] == ["fav", "fav", None]
    assert len(await store.recent_headlines(None, limit=2)) == 2


async def test_mark_read_survives_later_saves(store: Store) -> None:
    await store.save_headlines([headline(1)], "m1", seen_at=T0)
    assert await store.mark_read(headline(1).url)
    assert not await store.mark_read("https://news.example.com/never-seen")
    await store.save_headlines([headline(1)], "m1", seen_at=T0 + timedelta(hours=1))
    assert (await store.recent_headlines("m1"))[0].read


async def test_prune_forgets_old_stories_and_their_links(store: Store) -> None:
    await store.save_headlines([headline(1)], "m1", seen_at=T0 - timedelta(days=40))
    await store.save_headlines([headline(2)], "m1", seen_at=T0)
    assert await store.prune_news(T0 - timedelta(days=30)) == 1
    assert [h.url for h in await store.recent_headlines("m1")] == [headline(2).url]
    links = sqlite3.connect(store.path).execute(
        "SELECT COUNT(*) FROM news_markets").fetchone()
    assert links == (1,)


async def test_hostile_and_unstorable_text_round_trips(store: Store) -> None:
    odd = replace(headline(1), title="[/b] [@click=app.quit]x \ud83d half", summary="\ud800")
    assert await store.save_headlines([odd], "m1", seen_at=T0) == 1
    stored = (await store.recent_headlines("m1"))[0]
    assert stored.title.startswith("[/b] [@click=app.quit]x ")


async def test_v1_news_rows_survive_the_migration(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    for statement in schema.MIGRATIONS[0]:
        db.execute(statement)
    db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO news (url, title, publisher, published_at, provider, market_id,"
               " first_seen, read) VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
               ("https://old.example.com/a", "Old story", "old.example.com",
                "2026-02-01T00:00:00.000000Z", "gdelt", "m1", "2026-02-01T00:00:01.000000Z"))
    db.commit()
    db.close()
    async with await Store.open(path) as store:
        stored = await store.recent_headlines("m1")
        assert [(h.title, h.read, h.market_id) for h in stored] == [("Old story", True, "m1")]
        assert stored[0].published_at == datetime(2026, 2, 1, tzinfo=UTC)
