"""Fixtures every kind of test shares. Plain helpers are in tests/support.py.

tests/fakeapi.py (the loopback Gamma/CLOB/news server: `fake_api`, `recorder`) and
tests/fakews.py (the loopback CLOB market-channel websocket: `fake_ws`) bring their own
fixtures."""

from __future__ import annotations

import webbrowser
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Input

from tests.support import NOW, SleepLog, dash_config, refuse
from tui.demo.transport import DemoTransport
from tui.services import links
from tui.services.alerts import AlertService
from tui.services.market_data import MarketData
from tui.store import Store
from tui.widgets.browser import MarketBrowser
from tui.widgets.side import SideColumn

pytest_plugins = ["tests.fakeapi", "tests.fakews"]


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    """A Store on a fresh file, in a folder that does not exist yet (Store.open makes it)."""
    async with await Store.open(tmp_path / "state" / "polydash.db") as opened:
        yield opened


@pytest.fixture
async def demo_data(store: Store) -> AsyncIterator[MarketData]:
    """The real MarketData in demo mode: 480 markets over the in-process transport, their
    times relative to NOW."""
    data = await MarketData.create(dash_config(), store, demo=True,
                                   transport=DemoTransport(n_markets=480, now=NOW),
                                   clock=NOW.timestamp)
    try:
        yield data
    finally:
        await data.aclose()


@pytest.fixture
async def alert_service(store: Store) -> AsyncIterator[AlertService]:
    """An AlertService on `store`, loaded, its wall clock frozen at NOW."""
    alerts = AlertService(store, clock=lambda: NOW)
    await alerts.load()
    yield alerts
    await alerts.aclose()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Where `polydash --db` keeps its database in a subprocess test."""
    return tmp_path / "polydash.db"


@pytest.fixture
def no_config(tmp_path: Path) -> Path:
    """An empty config file: the run sees the defaults, not the user's config."""
    path = tmp_path / "config.toml"
    path.write_text("")
    return path


@pytest.fixture
def sleeps() -> SleepLog:
    """An injectable `sleep` (retries, reconnects) that records delays instead of waiting."""
    return SleepLog()


@pytest.fixture
def no_real_browser(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Fail on anything that would start a real browser; App.open_url (the web driver's
    way) only records its URLs, in the list returned."""
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", refuse)
    monkeypatch.setattr(webbrowser, "get", refuse)
    monkeypatch.setattr(links, "open_with_browser", refuse)
    monkeypatch.setattr(App, "open_url", lambda self, url, **kw: opened.append(url))
    return opened


@pytest.fixture
def steady(monkeypatch: pytest.MonkeyPatch) -> None:
    """No debounce timers and no blinking input cursor: the dashboard reacts at once and
    looks the same every time."""
    monkeypatch.setattr(SideColumn, "DETAIL_DELAY", 0.0)
    monkeypatch.setattr(MarketBrowser, "SPARK_DELAY", 0.0)
    monkeypatch.setattr(MarketBrowser, "PRICE_FLUSH_S", 0.0)
    monkeypatch.setattr(SideColumn, "DETAIL_REFRESH_S", 0.0)
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
