"""The MarketData hooks: make_stream() on [api] ws_url (recording history, checking alerts),
alerts on polled prices, and ends-within alerts learning end dates from market lists."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.fakews import FakeWs, book_frame
from tests.support import wait_for
from tui.config import ApiConfig, Config
from tui.services.alert_rules import spec_for
from tui.services.alerts import AlertFired
from tui.services.market_data import MarketData
from tui.services.stream import Timing
from tui.services.stream_protocol import StreamState
from tui.store import Store

FAST = Timing(ping_s=0.05, stale_s=1.0, flush_s=0.05)


async def test_demo_and_offline_have_no_stream(store: Store) -> None:
    demo = await MarketData.create(Config(), store, demo=True)
    offline = await MarketData.create(Config(), store, offline=True)
    try:
        assert demo.make_stream() is None and offline.make_stream() is None
    finally:
        await demo.aclose()
        await offline.aclose()


async def test_live_ticks_fire_alerts_and_fill_history(fake_ws: FakeWs, store: Store,
                                                       tmp_path: Path) -> None:
    demo = await MarketData.create(Config(), store, demo=True)
    [market] = await demo.gamma.markets(limit=1)
    await demo.aclose()
    token = market.outcomes[0].token_id
    fake_ws.books = {token: book_frame(token, mid=0.7)}
    out = tmp_path / "fired.json"
    script = tmp_path / "hook.py"
    script.write_text("import sys; open(sys.argv[1], 'wb').write(sys.stdin.buffer.read())\n")
    config = Config(api=ApiConfig(ws_url=fake_ws.url),
                    alerts_command=(sys.executable, str(script), str(out)))
    data = await MarketData.create(config, store)
    fired: list[AlertFired] = []
    data.alerts.add_listener(fired.append)
    await data.alerts.add(spec_for(market, "above", threshold=0.6))
    stream = data.make_stream(timing=FAST)
    assert stream is not None
    stream.set_tokens([token, *data.alerts.tokens])
    try:
        stream.start()
        await wait_for(lambda: stream.state is StreamState.LIVE and bool(fired))
        assert len(fired) == 1
        await stream.flush_history()
        points = await store.history(token)
        assert points and points[-1].p == 0.7
    finally:
        await stream.close()
        await data.aclose()  # waits for the alert command
    assert fired[0].price == 0.7 and '"kind": "above"' in out.read_text()
    assert fake_ws.user_agents == [config.api.user_agent]  # ours, as on HTTP
    assert len(await store.alert_log()) == 1


async def test_polled_prices_and_books_are_checked_too(store: Store) -> None:
    data = await MarketData.create(Config(), store, demo=True)
    try:
        [market] = await data.gamma.markets(limit=1)
        token = market.outcomes[0].token_id
        await data.alerts.add(spec_for(market, "above", threshold=0.01))
        fired: list[AlertFired] = []
        data.alerts.add_listener(fired.append)
        prices = await data.refresh_prices([token])
        assert [f.price for f in fired] == [prices[token]]
        await data.alerts.add(spec_for(market, "below", threshold=0.99))
        book = await data.book(token)
        assert fired[-1].price == book.mid
    finally:
        await data.aclose()


async def test_ends_within_learns_end_dates_from_market_lists(store: Store) -> None:
    data = await MarketData.create(Config(), store, demo=True)
    try:
        markets = await data.refresh_markets(limit=20)
        soonest = min((m for m in markets if m.end_date), key=lambda m: m.end_date)
        alert = await data.alerts.add(spec_for(soonest, "ends", window_s=3600))
        fired: list[AlertFired] = []
        data.alerts.add_listener(fired.append)
        assert soonest.end_date is not None
        data.alerts.check_time(soonest.end_date)  # at its end date: fires
        assert [f.alert.id for f in fired] == [alert.id]
    finally:
        await data.aclose()
