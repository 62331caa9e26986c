"""tui.services.links: Polymarket/TradingView URLs, rule matching, environment, opener."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import webbrowser
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tui.config import TradingViewConfig, TradingViewRule
from tui.models import Market, Tag, event_from_gamma
from tui.sanitize import POLYMARKET_HOSTS, TRADINGVIEW_HOSTS, safe_url
from tui.services import links
from tui.services.links import (
    TradingViewLink,
    browser_argv,
    classify_environment,
    keyword_pattern,
    open_with_browser,
    polymarket_url,
    tradingview_for,
    tradingview_url,
)

REPO = Path(__file__).resolve().parents[2]


def market(question: str, *, event_title: str = "", tags: tuple[str, ...] = (),
           slug: str = "some-market", event_slug: str = "some-event") -> Market:
    return Market(id="1", slug=slug, question=question, event_slug=event_slug,
                  event_title=event_title,
                  tags=tuple(Tag(id=str(i), slug=s, label=s.title()) for i, s in enumerate(tags)))


def fixture_path(name: str) -> Path | None:
    """A recorded payload: tests/fixtures (the repo's copy) or the shared originals."""
    for root in (REPO / "tests" / "fixtures", REPO.parent / "shared" / "fixtures"):
        found = sorted(root.rglob(name)) if root.is_dir() else []
        if found:
            return found[0]
    return None


# ---------------------------------------------------------------- Polymarket


def test_polymarket_url_is_the_event_page_with_the_market() -> None:
    assert polymarket_url(market("Q?", slug="will-x", event_slug="x-event")) == (
        "https://polymarket.com/event/x-event/will-x")


def test_polymarket_url_of_a_single_market_event() -> None:
    assert polymarket_url(market("Q?", slug="same", event_slug="same")) == (
        "https://polymarket.com/event/same")


def test_polymarket_url_none_without_slugs() -> None:
    assert polymarket_url(market("Q?", slug="", event_slug="")) is None


def test_polymarket_url_quotes_hostile_slugs() -> None:
    url = polymarket_url(market("Q?", slug="a b/../\x1b]8;;evil", event_slug="ev"))
    assert url is not None
    assert url.startswith("https://polymarket.com/event/ev/")
    assert "\x1b" not in url and " " not in url


@pytest.mark.parametrize("url", [
    "javascript:alert(1)",
    "data:text/html,hi",
    "file:///etc/passwd",
    "http://polymarket.com/event/x",  # not https
    "https://polymarket.com.evil.io/event/x",
    "https://evilpolymarket.com/event/x",
    "https://user:pw@polymarket.com/event/x",
    "https://polymarket.com@evil.io/",
    "https://polymarket.com/\x1b]8;;https://evil\x07",
    "https://polymarket.com/a\x07b",
    "-https://polymarket.com/",
    "https://polymarket.com:99999/",
    "https://polymarket.com/" + "a" * 3000,
    "",
])
def test_safe_url_rejects_for_the_polymarket_allow_list(url: str) -> None:
    assert safe_url(url, POLYMARKET_HOSTS) is None


def test_safe_url_rejects_other_hosts_for_tradingview() -> None:
    assert safe_url("https://tradingview.com.evil.io/chart/", TRADINGVIEW_HOSTS) is None
    assert safe_url("https://www.tradingview.com/chart/", TRADINGVIEW_HOSTS) is not None


# ---------------------------------------------------------------- TradingView URLs


def test_tradingview_url_encodes_symbol_and_interval() -> None:
    assert tradingview_url("BITSTAMP:BTCUSD", "D") == (
        "https://www.tradingview.com/chart/?symbol=BITSTAMP%3ABTCUSD&interval=D")
    assert tradingview_url("CBOT:ZQ1!", "60") == (
        "https://www.tradingview.com/chart/?symbol=CBOT%3AZQ1%21&interval=60")


def test_tradingview_url_without_interval_and_with_junk() -> None:
    assert tradingview_url("TVC:DXY") == "https://www.tradingview.com/chart/?symbol=TVC%3ADXY"
    assert tradingview_url("   ") is None
    hostile = tradingview_url("X:Y&interval=1\x1b]52;c;")
    assert hostile is not None and "\x1b" not in hostile and "&interval=1" not in hostile


# ---------------------------------------------------------------- rule matching

# Questions and titles verbatim from the recorded Gamma payloads in tests/fixtures
# (gamma_markets_default_page_2025-06-09, gamma_public_search_2026-03,
# gamma_events_active_subset_2025-06-13, gamma_markets_keyset_2026-10-06).
REAL_QUESTIONS: list[tuple[str, str, str | None]] = [
    ("Will BTC break $15k before 2021?", "Will BTC break $15k before 2021?", "BITSTAMP:BTCUSD"),
    ("What will the price of Bitcoin be on November 4th, 2020?", "", "BITSTAMP:BTCUSD"),
    ("Will the price of Bitcoin be above $64,000 on March 11?",
     "Bitcoin above ___ on March 11?", "BITSTAMP:BTCUSD"),
    ("Will the Golden State Warriors win the 2025 NBA Finals?", "NBA Champion", None),
    ("Will there be a federal charge filed against Hunter Biden before 2021?", "", None),
    ("Will Trump win the 2020 U.S. presidential election?", "", None),
    ("Will Gavin Newsom win the 2028 Democratic presidential nomination?",
     "Democratic Presidential Nominee 2028", None),
    ("Xi Jinping out before 2027?", "Xi Jinping out", None),
    ("Will Khabib win his UFC 254 Fight?", "UFC", None),
    ("Will the GOP use 'Nuclear Option' to break filibuster?", "", None),
    ("X and Truth Social merger announced before August?", "", None),
    ("Will Kim Kardashian and Kanye West divorce before Jan 1, 2021?", "", None),
    ("Will Joe Biden get Coronavirus before the election?", "", None),
    ("What will the USD price of Filecoin ($FIL) be on November 17th, 2020?", "", None),
    ("Who will win the 2020 League of Legends World Championship?", "", None),
    ("Will Trump jail Hillary Clinton?", "Will Trump jail Hillary Clinton?", None),
]


@pytest.mark.parametrize(("question", "event_title", "symbol"), REAL_QUESTIONS)
def test_real_questions_map_to_the_right_chart_or_none(
        question: str, event_title: str, symbol: str | None) -> None:
    link = tradingview_for(market(question, event_title=event_title), TradingViewConfig())
    assert (link.symbol if link else None) == symbol


def test_every_market_of_the_recorded_nba_event_has_no_chart() -> None:
    path = fixture_path("gamma_events_active_subset_2025-06-13.json")
    if path is None:
        pytest.skip("recorded events fixture not available")
    events = [event_from_gamma(item) for item in json.loads(path.read_text())]
    markets = [m for event in events for m in event.markets]
    assert len(markets) > 30
    # "Golden State Warriors" must not become gold; elections and sports get nothing.
    assert [m.question for m in markets if tradingview_for(m, None) is not None] == []


def test_recorded_bitcoin_search_result_links_bitcoin() -> None:
    path = fixture_path("gamma_public_search_2026-03.json")
    if path is None:
        pytest.skip("recorded search fixture not available")
    data = json.loads(path.read_text())
    markets = [m for item in data["events"] for m in event_from_gamma(item).markets]
    assert markets
    link = tradingview_for(markets[0], None)
    assert link is not None and link.symbol == "BITSTAMP:BTCUSD"


@pytest.mark.parametrize(("question", "symbol"), [
    ("Will SOL hit $500 in 2026?", "COINBASE:SOLUSD"),
    ("Is there a solution to the debt ceiling?", None),
    ("Will ETH reach $10k?", "COINBASE:ETHUSD"),
    ("Will Ethiopia hold elections in 2026?", None),
    ("Will the Fed cut rates in March?", "CBOT:ZQ1!"),
    ("Will the Federal Reserve announce two rate cuts?", "CBOT:ZQ1!"),
    ("Will federal prosecutors charge him?", None),
    ("Will Tesla stock crash in 2026?", "NASDAQ:TSLA"),
    ("Will gold close above $3,000?", "TVC:GOLD"),
    ("Will the S&P 500 close above 6000?", "SP:SPX"),
    ("Will Brent crude oil reach $100?", "TVC:UKOIL"),
    ("Who will win the Golden Globe for best actor?", None),
])
def test_keywords_are_word_bounded(question: str, symbol: str | None) -> None:
    link = tradingview_for(market(question), None)
    assert (link.symbol if link else None) == symbol


def test_keyword_pattern_handles_punctuation_and_plurals() -> None:
    pattern = keyword_pattern(("s&p", "$btc", "rate cut"))
    assert pattern is not None
    assert pattern.search("the s&p closes")
    assert pattern.search("will $btc rise")
    assert pattern.search("two rate cuts in 2026")
    assert not pattern.search("the s&px index")
    assert keyword_pattern(("", "  ")) is None


def test_tag_slug_matches_without_a_keyword() -> None:
    link = tradingview_for(market("Above $150k by June?", tags=("crypto", "bitcoin")), None)
    assert link is not None and link.symbol == "BITSTAMP:BTCUSD"


def test_event_title_is_part_of_the_text() -> None:
    link = tradingview_for(market("Above $150k by June?", event_title="Bitcoin price"), None)
    assert link is not None and link.symbol == "BITSTAMP:BTCUSD"


def test_link_carries_validated_url_and_label() -> None:
    link = tradingview_for(market("Will BTC hit $200k?"), None)
    assert link == TradingViewLink(
        "BITSTAMP:BTCUSD",
        "https://www.tradingview.com/chart/?symbol=BITSTAMP%3ABTCUSD&interval=D",
        "Bitcoin / USD",
    )


def test_user_rules_come_first() -> None:
    config = TradingViewConfig(rules=(
        TradingViewRule("TVC:DXY", keywords=("trump",), label="macro proxy"),
        TradingViewRule("BINANCE:BTCUSDT", keywords=("bitcoin",), interval="240"),
    ))
    proxy = tradingview_for(market("Will Trump win the 2028 election?"), config)
    assert proxy is not None and (proxy.symbol, proxy.label) == ("TVC:DXY", "macro proxy")
    btc = tradingview_for(market("Will Bitcoin hit $200k?"), config)
    assert btc is not None and btc.symbol == "BINANCE:BTCUSDT"
    assert btc.url.endswith("symbol=BINANCE%3ABTCUSDT&interval=240")
    assert btc.label == "BINANCE:BTCUSDT"  # no label given: the symbol


def test_defaults_can_be_turned_off() -> None:
    config = TradingViewConfig(rules=(), use_defaults=False)
    assert tradingview_for(market("Will Bitcoin hit $200k?"), config) is None


def test_a_broken_user_rule_does_not_hide_the_next() -> None:
    config = TradingViewConfig(rules=(TradingViewRule("  ", keywords=("bitcoin",)),))
    link = tradingview_for(market("Will Bitcoin hit $200k?"), config)
    assert link is not None and link.symbol == "BITSTAMP:BTCUSD"


# ---------------------------------------------------------------- environment


@pytest.mark.parametrize(("env", "platform", "is_web", "expected"), [
    ({}, "linux", True, "web"),
    ({"SSH_CONNECTION": "1 2 3 4"}, "linux", True, "web"),
    ({"DISPLAY": ":0"}, "linux", False, "local"),
    ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", False, "local"),
    # this machine with no display: a console, not a remote session
    ({}, "linux", False, "console"),
    ({"TERM": "xterm"}, "freebsd14", False, "console"),
    ({}, "darwin", False, "local"),
    ({}, "win32", False, "local"),
    ({"SSH_CONNECTION": "1 2 3 4", "DISPLAY": "localhost:10.0"}, "linux", False, "remote"),
    ({"SSH_CLIENT": "1 2 3"}, "darwin", False, "remote"),
    ({"SSH_TTY": "/dev/pts/1"}, "win32", False, "remote"),
    # BROWSER set explicitly lifts the ssh rule, but not the "no display" one.
    ({"SSH_CONNECTION": "1 2 3 4", "BROWSER": "firefox"}, "darwin", False, "local"),
    ({"SSH_CONNECTION": "1 2 3 4", "BROWSER": "firefox", "DISPLAY": ":10"}, "linux", False,
     "local"),
    ({"SSH_CONNECTION": "1 2 3 4", "BROWSER": "my-forwarder"}, "linux", False, "remote"),
    ({"BROWSER": "my-forwarder"}, "linux", False, "console"),
    ({"BROWSER": "  ", "SSH_TTY": "/dev/pts/1"}, "darwin", False, "remote"),
    ({"SSH_CONNECTION": ""}, "darwin", False, "local"),
])
def test_classify_environment(env: dict[str, str], platform: str, is_web: bool,
                              expected: str) -> None:
    assert classify_environment(env, platform, is_web) == expected


# ---------------------------------------------------------------- opener: BROWSER

HOSTILE_URL = "https://polymarket.com/event/x?a=1;touch%20PWNED&b=$(touch${IFS}PWNED2)|id"


@pytest.fixture
def argv_browser(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A fake browser that writes its argv (as JSON) to a file, and that file's path."""
    out = tmp_path / "argv.json"
    script = tmp_path / "fake-browser"
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, os, sys\n"
        f"tmp = {str(out)!r} + '.tmp'\n"
        "with open(tmp, 'w') as f: json.dump(sys.argv[1:], f)\n"
        f"os.replace(tmp, {str(out)!r})\n"
    )
    script.chmod(0o755)
    yield script, out


def wait_for(path: Path) -> Any:
    # The browser runs detached; wait for its output (a bound, not a timing assertion).
    deadline = time.monotonic() + 20
    while not path.exists():
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} never appeared")
        time.sleep(0.02)
    return json.loads(path.read_text())


