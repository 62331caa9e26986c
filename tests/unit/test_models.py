"""Every recorded Polymarket payload in tests/fixtures/polymarket goes through models.py.

Real shapes (docs/polymarket-api.md §2.4): JSON text inside JSON, v2 position ids,
numbers as strings, absent fields, 77-digit token ids that must stay strings; a bad item
is skipped and logged while the rest survive; hostile text comes out inert.
"""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.support import POLYMARKET_FIXTURES, assert_inert, polymarket_fixture
from tui.market_json import market_from_dict, market_to_dict
from tui.models import (
    Market,
    PayloadError,
    book_from_clob,
    event_from_gamma,
    iso,
    market_from_gamma,
    markets_of,
    parse_float,
    parse_items,
    parse_json_list,
    parse_time,
    price_points_from_clob,
    tag_from_api,
    with_prices,
)

KEYSET = "gamma_markets_keyset_2026-10-06.json"
HOSTILE = "Will \x1b[31mX\x1b[0m win?\u202e \x9b2J[/b][@click=app.quit]\u200b"


def raw_tokens(market: dict[str, Any]) -> list[str]:
    return json.loads(market["clobTokenIds"]) if market.get("clobTokenIds") else []


def assert_sound_market(market: Market, raw: dict[str, Any]) -> None:
    """What must hold for any market built from a recorded object."""
    assert market.id == raw["id"]
    assert market.question and market.slug
    for text in (market.question, market.description, market.event_title, market.group_title):
        assert_inert(text, newlines=True)
    expected_tokens = raw_tokens(raw)
    assert [o.token_id for o in market.outcomes] == expected_tokens[: len(market.outcomes)]
    for outcome in market.outcomes:
        assert isinstance(outcome.token_id, str)
        assert outcome.price is None or 0.0 <= outcome.price <= 1.0


# ---------------------------------------------------------------- one check per fixture


def check_markets_default_page(data: Any) -> None:
    """Legacy bare array: 20 closed 2020 markets, JSON-in-JSON fields, ["0","0"] prices."""
    markets = parse_items(data, market_from_gamma, what="market")
    assert len(markets) == 20
    for market, raw in zip(markets, data, strict=True):
        assert_sound_market(market, raw)
        assert market.closed is True
        assert isinstance(raw["outcomes"], str)  # JSON text inside JSON, decoded once more
        assert [o.name for o in market.outcomes] == json.loads(raw["outcomes"])
    first = markets[0]
    assert first.id == "12"
    assert [o.price for o in first.outcomes] == [0.0, 0.0]
    assert first.event_slug == "will-joe-biden-get-coronavirus-before-the-election"
    assert first.volume == 32257.45  # volumeNum preferred over the string `volume`
    assert first.end_date == datetime(2020, 11, 4, tzinfo=UTC)
    assert all(len(o.token_id) >= 70 for o in first.outcomes)


def check_events_active_subset(data: Any) -> None:
    """A negRisk event with 30 nested markets (most closed) and 4 single-market events."""
    events = parse_items(data, event_from_gamma, what="event")
    assert [e.id for e in events] == ["12815", "14205", "14229", "14271", "14371"]
    nba = events[0]
    assert nba.neg_risk is True
    assert len(nba.markets) == 30
    assert "sports" in {t.slug for t in nba.tags}
    for market, raw in zip(nba.markets, data[0]["markets"], strict=True):
        assert_sound_market(market, raw)
        assert "events" not in raw  # nested markets have no back reference...
        assert market.event_slug == "nba-champion-2024-2025"  # ...so the parent is passed in
        assert market.url.startswith("https://polymarket.com/event/nba-champion-2024-2025/")
    assert sum(1 for m in nba.markets if m.closed or not m.active) == 28
    assert len(markets_of(events)) == 34


