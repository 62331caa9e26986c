"""Numbers no probability can have: dropped where they arrive (websocket frames, REST
books, price history, Gamma prices) and counted in a log line; and every formatter
answers for any float (inf, -inf, NaN, 1e308, -0.0) without raising."""

from __future__ import annotations

import itertools
import json
import logging
import math
from collections.abc import Callable
from typing import Any

import pytest

from tests.fakews import book_frame, hostile_book_frames
from tui.models import book_from_clob, market_from_gamma, price_points_from_clob
from tui.services.stream_protocol import BookKeeper, PriceTick
from tui.view import format as fmt
from tui.widgets import chart_drawing

TOKEN = "7" * 77
HOSTILE_FLOATS = (math.inf, -math.inf, math.nan, 1e308, -1e308, 1.7e308, -0.0, 0.0,
                  5e-324, -5e-324, 1e15, 1e16, -1.0, 2.5, 0.5)
HOSTILE_PRICES = ("1e308", "1.7e308", "2.5", "-0.1", "NaN", "Infinity", "-Infinity", 1e308,
                  "1e400")

# ---------------------------------------------------------------- formatters

FORMATTERS: dict[str, Callable[[float], object]] = {
    "price tenth": fmt.fmt_price,
    "price whole": lambda v: fmt.fmt_price(v, "whole"),
    "price tick": lambda v: fmt.fmt_price(v, "tick"),
    "change": fmt.fmt_change,
    "change with unit": lambda v: fmt.fmt_change(v, unit="¢"),
    "money": fmt.fmt_money,
    "money narrow": lambda v: fmt.fmt_money(v, narrow=True),
    "shares": fmt.fmt_shares,
    "shares compact": lambda v: fmt.fmt_shares(v, compact=True),
    "window": fmt.fmt_window,
    "chart cents": chart_drawing.format_cents,
    **{f"duration {units[0].suffix}…": (lambda v, u=units: fmt.fmt_duration(v, u))
       for units in (fmt.AGE_UNITS, fmt.HOUR_UNITS, fmt.LONG_UNITS, fmt.HEADLINE_UNITS,
                     fmt.TIME_LEFT_UNITS, fmt.WINDOW_UNITS)},
}


def _text(result: object) -> str:
    return result[0] if isinstance(result, tuple) else str(result)


@pytest.mark.parametrize(("name", "value"), itertools.product(FORMATTERS, HOSTILE_FLOATS))
def test_every_formatter_answers_any_float_in_a_few_cells(name: str, value: float) -> None:
    text = _text(FORMATTERS[name](value))
    assert len(text) <= 24, text  # never 300 digits
    assert "nan" not in text.lower() and "inf" not in text.lower()
    if not math.isfinite(value) or abs(value) > 1e15:
        assert text in (fmt.NO_VALUE, "0s", "") or name.startswith(("duration", "window"))


@pytest.mark.parametrize("name", ["price tenth", "price whole", "price tick", "shares"])
def test_minus_zero_is_shown_as_zero(name: str) -> None:
    assert "-" not in _text(FORMATTERS[name](-0.0))


@pytest.mark.parametrize(("low", "high"), itertools.product(HOSTILE_FLOATS, repeat=2))
def test_the_chart_axis_is_drawn_for_any_range(low: float, high: float) -> None:
    axis = chart_drawing.auto_y_axis(low, high, 12)
    assert 0.0 <= axis.low <= axis.high <= 100.0
    assert axis.ticks and all(label.endswith("¢") for label in axis.labels)


# ---------------------------------------------------------------- the websocket


def test_a_book_with_infinite_and_out_of_range_prices_is_dropped_and_logged(
        caplog: pytest.LogCaptureFixture) -> None:
    keeper = BookKeeper()
    caplog.set_level(logging.WARNING, "polydash.stream")
    events = []
    for frame in hostile_book_frames(TOKEN):
        events += keeper.feed(json.dumps(frame))
    book = keeper.book(TOKEN)
    assert book is not None and not book.bids and not book.asks  # 1e308, 2.5, 3.5: gone
    prices = [e.price for e in events if isinstance(e, PriceTick)]
    assert all(0.0 <= p <= 1.0 for p in prices)
    assert keeper.stats.out_of_range == 2  # one per frame, not one per level
    lines = [r.getMessage() for r in caplog.records if "outside 0-1" in r.getMessage()]
    assert len(lines) == 2 and all("2 levels" in line for line in lines)


