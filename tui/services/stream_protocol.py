"""The CLOB websocket market channel without I/O (docs/polymarket-api.md §4).

`BookKeeper` takes text frames in and gives typed events out, keeping a local book per
asset: best-last ordering in payloads; size "0" deletes a level; a frame older than the
last one applied to an asset is ignored. The messages sent to the server are built here
too. tui/services/stream.py owns the sockets. No textual or rich import here.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from tui.clock import SecondsClock
from tui.models import BookLevel, OrderBook, book_levels, parse_float, parse_price
from tui.sanitize import clean_text

# The same logger as the connections: one name to watch for the whole stream.
log = logging.getLogger("polydash.stream")

PING_TEXT = "PING"
PONG_TEXT = "PONG"
# Malformed or unknown frames: log the first few, then every Nth, not a flood.
WARN_FIRST, WARN_EVERY = 5, 500


class StreamState(StrEnum):
    IDLE = "IDLE"  # no token to watch, so no socket
    CONNECTING = "CONNECTING"
    LIVE = "LIVE"
    DOWN = "DOWN"  # waiting to reconnect: prices come from REST polling meanwhile


# ---------------------------------------------------------------- events


@dataclass(frozen=True, slots=True)
class PriceTick:
    """Top of book moved. `price` is the midpoint (what REST /midpoints gives), or the
    one side there is when the other is empty; `t` is the server's time in unix s."""

    token_id: str
    price: float
    best_bid: float | None
    best_ask: float | None
    t: float


@dataclass(frozen=True, slots=True)
class BookUpdate:
    """The local book of `token_id` changed; read it with MarketStream.book()."""

    token_id: str
    t: float


@dataclass(frozen=True, slots=True)
class TradeTick:
    token_id: str
    price: float
    size: float | None
    side: str
    t: float


@dataclass(frozen=True, slots=True)
class TickSizeChange:
    token_id: str
    tick_size: float
    t: float


@dataclass(frozen=True, slots=True)
class MarketResolved:
    market: str  # condition id
    token_ids: tuple[str, ...]
    winning_token: str
    t: float


@dataclass(frozen=True, slots=True)
class StateChange:
    state: StreamState
    reason: str = ""  # a sentence when the stream went down


StreamEvent = PriceTick | BookUpdate | TradeTick | TickSizeChange | MarketResolved | StateChange


@dataclass(slots=True)
class StreamStats:
    frames: int = 0
    messages: int = 0
    pongs: int = 0
    malformed: int = 0  # not JSON, not an object, fields of the wrong type
    unknown: int = 0  # an event_type we do not handle
    legacy: int = 0  # pre-2025-09 price_change frames, ignored
    stale: int = 0  # older than the last frame applied to the asset
    # Messages with a price outside [0, 1], NaN or infinite, or a negative size: those
    # numbers are dropped, the rest of the message is used.
    out_of_range: int = 0
    connects: int = 0
    reconnects: int = 0
    ticks: int = 0
    dropped_events: int = 0  # an events() reader that fell behind


# ---------------------------------------------------------------- local books


class LocalBook:
    """One asset's book as price -> size maps (floats parse "0.30" and "0.3" alike)."""

    __slots__ = ("asks", "bids", "last_trade_price", "market", "tick_size", "timestamp_ms",
                 "token_id")

    def __init__(self, token_id: str, market: str = "") -> None:
        self.token_id = token_id
        self.market = market
        self.bids: dict[float, float] = {}
        self.asks: dict[float, float] = {}
        self.timestamp_ms: int | None = None
        self.tick_size: float | None = None
        self.last_trade_price: float | None = None

    def set_level(self, side: str, price: float, size: float) -> None:
        levels = self.bids if side == "BUY" else self.asks
        if size <= 0:
            levels.pop(price, None)  # size "0" deletes the level
        else:
            levels[price] = size

    @property
    def best_bid(self) -> float | None:
        return max(self.bids) if self.bids else None

    @property
    def best_ask(self) -> float | None:
        return min(self.asks) if self.asks else None

    def snapshot(self, depth: int | None = None) -> OrderBook:
        """An OrderBook, best levels first, `depth` levels a side (all when None)."""
        bids = sorted(self.bids.items(), reverse=True)[:depth]
        asks = sorted(self.asks.items())[:depth]
        return OrderBook(
            token_id=self.token_id, market=self.market,
            bids=tuple(BookLevel(p, s) for p, s in bids),
            asks=tuple(BookLevel(p, s) for p, s in asks),
            timestamp_ms=self.timestamp_ms, tick_size=self.tick_size,
            last_trade_price=self.last_trade_price,
        )