def check_events_by_slug(data: Any) -> None:
    (event,) = parse_items(data, event_from_gamma, what="event")
    assert (event.id, event.slug) == ("30829", "democratic-presidential-nominee-2028")
    assert event.title == "Democratic Presidential Nominee 2028"
    assert {"politics", "elections"} <= {t.slug for t in event.tags}
    assert all(isinstance(t.id, str) for t in event.tags)
    assert [m.group_title for m in event.markets] == ["Stephen A. Smith", "Gretchen Whitmer"]
    smith = event.markets[0]
    assert smith.title == "Democratic Presidential Nominee 2028: Stephen A. Smith" or (
        "Stephen A. Smith" in smith.question)
    assert [o.price for o in smith.outcomes] == [0.0105, 0.9895]
    for market, raw in zip(event.markets, data[0]["markets"], strict=True):
        assert_sound_market(market, raw)
    assert event.url == "https://polymarket.com/event/democratic-presidential-nominee-2028"


def check_market_single(data: Any) -> None:
    """One market with embedded `events`; oneDayPriceChange absent."""
    market = market_from_gamma(data)
    assert_sound_market(market, data)
    assert "oneDayPriceChange" not in data
    assert market.change_24h is None
    assert market.group_title == "Gavin Newsom"
    assert market.event_slug == "democratic-presidential-nominee-2028"
    assert market.url == ("https://polymarket.com/event/democratic-presidential-nominee-2028/"
                          + data["slug"])
    assert (market.best_bid, market.best_ask, market.tick_size) == (0.232, 0.233, 0.001)
    assert market.neg_risk is True
    assert market.leading is not None and market.leading.name == "Yes"


def check_markets_keyset(data: Any) -> None:
    """Keyset page: `$schema`, next_cursor, v1 markets that also carry positionIds."""
    assert "$schema" in data and isinstance(data["next_cursor"], str)
    markets = parse_items(data["markets"], market_from_gamma, what="market")
    assert len(markets) == 3
    for market, raw in zip(markets, data["markets"], strict=True):
        assert_sound_market(market, raw)
        assert isinstance(raw["volume"], str)  # numbers as strings...
        assert market.volume == pytest.approx(float(raw["volume"]))  # ...read as numbers
    xi = markets[0]
    assert data["markets"][0]["positionIds"]  # present, but version v1: clobTokenIds rule
    assert xi.outcomes[0].token_id == (
        "32338220190071351435772801779725302244575775216413325951443816017994629993401")
    assert xi.best_ask == 0.025 and xi.event_slug == "xi-jinping-out-before-2027"


def check_tags(data: Any) -> None:
    tags = parse_items(data, tag_from_api, what="tag")
    assert len(tags) == 5
    assert tags[0].id == "101259" and tags[0].slug == "health-and-human-services"
    assert all(isinstance(t.id, str) and t.label for t in tags)


def check_public_search(data: Any) -> None:
    """Search returns events; each nested market is built carrying its event."""
    events = parse_items(data["events"], event_from_gamma, what="event")
    (market,) = markets_of(events)
    assert market.id == "1500056"
    assert market.event_slug == "bitcoin-above-on-march-11"
    assert market.event_title == "Bitcoin above ___ on March 11?"
    assert market.outcomes[1].token_id == (
        "114864044085275704824767724161446505770691378478296635109394628126577576954599")
    assert data["pagination"]["hasMore"] is True


def check_clob_book(data: Any) -> None:
    """REST book: best levels arrive last; the model puts them first."""
    book = book_from_clob(data)
    assert book.token_id == data["asset_id"]
    assert book.best_bid == max(float(level["price"]) for level in data["bids"]) == 0.024
    assert book.best_ask == min(float(level["price"]) for level in data["asks"]) == 0.025
    assert book.mid == 0.0245 and book.spread == 0.001
    assert book.timestamp_ms == 1_791_258_810_641
    assert (book.tick_size, book.last_trade_price) == (0.001, 0.024)
    assert len(book.bids) == 23 and len(book.asks) == 137
    # The recording pairs this book with market 559651.
    keyset = polymarket_fixture(KEYSET)["markets"][0]
    assert book.token_id == raw_tokens(keyset)[0]


def check_clob_markets_page(data: Any) -> None:
    """CLOB's own market list (snake_case, `tokens[]`): no builder, but its fields parse."""
    assert (data["next_cursor"], data["count"], len(data["data"])) == ("MTAw", 100, 100)
    for item in data["data"]:
        for token in item["tokens"]:
            assert isinstance(token["token_id"], str)
            assert parse_float(token["price"]) is not None
        assert item["end_date_iso"] is None or parse_time(item["end_date_iso"]) is not None


