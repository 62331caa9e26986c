"""A loopback websocket peer that speaks the CLOB market channel, beside tests/fakeapi.py.

It records every message a client sends (the initial `{"type": "market", ...}` and the
later subscribe/unsubscribe operations, per connection), answers the text `PING` with
`PONG`, replays recorded frames after each subscription, sends book snapshots for the
assets it has books for, and injects faults: `drop()` aborts every socket (no close
frame), `silent = True` stops all answers (the client must call it stale), and `send()`
pushes any frame, malformed ones included. `start_ticks(rate)` emits price_change frames
for the subscribed assets (benchmarks).

The server runs its own event loop in a background thread (as FakeApi does), so it
never shares the loop with the client under test. Run it alone for a benchmark:

    python -m tests.fakews --rate 50      # prints the ws:// URL, serves until killed
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import random
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import pytest
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed

WS_PATH = "/ws/market"


@dataclass(frozen=True, slots=True)
class Received:
    connection: int  # 1 for the first connection the server accepted, 2 for the next...
    message: Any  # decoded JSON, or the text when it was not JSON


def book_frame(token: str, *, mid: float = 0.5, levels: int = 12, market: str = "0xfake",
               stamp_ms: int | None = None) -> dict[str, Any]:
    """A `book` message shaped like the real one (best last on both sides)."""
    tick = 0.01
    bids = [{"price": f"{mid - tick * (levels - i):.3f}", "size": f"{100 + i * 37}"}
            for i in range(levels)]
    asks = [{"price": f"{mid + tick * (levels - i):.3f}", "size": f"{90 + i * 41}"}
            for i in range(levels)]
    return {"event_type": "book", "market": market, "asset_id": token,
            "timestamp": str(stamp_ms or int(time.time() * 1000)), "hash": "0" * 40,
            "bids": bids, "asks": asks, "tick_size": "0.01", "last_trade_price": f"{mid:.3f}"}


def hostile_book_frames(token: str) -> list[dict[str, Any]]:
    """Books no probability can have, as an attack run sent them: bids at 1e308 and
    1.7e308 (their midpoint is infinite), then bid 2.5 / ask 3.5 (a "300¢" midpoint),
    each stamped after the last so neither is ignored as stale."""
    now = int(time.time() * 1000) + 1000
    huge = {**book_frame(token, stamp_ms=now),
            "bids": [{"price": "1.7e308", "size": "10"}, {"price": "1e308", "size": "5"}]}
    beyond = {**book_frame(token, stamp_ms=now + 1),
              "bids": [{"price": "2.5", "size": "10"}], "asks": [{"price": "3.5", "size": "7"}],
              "last_trade_price": "3.0"}
    return [huge, beyond]


class FakeWs:
    """A running market-channel peer on 127.0.0.1; use as a context manager."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.on_subscribe: list[Any] = []  # frames sent after each initial subscription
        self.books: dict[str, dict[str, Any]] = {}  # asset -> book sent when subscribed
        self.auto_books = False  # invent a book for any asset without one
        self.answer_pings = True
        self.silent = False  # no PONG, no frame at all: the client must call it stale
        self.reject_status: int | None = None  # answer the handshake with this HTTP status
        self.pings = 0
        self.accepted = 0
        self.user_agents: list[str] = []
        self._connections: dict[int, ServerConnection] = {}
        self._open: tuple[int, ...] = ()
        self._ids = itertools.count(1)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fakews",
                                        daemon=True)
        self._server: Server | None = None
        self._ticker: Future[None] | None = None
        self.port = 0

    # ------------------------------------------------------------ lifecycle

    def __enter__(self) -> FakeWs:
        self._thread.start()
        self._server = self._call(self._serve())
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
        if self._server is not None:
            self._call(self._shutdown())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()

    async def _serve(self) -> Server:
        return await serve(self._handle, "127.0.0.1", 0, ping_interval=None,
                           max_size=None, process_request=self._gate)

    def _gate(self, connection: ServerConnection, request: Any) -> Any:
        if self.reject_status is None:
            return None
        return connection.respond(HTTPStatus(self.reject_status), "blocked\n")

    async def _shutdown(self) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    def _call(self, coro: Any, timeout: float = 5.0) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}{WS_PATH}"

    # ------------------------------------------------------------ reading what clients did

    @property
    def open_connections(self) -> list[int]:
        return list(self._open)  # a tuple swapped whole by the server thread: safe to read

    def messages(self, connection: int | None = None) -> list[Any]:
        return [r.message for r in list(self.received)
                if connection is None or r.connection == connection]

    def subscribed(self, connection: int) -> set[str]:
        """The assets a connection is subscribed to, replaying what it sent."""
        assets: set[str] = set()
        for message in self.messages(connection):
            if not isinstance(message, dict):
                continue
            ids = set(message.get("assets_ids") or ())
            if message.get("type") == "market":
                assets = ids
            elif message.get("operation") == "subscribe":
                assets |= ids
            elif message.get("operation") == "unsubscribe":
                assets -= ids
        return assets

    def operations(self, connection: int | None = None) -> list[dict[str, Any]]:
        return [m for m in self.messages(connection)
                if isinstance(m, dict) and "operation" in m]

    # ------------------------------------------------------------ pushing and faults

    def send(self, frame: Any, connection: int | None = None) -> None:
        """Send a frame (text as is; anything else as JSON) to one or every connection."""
        text = frame if isinstance(frame, str | bytes) else json.dumps(frame)
        self._call(self._send(text, connection))

    async def _send(self, text: str | bytes, connection: int | None) -> None:
        for conn_id, ws in list(self._connections.items()):
            if connection is None or conn_id == connection:
                try:
                    await ws.send(text)
                except ConnectionClosed:
                    continue

    def drop(self) -> None:
        """Abort every socket without a close frame (a network cut)."""
        def abort() -> None:
            for ws in list(self._connections.values()):
                ws.transport.abort()
        self._loop.call_soon_threadsafe(abort)

    def start_ticks(self, rate: float, *, seed: int = 5) -> None:
        """Emit `rate` price_change frames per second in total, round-robin over the
        assets currently subscribed (one entry each, mid-price random walk)."""
        self._ticker = asyncio.run_coroutine_threadsafe(self._ticks(rate, seed), self._loop)

    # ------------------------------------------------------------ the server side

    async def _handle(self, ws: ServerConnection) -> None:
        conn_id = next(self._ids)
        self.accepted += 1
        if ws.request is not None:
            self.user_agents.append(ws.request.headers.get("User-Agent", ""))
        self._connections[conn_id] = ws
        self._open = tuple(sorted(self._connections))
        try:
            async for raw in ws:
                await self._on_message(conn_id, ws, raw)
        except ConnectionClosed:
            pass
        finally:
            self._connections.pop(conn_id, None)
            self._open = tuple(sorted(self._connections))

    async def _on_message(self, conn_id: int, ws: ServerConnection, raw: str | bytes) -> None:
        if raw == "PING":
            self.pings += 1
            if self.answer_pings and not self.silent:
                await ws.send("PONG")
            return
        try:
            message = json.loads(raw)
        except ValueError:
            self.received.append(Received(conn_id, raw))
            return
        self.received.append(Received(conn_id, message))
        if self.silent or not isinstance(message, dict):
            return
        assets = [a for a in message.get("assets_ids") or () if isinstance(a, str)]
        if message.get("type") == "market":
            await self._send_books(ws, assets)
            for frame in self.on_subscribe:
                await ws.send(frame if isinstance(frame, str) else json.dumps(frame))
        elif message.get("operation") == "subscribe":
            await self._send_books(ws, assets)

    async def _send_books(self, ws: ServerConnection, assets: Sequence[str]) -> None:
        books = [self.books.get(a) or (book_frame(a) if self.auto_books else None)
                 for a in assets]
        found = [b for b in books if b is not None]
        if found:
            await ws.send(json.dumps(found))  # the initial dump arrives as an array

    async def _ticks(self, rate: float, seed: int) -> None:
        rng = random.Random(seed)
        mids: dict[str, float] = {}
        interval = 1.0 / rate
        next_at = time.monotonic()
        turn = 0
        while True:
            next_at += interval
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            if self.silent:
                continue
            for conn_id in list(self._connections):
                assets = sorted(self.subscribed(conn_id))
                if not assets:
                    continue
                token = assets[turn % len(assets)]
                mid = mids.get(token, 0.5)
                mid = min(0.95, max(0.05, mid + rng.choice((-0.01, 0.01))))
                mids[token] = mid
                await self._send(json.dumps(tick_frame(token, mid)), conn_id)
            turn += 1


