"""The market-channel protocol without sockets: BookKeeper on the recorded ws_* frames,
the local book algorithm, the history buffer and the subscription messages."""

from __future__ import annotations

import copy
import json
import logging
from typing import Any

import pytest

from tests.fakeapi import FakeRecorder
from tests.support import polymarket_fixture
from tui.services.stream import HistoryBuffer, MarketStream
from tui.services.stream_protocol import (
    BookKeeper,
    BookUpdate,
    MarketResolved,
    PriceTick,
    TickSizeChange,
    TradeTick,
    display_price,
    operation_message,
    subscribe_message,
)

PREFIX = polymarket_fixture("ws_market_stream_prefix_2026-09.json")
YES = PREFIX[0]["asset_id"]  # 7667…: the asset with the book snapshot
NO = "54179564009642723353355316176091991063553046330768303687769988635499280029688"


def feed(keeper: BookKeeper, message: Any) -> list[Any]:
    return keeper.feed(json.dumps(message))


def ticks(events: list[Any], token: str | None = None) -> list[PriceTick]:
    return [e for e in events if isinstance(e, PriceTick) and token in (None, e.token_id)]


# ---------------------------------------------------------------- the book algorithm


def test_prefix_book_follows_every_price_change() -> None:
    keeper = BookKeeper()
    feed(keeper, PREFIX[0])
    book = keeper.book(YES)
    assert book is not None
    assert (book.best_bid, book.best_ask) == (0.3, 0.397)  # best-last in the payload
    for message in PREFIX[1:]:
        feed(keeper, message)
        entry = next(e for e in message["price_changes"] if e["asset_id"] == YES)
        book = keeper.book(YES)
        assert book is not None
        # After each frame our book agrees with the server's own top of book.
        assert book.best_bid == float(entry["best_bid"])
        assert book.best_ask == float(entry["best_ask"])


def test_prefix_levels_set_replace_and_delete() -> None:
    keeper = BookKeeper()
    for message in PREFIX:
        feed(keeper, message)
    local = keeper.books[YES]
    assert local.bids[0.311] == 2000 and local.bids[0.301] == 1000
    assert 0.399 not in local.asks  # size "0" deleted the level
    assert local.asks[0.398] == 3687.87  # replaced (was 3737.87), not added to
    assert local.asks[0.39] == 4765 and local.asks[0.44] == 3687.87
    book = keeper.book(YES, depth=10)
    assert book is not None and len(book.bids) == 10 and len(book.asks) == 10
    assert [lvl.price for lvl in book.bids] == sorted((lvl.price for lvl in book.bids),
                                                      reverse=True)
    assert [lvl.price for lvl in book.asks] == sorted(lvl.price for lvl in book.asks)
    assert book.tick_size == 0.001 and book.last_trade_price == 0.255
    assert book.timestamp_ms == int(PREFIX[-1]["timestamp"])


def test_prefix_as_one_array_frame_equals_one_by_one() -> None:
    one, many = BookKeeper(), BookKeeper()
    one.feed(json.dumps(PREFIX))
    for message in PREFIX:
        feed(many, message)
    assert one.book(YES) == many.book(YES)


def test_ticks_for_an_asset_without_a_book_come_from_the_entries() -> None:
    keeper = BookKeeper()
    events = feed(keeper, PREFIX[0]) + feed(keeper, PREFIX[1])
    no = ticks(events, NO)
    assert len(no) == 1
    assert (no[0].best_bid, no[0].best_ask, no[0].price) == (0.603, 0.699, 0.651)
    assert NO not in keeper.books  # no snapshot, no invented book
    assert no[0].t == int(PREFIX[1]["timestamp"]) / 1000


def test_a_tick_only_when_the_top_of_book_moves() -> None:
    keeper = BookKeeper()
    events = []
    for message in PREFIX:
        events += feed(keeper, message)
    yes_quotes = [(t.best_bid, t.best_ask) for t in ticks(events, YES)]
    # book, 0.301, 0.311, (0.399 deleted: top unchanged), 0.39, (0.44), (0.398)
    assert yes_quotes == [(0.3, 0.397), (0.301, 0.397), (0.311, 0.397), (0.311, 0.39)]
    assert sum(isinstance(e, BookUpdate) and e.token_id == YES for e in events) == 7


def test_frames_older_than_the_last_applied_are_ignored() -> None:
    keeper = BookKeeper()
    feed(keeper, PREFIX[0])
    feed(keeper, PREFIX[4])  # 0.39 ask arrives
    assert feed(keeper, PREFIX[2]) == []  # an older frame (0.311 bid): too late
    assert 0.311 not in keeper.books[YES].bids
    assert keeper.stats.stale == 2  # one per asset of the late frame
    older_book = {**PREFIX[0], "timestamp": str(int(PREFIX[0]["timestamp"]) - 1)}
    assert feed(keeper, older_book) == []
    assert keeper.books[YES].asks[0.39] == 4765  # the newer state survived