def check_ws_book(data: Any) -> None:
    """WS `book` messages have the REST book's shape."""
    book = book_from_clob(data)
    assert book.token_id == data["asset_id"] and len(book.token_id) >= 70
    assert book.best_bid == max(float(level["price"]) for level in data["bids"])
    assert book.best_ask == min(float(level["price"]) for level in data["asks"])
    assert book.best_bid < book.best_ask
    assert book.timestamp_ms == int(data["timestamp"])


def check_ws_stream_prefix(data: Any) -> None:
    check_ws_book(data[0])
    changes = [c for frame in data[1:] for c in frame["price_changes"]]
    assert len(changes) >= 6
    for change in changes:
        assert isinstance(change["asset_id"], str)
        assert parse_float(change["price"]) is not None
        assert parse_float(change["size"]) is not None  # "0" deletes a level: 0.0, not None
    assert any(parse_float(c["size"]) == 0.0 for c in changes)


def check_ws_scalar_message(data: Any) -> None:
    """price_change (legacy), last_trade_price, tick_size_change, best_bid_ask."""
    assert isinstance(data["asset_id"], str) and len(data["asset_id"]) >= 70
    assert parse_time(data["timestamp"]) is not None  # epoch-ms string
    for name in ("price", "size", "best_bid", "best_ask", "spread", "new_tick_size"):
        if name in data:
            assert parse_float(data[name]) is not None


def check_ws_new_market(data: Any) -> None:
    assert parse_json_list(data["outcomes"]) == ["Yes", "No"]  # a real list here, not text
    assert all(isinstance(t, str) for t in data["assets_ids"])
    assert parse_time(data["timestamp"]) == datetime(2025, 12, 26, 23, 6, 55, 550000, tzinfo=UTC)


CHECKS: dict[str, Callable[[Any], None]] = {
    "gamma_markets_default_page_2025-06-09.json": check_markets_default_page,
    "gamma_events_active_subset_2025-06-13.json": check_events_active_subset,
    "gamma_events_by_slug_negrisk_2026-03.json": check_events_by_slug,
    "gamma_market_single_2026-06.json": check_market_single,
    KEYSET: check_markets_keyset,
    "gamma_tags_2026-03.json": check_tags,
    "gamma_public_search_2026-03.json": check_public_search,
    "clob_book_2026-10-06.json": check_clob_book,
    "clob_markets_page_2024-09.json": check_clob_markets_page,
    "ws_market_book_2024-09.json": check_ws_book,
    "ws_market_book_captured_2026-08.json": check_ws_book,
    "ws_market_stream_prefix_2026-09.json": check_ws_stream_prefix,
    "ws_market_price_change_legacy_2024-08.json": check_ws_scalar_message,
    "ws_market_last_trade_price_2024-08.json": check_ws_scalar_message,
    "ws_market_tick_size_change_2025-02.json": check_ws_scalar_message,
    "ws_market_best_bid_ask_2025-12.json": check_ws_scalar_message,
    "ws_market_new_market_2025-12.json": check_ws_new_market,
}


def test_every_recorded_fixture_has_a_check() -> None:
    assert {p.name for p in POLYMARKET_FIXTURES.glob("*.json")} == set(CHECKS)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_recorded_fixture_parses(name: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="polydash.models"):
        CHECKS[name](polymarket_fixture(name))
    assert not caplog.records, "a recorded item was skipped"


# ---------------------------------------------------------------- shapes and quirks


def keyset_market(**changes: Any) -> dict[str, Any]:
    market = copy.deepcopy(polymarket_fixture(KEYSET)["markets"][0])
    market.update(changes)
    return market


def test_v2_market_uses_position_ids() -> None:
    raw = keyset_market(version="v2")
    market = market_from_gamma(raw)
    assert [o.token_id for o in market.outcomes] == raw["positionIds"]
    assert market.outcomes[0].token_id.endswith("5792")


