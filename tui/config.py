"""Configuration: the user's config.toml read into frozen dataclasses.

The defaults live here, in Python; the repo's config.toml documents every key with
the same default, and a test loads that file and compares it with `Config()` so the
documentation cannot drift. The app never writes a config file.

Where the file comes from: `--config PATH` > $POLYDASH_CONFIG > the platformdirs user
config file (polydash/config.toml) when it exists > the defaults alone. Environment
variables override single keys afterwards (ENV_OVERRIDES).

A broken file raises ConfigError(file, line, message) with one sentence that a person
can act on. An unknown section or key only adds a warning to `Config.warnings`.

This module is imported by every command, `--help` included: keep it free of heavy
imports (no httpx, no textual).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

import platformdirs

from tui import __version__
from tui.sanitize import clean_text

APP_NAME = "polydash"
CONFIG_FILE_NAME = "config.toml"
DB_FILE_NAME = "polydash.db"
DEMO_DB_FILE_NAME = "polydash-demo.db"

DEFAULT_GAMMA_URL = "https://gamma-api.polymarket.com"
DEFAULT_CLOB_URL = "https://clob.polymarket.com"
DEFAULT_WS_URL = "wss://ws-subscriptions-clob.polymarket.com/ws/market"
# "{version}" is replaced by the package version when the config is loaded, so a
# user's file that keeps the placeholder stays honest across upgrades.
USER_AGENT_TEMPLATE = "polydash/{version} (terminal dashboard for Polymarket)"
DEFAULT_USER_AGENT = USER_AGENT_TEMPLATE.format(version=__version__)
DEFAULT_GDELT_URL = "https://api.gdeltproject.org/api/v2/doc/doc"
DEFAULT_NEWSAPI_URL = "https://newsapi.org/v2/everything"

NEWS_PROVIDERS = ("gdelt", "rss", "newsapi", "google_news")
TRADINGVIEW_INTERVALS = frozenset(
    {"1", "3", "5", "15", "30", "45", "60", "120", "180", "240", "D", "W", "M"}
)
HTTP_SCHEMES = ("http", "https")
WS_SCHEMES = ("ws", "wss")

# Inclusive ranges for numbers, in seconds.
TIMEOUT_RANGE = (0.5, 120.0)
MARKETS_REFRESH_RANGE = (10.0, 86_400.0)
PRICES_REFRESH_RANGE = (1.0, 3_600.0)
NEWS_REFRESH_RANGE = (30.0, 86_400.0)

# environment variable -> (section, key)
ENV_OVERRIDES: Mapping[str, tuple[str, str]] = MappingProxyType({
    "POLYDASH_GAMMA_URL": ("api", "gamma_url"),
    "POLYDASH_CLOB_URL": ("api", "clob_url"),
    "POLYDASH_WS_URL": ("api", "ws_url"),
    "POLYDASH_NEWSAPI_KEY": ("news", "newsapi_key"),
})

_SYMBOL = re.compile(r"^[A-Za-z0-9_.!:\-+*/^]{1,80}$")
_TOML_LOCATION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")


class ConfigError(Exception):
    """A configuration problem: which file, which line (when known), and what is wrong."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        self.file = file
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.message}"


# ---------------------------------------------------------------- dataclasses


@dataclass(frozen=True, slots=True)
class RssFeed:
    name: str
    url: str


@dataclass(frozen=True, slots=True)
class TradingViewRule:
    """keywords (word-bounded, lower case) or tag slugs of a market -> a TradingView symbol."""

    symbol: str
    keywords: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    interval: str = "D"
    label: str = ""


def _rule(symbol: str, label: str, keywords: tuple[str, ...], tags: tuple[str, ...] = (),
          interval: str = "D") -> TradingViewRule:
    return TradingViewRule(symbol=symbol, keywords=keywords, tags=tags, interval=interval,
                           label=label)


