"""NewsService and MarketData's news methods: providers together, demo data, SQLite."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.fakeapi import NEWSAPI_TEST_KEY, FakeApi
from tests.support import NOW, FakeClock
from tui.config import Config, NewsConfig, RssFeed
from tui.demo.transport import DemoTransport
from tui.models import Market, Tag
from tui.services.market_data import MarketData, OfflineError
from tui.services.news import NewsService, NewsUnavailable
from tui.store import Store

BITCOIN = Market(id="btc-1", slug="btc-15k", question="Will BTC break $15k before 2021?",
                 tags=(Tag("1", "bitcoin", "Bitcoin"),))


def fake_config(api: FakeApi, *providers: str, base: str | None = None) -> Config:
    url = base or api.url
    news = NewsConfig(providers=providers, gdelt_url=url + "/api/v2/doc/doc",
                      rss_feeds=(RssFeed("Google", url + "/feeds/google.xml"),),
                      newsapi_url=url + "/v2/everything", newsapi_key=NEWSAPI_TEST_KEY)
    return Config(news=news)


def service(config: Config, api: FakeApi, *, base: str | None = None) -> NewsService:
    clock = FakeClock(0.0)
    return NewsService.create(config, clock=clock, sleep=clock.sleep, now=lambda: NOW,
                              google_url=(base or api.url) + "/rss/search")


async def test_every_provider_together(fake_api: FakeApi) -> None:
    news = service(fake_config(fake_api, "gdelt", "rss", "newsapi", "google_news"), fake_api)
    try:
        result = await news.fetch(BITCOIN)
    finally:
        await news.aclose()
    assert result.answered and result.tried
    # Only NewsAPI's bitcoin articles match; GDELT's port news and Google's Belgian news
    # do not.
    assert result.headlines
    assert {h.provider for h in result.headlines} == {"newsapi"}
    assert all(h.market_id == BITCOIN.id and h.score > 0 for h in result.headlines)
    scores = [h.score for h in result.headlines]
    assert scores == sorted(scores, reverse=True)
    labels = [s.label for s in result.statuses]
    assert labels == ["GDELT", "RSS", "NewsAPI", "Google News"]
    assert fake_api.hits("/rss/search") == 1  # opted in, so it was asked


async def test_no_market_keeps_general_feed_news(fake_api: FakeApi) -> None:
    news = service(fake_config(fake_api, "rss"), fake_api)
    try:
        result = await news.fetch(None)
    finally:
        await news.aclose()
    assert [h.provider for h in result.headlines] == ["rss:Google"]
    assert result.headlines[0].market_id is None


async def test_nobody_answering_is_one_sentence(fake_api: FakeApi) -> None:
    config = fake_config(fake_api, "gdelt", "rss", base=fake_api.closed_url)
    news = service(config, fake_api, base=fake_api.closed_url)
    try:
        result = await news.fetch(BITCOIN)
        error = news.unavailable()
    finally:
        await news.aclose()
    assert result.tried and not result.answered and result.headlines == []
    assert isinstance(error, NewsUnavailable)
    assert str(error) == (
        "no news source answered (GDELT: could not connect to 127.0.0.1 (connection refused), "
        "next try in 1 min; RSS: Google: could not connect to 127.0.0.1 (connection refused), "
        "next try in 5 min)")
    assert news.status_line().startswith("GDELT: could not connect")


async def test_disabled_and_keyless_providers(fake_api: FakeApi) -> None:
    config = Config(news=NewsConfig(providers=("gdelt", "newsapi"), newsapi_key=""))
    news = NewsService.create(config)
    try:
        assert [p.name for p in news.providers] == ["gdelt"]
        assert news.status_line() == ("GDELT: waiting for the first refresh · "
                                      "NewsAPI: off (no key)")
    finally:
        await news.aclose()
    empty = NewsService([])
    assert str(empty.unavailable()) == (
        "no news source is enabled (see [news] providers)")
    assert (await empty.fetch(BITCOIN)).tried is False


async def test_demo_news_for_a_demo_market() -> None:
    transport = DemoTransport(n_markets=60, now=NOW)
    news = NewsService.create(Config(), transport=transport, demo=True, now=lambda: NOW)
    bitcoin = Market(id="d1", slug="d1", question="Will Bitcoin reach $160k by March 15?",
                     tags=(Tag("21", "bitcoin", "Bitcoin"),))
    try:
        result = await news.fetch(bitcoin)
    finally:
        await news.aclose()
    assert result.answered and len(result.headlines) >= 3
    assert all("bitcoin" in h.title.lower() for h in result.headlines)
    assert all(h.url.startswith("https://") and ".demo.polydash.invalid/" in h.url
               for h in result.headlines)
    assert len({h.url for h in result.headlines}) == len(result.headlines)  # deduped


# ---------------------------------------------------------------- MarketData


async def test_market_data_news_is_saved_and_read_back(store: Store) -> None:
    transport = DemoTransport(n_markets=60, now=NOW)
    data = await MarketData.create(Config(), store, demo=True, transport=transport)
    # The same news service MarketData makes, with a wall clock the test moves.
    now = [NOW]
    await data.news.aclose()
    data.news = NewsService.create(Config(), transport=transport, demo=True,
                                   now=lambda: now[0])
    try:
        markets = await data.refresh_markets()
        bitcoin = next(m for m in markets if "Bitcoin" in m.question)
        first = await data.news_for(bitcoin)
        assert first and all(h.first_seen == NOW and not h.read for h in first)
        now[0] = NOW + timedelta(minutes=5)
        again = await data.news_for(bitcoin)
        assert {h.url for h in again} >= {h.url for h in first}
        assert all(h.first_seen == NOW for h in again if h.url in {f.url for f in first})
        assert await data.mark_news_read(first[0].url)
        stored = await data.stored_news(bitcoin.id)
        assert {h.url for h in stored} == {h.url for h in again}
        assert next(h for h in stored if h.url == first[0].url).read
        assert "GDELT:" in data.news_status()
    finally:
        await data.aclose()


async def test_offline_market_data_answers_from_sqlite_only(store: Store) -> None:
    demo = await MarketData.create(Config(), store, demo=True,
                                   transport=DemoTransport(n_markets=60, now=NOW))
    try:
        markets = await demo.refresh_markets()
        bitcoin = next(m for m in markets if "Bitcoin" in m.question)
        saved = await demo.news_for(bitcoin)
    finally:
        await demo.aclose()
    offline = await MarketData.create(Config(), store, offline=True)
    try:
        with pytest.raises(OfflineError):
            await offline.news_for(bitcoin)
        stored = await offline.stored_news(bitcoin.id)
        assert {h.url for h in stored} == {h.url for h in saved}
        times = [h.when for h in stored]
        assert times == sorted(times, reverse=True)  # newest first
        assert offline.news_status() == "Offline: showing saved headlines only."
        assert offline.news.providers == []
    finally:
        await offline.aclose()
