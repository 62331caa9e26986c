"""Live prices and order books over the CLOB websocket market channel.

docs/polymarket-api.md §4. Two layers:

* `BookKeeper` is the protocol without I/O: text frames in, typed events out, local
  books kept (best-last ordering in payloads; size "0" deletes a level; a frame older
  than the last one applied to an asset is ignored).
* `MarketStream` owns the sockets: it subscribes to the tokens it is given (at most
  `max_assets` per connection, several connections when needed), changes the
  subscription as the set changes, sends the text `PING` every 10 s, calls a socket
  silent for 25 s stale, and reconnects with backoff (0.5 s doubling to 10 s, reset
  after a minute of stable connection). Every tick is buffered and written to price
  history in batches.

While `is_live` is false, the app prices the tokens `uncovered()` returns with batched
REST polling (MarketData.refresh_prices). No textual or rich import here.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException

from tui.clock import SecondsClock, Sleep
from tui.models import BookLevel, OrderBook, PricePoint, parse_float
from tui.sanitize import clean_text
from tui.services.backoff import Backoff
from tui.services.clob import PriceRecorder

log = logging.getLogger("polydash.stream")

MAX_ASSETS_PER_CONNECTION = 500  # a third-party figure (docs/polymarket-api.md §4.1)
PING_TEXT = "PING"
PONG_TEXT = "PONG"
# The first book dump of 500 assets can be several MB in one frame.
MAX_FRAME_BYTES = 32 * 1024 * 1024
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# Malformed or unknown frames: log the first few, then every Nth, not a flood.
WARN_FIRST, WARN_EVERY = 5, 500



class StreamState(StrEnum):
    IDLE = "IDLE"  # no token to watch, so no socket
    CONNECTING = "CONNECTING"
    LIVE = "LIVE"
    DOWN = "DOWN"  # waiting to reconnect: prices come from REST polling meanwhile


@dataclass(frozen=True, slots=True)
class Timing:
    ping_s: float = 10.0
    stale_s: float = 25.0
    backoff_first_s: float = 0.5
    backoff_max_s: float = 10.0
    stable_s: float = 60.0  # a connection that lasted this long resets the backoff
    open_timeout_s: float = 10.0
    flush_s: float = 1.0  # price history is written at least this often...
    flush_points: int = 500  # ...or as soon as this many points wait
    # Token-set changes within this delay (scrolling) become one subscribe/unsubscribe pair.
    resubscribe_s: float = 0.25


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


def _levels(items: object) -> dict[float, float]:
    levels: dict[float, float] = {}
    for item in items if isinstance(items, list) else ():
        if isinstance(item, Mapping):
            price, size = parse_float(item.get("price")), parse_float(item.get("size"))
            if price is not None and size is not None and size > 0:
                levels[price] = size
    return levels


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
        local.bids, local.asks = _levels(message.get("bids")), _levels(message.get("asks"))
        local.timestamp_ms = stamp
        local.tick_size = parse_float(message.get("tick_size"))
        local.last_trade_price = parse_float(message.get("last_trade_price"))
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
        price, size = parse_float(entry.get("price")), parse_float(entry.get("size"))
        side = entry.get("side")
        if local is not None and price is not None and size is not None \
                and side in ("BUY", "SELL"):
            local.set_level(side, price, size)
            local.timestamp_ms = stamp if stamp is not None else local.timestamp_ms
            touched.append(token)
        bid, ask = self._top(entry, local)
        last = local.last_trade_price if local is not None else None
        return self._tick(token, bid, ask, self._seconds(stamp), last)

    def _on_trade(self, message: Mapping[str, Any]) -> list[StreamEvent]:
        token = self._token(message.get("asset_id"))
        price = parse_float(message.get("price"))
        stamp = _stamp_ms(message.get("timestamp"))
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
        tick = parse_float(message.get("new_tick_size"))
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
        bid, ask = _bid(message.get("best_bid")), _bid(message.get("best_ask"))
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

    @staticmethod
    def _top(entry: Mapping[str, Any], local: LocalBook | None) -> tuple[float | None,
                                                                          float | None]:
        """The entry's best_bid/best_ask (the server's view), else our book's."""
        if "best_bid" in entry or "best_ask" in entry:
            return _bid(entry.get("best_bid")), _bid(entry.get("best_ask"))
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

    def _skip(self, counter: str, detail: str) -> None:
        count = getattr(self.stats, counter) + 1
        setattr(self.stats, counter, count)
        if count <= WARN_FIRST or count % WARN_EVERY == 0:
            log.warning("skipped a websocket message (%s #%d): %s", counter, count, detail)


# ---------------------------------------------------------------- history batches


