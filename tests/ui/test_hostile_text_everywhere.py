"""Hostile text beyond the list and the detail (issue 12): markup, escape sequences, bidi
controls and 10,000-character strings in the news pane, the palette, help, toasts, the
alerts screen and the problems screen (with the log's last lines). Each shows literally,
never runs an action, never reaches the terminal as an escape, and the app runs on."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from tests.fakedata import FakeData, make_markets
from tests.support import (
    NOW,
    assert_inert,
    main_screen,
    problems_text,
    screen_text,
    settle,
    toasts,
    until,
)
from tests.ui.test_hostile import BIDI, ESCAPES, LONG, hostile_markets
from tui import logs
from tui.config import Config
from tui.messages import FreshnessChanged
from tui.models import Headline
from tui.sanitize import clean_text
from tui.screens.alerts import AlertsScreen
from tui.screens.help import HelpScreen
from tui.services.alert_rules import spec_for
from tui.services.alerts import AlertService
from tui.view.freshness import ProblemRaised
from tui.widgets.news import NewsPane

CLICK = "[@click=app.quit]x"
MARKUP = f"[bold]bold[/bold] [/b] {CLICK} [link=https://evil.example]y[/link]"
RAW = f"{MARKUP} {ESCAPES} {BIDI}"  # as the network sends it


def hostile_headline(n: int, title: str) -> Headline:
    """A headline as the news builders make it: every string cleaned once."""
    return Headline(clean_text(title, 300), f"https://news{n}.example.com/s/{n}",
                    clean_text(f"pub {CLICK} {ESCAPES}", 80), NOW - timedelta(minutes=n),
                    "gdelt", summary=clean_text(RAW, 500))


def inert(text: str) -> str:
    assert_inert(text, newlines=True)
    return text


@pytest.fixture
def hostile_data() -> FakeData:
    markets = hostile_markets() + make_markets(20)
    headlines = [hostile_headline(1, f"One {RAW}"), hostile_headline(2, f"Long {LONG}")]
    return FakeData(markets, news={"": headlines,
                                   **{m.id: headlines for m in markets}})


async def test_the_news_pane_shows_hostile_headlines_literally(
        make_app: Any, hostile_data: FakeData) -> None:
    app = make_app(hostile_data)
    async with app.run_test(size=(160, 48)) as pilot:
        main = main_screen(app)
        pane = main.side.query_one(NewsPane)
        await until(pilot, lambda: pane.headlines, "the headlines")
        await settle(app, pilot)
        text = inert(screen_text(app))
        assert "One [bold]bold[/bold] [/b] [@click=app.quit]" in text  # cut to its column
        assert "pub [@click=" in text
        assert "Long AAAA" in text and LONG not in text
        for _ in range(3):
            await pilot.press("tab")
        await pilot.press("j", "k")
        await settle(app, pilot)
        assert app.is_running and app.return_code is None


async def test_toasts_from_data_and_config_show_literally(
        make_app: Any, hostile_data: FakeData, alert_service: AlertService) -> None:
    hostile = hostile_data.markets[0]
    await alert_service.add(spec_for(hostile, "above", threshold=0.5))
    hostile_data.alerts = alert_service
    app = make_app(hostile_data, Config(warnings=(f"unknown key {MARKUP}", f"long {LONG}")))
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        leading = hostile.leading
        assert leading is not None
        alert_service.check({leading.token_id: 0.9}, NOW)
        await until(pilot, lambda: any("crossed above" in t for t in toasts(app)), "the alert")
        shown = toasts(app)
        assert any(f"unknown key {MARKUP}" in t for t in shown)  # the config toast
        alert = f"{hostile.title} — [link=https://evil.example]x[/link]: crossed above"
        assert hostile.title == "Event [/b] [@click=app.quit]x: [@click=app.quit]x"
        assert any(alert in t for t in shown)  # the alert toast
        await pilot.pause()
        inert(screen_text(app))
        assert app.is_running and app.return_code is None


async def test_the_alerts_screen_shows_hostile_markets_literally(
        make_app: Any, hostile_data: FakeData, alert_service: AlertService) -> None:
    for market in hostile_data.markets[:4]:
        await alert_service.add(spec_for(market, "above", threshold=0.5))
    hostile_data.alerts = alert_service
    app = make_app(hostile_data)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        await pilot.press("A")
        await until(pilot, lambda: isinstance(app.screen, AlertsScreen), "the alerts screen")
        await app.screen.workers.wait_for_complete()
        await pilot.pause()
        text = inert(screen_text(app))
        assert "Event [/b] [@click=app.quit]x: [link=https://evil.example]x[/link]" in text
        assert "Long AAAA" in text
        await pilot.press("j", "j", "escape")
        await pilot.pause()
        assert app.is_running and app.return_code is None


async def test_the_problems_screen_shows_hostile_sentences_and_log_lines(
        make_app: Any, hostile_data: FakeData, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "polydash.log"
    log.write_text(f"2026-12-01 WARNING polydash.models: skipped market: {RAW}\n"
                   f"2026-12-01 WARNING polydash.stream: {LONG}\n")
    monkeypatch.setattr(logs, "_active", log)
    app = make_app(hostile_data)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        main_screen(app).post_message(FreshnessChanged(app.freshness.apply(ProblemRaised(
            "news", f"News failed: {MARKUP} {LONG}", NOW))))
        await settle(app, pilot)
        text = inert(await problems_text(app, pilot))
        assert f"News failed: {MARKUP}" in text
        assert f"Log: {log}" in text
        assert f"skipped market: {MARKUP}" in text  # the log line, cleaned, literal
        assert "]2;pwned" not in text  # the escape sequence is gone whole
        assert app.is_running and app.return_code is None


async def test_the_palette_and_help_with_hostile_data_loaded(
        make_app: Any, hostile_data: FakeData) -> None:
    app = make_app(hostile_data)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: "🔎" in screen_text(app), "the palette")
        await pilot.press(*"long")
        await until(pilot, lambda: "Jump to: Long" in screen_text(app), "the jump")
        inert(screen_text(app))
        await pilot.press("down", "escape")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        help_text = inert(str(app.screen.query_one("#help-text", Static).content))
        assert "[keys] favorite" in help_text
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running and app.return_code is None
