"""Opening and copying links the ssh-safe way (docs/news-and-links.md §3.5).

web (textual-serve) -> App.open_url, the viewer's browser opens it.
local desktop       -> a GUI browser started in a thread (never a console browser).
remote (ssh), a console with no display, or a failure
                    -> copy with OSC 52 and show the URL as an OSC 8 hyperlink in a modal.
Every path says what really happened in one place, and returns the sentence: the modal
when it shows the link, else a toast.
"""

from __future__ import annotations

import asyncio

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.style import Style
from textual.widgets import Static

from tui.config import TradingViewConfig
from tui.models import Market
from tui.sanitize import safe_url
from tui.services import links

REMOTE_SENTENCE = (
    "You're on a remote session: copied the link with OSC 52 (if your terminal allows "
    "clipboard access). Ctrl/Cmd-click the link or paste it."
)
CONSOLE_SENTENCE = (
    "There is no display here to start a browser on: copied the link with OSC 52 (if your "
    "terminal allows clipboard access). Ctrl/Cmd-click the link or paste it."
)
FAILED_SENTENCE = (
    "Could not start a browser here: copied the link with OSC 52 (if your terminal allows "
    "clipboard access). Ctrl/Cmd-click the link or paste it."
)


class LinkScreen(ModalScreen[None]):
    """A small modal with the URL as visible text carrying an OSC 8 hyperlink."""

    DEFAULT_CSS = """
    LinkScreen {
        align: center middle;
    }
    LinkScreen > Vertical {
        width: 80%;
        max-width: 100;
        height: auto;
        border: round $primary;
        background: $surface;
        padding: 1 2;
    }
    LinkScreen Static {
        width: 1fr;
        height: auto;
    }
    LinkScreen #link-url {
        margin: 1 0;
    }
    """

    BINDINGS = [
        Binding("escape,enter,q", "dismiss_screen", "Close", id="link.close"),
        Binding("y", "copy_again", "Copy again", id="link.copy"),
    ]

    def __init__(self, url: str, *, what: str, sentence: str) -> None:
        super().__init__()
        self.url = url
        self.what = what
        self.sentence = sentence

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content.assemble((f"Link to the {self.what}", "bold")),
                         id="link-title", markup=False)
            yield Static(link_content(self.url), id="link-url", markup=False)
            yield Static(Content(self.sentence), id="link-sentence", markup=False)
            yield Static(Content.assemble(("Esc close · y copy again", "$text-muted")),
                         id="link-keys", markup=False)

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)

    def action_copy_again(self) -> None:
        self.app.copy_to_clipboard(self.url)
        self.notify(f"Copied again: {self.url}", markup=False)


def link_content(url: str) -> Content:
    """The URL itself as the visible text, with an OSC 8 link built in code (never markup)."""
    return Content.assemble((url, Style(link=url, underline=True, bold=True)))


def missing_sentence(what: str) -> str:
    return f"No {what} link for this market."


async def open_link(app: App[object], url: str | None, *, what: str,
                    missing: str | None = None) -> str:
    """Open `url` as well as this session allows, say what happened and return it.

    `what` names the target in sentences ("Polymarket page", "TradingView chart").
    `missing` is the sentence for url None (default "No <what> link for this market.").
    """
    if url is None:
        return _say(app, missing or missing_sentence(what), warning=True)
    checked = safe_url(url)
    if checked is None:
        return _say(app, f"Refused to open the {what} link: it is not a plain https address.",
                    warning=True)
    place = links.current_environment(app.is_web)
    if place == "web":
        app.open_url(checked)
        return _say(app, f"Opened the {what} in your browser.")
    if place == "local":
        opened = await asyncio.to_thread(links.open_with_browser, checked)
        if opened:
            return _say(app, f"Opened the {what} in your browser.")
        return _fallback(app, checked, what, FAILED_SENTENCE)
    return _fallback(app, checked, what,
                     CONSOLE_SENTENCE if place == "console" else REMOTE_SENTENCE)


def copy_link(app: App[object], url: str | None, what: str, *,
              missing: str | None = None) -> str:
    """Copy `url` with OSC 52 (kept in app.clipboard too), notify and return the sentence."""
    if url is None:
        return _say(app, missing or missing_sentence(what), warning=True)
    checked = safe_url(url)
    if checked is None:
        return _say(app, f"Refused to copy the {what} link: it is not a plain https address.",
                    warning=True)
    app.copy_to_clipboard(checked)
    return _say(app, f"Copied the {what} link (OSC 52; if your terminal allows clipboard "
                     f"access): {checked}")


async def open_polymarket(app: App[object], market: Market | None) -> str:
    """`o`: the market's polymarket.com page."""
    url = links.polymarket_url(market) if market is not None else None
    return await open_link(app, url, what="Polymarket page",
                           missing=_no_market(market, "No Polymarket link for this market."))


async def open_tradingview(app: App[object], market: Market | None,
                           tv_config: TradingViewConfig | None) -> str:
    """`t`: the related TradingView chart, or say there is none."""
    link = links.tradingview_for(market, tv_config) if market is not None else None
    what = f"TradingView chart ({link.symbol})" if link else "TradingView chart"
    return await open_link(app, link.url if link else None, what=what,
                           missing=_no_market(market, "No related TradingView chart for "
                                                      "this market."))


def copy_polymarket(app: App[object], market: Market | None) -> str:
    """`y`: copy the market's polymarket.com link."""
    url = links.polymarket_url(market) if market is not None else None
    return copy_link(app, url, "Polymarket",
                     missing=_no_market(market, "No Polymarket link for this market."))


def _no_market(market: Market | None, sentence: str) -> str:
    return "Select a market first." if market is None else sentence


def _fallback(app: App[object], url: str, what: str, sentence: str) -> str:
    """Copy and show the link in the modal, which says why: no toast repeats it."""
    app.copy_to_clipboard(url)
    app.push_screen(LinkScreen(url, what=what, sentence=sentence))
    return sentence


def _say(app: App[object], sentence: str, *, warning: bool = False) -> str:
    app.notify(sentence, markup=False, severity="warning" if warning else "information")
    return sentence


async def follow_link(app: App[object], kind: str, market: Market | None,
                      tradingview: TradingViewConfig) -> None:
    """`o`, `t`, `y` on a market. The chain says what happened itself (a toast, or the
    modal showing the link): nothing else needs to."""
    if kind == "polymarket":
        await open_polymarket(app, market)
    elif kind == "tradingview":
        await open_tradingview(app, market, tradingview)
    else:
        copy_polymarket(app, market)


async def follow_article(app: App[object], url: str, *, copy: bool) -> bool:
    """Open (or copy) a headline's article; True when it was opened (then it is read)."""
    if copy:
        copy_link(app, url, "article")
        return False
    await open_link(app, url, what="article")  # it says what happened
    return True
