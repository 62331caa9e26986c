"""The ssh-safe link chain (open_link / copy_link) and LinkScreen, with every opener faked."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from tests.support import fake_opener, place, refuse, widget_links, widget_text
from tui.config import TradingViewConfig
from tui.models import Market, Outcome
from tui.screens import link as link_screen
from tui.screens.link import (
    CONSOLE_SENTENCE,
    FAILED_SENTENCE,
    REMOTE_SENTENCE,
    LinkScreen,
    copy_link,
    copy_polymarket,
    open_link,
    open_polymarket,
    open_tradingview,
)
from tui.services import links

URL = "https://polymarket.com/event/btc-100k/will-btc-hit-100k"


class LinkApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.notes: list[tuple[str, bool, str]] = []
        self.opened_urls: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("polydash", markup=False)

    def notify(self, message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        self.notes.append((message, markup, severity))
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        self.opened_urls.append(url)


@pytest.fixture(autouse=True)
def no_opener_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Belt and braces: no process of the link chain starts here (tests that open fake
    the opener; tests/conftest.py's no_real_browser refuses the real one)."""
    monkeypatch.setattr(links.subprocess, "Popen", refuse)


def btc_market() -> Market:
    return Market(id="1", slug="will-btc-hit-100k", question="Will BTC hit $100k?",
                  event_slug="btc-100k", outcomes=(Outcome("Yes", 0.5, "y"),))


# ---------------------------------------------------------------- the chain


async def test_web_session_uses_app_open_url(monkeypatch: pytest.MonkeyPatch) -> None:
    # The real classifier: is_web alone must pick App.open_url, whatever the environment.
    monkeypatch.setattr(LinkApp, "is_web", property(lambda self: True))
    app = LinkApp()
    async with app.run_test(size=(120, 40)) as pilot:
        sentence = await open_link(app, URL, what="Polymarket page")
        await pilot.pause()
        assert sentence == "Opened the Polymarket page in your browser."
        assert app.opened_urls == [URL]
        assert app.clipboard == ""
        assert not isinstance(app.screen, LinkScreen)
        assert app.notes[-1] == (sentence, False, "information")


async def test_local_desktop_opens_a_browser_in_a_thread(
        monkeypatch: pytest.MonkeyPatch) -> None:
    place(monkeypatch, "local")
    calls = fake_opener(monkeypatch, opens=True)
    app = LinkApp()
    async with app.run_test(size=(120, 40)) as pilot:
        sentence = await open_link(app, URL, what="Polymarket page")
        await pilot.pause()
        assert calls == [URL]
        assert sentence == "Opened the Polymarket page in your browser."
        assert app.clipboard == "" and app.opened_urls == []
        assert not isinstance(app.screen, LinkScreen)
        assert app.notes[-1][:2] == (sentence, False)


async def test_local_failure_copies_and_shows_the_link(monkeypatch: pytest.MonkeyPatch) -> None:
    place(monkeypatch, "local")
    calls = fake_opener(monkeypatch, opens=False)
    app = LinkApp()
    async with app.run_test(size=(120, 40)) as pilot:
        sentence = await open_link(app, URL, what="Polymarket page")
        await pilot.pause()
        assert calls == [URL]
        assert sentence == FAILED_SENTENCE
        assert app.clipboard == URL
        assert isinstance(app.screen, LinkScreen) and app.screen.sentence == FAILED_SENTENCE
        assert app.notes == []  # the modal says it: no toast repeats it


async def test_remote_session_copies_and_shows_an_osc8_link(
        monkeypatch: pytest.MonkeyPatch) -> None:
    place(monkeypatch, "remote")
    app = LinkApp()
    async with app.run_test(size=(120, 40)) as pilot:
        sentence = await open_link(app, URL, what="Polymarket page")
        await pilot.pause()
        assert sentence == REMOTE_SENTENCE == (
            "You're on a remote session: copied the link with OSC 52 (if your terminal allows "
            "clipboard access). Ctrl/Cmd-click the link or paste it.")
        assert app.clipboard == URL
        assert app.opened_urls == []
        screen = app.screen
        assert isinstance(screen, LinkScreen)
        url = screen.query_one("#link-url", Static)
        assert URL in widget_text(url)  # visible text is the URL itself
        assert widget_links(url) == {URL}  # and it carries an OSC 8 link to exactly that URL
        sentence_text = widget_text(screen.query_one("#link-sentence", Static))
        assert "remote session" in sentence_text
        assert app.notes == []  # the modal says it: no toast repeats it
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, LinkScreen)