def test_v2_market_without_position_ids_falls_back_to_clob_token_ids() -> None:
    raw = keyset_market(version="v2", positionIds=None)
    assert [o.token_id for o in market_from_gamma(raw).outcomes] == raw_tokens(raw)


def test_json_lists_may_arrive_as_real_lists() -> None:
    raw = keyset_market(outcomes=["Yes", "No"], outcomePrices=["0.25", "0.75"],
                        clobTokenIds=["1" * 77, "2" * 77])
    market = market_from_gamma(raw)
    assert [(o.name, o.price, o.token_id) for o in market.outcomes] == [
        ("Yes", 0.25, "1" * 77), ("No", 0.75, "2" * 77)]


def test_token_ids_stay_exact_strings() -> None:
    token = "114864044085275704824767724161446505770691378478296635109394628126577576954599"
    raw = keyset_market(clobTokenIds=json.dumps([token, "9" * 78]))
    market = market_from_gamma(raw)
    assert market.outcomes[0].token_id == token
    assert market_to_dict(market)["outcomes"][0]["token_id"] == token
    assert float(token) != int(token)  # why a float or int64 would have been wrong


def test_token_id_sent_as_a_json_number_is_refused() -> None:
    # 77 digits as a JSON number have already lost precision in most decoders.
    with pytest.raises(PayloadError, match="token id"):
        market_from_gamma(keyset_market(clobTokenIds="[1234, 5678]"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0.0245", 0.0245), (" 12 ", 12.0), (1, 1.0), (0.5, 0.5), ("", None), (None, None),
     (True, None), ("abc", None), ("nan", None), ("inf", None), (float("nan"), None),
     (10**400, None), ([], None)],
)
def test_parse_float(value: object, expected: float | None) -> None:
    assert parse_float(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-07-03T20:37:17.339044Z", datetime(2025, 7, 3, 20, 37, 17, 339044, tzinfo=UTC)),
        ("2025-07-03T20:37:00.228Z", datetime(2025, 7, 3, 20, 37, 0, 228000, tzinfo=UTC)),
        ("2020-11-02 16:31:01+00", datetime(2020, 11, 2, 16, 31, 1, tzinfo=UTC)),  # Postgres
        ("2028-11-07", datetime(2028, 11, 7, tzinfo=UTC)),  # date only
        ("1791258810641", datetime(2026, 10, 6, 3, 53, 30, 641000, tzinfo=UTC)),  # epoch ms
        (1791258810, datetime(2026, 10, 6, 3, 53, 30, tzinfo=UTC)),  # epoch s
        ("2026-10-06T05:53:30+02:00", datetime(2026, 10, 6, 3, 53, 30, tzinfo=UTC)),
        ("", None), ("soon", None), (None, None), (True, None), ("\u00b2", None),
        ("9" * 5000, None), (10**30, None),
    ],
)
def test_parse_time(value: object, expected: datetime | None) -> None:
    assert parse_time(value) == expected


def test_absent_fields_give_defaults() -> None:
    market = market_from_gamma({"id": "1", "question": "Bare?"})
    assert market.outcomes == () and market.slug == "" and market.event_slug == ""
    assert market.volume is None and market.end_date is None and market.change_24h is None
    assert market.active is True and market.closed is False and market.accepting_orders is None
    assert market.leading is None and market.token_ids == ()
    assert market.url == "https://polymarket.com/event/"


def test_placeholder_market_without_prices_keeps_outcomes() -> None:
    raw = keyset_market(active=False)
    del raw["outcomePrices"]
    market = market_from_gamma(raw)
    assert [o.price for o in market.outcomes] == [None, None]
    assert market.leading is not None and market.leading.name == "Yes"


def test_out_of_range_prices_become_unknown() -> None:
    market = market_from_gamma(keyset_market(outcomePrices='["1.5", "-0.2"]'))
    assert [o.price for o in market.outcomes] == [None, None]


def test_integer_ids_are_accepted_as_text() -> None:
    assert market_from_gamma({"id": 559651, "question": "Int id?"}).id == "559651"


# ---------------------------------------------------------------- bad items