def test_unwanted_assets_are_left_alone() -> None:
    keeper = BookKeeper(wanted={YES}.__contains__)
    events = []
    for message in PREFIX:
        events += feed(keeper, message)
    assert {e.token_id for e in events if hasattr(e, "token_id")} == {YES}


# ---------------------------------------------------------------- the other recorded messages


@pytest.mark.parametrize("name", ["ws_market_book_2024-09.json",
                                  "ws_market_book_captured_2026-08.json"])
def test_recorded_books(name: str) -> None:
    message = polymarket_fixture(name)
    keeper = BookKeeper()
    events = feed(keeper, message)
    book = keeper.book(message["asset_id"])
    assert book is not None
    assert book.best_bid == max(float(b["price"]) for b in message["bids"])
    assert book.best_ask == min(float(a["price"]) for a in message["asks"])
    assert ticks(events)[0].price == book.mid


def test_recorded_last_trade_tick_size_and_best_bid_ask() -> None:
    keeper = BookKeeper()
    trade = polymarket_fixture("ws_market_last_trade_price_2024-08.json")
    [event] = feed(keeper, trade)
    assert event == TradeTick(trade["asset_id"], 0.491, 85.36, "SELL", 1724564136.087)
    tick = polymarket_fixture("ws_market_tick_size_change_2025-02.json")
    assert feed(keeper, tick) == [TickSizeChange(tick["asset_id"], 0.001, 1739068041.853)]
    best = polymarket_fixture("ws_market_best_bid_ask_2025-12.json")
    [price] = feed(keeper, best)
    assert price == PriceTick(best["asset_id"], 0.75, 0.73, 0.77, 1766789469.958)


def test_trade_and_tick_size_update_a_known_book() -> None:
    keeper = BookKeeper()
    feed(keeper, PREFIX[0])
    events = feed(keeper, {"event_type": "last_trade_price", "asset_id": YES, "price": "0.3",
                           "side": "BUY", "size": "10", "timestamp": PREFIX[1]["timestamp"]})
    assert any(isinstance(e, BookUpdate) for e in events)
    feed(keeper, {"event_type": "tick_size_change", "asset_id": YES, "new_tick_size": "0.01",
                  "old_tick_size": "0.001", "timestamp": PREFIX[1]["timestamp"]})
    book = keeper.book(YES)
    assert book is not None and book.last_trade_price == 0.3 and book.tick_size == 0.01


def test_new_market_is_skipped_quietly_and_resolution_is_reported() -> None:
    keeper = BookKeeper()
    assert feed(keeper, polymarket_fixture("ws_market_new_market_2025-12.json")) == []
    assert keeper.stats.unknown == 0 and keeper.stats.malformed == 0
    resolved = {"event_type": "market_resolved", "market": "0xabc", "assets_ids": [YES, NO],
                "winning_asset_id": YES, "timestamp": "1790658700000"}
    assert feed(keeper, resolved) == [MarketResolved("0xabc", (YES, NO), YES, 1790658700.0)]


def test_legacy_price_change_is_ignored_safely() -> None:
    keeper = BookKeeper()
    legacy = polymarket_fixture("ws_market_price_change_legacy_2024-08.json")
    book = {**PREFIX[0], "asset_id": legacy["asset_id"], "timestamp": "1723967931000"}
    feed(keeper, book)
    before = keeper.book(legacy["asset_id"])
    assert feed(keeper, legacy) == []
    assert keeper.book(legacy["asset_id"]) == before
    assert keeper.stats.legacy == 1 and keeper.stats.malformed == 0