# First match wins (docs/news-and-links.md §2.2 and §2.3). Specific instruments
# (coins, companies) come before the broad macro words so that "Will Tesla stock crash?"
# links TSLA rather than the VIX.
DEFAULT_TRADINGVIEW_RULES: tuple[TradingViewRule, ...] = (
    _rule("BITSTAMP:BTCUSD", "Bitcoin / USD", ("bitcoin", "btc"), ("bitcoin",)),
    _rule("COINBASE:ETHUSD", "Ethereum / USD", ("ethereum", "eth", "ether"), ("ethereum",)),
    _rule("COINBASE:SOLUSD", "Solana / USD", ("solana", "sol"), ("solana",)),
    _rule("NASDAQ:NVDA", "Nvidia", ("nvidia", "nvda"), ("nvidia",)),
    _rule("NASDAQ:TSLA", "Tesla", ("tesla", "tsla"), ("tesla",)),
    _rule("NASDAQ:AAPL", "Apple", ("apple", "aapl"), ("apple",)),
    _rule("NASDAQ:MSFT", "Microsoft", ("microsoft", "msft"), ("microsoft",)),
    _rule("NASDAQ:GOOGL", "Alphabet (Google)", ("alphabet", "google", "googl"), ("google",)),
    _rule("NASDAQ:AMZN", "Amazon", ("amazon", "amzn"), ("amazon",)),
    _rule("NASDAQ:META", "Meta Platforms", ("meta platforms", "meta", "facebook"), ("meta",)),
    _rule("CBOT:ZQ1!", "30-day Fed funds futures",
          ("fed", "fomc", "federal reserve", "rate cut", "rate cuts", "rate hike",
           "interest rate", "interest rates", "powell", "fed funds"),
          ("fed-rates", "fed", "fomc")),
    _rule("TVC:US10Y", "US 10-year Treasury yield",
          ("10-year", "10y", "treasury yield", "treasury yields", "bond yield", "bond yields"),
          ("treasuries",)),
    _rule("ECONOMICS:USIRYY", "US inflation rate (YoY)", ("inflation", "cpi"),
          ("inflation", "cpi"), "M"),
    _rule("SP:SPX", "S&P 500", ("s&p 500", "s&p", "spx", "sp500"), ("sp500", "s-p-500")),
    _rule("NASDAQ:NDX", "Nasdaq-100", ("nasdaq-100", "nasdaq", "ndx"), ("nasdaq",)),
    _rule("CBOE:VIX", "CBOE Volatility Index", ("vix", "volatility", "recession", "crash"),
          ("recession",)),
    _rule("TVC:DXY", "US Dollar Index", ("dollar index", "dxy", "us dollar"), ()),
    _rule("TVC:GOLD", "Gold", ("gold", "xau"), ("gold",)),
    _rule("TVC:UKOIL", "Brent crude oil", ("brent",), ()),
    _rule("TVC:USOIL", "WTI crude oil", ("oil", "crude", "opec", "wti"), ("oil",)),
)

DEFAULT_RSS_FEEDS: tuple[RssFeed, ...] = (
    RssFeed("The Oracle (Polymarket)", "https://news.polymarket.com/feed"),
    RssFeed("CoinDesk", "https://www.coindesk.com/arc/outboundfeeds/rss/"),
    RssFeed("The Block", "https://www.theblock.co/rss.xml"),
    RssFeed("Federal Reserve", "https://www.federalreserve.gov/feeds/press_all.xml"),
    RssFeed("SEC press releases", "https://www.sec.gov/rss/news/press.xml"),
    RssFeed("Politico", "https://rss.politico.com/politics-news.xml"),
    RssFeed("BBC Business", "https://feeds.bbci.co.uk/news/business/rss.xml"),
)