def tick_frame(token: str, mid: float, *, ahead_ms: int = 0) -> dict[str, Any]:
    """A price_change frame (the 2025-09 schema): bid and ask a cent either side of `mid`,
    stamped `ahead_ms` after now (ahead of a book dump sent just before, say)."""
    bid, ask = round(mid - 0.01, 3), round(mid + 0.01, 3)
    return {"event_type": "price_change", "market": "0xfake",
            "timestamp": str(int(time.time() * 1000) + ahead_ms),
            "price_changes": [{"asset_id": token, "price": f"{bid:.3f}", "size": "150",
                               "side": "BUY", "hash": "0" * 40, "best_bid": f"{bid:.3f}",
                               "best_ask": f"{ask:.3f}"}]}


@pytest.fixture
def fake_ws() -> Iterator[FakeWs]:
    """A running FakeWs on a free loopback port; state is per test."""
    with FakeWs() as server:
        yield server


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="a loopback fake of the CLOB market channel")
    parser.add_argument("--rate", type=float, default=0.0, help="price_change frames per second")
    args = parser.parse_args(argv)
    with FakeWs() as server:
        server.auto_books = True
        if args.rate > 0:
            server.start_ticks(args.rate)
        print(server.url, flush=True)
        try:
            sys.stdin.read()  # serve until the parent closes our stdin or kills us
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