def _levels(items: object) -> tuple[dict[float, float], int]:
    """A book side as price -> size, and how many levels were dropped (book_levels)."""
    levels, dropped = book_levels(items)
    return {level.price: level.size for level in levels}, dropped


def _stamp_ms(value: object) -> int | None:
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def _bid(value: object) -> float | None:
    price = parse_float(value)
    return price if price is not None and 0.0 < price < 1.0 else None


def display_price(bid: float | None, ask: float | None, last: float | None = None) -> float | None:
    """The midpoint; with one side empty, the last trade or else the side there is."""
    if bid is not None and ask is not None:
        return round((bid + ask) / 2, 6)
    if last is not None:
        return last
    return bid if bid is not None else ask


class _Malformed(ValueError):
    """A frame or message we cannot use; skipped and counted."""


class BookKeeper:
    """Market-channel messages in, events out; keeps a local book per asset."""

    def __init__(self, wanted: Callable[[str], bool] | None = None,
                 wall_clock: SecondsClock = time.time) -> None:
        self._wanted = wanted or (lambda token: True)
        self._wall_clock = wall_clock
        self.books: dict[str, LocalBook] = {}
        self._last_ms: dict[str, int] = {}
        self._quotes: dict[str, tuple[float | None, float | None]] = {}
        self.stats = StreamStats()
        self._handlers: dict[str, Callable[[Mapping[str, Any]], list[StreamEvent]]] = {
            "book": self._on_book,
            "price_change": self._on_price_change,
            "last_trade_price": self._on_trade,
            "tick_size_change": self._on_tick_size,
            "best_bid_ask": self._on_best_bid_ask,
            "market_resolved": self._on_resolved,
            "new_market": lambda message: [],  # custom-feature broadcast; not needed
        }

    # ------------------------------------------------------------ input

    def feed(self, raw: str | bytes) -> list[StreamEvent]:
        """One websocket frame: "PONG", a JSON object or a JSON array of objects."""
        self.stats.frames += 1
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        if text.strip() == PONG_TEXT:
            self.stats.pongs += 1
            return []
        try:
            data = json.loads(text)
        except ValueError:
            self._skip("malformed", f"not JSON: {text[:80]!r}")
            return []
        messages = data if isinstance(data, list) else [data]
        events: list[StreamEvent] = []
        for message in messages:
            events.extend(self.apply(message))
        return events

    def apply(self, message: object) -> list[StreamEvent]:
        """One decoded message; a bad one is logged and skipped, never raised."""
        self.stats.messages += 1
        if not isinstance(message, Mapping):
            self._skip("malformed", f"not an object: {str(message)[:80]!r}")
            return []
        kind = message.get("event_type")
        handler = self._handlers.get(kind) if isinstance(kind, str) else None
        if handler is None:
            self._skip("unknown", f"unknown event_type {str(kind)[:40]!r}")
            return []
        try:
            return handler(message)
        except (_Malformed, TypeError, ValueError, KeyError, AttributeError) as exc:
            self._skip("malformed", f"bad {kind} message: {exc}")
            return []

    def book(self, token_id: str, depth: int | None = None) -> OrderBook | None:
        local = self.books.get(token_id)
        return local.snapshot(depth) if local is not None else None

    def forget(self, tokens: Iterable[str]) -> None:
        """Drop what we know of `tokens` (unsubscribed, or their socket went down: the
        next subscription rebuilds them from fresh snapshots)."""
        for token in tokens:
            self.books.pop(token, None)
            self._last_ms.pop(token, None)
            self._quotes.pop(token, None)

    # ------------------------------------------------------------ handlers

    def _on_book(self, message: Mapping[str, Any]) -> list[StreamEvent]:
        token = self._token(message.get("asset_id"))
        stamp = _stamp_ms(message.get("timestamp"))
        if not self._wanted(token) or not self._fresh(token, stamp):
            return []
        local = LocalBook(token, clean_text(message.get("market"), 80))
        (local.bids, bad_bids), (local.asks, bad_asks) = (_levels(message.get("bids")),
                                                          _levels(message.get("asks")))
        if bad_bids or bad_asks:
            self._out_of_range(f"book of {token[:20]}: {bad_bids + bad_asks} levels")
        local.timestamp_ms = stamp
        local.tick_size = parse_price(message.get("tick_size"))
        local.last_trade_price = parse_price(message.get("last_trade_price"))
        self.books[token] = local
        t = self._seconds(stamp)
        events: list[StreamEvent] = [BookUpdate(token, t)]
        events += self._tick(token, local.best_bid, local.best_ask, t, local.last_trade_price)
        return events

    def _on_price_change(self, message: Mapping[str, Any]) -> list[StreamEvent]:
        changes = message.get("price_changes")
        if not isinstance(changes, list):
            # The pre-2025-09 schema (top-level asset_id/price/size, or `changes`):
            # the server no longer sends it; reading it wrongly would corrupt books.
            self.stats.legacy += 1
            log.debug("ignored a legacy price_change frame")
            return []
        stamp = _stamp_ms(message.get("timestamp"))
        events: list[StreamEvent] = []
        touched: list[str] = []
        for entry in changes:
            events += self._apply_change(entry, stamp, touched)
        t = self._seconds(stamp)
        events += [BookUpdate(token, t) for token in dict.fromkeys(touched)]
        return events

    def _apply_change(self, entry: object, stamp: int | None,
                      touched: list[str]) -> list[StreamEvent]:
        if not isinstance(entry, Mapping):
            raise _Malformed("a price_changes entry is not an object")
        token = self._token(entry.get("asset_id"))
        if not self._wanted(token) or not self._fresh(token, stamp):
            return []
        local = self.books.get(token)
        price, size = parse_price(entry.get("price")), parse_float(entry.get("size"))
        bad_level = "price" in entry and (price is None or size is None or size < 0)
        if bad_level:
            self._out_of_range(f"price_change of {token[:20]}: {str(entry.get('price'))[:24]}"
                               f" x {str(entry.get('size'))[:24]}")
            price = None  # a negative size would otherwise delete the level
        side = entry.get("side")
        if local is not None and price is not None and size is not None \
                and side in ("BUY", "SELL"):
            local.set_level(side, price, size)
            local.timestamp_ms = stamp if stamp is not None else local.timestamp_ms
            touched.append(token)
        bid, ask = self._top(entry, local, counted=bad_level)
        last = local.last_trade_price if local is not None else None
        return self._tick(token, bid, ask, self._seconds(stamp), last)

    def _on_trade(self, message: Mapping[str, Any]) -> list[StreamEvent]:
        token = self._token(message.get("asset_id"))
        price = parse_price(message.get("price"))
        stamp = _stamp_ms(message.get("timestamp"))
        if price is None and message.get("price") is not None:
            self._out_of_range(f"last_trade_price of {token[:20]}: "
                               f"{str(message.get('price'))[:24]}")
        if not self._wanted(token) or price is None:
            return []
        t = self._seconds(stamp)
        side = message.get("side")
        events: list[StreamEvent] = [TradeTick(token, price, parse_float(message.get("size")),
                                               side if side in ("BUY", "SELL") else "", t)]
        local = self.books.get(token)
        if local is not None:
            local.last_trade_price = price
            events.append(BookUpdate(token, t))
        return events

    def _on_tick_size(self, message: Mapping[str, Any]) -> list[StreamEvent]:
        token = self._token(message.get("asset_id"))
        tick = parse_price(message.get("new_tick_size"))
        if not self._wanted(token) or tick is None:
            return []
        local = self.books.get(token)
        if local is not None:
            local.tick_size = tick
        return [TickSizeChange(token, tick, self._seconds(_stamp_ms(message.get("timestamp"))))]

    def _on_best_bid_ask(self, message: Mapping[str, Any]) -> list[StreamEvent]:
        token = self._token(message.get("asset_id"))
        stamp = _stamp_ms(message.get("timestamp"))
        if not self._wanted(token) or not self._fresh(token, stamp):
            return []
        bid, ask = self._quote(message, token)
        local = self.books.get(token)
        last = local.last_trade_price if local is not None else None
        return self._tick(token, bid, ask, self._seconds(stamp), last)

    def _on_resolved(self, message: Mapping[str, Any]) -> list[StreamEvent]:
        tokens = message.get("assets_ids")
        winner = message.get("winning_asset_id")
        if not isinstance(tokens, list) or not isinstance(winner, str):
            raise _Malformed("market_resolved without assets_ids or winning_asset_id")
        ids = tuple(t for t in tokens if isinstance(t, str) and self._wanted(t))
        if not ids:
            return []
        return [MarketResolved(clean_text(message.get("market"), 80), ids,
                               clean_text(winner, 120),
                               self._seconds(_stamp_ms(message.get("timestamp"))))]

    # ------------------------------------------------------------ helpers

    @staticmethod
    def _token(value: object) -> str:
        if not isinstance(value, str) or not value:
            raise _Malformed("asset_id is missing or not a string")
        return value

    def _fresh(self, token: str, stamp: int | None) -> bool:
        """False for a frame older than the last one applied to `token`."""
        if stamp is None:
            return True
        last = self._last_ms.get(token)
        if last is not None and stamp < last:
            self.stats.stale += 1
            return False
        self._last_ms[token] = stamp
        return True

    def _seconds(self, stamp: int | None) -> float:
        return stamp / 1000 if stamp is not None else self._wall_clock()

    def _quote(self, message: Mapping[str, Any], token: str, *,
               counted: bool = False) -> tuple[float | None, float | None]:
        """best_bid / best_ask of a message; one outside [0, 1] is dropped and logged
        (unless the message was `counted` already)."""
        given = message.get("best_bid"), message.get("best_ask")
        if not counted and any(value not in (None, "") and parse_price(value) is None
                               for value in given):
            self._out_of_range(f"best bid/ask of {token[:20]}: "
                               f"{str(given[0])[:24]} / {str(given[1])[:24]}")
        return _bid(given[0]), _bid(given[1])

    def _top(self, entry: Mapping[str, Any], local: LocalBook | None, *,
             counted: bool = False) -> tuple[float | None, float | None]:
        """The entry's best_bid/best_ask (the server's view), else our book's."""
        if "best_bid" in entry or "best_ask" in entry:
            return self._quote(entry, self._token(entry.get("asset_id")), counted=counted)
        if local is not None:
            return local.best_bid, local.best_ask
        return None, None

    def _tick(self, token: str, bid: float | None, ask: float | None, t: float,
              last: float | None) -> list[StreamEvent]:
        """A PriceTick when the top of book differs from the last one sent."""
        if self._quotes.get(token) == (bid, ask):
            return []
        price = display_price(bid, ask, last)
        if price is None:
            return []
        self._quotes[token] = (bid, ask)
        self.stats.ticks += 1
        return [PriceTick(token, price, bid, ask, t)]

    def _out_of_range(self, detail: str) -> None:
        """One log line per message with numbers no price or size can have."""
        count = self.stats.out_of_range = self.stats.out_of_range + 1
        if count <= WARN_FIRST or count % WARN_EVERY == 0:
            log.warning("dropped numbers outside 0-1 or negative sizes from a websocket "
                        "message (#%d): %s", count, detail)

    def _skip(self, counter: str, detail: str) -> None:
        count = getattr(self.stats, counter) + 1
        setattr(self.stats, counter, count)
        if count <= WARN_FIRST or count % WARN_EVERY == 0:
            log.warning("skipped a websocket message (%s #%d): %s", counter, count, detail)


# ---------------------------------------------------------------- outgoing


def subscribe_message(tokens: Sequence[str]) -> str:
    return json.dumps({"type": "market", "assets_ids": list(tokens),
                       "custom_feature_enabled": True})


def operation_message(operation: str, tokens: Sequence[str]) -> str:
    body: dict[str, Any] = {"operation": operation, "assets_ids": list(tokens)}
    if operation == "subscribe":
        body["custom_feature_enabled"] = True
    return json.dumps(body)