@pytest.mark.parametrize("frame", [
    "{not json", "[1, 2", "null", "42", '"text"', "[null, 3]", "INVALID OPERATION",
    '{"event_type": "book"}',  # no asset_id
    '{"event_type": "book", "asset_id": 12345}',  # a number: precision already lost
    '{"event_type": "price_change", "price_changes": [null]}',
    '{"event_type": "price_change", "price_changes": [{"asset_id": ["x"]}]}',
    '{"event_type": "mystery", "asset_id": "1"}',
    '{"no_event_type": true}',
    '{"event_type": "market_resolved"}',
])
def test_malformed_frames_are_logged_and_skipped(frame: str,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    keeper = BookKeeper()
    feed(keeper, PREFIX[0])
    with caplog.at_level(logging.WARNING, "polydash.stream"):
        assert keeper.feed(frame) == []
    assert keeper.stats.malformed + keeper.stats.unknown >= 1
    assert "skipped a websocket message" in caplog.text
    assert feed(keeper, PREFIX[1])  # and the stream goes on


def test_pong_is_not_json_and_not_an_error() -> None:
    keeper = BookKeeper()
    assert keeper.feed("PONG") == [] and keeper.feed(b"PONG") == []
    assert keeper.stats.pongs == 2 and keeper.stats.malformed == 0


def test_a_bad_message_inside_an_array_spares_the_others() -> None:
    keeper = BookKeeper()
    events = keeper.feed(json.dumps([{"event_type": "oops"}, PREFIX[0], "junk"]))
    assert keeper.book(YES) is not None and ticks(events, YES)


def test_a_malformed_flood_is_not_logged_line_by_line(caplog: pytest.LogCaptureFixture) -> None:
    keeper = BookKeeper()
    with caplog.at_level(logging.WARNING, "polydash.stream"):
        for _ in range(1000):
            keeper.feed("{")
    assert keeper.stats.malformed == 1000
    assert len(caplog.records) < 10


def test_forget_drops_books_and_the_timestamp_guard() -> None:
    keeper = BookKeeper()
    feed(keeper, PREFIX[0])
    feed(keeper, PREFIX[6])
    keeper.forget([YES])
    assert keeper.book(YES) is None
    assert feed(keeper, PREFIX[0])  # an older snapshot is fine after a reconnect


def test_an_empty_side_prices_from_the_other_or_the_last_trade() -> None:
    assert display_price(0.4, 0.6) == 0.5
    assert display_price(None, 0.6, 0.55) == 0.55
    assert display_price(None, 0.6) == 0.6
    assert display_price(None, None) is None
    keeper = BookKeeper()
    empty = copy.deepcopy(PREFIX[0])
    empty["asks"] = []
    [_, tick] = feed(keeper, empty)
    assert isinstance(tick, PriceTick) and tick.best_ask is None and tick.price == 0.255


# ---------------------------------------------------------------- buffers and messages


async def test_history_buffer_batches_and_keeps_the_last_price_of_a_second() -> None:
    recorder = FakeRecorder()
    buffer = HistoryBuffer(recorder, max_points=3)
    assert not buffer.add("a", 100.2, 0.5)
    assert not buffer.add("a", 100.9, 0.6)  # same second: replaces
    assert not buffer.add("b", 100.0, 0.1)
    assert buffer.add("a", 101.0, 0.7)  # full: flush now
    assert await buffer.flush() == 3
    assert sorted((p.token_id, p.t, p.p) for p in recorder.points) == [
        ("a", 100, 0.6), ("a", 101, 0.7), ("b", 100, 0.1)]
    assert len(recorder.batches) == 1 and await buffer.flush() == 0


async def test_history_buffer_survives_a_failing_store(caplog: pytest.LogCaptureFixture) -> None:
    class Broken:
        async def record_prices(self, points: Any) -> int:
            raise OSError("disk full")

    buffer = HistoryBuffer(Broken())
    buffer.add("a", 1, 0.5)
    with caplog.at_level(logging.WARNING, "polydash.stream"):
        assert await buffer.flush() == 0
    assert "disk full" in caplog.text and len(buffer) == 0


def test_subscription_messages_have_the_documented_shape() -> None:
    assert json.loads(subscribe_message(["1", "2"])) == {
        "type": "market", "assets_ids": ["1", "2"], "custom_feature_enabled": True}
    assert json.loads(operation_message("subscribe", ["3"])) == {
        "operation": "subscribe", "assets_ids": ["3"], "custom_feature_enabled": True}
    assert json.loads(operation_message("unsubscribe", ["1"])) == {
        "operation": "unsubscribe", "assets_ids": ["1"]}


def test_stream_accepts_ws_urls_only() -> None:
    MarketStream("ws://127.0.0.1:9/ws/market")
    MarketStream("wss://ws-subscriptions-clob.polymarket.com/ws/market")
    with pytest.raises(ValueError):
        MarketStream("https://clob.polymarket.com")


def test_tokens_are_spread_over_connections_within_the_limit() -> None:
    stream = MarketStream("ws://127.0.0.1:9/ws/market", max_assets=3)
    stream.set_tokens(str(n) for n in range(8))
    assert stream.connections == 3
    stream.set_tokens(["0", "1"])
    assert stream.connections == 1 and stream.tokens == {"0", "1"}
    assert stream.uncovered(["0", "1", "9"]) == ["0", "1", "9"]  # nothing is live yet
