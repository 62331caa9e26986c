"""Polymarket and TradingView links, and the browser opener (docs/news-and-links.md §2–3).

No textual or rich import here: the UI side of the chain (copy with OSC 52, the
modal with an OSC 8 link, notifications) lives in tui/screens/link.py.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import webbrowser
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal
from urllib.parse import quote

from tui.config import DEFAULT_TRADINGVIEW_RULES, TradingViewConfig, TradingViewRule
from tui.models import Market
from tui.sanitize import POLYMARKET_HOSTS, TRADINGVIEW_HOSTS, safe_url

Environment = Literal["web", "local", "remote", "console"]

TRADINGVIEW_CHART = "https://www.tradingview.com/chart/"
# Browsers that take over the terminal: under a running TUI they would corrupt the
# screen and block until they exit (docs/news-and-links.md §3.1).
CONSOLE_BROWSERS = frozenset({"www-browser", "links", "elinks", "lynx", "w3m"})
_SSH_VARS = ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY")
_DISPLAY_VARS = ("DISPLAY", "WAYLAND_DISPLAY")


@dataclass(frozen=True, slots=True)
class TradingViewLink:
    symbol: str  # e.g. "BITSTAMP:BTCUSD"
    url: str  # validated https://www.tradingview.com/chart/?symbol=...
    label: str  # e.g. "Bitcoin"; the symbol when the rule has no label


# ---------------------------------------------------------------- Polymarket


def polymarket_url(market: Market) -> str | None:
    """The market's polymarket.com event page, or None when it has no usable slug."""
    if not (market.event_slug or market.slug):
        return None
    return safe_url(market.url, POLYMARKET_HOSTS)


# ---------------------------------------------------------------- TradingView


def tradingview_url(symbol: str, interval: str = "") -> str | None:
    """Chart URL for `symbol` ("EXCHANGE:SYMBOL"), validated against the allow-list."""
    symbol = symbol.strip()
    if not symbol:
        return None
    url = f"{TRADINGVIEW_CHART}?symbol={quote(symbol, safe='')}"
    if interval.strip():
        url += f"&interval={quote(interval.strip(), safe='')}"
    return safe_url(url, TRADINGVIEW_HOSTS)


def tradingview_for(
    market: Market, tv_config: TradingViewConfig | None = None
) -> TradingViewLink | None:
    """The chart related to `market`, or None for "no related chart".

    User rules come first, then (if `use_defaults`, or with no config at all) the
    built-in rules. The first rule whose tag equals one of the market's tag slugs, or
    whose keyword appears word-bounded in the lower-cased question, event title and
    tag slugs, wins. Elections, sports and culture match nothing on purpose: a wrong
    chart is worse than none.
    """
    slugs = frozenset(tag.slug.lower() for tag in market.tags)
    haystack = _haystack(market)
    for rule in _rules(tv_config):
        if _rule_matches(rule, slugs, haystack):
            url = tradingview_url(rule.symbol, rule.interval)
            if url is None:
                continue  # a malformed user symbol must not hide a later good rule
            return TradingViewLink(rule.symbol.strip(), url, rule.label or rule.symbol.strip())
    return None


def _rules(tv_config: TradingViewConfig | None) -> Sequence[TradingViewRule]:
    if tv_config is None:
        return DEFAULT_TRADINGVIEW_RULES
    return tv_config.rules + (DEFAULT_TRADINGVIEW_RULES if tv_config.use_defaults else ())


def _haystack(market: Market) -> str:
    parts = [market.question, market.event_title, *(tag.slug for tag in market.tags)]
    return " ".join(" ".join(parts).lower().split())


def _rule_matches(rule: TradingViewRule, slugs: frozenset[str], haystack: str) -> bool:
    if any(tag.lower() in slugs for tag in rule.tags):
        return True
    pattern = keyword_pattern(tuple(rule.keywords))
    return pattern is not None and pattern.search(haystack) is not None


