"""SVG snapshots of the dashboard on demo data with a frozen clock, at 80×24 and 160×48.

The app runs under `run_test` in the test's own event loop (the store and the HTTP
client are bound to the loop that made them, which `snap_compare`'s fresh loop is not);
the screenshot is compared with pytest-textual-snapshot's SVG extension, so
`pytest --snapshot-update` refreshes them as usual. Review changes by eye.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
from pytest_textual_snapshot import SVGImageExtension
from syrupy.assertion import SnapshotAssertion
from textual.pilot import Pilot

from tests.support import NOW, dash_config, dashboard, main_screen, settle
from tui import feeds
from tui.messages import FreshnessChanged
from tui.services.market_data import MarketData
from tui.view.freshness import ProblemRaised
from tui.widgets.side import SideColumn

Script = Callable[[Pilot[Any]], Awaitable[None]]


@pytest.fixture(autouse=True)
def frozen(steady: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The dashboard `steady` (no debounce, no blinking cursor), UTC, and nothing that
    happens after a while by itself: no visit counted, no news fetched."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr(SideColumn, "VIEW_DELAY", 3600.0)
    # The news pane fetches after the cursor rests a while: never by itself in a
    # snapshot (whatever the speed of the machine); shot() fetches once, as `r` does.
    monkeypatch.setattr(feeds, "NEWS_DEBOUNCE_S", 3600.0)


async def shot(data: MarketData, size: tuple[int, int], script: Script | None = None,
               theme: str = "polydash-dark") -> str:
    app = dashboard(data, dash_config(theme=theme))
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot, rounds=4)
        if script is not None:
            await script(pilot)
            await settle(app, pilot, rounds=4)
        app.news_feed.refresh()  # the demo headlines of the selected market
        await settle(app, pilot, rounds=4)
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


async def test_list_60x20(demo_data: MarketData, svg: SnapshotAssertion) -> None:
    """A split pane: the footer, status and columns must still read cleanly."""
    assert await shot(demo_data, (60, 20)) == svg


async def test_detail_60x20(demo_data: MarketData, svg: SnapshotAssertion) -> None:
    async def script(pilot: Pilot[Any]) -> None:
        await pilot.press("enter")

    assert await shot(demo_data, (60, 20), script) == svg


async def test_problems_80x24(demo_data: MarketData, svg: SnapshotAssertion) -> None:
    """The status line's few words and `!` with every problem in full."""

    async def script(pilot: Pilot[Any]) -> None:
        app = pilot.app
        failed = app.freshness.apply(ProblemRaised(  # type: ignore[attr-defined]
            "markets", "Could not refresh the market list: gamma-api.polymarket.com did not "
            "answer within 10 s.", NOW, NOW + timedelta(seconds=20)))
        main_screen(app).post_message(FreshnessChanged(failed))
        await pilot.pause()
        await pilot.press("exclamation_mark")

    assert await shot(demo_data, (80, 24), script) == svg


async def test_trades_tape_80x24(demo_data: MarketData, svg: SnapshotAssertion) -> None:
    """T: the detail opens with the selected market's trades tape under it."""

    async def script(pilot: Pilot[Any]) -> None:
        # The detail as it opens: its chart hidden for the tape (too few rows), the
        # question and the prices on screen.
        await pilot.press("T")

    assert await shot(demo_data, (80, 24), script) == svg


async def test_comments_160x48(demo_data: MarketData, svg: SnapshotAssertion) -> None:
    async def script(pilot: Pilot[Any]) -> None:
        await pilot.press("C")

    assert await shot(demo_data, (160, 48), script) == svg


async def test_wallet_160x48(demo_data: MarketData, svg: SnapshotAssertion) -> None:
    """Enter on the top holder: their positions, totals and activity."""

    async def script(pilot: Pilot[Any]) -> None:
        await pilot.press("H")
        await settle(pilot.app, pilot, rounds=4)
        await pilot.press("enter")

    assert await shot(demo_data, (160, 48), script) == svg