def test_browser_env_gets_the_url_as_one_argument_without_a_shell(
        argv_browser: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script, out = argv_browser
    monkeypatch.chdir(tmp_path)
    assert open_with_browser(HOSTILE_URL, env={"BROWSER": str(script)}) is True
    argv = wait_for(out)
    assert argv == [safe_url(HOSTILE_URL)]
    assert ";" in argv[0] and "$(" in argv[0]
    assert not (tmp_path / "PWNED").exists() and not (tmp_path / "PWNED2").exists()


def test_browser_env_with_percent_s_and_options(argv_browser: tuple[Path, Path]) -> None:
    script, out = argv_browser
    url = "https://www.tradingview.com/chart/?symbol=BITSTAMP%3ABTCUSD"
    assert open_with_browser(url, env={"BROWSER": f"{script} --new-tab %s:other"}) is True
    assert wait_for(out) == ["--new-tab", url]


def test_browser_env_detaches(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[list[str], dict[str, Any]]] = []

    class FakePopen:
        def __init__(self, argv: list[str], **kwargs: Any) -> None:
            calls.append((argv, kwargs))

    monkeypatch.setattr(links.subprocess, "Popen", FakePopen)
    assert open_with_browser("https://polymarket.com/", env={"BROWSER": "firefox"})
    argv, kwargs = calls[0]
    assert argv == ["firefox", "https://polymarket.com/"]
    assert kwargs["start_new_session"] is True
    assert kwargs["stdin"] == kwargs["stdout"] == kwargs["stderr"] == subprocess.DEVNULL
    assert "shell" not in kwargs


def test_missing_browser_command_is_false(tmp_path: Path) -> None:
    assert open_with_browser("https://polymarket.com/",
                             env={"BROWSER": str(tmp_path / "no-such-browser")}) is False


@pytest.mark.parametrize("command", ["lynx", "/usr/bin/w3m -dump", "www-browser:elinks"])
def test_console_browser_in_browser_env_is_refused(command: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a console browser was started")

    monkeypatch.setattr(links.subprocess, "Popen", boom)
    assert open_with_browser("https://polymarket.com/", env={"BROWSER": command}) is False


def test_browser_list_skips_console_browsers() -> None:
    assert browser_argv("lynx:firefox --new-window", "https://x") == [
        "firefox", "--new-window", "https://x"]


def test_unbalanced_quotes_in_browser_is_false() -> None:
    assert browser_argv('firefox "unterminated', "https://x") is None
    assert open_with_browser("https://polymarket.com/", env={"BROWSER": 'a "b'}) is False


@pytest.mark.parametrize("url", [
    "-https://polymarket.com/", "--remote=evil", "javascript:alert(1)",
    "file:///etc/passwd", "https://polymarket.com/\x1b]52;c;AAAA\x07",
])
def test_unsafe_urls_never_reach_a_browser(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a browser was started")

    monkeypatch.setattr(links.subprocess, "Popen", boom)
    monkeypatch.setattr(links.webbrowser, "get", boom)
    assert open_with_browser(url, env={"BROWSER": "firefox"}) is False
    assert open_with_browser(url, env={}) is False


# ---------------------------------------------------------------- opener: stdlib


class FakeBrowser:
    def __init__(self, name: str, *, result: bool = True, error: Exception | None = None):
        self.name = name
        self.basename = name
        self.opened: list[str] = []
        self.result = result
        self.error = error

    def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
        if self.error is not None:
            raise self.error
        self.opened.append(url)
        return self.result


def use_browser(monkeypatch: pytest.MonkeyPatch, browser: FakeBrowser | Exception) -> None:
    def get(using: str | None = None) -> FakeBrowser:
        if isinstance(browser, Exception):
            raise browser
        return browser

    monkeypatch.setattr(links.webbrowser, "get", get)


def test_gui_browser_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    browser = FakeBrowser("xdg-open")
    use_browser(monkeypatch, browser)
    assert open_with_browser("https://polymarket.com/event/x", env={}) is True
    assert browser.opened == ["https://polymarket.com/event/x"]


@pytest.mark.parametrize("name", ["www-browser", "links", "elinks", "lynx", "w3m",
                                  "/usr/bin/w3m"])
def test_console_browsers_are_refused(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    browser = FakeBrowser(name)
    use_browser(monkeypatch, browser)
    assert open_with_browser("https://polymarket.com/", env={}) is False
    assert browser.opened == []


@pytest.mark.parametrize("failure", [
    webbrowser.Error("could not locate runnable browser"),
    ValueError("bad url"),
    OSError("exec failed"),
])
def test_browser_failures_are_false(failure: Exception, monkeypatch: pytest.MonkeyPatch) -> None:
    use_browser(monkeypatch, failure)
    assert open_with_browser("https://polymarket.com/", env={}) is False
    use_browser(monkeypatch, FakeBrowser("firefox", error=failure))
    assert open_with_browser("https://polymarket.com/", env={}) is False


def test_browser_that_reports_failure_is_false(monkeypatch: pytest.MonkeyPatch) -> None:
    use_browser(monkeypatch, FakeBrowser("firefox", result=False))
    assert open_with_browser("https://polymarket.com/", env={}) is False


def test_readme_says_when_a_browser_starts_over_ssh() -> None:
    """Issue 12: README said a browser is never started over ssh, but with BROWSER and a
    display (X forwarding) `o` runs $BROWSER on the server, as the table above checks."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = " ".join(readme.split("**Links, and ssh.**", 1)[1].split("In tmux", 1)[0].split())
    assert "never starts a browser on the server" not in readme
    for name in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY", "DISPLAY", "WAYLAND_DISPLAY",
                 "BROWSER", "X forwarding", "OSC 52"):
        assert name in section, name
