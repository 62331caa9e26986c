"""The real HttpClient, GammaClient and ClobClient against tests/fakeapi.py on loopback:
keyset pages, every fault the issue names, the TTL cache, batching, and price recording.
Sleeps are injected (SleepLog), so retries and Retry-After are checked without waiting.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from tests.fakeapi import (
    FAKE_NOW,
    FakeApi,
    FakeRecorder,
    Fault,
    fake_token_id,
    json_response,
)
from tests.support import SleepLog, polymarket_fixture
from tui.models import PricePoint
from tui.services.clob import RANGES, ClobClient
from tui.services.gamma import SORTS, GammaClient
from tui.services.http import (
    DEFAULT_USER_AGENT,
    ApiBadPayload,
    ApiHttpError,
    ApiRateLimited,
    ApiServerError,
    ApiTimeout,
    ApiUnreachable,
    HttpClient,
)

HOST = "127.0.0.1"
XI_YES = "32338220190071351435772801779725302244575775216413325951443816017994629993401"


@pytest.fixture
def gamma(http: HttpClient, fake_api: FakeApi) -> GammaClient:
    return GammaClient(http, fake_api.url + "/")


@pytest.fixture
def clob(http: HttpClient, fake_api: FakeApi, recorder: FakeRecorder) -> ClobClient:
    return ClobClient(http, fake_api.url, recorder, clock=lambda: FAKE_NOW)


@pytest.fixture(autouse=True)
def _fake_handlers_did_not_crash(fake_api: FakeApi) -> AsyncIterator[None]:
    yield
    assert fake_api.errors == []


# ---------------------------------------------------------------- keyset pages


async def test_markets_follow_every_keyset_page(gamma: GammaClient, fake_api: FakeApi) -> None:
    markets = await gamma.markets()
    assert [m.id for m in markets] == [str(700_000 + i) for i in range(250)]
    pages = fake_api.requests_to("/markets/keyset")
    assert len(pages) == 3
    for page in pages:  # the same filters on every page: the cursor is tied to the query
        assert page.arg("limit") == "100" and page.arg("closed") == "false"
        assert page.arg("order") == "volume24hr" and page.arg("ascending") == "false"
        assert "offset" not in page.query
    cursors = [page.arg("after_cursor") for page in pages]
    assert cursors[0] is None and None not in cursors[1:] and len(set(cursors)) == 3


async def test_iter_market_pages_yields_parsed_pages(gamma: GammaClient) -> None:
    sizes = []
    async for page in gamma.iter_market_pages(page_size=100):
        sizes.append(len(page))
        assert all(m.tags and m.event_slug and len(m.token_ids) == 2 for m in page)
    assert sizes == [100, 100, 50]


@pytest.mark.parametrize(("limit", "expected_requests"), [(30, 1), (120, 2), (250, 3)])
async def test_markets_limit_stops_paging(gamma: GammaClient, fake_api: FakeApi, limit: int,
                                          expected_requests: int) -> None:
    assert len(await gamma.markets(limit=limit)) == limit
    assert fake_api.hits("/markets/keyset") == expected_requests


async def test_tag_filter_is_sent_and_honoured(gamma: GammaClient, fake_api: FakeApi) -> None:
    markets = await gamma.markets(tag_id=21)
    assert len(markets) == sum(1 for m in fake_api.markets if m["tags"][0]["slug"] == "crypto")
    assert len(markets) > 40
    assert all(t.slug == "crypto" for m in markets for t in m.tags)
    assert all(r.arg("tag_id") == "21" for r in fake_api.requests_to("/markets/keyset"))


@pytest.mark.parametrize("sort", sorted(SORTS))
async def test_every_sort_is_a_valid_gamma_order(gamma: GammaClient, sort: str) -> None:
    order, ascending = SORTS[sort]  # the fake answers 422 to an unknown order field
    markets = await gamma.markets(limit=40, order=order, ascending=ascending)
    assert len(markets) == 40
    if sort == "end":
        ends = [m.end_date for m in markets]
        assert ends == sorted(ends)  # type: ignore[type-var]


async def test_events_pages_nest_markets_with_their_event(gamma: GammaClient,
                                                          fake_api: FakeApi) -> None:
    events = await gamma.events()
    assert len(events) == 84  # 250 markets, 3 per event
    assert fake_api.hits("/events/keyset") == 1
    for event in events:
        assert event.markets and all(m.event_slug == event.slug for m in event.markets)
    politics = await gamma.events(tag_slug="politics", limit=5)
    assert len(politics) == 5 and all(e.tags[0].slug == "politics" for e in politics)
    assert fake_api.requests_to("/events/keyset")[-1].arg("tag_slug") == "politics"


@pytest.mark.parametrize("end", ["missing", "null", "empty"])
async def test_paging_stops_on_a_missing_null_or_empty_cursor(
        gamma: GammaClient, fake_api: FakeApi, end: str) -> None:
    fake_api.cursor_end = end  # type: ignore[assignment]
    assert len(await gamma.markets()) == 250
    assert fake_api.hits("/markets/keyset") == 3


async def test_a_repeated_cursor_ends_paging(gamma: GammaClient, fake_api: FakeApi,
                                             caplog: pytest.LogCaptureFixture) -> None:
    fake_api.inject("/markets/keyset", Fault.REPEAT_CURSOR)
    with caplog.at_level(logging.WARNING, logger="polydash.gamma"):
        markets = await gamma.markets()
    assert len(markets) == 200  # page 1, page 2, then page 2's cursor is page 1's again
    assert fake_api.hits("/markets/keyset") == 2
    assert "repeated the cursor" in caplog.text


async def test_bad_items_in_a_page_are_skipped_and_logged(
        gamma: GammaClient, fake_api: FakeApi, caplog: pytest.LogCaptureFixture) -> None:
    fake_api.inject("/markets/keyset", Fault.BAD_ITEM)
    with caplog.at_level(logging.WARNING, logger="polydash.models"):
        markets = await gamma.markets()
    assert len(markets) == 250
    assert len([r for r in caplog.records if "skipped" in r.getMessage()]) == 9  # 3 per page


async def test_a_page_of_the_wrong_shape_is_a_bad_payload(gamma: GammaClient,
                                                          fake_api: FakeApi) -> None:
    fake_api.inject("/markets/keyset", Fault.WRONG_SHAPE)
    with pytest.raises(ApiBadPayload) as caught:
        await gamma.markets()
    assert str(caught.value) == (
        f"{HOST} sent an unexpected reply to /markets/keyset (expected a list of markets)")


# ---------------------------------------------------------------- single items, search, tags


@pytest.mark.parametrize("key", ["559651", "xi-jinping-out-before-2027"])
async def test_market_by_id_or_slug(gamma: GammaClient, fake_api: FakeApi, key: str) -> None:
    market = await gamma.market(key)
    assert market.id == "559651" and market.outcomes[0].token_id == XI_YES
    assert market.event_slug == "xi-jinping-out-before-2027"
    path = "/markets/559651" if key.isdigit() else f"/markets/slug/{key}"
    assert fake_api.hits(path) == 1


@pytest.mark.parametrize("key", ["30829", "democratic-presidential-nominee-2028"])
async def test_event_by_id_or_slug(gamma: GammaClient, key: str) -> None:
    event = await gamma.event(key)
    assert event.id == "30829" and len(event.markets) == 2


async def test_unknown_market_is_a_404_without_retry(gamma: GammaClient, fake_api: FakeApi,
                                                     sleeps: SleepLog) -> None:
    with pytest.raises(ApiHttpError) as caught:
        await gamma.market("no-such-market")
    assert caught.value.status == 404
    assert str(caught.value) == f"{HOST} rejected the request (HTTP 404: market not found)"
    assert fake_api.hits("/markets/slug/no-such-market") == 1 and sleeps.delays == []


async def test_a_slug_cannot_walk_to_another_endpoint(gamma: GammaClient,
                                                      fake_api: FakeApi) -> None:
    with pytest.raises(ApiHttpError):
        await gamma.market("../../tags")
    assert fake_api.hits("/tags") == 0


async def test_search_returns_markets_carrying_their_event(gamma: GammaClient,
                                                           fake_api: FakeApi) -> None:
    (market,) = await gamma.search("Bitcoin above")
    assert market.id == "1500056" and market.event_slug == "bitcoin-above-on-march-11"
    assert market.url == ("https://polymarket.com/event/bitcoin-above-on-march-11/"
                          + market.slug)
    assert fake_api.requests_to("/public-search")[0].arg("q") == "Bitcoin above"
    crypto = await gamma.search("crypto outcome", limit=7)
    assert len(crypto) == 7 and all(m.event_title.startswith("Fake Crypto") for m in crypto)
    assert await gamma.search("   ") == []
    assert fake_api.hits("/public-search") == 2


async def test_search_leaves_out_closed_and_placeholder_markets(gamma: GammaClient) -> None:
    markets = await gamma.search("NBA Champion")  # 30 nested markets, 28 closed or inactive
    assert len(markets) == 2 and all(m.active and not m.closed for m in markets)


async def test_tags_are_parsed_and_cached(gamma: GammaClient, fake_api: FakeApi) -> None:
    tags = await gamma.tags()
    assert [t.slug for t in tags[:2]] == ["politics", "crypto"]
    assert {"health-and-human-services", "sweeden"} <= {t.slug for t in tags}
    assert await gamma.tags() == tags
    assert fake_api.hits("/tags") == 1


async def test_market_by_token(gamma: GammaClient, fake_api: FakeApi) -> None:
    market = await gamma.market_by_token(fake_token_id(7, 1))
    assert market is not None and market.id == "700007"
    recorded = await gamma.market_by_token(XI_YES)
    assert recorded is not None and recorded.id == "559651"
    assert await gamma.market_by_token("1" * 77) is None
    lookups = fake_api.requests_to("/markets/keyset")
    assert [r.query.keys() & {"clob_token_ids", "position_ids"} for r in lookups[-2:]] == [
        {"clob_token_ids"}, {"position_ids"}]


# ---------------------------------------------------------------- CLOB


@pytest.mark.parametrize("range_", sorted(RANGES))
async def test_price_history_per_range_is_recorded(clob: ClobClient, fake_api: FakeApi,
                                                   recorder: FakeRecorder, range_: str) -> None:
    token = fake_token_id(0, 0)
    points = await clob.price_history(token, range_)
    (request,) = fake_api.requests_to("/prices-history")
    interval, fidelity = RANGES[range_]
    assert (request.arg("market"), request.arg("interval"), request.arg("fidelity")) == (
        token, interval, str(fidelity))
    assert len(points) > 1 and points[-1].t == FAKE_NOW
    assert [p.t for p in points] == sorted(p.t for p in points)
    assert all(p.token_id == token and 0 <= p.p <= 1 for p in points)
    assert recorder.points == points


async def test_price_history_is_cached_briefly(clob: ClobClient, fake_api: FakeApi) -> None:
    token = fake_token_id(3, 0)
    first = await clob.price_history(token, "1w")
    assert await clob.price_history(token, "1w") == first
    assert fake_api.hits("/prices-history") == 1
    await clob.price_history(token, "1d")
    assert fake_api.hits("/prices-history") == 2


async def test_price_history_edge_cases(clob: ClobClient, recorder: FakeRecorder) -> None:
    with pytest.raises(ValueError, match="unknown range"):
        await clob.price_history(XI_YES, "2y")
    assert await clob.price_history("1" * 77) == []  # the CLOB answers {"history": []}
    assert recorder.batches == []


async def test_midpoints_are_batched_500_per_post_and_recorded(
        clob: ClobClient, fake_api: FakeApi, recorder: FakeRecorder) -> None:
    fake_api.set_market_count(600)
    tokens = [fake_token_id(i, k) for i in range(600) for k in (0, 1)]
    prices = await clob.midpoints([*tokens, tokens[0], ""])  # duplicates and blanks dropped
    posts = fake_api.requests_to("/midpoints")
    assert [len(p.json()) for p in posts] == [500, 500, 200]
    assert all(p.method == "POST" and p.headers["content-type"] == "application/json"
               for p in posts)
    assert posts[0].json()[0] == {"token_id": tokens[0]}
    assert len(prices) == 1200 and set(prices) == set(tokens)
    assert prices[tokens[0]] == pytest.approx(0.02)
    assert len(recorder.points) == 1200
    assert {p.t for p in recorder.points} == {FAKE_NOW}  # live prices are stamped "now"
    assert {p.token_id: p.p for p in recorder.points} == prices


async def test_midpoints_of_nothing_send_nothing(clob: ClobClient, fake_api: FakeApi) -> None:
    assert await clob.midpoints([]) == {}
    assert fake_api.hits("/midpoints") == 0


async def test_book_of_the_recorded_token(clob: ClobClient, recorder: FakeRecorder) -> None:
    book = await clob.book(XI_YES)
    assert (book.best_bid, book.best_ask, book.mid) == (0.024, 0.025, 0.0245)
    assert recorder.points == [PricePoint(XI_YES, 1_791_258_810, 0.0245)]


async def test_unknown_book_is_a_clear_404(clob: ClobClient, sleeps: SleepLog) -> None:
    with pytest.raises(ApiHttpError) as caught:
        await clob.book("1" * 77)
    assert str(caught.value) == (
        f"{HOST} rejected the request (HTTP 404: No orderbook exists for the requested token id)")
    assert sleeps.delays == []


async def test_a_failing_recorder_does_not_take_the_prices_away(
        http: HttpClient, fake_api: FakeApi, caplog: pytest.LogCaptureFixture) -> None:
    class BrokenRecorder:
        async def record_prices(self, points: Sequence[PricePoint]) -> int:
            raise OSError("disk full")

    clob = ClobClient(http, fake_api.url, BrokenRecorder())
    with caplog.at_level(logging.WARNING, logger="polydash.clob"):
        points = await clob.price_history(fake_token_id(1, 0))
    assert points and "could not record" in caplog.text and "disk full" in caplog.text


# ---------------------------------------------------------------- faults


async def test_timeout_gives_a_sentence_naming_the_host(fake_api: FakeApi) -> None:
    sleeps = SleepLog()
    fake_api.inject("/tags", Fault.TIMEOUT, delay_s=5.0)
    async with HttpClient(user_agent=DEFAULT_USER_AGENT, timeout_s=0.2, max_attempts=2,
                          sleep=sleeps) as http:
        with pytest.raises(ApiTimeout) as caught:
            await GammaClient(http, fake_api.url).tags()
        assert http.stats.requests_sent == 2
    assert str(caught.value) == f"{HOST} did not answer within 0.2 s"
    assert caught.value.host == HOST
    assert len(sleeps.delays) == 1


async def test_refused_connection(fake_api: FakeApi, http: HttpClient, sleeps: SleepLog) -> None:
    with pytest.raises(ApiUnreachable) as caught:
        await GammaClient(http, fake_api.closed_url).markets()
    assert str(caught.value) == f"could not connect to {HOST} (connection refused)"
    assert http.stats.requests_sent == 3 and len(sleeps.delays) == 2


async def test_429_retry_after_seconds_is_honoured(gamma: GammaClient, fake_api: FakeApi,
                                                   sleeps: SleepLog) -> None:
    fake_api.inject("/tags", Fault.RATE_LIMIT, times=1, retry_after="3")
    assert len(await gamma.tags()) == 10
    assert sleeps.delays == [3.0]
    assert fake_api.hits("/tags") == 2


async def test_429_retry_after_http_date_is_honoured(gamma: GammaClient, fake_api: FakeApi,
                                                     sleeps: SleepLog) -> None:
    when = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=6)
    fake_api.inject("/tags", Fault.RATE_LIMIT, times=1, retry_after=format_datetime(when, True))
    await gamma.tags()
    (delay,) = sleeps.delays
    assert 3.0 < delay <= 6.0


async def test_429_that_persists_names_the_wait(gamma: GammaClient, fake_api: FakeApi,
                                                sleeps: SleepLog) -> None:
    fake_api.inject("/tags", Fault.RATE_LIMIT, retry_after="12")
    with pytest.raises(ApiRateLimited) as caught:
        await gamma.tags()
    assert str(caught.value) == f"{HOST} is rate limiting us (retry in 12 s)"
    assert caught.value.retry_after == 12.0
    assert sleeps.delays == [12.0, 12.0] and fake_api.hits("/tags") == 3


async def test_429_with_a_long_retry_after_is_not_waited_for(
        gamma: GammaClient, fake_api: FakeApi, sleeps: SleepLog) -> None:
    fake_api.inject("/tags", Fault.RATE_LIMIT, retry_after="3600")
    with pytest.raises(ApiRateLimited) as caught:
        await gamma.tags()
    assert caught.value.retry_after == 3600.0
    assert sleeps.delays == [] and fake_api.hits("/tags") == 1


async def test_500_then_success(gamma: GammaClient, fake_api: FakeApi, sleeps: SleepLog) -> None:
    fake_api.inject("/markets/keyset", Fault.SERVER_ERROR, times=2)
    assert len(await gamma.markets()) == 250
    assert fake_api.hits("/markets/keyset") == 5  # 2 failures, then 3 pages
    first, second = sleeps.delays  # exponential backoff with jitter
    assert 0.5 <= first <= 1.0 and 1.0 <= second <= 1.5


async def test_500_that_persists(gamma: GammaClient, fake_api: FakeApi) -> None:
    fake_api.inject("/tags", Fault.SERVER_ERROR)
    with pytest.raises(ApiServerError) as caught:
        await gamma.tags()
    assert caught.value.status == 500
    assert str(caught.value) == f"{HOST} had a server error (HTTP 500: cannot get the information)"


async def test_html_403_is_not_retried_and_says_so(clob: ClobClient, fake_api: FakeApi,
                                                   sleeps: SleepLog) -> None:
    fake_api.inject("/book", Fault.HTML_403)
    with pytest.raises(ApiHttpError) as caught:
        await clob.book(XI_YES)
    assert caught.value.status == 403
    assert str(caught.value) == f"{HOST} refused the request (HTTP 403, an HTML block page)"
    assert fake_api.hits("/book") == 1 and sleeps.delays == []


async def test_html_200_is_a_bad_payload(gamma: GammaClient, fake_api: FakeApi,
                                         sleeps: SleepLog) -> None:
    fake_api.inject("/tags", Fault.HTML_200)
    with pytest.raises(ApiBadPayload, match="sent a web page where data was expected"):
        await gamma.tags()
    assert sleeps.delays == []


async def test_truncated_body_is_retried(gamma: GammaClient, fake_api: FakeApi,
                                         sleeps: SleepLog) -> None:
    fake_api.inject("/markets/keyset", Fault.TRUNCATED, times=1)
    assert len(await gamma.markets()) == 250
    assert len(sleeps.delays) == 1


async def test_truncated_body_that_persists(gamma: GammaClient, fake_api: FakeApi) -> None:
    fake_api.inject("/tags", Fault.TRUNCATED)
    with pytest.raises(ApiBadPayload) as caught:
        await gamma.tags()
    assert str(caught.value) == f"{HOST} sent an incomplete reply (the JSON was cut off)"
    assert fake_api.hits("/tags") == 3


async def test_connection_dropped_mid_body_is_retried(clob: ClobClient, fake_api: FakeApi,
                                                      sleeps: SleepLog) -> None:
    fake_api.inject("/prices-history", Fault.DROP, times=1)
    assert await clob.price_history(fake_token_id(2, 0))
    assert fake_api.hits("/prices-history") == 2 and len(sleeps.delays) == 1


async def test_connection_dropped_every_time(clob: ClobClient, fake_api: FakeApi) -> None:
    fake_api.inject("/book", Fault.DROP)
    with pytest.raises(ApiBadPayload) as caught:
        await clob.book(XI_YES)
    assert str(caught.value) == f"{HOST} closed the connection before the reply was complete"


async def test_fail_n_times_then_succeed_counts_requests(http: HttpClient,
                                                         fake_api: FakeApi) -> None:
    fake_api.inject("/tags", Fault.SERVER_ERROR, times=2)
    assert await http.get_json(fake_api.url + "/tags")
    assert http.stats.requests_sent == 3 and http.stats.retries == 2


# ---------------------------------------------------------------- the HTTP client itself


async def test_ttl_cache_sends_no_second_request(http: HttpClient, fake_api: FakeApi) -> None:
    url = fake_api.url + "/tags"
    first = await http.get_json(url, {"limit": 5}, ttl=60)
    assert await http.get_json(url, {"limit": 5}, ttl=60) == first
    assert http.stats.requests_sent == 1 and http.stats.cache_hits == 1
    await http.get_json(url, {"limit": 6}, ttl=60)  # other parameters, other entry
    await http.get_json(url, {"limit": 5})  # ttl 0: always fresh
    assert http.stats.requests_sent == 3 and fake_api.hits("/tags") == 3


async def test_ttl_cache_keys_post_bodies(http: HttpClient, fake_api: FakeApi) -> None:
    url = fake_api.url + "/midpoints"
    one, two = [{"token_id": fake_token_id(0, 0)}], [{"token_id": fake_token_id(1, 0)}]
    await http.post_json(url, one, ttl=60)
    await http.post_json(url, one, ttl=60)
    await http.post_json(url, two, ttl=60)
    assert fake_api.hits("/midpoints") == 2


async def test_headers_and_one_shared_connection(http: HttpClient, fake_api: FakeApi) -> None:
    for _ in range(3):
        await http.get_json(fake_api.url + "/tags")
    requests = fake_api.requests_to("/tags")
    assert all(r.headers["user-agent"] == DEFAULT_USER_AGENT for r in requests)
    assert all(r.headers["accept"] == "application/json" for r in requests)
    assert len({r.client_port for r in requests}) == 1  # keep-alive on one pooled client


async def test_get_text_returns_client_errors_and_raises_server_errors(
        http: HttpClient, fake_api: FakeApi) -> None:
    missing = await http.get_text(fake_api.url + "/nowhere", headers={"Accept": "text/plain"})
    assert missing.status == 404 and "not found" in missing.text
    assert fake_api.requests_to("/nowhere")[0].headers["accept"] == "text/plain"
    fake_api.inject("/nowhere", Fault.SERVER_ERROR)
    with pytest.raises(ApiServerError):
        await http.get_text(fake_api.url + "/nowhere")


async def test_secrets_never_reach_the_log(http: HttpClient, fake_api: FakeApi,
                                           caplog: pytest.LogCaptureFixture) -> None:
    fake_api.inject("/tags", Fault.SERVER_ERROR, times=1)
    with caplog.at_level(logging.DEBUG):
        await http.get_text(fake_api.url + "/tags", {"apiKey": "s3cret-param"},
                            headers={"X-Api-Key": "s3cret-header"})
    request = fake_api.requests_to("/tags")[-1]
    assert request.arg("apiKey") == "s3cret-param"  # sent...
    assert request.headers["x-api-key"] == "s3cret-header"
    assert "/tags" in caplog.text and "retrying" in caplog.text
    assert "s3cret" not in caplog.text  # ...but never logged


async def test_rate_limit_spaces_requests_to_a_host(fake_api: FakeApi) -> None:
    sleeps = SleepLog()
    async with HttpClient(user_agent=DEFAULT_USER_AGENT, rate_limits={HOST: 1.0},
                          sleep=sleeps) as http:
        for _ in range(7):
            await http.get_json(fake_api.url + "/tags")
    # A burst of 5 goes at once; then one request per second (the clock barely moved).
    assert len(sleeps.delays) == 2 and all(0.5 < d <= 2.0 for d in sleeps.delays)


async def test_recorded_keyset_fixture_served_verbatim(fake_api: FakeApi,
                                                       http: HttpClient) -> None:
    body = await http.get_json(fake_api.url + "/markets/559651")
    assert body == polymarket_fixture("gamma_markets_keyset_2026-10-06.json")["markets"][0]


async def test_hostile_text_from_the_wire_arrives_inert(gamma: GammaClient,
                                                        fake_api: FakeApi) -> None:
    market = polymarket_fixture("gamma_markets_keyset_2026-10-06.json")["markets"][0]
    hostile = {**market, "question": "Will \x1b[2J\x9b31m[/b] win?\u202e", "description": "a\x07b"}
    fake_api.route("GET", "/markets/{key}", lambda request: json_response(hostile))
    parsed = await gamma.market("559651")
    assert parsed.question == "Will [/b] win?"  # escapes gone whole
    assert parsed.description == "a b"
