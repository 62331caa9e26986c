"""Every news provider against the loopback fake API (tests/fakeapi.py): success, pacing,
caching, conditional GET, and every failure a person should see as a sentence."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator

import pytest

from tests.fakeapi import (
    NEWSAPI_TEST_KEY,
    FakeApi,
    Fault,
    Response,
    json_response,
    text_response,
)
from tests.support import FakeClock, news_fixture, rss_feed, rss_item
from tui.config import RssFeed
from tui.services.http import HttpClient
from tui.services.news.providers import (
    GdeltProvider,
    GoogleNewsProvider,
    NewsApiProvider,
    Plan,
    RssProvider,
)

GDELT_PATH = "/api/v2/doc/doc"
VIZHINJAM = Plan(gdelt="vizhinjam sourcelang:english", keywords="bitcoin",
                 google='"belgique" when:7d')


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def http() -> AsyncIterator[HttpClient]:
    async with HttpClient(timeout_s=2.0, user_agent="polydash-tests/1 (+news)",
                          max_attempts=1) as client:
        yield client


def gdelt(http: HttpClient, api: FakeApi, clock: FakeClock, **kw: float) -> GdeltProvider:
    return GdeltProvider(http, api.url + GDELT_PATH, clock=clock, sleep=clock.sleep, **kw)


def story_url(n: int) -> str:
    return f"https://feed.example.com/{n}"


# ---------------------------------------------------------------- GDELT


async def test_gdelt_artlist(fake_api: FakeApi, http: HttpClient, clock: FakeClock) -> None:
    provider = gdelt(http, fake_api, clock)
    outcome = await provider.run(VIZHINJAM)
    assert outcome.ok and len(outcome.items) == 4
    assert provider.status().text == "GDELT: 4 headlines"
    request = fake_api.requests_to(GDELT_PATH)[0]
    assert request.arg("mode") == "artlist" and request.arg("format") == "json"
    assert request.arg("query") == "vizhinjam sourcelang:english"
    assert request.arg("sort") == "DateDesc" and request.arg("maxrecords") == "50"
    assert request.headers["user-agent"].startswith("polydash-tests/1")


async def test_gdelt_caches_a_query_and_paces_new_ones(fake_api: FakeApi, http: HttpClient,
                                                      clock: FakeClock) -> None:
    provider = gdelt(http, fake_api, clock)
    await provider.run(VIZHINJAM)
    again = await provider.run(VIZHINJAM)
    assert again.ok and len(again.items) == 4
    assert fake_api.hits(GDELT_PATH) == 1  # the repeat sent nothing, and did not wait
    assert clock.sleeps == []
    await provider.run(Plan(gdelt="seaport sourcelang:english"))
    assert fake_api.hits(GDELT_PATH) == 2
    assert clock.sleeps == [pytest.approx(5.5)]  # at least 5 s between two GDELT calls
    clock.advance(15 * 60 + 1)  # the cache lasts 15 minutes
    await provider.run(VIZHINJAM)
    assert fake_api.hits(GDELT_PATH) == 3


async def test_gdelt_plain_text_429_backs_off(fake_api: FakeApi, http: HttpClient,
                                             clock: FakeClock) -> None:
    fake_api.enqueue(GDELT_PATH, text_response(news_fixture("gdelt_429_rate_limited_body.txt"),
                                               429))
    provider = gdelt(http, fake_api, clock)
    outcome = await provider.run(VIZHINJAM)
    assert outcome.tried and not outcome.ok
    assert provider.status().text == "GDELT: rate limited, next try in 1 min"
    assert (await provider.run(VIZHINJAM)).tried is False  # cooling down: nothing sent
    assert fake_api.hits(GDELT_PATH) == 1
    clock.advance(40)
    assert provider.status().text == "GDELT: rate limited, next try in 20 s"
    clock.advance(21)
    assert (await provider.run(VIZHINJAM)).ok
    assert provider.status().text == "GDELT: 4 headlines"


async def test_gdelt_retry_after_and_doubling_backoff(fake_api: FakeApi, http: HttpClient,
                                                     clock: FakeClock) -> None:
    fake_api.inject(GDELT_PATH, Fault.RATE_LIMIT, times=1, retry_after="300")
    provider = gdelt(http, fake_api, clock)
    await provider.run(VIZHINJAM)
    assert provider.status().retry_in == pytest.approx(300)
    clock.advance(301)
    fake_api.inject(GDELT_PATH, Fault.SERVER_ERROR, times=2)
    await provider.run(Plan(gdelt="one sourcelang:english"))
    first = provider.status().retry_in
    clock.advance(first or 0)
    await provider.run(Plan(gdelt="two sourcelang:english"))
    assert provider.status().retry_in == pytest.approx(2 * (first or 0))
    assert provider.status().detail.startswith("had a server error (HTTP 500")


async def test_gdelt_200_plain_text_refusal_is_an_answer(fake_api: FakeApi, http: HttpClient,
                                                        clock: FakeClock) -> None:
    provider = gdelt(http, fake_api, clock)
    refused = Plan(gdelt="ai sourcelang:english")  # two letters: too short for GDELT
    outcome = await provider.run(refused)
    assert outcome.ok and outcome.items == []
    status = provider.status()
    assert not status.failing
    assert status.text.startswith("GDELT: refused the search (One or more of your keywords")
    await provider.run(refused)
    assert fake_api.hits(GDELT_PATH) == 1  # the refusal is cached like an answer
    assert provider.status().text.startswith("GDELT: refused the search")


async def test_gdelt_timeout(fake_api: FakeApi, clock: FakeClock) -> None:
    fake_api.inject(GDELT_PATH, Fault.TIMEOUT, delay_s=2.0)
    async with HttpClient(timeout_s=0.2, user_agent="t", max_attempts=1) as http:
        provider = gdelt(http, fake_api, clock)
        outcome = await provider.run(VIZHINJAM)
    assert not outcome.ok
    assert provider.status().text == "GDELT: did not answer within 0.2 s, next try in 1 min"


@pytest.mark.parametrize(("fault", "detail"), [
    (Fault.HTML_403, "refused the request (HTTP 403)"),
    (Fault.HTML_200, "sent a reply that could not be read (a web page came instead of data)"),
])
async def test_gdelt_html_block_pages(fake_api: FakeApi, http: HttpClient, clock: FakeClock,
                                      fault: Fault, detail: str) -> None:
    fake_api.inject(GDELT_PATH, fault)
    provider = gdelt(http, fake_api, clock)
    await provider.run(VIZHINJAM)
    assert provider.status().detail == detail
    assert provider.status().failing


async def test_gdelt_truncated_json_keeps_the_whole_rows(fake_api: FakeApi, http: HttpClient,
                                                        clock: FakeClock) -> None:
    fake_api.inject(GDELT_PATH, Fault.TRUNCATED)
    provider = gdelt(http, fake_api, clock)
    outcome = await provider.run(VIZHINJAM)
    assert outcome.ok and 1 <= len(outcome.items) < 4
    assert all(h.url.startswith("https://") for h in outcome.items)


async def test_gdelt_unreachable(fake_api: FakeApi, http: HttpClient, clock: FakeClock) -> None:
    provider = GdeltProvider(http, fake_api.closed_url + GDELT_PATH, clock=clock,
                             sleep=clock.sleep)
    await provider.run(VIZHINJAM)
    assert provider.status().text == (
        "GDELT: could not connect to 127.0.0.1 (connection refused), next try in 1 min")


async def test_gdelt_hostile_titles_are_cleaned(fake_api: FakeApi, http: HttpClient,
                                               clock: FakeClock) -> None:
    fake_api.gdelt_articles = [
        {"url": "https://evil.example.com/a", "title": "[/b]\x1b]8;;https://x\x07 \u202egnp.exe",
         "seendate": "20260301T100000Z", "domain": "evil\x1b[2J.example.com"},
        {"url": "http://plain.example.com/b", "title": "Dropped: not https"},
    ]
    outcome = await gdelt(http, fake_api, clock).run(VIZHINJAM)
    assert [h.title for h in outcome.items] == ["[/b] gnp.exe"]
    assert outcome.items[0].publisher == "evil.example.com"


# ---------------------------------------------------------------- RSS


def rss_provider(http: HttpClient, api: FakeApi, clock: FakeClock,
                 *names: str) -> RssProvider:
    feeds = [RssFeed(name.split(".")[0].title(), f"{api.url}/feeds/{name}") for name in names]
    return RssProvider(http, feeds, poll_s=300, clock=clock, sleep=clock.sleep)


async def test_rss_conditional_get_keeps_items_on_304(fake_api: FakeApi, http: HttpClient,
                                                     clock: FakeClock) -> None:
    fake_api.feeds["markets.xml"] = rss_feed(rss_item("Fed holds rates", story_url(1)),
                                             rss_item("BTC slips", story_url(2)))
    provider = rss_provider(http, fake_api, clock, "markets.xml")
    first = await provider.run(Plan())
    assert [h.title for h in first.items] == ["Fed holds rates", "BTC slips"]
    assert first.items[0].provider == "rss:Markets" and first.items[0].publisher == "Markets"
    assert "if-none-match" not in fake_api.requests_to("/feeds/markets.xml")[0].headers

    await provider.run(Plan())  # not due yet: no request
    assert fake_api.hits("/feeds/markets.xml") == 1

    clock.advance(301)
    second = await provider.run(Plan())
    requests = fake_api.requests_to("/feeds/markets.xml")
    assert len(requests) == 2
    assert requests[1].headers["if-none-match"].startswith('"')
    assert requests[1].headers["if-modified-since"] == "Sun, 08 Mar 2020 15:34:10 GMT"
    assert second.ok and second.items == first.items  # 304: the items we had
    assert provider.status().text == "RSS: 2 headlines from 1 feed"

    fake_api.feeds["markets.xml"] = rss_feed(rss_item("New story", story_url(3)))
    clock.advance(301)
    third = await provider.run(Plan())
    assert [h.title for h in third.items] == ["New story"]


async def test_rss_one_bad_feed_does_not_sink_the_others(fake_api: FakeApi, http: HttpClient,
                                                        clock: FakeClock) -> None:
    fake_api.feeds["good.xml"] = rss_feed(rss_item("Good story", story_url(1)))
    fake_api.feeds["broken.xml"] = "<html><body>Access denied</body></html>"
    provider = rss_provider(http, fake_api, clock, "good.xml", "broken.xml", "missing.xml")
    outcome = await provider.run(Plan())
    assert outcome.ok and [h.title for h in outcome.items] == ["Good story"]
    assert provider.status().text == "RSS: 1 headline from 1 of 3 feeds"


async def test_rss_every_feed_failing_is_a_failure(fake_api: FakeApi, http: HttpClient,
                                                   clock: FakeClock) -> None:
    fake_api.feeds["broken.xml"] = "<html><body>Access denied</body></html>"
    fake_api.feeds["junk.xml"] = "not xml at all"
    provider = rss_provider(http, fake_api, clock, "broken.xml", "junk.xml")
    outcome = await provider.run(Plan())
    assert outcome.tried and not outcome.ok
    status = provider.status()
    assert status.failing
    assert status.text == ("RSS: Broken: the reply is not a readable RSS or Atom feed (and 1 "
                           "more feeds failed), next try in 5 min")


async def test_rss_timeout_and_rate_limit_per_feed(fake_api: FakeApi, clock: FakeClock) -> None:
    fake_api.feeds["slow.xml"] = rss_feed(rss_item("Slow", story_url(1)))
    fake_api.feeds["busy.xml"] = rss_feed(rss_item("Busy", story_url(2)))
    fake_api.inject("/feeds/slow.xml", Fault.TIMEOUT, delay_s=2.0)
    fake_api.inject("/feeds/busy.xml", Fault.RATE_LIMIT, retry_after="3600")
    async with HttpClient(timeout_s=0.2, user_agent="t", max_attempts=1) as http:
        provider = rss_provider(http, fake_api, clock, "slow.xml", "busy.xml")
        await provider.run(Plan())
    errors = {feed.name: feed.error for feed in provider.feeds}
    assert errors == {"Slow": "did not answer within 0.2 s", "Busy": "rate limited"}
    busy = provider.feeds[1]
    assert busy.next_poll - clock() == pytest.approx(3600)


async def test_rss_html_summaries_and_hostile_text(fake_api: FakeApi, http: HttpClient,
                                                  clock: FakeClock) -> None:
    fake_api.feeds["hostile.xml"] = rss_feed(rss_item(
        "[@click=app.quit]Claim &#27;[2J&#7;", story_url(1),
        "&lt;p&gt;Rates &lt;b&gt;unchanged&lt;/b&gt;&lt;/p&gt;&lt;script&gt;x()&lt;/script&gt;"))
    outcome = await rss_provider(http, fake_api, clock, "hostile.xml").run(Plan())
    headline = outcome.items[0]
    assert headline.title == "[@click=app.quit]Claim"
    assert headline.summary == "Rates unchanged"


# ---------------------------------------------------------------- NewsAPI


def newsapi(http: HttpClient, api: FakeApi, clock: FakeClock,
            key: str = NEWSAPI_TEST_KEY) -> NewsApiProvider:
    return NewsApiProvider(http, api.url + "/v2/everything", key, clock=clock,
                           sleep=clock.sleep)


async def test_newsapi_sends_the_key_as_a_header_and_never_logs_it(
        fake_api: FakeApi, clock: FakeClock, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    async with HttpClient(timeout_s=2.0, user_agent="t", max_attempts=1) as http:
        provider = newsapi(http, fake_api, clock)
        outcome = await provider.run(VIZHINJAM)
    assert outcome.ok and len(outcome.items) == 20
    request = fake_api.requests_to("/v2/everything")[0]
    assert request.headers["x-api-key"] == NEWSAPI_TEST_KEY
    assert NEWSAPI_TEST_KEY not in json.dumps(request.query)
    assert request.arg("q") == "bitcoin" and request.arg("pageSize") == "30"
    assert NEWSAPI_TEST_KEY not in caplog.text
    assert NEWSAPI_TEST_KEY not in provider.status().text
    assert NEWSAPI_TEST_KEY not in repr(provider)


async def test_newsapi_refused_key(fake_api: FakeApi, http: HttpClient, clock: FakeClock,
                                   caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    provider = newsapi(http, fake_api, clock, key="wrong-key-abcdef")
    await provider.run(VIZHINJAM)
    text = provider.status().text
    assert text == ("NewsAPI: the key was refused (apiKeyInvalid); check newsapi_key or "
                    "POLYDASH_NEWSAPI_KEY, next try in 6 h")
    assert "wrong-key-abcdef" not in caplog.text


@pytest.mark.parametrize(("reply", "text"), [
    (Response(426, body=news_fixture("newsapi_error_maximumResultsReached_http426.json").encode()),
     "NewsAPI: the plan's result limit was reached (maximumResultsReached), next try in 1 h"),
    (json_response({"status": "error", "code": "rateLimited",
                    "message": "You have made too many requests recently."}, 429),
     "NewsAPI: rate limited, next try in 1 h"),
    (json_response({"status": "error", "code": "parameterInvalid",
                    "message": f"bad q {NEWSAPI_TEST_KEY}"}, 400),
     "NewsAPI: refused the search (HTTP 400, parameterInvalid): bad q ***, next try in 15 min"),
])
async def test_newsapi_error_bodies(fake_api: FakeApi, http: HttpClient, clock: FakeClock,
                                    reply: Response, text: str) -> None:
    fake_api.enqueue("/v2/everything", reply)
    provider = newsapi(http, fake_api, clock)
    await provider.run(VIZHINJAM)
    assert provider.status().text == text


async def test_newsapi_keeps_to_its_daily_budget(fake_api: FakeApi, http: HttpClient,
                                                 clock: FakeClock) -> None:
    provider = newsapi(http, fake_api, clock)
    await provider.run(VIZHINJAM)
    assert (await provider.run(VIZHINJAM)).ok  # cached
    skipped = await provider.run(Plan(keywords="ethereum"))
    assert not skipped.tried  # a new search within 15 minutes waits
    clock.advance(15 * 60)
    assert (await provider.run(Plan(keywords="ethereum"))).ok
    assert fake_api.hits("/v2/everything") == 2


# ---------------------------------------------------------------- Google News


async def test_google_news_search(fake_api: FakeApi, http: HttpClient, clock: FakeClock) -> None:
    provider = GoogleNewsProvider(http, fake_api.url + "/rss/search", clock=clock,
                                  sleep=clock.sleep)
    outcome = await provider.run(VIZHINJAM)
    assert outcome.ok
    [headline] = outcome.items
    assert headline.provider == "google_news" and headline.publisher == "RTBF"
    request = fake_api.requests_to("/rss/search")[0]
    assert request.arg("q") == '"belgique" when:7d'
    assert (request.arg("hl"), request.arg("gl"), request.arg("ceid")) == ("en-US", "US", "US:en")
    fake_api.inject("/rss/search", Fault.SERVER_ERROR)
    clock.advance(11 * 60)
    await provider.run(Plan(google="other when:7d"))
    assert provider.status().failing


async def test_an_unforeseen_parser_error_fails_one_provider_not_the_refresh(
        fake_api: FakeApi, http: HttpClient, clock: FakeClock,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.services.news import providers

    def explode(*args: object, **kwargs: object) -> None:
        raise TypeError("a shape nobody expected")

    monkeypatch.setattr(providers, "parse_gdelt", explode)
    monkeypatch.setattr(providers, "parse_feed", explode)
    provider = gdelt(http, fake_api, clock)
    outcome = await provider.run(VIZHINJAM)
    assert outcome.tried and not outcome.ok
    assert provider.status().text == (
        "GDELT: sent a reply that could not be read, next try in 1 min")
    feeds = rss_provider(http, fake_api, clock, "google.xml")
    await feeds.run(Plan())
    assert feeds.feeds[0].error == "the reply could not be read"
