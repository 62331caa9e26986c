"""Helpers every kind of test shares: reading the screen, letting the app settle, waiting
for a condition, faking the clock and the browser, reading recorded fixtures, checking
that text is inert, and running `polydash` as a user does.

Fixtures live in tests/conftest.py; the loopback fakes in tests/fakeapi.py, tests/fakews.py
and tests/fakedata.py."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

import pytest
from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.worker import WorkerCancelled

from tui.app import PolydashApp
from tui.config import Config, TradingViewConfig, UiConfig
from tui.screens.main import MainScreen
from tui.services import links
from tui.services.source import DataSource
from tui.widgets.detail import DetailPane

# The frozen moment the dashboard tests (and most data built for them) are set at.
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

FIXTURES = Path(__file__).parent / "fixtures"
POLYMARKET_FIXTURES = FIXTURES / "polymarket"
NEWS_FIXTURES = FIXTURES / "news"

# Workers that run for the life of the app (the websocket): never waited for.
LONG_LIVED_GROUPS = frozenset({"stream"})


# ---------------------------------------------------------------- the app under Pilot


def dash_config(**ui: Any) -> Config:
    """The dashboard's config in tests: the dark theme, mouse on, `ui` changes on top."""
    return Config(ui=UiConfig(**{"theme": "polydash-dark", "mouse": True, **ui}))


def dashboard(data: DataSource, config: Config | None = None) -> PolydashApp:
    """The dashboard on `data`, its clock frozen at NOW."""
    return PolydashApp(config or dash_config(), data, clock=lambda: NOW)


def main_screen(app: App[Any]) -> MainScreen:
    """The dashboard screen, wherever it sits in the screen stack."""
    for screen in app.screen_stack:
        if isinstance(screen, MainScreen):
            return screen
    raise AssertionError("the dashboard screen is not in the screen stack")


async def settle(app: App[Any], pilot: Any, rounds: int = 3) -> None:
    """Let the app's short workers finish and their messages land."""
    for _ in range(rounds):
        await pilot.pause()
        short = [w for w in app.workers if w.group not in LONG_LIVED_GROUPS]
        if short:  # an empty list would mean "all of them" to wait_for_complete
            with contextlib.suppress(WorkerCancelled):
                await app.workers.wait_for_complete(short)
    await pilot.pause()


async def wait_for(predicate: Callable[[], object], what: str = "the condition",
                   within_s: float = 15.0,
                   pause: Callable[[float], Awaitable[object]] = asyncio.sleep) -> None:
    """Poll until `predicate()` holds (a wait, not a timing assertion)."""
    deadline = time.monotonic() + within_s
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pause(0.02)


async def until(pilot: Any, predicate: Callable[[], object], what: str,
                within_s: float = 15.0) -> None:
    """Let the app run until `predicate()` holds (a wait, not a timing assertion)."""
    await wait_for(predicate, what, within_s, pause=pilot.pause)


def widget_strips(widget: Widget) -> list[Strip]:
    """A widget's lines as the compositor gets them, the whole widget at its size."""
    return widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))


def widget_text(widget: Widget) -> str:
    return "\n".join(strip.text for strip in widget_strips(widget))


def widget_links(widget: Widget) -> set[str]:
    """The hyperlinks (OSC 8) a widget's lines carry."""
    return {segment.style.link for strip in widget_strips(widget) for segment in strip
            if segment.style and segment.style.link}


def screen_strips(app: App[Any]) -> list[list[Segment]]:
    """What the terminal would get for the current screen: one list of segments a row."""
    return [list(strip) for strip in app.screen._compositor.render_strips()]


def screen_text(app: App[Any]) -> str:
    """The whole screen as plain text, one line per row (what a person would read)."""
    return "\n".join("".join(segment.text for segment in strip).rstrip()
                     for strip in screen_strips(app))


class Recorder[T](list[T]):
    """What a test collects as it happens (messages posted, stream events), by kind."""

    def of(self, kind: type) -> list[Any]:
        return [item for item in self if isinstance(item, kind)]


class DetailApp(App[None]):
    """A DetailPane alone in an app; it records the chart ranges the user picks."""

    def __init__(self, tradingview: TradingViewConfig | None = None) -> None:
        super().__init__()
        self.tradingview = tradingview
        self.ranges: list[str] = []

    def compose(self) -> ComposeResult:
        yield DetailPane(tradingview=self.tradingview)

    def on_detail_pane_range_changed(self, message: DetailPane.RangeChanged) -> None:
        self.ranges.append(message.range_)


# ---------------------------------------------------------------- the browser


def refuse(*args: Any, **kwargs: Any) -> NoReturn:
    raise AssertionError("a test tried to open a real browser")