@dataclass(frozen=True, slots=True)
class ApiConfig:
    gamma_url: str = DEFAULT_GAMMA_URL
    clob_url: str = DEFAULT_CLOB_URL
    ws_url: str = DEFAULT_WS_URL
    timeout_s: float = 10.0
    user_agent: str = DEFAULT_USER_AGENT


@dataclass(frozen=True, slots=True)
class RefreshConfig:
    markets_s: float = 120.0
    prices_s: float = 10.0
    news_s: float = 300.0


@dataclass(frozen=True, slots=True)
class NewsConfig:
    providers: tuple[str, ...] = ("gdelt", "rss", "newsapi")
    gdelt_url: str = DEFAULT_GDELT_URL
    rss_feeds: tuple[RssFeed, ...] = DEFAULT_RSS_FEEDS
    newsapi_url: str = DEFAULT_NEWSAPI_URL
    # A secret: kept out of repr() (and so out of logs and tracebacks that print it).
    newsapi_key: str = field(default="", repr=False)
    google_news: bool = False

    @property
    def enabled_providers(self) -> tuple[str, ...]:
        """Providers to run: `providers` minus NewsAPI when there is no key, plus Google
        News when `google_news` is true (listing it in `providers` opts in too)."""
        chosen = [p for p in self.providers if p != "newsapi" or self.newsapi_key]
        if self.google_news and "google_news" not in chosen:
            chosen.append("google_news")
        return tuple(chosen)


@dataclass(frozen=True, slots=True)
class TradingViewConfig:
    rules: tuple[TradingViewRule, ...] = ()
    use_defaults: bool = True

    @property
    def effective_rules(self) -> tuple[TradingViewRule, ...]:
        """The user's rules first, then the built-in ones when `use_defaults` is on."""
        return self.rules + (DEFAULT_TRADINGVIEW_RULES if self.use_defaults else ())


@dataclass(frozen=True, slots=True)
class UiConfig:
    theme: str = "textual-dark"
    mouse: bool = True


def _empty_keys() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Config:
    api: ApiConfig = field(default_factory=ApiConfig)
    refresh: RefreshConfig = field(default_factory=RefreshConfig)
    news: NewsConfig = field(default_factory=NewsConfig)
    tradingview: TradingViewConfig = field(default_factory=TradingViewConfig)
    ui: UiConfig = field(default_factory=UiConfig)
    keys: Mapping[str, str] = field(default_factory=_empty_keys)  # binding id -> key(s)
    alerts_command: tuple[str, ...] = ()  # argv; never run through a shell
    source: Path | None = None  # the file read, None for defaults only
    warnings: tuple[str, ...] = ()


# ---------------------------------------------------------------- paths


def default_config_path() -> Path:
    """Where the user's config.toml is looked for (it need not exist)."""
    return platformdirs.user_config_path(APP_NAME) / CONFIG_FILE_NAME


def resolve_db_path(cli_db: str | None, env: Mapping[str, str] | None = None, *,
                    demo: bool = False) -> Path:
    """--db > $POLYDASH_DB > the platformdirs user data dir / polydash.db.

    Demo runs default to a database of their own, so demo markets and headlines never
    mix with the real cache that --offline answers from.
    """
    env = os.environ if env is None else env
    if cli_db:
        return Path(cli_db).expanduser()
    if env.get("POLYDASH_DB"):
        return Path(env["POLYDASH_DB"]).expanduser()
    return platformdirs.user_data_path(APP_NAME) / (DEMO_DB_FILE_NAME if demo else DB_FILE_NAME)


def config_path(path: Path | str | None = None,
                env: Mapping[str, str] | None = None) -> Path | None:
    """The file load_config reads: --config > $POLYDASH_CONFIG > the user file if it exists."""
    env = os.environ if env is None else env
    if path is not None and str(path):
        return Path(path).expanduser()
    if env.get("POLYDASH_CONFIG"):
        return Path(env["POLYDASH_CONFIG"]).expanduser()
    candidate = default_config_path()
    return candidate if candidate.is_file() else None


