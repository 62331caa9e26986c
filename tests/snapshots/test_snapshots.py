"""SVG snapshots of the dashboard on demo data with a frozen clock, at 80×24 and 160×48.

The app runs under `run_test` in the test's own event loop (the store and the HTTP
client are bound to the loop that made them, which `snap_compare`'s fresh loop is not);
the screenshot is compared with pytest-textual-snapshot's SVG extension, so
`pytest --snapshot-update` refreshes them as usual. Review changes by eye.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_textual_snapshot import SVGImageExtension
from syrupy.assertion import SnapshotAssertion
from textual.pilot import Pilot
from textual.widgets import Input
from textual.worker import WorkerCancelled

from tui import feeds
from tui.app import PolydashApp
from tui.config import Config, UiConfig
from tui.demo.transport import DemoTransport
from tui.screens.main import MainScreen
from tui.services.market_data import MarketData
from tui.store import Store
from tui.widgets.browser import MarketBrowser
from tui.widgets.side import SideColumn

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
Script = Callable[[Pilot[Any]], Awaitable[None]]


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr(MainScreen, "DETAIL_DELAY", 0.0)
    monkeypatch.setattr(MarketBrowser, "SPARK_DELAY", 0.0)
    monkeypatch.setattr(SideColumn, "VIEW_DELAY", 3600.0)
    # The news pane fetches after the cursor rests a while: never by itself in a
    # snapshot (whatever the speed of the machine); shot() fetches once, as `r` does.
    monkeypatch.setattr(feeds, "NEWS_DEBOUNCE_S", 3600.0)
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.fixture
async def demo_data(tmp_path: Path) -> AsyncIterator[MarketData]:
    store = await Store.open(tmp_path / "snap.db")
    config = Config(ui=UiConfig(theme="polydash-dark"))
    data = await MarketData.create(config, store, demo=True,
                                   transport=DemoTransport(n_markets=480, now=NOW))
    try:
        yield data
    finally:
        await data.aclose()
        await store.close()


async def settle(app: PolydashApp, pilot: Pilot[Any]) -> None:
    for _ in range(4):
        await pilot.pause()
        short = [w for w in app.workers if w.group != "stream"]  # the socket never ends
        if short:
            with contextlib.suppress(WorkerCancelled):
                await app.workers.wait_for_complete(short)
    await pilot.pause()


async def shot(data: MarketData, size: tuple[int, int], script: Script | None = None,
               theme: str = "polydash-dark") -> str:
    app = PolydashApp(Config(ui=UiConfig(theme=theme)), data, clock=lambda: NOW)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        if script is not None:
            await script(pilot)
            await settle(app, pilot)
        app.news_feed.refresh()  # the demo headlines of the selected market
        await settle(app, pilot)
        return app.export_screenshot()


@pytest.fixture
def svg(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(SVGImageExtension)


async def test_list_80x24(demo_data: MarketData, svg: SnapshotAssertion) -> None:
    assert await shot(demo_data, (80, 24)) == svg


async def test_detail_80x24(demo_data: MarketData, svg: SnapshotAssertion) -> None:
    async def script(pilot: Pilot[Any]) -> None:
        await pilot.press("j", "enter")

    assert await shot(demo_data, (80, 24), script) == svg


async def test_full_layout_160x48(demo_data: MarketData, svg: SnapshotAssertion) -> None:
    assert await shot(demo_data, (160, 48)) == svg


async def test_grouped_and_filtered_160x48(demo_data: MarketData,
                                           svg: SnapshotAssertion) -> None:
    async def script(pilot: Pilot[Any]) -> None:
        await pilot.press("e", "slash", *"fed", "enter")

    assert await shot(demo_data, (160, 48), script) == svg


async def test_help_80x24(demo_data: MarketData, svg: SnapshotAssertion) -> None:
    async def script(pilot: Pilot[Any]) -> None:
        await pilot.press("question_mark")

    assert await shot(demo_data, (80, 24), script) == svg


async def test_too_small(demo_data: MarketData, svg: SnapshotAssertion) -> None:
    assert await shot(demo_data, (40, 10)) == svg


async def test_light_theme_160x48(demo_data: MarketData, svg: SnapshotAssertion) -> None:
    async def script(pilot: Pilot[Any]) -> None:
        await pilot.press("j", "f")

    assert await shot(demo_data, (160, 48), script, theme="polydash-light") == svg
