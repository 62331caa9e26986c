"""The one HTTP layer every service uses: shared clients, retries, rate limits, cache, errors.

Every failure leaves this module as an `ApiError` whose message is a sentence a person
can read ("gamma-api.polymarket.com did not answer within 10 s"), never `[Errno 111]`.
No textual or rich import here: services run headless (CLI, tests, benchmarks).
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import math
import re
import ssl
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt
from tenacity.wait import wait_exponential_jitter

from tui import __version__
from tui.clock import SecondsClock, Sleep, utc_now
from tui.sanitize import clean_text

# The error classes live in tui/services/errors.py (free of httpx); importable from here
# too, the module that raises them.
from tui.services.errors import (
    ApiBadPayload,
    ApiError,
    ApiHttpError,
    ApiRateLimited,
    ApiServerError,
    ApiTimeout,
    ApiUnreachable,
)

log = logging.getLogger("polydash.http")

# httpx logs every request URL at INFO, query string included (a NewsAPI key travels
# there). Keep its loggers quiet unless someone configured them on purpose.
for _name in ("httpx", "httpcore"):
    if logging.getLogger(_name).level == logging.NOTSET:
        logging.getLogger(_name).setLevel(logging.WARNING)

DEFAULT_USER_AGENT = f"polydash/{__version__} (+https://github.com/polydash)"

# Requests per second per host, under the documented per-10-second limits
# (docs/polymarket-api.md §5): Gamma /markets 300 and /events 500 per 10 s, CLOB
# /midpoints 500 and /prices-history 1,000 per 10 s. rate * 10 + burst stays below each.
# A key "host/path" limits one route on top of its host's limit: the Data API allows
# 1,000 per 10 s in general, 200 on /trades and 150 on /positions; Gamma 200 on /comments
# (docs/data-api.md).
DEFAULT_RATE_LIMITS: Mapping[str, float] = {
    "gamma-api.polymarket.com": 25.0,
    "clob.polymarket.com": 45.0,
    "data-api.polymarket.com": 95.0,
    "data-api.polymarket.com/trades": 19.0,
    "data-api.polymarket.com/positions": 14.0,
    "gamma-api.polymarket.com/comments": 19.0,
}
RATE_BURST = 5
# A Retry-After longer than this is not waited for inside one call: the caller hears it.
MAX_RETRY_AFTER_S = 60.0
CACHE_MAX_ENTRIES = 2048

Params = Mapping[str, Any] | Sequence[tuple[str, Any]] | None


@dataclass(frozen=True, slots=True)
class TextResponse:
    status: int
    headers: Mapping[str, str]
    text: str


@dataclass(slots=True)
class HttpStats:
    requests_sent: int = 0
    cache_hits: int = 0
    retries: int = 0


# ---------------------------------------------------------------- small helpers


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: delta-seconds or an HTTP date; None when absent or junk."""
    if not value or not value.strip():
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or utc_now())).total_seconds()
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


_SECRET_NAME = re.compile(r"key|secret|passw|auth|cookie|signature|session|token", re.I)
_ID_NAME = re.compile(r"_ids?$", re.I)


def is_secret_name(name: str) -> bool:
    """Header or parameter names whose values must never reach a log (token_id is data)."""
    return bool(_SECRET_NAME.search(name)) and not _ID_NAME.search(name)


def redact(pairs: Mapping[str, Any] | Sequence[tuple[str, Any]] | None) -> dict[str, Any]:
    items = pairs.items() if isinstance(pairs, Mapping) else (pairs or ())
    return {name: "***" if is_secret_name(name) else value for name, value in items}


def _seconds(value: float) -> str:
    return f"{value:.2g} s" if value < 10 else f"{math.ceil(value)} s"