def test_good_frames_after_hostile_ones_still_tick() -> None:
    keeper = BookKeeper()
    for frame in hostile_book_frames(TOKEN):
        keeper.feed(json.dumps(frame))
    later = book_frame(TOKEN, mid=0.42, stamp_ms=int(hostile_book_frames(TOKEN)[1]["timestamp"])
                       + 10)
    [tick] = [e for e in keeper.feed(json.dumps(later)) if isinstance(e, PriceTick)]
    assert tick.price == pytest.approx(0.42)


@pytest.mark.parametrize("price", HOSTILE_PRICES)
def test_price_change_best_bid_ask_and_trades_out_of_range_are_dropped(price: Any) -> None:
    keeper = BookKeeper()
    keeper.feed(json.dumps(book_frame(TOKEN, mid=0.5, stamp_ms=1000)))
    change = {"event_type": "price_change", "market": "0x1", "timestamp": "2000",
              "price_changes": [{"asset_id": TOKEN, "price": price, "size": "10", "side": "BUY",
                                 "best_bid": price, "best_ask": "0.6"}]}
    quote = {"event_type": "best_bid_ask", "asset_id": TOKEN, "timestamp": "3000",
             "best_bid": "0.4", "best_ask": price}
    trade = {"event_type": "last_trade_price", "asset_id": TOKEN, "timestamp": "4000",
             "price": price, "size": "3", "side": "BUY"}
    events = [e for frame in (change, quote, trade) for e in keeper.feed(json.dumps(frame))]
    book = keeper.book(TOKEN)
    assert book is not None
    assert all(0.0 <= level.price <= 1.0 for level in (*book.bids, *book.asks))
    assert all(0.0 <= e.price <= 1.0 for e in events if hasattr(e, "price"))
    assert keeper.stats.out_of_range == 3


def test_a_negative_size_does_not_delete_a_level() -> None:
    keeper = BookKeeper()
    keeper.feed(json.dumps(book_frame(TOKEN, mid=0.5, stamp_ms=1000)))
    before = keeper.book(TOKEN)
    change = {"event_type": "price_change", "market": "0x1", "timestamp": "2000",
              "price_changes": [{"asset_id": TOKEN, "price": f"{before.bids[0].price}",
                                 "size": "-5", "side": "BUY"}]}
    keeper.feed(json.dumps(change))
    assert keeper.book(TOKEN) == before
    assert keeper.stats.out_of_range == 1


# ---------------------------------------------------------------- REST and Gamma


def test_a_rest_book_drops_bad_levels_in_one_log_line(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, "polydash.models")
    body = {"asset_id": TOKEN, "market": "0x1", "timestamp": "1",
            "bids": [{"price": "1e308", "size": "1"}, {"price": "0.4", "size": "-1"},
                     {"price": "0.3", "size": "5"}, {"price": "NaN", "size": "1"}],
            "asks": [{"price": "3.5", "size": "1"}, {"price": "0.6", "size": "2"}],
            "last_trade_price": "2.5", "tick_size": "1e308"}
    book = book_from_clob(body)
    assert [level.price for level in book.bids] == [0.3]
    assert [level.price for level in book.asks] == [0.6]
    assert book.last_trade_price is None and book.tick_size is None
    assert book.mid == pytest.approx(0.45)
    [line] = [r.getMessage() for r in caplog.records]
    assert "dropped 4 levels" in line


def test_price_history_drops_out_of_range_points_in_one_log_line(
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, "polydash.models")
    body = {"history": [{"t": 1, "p": 0.5}, *({"t": 2 + i, "p": p}
                                              for i, p in enumerate(HOSTILE_PRICES))]}
    points = price_points_from_clob(TOKEN, body)
    assert [p.p for p in points] == [0.5]
    [line] = [r.getMessage() for r in caplog.records]
    assert f"dropped {len(HOSTILE_PRICES)} of {len(HOSTILE_PRICES) + 1} points" in line


def test_gamma_prices_outside_0_1_are_dropped_and_logged(
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, "polydash.models")
    market = market_from_gamma({
        "id": "1", "question": "Q?", "outcomes": '["Yes", "No"]',
        "outcomePrices": '["2.5", "1e308"]', "clobTokenIds": '["1", "2"]',
        "bestBid": "2.5", "bestAsk": 1e308, "lastTradePrice": "-0.2"})
    assert [o.price for o in market.outcomes] == [None, None]
    assert (market.best_bid, market.best_ask, market.last_trade_price) == (None, None, None)
    assert any("dropped 2 outcome prices" in r.getMessage() for r in caplog.records)
