"""Prints what the news pipeline costs: feed parsing, matching, saving, the pane's merge.

    .venv/bin/python benchmarks/bench_news.py
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tui.models import Headline, Market, Tag
from tui.services.news.matching import rank, topic_for
from tui.services.news.parse import dedupe, parse_feed
from tui.store import Store

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
MARKET = Market(id="1", slug="btc", question="Will Bitcoin reach $160k by March 15?",
                tags=(Tag("1", "bitcoin", "Bitcoin"),))


def feed(items: int) -> str:
    rows = "".join(
        f"<item><title>Story {i}: Bitcoin &amp; markets move on day {i}</title>"
        f"<link>https://news.example.com/{i}?utm_source=rss</link>"
        f"<description>&lt;p&gt;Summary &lt;b&gt;{i}&lt;/b&gt; with some text&lt;/p&gt;"
        f"</description><pubDate>Sun, 01 Mar 2026 10:00:00 GMT</pubDate></item>"
        for i in range(items))
    head = '<?xml version="1.0"?><rss version="2.0"><channel><title>B</title>'
    return f"{head}{rows}</channel></rss>"


def timed(label: str, runs: int, action: object) -> None:
    start = time.perf_counter()
    for _ in range(runs):
        action()  # type: ignore[operator]
    per_run = (time.perf_counter() - start) / runs * 1000
    print(f"{label}: {per_run:.2f} ms")


def headlines(count: int) -> list[Headline]:
    return [Headline(f"Bitcoin story number {i} on ETF flows", f"https://n.example.com/{i}",
                     "n.example.com", NOW - timedelta(minutes=i), "gdelt") for i in range(count)]


async def store_costs() -> None:
    with tempfile.TemporaryDirectory() as folder:
        async with await Store.open(Path(folder) / "bench.db") as store:
            batch = headlines(100)
            start = time.perf_counter()
            await store.save_headlines(batch, "1", seen_at=NOW)
            first = (time.perf_counter() - start) * 1000
            start = time.perf_counter()
            await store.save_headlines(batch, "1", seen_at=NOW)
            again = (time.perf_counter() - start) * 1000
            start = time.perf_counter()
            await store.recent_headlines("1", 200)
            read = (time.perf_counter() - start) * 1000
    print(f"save 100 new headlines: {first:.1f} ms; the same 100 again: {again:.1f} ms; "
          f"read 200 back: {read:.1f} ms")


def main() -> None:
    start = time.perf_counter()
    import feedparser  # noqa: F401  (the lazy import the first parse pays)

    print(f"feedparser import: {(time.perf_counter() - start) * 1000:.0f} ms (paid once, "
          "in a thread, at the first feed)")
    text = feed(200)
    timed("parse a 200-item RSS feed", 5, lambda: parse_feed(text, provider="rss:B"))
    topic = topic_for(MARKET)
    timed("topic for a market question", 200, lambda: topic_for(MARKET))
    items = headlines(1000)
    timed("dedupe 1,000 headlines", 5, lambda: dedupe(items))
    timed("rank 1,000 headlines for a market", 5, lambda: rank(items, topic, NOW))
    asyncio.run(store_costs())


if __name__ == "__main__":
    main()