def test_bad_items_are_skipped_and_logged_and_the_rest_survive(
        caplog: pytest.LogCaptureFixture) -> None:
    good = polymarket_fixture("gamma_markets_default_page_2025-06-09.json")
    junk: list[Any] = [
        None,
        "a string",
        {"question": "no id?"},
        {"id": "x1"},  # no question
        keyset_market(id="x2", outcomes='["Yes", "No"'),  # JSON text cut off
        keyset_market(id="x3", outcomes='{"Yes": 1}'),  # not a list
        keyset_market(id="x4", clobTokenIds="[1, 2]"),  # numeric token ids
        keyset_market(id="x5", endDate="\u00b2", volume24hr=10**400),  # junk numbers and dates
    ]
    items = [*good[:10], *junk, *good[10:]]
    with caplog.at_level(logging.WARNING, logger="polydash.models"):
        markets = parse_items(items, market_from_gamma, what="market")
    ids = [m.id for m in markets]
    # x5 survives: its junk date and number just become unknown.
    assert ids == [m["id"] for m in good[:10]] + ["x5"] + [m["id"] for m in good[10:]]
    assert [m for m in markets if m.id == "x5"][0].end_date is None
    assert len([r for r in caplog.records if "skipped" in r.getMessage()]) == 7
    assert "skipped market #10" in caplog.text


def test_bad_child_market_is_skipped_but_the_event_survives(
        caplog: pytest.LogCaptureFixture) -> None:
    event = copy.deepcopy(polymarket_fixture("gamma_events_by_slug_negrisk_2026-03.json")[0])
    event["markets"].insert(1, {"id": "broken"})
    with caplog.at_level(logging.WARNING, logger="polydash.models"):
        parsed = event_from_gamma(event)
    assert [m.id for m in parsed.markets] == ["559657", "559659"]
    assert "market of event 30829" in caplog.text


@pytest.mark.parametrize("data", [None, [], "event", {"id": "1"}, {"slug": "x"}])
def test_event_without_identity_is_refused(data: Any) -> None:
    with pytest.raises(PayloadError):
        event_from_gamma(data)


# ---------------------------------------------------------------- hostile text


def test_hostile_text_is_cleaned_once_at_the_boundary() -> None:
    raw = keyset_market(question=HOSTILE, description="Rules\x1b]8;;https://x\x07\n\nline\u202e",
                        groupItemTitle="\x07Group", outcomes=json.dumps(["Y\x1bes", "No\u200b"]))
    raw["events"][0]["title"] = "Event\x9d title"
    market = market_from_gamma(raw)
    for text in (market.question, market.description, market.group_title, market.event_title,
                 *(o.name for o in market.outcomes)):
        assert_inert(text, newlines=True)
    assert market.question == "Will X win? [/b][@click=app.quit]"  # brackets kept
    assert market.description == "Rules\n\nline"
    assert [o.name for o in market.outcomes] == ["Ys", "No"]  # ESC e: one sequence


def test_hostile_event_and_tag_text_is_cleaned() -> None:
    event = copy.deepcopy(polymarket_fixture("gamma_events_by_slug_negrisk_2026-03.json")[0])
    event["title"] = HOSTILE
    event["tags"][0]["label"] = "Poli\x1b[2Jtics\u202e"
    parsed = event_from_gamma(event)
    assert_inert(parsed.title, newlines=True)
    assert parsed.tags[0].label == "Politics"
    assert all(m.event_title == parsed.title for m in parsed.markets)


def test_overlong_text_is_truncated() -> None:
    market = market_from_gamma({"id": "1", "question": "Q" * 5000, "description": "d" * 50_000})
    assert len(market.question) == 500 and market.question.endswith("…")
    assert len(market.description) == 20_000


# ---------------------------------------------------------------- CLOB shapes


def test_price_points_skip_bad_points() -> None:
    body = {"history": [{"t": 1, "p": 0.5}, {"t": "2", "p": 0.5}, {"t": 3, "p": "0.25"},
                        {"t": 4, "p": 1.5}, {"t": True, "p": 0.5}, "junk", {"t": 5},
                        {"t": float("nan"), "p": 0.5}, {"t": 6.9, "p": 0}]}
    points = price_points_from_clob("tok", body)
    assert [(p.t, p.p) for p in points] == [(1, 0.5), (3, 0.25), (6, 0.0)]
    assert all(p.token_id == "tok" for p in points)