def place(monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    """The link chain believes it runs `where` ("local", "remote"...); web stays web."""
    monkeypatch.setattr(links, "classify_environment",
                        lambda env, platform, is_web: "web" if is_web else where)


def fake_opener(monkeypatch: pytest.MonkeyPatch, opens: bool = True) -> list[str]:
    """The desktop browser, faked: it records each URL it is asked to open and says
    whether it opened it."""
    opened: list[str] = []

    def open_with_browser(url: str, env: object = None) -> bool:
        opened.append(url)
        return opens

    monkeypatch.setattr(links, "open_with_browser", open_with_browser)
    return opened


# ---------------------------------------------------------------- time


class FakeClock:
    """A monotonic clock that only moves when told to (or when something sleeps)."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, delay: float) -> None:
        self.sleeps.append(delay)
        self.now += delay

    def advance(self, seconds: float) -> None:
        self.now += seconds


class SleepLog:
    """An injectable `sleep` that records delays and yields once instead of waiting."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)
        await asyncio.sleep(0)


# ---------------------------------------------------------------- text


# C0 controls, DEL and C1 controls; bidi overrides, isolates and zero-width characters.
_CONTROLS = {chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))}
_INVISIBLE = set("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                 "\u2066\u2067\u2068\u2069\ufeff")


def assert_inert(text: str, *, newlines: bool = False) -> None:
    """No control character (ESC, BEL, C1...) and no bidi or zero-width trick survives;
    newlines only where `newlines` (multi-line fields, whole screens)."""
    forbidden = (_CONTROLS - {"\n"} if newlines else _CONTROLS) | _INVISIBLE
    assert not forbidden & set(text), repr(text)


# ---------------------------------------------------------------- recorded fixtures


def polymarket_fixture(name: str) -> Any:
    """A recorded Polymarket reply (or ws message list) from tests/fixtures/polymarket."""
    return json.loads((POLYMARKET_FIXTURES / name).read_text(encoding="utf-8"))


def news_fixture(name: str) -> str:
    """A recorded news provider reply from tests/fixtures/news, as text."""
    return (NEWS_FIXTURES / name).read_text(encoding="utf-8")


def rss_feed(*items: str, channel: str = "Test feed") -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>{channel}</title><link>https://feed.example.com/</link>"
            f"{''.join(items)}</channel></rss>")


def rss_item(title: str, link: str = "https://news.example.com/a", description: str = "",
             date: str = "Sun, 08 Mar 2020 10:32:07 GMT") -> str:
    return (f"<item><title>{title}</title><link>{link}</link>"
            f"<description>{description}</description><pubDate>{date}</pubDate></item>")


# ---------------------------------------------------------------- processes


def polydash_env(config: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a user's run: no POLYDASH_* variable from ours, the config
    file `config` (an absent file is fine) and `extra` on top."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLYDASH_")}
    env.update(extra or {})
    env["POLYDASH_CONFIG"] = str(config)
    # Beside the config: never the user's own log (a test may read it after the run).
    env.setdefault("POLYDASH_LOG_FILE", str(config.parent / "polydash.log"))
    return env


def polydash(*args: str, db: Path, env: dict[str, str] | None = None,
             config: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`polydash ARGS --db DB` in a subprocess, as a user runs it."""
    full_env = polydash_env(config or db.parent / "absent-config-is-fine.toml", env)
    return subprocess.run(_polydash_command(args, db), capture_output=True, text=True,
                          env=full_env, timeout=120)


def polydash_piped(*args: str, db: Path, config: Path) -> subprocess.Popen[str]:
    """`polydash ARGS --db DB` started with stdout and stderr as pipes the test reads as it
    goes, and may close early (as `| head -1` does)."""
    return subprocess.Popen(_polydash_command(args, db), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=polydash_env(config))


def _polydash_command(args: tuple[str, ...], db: Path) -> list[str]:
    return [sys.executable, "-m", "tui", *args, "--db", str(db)]


def modules_after(code: str, env: Mapping[str, str] | None = None) -> set[str]:
    """The top-level modules a fresh Python has loaded after running `code`."""
    probe = (f"import sys\n{code}\n"
             "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            env=env, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    return set(result.stdout.split())


def toasts(app: App[Any]) -> list[str]:
    """The notifications on screen now, oldest first (plain text)."""
    return [notification.message for notification in app._notifications]


async def problems_text(app: App[Any], pilot: Any) -> str:
    """What `!` shows: every current problem in full; the screen is closed again after."""
    await main_screen(app).run_action("problems")  # what `!` does outside the filter box
    await pilot.pause()
    # The sentences wrap in the box: read its text as one line.
    text = " ".join(widget_text(app.screen.query_one("#problems-text", Widget)).split())
    await pilot.press("escape")
    await pilot.pause()
    return text
