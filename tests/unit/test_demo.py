"""tui/demo: the generated catalogue, its prices, and the endpoints the transport serves."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tui.demo.catalogue import demo_market_count
from tui.demo.content.common import CATEGORIES
from tui.demo.hosts import DEMO_CLOB_URL, DEMO_GAMMA_URL, DEMO_GDELT_URL
from tui.demo.prices import PriceModel, minute_of
from tui.demo.transport import DemoTransport
from tui.models import (
    book_from_clob,
    event_from_gamma,
    market_from_gamma,
    price_points_from_clob,
)
from tui.sanitize import safe_url

NOW = datetime(2026, 11, 26, 10, 15, 30, tzinfo=UTC)
# range -> (interval, fidelity minutes), as tui/services/clob.py RANGES
RANGES = {"1h": ("1h", 1), "6h": ("6h", 10), "1d": ("1d", 60), "1w": ("1w", 360),
          "1m": ("1m", 1440), "max": ("max", 1440)}
TOKEN = re.compile(r"^\d{77,78}$")


@pytest.fixture(scope="module")
def transport() -> DemoTransport:
    return DemoTransport(now=NOW)


@pytest.fixture(scope="module")
def all_markets(transport: DemoTransport) -> list[dict[str, Any]]:
    """Every market, paged through /markets/keyset with the sync client."""
    with httpx.Client(transport=transport) as client:
        return list(iter_keyset(client, "markets", limit=100, order="volume24hr",
                                ascending="false"))


def iter_keyset(client: httpx.Client, kind: str, **params: Any) -> Any:
    cursors: set[str] = set()
    while True:
        response = client.get(f"{DEMO_GAMMA_URL}/{kind}/keyset", params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        yield from body[kind]
        cursor = body.get("next_cursor")
        if not cursor:
            return
        assert cursor not in cursors
        cursors.add(cursor)
        params["after_cursor"] = cursor


def get(transport: DemoTransport, url: str, **params: Any) -> httpx.Response:
    with httpx.Client(transport=transport) as client:
        return client.get(url, params=params)


def post(transport: DemoTransport, url: str, body: Any) -> httpx.Response:
    with httpx.Client(transport=transport) as client:
        return client.post(url, json=body)


# ---------------------------------------------------------------- count


@pytest.mark.parametrize(("value", "expected"), [
    (None, 480), ("", 480), ("1000", 1000), ("20_000", 20000), ("5", 40),
    ("999999999", 100000), ("lots", 480), ("-3", 40),
])
def test_demo_market_count(value: str | None, expected: int) -> None:
    env = {} if value is None else {"POLYDASH_DEMO_MARKETS": value}
    assert demo_market_count(env) == expected


# ---------------------------------------------------------------- the catalogue


def test_catalogue_shape(transport: DemoTransport) -> None:
    catalogue = transport.catalogue
    assert len(catalogue.markets) == 480
    assert len(catalogue.events) >= 40
    assert set(Counter(e.category for e in catalogue.events)) == set(CATEGORIES)
    shapes = Counter(e.shape for e in catalogue.events)
    assert shapes["single"] >= 20 and shapes["exclusive"] >= 10
    tokens = [t for m in catalogue.markets for t in m.tokens]
    assert len(set(tokens)) == len(tokens) == 960


def test_end_dates_spread_from_hours_to_months(all_markets: list[dict[str, Any]]) -> None:
    ends = [datetime.fromisoformat(m["endDate"]) - NOW for m in all_markets]
    assert any(timedelta(0) < e < timedelta(hours=24) for e in ends)
    assert any(timedelta(days=2) < e < timedelta(days=30) for e in ends)
    assert any(e > timedelta(days=180) for e in ends)
    past = [m for m in all_markets if datetime.fromisoformat(m["endDate"]) < NOW]
    assert past, "some markets await resolution"
    assert all(m["active"] and not m["closed"] for m in past)


def test_same_seed_same_bytes() -> None:
    a, b = DemoTransport(now=NOW), DemoTransport(now=NOW)
    token = a.catalogue.markets[3].tokens[0]
    requests: list[tuple[str, dict[str, Any]]] = [
        (f"{DEMO_GAMMA_URL}/markets/keyset", {"limit": 100, "order": "volume24hr"}),
        (f"{DEMO_GAMMA_URL}/events/keyset", {"limit": 50, "order": "endDate"}),
        (f"{DEMO_CLOB_URL}/prices-history", {"market": token, "interval": "1w",
                                             "fidelity": 360}),
        (f"{DEMO_CLOB_URL}/book", {"token_id": token}),
        (DEMO_GDELT_URL, {"query": "bitcoin", "mode": "artlist", "format": "json"}),
    ]
    for url, params in requests:
        assert get(a, url, **params).content == get(b, url, **params).content, url
    other = DemoTransport(now=NOW, seed=8)
    assert get(other, requests[0][0], **requests[0][1]).content != get(
        a, requests[0][0], **requests[0][1]).content


# ---------------------------------------------------------------- Gamma shapes


def test_markets_have_the_real_shape(all_markets: list[dict[str, Any]]) -> None:
    for raw in all_markets:
        for key in ("outcomes", "outcomePrices", "clobTokenIds", "volume", "liquidity",
                    "umaResolutionStatuses"):
            assert isinstance(raw[key], str), key  # JSON text, or numbers as text
        assert isinstance(raw["volumeNum"], float) and isinstance(raw["volume24hr"], float)
        assert isinstance(raw["events"], list) and raw["events"][0]["slug"]
        assert "markets" not in raw["events"][0]
        assert raw["id"].isdigit() and raw["conditionId"].startswith("0x")
        names, prices = json.loads(raw["outcomes"]), json.loads(raw["outcomePrices"])
        assert all(isinstance(p, str) for p in prices) and len(names) == len(prices) == 2
        assert abs(sum(float(p) for p in prices) - 1.0) < 1e-9
        datetime.fromisoformat(raw["createdAt"])
        datetime.fromisoformat(raw["startDate"])
        assert "Yes" in raw["description"] or "resolve" in raw["description"]


def test_every_market_parses_like_live_data(all_markets: list[dict[str, Any]]) -> None:
    parsed = [market_from_gamma(raw) for raw in all_markets]
    assert len(parsed) == 480
    for market in parsed:
        assert len(market.outcomes) >= 2
        assert all(isinstance(o.token_id, str) and TOKEN.match(o.token_id)
                   for o in market.outcomes)
        assert all(o.price is not None and 0 < o.price < 1 for o in market.outcomes)
        assert market.event_slug and market.event_title and market.volume is not None
        assert market.end_date is not None and market.liquidity is not None
        assert market.tags == ()  # Gamma adds tags only with include_tag=true
        assert market.url.startswith("https://polymarket.com/event/")
    assert any(m.outcomes[0].name not in ("Yes", "No") for m in parsed)  # games, Up/Down
    assert any(m.change_24h for m in parsed) and any(m.best_bid for m in parsed)


def test_include_tag_adds_tags(transport: DemoTransport) -> None:
    body = get(transport, f"{DEMO_GAMMA_URL}/markets/keyset", limit=20,
               include_tag="true").json()
    markets = [market_from_gamma(raw) for raw in body["markets"]]
    assert all(m.tags and m.tags[0].id.isdigit() for m in markets)
    slugs = {t.slug for m in markets for t in m.tags}
    assert slugs & set(CATEGORIES)


def test_multi_outcome_events(transport: DemoTransport) -> None:
    events = [event_from_gamma(raw) for raw in get(
        transport, f"{DEMO_GAMMA_URL}/events/keyset", limit=100, order="volume24hr",
        ascending="false").json()["events"]]
    groups = [e for e in events if e.neg_risk]
    assert groups
    for event in groups:
        assert len(event.markets) >= 2
        assert all(m.group_title and m.neg_risk for m in event.markets)
        total = sum(m.outcomes[0].price or 0.0 for m in event.markets)
        assert abs(total - 1.0) <= 0.005 + 0.001 * len(event.markets)
        assert event.tags and event.slug
    singles = [e for e in events if len(e.markets) == 1]
    assert singles and all(e.slug == e.markets[0].slug for e in singles)


# ---------------------------------------------------------------- keyset pagination


def test_keyset_returns_every_market_once(all_markets: list[dict[str, Any]]) -> None:
    ids = [raw["id"] for raw in all_markets]
    assert len(ids) == len(set(ids)) == 480
    volumes = [raw["volume24hr"] for raw in all_markets]
    assert volumes == sorted(volumes, reverse=True)


@pytest.mark.parametrize(("order", "key"), [
    ("endDate", "endDate"), ("liquidityNum", "liquidityNum"), ("startDate", "startDate"),
    ("volumeNum", "volumeNum"),
])
def test_keyset_orders_with_odd_page_size(transport: DemoTransport, order: str,
                                          key: str) -> None:
    with httpx.Client(transport=transport) as client:
        items = list(iter_keyset(client, "markets", limit=37, order=order))
    assert len({m["id"] for m in items}) == 480
    values = [m[key] for m in items]
    assert values == sorted(values)  # ascending is the default


def test_keyset_filters(transport: DemoTransport) -> None:
    with httpx.Client(transport=transport) as client:
        crypto = list(iter_keyset(client, "markets", limit=100, tag_id=21, include_tag="true"))
        assert crypto and all(any(t["slug"] == "crypto" for t in m["tags"]) for m in crypto)
        assert len(crypto) < 480
        events = list(iter_keyset(client, "events", limit=100, tag_slug="sports"))
        assert events and all(any(t["slug"] == "sports" for t in e["tags"]) for e in events)
        assert sum(len(e["markets"]) for e in list(iter_keyset(client, "events",
                                                               limit=100))) == 480
        assert list(iter_keyset(client, "markets", closed="true")) == []
    token = transport.catalogue.markets[10].tokens[1]
    found = get(transport, f"{DEMO_GAMMA_URL}/markets/keyset", clob_token_ids=token).json()
    assert [m["id"] for m in found["markets"]] == [transport.catalogue.markets[10].id]
    assert "next_cursor" not in found


def test_keyset_rules(transport: DemoTransport) -> None:
    url = f"{DEMO_GAMMA_URL}/markets/keyset"
    assert get(transport, url, offset=100).status_code == 422
    assert get(transport, url, order="volume_24hr").json()["error"] == (
        "order fields are not valid")
    assert len(get(transport, url, limit=1000).json()["markets"]) == 100
    assert len(get(transport, url).json()["markets"]) == 20
    cursor = get(transport, url, order="volume24hr").json()["next_cursor"]
    reused = get(transport, url, order="endDate", after_cursor=cursor)
    assert reused.status_code == 422  # a cursor belongs to its query
    assert get(transport, url, after_cursor="garbage!").status_code == 422


def test_single_items(transport: DemoTransport, all_markets: list[dict[str, Any]]) -> None:
    raw = all_markets[5]
    by_id = get(transport, f"{DEMO_GAMMA_URL}/markets/{raw['id']}").json()
    by_slug = get(transport, f"{DEMO_GAMMA_URL}/markets/slug/{raw['slug']}").json()
    assert by_id == by_slug == raw
    event_slug = raw["events"][0]["slug"]
    event = get(transport, f"{DEMO_GAMMA_URL}/events/slug/{event_slug}").json()
    assert raw["id"] in [m["id"] for m in event["markets"]]
    assert get(transport, f"{DEMO_GAMMA_URL}/events/{event['id']}").json() == event
    missing = get(transport, f"{DEMO_GAMMA_URL}/markets/1")
    assert missing.status_code == 404 and "error" in missing.json()


def test_public_search(transport: DemoTransport) -> None:
    market = next(m for m in transport.catalogue.markets if "Bitcoin" in m.question)
    words = market.question.rstrip("?").split()[:3]
    body = get(transport, f"{DEMO_GAMMA_URL}/public-search", q=" ".join(words).upper()).json()
    assert body["pagination"]["totalResults"] >= 1
    questions = [m["question"] for e in body["events"] for m in e["markets"]]
    assert market.question in questions or body["pagination"]["hasMore"]
    exact = get(transport, f"{DEMO_GAMMA_URL}/public-search", q=market.question,
                limit_per_type=50).json()
    assert market.question in [m["question"] for e in exact["events"] for m in e["markets"]]
    nothing = get(transport, f"{DEMO_GAMMA_URL}/public-search", q="zebra unicorn").json()
    assert nothing == {"events": [], "pagination": {"hasMore": False, "totalResults": 0}}
    assert get(transport, f"{DEMO_GAMMA_URL}/public-search").status_code == 422


def test_tags(transport: DemoTransport) -> None:
    tags = get(transport, f"{DEMO_GAMMA_URL}/tags").json()
    slugs = {t["slug"] for t in tags}
    assert set(CATEGORIES) <= slugs
    assert all(isinstance(t["id"], str) and t["label"] for t in tags)


# ---------------------------------------------------------------- CLOB


def test_history_ends_at_the_current_price(transport: DemoTransport) -> None:
    catalogue = transport.catalogue
    kinds = {m.kind: m for m in catalogue.markets}  # one market of each price model
    assert set(kinds) == {"binary", "exclusive", "ladder", "settled"}
    now_s = int(NOW.timestamp())
    for market in kinds.values():
        gamma = get(transport, f"{DEMO_GAMMA_URL}/markets/{market.id}").json()
        for outcome, token in enumerate(market.tokens):
            current = float(json.loads(gamma["outcomePrices"])[outcome])
            mid = post(transport, f"{DEMO_CLOB_URL}/midpoints", [{"token_id": token}]).json()
            if not market.proposed:
                assert float(mid[token]) == current
            for interval, fidelity in RANGES.values():
                body = get(transport, f"{DEMO_CLOB_URL}/prices-history", market=token,
                           interval=interval, fidelity=fidelity).json()
                points = price_points_from_clob(token, body)
                assert len(points) >= 2, (market.kind, interval)
                assert points[-1].t == now_s and points[-1].p == current
                steps = {b.t - a.t for a, b in zip(points, points[1:], strict=False)}
                assert steps == {fidelity * 60}, interval


def test_history_windows(transport: DemoTransport) -> None:
    market = next(m for m in transport.catalogue.markets
                  if NOW.timestamp() - m.created > 40 * 86400)
    token = market.tokens[0]
    url = f"{DEMO_CLOB_URL}/prices-history"
    day = get(transport, url, market=token, interval="1d", fidelity=60).json()["history"]
    assert len(day) == 25
    month = get(transport, url, market=token, interval="1m", fidelity=1440).json()["history"]
    assert len(month) == 31
    everything = get(transport, url, market=token, interval="max", fidelity=1440).json()
    assert everything["history"][0]["t"] >= int(market.created)
    assert get(transport, url, market="123").json() == {"history": []}
    assert get(transport, url, market=token, interval="2y").status_code == 400


def test_prices_move_with_time(transport: DemoTransport) -> None:
    markets = [m for m in transport.catalogue.markets[:40] if not m.proposed]
    minute = minute_of(NOW)
    first = {m.tokens[0]: PriceModel().midpoint(m, 0, minute) for m in markets}
    later = {m.tokens[0]: PriceModel().midpoint(m, 0, minute + 180) for m in markets}
    assert first != later
    body = [{"token_id": token} for token in first]
    assert post(transport, f"{DEMO_CLOB_URL}/midpoints", body).json() == first


def test_book_is_best_last(transport: DemoTransport) -> None:
    market = next(m for m in transport.catalogue.markets if not m.proposed)
    for outcome, token in enumerate(market.tokens):
        raw = get(transport, f"{DEMO_CLOB_URL}/book", token_id=token).json()
        assert raw["asset_id"] == token and raw["market"] == market.condition_id
        bids = [float(level["price"]) for level in raw["bids"]]
        asks = [float(level["price"]) for level in raw["asks"]]
        assert bids == sorted(bids) and asks == sorted(asks, reverse=True)
        assert all(isinstance(level["size"], str) for level in raw["bids"] + raw["asks"])
        assert re.fullmatch(r"[0-9a-f]{40}", raw["hash"]) and raw["timestamp"].isdigit()
        book = book_from_clob(raw)
        assert book.best_bid == bids[-1] and book.best_ask == asks[-1]
        mid = post(transport, f"{DEMO_CLOB_URL}/midpoints", [{"token_id": token}]).json()
        assert book.mid == float(mid[token])
        if outcome == 0:
            gamma = get(transport, f"{DEMO_GAMMA_URL}/markets/{market.id}").json()
            assert (gamma["bestBid"], gamma["bestAsk"]) == (book.best_bid, book.best_ask)


def test_clob_errors(transport: DemoTransport) -> None:
    assert get(transport, f"{DEMO_CLOB_URL}/book").status_code == 400
    unknown = get(transport, f"{DEMO_CLOB_URL}/book", token_id="1" * 77)
    assert unknown.status_code == 404
    assert unknown.json() == {"error": "No orderbook exists for the requested token id"}
    too_many = post(transport, f"{DEMO_CLOB_URL}/midpoints", [{"token_id": "1"}] * 501)
    assert too_many.status_code == 400
    assert post(transport, f"{DEMO_CLOB_URL}/midpoints", [{"token_id": "1"}]).json() == {}
    proposed = next((m for m in transport.catalogue.markets if m.proposed), None)
    if proposed is not None:
        book = get(transport, f"{DEMO_CLOB_URL}/book", token_id=proposed.tokens[0])
        assert book.status_code == 404


# ---------------------------------------------------------------- GDELT and the rest


def gdelt(transport: DemoTransport, query: str, **extra: Any) -> httpx.Response:
    return get(transport, DEMO_GDELT_URL, query=query, mode="artlist", format="json", **extra)


def test_gdelt_artlist(transport: DemoTransport) -> None:
    body = gdelt(transport, '("Federal Reserve" OR FOMC) sourcelang:english',
                 maxrecords=10).json()
    articles = body["articles"]
    assert 1 <= len(articles) <= 10
    keys = {"url", "url_mobile", "title", "seendate", "socialimage", "domain", "language",
            "sourcecountry"}
    for article in articles:
        assert set(article) == keys
        assert re.fullmatch(r"\d{8}T\d{6}Z", article["seendate"])
        assert safe_url(article["url"]) == article["url"]
        assert article["domain"].endswith("demo.polydash.invalid")
        assert datetime.strptime(article["seendate"], "%Y%m%dT%H%M%SZ").replace(
            tzinfo=UTC) <= NOW
    dates = [a["seendate"] for a in articles]
    assert dates == sorted(dates, reverse=True)


def test_gdelt_quirks(transport: DemoTransport) -> None:
    assert gdelt(transport, "zebra unicorn").json() == {}  # GDELT's empty answer
    short = gdelt(transport, "AI")
    assert short.status_code == 200 and short.headers["content-type"].startswith("text/html")
    assert short.text.startswith("One or more of your keywords were too short")


def test_unknown_paths_are_404_json(transport: DemoTransport) -> None:
    for url in (f"{DEMO_GAMMA_URL}/nope", f"{DEMO_CLOB_URL}/nope",
                "https://example.invalid/x"):
        response = get(transport, url)
        assert response.status_code == 404 and "error" in response.json(), url


async def test_async_client_pages_every_market() -> None:
    transport = DemoTransport(n_markets=250, now=NOW)
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 100, "order": "volume24hr", "ascending": "false",
                              "closed": "false"}
    async with httpx.AsyncClient(transport=transport) as client:
        while True:
            body = (await client.get(f"{DEMO_GAMMA_URL}/markets/keyset", params=params)).json()
            seen += [market_from_gamma(raw).id for raw in body["markets"]]
            if not body.get("next_cursor"):
                break
            params["after_cursor"] = body["next_cursor"]
    assert len(seen) == len(set(seen)) == 250


def test_twenty_thousand_markets() -> None:
    transport = DemoTransport(n_markets=20_000, now=NOW)
    catalogue = transport.catalogue
    assert len(catalogue.markets) == 20_000
    assert len(catalogue.by_token) == 40_000
    assert len({m.slug for m in catalogue.markets}) == 20_000
    assert len({e.slug for e in catalogue.events}) == len(catalogue.events)
    last = get(transport, f"{DEMO_GAMMA_URL}/markets/keyset", limit=100, order="volume24hr")
    assert len(last.json()["markets"]) == 100
    found = get(transport, f"{DEMO_GAMMA_URL}/public-search", q="bitcoin").json()
    assert found["pagination"]["totalResults"] > 100


def test_default_rss_feeds_answer_in_demo(transport: DemoTransport) -> None:
    import io

    import feedparser

    from tui.config import DEFAULT_RSS_FEEDS

    with httpx.Client(transport=transport) as client:
        for feed in DEFAULT_RSS_FEEDS:
            response = client.get(feed.url)
            assert response.status_code == 200, feed.url
            parsed = feedparser.parse(io.BytesIO(response.content))
            assert not parsed.bozo and parsed.entries, feed.url
            assert all(safe_url(entry.link) == entry.link for entry in parsed.entries)
            again = client.get(feed.url, headers={"If-None-Match": response.headers["etag"]})
            assert again.status_code == 304 and again.content == b""
