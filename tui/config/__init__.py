"""Configuration: the user's config.toml read into frozen dataclasses.

The defaults live here, in Python; the repo's config.toml documents every key with
the same default, and a test loads that file and compares it with `Config()` so the
documentation cannot drift. The app never writes a config file.

Where the file comes from: `--config PATH` > $POLYDASH_CONFIG > the platformdirs user
config file (polydash/config.toml) when it exists > the defaults alone. Environment
variables override single keys afterwards (ENV_OVERRIDES).

A broken file raises ConfigError(file, line, message) with one sentence that a person
can act on. An unknown section or key only adds a warning to `Config.warnings`.

This package is imported by every command, `--help` included: keep it free of heavy
imports (no httpx, no textual). Reading and checking the TOML itself, with line
numbers for errors, is tui/config/reader.py.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import platformdirs

from tui import __version__
from tui.config.reader import (
    ConfigError,
    ConfigFile,
    TomlTable,
    has_control,
    kind_of,
    normal_url,
    read_toml,
    url_problem,
)
from tui.sanitize import clean_text

APP_NAME = "polydash"
CONFIG_FILE_NAME = "config.toml"
DB_FILE_NAME = "polydash.db"
DEMO_DB_FILE_NAME = "polydash-demo.db"

DEFAULT_GAMMA_URL = "https://gamma-api.polymarket.com"
DEFAULT_CLOB_URL = "https://clob.polymarket.com"
DEFAULT_DATA_URL = "https://data-api.polymarket.com"
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
# Price-history retention, in days, and minutes between two compactions.
HISTORY_DAYS_RANGE = (1.0, 36_500.0)
HISTORY_COMPACT_RANGE = (5.0, 10_080.0)

# environment variable -> (section, key)
ENV_OVERRIDES: Mapping[str, tuple[str, str]] = MappingProxyType({
    "POLYDASH_GAMMA_URL": ("api", "gamma_url"),
    "POLYDASH_CLOB_URL": ("api", "clob_url"),
    "POLYDASH_DATA_URL": ("api", "data_url"),
    "POLYDASH_WS_URL": ("api", "ws_url"),
    "POLYDASH_NEWSAPI_KEY": ("news", "newsapi_key"),
})

# Clients append paths to these, so they lose a trailing slash.
_BASE_URL_KEYS = frozenset({"gamma_url", "clob_url", "data_url"})
_SYMBOL = re.compile(r"^[A-Za-z0-9_.!:\-+*/^]{1,80}$")


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
    data_url: str = DEFAULT_DATA_URL
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


LOG_LEVELS = ("debug", "info", "warning", "error")


@dataclass(frozen=True, slots=True)
class LogConfig:
    level: str = "info"  # one of LOG_LEVELS: what the log file keeps


@dataclass(frozen=True, slots=True)
class UiConfig:
    theme: str = "textual-dark"
    mouse: bool = True


@dataclass(frozen=True, slots=True)
class HistoryConfig:
    """Price-history retention (tui/store/retention.py applies it): every point for
    `full_days`, then the last point of each hour per token until `hourly_days`, then
    the last of each day; compacted every `compact_every_min` minutes."""

    full_days: float = 7.0
    hourly_days: float = 90.0
    compact_every_min: float = 60.0


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
    log: LogConfig = field(default_factory=LogConfig)
    history: HistoryConfig = field(default_factory=HistoryConfig)
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
    data, text = read_toml(file)
    ctx = ConfigFile(str(file), text)
    return replace(_build(ctx, data), source=file, warnings=tuple(ctx.warnings))


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
        problem = url_problem(value, schemes)
        if problem:
            raise ConfigError(f"environment variable {name}", None,
                              f"[{section}] {key} {problem}")
        api = replace(api, **{key: normal_url(value, base=key in _BASE_URL_KEYS)})
    if api is config.api and news is config.news:
        return config
    return replace(config, api=api, news=news)


# ---------------------------------------------------------------- building


def _build(ctx: ConfigFile, data: Mapping[str, Any]) -> Config:
    known: dict[str, Callable[[TomlTable], Any]] = {
        "api": _build_api, "refresh": _build_refresh, "news": _build_news,
        "tradingview": _build_tradingview, "ui": _build_ui, "keys": _build_keys,
        "alerts": _build_alerts, "log": _build_log, "history": _build_history,
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
            raise ctx.error((), name, f"[{name}] must be a table, got {kind_of(value)}")
        table = TomlTable(ctx, (name,), value)
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
        log=built.get("log", LogConfig()),
        history=built.get("history", HistoryConfig()),
    )


def _build_api(t: TomlTable) -> ApiConfig:
    d = ApiConfig()
    agent = t.string("user_agent", USER_AGENT_TEMPLATE, nonempty=True)
    if has_control(agent):
        raise t.error("user_agent", "must not contain control characters or line breaks")
    return ApiConfig(
        gamma_url=t.url("gamma_url", d.gamma_url, HTTP_SCHEMES, base=True),
        clob_url=t.url("clob_url", d.clob_url, HTTP_SCHEMES, base=True),
        data_url=t.url("data_url", d.data_url, HTTP_SCHEMES, base=True),
        ws_url=t.url("ws_url", d.ws_url, WS_SCHEMES),
        timeout_s=t.number("timeout_s", d.timeout_s, TIMEOUT_RANGE),
        user_agent=agent.replace("{version}", __version__),
    )


def _build_refresh(t: TomlTable) -> RefreshConfig:
    d = RefreshConfig()
    return RefreshConfig(
        markets_s=t.number("markets_s", d.markets_s, MARKETS_REFRESH_RANGE),
        prices_s=t.number("prices_s", d.prices_s, PRICES_REFRESH_RANGE),
        news_s=t.number("news_s", d.news_s, NEWS_REFRESH_RANGE),
    )


def _build_news(t: TomlTable) -> NewsConfig:
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


def _build_feeds(t: TomlTable) -> tuple[RssFeed, ...]:
    feeds: list[RssFeed] = []
    for item in t.tables("rss_feeds"):
        feed = RssFeed(name=item.string("name", "", nonempty=True),
                       url=item.url("url", "", HTTP_SCHEMES))
        if any(f.name == feed.name for f in feeds):
            raise item.error("name", f'"{clean_text(feed.name, 40)}" is used by another feed')
        feeds.append(feed)
        item.warn_unknown()
    return tuple(feeds)


def _build_tradingview(t: TomlTable) -> TradingViewConfig:
    rules: list[TradingViewRule] = []
    for item in t.tables("rules") if "rules" in t.data else ():
        rules.append(_build_rule(item))
        item.warn_unknown()
    return TradingViewConfig(rules=tuple(rules), use_defaults=t.boolean("use_defaults", True))


def _build_rule(item: TomlTable) -> TradingViewRule:
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


def _build_ui(t: TomlTable) -> UiConfig:
    d = UiConfig()
    return UiConfig(theme=t.string("theme", d.theme, nonempty=True).strip(),
                    mouse=t.boolean("mouse", d.mouse))


def _build_log(t: TomlTable) -> LogConfig:
    level = t.string("level", LogConfig().level, nonempty=True).strip().lower()
    if level not in LOG_LEVELS:
        raise t.error("level", f'must be one of {", ".join(LOG_LEVELS)}, '
                      f'got "{clean_text(level, 20)}"')
    return LogConfig(level=level)


def _build_history(t: TomlTable) -> HistoryConfig:
    d = HistoryConfig()
    full = t.number("full_days", d.full_days, HISTORY_DAYS_RANGE, unit="days")
    hourly = t.number("hourly_days", d.hourly_days, HISTORY_DAYS_RANGE, unit="days")
    if hourly < full:
        raise t.error("hourly_days", f"must be at least full_days ({full:g}), got {hourly:g}")
    every = t.number("compact_every_min", d.compact_every_min, HISTORY_COMPACT_RANGE,
                     unit="minutes")
    return HistoryConfig(full_days=full, hourly_days=hourly, compact_every_min=every)


def _build_keys(t: TomlTable) -> Mapping[str, str]:
    return MappingProxyType(_binding_keys(t, ""))


def _binding_keys(t: TomlTable, prefix: str) -> dict[str, str]:
    """Binding id -> key(s). To TOML a bare dotted id (chart.cursor-left = "h") is a
    table: its keys are read back as the dotted ids they were written as."""
    keys: dict[str, str] = {}
    for name, value in t.data.items():
        if isinstance(value, dict):
            t.used.add(name)
            keys |= _binding_keys(TomlTable(t.ctx, (*t.path, name), value), f"{prefix}{name}.")
        else:
            keys[prefix + name] = t.string(name, "", nonempty=True).strip()
    return keys


def _build_alerts(t: TomlTable) -> tuple[str, ...]:
    command = t.strings("command", ())
    if command and not command[0].strip():
        raise t.error("command", "must start with the program to run")
    return command
