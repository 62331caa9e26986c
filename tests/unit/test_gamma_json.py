"""The msgspec decoding of Gamma market pages gives what json.loads + the builder gave."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

import msgspec
import pytest

from tests.support import polymarket_fixture
from tui.models import (
    PayloadError,
    event_from_gamma,
    market_from_gamma,
    parse_items,
    parse_time,
)
from tui.services.gamma_json import (
    EVENT_ITEM_KEYS,
    EVENT_KEYS,
    MARKET_KEYS,
    event_of,
    loads_event_page,
    loads_market_page,
    market_of,
)

FIXTURES = ("gamma_markets_keyset_2026-10-06.json", "gamma_markets_default_page_2025-06-09.json")
EVENT_FIXTURES = ("gamma_events_active_subset_2025-06-13.json",
                  "gamma_events_by_slug_negrisk_2026-03.json")


def fixture_markets() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for name in FIXTURES:
        body = polymarket_fixture(name)
        found.extend(body["markets"] if isinstance(body, dict) else body)
    found.append(polymarket_fixture("gamma_market_single_2026-06.json"))
    return found


def page(markets: list[Any], cursor: str | None = "2") -> bytes:
    return json.dumps({"markets": markets, "next_cursor": cursor}).encode()


class Recording(Mapping[str, Any]):
    """A market or event that notes every key the builder reads."""

    def __init__(self, data: Mapping[str, Any], seen: set[str]) -> None:
        self._data, self._seen = data, seen

    def __getitem__(self, key: str) -> Any:
        self._seen.add(key)
        return self._data[key]

    def get(self, key: str, default: Any = None) -> Any:
        self._seen.add(key)
        return self._data.get(key, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


def keys_read(build: Any, items: list[dict[str, Any]], nested: str) -> tuple[set[str], set[str]]:
    """The keys `build` reads of each item, and of the objects in its `nested` list."""
    outer: set[str] = set()
    inner: set[str] = set()
    for item in items:
        children = [Recording(child, inner) for child in item.get(nested, [])]
        build(Recording({**item, nested: children}, outer))
    return outer, inner


def test_the_decoded_keys_are_every_key_the_builder_reads() -> None:
    market_keys, event_keys = keys_read(market_from_gamma, fixture_markets(), "events")
    assert market_keys <= {*MARKET_KEYS, "events"}
    assert event_keys <= set(EVENT_KEYS)


def test_pages_build_the_same_markets_as_json_loads() -> None:
    markets = fixture_markets()
    body = loads_market_page(page(markets))
    assert body["next_cursor"] == "2"
    # Read in the one pass over the page: neither dicts of every key nor JSON text.
    assert not any(isinstance(item, dict | msgspec.Raw) for item in body["markets"])
    fast = parse_items(body["markets"], market_of, what="market")
    assert fast == parse_items(markets, market_from_gamma, what="market")
    assert len(fast) == len(markets)


@pytest.mark.parametrize("content", [
    b'{"markets": [{"id": "1", "question": "Q", "volume": NaN}]}',  # json.loads takes NaN
    b'{"markets": {"id": "1"}}',
    b'[1, 2]',
    b'{"markets": [{"id": "1", "question": "Q \\ud83d"}]}',  # an escaped lone surrogate
])
def test_what_msgspec_refuses_is_read_by_json_loads(content: bytes) -> None:
    assert loads_market_page(content) == json.loads(content)


def test_bad_json_raises_value_error_as_json_loads_does() -> None:
    with pytest.raises(ValueError):
        loads_market_page(b'{"markets": [{"id": "1"')


def test_odd_items_are_skipped_and_logged_as_before(caplog: pytest.LogCaptureFixture) -> None:
    good = fixture_markets()[0]
    odd: list[Any] = [
        7, "text", None, [good],
        {**good, "id": "a1", "events": "not a list"},
        {**good, "id": "a2", "events": [3]},
        {**good, "id": "a3", "clobTokenIds": [123, 456]},  # numbers: precision lost
        {**good, "id": "a4", "question": "Q \u202eevil\x1b[31m"},
        {**good, "id": "a5", "question": ""},
    ]
    items = loads_market_page(page(odd))["markets"]
    assert all(isinstance(item, msgspec.Raw) for item in items)  # each read on its own
    with caplog.at_level(logging.WARNING, logger="polydash.models"):
        fast = parse_items(items, market_of, what="market")
    fast_log = caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="polydash.models"):
        slow = parse_items(odd, market_from_gamma, what="market")
    assert fast == slow
    assert [m.id for m in fast] == ["a1", "a2", "a4"]
    assert fast[2].question == "Q evil"
    assert fast_log == caplog.text and fast_log.count("skipped") == 6


def test_a_single_raw_item_raises_like_the_builder() -> None:
    raw = msgspec.json.decode(b'[{"id": "9"}]', type=list[msgspec.Raw])[0]
    with pytest.raises(PayloadError, match="without question"):
        market_of(raw)


def fixture_events() -> list[dict[str, Any]]:
    return [event for name in EVENT_FIXTURES for event in polymarket_fixture(name)]


def test_the_decoded_event_keys_are_every_key_the_builders_read() -> None:
    event_keys, market_keys = keys_read(event_from_gamma, fixture_events(), "markets")
    assert event_keys <= {*EVENT_ITEM_KEYS, "markets"}
    assert market_keys <= set(MARKET_KEYS)


def test_event_pages_build_the_same_events_as_json_loads() -> None:
    events = fixture_events()
    content = json.dumps({"events": events, "next_cursor": None}).encode()
    body = loads_event_page(content)
    fast = parse_items(body["events"], event_of, what="event")
    assert fast == parse_items(events, event_from_gamma, what="event")
    assert sum(len(e.markets) for e in fast) > len(fast) > 1


def test_an_event_with_an_odd_market_keeps_the_others_as_before(
        caplog: pytest.LogCaptureFixture) -> None:
    event = fixture_events()[0]
    odd = {**event, "markets": [5, *event["markets"]]}
    content = json.dumps({"events": [odd]}).encode()
    with caplog.at_level(logging.WARNING, logger="polydash.models"):
        [fast] = parse_items(loads_event_page(content)["events"], event_of, what="event")
    assert fast == event_from_gamma(odd)
    assert len(fast.markets) == len(event["markets"]) and "skipped" in caplog.text


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-11-01T12:00:00.5Z", datetime(2026, 11, 1, 12, 0, 0, 500_000, tzinfo=UTC)),
    ("2026-11-01T12:00:00+00:00", datetime(2026, 11, 1, 12, tzinfo=UTC)),
    ("2026-11-01T14:00:00+02:00", datetime(2026, 11, 1, 12, tzinfo=UTC)),
    ("2026-11-01Z12:00:00Z", None),  # fromisoformat alone would take Z as the separator
    (" 2026-11-01T12:00:00Z ", datetime(2026, 11, 1, 12, tzinfo=UTC)),
    ("20261101", datetime.fromtimestamp(20261101, UTC)),  # digits are epoch seconds
])
def test_the_quick_way_for_utc_times_gives_the_careful_answers(
        text: str, expected: datetime | None) -> None:
    parsed = parse_time(text)
    assert parsed == expected
    assert parsed is None or parsed.tzinfo is UTC
