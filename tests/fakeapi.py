"""A real loopback HTTP server that speaks the Gamma and CLOB shapes, for integration tests.

It serves generated markets and events on keyset pages (any count), the recorded
fixtures in tests/fixtures/polymarket, price history, midpoints, books, search and tags,
and injects faults per path: timeouts, 429 with Retry-After, 500, an HTML 403 block page,
truncated or dropped bodies, a repeated cursor, junk items, a wrong body shape, and
"fail N times then succeed". A closed port (`closed_url`) gives a refused connection.

It also speaks the news shapes (tests/fixtures/news): GDELT DOC 2.0 artlist at
/api/v2/doc/doc (plain-text 200 refusal for too-short keywords), RSS/Atom feeds at
/feeds/{name} from `feeds` with ETag / Last-Modified and 304s, NewsAPI /v2/everything
(X-Api-Key checked; 401 and 426 bodies) and Google News RSS search at /rss/search.
`enqueue(path, *responses)` serves exact replies next (a plain-text 429, say).

Routes live in a table: other services add theirs with `route()`, and faults work on
every path, built-in or added:

    def gdelt(request: Request) -> Response:
        return json_response({"articles": []})

    fake_api.route("GET", "/api/v2/doc/doc", gdelt)
    fake_api.inject("/api/v2/doc/doc", Fault.RATE_LIMIT, times=1, retry_after="5")

The server runs in a background thread (stdlib ThreadingHTTPServer), so it works for
sync and async tests alike and never shares the event loop with the client under test.
A websocket peer, when one is needed, belongs beside it (its own server object).
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import re
import socket
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from functools import cached_property
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.fakeapi_trader import TraderRoutes
from tests.support import news_fixture, polymarket_fixture
from tui.demo.keyset import MAX_LIMIT, KeysetError, keyset_page
from tui.models import PricePoint

NEWSAPI_TEST_KEY = "test-newsapi-key-0123456789"
FEED_LAST_MODIFIED = "Sun, 08 Mar 2020 15:34:10 GMT"
FAKE_NOW = 1_791_258_810  # 2026-10-06T03:53:30Z, when the recorded book was taken
MIDPOINTS_MAX = 500
ORDER_FIELDS = frozenset(
    {"volume24hr", "volumeNum", "liquidityNum", "endDate", "startDate", "id", "createdAt"})
GENERATED_TAGS = (
    {"id": "2", "slug": "politics", "label": "Politics"},
    {"id": "21", "slug": "crypto", "label": "Crypto"},
    {"id": "1", "slug": "sports", "label": "Sports"},
    {"id": "100328", "slug": "economy", "label": "Economy"},
    {"id": "596", "slug": "culture", "label": "Culture"},
)
HISTORY_SPAN_MIN = {"1h": 60, "6h": 360, "1d": 1440, "1w": 10_080, "1m": 43_200,
                    "max": 86_400, "all": 86_400}
CLOUDFLARE_BLOCK = (
    "<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head>"
    "<body><h1>Sorry, you have been blocked</h1></body></html>")


# ---------------------------------------------------------------- requests and responses


class Fault(StrEnum):
    TIMEOUT = "timeout"  # hold the request past any client timeout, then hang up
    RATE_LIMIT = "429"  # 429, with Retry-After when given
    SERVER_ERROR = "500"
    HTML_403 = "html403"  # a Cloudflare block page
    HTML_200 = "html200"  # a web page with 200 where JSON was expected
    TRUNCATED = "truncated"  # a complete HTTP reply whose JSON body is cut in half
    DROP = "drop"  # headers promise N bytes, half arrive, the socket closes
    REPEAT_CURSOR = "repeat_cursor"  # keyset pages answer next_cursor == after_cursor
    BAD_ITEM = "bad_item"  # junk items mixed into a page's list
    WRONG_SHAPE = "wrong_shape"  # a JSON body that is not the expected object


@dataclass(slots=True)
class FaultRule:
    kind: Fault
    times: int | None = None  # None: every request
    retry_after: str | None = None
    delay_s: float = 5.0


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # names in lower case
    body: bytes
    client_port: int
    path_params: dict[str, str] = field(default_factory=dict)

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def args(self, name: str) -> list[str]:
        return self.query.get(name, [])

    def pairs(self) -> list[tuple[str, str]]:
        """Every query parameter as (name, value), repeated names included."""
        return [(name, value) for name, values in self.query.items() for value in values]

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(slots=True)
class Response:
    status: int = 200
    payload: Any = None  # serialised as JSON unless `body` is set
    body: bytes | None = None
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    drop_after: int | None = None  # close the socket after this many body bytes

    def encoded(self) -> bytes:
        if self.body is not None:
            return self.body
        return json.dumps(self.payload, separators=(",", ":")).encode()


def json_response(payload: Any, status: int = 200) -> Response:
    return Response(status=status, payload=payload)


def text_response(text: str, status: int = 200,
                  content_type: str = "text/plain; charset=utf-8") -> Response:
    return Response(status=status, body=text.encode(), content_type=content_type)


def error_response(status: int, message: str, kind: str = "error") -> Response:
    return json_response({"type": kind, "error": message}, status)


Handler = Callable[[Request], Response]


@dataclass(frozen=True, slots=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler


def _compile(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>[^/]+)"
                    for i, part in enumerate(parts))
    return re.compile(f"^{regex}$")


# ---------------------------------------------------------------- generated data


def iso_at(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat().replace("+00:00", "Z")


def fake_token_id(index: int, outcome: int) -> str:
    """A 77-digit decimal token id, like the real ones (too big for int64 or float)."""
    digest = hashlib.sha256(f"fake-token-{index}-{outcome}".encode()).hexdigest()
    return str(int(digest, 16))[:77]


def generated_market(index: int, *, now: int = FAKE_NOW, per_event: int = 3) -> dict[str, Any]:
    """A Gamma market object in the wire shape: JSON text inside JSON, strings for numbers."""
    event_index = index // per_event
    tag = GENERATED_TAGS[event_index % len(GENERATED_TAGS)]  # an event's markets share it
    price = round(0.02 + (index * 37 % 96) / 100, 4)
    volume = round(50_000_000 / (index + 1) + index, 6)
    liquidity = round(900_000 / (index % 50 + 1), 5)
    return {
        "id": str(700_000 + index),
        "question": f"Will {tag['label'].lower()} outcome {index} happen by 2027?",
        "conditionId": "0x" + hashlib.sha256(f"condition-{index}".encode()).hexdigest(),
        "slug": f"fake-outcome-{index}",
        "endDate": iso_at(now + (index % 400 + 1) * 86_400),
        "startDate": iso_at(now - (index % 90 + 1) * 86_400),
        "createdAt": iso_at(now - (index % 90 + 2) * 86_400),
        "liquidity": str(liquidity),
        "liquidityNum": liquidity,
        "volume": str(volume),
        "volumeNum": volume,
        "volume24hr": round(1_000_000 / (index + 1), 6),
        "outcomes": '["Yes", "No"]',
        "outcomePrices": json.dumps([str(price), str(round(1 - price, 4))]),
        "clobTokenIds": json.dumps([fake_token_id(index, 0), fake_token_id(index, 1)]),
        "active": True,
        "closed": False,
        "acceptingOrders": True,
        "bestBid": round(price - 0.01, 4),
        "bestAsk": round(price + 0.01, 4),
        "lastTradePrice": price,
        "spread": 0.02,
        "oneDayPriceChange": round((index % 11 - 5) / 100, 4),
        "groupItemTitle": f"Outcome {index}",
        "orderPriceMinTickSize": 0.01,
        "negRisk": per_event > 1,
        "version": "v1",
        "tags": [dict(tag)],
        "events": [{"id": str(800_000 + event_index), "slug": f"fake-event-{event_index}",
                    "title": f"Fake {tag['label']} event {event_index}"}],
    }


def generated_event(index: int, markets: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """An event nesting its markets; nested markets carry no `events` back reference."""
    head = markets[0]
    return {
        "id": str(800_000 + index),
        "slug": f"fake-event-{index}",
        "title": head["events"][0]["title"],
        "description": f"Generated event {index} for tests.",
        "volume": sum(m["volumeNum"] for m in markets),
        "volume24hr": sum(m["volume24hr"] for m in markets),
        "liquidity": sum(m["liquidityNum"] for m in markets),
        "endDate": head["endDate"],
        "startDate": head["startDate"],
        "active": True,
        "closed": False,
        "negRisk": len(markets) > 1,
        "tags": head["tags"],
        "markets": [{k: v for k, v in m.items() if k not in ("events", "tags")}
                    for m in markets],
    }


def _wiggle(token: str, i: int) -> float:
    seed = int(token[-6:]) if token[-6:].isdigit() else 7
    base = 0.15 + (seed % 70) / 100
    return round(min(0.999, max(0.001, base + 0.05 * math.sin(i / 5 + seed))), 4)


def _sort_key(name: str) -> Callable[[dict[str, Any]], Any]:
    def key(item: dict[str, Any]) -> Any:
        value = item.get(name)
        if name == "id":
            return int(value or 0)
        return (value is None, value if value is not None else 0)
    return key


# ---------------------------------------------------------------- the server


class FakeApi:
    """The fake Gamma + CLOB host. Use as a context manager or via the `fake_api` fixture."""

    def __init__(self, *, market_count: int = 250, per_event: int = 3, now: int = FAKE_NOW) -> None:
        self.now = now
        self.per_event = per_event
        self.cursor_end: Literal["missing", "null", "empty"] = "missing"
        self.errors: list[str] = []  # exceptions raised by handlers (a test bug, not a fault)
        self._market_count = market_count
        self._routes: list[Route] = []
        self._faults: dict[str, FaultRule] = {}
        self._requests: list[Request] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._closed_port = 0
        self._queued: dict[str, list[Response]] = {}
        # News: feed name -> RSS/Atom text served at /feeds/{name}; tests add their own.
        self.feeds: dict[str, str] = {
            "google.xml": news_fixture("rss_google_news_top_fr-BE_2020-03-08.xml")}
        self.gdelt_articles: list[dict[str, Any]] | None = None  # None: the fixture
        self.newsapi_key = NEWSAPI_TEST_KEY
        self._install_polymarket_routes()
        self._install_news_routes()
        # Data API and Gamma /comments (tests/fakeapi_trader.py); tests edit `trader`.
        self.trader = TraderRoutes()
        self.trader.install(self)

    # ------------------------------------------------------------ lifecycle

    def start(self) -> FakeApi:
        self._closed_port = _free_port()
        server = _Server(("127.0.0.1", 0), _RequestHandler)
        server.api = self
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name="fakeapi",
                                        kwargs={"poll_interval": 0.01}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeApi:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the FakeApi first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    gamma_url = url
    clob_url = url
    data_url = url

    @property
    def closed_url(self) -> str:
        """A loopback URL where nothing listens: connecting is refused."""
        return f"http://127.0.0.1:{self._closed_port}"

    # ------------------------------------------------------------ control

    def route(self, method: str, template: str, handler: Handler) -> None:
        """Serve `template` (with `{name}` segments); routes added later win."""
        self._routes.insert(0, Route(method.upper(), _compile(template), handler))

    def inject(self, path: str, kind: Fault | str, *, times: int | None = None,
               retry_after: str | None = None, delay_s: float = 5.0) -> None:
        """Make requests to `path` fail as `kind`; `times` then succeed (None: always)."""
        with self._lock:
            self._faults[path] = FaultRule(Fault(kind), times, retry_after, delay_s)

    def enqueue(self, path: str, *responses: Response) -> None:
        """Serve `responses` (in order) to the next requests to `path`, then route again."""
        with self._lock:
            self._queued.setdefault(path, []).extend(responses)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def set_market_count(self, count: int) -> None:
        self._market_count = count
        for name in ("markets", "events", "tokens"):
            self.__dict__.pop(name, None)

    @property
    def requests(self) -> list[Request]:
        with self._lock:
            return list(self._requests)

    def requests_to(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def hits(self, path: str) -> int:
        return len(self.requests_to(path))

    # ------------------------------------------------------------ dispatch

    def handle(self, request: Request) -> Response | None:
        """The reply to one request; None means hang up without answering."""
        with self._lock:
            self._requests.append(request)
        rule = self._take_fault(request.path)
        if rule is not None and rule.kind is Fault.TIMEOUT:
            self._stopping.wait(rule.delay_s)
            return None
        early = _early_fault(rule)
        if early is not None:
            return early
        with self._lock:
            queued = self._queued.get(request.path)
            if queued:
                return queued.pop(0)
        response = self._route(request)
        return _late_fault(rule, request, response) if rule else response

    def _take_fault(self, path: str) -> FaultRule | None:
        with self._lock:
            rule = self._faults.get(path)
            if rule is None or rule.times is None:
                return rule
            rule.times -= 1
            if rule.times <= 0:
                del self._faults[path]
            return rule

    def _route(self, request: Request) -> Response:
        allowed = False
        for route in self._routes:
            match = route.pattern.match(request.path)
            if match is None:
                continue
            allowed = True
            if route.method == request.method:
                request.path_params.update(match.groupdict())
                return self._call(route.handler, request)
        return error_response(405 if allowed else 404,
                              "method not allowed" if allowed else "not found")

    def _call(self, handler: Handler, request: Request) -> Response:
        try:
            return handler(request)
        except Exception as exc:  # a broken handler is a test bug: report it loudly
            self.errors.append(f"{request.method} {request.path}: {exc!r}")
            return error_response(500, f"fakeapi handler failed: {exc!r}")

    # ------------------------------------------------------------ data

    @cached_property
    def markets(self) -> list[dict[str, Any]]:
        return [generated_market(i, now=self.now, per_event=self.per_event)
                for i in range(self._market_count)]

    @cached_property
    def events(self) -> list[dict[str, Any]]:
        step = self.per_event
        return [generated_event(i // step, self.markets[i:i + step])
                for i in range(0, len(self.markets), step)]

    @cached_property
    def tokens(self) -> dict[str, float]:
        """Token id -> current price, for generated and recorded markets."""
        prices: dict[str, float] = {}
        for market in [*self.markets, *self.recorded_markets]:
            tokens = json.loads(market.get("clobTokenIds") or "[]")
            outcome_prices = json.loads(market.get("outcomePrices") or "[]")
            for token, price in zip(tokens, outcome_prices, strict=False):
                prices[token] = float(price)
        return prices

    @cached_property
    def recorded_markets(self) -> list[dict[str, Any]]:
        return [*polymarket_fixture("gamma_markets_keyset_2026-10-06.json")["markets"],
                polymarket_fixture("gamma_market_single_2026-06.json"),
                *polymarket_fixture("gamma_markets_default_page_2025-06-09.json")]

    @cached_property
    def recorded_events(self) -> list[dict[str, Any]]:
        return [*polymarket_fixture("gamma_events_by_slug_negrisk_2026-03.json"),
                *polymarket_fixture("gamma_events_active_subset_2025-06-13.json"),
                *polymarket_fixture("gamma_public_search_2026-03.json")["events"]]

    @cached_property
    def recorded_book(self) -> dict[str, Any]:
        return polymarket_fixture("clob_book_2026-10-06.json")

    # ------------------------------------------------------------ news routes

    def _install_news_routes(self) -> None:
        self.route("GET", "/api/v2/doc/doc", self._gdelt)
        self.route("GET", "/feeds/{name}", self._feed)
        self.route("GET", "/v2/everything", self._newsapi)
        self.route("GET", "/rss/search", self._google_news)

    def _gdelt(self, request: Request) -> Response:
        query = request.arg("query") or ""
        if (request.arg("mode") or "").lower() != "artlist" or not query:
            return text_response("Invalid query or mode\n", 200, "text/html; charset=utf-8")
        bare = re.sub(r'"[^"]*"|\w+:\S+|[()]|\bOR\b', " ", query).split()
        if any(len(word) < 3 for word in bare):
            return text_response(news_fixture("gdelt_200_plaintext_keyword_error.txt"), 200,
                                 "text/html; charset=utf-8")
        if self.gdelt_articles is None:
            return text_response(news_fixture("gdelt_artlist_vizhinjam_2024.json"), 200,
                                 "application/json; charset=utf-8")
        return json_response({"articles": self.gdelt_articles} if self.gdelt_articles else {})

    def _feed(self, request: Request) -> Response:
        text = self.feeds.get(request.path_params["name"])
        if text is None:
            return text_response("<html><body>Not found</body></html>", 404, "text/html")
        etag = '"' + hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16] + '"'
        headers = {"ETag": etag, "Last-Modified": FEED_LAST_MODIFIED}
        if request.headers.get("if-none-match") == etag or (
                request.headers.get("if-modified-since") == FEED_LAST_MODIFIED
                and "if-none-match" not in request.headers):
            return Response(304, body=b"", content_type="application/rss+xml", headers=headers)
        response = text_response(text, 200, "application/rss+xml; charset=utf-8")
        response.headers.update(headers)
        return response

    def _newsapi(self, request: Request) -> Response:
        if request.headers.get("x-api-key") != self.newsapi_key:
            return json_response({
                "status": "error", "code": "apiKeyInvalid",
                "message": "Your API key is invalid or incorrect. Check your key, or go to "
                           "https://newsapi.org to create a free API key."}, 401)
        page = int(request.arg("page", "1") or 1)
        size = int(request.arg("pageSize", "100") or 100)
        if page * size > 100:
            return Response(426, body=news_fixture(
                "newsapi_error_maximumResultsReached_http426.json").encode())
        return text_response(news_fixture("newsapi_everything_bitcoin_2020-08-09.json"), 200,
                             "application/json; charset=utf-8")

    def _google_news(self, request: Request) -> Response:
        if not request.arg("q"):
            return text_response("Bad request", 400, "text/html")
        return text_response(news_fixture("rss_google_news_top_fr-BE_2020-03-08.xml"), 200,
                             "application/rss+xml; charset=utf-8")

    # ------------------------------------------------------------ Polymarket routes

    def _install_polymarket_routes(self) -> None:
        self.route("GET", "/markets/{key}", self._market_by_id)
        self.route("GET", "/markets/slug/{key}", self._market_by_slug)
        self.route("GET", "/markets/keyset", self._markets_keyset)
        self.route("GET", "/events/{key}", self._event_by_id)
        self.route("GET", "/events/slug/{key}", self._event_by_slug)
        self.route("GET", "/events/keyset", self._events_keyset)
        self.route("GET", "/public-search", self._public_search)
        self.route("GET", "/tags", self._tags)
        self.route("GET", "/prices-history", self._prices_history)
        self.route("POST", "/midpoints", self._midpoints)
        self.route("GET", "/book", self._book)

    def _markets_keyset(self, request: Request) -> Response:
        items = self._filter_markets(request)
        if request.arg("include_tag") != "true":
            items = [{k: v for k, v in m.items() if k != "tags"} for m in items]
        return self._keyset_page(request, "markets", items)

    def _events_keyset(self, request: Request) -> Response:
        items = self.events
        if tag_slug := request.arg("tag_slug"):
            items = [e for e in items if any(t["slug"] == tag_slug for t in e["tags"])]
        return self._keyset_page(request, "events", items)

    def _filter_markets(self, request: Request) -> list[dict[str, Any]]:
        items = [*self.markets, *self.recorded_markets] if (
            request.args("clob_token_ids") or request.args("position_ids")) else self.markets
        if request.arg("closed", "false") == "false":
            items = [m for m in items if not m.get("closed")]
        if tag_id := request.arg("tag_id"):
            items = [m for m in items if any(t["id"] == tag_id for t in m.get("tags", ()))]
        if wanted := set(request.args("clob_token_ids")):
            items = [m for m in items if wanted & set(json.loads(m.get("clobTokenIds") or "[]"))]
        if wanted := set(request.args("position_ids")):
            items = [m for m in items if wanted & set(m.get("positionIds") or ())]
        return items

    def _keyset_page(self, request: Request, key: str,
                     items: list[dict[str, Any]]) -> Response:
        try:
            page = keyset_page(request.pairs(), len(items))  # Gamma's paging, as the demo's
        except KeysetError as exc:
            return error_response(422, str(exc), "validation error")
        order = request.arg("order")
        if order is not None:
            if order not in ORDER_FIELDS:
                return error_response(422, "order fields are not valid", "validation error")
            items = sorted(items, key=_sort_key(order),
                           reverse=request.arg("ascending", "true") == "false")
        body: dict[str, Any] = {
            "$schema": f"https://gamma-api.polymarket.com/schemas/{key.title()}Keyset.json",
            key: items[page.start:page.end],
        }
        if page.next_cursor is not None:
            body["next_cursor"] = page.next_cursor
        elif self.cursor_end != "missing":
            body["next_cursor"] = None if self.cursor_end == "null" else ""
        return json_response(body)

    def _market_by_id(self, request: Request) -> Response:
        return self._one(self._all_markets(), "id", request.path_params["key"], "market")

    def _market_by_slug(self, request: Request) -> Response:
        return self._one(self._all_markets(), "slug", request.path_params["key"], "market")

    def _event_by_id(self, request: Request) -> Response:
        return self._one([*self.events, *self.recorded_events], "id",
                         request.path_params["key"], "event")

    def _event_by_slug(self, request: Request) -> Response:
        return self._one([*self.events, *self.recorded_events], "slug",
                         request.path_params["key"], "event")

    def _all_markets(self) -> list[dict[str, Any]]:
        return [*self.markets, *self.recorded_markets]

    @staticmethod
    def _one(items: list[dict[str, Any]], field_name: str, value: str, what: str) -> Response:
        for item in items:
            if item.get(field_name) == value:
                return json_response(item)
        return error_response(404, f"{what} not found", "not found")

    def _public_search(self, request: Request) -> Response:
        query = (request.arg("q") or "").strip().lower()
        if not query:
            return error_response(422, "q is required", "validation error")
        limit = int(request.arg("limit_per_type", "5") or 5)
        found = [e for e in [*self.recorded_events, *self.events]
                 if query in e.get("title", "").lower()
                 or any(query in m.get("question", "").lower() for m in e.get("markets", ()))]
        return json_response({"events": found[:limit],
                              "pagination": {"hasMore": len(found) > limit,
                                             "totalResults": len(found)}})

    def _tags(self, request: Request) -> Response:
        tags = [*GENERATED_TAGS, *polymarket_fixture("gamma_tags_2026-03.json")]
        offset = int(request.arg("offset", "0") or 0)
        limit = min(int(request.arg("limit", "100") or 100), MAX_LIMIT)
        return json_response(tags[offset:offset + limit])

    def _prices_history(self, request: Request) -> Response:
        token = request.arg("market")
        if not token:
            return error_response(400, "market is required")
        if token not in self.tokens:
            return json_response({"history": []})  # the CLOB answers 200 with nothing
        fidelity = max(1, int(request.arg("fidelity", "1") or 1))
        span = HISTORY_SPAN_MIN.get(request.arg("interval", "1d") or "1d", 1440)
        count = min(span // fidelity + 1, 1500)
        history = [{"t": self.now - (count - 1 - i) * fidelity * 60, "p": _wiggle(token, i)}
                   for i in range(count)]
        return json_response({"history": history})

    def _midpoints(self, request: Request) -> Response:
        try:
            wanted = [item["token_id"] for item in request.json()]
        except (ValueError, TypeError, KeyError):
            return error_response(400, "Invalid payload")
        if len(wanted) > MIDPOINTS_MAX:
            return error_response(400, "Payload exceeds the limit")
        return json_response({t: str(self.tokens[t]) for t in wanted if t in self.tokens})

    def _book(self, request: Request) -> Response:
        token = request.arg("token_id")
        if not token:
            return error_response(400, "Invalid token id")
        if token == self.recorded_book["asset_id"]:
            return json_response(self.recorded_book)
        if token not in self.tokens:
            return error_response(404, "No orderbook exists for the requested token id")
        return json_response(self._generated_book(token))

    def _generated_book(self, token: str) -> dict[str, Any]:
        mid = min(0.98, max(0.02, self.tokens[token]))
        bids = [{"price": f"{mid - 0.01 * k:.2f}", "size": f"{100 * k}"} for k in (3, 2, 1)]
        asks = [{"price": f"{mid + 0.01 * k:.2f}", "size": f"{90 * k}"} for k in (3, 2, 1)]
        return {"market": "0x" + "ab" * 32, "asset_id": token,
                "timestamp": str(self.now * 1000), "hash": "0" * 40,
                "bids": bids, "asks": asks, "tick_size": "0.01",
                "last_trade_price": f"{mid:.2f}"}


def _early_fault(rule: FaultRule | None) -> Response | None:
    """Faults that replace the reply before any handler runs."""
    if rule is None:
        return None
    if rule.kind is Fault.RATE_LIMIT:
        response = error_response(429, "Too Many Requests")
        if rule.retry_after is not None:
            response.headers["Retry-After"] = rule.retry_after
        return response
    if rule.kind is Fault.SERVER_ERROR:
        return error_response(500, "cannot get the information", "internal error")
    if rule.kind in (Fault.HTML_403, Fault.HTML_200):
        status = 403 if rule.kind is Fault.HTML_403 else 200
        return text_response(CLOUDFLARE_BLOCK, status, "text/html; charset=UTF-8")
    return None


def _late_fault(rule: FaultRule, request: Request, response: Response) -> Response:
    """Faults that spoil the handler's reply."""
    if rule.kind is Fault.TRUNCATED:
        body = response.encoded()
        return Response(response.status, body=body[: len(body) // 2],
                        content_type=response.content_type)
    if rule.kind is Fault.DROP:
        response.drop_after = len(response.encoded()) // 2
        return response
    if rule.kind is Fault.WRONG_SHAPE:
        return json_response("not the expected object")
    payload = response.payload = copy.deepcopy(response.payload)  # fixtures stay pristine
    if rule.kind is Fault.REPEAT_CURSOR and isinstance(payload, dict):
        if cursor := request.arg("after_cursor"):
            payload["next_cursor"] = cursor
    if rule.kind is Fault.BAD_ITEM and isinstance(payload, dict):
        for value in payload.values():
            if isinstance(value, list):
                value[1:1] = [None, {"id": "bad-1"}, {"id": "bad-2", "question": "Junk?",
                                                      "outcomes": "[\"Yes\", \"No\""}]
                break
    return response


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # keep-alive connections must not hold up stop()
    api: FakeApi

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (timeout tests) leaves a broken pipe: expected here.
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the real hosts
    server_version = "fakeapi/1.0"
    timeout = 10  # idle keep-alive connections end
    disable_nagle_algorithm = True  # headers and body go out as separate writes
    server: _Server

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def log_message(self, format: str, *args: Any) -> None:
        return  # quiet: pytest shows failures, not access logs

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        split = urlsplit(self.path)
        request = Request(
            method=self.command, path=split.path,
            query=parse_qs(split.query, keep_blank_values=True),
            headers={name.lower(): value for name, value in self.headers.items()},
            body=self.rfile.read(length) if length else b"",
            client_port=int(self.client_address[1]))
        response = self.server.api.handle(request)
        if response is None:
            self.close_connection = True
            return
        self._write(response)

    def _write(self, response: Response) -> None:
        body = response.encoded()
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if response.drop_after is None:
            self.wfile.write(body)
            return
        self.wfile.write(body[: response.drop_after])
        self.wfile.flush()
        self.close_connection = True


# ---------------------------------------------------------------- test helpers


class FakeRecorder:
    """A PriceRecorder that keeps what it is given."""

    def __init__(self) -> None:
        self.batches: list[list[PricePoint]] = []

    async def record_prices(self, points: Sequence[PricePoint]) -> int:
        self.batches.append(list(points))
        return len(points)

    @property
    def points(self) -> list[PricePoint]:
        return [point for batch in self.batches for point in batch]


@pytest.fixture
def recorder() -> FakeRecorder:
    return FakeRecorder()


@pytest.fixture
def fake_api() -> Iterator[FakeApi]:
    """A running FakeApi (Gamma and CLOB on one loopback port); faults reset per test."""
    with FakeApi() as api:
        yield api