async def test_a_console_without_a_display_is_not_called_remote(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The real classifier: Linux, no display, no ssh.
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY",
                 "BROWSER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(links.sys, "platform", "linux")
    calls = fake_opener(monkeypatch)
    app = LinkApp()
    async with app.run_test(size=(120, 40)) as pilot:
        sentence = await open_link(app, URL, what="Polymarket page")
        await pilot.pause()
        assert sentence == CONSOLE_SENTENCE and "remote" not in sentence
        assert sentence.startswith("There is no display here to start a browser on")
        assert calls == [] and app.clipboard == URL
        screen = app.screen
        assert isinstance(screen, LinkScreen) and screen.sentence == CONSOLE_SENTENCE
        assert widget_links(screen.query_one("#link-url", Static)) == {URL}
        assert app.notes == []


async def test_link_screen_copies_again_and_closes_on_enter(
        monkeypatch: pytest.MonkeyPatch) -> None:
    place(monkeypatch, "remote")
    app = LinkApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_link(app, URL, what="Polymarket page")
        await pilot.pause()
        app.copy_to_clipboard("something else")
        await pilot.press("y")
        assert app.clipboard == URL
        assert app.notes[-1][:2] == (f"Copied again: {URL}", False)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, LinkScreen)


async def test_no_url_says_so_and_touches_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    place(monkeypatch, "local")
    app = LinkApp()
    async with app.run_test(size=(120, 40)) as pilot:
        sentence = await open_link(app, None, what="TradingView chart",
                                   missing="No related TradingView chart for this market.")
        assert sentence == "No related TradingView chart for this market."
        assert await open_link(app, None, what="Polymarket") == (
            "No Polymarket link for this market.")
        await pilot.pause()
        assert app.clipboard == "" and app.opened_urls == []
        assert app.notes[-1] == ("No Polymarket link for this market.", False, "warning")


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "-https://polymarket.com/", "http://polymarket.com/",
    "https://polymarket.com/\x1b]52;c;QUFB\x07",
])
async def test_unsafe_url_is_refused(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    place(monkeypatch, "remote")
    app = LinkApp()
    async with app.run_test(size=(120, 40)) as pilot:
        sentence = await open_link(app, url, what="article")
        assert sentence.startswith("Refused to open the article link")
        assert copy_link(app, url, "article").startswith("Refused to copy the article link")
        await pilot.pause()
        assert app.clipboard == "" and app.opened_urls == []
        assert not isinstance(app.screen, LinkScreen)


async def test_copy_link_says_what_happened() -> None:
    app = LinkApp()
    async with app.run_test(size=(120, 40)) as pilot:
        sentence = copy_link(app, URL, "Polymarket")
        await pilot.pause()
        assert sentence == ("Copied the Polymarket link (OSC 52; if your terminal allows "
                            f"clipboard access): {URL}")
        assert app.clipboard == URL
        assert app.notes[-1] == (sentence, False, "information")
        assert copy_link(app, None, "Polymarket") == "No Polymarket link for this market."


# ---------------------------------------------------------------- market helpers


async def test_market_helpers(monkeypatch: pytest.MonkeyPatch) -> None:
    place(monkeypatch, "local")
    calls = fake_opener(monkeypatch, opens=True)
    app = LinkApp()
    async with app.run_test(size=(120, 40)) as pilot:
        assert await open_polymarket(app, btc_market()) == (
            "Opened the Polymarket page in your browser.")
        assert await open_tradingview(app, btc_market(), TradingViewConfig()) == (
            "Opened the TradingView chart (BITSTAMP:BTCUSD) in your browser.")
        assert calls == [URL, "https://www.tradingview.com/chart/?symbol=BITSTAMP%3ABTCUSD"
                              "&interval=D"]
        election = Market(id="2", slug="newsom", question="Will Newsom win the nomination?",
                          event_slug="dem-2028")
        assert await open_tradingview(app, election, None) == (
            "No related TradingView chart for this market.")
        assert await open_polymarket(app, None) == "Select a market first."
        assert copy_polymarket(app, btc_market()).endswith(URL)
        await pilot.pause()
        assert app.clipboard == URL
        assert len(calls) == 2


# ---------------------------------------------------------------- hostile URL text


async def test_hostile_looking_url_is_literal_and_clicking_does_not_quit(
        monkeypatch: pytest.MonkeyPatch) -> None:
    place(monkeypatch, "remote")
    hostile = "https://polymarket.com/event/[@click=app.quit]x[/b]"
    app = LinkApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_link(app, hostile, what="Polymarket page")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LinkScreen)
        url = screen.query_one("#link-url", Static)
        assert screen.url in widget_text(url) and widget_links(url) == {screen.url}
        assert app.clipboard == screen.url
        for x in range(0, len(screen.url), 6):
            await pilot.click("#link-url", offset=(x, 0))
        await pilot.pause()
        assert app.is_running and app.return_code is None


def test_link_content_is_built_in_code() -> None:
    content = link_screen.link_content(URL)
    assert content.plain == URL
    assert [getattr(span.style, "link", None) for span in content.spans] == [URL]