# ---------------------------------------------------------------- loading


def default_config() -> Config:
    return Config()


def load_config(path: Path | str | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Read the configuration (see the module docstring for the order); raise ConfigError."""
    env = os.environ if env is None else env
    file = config_path(path, env)
    config = Config() if file is None else _load_file(file)
    return _apply_env(config, env)


def _load_file(file: Path) -> Config:
    data, text = _read_toml(file)
    ctx = _Context(str(file), text)
    return replace(_build(ctx, data), source=file, warnings=tuple(ctx.warnings))


def _read_toml(file: Path) -> tuple[dict[str, Any], str]:
    name = str(file)
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise ConfigError(name, None, "no such file") from None
    except IsADirectoryError:
        raise ConfigError(name, None, "is a directory, not a config file") from None
    except PermissionError:
        raise ConfigError(name, None, "cannot be read: permission denied") from None
    except OSError as exc:
        raise ConfigError(name, None, f"cannot be read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(name, line, "is not UTF-8 text") from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        line, message = _toml_error(exc, text)
        raise ConfigError(name, line, f"is not valid TOML: {message}") from None


def _toml_error(exc: tomllib.TOMLDecodeError, text: str) -> tuple[int | None, str]:
    """Line and message of a TOML error (Python 3.14 has exc.lineno; 3.12 only the text)."""
    message = str(getattr(exc, "msg", None) or exc)
    line: int | None = getattr(exc, "lineno", None)
    match = _TOML_LOCATION.search(message)
    if match:
        message = message[: match.start()]
        if match.group(1):
            line = line or int(match.group(1))
            message += f" (column {match.group(2)})"
        else:
            line = line or max(1, text.count("\n") + (0 if text.endswith("\n") else 1))
            message += " (at the end of the file)"
    message = message.strip()
    return line, (message[:1].lower() + message[1:]) if message else "syntax error"


def _apply_env(config: Config, env: Mapping[str, str]) -> Config:
    """Environment overrides, validated like the file's values."""
    api, news = config.api, config.news
    for name, (section, key) in ENV_OVERRIDES.items():
        value = env.get(name)
        if not value:
            continue
        if key == "newsapi_key":
            news = replace(news, newsapi_key=value.strip())
            continue
        schemes = WS_SCHEMES if key == "ws_url" else HTTP_SCHEMES
        problem = _url_problem(value, schemes)
        if problem:
            raise ConfigError(f"environment variable {name}", None,
                              f"[{section}] {key} {problem}")
        api = replace(api, **{key: _normal_url(value, key)})
    if api is config.api and news is config.news:
        return config
    return replace(config, api=api, news=news)


# ---------------------------------------------------------------- building


def _build(ctx: _Context, data: Mapping[str, Any]) -> Config:
    known: dict[str, Callable[[_Table], Any]] = {
        "api": _build_api, "refresh": _build_refresh, "news": _build_news,
        "tradingview": _build_tradingview, "ui": _build_ui, "keys": _build_keys,
        "alerts": _build_alerts,
    }
    built: dict[str, Any] = {}
    for name, value in data.items():
        if name not in known:
            if isinstance(value, dict):
                ctx.warn(f"unknown section [{name}]", ctx.line((name,), None)
                         or ctx.line((), name))
            else:
                ctx.warn(f"unknown top-level key {name}", ctx.line((), name))
            continue
        if not isinstance(value, dict):
            raise ctx.error((), name, f"[{name}] must be a table, got {_a(value)}")
        table = _Table(ctx, (name,), value)
        built[name] = known[name](table)
        table.warn_unknown()
    return Config(
        api=built.get("api", ApiConfig()),
        refresh=built.get("refresh", RefreshConfig()),
        news=built.get("news", NewsConfig()),
        tradingview=built.get("tradingview", TradingViewConfig()),
        ui=built.get("ui", UiConfig()),
        keys=built.get("keys", _empty_keys()),
        alerts_command=built.get("alerts", ()),
    )


def _build_api(t: _Table) -> ApiConfig:
    d = ApiConfig()
    agent = t.string("user_agent", USER_AGENT_TEMPLATE, nonempty=True)
    if _has_control(agent):
        raise t.error("user_agent", "must not contain control characters or line breaks")
    return ApiConfig(
        gamma_url=t.url("gamma_url", d.gamma_url, HTTP_SCHEMES),
        clob_url=t.url("clob_url", d.clob_url, HTTP_SCHEMES),
        ws_url=t.url("ws_url", d.ws_url, WS_SCHEMES),
        timeout_s=t.number("timeout_s", d.timeout_s, TIMEOUT_RANGE),
        user_agent=agent.replace("{version}", __version__),
    )


def _build_refresh(t: _Table) -> RefreshConfig:
    d = RefreshConfig()
    return RefreshConfig(
        markets_s=t.number("markets_s", d.markets_s, MARKETS_REFRESH_RANGE),
        prices_s=t.number("prices_s", d.prices_s, PRICES_REFRESH_RANGE),
        news_s=t.number("news_s", d.news_s, NEWS_REFRESH_RANGE),
    )


def _build_news(t: _Table) -> NewsConfig:
    d = NewsConfig()
    providers = t.strings("providers", d.providers)
    for name in providers:
        if name not in NEWS_PROVIDERS:
            raise t.error("providers", f'has an unknown provider "{clean_text(name, 40)}" '
                          f"(known: {', '.join(NEWS_PROVIDERS)})")
    return NewsConfig(
        providers=tuple(dict.fromkeys(providers)),
        gdelt_url=t.url("gdelt_url", d.gdelt_url, HTTP_SCHEMES),
        rss_feeds=_build_feeds(t) if "rss_feeds" in t.data else d.rss_feeds,
        newsapi_url=t.url("newsapi_url", d.newsapi_url, HTTP_SCHEMES),
        newsapi_key=t.string("newsapi_key", d.newsapi_key).strip(),
        google_news=t.boolean("google_news", d.google_news),
    )


def _build_feeds(t: _Table) -> tuple[RssFeed, ...]:
    feeds: list[RssFeed] = []
    for item in t.tables("rss_feeds"):
        feed = RssFeed(name=item.string("name", "", nonempty=True),
                       url=item.url("url", "", HTTP_SCHEMES))
        if any(f.name == feed.name for f in feeds):
            raise item.error("name", f'"{clean_text(feed.name, 40)}" is used by another feed')
        feeds.append(feed)
        item.warn_unknown()
    return tuple(feeds)


def _build_tradingview(t: _Table) -> TradingViewConfig:
    rules: list[TradingViewRule] = []
    for item in t.tables("rules") if "rules" in t.data else ():
        rules.append(_build_rule(item))
        item.warn_unknown()
    return TradingViewConfig(rules=tuple(rules), use_defaults=t.boolean("use_defaults", True))


def _build_rule(item: _Table) -> TradingViewRule:
    symbol = item.string("symbol", "", nonempty=True).strip()
    if not _SYMBOL.match(symbol):
        raise item.error("symbol", f'"{clean_text(symbol, 40)}" is not a TradingView symbol '
                         '(like "BITSTAMP:BTCUSD")')
    keywords = tuple(k.strip().lower() for k in item.strings("keywords", ()) if k.strip())
    tags = tuple(s.strip().lower() for s in item.strings("tags", ()) if s.strip())
    if not keywords and not tags:
        raise item.error(None, "needs keywords or tags to match markets")
    interval = item.string("interval", "D").strip().upper()
    if interval not in TRADINGVIEW_INTERVALS:
        allowed = ", ".join(sorted(TRADINGVIEW_INTERVALS, key=lambda s: (s.isalpha(), len(s), s)))
        raise item.error("interval", f'must be one of {allowed}, got "{clean_text(interval, 20)}"')
    label = item.string("label", "").strip() or symbol
    return TradingViewRule(symbol=symbol, keywords=keywords, tags=tags, interval=interval,
                           label=label)


def _build_ui(t: _Table) -> UiConfig:
    d = UiConfig()
    return UiConfig(theme=t.string("theme", d.theme, nonempty=True).strip(),
                    mouse=t.boolean("mouse", d.mouse))


def _build_keys(t: _Table) -> Mapping[str, str]:
    keys = {binding: t.string(binding, "", nonempty=True).strip() for binding in t.data}
    return MappingProxyType(keys)


def _build_alerts(t: _Table) -> tuple[str, ...]:
    command = t.strings("command", ())
    if command and not command[0].strip():
        raise t.error("command", "must start with the program to run")
    return command


# ---------------------------------------------------------------- reading helpers


def _a(value: object) -> str:
    """'a string', 'a number', ... for error messages."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime | date | time):
        return "a date"
    return type(value).__name__


def _has_control(text: str) -> bool:
    return any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in text)


def _url_problem(value: str, schemes: tuple[str, ...]) -> str | None:
    """Why `value` is not an acceptable base URL, or None."""
    wanted = ("an " if schemes[0].startswith("h") else "a ") + " or ".join(
        f"{s}://" for s in schemes)
    shown = clean_text(value, 80)
    if _has_control(value) or " " in value.strip():
        return f"must be {wanted} URL without spaces or control characters"
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018 - raises ValueError on a junk port
    except ValueError:
        return f'must be {wanted} URL, got "{shown}"'
    if parts.scheme.lower() not in schemes or not parts.hostname:
        return f'must be {wanted} URL, got "{shown}"'
    if parts.username or parts.password:
        return "must not contain a user name or password"
    return None


def _normal_url(value: str, key: str) -> str:
    """Base URLs lose a trailing slash so clients can append paths."""
    value = value.strip()
    return value.rstrip("/") if key in ("gamma_url", "clob_url") else value


class _Context:
    """One file being read: its name, a line locator and the warnings so far."""

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.locator = _Locator(text)
        self.warnings: list[str] = []

    def line(self, table: tuple[str, ...], key: str | None, index: int | None = None) -> int | None:
        return self.locator.find(table, key, index)

    def warn(self, what: str, line: int | None) -> None:
        where = f"{self.file}:{line}" if line is not None else self.file
        self.warnings.append(f"{what} in {where}")

    def error(self, table: tuple[str, ...], key: str | None, message: str,
              index: int | None = None) -> ConfigError:
        return ConfigError(self.file, self.line(table, key, index), message)


class _Table:
    """One TOML table with typed getters; it remembers which keys were read."""

    def __init__(self, ctx: _Context, path: tuple[str, ...], data: Mapping[str, Any],
                 index: int | None = None) -> None:
        self.ctx, self.path, self.data, self.index = ctx, path, data, index
        self.used: set[str] = set()

    @property
    def label(self) -> str:
        if self.index is None:
            return f"[{'.'.join(self.path)}]"
        return f"[[{'.'.join(self.path)}]] #{self.index + 1}"

    def line(self, key: str | None) -> int | None:
        found = self.ctx.line(self.path, key, self.index)
        if found is None and self.index is not None:
            # An inline array of tables: point at the array's own key.
            found = self.ctx.line(self.path[:-1], self.path[-1])
        return found

    def error(self, key: str | None, problem: str) -> ConfigError:
        subject = f"{self.label} {key}" if key else self.label
        return ConfigError(self.ctx.file, self.line(key), f"{subject} {problem}")

    def warn_unknown(self) -> None:
        for key in self.data:
            if key not in self.used:
                self.ctx.warn(f"unknown key {self.label} {key}", self.line(key))

    def _get(self, key: str, default: Any) -> Any:
        self.used.add(key)
        return self.data.get(key, default)

    def string(self, key: str, default: str, *, nonempty: bool = False) -> str:
        value = self._get(key, default)
        if not isinstance(value, str):
            raise self.error(key, f"must be a string, got {_a(value)}")
        if nonempty and not value.strip():
            raise self.error(key, "must not be empty")
        return value

    def number(self, key: str, default: float, bounds: tuple[float, float]) -> float:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(key, f"must be a number, got {_a(value)}")
        low, high = bounds
        if not low <= value <= high:
            raise self.error(key, f"must be between {_num(low)} and {_num(high)} seconds, "
                             f"got {_num(value)}")
        return float(value)

    def boolean(self, key: str, default: bool) -> bool:
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise self.error(key, f"must be true or false, got {_a(value)}")
        return value

    def url(self, key: str, default: str, schemes: tuple[str, ...]) -> str:
        value = self.string(key, default, nonempty=True)
        problem = _url_problem(value, schemes)
        if problem:
            raise self.error(key, problem)
        return _normal_url(value, key)

    def strings(self, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = self._get(key, list(default))
        if not isinstance(value, list):
            raise self.error(key, f"must be an array of strings, got {_a(value)}")
        for item in value:
            if not isinstance(item, str):
                raise self.error(key, f"must be an array of strings, but holds {_a(item)}")
        return tuple(value)

    def tables(self, key: str) -> list[_Table]:
        value = self._get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            shown = _a(value) if not isinstance(value, list) else "an array of other values"
            raise self.error(key, f"must be an array of tables ([[{'.'.join(self.path)}.{key}]]),"
                             f" got {shown}")
        return [_Table(self.ctx, (*self.path, key), item, index)
                for index, item in enumerate(value)]


def _num(value: float) -> str:
    return f"{value:g}"


# ---------------------------------------------------------------- line locator


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*((?:[A-Za-z0-9_\-]+|"[^"]*"|'[^']*')"""
                  r"""(?:\s*\.\s*(?:[A-Za-z0-9_\-]+|"[^"]*"|'[^']*'))*)\s*=""")


