"""Live prices and order books over the CLOB websocket market channel.

docs/polymarket-api.md §4. Two layers:

* `BookKeeper` (tui/services/stream_protocol.py) is the protocol without I/O: text
  frames in, typed events out, local books kept.
* `MarketStream` (here) owns the sockets: it subscribes to the tokens it is given (at most
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
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException

from tui.clock import SecondsClock, Sleep
from tui.models import OrderBook, PricePoint
from tui.services.backoff import Backoff
from tui.services.clob import PriceRecorder
from tui.services.stream_protocol import (
    PING_TEXT,
    BookKeeper,
    PriceTick,
    StateChange,
    StreamEvent,
    StreamState,
    StreamStats,
    operation_message,
    subscribe_message,
)

log = logging.getLogger("polydash.stream")

MAX_ASSETS_PER_CONNECTION = 500  # a third-party figure (docs/polymarket-api.md §4.1)
# The first book dump of 500 assets can be several MB in one frame.
MAX_FRAME_BYTES = 32 * 1024 * 1024
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


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

    async def resubscribe(self, ws: ClientConnection, delay_s: float) -> None:
        """Send subscribe/unsubscribe operations as the token set changes; changes
        within `delay_s` of each other become one pair."""
        while True:
            await self.changed.wait()
            await asyncio.sleep(delay_s)
            self.changed.clear()
            added = sorted(self.wanted - self.sent)
            removed = sorted(self.sent - self.wanted)
            if removed:
                await ws.send(operation_message("unsubscribe", removed))
                self.sent -= set(removed)
            if added:
                await ws.send(operation_message("subscribe", added))
                self.sent |= set(added)


def _open_socket(url: str, timing: Timing, user_agent: str | None) -> Any:
    options: dict[str, Any] = {"user_agent_header": user_agent} if user_agent else {}
    return connect(
        url, ping_interval=None, open_timeout=timing.open_timeout_s,
        close_timeout=1.0, max_size=MAX_FRAME_BYTES,
        # A proxy from the environment must not intercept a loopback test server.
        proxy=None if is_loopback(url) else True, **options,
    )


async def _keepalive(ws: ClientConnection, ping_s: float) -> None:
    # A PING at once: its PONG proves the subscription is live even when the
    # tokens are quiet and no book snapshot comes.
    while True:
        await ws.send(PING_TEXT)
        await asyncio.sleep(ping_s)


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
                async with _open_socket(self.url, self.timing, self._user_agent) as ws:
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

    async def _session(self, shard: _Shard, ws: ClientConnection) -> None:
        tokens = sorted(shard.wanted)
        shard.changed.clear()
        await ws.send(subscribe_message(tokens))
        shard.sent = set(tokens)
        helpers = [asyncio.create_task(_keepalive(ws, self.timing.ping_s)),
                   asyncio.create_task(shard.resubscribe(ws, self.timing.resubscribe_s))]
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


__all__ = ["HistoryBuffer", "MarketStream", "StaleConnection", "Timing", "is_loopback"]
