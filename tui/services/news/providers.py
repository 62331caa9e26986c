"""News providers: GDELT DOC 2.0, publisher RSS/Atom feeds, NewsAPI.org, Google News RSS.

Each provider has its own HttpClient (its own timeout, one attempt: a retry here is the
next refresh, after a backoff counted in minutes, not tenacity's seconds), its own
backoff, and a status the pane shows ("GDELT: rate limited, next try in 40 s").
Clocks and sleeps are injected so tests never wait.

Caching and pacing live here rather than in HttpClient's TTL cache: a repeated query is
answered from the provider's cache *before* the 5-second GDELT pacing, so moving back
to a market already looked at costs neither a request nor a wait.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from tui.clock import SecondsClock, Sleep
from tui.models import Headline
from tui.services.backoff import Backoff
from tui.services.http import ApiError, ApiRateLimited, HttpClient, TextResponse, TtlCache
from tui.services.news.parse import (
    NewsPayloadError,
    QueryRefused,
    newsapi_error,
    parse_feed,
    parse_gdelt,
    parse_newsapi,
)

if TYPE_CHECKING:
    from tui.config import RssFeed

log = logging.getLogger("polydash.news")


GOOGLE_NEWS_URL = "https://news.google.com/rss/search"
FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/xml;q=0.9, "
               "text/xml;q=0.8, */*;q=0.5")
GDELT_MIN_INTERVAL_S = 5.5      # GDELT: "one request every 5 seconds"
GDELT_CACHE_S = 15 * 60         # GDELT itself updates every 15 minutes
NEWSAPI_MIN_INTERVAL_S = 15 * 60  # the Developer plan allows 100 requests a day
NEWSAPI_CACHE_S = 30 * 60
GOOGLE_MIN_INTERVAL_S = 60.0
GOOGLE_CACHE_S = 10 * 60
RSS_POLL_S = 5 * 60
CACHE_ENTRIES = 64


@dataclass(frozen=True, slots=True)
class Plan:
    """What to ask for: one query string per search provider ("" = nothing to ask)."""

    gdelt: str = ""
    keywords: str = ""
    google: str = ""


@dataclass(frozen=True, slots=True)
class ProviderStatus:
    name: str                 # "gdelt"
    label: str                # "GDELT"
    state: str                # idle | ok | empty | limited | error | off
    detail: str               # "12 headlines", "rate limited", "off (no key)"
    retry_in: float | None = None  # seconds to the next try, when backing off

    @property
    def text(self) -> str:
        """"GDELT: rate limited, next try in 40 s"."""
        line = f"{self.label}: {self.detail}"
        if self.retry_in is not None and self.retry_in > 0:
            line += f", next try in {delay_text(self.retry_in)}"
        return line

    @property
    def failing(self) -> bool:
        return self.state in ("limited", "error")


@dataclass(frozen=True, slots=True)
class Outcome:
    items: list[Headline] = field(default_factory=list)
    tried: bool = False   # a request was made or a cached answer used
    ok: bool = False      # the provider answered (possibly with nothing)


def delay_text(seconds: float) -> str:
    seconds = max(1, math.ceil(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{math.ceil(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h".replace(".0 h", " h")


def error_detail(error: ApiError) -> str:
    """The ApiError sentence without the host name in front (the label says who)."""
    message = error.message.strip().rstrip(".")
    host = error.host or ""
    if host and message.startswith(host + " "):
        message = message[len(host) + 1:]
    return message


class NotDue(Exception):
    """Too soon to ask again (pacing or a daily budget): not an error, nothing tried."""


class ProviderFailed(Exception):
    """The provider answered with a refusal; `detail` says it, `backoff_s` how long to
    wait (None: the usual exponential backoff)."""

    def __init__(self, detail: str, backoff_s: float | None = None,
                 state: str = "error") -> None:
        super().__init__(detail)
        self.detail = detail
        self.backoff_s = backoff_s
        self.state = state


# ---------------------------------------------------------------- the base


class Provider:
    """Runs `fetch` with backoff and keeps a status. Subclasses implement `fetch`."""

    name = ""
    label = ""
    first_backoff_s = 60.0
    max_backoff_s = 30 * 60.0
    rate_limit_floor_s = 60.0
    cache_s = 0.0  # how long a query's answer is reused; 0: not at all

    def __init__(self, http: HttpClient, *, clock: SecondsClock = time.monotonic,
                 sleep: Sleep = asyncio.sleep) -> None:
        self.http = http
        self.clock = clock
        self.sleep = sleep
        self._next_try = 0.0
        self._backoff = self._new_backoff()
        self._state = "idle"
        self._detail = "waiting for the first refresh"
        self._pending: str | None = None
        # query -> (headlines, status note), kept `cache_s` seconds on the provider's clock.
        self._cache: TtlCache[str, tuple[list[Headline], str]] = TtlCache(CACHE_ENTRIES, clock)

    def _new_backoff(self) -> Backoff:
        return Backoff(self.first_backoff_s, self.max_backoff_s)

    def status(self) -> ProviderStatus:
        retry = self._next_try - self.clock() if self._state in ("limited", "error") else None
        return ProviderStatus(self.name, self.label, self._state, self._detail,
                              retry if retry and retry > 0 else None)

    def cooling(self) -> bool:
        return self.clock() < self._next_try

    async def run(self, plan: Plan) -> Outcome:
        if self.cooling():
            return Outcome()
        try:
            items = await self.fetch(plan)
        except NotDue:
            self._pending = None
            return Outcome()
        except ApiRateLimited as exc:
            self._failed("rate limited", "limited",
                         max(exc.retry_after or 0.0, self.rate_limit_floor_s))
            return Outcome(tried=True)
        except ApiError as exc:
            self._failed(error_detail(exc), "error")
            return Outcome(tried=True)
        except ProviderFailed as exc:
            self._failed(exc.detail, exc.state, exc.backoff_s)
            return Outcome(tried=True)
        except NewsPayloadError as exc:
            self._failed(f"sent a reply that could not be read ({exc})", "error")
            return Outcome(tried=True)
        except (ValueError, TypeError, KeyError, AttributeError, UnicodeError):
            # Junk from the network that a parser did not foresee: this provider fails
            # (and says so), the others still answer.
            log.exception("%s: unreadable reply", self.label)
            self._failed("sent a reply that could not be read", "error")
            return Outcome(tried=True)
        self._succeeded(items)
        return Outcome(items, tried=True, ok=True)

    async def fetch(self, plan: Plan) -> list[Headline]:  # pragma: no cover - abstract
        raise NotImplementedError

    def _succeeded(self, items: Sequence[Headline]) -> None:
        self._backoff.reset()
        self._next_try = 0.0
        note, self._pending = self._pending, None
        self._state = "ok" if items else "empty"
        plural = "s" if len(items) != 1 else ""
        self._detail = note or (f"{len(items)} headline{plural}" if items else "nothing new")

    def _cached(self, query: str) -> list[Headline] | None:
        """The headlines of `query` answered less than `cache_s` ago (its note repeated)."""
        cached = self._cache.get(query)
        if cached is None:
            return None
        items, note = cached
        if note:
            self._note(note)
        return items

    def _keep(self, query: str, items: list[Headline], note: str = "") -> None:
        self._cache.put(query, (items, note), self.cache_s)

    def _note(self, detail: str) -> None:
        """The status sentence for the fetch in progress, if it succeeds."""
        self._pending = detail

    def _failed(self, detail: str, state: str, at_least: float | None = None) -> None:
        delay = self._backoff.next(at_least or 0.0)
        self._next_try = self.clock() + delay
        self._state, self._detail = state, detail
        log.info("%s failed (%s); next try in %.0f s", self.label, detail, delay)


# ---------------------------------------------------------------- GDELT


class GdeltProvider(Provider):
    """GDELT DOC 2.0 `mode=artlist`: keyless, slow, sheds load with plain-text 429s."""

    name, label = "gdelt", "GDELT"
    first_backoff_s = 60.0
    max_backoff_s = 30 * 60.0

    def __init__(self, http: HttpClient, url: str, *, min_interval_s: float = GDELT_MIN_INTERVAL_S,
                 cache_s: float = GDELT_CACHE_S, max_records: int = 50, timespan: str = "7d",
                 clock: SecondsClock = time.monotonic, sleep: Sleep = asyncio.sleep) -> None:
        super().__init__(http, clock=clock, sleep=sleep)
        self.url = url
        self.min_interval_s = min_interval_s
        self.max_records = max_records
        self.timespan = timespan
        self.cache_s = cache_s
        self._last_call: float | None = None
        self._lock = asyncio.Lock()

    async def fetch(self, plan: Plan) -> list[Headline]:
        query = plan.gdelt
        if not query:
            raise NotDue
        if (cached := self._cached(query)) is not None:
            return cached
        async with self._lock:  # one request at a time, paced
            await self._pace()
            response = await self.http.get_text(self.url, self._params(query))
        items, note = self._read(response, query)
        self._keep(query, items, note)
        if note:
            self._note(note)
        return items

    def _params(self, query: str) -> dict[str, str]:
        return {"query": query, "mode": "artlist", "format": "json",
                "maxrecords": str(self.max_records), "timespan": self.timespan,
                "sort": "DateDesc"}

    async def _pace(self) -> None:
        if self._last_call is not None:
            wait = self._last_call + self.min_interval_s - self.clock()
            if wait > 0:
                await self.sleep(wait)
        self._last_call = self.clock()

    def _read(self, response: TextResponse, query: str) -> tuple[list[Headline], str]:
        if response.status != 200:
            raise ProviderFailed(f"refused the request (HTTP {response.status})")
        try:
            return parse_gdelt(response.text), ""
        except QueryRefused as exc:
            # A refusal of this query, not of us: remember it (cached as empty), say so.
            log.info("GDELT refused %r: %s", query, exc)
            return [], f"refused the search ({exc})"


# ---------------------------------------------------------------- RSS / Atom


@dataclass(slots=True)
class _Feed:
    name: str
    url: str
    backoff: Backoff
    etag: str | None = None
    last_modified: str | None = None
    items: list[Headline] = field(default_factory=list)
    next_poll: float = 0.0
    ok: bool | None = None     # None: never polled
    error: str = ""


class RssProvider(Provider):
    """Publisher feeds from `[news] rss_feeds`, polled politely with conditional GET:
    each feed's ETag / Last-Modified goes back as If-None-Match / If-Modified-Since,
    and a 304 keeps the items already read. Each feed backs off on its own."""

    name, label = "rss", "RSS"
    first_backoff_s = 120.0
    max_backoff_s = 2 * 3600.0

    def __init__(self, http: HttpClient, feeds: Sequence[RssFeed], *,
                 poll_s: float = RSS_POLL_S, concurrency: int = 4,
                 clock: SecondsClock = time.monotonic, sleep: Sleep = asyncio.sleep) -> None:
        super().__init__(http, clock=clock, sleep=sleep)
        self.poll_s = poll_s
        self.feeds = [_Feed(feed.name, feed.url, self._new_backoff()) for feed in feeds]
        self._gate = asyncio.Semaphore(max(1, concurrency))

    def cooling(self) -> bool:
        return False  # each feed keeps its own schedule

    def status(self) -> ProviderStatus:
        status = super().status()
        if status.failing and self.feeds:
            soonest = min(feed.next_poll for feed in self.feeds) - self.clock()
            status = replace(status, retry_in=soonest if soonest > 0 else None)
        return status

    async def fetch(self, plan: Plan) -> list[Headline]:
        if not self.feeds:
            raise NotDue
        due = [feed for feed in self.feeds if self.clock() >= feed.next_poll]
        await asyncio.gather(*(self._poll(feed) for feed in due))
        answered = [feed for feed in self.feeds if feed.ok]
        if due and not answered and all(feed.ok is False for feed in self.feeds):
            raise ProviderFailed(self._failure_detail(), backoff_s=0.0)
        self._note(self._summary(answered))
        return [item for feed in self.feeds for item in feed.items]

    def _summary(self, answered: Sequence[_Feed]) -> str:
        count = sum(len(feed.items) for feed in self.feeds)
        feeds = f"{len(answered)} of {len(self.feeds)} feeds" if len(answered) < len(
            self.feeds) else f"{len(self.feeds)} feed{'s' if len(self.feeds) != 1 else ''}"
        return f"{count} headline{'s' if count != 1 else ''} from {feeds}"

    def _failure_detail(self) -> str:
        first = self.feeds[0]
        more = f" (and {len(self.feeds) - 1} more feeds failed)" if len(self.feeds) > 1 else ""
        return f"{first.name}: {first.error}{more}"

    async def _poll(self, feed: _Feed) -> None:
        headers = {"Accept": FEED_ACCEPT}
        if feed.etag:
            headers["If-None-Match"] = feed.etag
        if feed.last_modified:
            headers["If-Modified-Since"] = feed.last_modified
        async with self._gate:
            try:
                response = await self.http.get_text(feed.url, headers=headers)
            except ApiRateLimited as exc:
                self._feed_failed(feed, "rate limited", exc.retry_after)
                return
            except ApiError as exc:
                self._feed_failed(feed, error_detail(exc))
                return
        await self._read(feed, response)

    async def _read(self, feed: _Feed, response: TextResponse) -> None:
        if response.status == 304:
            self._feed_ok(feed)  # not modified: the items we have are current
            return
        if response.status != 200:
            self._feed_failed(feed, f"HTTP {response.status}")
            return
        try:
            items = await asyncio.to_thread(parse_feed, response.text,
                                            provider=f"rss:{feed.name}", publisher=feed.name)
        except NewsPayloadError as exc:
            self._feed_failed(feed, str(exc))
            return
        except (ValueError, TypeError, KeyError, AttributeError, UnicodeError):
            log.exception("feed %s: unreadable reply", feed.name)
            self._feed_failed(feed, "the reply could not be read")
            return
        headers = {k.lower(): v for k, v in response.headers.items()}
        feed.etag = headers.get("etag") or None
        feed.last_modified = headers.get("last-modified") or None
        feed.items = items
        self._feed_ok(feed)

    def _feed_ok(self, feed: _Feed) -> None:
        feed.ok, feed.error = True, ""
        feed.backoff.reset()
        feed.next_poll = self.clock() + self.poll_s

    def _feed_failed(self, feed: _Feed, detail: str, at_least: float | None = None) -> None:
        delay = max(feed.backoff.next(at_least or 0.0), self.poll_s)
        feed.next_poll = self.clock() + delay
        feed.ok, feed.error = False, detail
        log.info("feed %s failed (%s); next poll in %.0f s", feed.name, detail, delay)


# ---------------------------------------------------------------- NewsAPI


class NewsApiProvider(Provider):
    """NewsAPI.org `/v2/everything`, only with a key (sent as X-Api-Key, never in the
    URL, never logged: HttpClient redacts headers named *key*, and no status repeats
    what NewsAPI said about the key)."""

    name, label = "newsapi", "NewsAPI"
    first_backoff_s = 15 * 60.0
    max_backoff_s = 6 * 3600.0
    rate_limit_floor_s = 3600.0

    def __init__(self, http: HttpClient, url: str, key: str, *,
                 min_interval_s: float = NEWSAPI_MIN_INTERVAL_S, cache_s: float = NEWSAPI_CACHE_S,
                 page_size: int = 30, clock: SecondsClock = time.monotonic,
                 sleep: Sleep = asyncio.sleep) -> None:
        super().__init__(http, clock=clock, sleep=sleep)
        self.url = url
        self._key = key
        self.min_interval_s = min_interval_s
        self.page_size = page_size
        self.cache_s = cache_s
        self._last_call: float | None = None

    def __repr__(self) -> str:
        return f"NewsApiProvider(url={self.url!r})"  # never the key

    async def fetch(self, plan: Plan) -> list[Headline]:
        query = plan.keywords
        if not query:
            raise NotDue
        if (cached := self._cached(query)) is not None:
            return cached
        if self._last_call is not None and self.clock() - self._last_call < self.min_interval_s:
            raise NotDue  # the daily budget: at most one search per interval
        self._last_call = self.clock()
        params = {"q": query, "language": "en", "sortBy": "publishedAt",
                  "pageSize": str(self.page_size), "page": "1",
                  "searchIn": "title,description"}
        response = await self.http.get_text(self.url, params, headers={"X-Api-Key": self._key})
        items = self._read(response)
        self._keep(query, items)
        return items

    def _read(self, response: TextResponse) -> list[Headline]:
        if response.status == 200:
            try:
                return parse_newsapi(json.loads(response.text))
            except ValueError as exc:
                raise NewsPayloadError("the reply is not JSON") from exc
        code, message = newsapi_error(response.text)
        raise self._refusal(response.status, code, message)

    def _refusal(self, status: int, code: str, message: str) -> ProviderFailed:
        if status == 401 or code.startswith("apiKey"):
            # What NewsAPI says next to a refused key is not repeated: keep keys out.
            return ProviderFailed(f"the key was refused ({code or 'HTTP 401'}); check "
                                  "newsapi_key or POLYDASH_NEWSAPI_KEY", 6 * 3600.0)
        if status == 426 or code == "maximumResultsReached":
            return ProviderFailed("the plan's result limit was reached (maximumResultsReached)",
                                  3600.0, "limited")
        if status == 429 or code == "rateLimited":
            return ProviderFailed("rate limited (the free plan allows 100 requests a day)",
                                  3600.0, "limited")
        said = f": {_without(message, self._key)}" if message else ""
        return ProviderFailed(f"refused the search (HTTP {status}{', ' + code if code else ''})"
                              f"{said}")


def _without(text: str, secret: str) -> str:
    return text.replace(secret, "***") if secret else text


# ---------------------------------------------------------------- Google News


class GoogleNewsProvider(Provider):
    """Google News RSS search: opt-in only (its feeds are licensed for a personal,
    non-commercial feed reader). Links are Google redirects; publisher from <source>."""

    name, label = "google_news", "Google News"
    first_backoff_s = 5 * 60.0
    max_backoff_s = 2 * 3600.0
    rate_limit_floor_s = 15 * 60.0

    def __init__(self, http: HttpClient, url: str = GOOGLE_NEWS_URL, *,
                 min_interval_s: float = GOOGLE_MIN_INTERVAL_S, cache_s: float = GOOGLE_CACHE_S,
                 language: str = "en-US", country: str = "US",
                 clock: SecondsClock = time.monotonic, sleep: Sleep = asyncio.sleep) -> None:
        super().__init__(http, clock=clock, sleep=sleep)
        self.url = url
        self.min_interval_s = min_interval_s
        self.language, self.country = language, country
        self.cache_s = cache_s
        self._last_call: float | None = None

    async def fetch(self, plan: Plan) -> list[Headline]:
        query = plan.google
        if not query:
            raise NotDue
        if (cached := self._cached(query)) is not None:
            return cached
        if self._last_call is not None and self.clock() - self._last_call < self.min_interval_s:
            raise NotDue
        self._last_call = self.clock()
        params = {"q": query, "hl": self.language, "gl": self.country,
                  "ceid": f"{self.country}:{self.language.split('-')[0]}"}
        response = await self.http.get_text(self.url, params, headers={"Accept": FEED_ACCEPT})
        if response.status != 200:
            raise ProviderFailed(f"refused the search (HTTP {response.status})")
        items = await asyncio.to_thread(parse_feed, response.text, provider="google_news",
                                        google=True)
        self._keep(query, items)
        return items