def _split_key(text: str) -> tuple[str, ...]:
    parts = re.findall(r"""[A-Za-z0-9_\-]+|"[^"]*"|'[^']*'""", text)
    return tuple(part.strip("\"'") for part in parts)


class _Locator:
    """Best-effort map from (table, key) to a line number of the TOML text.

    tomllib keeps no positions, so this scans the text: table headers, and `key =`
    lines under them. Multi-line strings can fool it; it then answers None or a
    nearby line, which only makes a message less precise.
    """

    def __init__(self, text: str) -> None:
        # (line, table path, occurrence of that header, key path or None for a header)
        self.entries: list[tuple[int, tuple[str, ...], int, tuple[str, ...] | None]] = []
        seen: dict[tuple[str, ...], int] = {}
        table: tuple[str, ...] = ()
        occurrence = 0
        for number, line in enumerate(text.splitlines(), start=1):
            header = _HEADER.match(line)
            if header:
                table = _split_key(header.group(2))
                occurrence = seen.get(table, -1) + 1
                seen[table] = occurrence
                self.entries.append((number, table, occurrence, None))
                continue
            key = _KEY.match(line)
            if key:
                self.entries.append((number, table, occurrence, _split_key(key.group(1))))

    def find(self, table: tuple[str, ...], key: str | None, index: int | None = None) -> int | None:
        wanted_index = 0 if index is None else index
        header_line = None
        for number, at, occurrence, keypath in self.entries:
            full = at + keypath if keypath else at
            if keypath is None and at == table and header_line is None and (
                    index is None or occurrence == wanted_index):
                header_line = number
            if key is None or keypath is None:
                continue
            if full == (*table, key) and (index is None or (at == table and
                                                            occurrence == wanted_index)):
                return number
        return header_line