class HistoryBuffer:
    """Ticks waiting for one `record_prices` transaction; the last price of a token in a
    given second wins (history is unique per (token, second))."""

    def __init__(self, recorder: PriceRecorder | None, max_points: int = 500) -> None:
        self._recorder = recorder
        self.max_points = max_points
        self._pending: dict[tuple[str, int], float] = {}
        self.written = 0

    def add(self, token_id: str, t: float, price: float) -> bool:
        """Buffer a point; True when the buffer is full and should be flushed now."""
        if self._recorder is None:
            return False
        self._pending[(token_id, int(t))] = price
        return len(self._pending) >= self.max_points

    def __len__(self) -> int:
        return len(self._pending)

    async def flush(self) -> int:
        if not self._pending or self._recorder is None:
            return 0
        batch, self._pending = self._pending, {}
        points = [PricePoint(token, t, p) for (token, t), p in batch.items()]
        try:
            await self._recorder.record_prices(points)
        except Exception as exc:
            # History is a side effect: a locked or full database must not stop the
            # live prices. The failure is logged, not hidden.
            log.warning("could not record %d live prices: %s", len(points), exc)
            return 0
        self.written += len(points)
        return len(points)


class StaleConnection(Exception):
    """No frame for `stale_s` seconds."""


# ---------------------------------------------------------------- connections


@dataclass(eq=False)
class _Shard:
    """One websocket connection and the assets it carries."""

    index: int
    wanted: set[str] = field(default_factory=set)
    sent: set[str] = field(default_factory=set)  # what the server has been asked for
    state: StreamState = StreamState.CONNECTING
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None
    reason: str = ""


def subscribe_message(tokens: Sequence[str]) -> str:
    return json.dumps({"type": "market", "assets_ids": list(tokens),
                       "custom_feature_enabled": True})


def operation_message(operation: str, tokens: Sequence[str]) -> str:
    body: dict[str, Any] = {"operation": operation, "assets_ids": list(tokens)}
    if operation == "subscribe":
        body["custom_feature_enabled"] = True
    return json.dumps(body)


def _reason(exc: BaseException, url: str) -> str:
    host = urlsplit(url).hostname or url
    if isinstance(exc, StaleConnection):
        return f"{host} went silent ({exc})"
    if isinstance(exc, TimeoutError):
        return f"{host} did not answer the websocket handshake in time"
    if isinstance(exc, ConnectionRefusedError):
        return f"{host} refused the websocket connection"
    if isinstance(exc, OSError):
        return f"could not reach {host} ({exc.strerror or 'network error'})"
    if isinstance(exc, InvalidStatus):
        return f"{host} refused the websocket (HTTP {exc.response.status_code})"
    if isinstance(exc, ConnectionClosed):
        return f"{host} closed the websocket"
    return f"the websocket to {host} failed"


Listener = Callable[[StreamEvent], None]


