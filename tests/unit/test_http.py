"""The pieces of tui/services/http.py that need no server: Retry-After, redaction,
rate limiter, TTL cache, status and body classification. The client itself is
exercised against a real loopback server in tests/integration/test_gamma_clob.py.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest

from tests.support import FakeClock, SleepLog
from tui import __version__
from tui.services.http import (
    DEFAULT_RATE_LIMITS,
    DEFAULT_USER_AGENT,
    MAX_RETRY_AFTER_S,
    RATE_BURST,
    ApiBadPayload,
    ApiError,
    ApiHttpError,
    ApiRateLimited,
    ApiServerError,
    ApiTimeout,
    HttpClient,
    RateLimiter,
    TtlCache,
    decode_json,
    is_secret_name,
    parse_retry_after,
    redact,
)

NOW = datetime(2026, 10, 6, 3, 53, 30, tzinfo=UTC)
HOST = "clob.polymarket.com"


# ---------------------------------------------------------------- Retry-After


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", 12.0), (" 1.5 ", 1.5), ("0", 0.0), ("-3", 0.0), (None, None), ("", None),
     ("soon", None), ("nan", None),
     ("Tue, 06 Oct 2026 03:54:00 GMT", 30.0),  # an HTTP date, 30 s after NOW
     ("Tue, 06 Oct 2026 03:50:00 GMT", 0.0)],  # already past
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, now=NOW) == expected


# ---------------------------------------------------------------- secrets


@pytest.mark.parametrize("name", ["X-Api-Key", "apiKey", "Authorization", "access_token",
                                  "Cookie", "token", "client_secret", "X-Session"])
def test_secret_names(name: str) -> None:
    assert is_secret_name(name)


@pytest.mark.parametrize("name", ["token_id", "clob_token_ids", "market", "q", "User-Agent"])
def test_data_names_are_not_secret(name: str) -> None:
    assert not is_secret_name(name)


def test_redact_hides_values_of_secret_names_only() -> None:
    assert redact({"apiKey": "s3cret", "q": "btc"}) == {"apiKey": "***", "q": "btc"}
    assert redact([("token_id", "123"), ("X-Api-Key", "k")]) == {"token_id": "123",
                                                                 "X-Api-Key": "***"}
    assert redact(None) == {}


# ---------------------------------------------------------------- defaults


def test_user_agent_names_the_app_and_version() -> None:
    assert DEFAULT_USER_AGENT == f"polydash/{__version__} (+https://github.com/polydash)"


@pytest.mark.parametrize(("host", "documented_per_10s"), [
    ("gamma-api.polymarket.com", 300),  # /markets, the tightest Gamma listing limit
    ("clob.polymarket.com", 500),  # /midpoints and /books, the tightest CLOB limits we use
])
def test_default_rate_limits_stay_under_documented_limits(host: str,
                                                          documented_per_10s: int) -> None:
    # The worst 10 s window: a full burst, then the steady rate.
    assert DEFAULT_RATE_LIMITS[host] * 10 + RATE_BURST < documented_per_10s


# ---------------------------------------------------------------- rate limiter


async def test_rate_limiter_allows_a_burst_then_spaces_requests() -> None:
    clock = FakeClock()
    limiter = RateLimiter(10.0, burst=3, sleep=clock.sleep, clock=clock)
    for _ in range(6):
        await limiter.acquire()
    assert clock.sleeps == pytest.approx([0.1, 0.1, 0.1])


def test_rate_limiter_reservations_queue_concurrent_callers() -> None:
    clock = FakeClock()
    limiter = RateLimiter(4.0, burst=1, clock=clock)
    assert [limiter.reserve() for _ in range(4)] == pytest.approx([0.0, 0.25, 0.5, 0.75])
    clock.now += 10  # idle time refills the bucket, but never beyond the burst
    assert [limiter.reserve() for _ in range(2)] == pytest.approx([0.0, 0.25])


# ---------------------------------------------------------------- TTL cache


def test_ttl_cache_expires_entries() -> None:
    clock = FakeClock()
    cache: TtlCache[tuple[str, ...], dict[str, int]] = TtlCache(clock=clock)
    cache.put(("GET", "u"), {"a": 1}, ttl=30)
    assert cache.get(("GET", "u")) == {"a": 1}
    clock.now += 29.9
    assert cache.get(("GET", "u")) == {"a": 1}
    clock.now += 0.2
    assert cache.get(("GET", "u")) is None


def test_ttl_cache_is_bounded() -> None:
    cache: TtlCache[str, str] = TtlCache(max_entries=2, clock=FakeClock())
    for key in ("a", "b", "c"):
        cache.put(key, key, ttl=60)
    assert cache.get("a") is None
    assert cache.get("c") == "c"


def test_ttl_cache_drops_the_entry_stored_longest_ago() -> None:
    cache: TtlCache[str, int] = TtlCache(max_entries=2, clock=FakeClock())
    cache.put("a", 1, ttl=60)
    cache.put("b", 2, ttl=60)
    cache.put("a", 3, ttl=60)  # storing again makes it the newest
    cache.put("c", 4, ttl=60)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (3, None, 4)


# ---------------------------------------------------------------- classification


def response(status: int, body: bytes, content_type: str = "application/json",
             **headers: str) -> httpx.Response:
    return httpx.Response(status, content=body,
                          headers={"content-type": content_type, **headers})


def test_decode_json_of_a_good_body() -> None:
    assert decode_json(HOST, response(200, b'{"a": "1"}')) == {"a": "1"}


def test_html_where_json_was_expected_is_a_bad_payload_not_retried() -> None:
    with pytest.raises(ApiBadPayload) as caught:
        decode_json(HOST, response(200, b"<!DOCTYPE html><html>hi</html>", "text/html"))
    assert str(caught.value) == f"{HOST} sent a web page where data was expected (HTTP 200)"
    assert caught.value.retryable is False


def test_html_without_a_content_type_is_still_html() -> None:
    with pytest.raises(ApiBadPayload, match="web page"):
        decode_json(HOST, response(200, b"  <html><body>x</body></html>", ""))


def test_cut_off_json_is_a_retryable_bad_payload() -> None:
    with pytest.raises(ApiBadPayload) as caught:
        decode_json(HOST, response(200, b'{"markets": [{"id": "1"'))
    assert caught.value.retryable is True
    assert "incomplete" in caught.value.message


def test_plain_text_where_json_was_expected_is_not_retried() -> None:
    with pytest.raises(ApiBadPayload) as caught:
        decode_json(HOST, response(200, b"One or more of your keywords were too short",
                                   "text/plain; charset=utf-8"))
    assert caught.value.message == f"{HOST} sent text/plain where JSON was expected"
    assert caught.value.retryable is False


def test_error_family_messages_and_fields() -> None:
    limited = ApiRateLimited(HOST, f"{HOST} is rate limiting us (retry in 12 s)", 12.0)
    assert isinstance(limited, ApiError) and str(limited) == limited.message
    assert (limited.host, limited.retry_after, limited.retryable) == (HOST, 12.0, True)
    assert ApiServerError(HOST, "m", 502).status == 502
    assert ApiHttpError(HOST, "m", 404).retryable is False
    assert ApiTimeout(HOST, "m").retryable is True
    assert MAX_RETRY_AFTER_S >= 30



# ---------------------------------------------------------------- sentences with real host names


GAMMA = "gamma-api.polymarket.com"


async def failing_client(error: Callable[[httpx.Request], httpx.Response]) -> list[str]:
    """The messages HttpClient raises for `error`, against the real Gamma host name."""
    sleep = SleepLog()
    async with HttpClient(user_agent=DEFAULT_USER_AGENT, transport=httpx.MockTransport(error),
                          max_attempts=2, rate_limits={GAMMA: 0}, sleep=sleep) as http:
        with pytest.raises(ApiError) as caught:
            await http.get_json(f"https://{GAMMA}/markets/keyset")
    assert caught.value.host == GAMMA
    return [str(caught.value), type(caught.value).__name__, *map(str, sleep.delays)]


def os_error_under_connect_error(os_error: OSError) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        try:
            raise os_error
        except OSError as exc:
            raise httpx.ConnectError(str(exc), request=request) from exc
    return handler


async def test_timeout_sentence() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    message, kind, *_ = await failing_client(handler)
    assert (message, kind) == (f"{GAMMA} did not answer within 10 s", "ApiTimeout")


@pytest.mark.parametrize(("os_error", "reason"), [
    (ConnectionRefusedError(111, "Connection refused"), "connection refused"),
    (socket.gaierror(-2, "Name or service not known"), "host not found"),
    (socket.gaierror(-3, "Temporary failure in name resolution"), "host not found"),
    (OSError(101, "Network is unreachable"), "network unreachable"),
])
async def test_unreachable_sentences(os_error: OSError, reason: str) -> None:
    message, kind, *_ = await failing_client(os_error_under_connect_error(os_error))
    assert (message, kind) == (f"could not connect to {GAMMA} ({reason})", "ApiUnreachable")


async def test_rate_limited_sentence() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": "12"}, json={"error": "slow down"})

    assert await failing_client(handler) == [
        f"{GAMMA} is rate limiting us (retry in 12 s)", "ApiRateLimited", "12.0"]


async def test_cloudflare_block_sentence() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(403, text="<!DOCTYPE html><title>Attention Required!</title>",
                              headers={"content-type": "text/html"})

    assert await failing_client(handler) == [
        f"{GAMMA} refused the request (HTTP 403, an HTML block page)", "ApiHttpError"]


async def test_validation_error_sentence_quotes_the_api() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(422, json={"type": "validation error",
                                         "error": "order fields are not valid"})

    assert await failing_client(handler) == [
        f"{GAMMA} rejected the request (HTTP 422: order fields are not valid)", "ApiHttpError"]


async def test_rate_limit_applies_to_polymarket_hosts_by_default() -> None:
    sleep = SleepLog()
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={}))
    async with HttpClient(user_agent=DEFAULT_USER_AGENT, transport=transport,
                          sleep=sleep) as http:
        for _ in range(RATE_BURST + 3):
            await http.get_json(f"https://{GAMMA}/tags")
        await http.get_json("https://example.org/")  # other hosts are not limited
    assert len(sleep.delays) == 3
