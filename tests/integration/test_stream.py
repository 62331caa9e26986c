"""MarketStream against tests/fakews.py: replayed recorded frames, a dropped socket, silence,
malformed frames, resubscription, several connections, backoff and history batches.

Timings are shrunk (PING every 50 ms, stale after 1 s) and the reconnect sleep is
injected, so nothing here waits long; no assertion is about how long anything took.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from tests.fakeapi import FakeRecorder
from tests.fakews import FakeWs, book_frame
from tests.support import FakeClock, Recorder, SleepLog, polymarket_fixture, wait_for
from tui.services.stream import MarketStream, Timing
from tui.services.stream_protocol import (
    BookUpdate,
    PriceTick,
    StateChange,
    StreamEvent,
    StreamState,
)

PREFIX = polymarket_fixture("ws_market_stream_prefix_2026-09.json")
YES = PREFIX[0]["asset_id"]
NO = "54179564009642723353355316176091991063553046330768303687769988635499280029688"
FAST = Timing(ping_s=0.05, stale_s=1.0, backoff_first_s=0.5, backoff_max_s=10.0,
              stable_s=60.0, open_timeout_s=2.0, flush_s=0.05, flush_points=500,
              resubscribe_s=0.01)


class Collector(Recorder[StreamEvent]):
    def states(self) -> list[StreamState]:
        return [e.state for e in self.of(StateChange)]


@pytest.fixture
async def stream(fake_ws: FakeWs, sleeps: SleepLog, recorder: FakeRecorder
                 ) -> AsyncIterator[MarketStream]:
    live = MarketStream(fake_ws.url, recorder=recorder, timing=FAST, sleep=sleeps)
    yield live
    await live.close()


def collect(stream: MarketStream) -> Collector:
    events = Collector()
    stream.add_listener(events.append)
    return events


async def test_recorded_frames_build_books_ticks_and_history(
        fake_ws: FakeWs, stream: MarketStream, recorder: FakeRecorder) -> None:
    fake_ws.on_subscribe = list(PREFIX)  # one frame per recorded message
    events = collect(stream)
    stream.set_tokens([YES, NO])
    stream.start()
    await wait_for(lambda: len(events.of(BookUpdate)) >= 7)
    assert stream.state is StreamState.LIVE and stream.is_live
    book = stream.book(YES, depth=10)
    assert book is not None and (book.best_bid, book.best_ask) == (0.311, 0.39)
    assert len(book.bids) == 10
    [first] = fake_ws.messages(1)[:1]
    assert first == {"type": "market", "assets_ids": sorted([YES, NO]),
                     "custom_feature_enabled": True}
    await wait_for(lambda: len(recorder.points) >= 4)
    assert {p.token_id for p in recorder.points} == {YES, NO}
    assert all(p.t == int(p.t) for p in recorder.points)


async def test_frames_as_one_array_and_pong_and_ping(fake_ws: FakeWs,
                                                     stream: MarketStream) -> None:
    fake_ws.on_subscribe = [PREFIX]  # the whole prefix as one JSON array frame
    stream.set_tokens([YES])
    stream.start()
    await wait_for(lambda: stream.book(YES) is not None and fake_ws.pings >= 3)
    await wait_for(lambda: stream.stats.pongs >= 2)
    book = stream.book(YES)
    assert book is not None and book.best_ask == 0.39
    assert stream.stats.malformed == 0


async def test_dropped_socket_reconnects_and_resubscribes_the_full_set(
        fake_ws: FakeWs, stream: MarketStream, sleeps: SleepLog) -> None:
    events = collect(stream)
    fake_ws.books = {YES: PREFIX[0]}
    stream.set_tokens([YES])
    stream.start()
    await wait_for(lambda: stream.is_live)
    stream.set_tokens([YES, NO])  # a change on the open socket: an operation
    await wait_for(lambda: fake_ws.subscribed(1) == {YES, NO})
    fake_ws.drop()
    await wait_for(lambda: fake_ws.accepted == 2 and stream.is_live)
    assert fake_ws.messages(2)[0] == {"type": "market", "assets_ids": sorted([YES, NO]),
                                      "custom_feature_enabled": True}
    assert sleeps.delays == [0.5]
    assert events.states() == [StreamState.CONNECTING, StreamState.LIVE, StreamState.DOWN,
                               StreamState.CONNECTING, StreamState.LIVE]
    down = [e for e in events.of(StateChange) if e.state is StreamState.DOWN]
    assert "closed" in down[0].reason
    await wait_for(lambda: stream.book(YES) is not None)  # rebuilt from the new snapshot
    assert stream.stats.reconnects == 1


async def test_book_is_dropped_while_down(fake_ws: FakeWs, sleeps: SleepLog) -> None:
    gate = asyncio.Event()

    async def held(delay: float) -> None:
        await gate.wait()

    stream = MarketStream(fake_ws.url, timing=FAST, sleep=held)
    fake_ws.books = {YES: PREFIX[0]}
    stream.set_tokens([YES])
    try:
        stream.start()
        await wait_for(lambda: stream.book(YES) is not None)
        fake_ws.drop()
        await wait_for(lambda: stream.state is StreamState.DOWN)
        # Down: no stale book passes for live, and the app must poll this token.
        assert stream.book(YES) is None and not stream.is_live
        assert stream.uncovered([YES]) == [YES]
        gate.set()
        await wait_for(lambda: stream.is_live)
        assert stream.uncovered([YES]) == []
    finally:
        await stream.close()


async def test_silence_is_stale_and_reconnects(fake_ws: FakeWs, stream: MarketStream) -> None:
    events = collect(stream)
    stream.set_tokens([YES])
    stream.start()
    await wait_for(lambda: stream.is_live)
    fake_ws.silent = True  # no PONG, no frame
    await wait_for(lambda: StreamState.DOWN in events.states())
    down = next(e for e in events.of(StateChange) if e.state is StreamState.DOWN)
    assert "went silent" in down.reason
    fake_ws.silent = False
    await wait_for(lambda: fake_ws.accepted >= 2 and stream.is_live)
    last = max(fake_ws.open_connections)
    assert fake_ws.subscribed(last) == {YES}


async def test_malformed_frames_are_skipped_and_the_stream_goes_on(
        fake_ws: FakeWs, stream: MarketStream) -> None:
    fake_ws.books = {YES: PREFIX[0]}
    stream.set_tokens([YES, NO])
    stream.start()
    await wait_for(lambda: stream.book(YES) is not None)
    for junk in ("{not json", "[1, 2]", '{"event_type": "mystery"}', "INVALID OPERATION",
                 '{"event_type": "book", "asset_id": 5}', b"\xff\xfe"):
        fake_ws.send(junk)
    fake_ws.send(PREFIX[1])
    await wait_for(lambda: (b := stream.book(YES)) is not None and b.best_bid == 0.301)
    assert stream.stats.malformed + stream.stats.unknown >= 5
    assert stream.is_live and fake_ws.accepted == 1


async def test_resubscription_follows_the_token_set(fake_ws: FakeWs,
                                                    stream: MarketStream) -> None:
    stream.set_tokens(["1", "2", "3"])
    stream.start()
    await wait_for(lambda: stream.is_live)
    stream.set_tokens(["2", "3", "4", "5"])
    await wait_for(lambda: fake_ws.subscribed(1) == {"2", "3", "4", "5"})
    assert fake_ws.operations(1) == [
        {"operation": "unsubscribe", "assets_ids": ["1"]},
        {"operation": "subscribe", "assets_ids": ["4", "5"], "custom_feature_enabled": True},
    ]
    stream.set_tokens(["2", "3", "4", "5"])  # no change: nothing sent
    await asyncio.sleep(0.05)
    assert len(fake_ws.operations(1)) == 2


async def test_a_burst_of_changes_is_one_operation_pair(fake_ws: FakeWs, sleeps: SleepLog) -> None:
    stream = MarketStream(fake_ws.url, timing=Timing(ping_s=0.05, resubscribe_s=0.1),
                          sleep=sleeps)
    stream.set_tokens(["1"])
    try:
        stream.start()
        await wait_for(lambda: stream.is_live)
        for step in range(2, 12):  # scrolling: the visible set changes every frame
            stream.set_tokens([str(step), str(step + 1)])
        await wait_for(lambda: fake_ws.subscribed(1) == {"11", "12"})
        assert fake_ws.operations(1) == [
            {"operation": "unsubscribe", "assets_ids": ["1"]},
            {"operation": "subscribe", "assets_ids": ["11", "12"],
             "custom_feature_enabled": True},
        ]
    finally:
        await stream.close()


async def test_several_connections_within_the_per_connection_limit(
        fake_ws: FakeWs, sleeps: SleepLog) -> None:
    stream = MarketStream(fake_ws.url, timing=FAST, sleep=sleeps, max_assets=2)
    tokens = [str(n) for n in range(5)]
    stream.set_tokens(tokens)
    try:
        stream.start()
        await wait_for(lambda: stream.is_live and len(fake_ws.open_connections) == 3)
        subscribed = [fake_ws.subscribed(c) for c in fake_ws.open_connections]
        assert all(len(s) <= 2 for s in subscribed)
        assert set().union(*subscribed) == set(tokens)
        stream.set_tokens(tokens[:2])  # the emptied connections close
        await wait_for(lambda: len(fake_ws.open_connections) == 1)
        assert stream.connections == 1 and stream.is_live
    finally:
        await stream.close()


async def test_backoff_doubles_to_ten_seconds_against_a_dead_port(sleeps: SleepLog) -> None:
    stream = MarketStream("ws://127.0.0.1:9/ws/market", timing=FAST, sleep=sleeps)
    events = collect(stream)
    stream.set_tokens([YES])
    try:
        stream.start()
        await wait_for(lambda: len(sleeps.delays) >= 7)
    finally:
        await stream.close()
    assert sleeps.delays[:7] == [0.5, 1, 2, 4, 8, 10, 10]
    assert stream.stats.connects == 0
    down = next(e for e in events.of(StateChange) if e.state is StreamState.DOWN)
    assert "127.0.0.1" in down.reason and "Errno" not in down.reason
    assert stream.state is StreamState.IDLE


async def test_a_refused_handshake_is_a_sentence(fake_ws: FakeWs, sleeps: SleepLog) -> None:
    fake_ws.reject_status = 403
    stream = MarketStream(fake_ws.url, timing=FAST, sleep=sleeps)
    events = collect(stream)
    stream.set_tokens([YES])
    try:
        stream.start()
        await wait_for(lambda: len(sleeps.delays) >= 2)
        fake_ws.reject_status = None
        await wait_for(lambda: stream.is_live)
    finally:
        await stream.close()
    down = next(e for e in events.of(StateChange) if e.state is StreamState.DOWN)
    assert down.reason == "127.0.0.1 refused the websocket (HTTP 403)"


async def test_backoff_resets_after_a_stable_minute(fake_ws: FakeWs, sleeps: SleepLog) -> None:
    clock = FakeClock()
    stream = MarketStream(fake_ws.url, timing=FAST, sleep=sleeps, clock=clock)
    stream.set_tokens([YES])
    try:
        stream.start()
        for expected in (1, 2, 3):
            await wait_for(lambda n=expected: fake_ws.accepted == n and stream.is_live)
            fake_ws.drop()
            await wait_for(lambda n=expected: len(sleeps.delays) == n)
        assert sleeps.delays == [0.5, 1.0, 2.0]  # short connections keep doubling
        await wait_for(lambda: fake_ws.accepted == 4 and stream.is_live)
        clock.now += 61  # this one stays up for a minute
        fake_ws.drop()
        await wait_for(lambda: len(sleeps.delays) == 4)
        assert sleeps.delays[-1] == 0.5
    finally:
        await stream.close()


async def test_events_iterator_and_listener_removal(fake_ws: FakeWs,
                                                    stream: MarketStream) -> None:
    fake_ws.on_subscribe = list(PREFIX)
    received: list[StreamEvent] = []

    async def read() -> None:
        async for event in stream.events():
            received.append(event)
            if isinstance(event, PriceTick) and event.best_ask == 0.39:
                return

    reader = asyncio.create_task(read())
    await asyncio.sleep(0)
    stream.set_tokens([YES])
    stream.start()
    await asyncio.wait_for(reader, 5)
    assert any(isinstance(e, BookUpdate) for e in received)
    extra: list[StreamEvent] = []
    stop = stream.add_listener(extra.append)
    stop()
    fake_ws.send(PREFIX[6])
    await asyncio.sleep(0.05)
    assert extra == []


async def test_a_failing_listener_does_not_stop_the_stream(fake_ws: FakeWs,
                                                           stream: MarketStream) -> None:
    def boom(event: StreamEvent) -> None:
        raise RuntimeError("listener bug")

    stream.add_listener(boom)
    fake_ws.on_subscribe = list(PREFIX)
    stream.set_tokens([YES])
    stream.start()
    await wait_for(lambda: (b := stream.book(YES)) is not None and b.best_ask == 0.39)


async def test_history_is_written_in_batches(fake_ws: FakeWs, sleeps: SleepLog,
                                             recorder: FakeRecorder) -> None:
    tokens = [str(10**70 + n) for n in range(20)]
    fake_ws.books = {t: book_frame(t, mid=0.3 + n / 100) for n, t in enumerate(tokens)}
    stream = MarketStream(fake_ws.url, recorder=recorder, timing=FAST, sleep=sleeps)
    stream.set_tokens(tokens)
    try:
        stream.start()
        await wait_for(lambda: len(recorder.points) == 20)
    finally:
        await stream.close()
    assert len(recorder.batches) <= 3  # one transaction per flush, not one per tick
    assert {p.token_id for p in recorder.points} == set(tokens)


async def test_run_flushes_history_when_cancelled(fake_ws: FakeWs, sleeps: SleepLog,
                                                  recorder: FakeRecorder) -> None:
    slow = Timing(ping_s=0.05, stale_s=0.3, flush_s=60.0)
    stream = MarketStream(fake_ws.url, recorder=recorder, timing=slow, sleep=sleeps)
    fake_ws.books = {YES: PREFIX[0]}
    stream.set_tokens([YES])
    runner = asyncio.create_task(stream.run())
    await wait_for(lambda: stream.book(YES) is not None)
    assert recorder.points == []
    runner.cancel()
    with pytest.raises(asyncio.CancelledError):
        await runner
    assert [p.token_id for p in recorder.points] == [YES]
    assert stream.state is StreamState.IDLE