@lru_cache(maxsize=512)
def keyword_pattern(keywords: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex matching any keyword as a whole word (a plural "s" allowed).

    Boundaries are "not a letter or digit" rather than `\\b`, so keywords that start
    or end with punctuation (`s&p`, `$btc`, `10-year`) work: `sol` does not match
    "solution" and `eth` does not match "Ethiopia", but `rate cut` matches "rate cuts".
    """
    words = sorted({" ".join(k.lower().split()) for k in keywords if k.strip()}, key=len)
    if not words:
        return None
    alternation = "|".join(re.escape(word) for word in reversed(words))
    return re.compile(rf"(?<![a-z0-9])(?:{alternation})s?(?![a-z0-9])")


# ---------------------------------------------------------------- opening


def classify_environment(env: Mapping[str, str], platform: str, is_web: bool) -> Environment:
    """Where a browser opened by this process would appear.

    "web": textual-serve, the viewer's browser opens it (App.open_url).
    "local": a desktop session on this machine (macOS, Windows, or a display).
    "remote": ssh, unless the user set BROWSER and there is a display to use it on:
    a browser started here would be on the server.
    "console": this machine with no display (a Linux/BSD console, a container): not
    remote, but a browser started here would be a console browser.
    """
    if is_web:
        return "web"
    over_ssh = any(env.get(name) for name in _SSH_VARS)
    if over_ssh and not env.get("BROWSER", "").strip():
        return "remote"
    if platform == "darwin" or platform.startswith(("win", "cygwin")):
        return "local"
    if any(env.get(name) for name in _DISPLAY_VARS):
        return "local"
    return "remote" if over_ssh else "console"


def open_with_browser(url: str, env: Mapping[str, str] | None = None) -> bool:
    """Start a GUI browser on `url` without waiting for it; True if one was started.

    A user-set BROWSER runs detached as an argv list (never a shell, URL as one
    argument). Otherwise the stdlib picks a browser, and console browsers are refused
    because they would take over the TUI's terminal. Blocking: call it in a thread.
    """
    checked = safe_url(url)
    if checked is None:
        return False
    environ = os.environ if env is None else env
    command = environ.get("BROWSER", "").strip()
    if command:
        return _spawn_browser(command, checked)
    return _stdlib_browser(checked)


def browser_argv(command: str, url: str) -> list[str] | None:
    """argv for BROWSER: its first `:`-separated GUI command, `%s` replaced or URL appended.

    Console browsers are skipped: detached from the terminal they would exit at once
    and we would claim to have opened the page.
    """
    for entry in command.split(os.pathsep):
        try:
            argv = shlex.split(entry)
        except ValueError:
            continue
        if not argv or os.path.basename(argv[0]) in CONSOLE_BROWSERS:
            continue
        if any("%s" in arg for arg in argv):
            return [arg.replace("%s", url) for arg in argv]
        return [*argv, url]
    return None


def _spawn_browser(command: str, url: str) -> bool:
    argv = browser_argv(command, url)
    if argv is None:
        return False
    try:
        # The user's own BROWSER, as an argv list: no shell ever sees the URL.
        subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except (OSError, ValueError):
        return False
    return True


def _stdlib_browser(url: str) -> bool:
    try:
        browser = webbrowser.get()
        if _is_console_browser(browser):
            return False
        return bool(browser.open(url, new=2))
    except (webbrowser.Error, ValueError, OSError):
        return False


def _is_console_browser(browser: webbrowser.BaseBrowser) -> bool:
    # elinks is a UnixBrowser, not a GenericBrowser: check the name, not the class.
    name = getattr(browser, "basename", None) or getattr(browser, "name", "") or ""
    return os.path.basename(str(name)) in CONSOLE_BROWSERS


def current_environment(is_web: bool) -> Environment:
    """classify_environment for this process."""
    return classify_environment(os.environ, sys.platform, is_web)