@pytest.mark.parametrize("body", [None, [], {"history": None}, {"error": "x"}])
def test_price_history_of_the_wrong_shape_is_refused(body: Any) -> None:
    with pytest.raises(PayloadError):
        price_points_from_clob("tok", body)


def test_empty_history_is_fine() -> None:
    assert price_points_from_clob("tok", {"history": []}) == []


def test_book_with_junk_levels_and_timestamp() -> None:
    book = book_from_clob({"asset_id": "7" * 77, "timestamp": "\u00b2",
                           "bids": [{"price": "0.4", "size": "0"}, {"price": "x", "size": "1"},
                                    "junk", {"price": "0.3", "size": "5"}],
                           "asks": []})
    assert [b.price for b in book.bids] == [0.3]  # a zero size is an empty level
    assert book.best_ask is None and book.mid is None and book.spread is None
    assert book.timestamp_ms is None


@pytest.mark.parametrize("data", [None, [], {"bids": []}, {"asset_id": 123}])
def test_book_without_asset_is_refused(data: Any) -> None:
    with pytest.raises(PayloadError):
        book_from_clob(data)


# ---------------------------------------------------------------- round trips and helpers


def test_market_dict_round_trip_for_every_recorded_market() -> None:
    markets = [
        *parse_items(polymarket_fixture("gamma_markets_default_page_2025-06-09.json"),
                     market_from_gamma, what="market"),
        *parse_items(polymarket_fixture(KEYSET)["markets"], market_from_gamma, what="market"),
        *markets_of(parse_items(polymarket_fixture("gamma_events_active_subset_2025-06-13.json"),
                                event_from_gamma, what="event")),
        market_from_gamma(polymarket_fixture("gamma_market_single_2026-06.json"),
                          fetched_at=datetime(2026, 10, 6, tzinfo=UTC)),
    ]
    for market in markets:
        as_json = json.loads(json.dumps(market_to_dict(market)))
        assert market_from_dict(as_json) == market


def test_market_to_dict_has_the_cli_fields() -> None:
    data = market_to_dict(market_from_gamma(polymarket_fixture("gamma_market_single_2026-06.json")))
    for key in ("id", "slug", "event_slug", "question", "outcomes", "volume_24h", "volume",
                "liquidity", "end_date", "best_bid", "best_ask", "last_trade_price",
                "change_24h", "url", "updated_at"):
        assert key in data
    assert data["end_date"] == "2028-11-07T00:00:00Z"
    assert data["change_24h"] is None


def test_with_prices_replaces_only_known_tokens() -> None:
    market = market_from_gamma(polymarket_fixture("gamma_market_single_2026-06.json"))
    yes, no = market.token_ids
    updated = with_prices(market, {yes: 0.3, "other": 0.9})
    assert [o.price for o in updated.outcomes] == [0.3, market.outcomes[1].price]
    assert with_prices(market, {"other": 0.9}) is market
    assert no in updated.token_ids


def test_iso() -> None:
    assert iso(None) is None
    assert iso(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)) == "2026-01-02T03:04:05Z"


def test_an_events_own_order_of_its_markets() -> None:
    """groupItemThreshold places a market in its event (a ladder's strikes); an event
    with sortBy "price" lists its markets by price."""
    (event,) = parse_items(polymarket_fixture("gamma_events_by_slug_negrisk_2026-03.json"),
                           event_from_gamma, what="event")
    assert [m.group_order for m in event.markets] == [5, 7]
    assert {m.event_sort for m in event.markets} == {"price"}
    single = market_from_gamma(polymarket_fixture("gamma_market_single_2026-06.json"))
    assert single.group_order == 0  # from "0"
    for junk in ("", "x", "-1", "1.5", True, None, "²"):
        assert market_from_gamma({"id": "1", "question": "Q?", "groupItemThreshold": junk}
                                 ).group_order is None