class MarketStream:
    """Live market-channel subscription for a changing set of tokens.

    `set_tokens()` may be called at any time; `run()` (or `start()`/`close()`) drives
    the sockets. Listeners are called on the event loop with every event;
    `events()` is the same as an async iterator.
    """

    def __init__(self, url: str, *, recorder: PriceRecorder | None = None,
                 timing: Timing | None = None, max_assets: int = MAX_ASSETS_PER_CONNECTION,
                 sleep: Sleep = asyncio.sleep, clock: SecondsClock = time.monotonic,
                 wall_clock: SecondsClock = time.time, user_agent: str | None = None) -> None:
        if urlsplit(url).scheme not in ("ws", "wss"):
            raise ValueError(f"not a websocket URL: {url!r}")
        self.url = url
        self.timing = timing or Timing()
        self.max_assets = max(1, max_assets)
        self._sleep = sleep
        self._clock = clock
        self._user_agent = user_agent
        self._shards: list[_Shard] = []
        self._shard_of: dict[str, _Shard] = {}
        self._listeners: list[Listener] = []
        self._keeper = BookKeeper(self._shard_of.__contains__, wall_clock)
        self._history = HistoryBuffer(recorder, self.timing.flush_points)
        self._state = StreamState.IDLE
        self._running = False
        self._closed = asyncio.Event()
        self._flusher: asyncio.Task[None] | None = None
        self._flush_now: asyncio.Task[int] | None = None

    # ------------------------------------------------------------ reading

    @property
    def state(self) -> StreamState:
        return self._state

    @property
    def is_live(self) -> bool:
        return self._state is StreamState.LIVE

    @property
    def stats(self) -> StreamStats:
        return self._keeper.stats

    @property
    def tokens(self) -> frozenset[str]:
        return frozenset(self._shard_of)

    @property
    def connections(self) -> int:
        return len(self._shards)

    @property
    def history_written(self) -> int:
        """Price points handed to the recorder so far."""
        return self._history.written

    def live_tokens(self) -> set[str]:
        """Tokens subscribed on a live connection (not those still waiting to be sent)."""
        return {t for shard in self._shards if shard.state is StreamState.LIVE
                for t in shard.wanted & shard.sent}

    def uncovered(self, tokens: Iterable[str]) -> list[str]:
        """The tokens of `tokens` no live connection prices: poll these over REST."""
        live = self.live_tokens()
        return [t for t in dict.fromkeys(tokens) if t not in live]

    def book(self, token_id: str, depth: int | None = None) -> OrderBook | None:
        """The live book of a token (None until its snapshot arrived, or while down)."""
        return self._keeper.book(token_id, depth)

    # ------------------------------------------------------------ listening

    def add_listener(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(event)` for every event; returns a function that stops it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners \
            else None

    async def events(self, maxsize: int = 10_000) -> AsyncIterator[StreamEvent]:
        """Every event, in order; a reader more than `maxsize` behind loses events."""
        queue: asyncio.Queue[StreamEvent] = asyncio.Queue(maxsize)

        def put(event: StreamEvent) -> None:
            try:
                queue.put_nowait(event)
            except asyncio.QueueFull:
                self.stats.dropped_events += 1

        stop = self.add_listener(put)
        try:
            while True:
                yield await queue.get()
        finally:
            stop()

    def _emit(self, events: Iterable[StreamEvent]) -> None:
        for event in events:
            for listener in list(self._listeners):
                try:
                    listener(event)
                except Exception:
                    log.exception("a stream listener failed on %r", event)

    # ------------------------------------------------------------ the token set

    def set_tokens(self, tokens: Iterable[str]) -> None:
        """Watch exactly `tokens` (order kept for shard placement)."""
        wanted = dict.fromkeys(t for t in tokens if isinstance(t, str) and t)
        removed = [t for t in self._shard_of if t not in wanted]
        for token in removed:
            shard = self._shard_of.pop(token)
            shard.wanted.discard(token)
            shard.changed.set()
        self._keeper.forget(removed)
        for token in wanted:
            if token not in self._shard_of:
                self._place(token)
        self._prune_shards()
        self._update_state()

    def _place(self, token: str) -> None:
        shard = next((s for s in self._shards if len(s.wanted) < self.max_assets), None)
        fresh = shard is None
        if shard is None:
            shard = _Shard(index=len(self._shards))
            self._shards.append(shard)
        shard.wanted.add(token)
        shard.changed.set()
        self._shard_of[token] = shard
        # Launched once it has a token: under an eager task factory (Textual's App.run
        # installs one) the task runs at once, and a shard with no token ends at once.
        if fresh and self._running:
            self._launch(shard)

    def _prune_shards(self) -> None:
        for shard in [s for s in self._shards if not s.wanted]:
            self._shards.remove(shard)
            if shard.task is not None:
                shard.task.cancel()

    # ------------------------------------------------------------ running

    async def run(self) -> None:
        """Run until close() (or cancellation); always flushes history at the end."""
        self.start()
        try:
            await self._closed.wait()
        finally:
            await self.close()

    def start(self) -> None:
        if self._running:
            return
        self._running = True
        self._closed.clear()
        for shard in self._shards:
            self._launch(shard)
        self._flusher = asyncio.create_task(self._flush_loop(), name="stream-history")

    async def close(self) -> None:
        self._running = False
        self._closed.set()
        tasks = [s.task for s in self._shards if s.task is not None]
        if self._flusher is not None:
            tasks.append(self._flusher)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for shard in self._shards:
            shard.task = None
            shard.state = StreamState.CONNECTING
        self._flusher = None
        await self._history.flush()
        self._update_state()

    async def flush_history(self) -> int:
        return await self._history.flush()

    def _launch(self, shard: _Shard) -> None:
        shard.task = asyncio.create_task(self._run_shard(shard),
                                         name=f"stream-connection-{shard.index}")

    async def _run_shard(self, shard: _Shard) -> None:
        backoff = Backoff(self.timing.backoff_first_s, self.timing.backoff_max_s)
        while shard.wanted and self._running:
            self._set_shard(shard, StreamState.CONNECTING)
            connected_at: float | None = None
            try:
                async with self._connect() as ws:
                    connected_at = self._clock()
                    self.stats.connects += 1
                    await self._session(shard, ws)
            except (OSError, EOFError, TimeoutError, WebSocketException, StaleConnection) as exc:
                shard.reason = _reason(exc, self.url)
                log.info("market stream connection %d: %s", shard.index, shard.reason)
            except Exception:
                # A library surprise must not end live prices for good: say so, retry.
                log.exception("market stream connection %d failed", shard.index)
                shard.reason = "the websocket failed unexpectedly (details in the log)"
            finally:
                shard.sent = set()
                self._keeper.forget(shard.wanted)
            if not shard.wanted or not self._running:
                break
            if connected_at is not None and self._clock() - connected_at >= self.timing.stable_s:
                backoff.reset()
            self.stats.reconnects += 1
            self._set_shard(shard, StreamState.DOWN)
            await self._sleep(backoff.next())

    def _connect(self) -> Any:
        options: dict[str, Any] = {"user_agent_header": self._user_agent} \
            if self._user_agent else {}
        return connect(
            self.url, ping_interval=None, open_timeout=self.timing.open_timeout_s,
            close_timeout=1.0, max_size=MAX_FRAME_BYTES,
            # A proxy from the environment must not intercept a loopback test server.
            proxy=None if is_loopback(self.url) else True, **options,
        )

    async def _session(self, shard: _Shard, ws: ClientConnection) -> None:
        tokens = sorted(shard.wanted)
        shard.changed.clear()
        await ws.send(subscribe_message(tokens))
        shard.sent = set(tokens)
        helpers = [asyncio.create_task(self._keepalive(ws)),
                   asyncio.create_task(self._resubscribe(shard, ws))]
        try:
            while True:
                try:
                    raw = await asyncio.wait_for(ws.recv(), timeout=self.timing.stale_s)
                except TimeoutError:
                    raise StaleConnection(
                        f"no message for {self.timing.stale_s:g} s") from None
                if shard.state is not StreamState.LIVE:
                    self._set_shard(shard, StreamState.LIVE)  # the first frame proves it
                self._on_frame(raw)
        finally:
            for helper in helpers:
                helper.cancel()
            await asyncio.gather(*helpers, return_exceptions=True)

    async def _keepalive(self, ws: ClientConnection) -> None:
        # A PING at once: its PONG proves the subscription is live even when the
        # tokens are quiet and no book snapshot comes.
        while True:
            await ws.send(PING_TEXT)
            await asyncio.sleep(self.timing.ping_s)

    async def _resubscribe(self, shard: _Shard, ws: ClientConnection) -> None:
        """Send subscribe/unsubscribe operations as the shard's token set changes."""
        while True:
            await shard.changed.wait()
            await asyncio.sleep(self.timing.resubscribe_s)
            shard.changed.clear()
            added = sorted(shard.wanted - shard.sent)
            removed = sorted(shard.sent - shard.wanted)
            if removed:
                await ws.send(operation_message("unsubscribe", removed))
                shard.sent -= set(removed)
            if added:
                await ws.send(operation_message("subscribe", added))
                shard.sent |= set(added)

    def _on_frame(self, raw: str | bytes) -> None:
        events = self._keeper.feed(raw)
        if not events:
            return
        full = False
        for event in events:
            if isinstance(event, PriceTick):
                full = self._history.add(event.token_id, event.t, event.price) or full
        if full and (self._flush_now is None or self._flush_now.done()):
            self._flush_now = asyncio.create_task(self._history.flush())
        self._emit(events)

    async def _flush_loop(self) -> None:
        while True:
            await asyncio.sleep(self.timing.flush_s)
            await self._history.flush()

    # ------------------------------------------------------------ state

    def _set_shard(self, shard: _Shard, state: StreamState) -> None:
        shard.state = state
        if state is StreamState.LIVE:
            shard.reason = ""
        self._update_state()

    def _update_state(self) -> None:
        states = {s.state for s in self._shards}
        if not self._shards or not self._running:
            state = StreamState.IDLE
        elif states == {StreamState.LIVE}:
            state = StreamState.LIVE
        elif StreamState.DOWN in states:
            state = StreamState.DOWN
        else:
            state = StreamState.CONNECTING
        if state is self._state:
            return
        self._state = state
        reason = next((s.reason for s in self._shards if s.reason), "")
        self._emit([StateChange(state, reason if state is StreamState.DOWN else "")])

    async def __aenter__(self) -> MarketStream:
        self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


def is_loopback(url: str) -> bool:
    return (urlsplit(url).hostname or "") in LOOPBACK_HOSTS


__all__ = [
    "BookKeeper", "BookUpdate", "HistoryBuffer", "LocalBook", "MarketResolved",
    "MarketStream", "PriceTick", "StaleConnection", "StateChange", "StreamEvent",
    "StreamState", "StreamStats", "TickSizeChange", "Timing", "TradeTick", "display_price",
    "is_loopback",
]