def _os_reason(exc: BaseException) -> str:
    """The words for the OS error under an httpx connection failure."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError):
            return "connection refused"
        if isinstance(seen, ConnectionResetError):
            return "connection reset"
        text = str(seen).lower()
        if "name or service not known" in text or "nodename nor servname" in text or (
            "name resolution" in text or "getaddrinfo" in text):
            return "host not found"
        if "connection refused" in text:
            return "connection refused"
        if "network is unreachable" in text:
            return "network unreachable"
        seen = seen.__cause__ or seen.__context__
    return clean_text(str(exc), 80) or type(exc).__name__


def _transport_error(host: str, exc: httpx.RequestError, timeout_s: float) -> ApiError:
    if isinstance(exc, httpx.TimeoutException):
        return ApiTimeout(host, f"{host} did not answer within {_seconds(timeout_s)}")
    if isinstance(exc, httpx.ConnectError):
        return ApiUnreachable(host, f"could not connect to {host} ({_os_reason(exc)})")
    if isinstance(exc, httpx.RemoteProtocolError):
        return ApiBadPayload(host, f"{host} closed the connection before the reply was complete",
                             retryable=True)
    if isinstance(exc, httpx.DecodingError):
        return ApiBadPayload(host, f"{host} sent a reply that could not be decoded",
                             retryable=True)
    if isinstance(exc, httpx.NetworkError):
        return ApiUnreachable(host, f"lost the connection to {host} ({_os_reason(exc)})")
    return ApiUnreachable(host, f"could not reach {host} ({_os_reason(exc)})", retryable=False)


def _is_html(response: httpx.Response) -> bool:
    if "html" in response.headers.get("content-type", "").lower():
        return True
    return response.content[:64].lstrip().lower().startswith((b"<!doctype", b"<html"))


def _error_detail(response: httpx.Response) -> str:
    """What the API said about its refusal: `{"error": ...}` text, or "an HTML block page"."""
    if _is_html(response):
        return "an HTML block page"
    try:
        body = json.loads(response.content)
    except ValueError:
        return ""
    if isinstance(body, Mapping):
        for key in ("error", "message", "detail"):
            if isinstance(body.get(key), str):
                return clean_text(body[key], 100)
    return ""


def _status_error(host: str, response: httpx.Response) -> ApiError | None:
    """The typed error for a non-2xx status, or None for a success."""
    status = response.status_code
    if status < 300:
        return None
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        when = f" (retry in {_seconds(retry_after)})" if retry_after is not None else ""
        return ApiRateLimited(host, f"{host} is rate limiting us{when}", retry_after)
    detail = _error_detail(response)
    if status >= 500:
        suffix = f": {detail}" if detail else ""
        return ApiServerError(host, f"{host} had a server error (HTTP {status}{suffix})", status)
    if detail == "an HTML block page":
        return ApiHttpError(host, f"{host} refused the request (HTTP {status}, {detail})", status)
    if status < 400:
        return ApiHttpError(host, f"{host} answered with a redirect (HTTP {status})", status)
    suffix = f": {detail}" if detail else ""
    return ApiHttpError(host, f"{host} rejected the request (HTTP {status}{suffix})", status)


def decode_json(host: str, response: httpx.Response,
                loads: Callable[[bytes], Any] = json.loads) -> Any:
    """The JSON body of a successful response, or ApiBadPayload saying what came instead.
    `loads` decodes it, raising ValueError on bad JSON as json.loads does."""
    if _is_html(response):
        raise ApiBadPayload(
            host, f"{host} sent a web page where data was expected (HTTP {response.status_code})")
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        return loads(response.content)
    except ValueError as exc:
        if not content_type or "json" in content_type:
            # The body claims JSON but does not parse: cut off in transit, worth a retry.
            raise ApiBadPayload(host, f"{host} sent an incomplete reply (the JSON was cut off)",
                                retryable=True) from exc
        raise ApiBadPayload(host, f"{host} sent {content_type} where JSON was expected") from exc


# ---------------------------------------------------------------- rate limit and cache


class RateLimiter:
    """Generic cell rate algorithm: `rate` requests/s with bursts of `burst`.

    Each caller reserves the next slot synchronously, then sleeps until it, so
    concurrent callers need no lock and never share a slot.
    """

    def __init__(self, rate: float, burst: int = RATE_BURST, *, sleep: Sleep = asyncio.sleep,
                 clock: SecondsClock = time.monotonic) -> None:
        self._interval = 1.0 / rate
        self._tolerance = (max(1, burst) - 1) * self._interval
        self._sleep = sleep
        self._clock = clock
        self._next = clock()  # theoretical arrival time of the next request

    def reserve(self) -> float:
        """Claim a slot; return how long to wait for it."""
        now = self._clock()
        arrival = max(self._next, now)
        self._next = arrival + self._interval
        return max(0.0, arrival - self._tolerance - now)

    async def acquire(self) -> None:
        delay = self.reserve()
        if delay > 0:
            await self._sleep(delay)


class TtlCache[K: Hashable, V]:
    """A bounded map whose entries expire `ttl` seconds after they were stored; when it
    is full, the entry stored longest ago goes. None is never a value: it means a miss."""

    def __init__(self, max_entries: int = CACHE_MAX_ENTRIES,
                 clock: SecondsClock = time.monotonic) -> None:
        self._entries: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._max = max_entries
        self._clock = clock

    def get(self, key: K) -> V | None:
        """The value stored under `key`, or None when there is none or it expired."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[0] <= self._clock():
            del self._entries[key]
            return None
        return entry[1]

    def put(self, key: K, value: V, ttl: float) -> None:
        self._entries[key] = (self._clock() + ttl, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()


# ---------------------------------------------------------------- the client


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """Loading the CA bundle takes about 0.1 s: once per process, not once per client."""
    return httpx.create_ssl_context()


@dataclass(frozen=True, slots=True)
class _Request:
    method: str
    url: str
    params: Params = None
    body: Any = None
    headers: Mapping[str, str] | None = None

    @property
    def host(self) -> str:
        return httpx.URL(self.url).host

    def cache_key(self) -> tuple[str, ...]:
        full = str(httpx.URL(self.url, params=self.params))
        body = "" if self.body is None else json.dumps(self.body, sort_keys=True)
        headers = json.dumps(sorted((self.headers or {}).items()))
        return (self.method, full, body, headers)


class HttpClient:
    """One shared httpx.AsyncClient per host, with retries, rate limits and a TTL cache."""

    def __init__(
        self,
        *,
        timeout_s: float = 10.0,
        user_agent: str,
        transport: httpx.AsyncBaseTransport | None = None,
        max_attempts: int = 4,
        rate_limits: Mapping[str, float] | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._timeout_s = timeout_s
        self._headers = {"User-Agent": user_agent, "Accept": "application/json"}
        self._transport = transport
        self._max_attempts = max(1, max_attempts)
        self._sleep = sleep
        # A rate of 0 (or less) turns the limit off for that host, e.g. for demo data.
        self._rates = {**DEFAULT_RATE_LIMITS, **(rate_limits or {})}
        self._limiters: dict[str, RateLimiter] = {}
        self._clients: dict[tuple[str, str, int | None], httpx.AsyncClient] = {}
        self._cache: TtlCache[tuple[str, ...], Any] = TtlCache()
        self._backoff = wait_exponential_jitter(multiplier=0.5, max=8.0, jitter=0.5)
        self.stats = HttpStats()

    async def get_json(self, url: str, params: Params = None, *, ttl: float = 0.0,
                       loads: Callable[[bytes], Any] | None = None) -> Any:
        """`loads` replaces json.loads for a large reply that a faster decoder reads into
        another shape (it raises ValueError on bad JSON); such replies are not cached."""
        if loads is not None:
            decode = functools.partial(self._json_of, loads=loads)
            return await self._with_retries(_Request("GET", url, params), decode)
        return await self._cached(_Request("GET", url, params), ttl, self._json_of)

    async def post_json(self, url: str, body: Any, *, ttl: float = 0.0) -> Any:
        return await self._cached(_Request("POST", url, body=body), ttl, self._json_of)

    async def get_text(self, url: str, params: Params = None, *,
                       headers: Mapping[str, str] | None = None, ttl: float = 0.0) -> TextResponse:
        """Any status below 500 except 429 comes back as is, so callers can read error bodies."""
        return await self._cached(_Request("GET", url, params, headers=headers), ttl,
                                  self._text_of)

    async def aclose(self) -> None:
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.aclose()

    async def __aenter__(self) -> HttpClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # ------------------------------------------------------------ internals

    async def _cached[T](self, request: _Request, ttl: float,
                         decode: Callable[[str, httpx.Response], T]) -> T:
        if ttl <= 0:
            return await self._with_retries(request, decode)
        key = request.cache_key()
        cached = self._cache.get(key)
        if cached is not None:
            self.stats.cache_hits += 1
            return cached
        value = await self._with_retries(request, decode)
        if value is not None:  # a JSON null: nothing worth keeping, and None means a miss
            self._cache.put(key, value, ttl)
        return value

    async def _with_retries[T](self, request: _Request,
                               decode: Callable[[str, httpx.Response], T]) -> T:
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self._max_attempts),
            wait=self._wait,
            retry=retry_if_exception(_should_retry),
            sleep=self._sleep,
            before_sleep=self._before_sleep,
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                return decode(request.host, await self._send(request))
        raise AssertionError("tenacity ended without a result")  # pragma: no cover

    async def _send(self, request: _Request) -> httpx.Response:
        host = request.host
        await self._limiter(host)
        await self._limiter(host + httpx.URL(request.url).path)
        self.stats.requests_sent += 1
        if log.isEnabledFor(logging.DEBUG):
            log.debug("%s %s params=%s headers=%s", request.method, request.url,
                      redact(request.params), redact(request.headers))
        try:
            return await self._client(request.url).request(
                request.method, request.url, params=request.params, json=request.body,
                headers=request.headers)
        except httpx.RequestError as exc:
            raise _transport_error(host, exc, self._timeout_s) from exc

    @staticmethod
    def _json_of(host: str, response: httpx.Response,
                 loads: Callable[[bytes], Any] = json.loads) -> Any:
        error = _status_error(host, response)
        if error is not None:
            raise error
        return decode_json(host, response, loads)

    @staticmethod
    def _text_of(host: str, response: httpx.Response) -> TextResponse:
        if response.status_code == 429 or response.status_code >= 500:
            error = _status_error(host, response)
            if error is not None:
                raise error
        return TextResponse(response.status_code, dict(response.headers), response.text)

    def _client(self, url: str) -> httpx.AsyncClient:
        parsed = httpx.URL(url)
        key = (parsed.scheme, parsed.host, parsed.port)
        client = self._clients.get(key)
        if client is None:
            client = httpx.AsyncClient(
                transport=self._transport,
                verify=_tls_context(),
                headers=self._headers,
                timeout=httpx.Timeout(self._timeout_s),
                limits=httpx.Limits(max_connections=8, max_keepalive_connections=4),
            )
            self._clients[key] = client
        return client

    async def _limiter(self, host: str) -> None:
        rate = self._rates.get(host, 0.0)
        if rate <= 0:
            return
        limiter = self._limiters.get(host)
        if limiter is None:
            limiter = self._limiters[host] = RateLimiter(rate, sleep=self._sleep)
        await limiter.acquire()

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, ApiRateLimited) and error.retry_after is not None:
            return error.retry_after
        return self._backoff(state)

    def _before_sleep(self, state: RetryCallState) -> None:
        self.stats.retries += 1
        error = state.outcome.exception() if state.outcome else None
        delay = state.next_action.sleep if state.next_action else 0.0
        log.info("retrying in %.1f s (attempt %d): %s", delay, state.attempt_number + 1, error)


def _should_retry(error: BaseException) -> bool:
    if not isinstance(error, ApiError) or not error.retryable:
        return False
    if isinstance(error, ApiRateLimited) and error.retry_after is not None:
        return error.retry_after <= MAX_RETRY_AFTER_S
    return True
