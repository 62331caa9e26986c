"""tui/config.py: defaults, the documented config.toml, load order, env, errors, warnings."""

from __future__ import annotations

import tomllib
from dataclasses import fields, replace
from pathlib import Path

import pytest

from tests.support import modules_after
from tui import __version__
from tui.config import (
    DEFAULT_TRADINGVIEW_RULES,
    ApiConfig,
    Config,
    ConfigError,
    HistoryConfig,
    LogConfig,
    NewsConfig,
    RefreshConfig,
    RssFeed,
    TradingViewConfig,
    TradingViewRule,
    UiConfig,
    default_config_path,
    load_config,
    resolve_db_path,
)

REPO_CONFIG = Path(__file__).resolve().parents[2] / "config.toml"


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """platformdirs reads XDG_* from the real environment: point it at an empty place."""
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    return home


def write(tmp_path: Path, text: str, name: str = "config.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path, env: dict[str, str] | None = None) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_config(path, env or {})
    return caught.value


# ---------------------------------------------------------------- defaults and the repo file


def test_no_file_gives_the_defaults() -> None:
    config = load_config(None, {})
    assert config == Config()
    assert config.source is None and config.warnings == ()


def test_repo_config_toml_gives_exactly_the_defaults() -> None:
    config = load_config(REPO_CONFIG, {})
    assert config.warnings == ()
    assert config.source == REPO_CONFIG
    assert replace(config, source=None) == Config()


def test_history_retention_is_read_from_its_section(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[history]\nfull_days = 3\nhourly_days = 30\ncompact_every_min = 15\n")
    assert load_config(path, {}).history == HistoryConfig(3.0, 30.0, 15.0)


def test_repo_config_toml_documents_every_key() -> None:
    data = tomllib.loads(REPO_CONFIG.read_text(encoding="utf-8"))
    sections = {"api": ApiConfig, "refresh": RefreshConfig, "news": NewsConfig, "ui": UiConfig,
                "tradingview": TradingViewConfig, "log": LogConfig, "history": HistoryConfig}
    for section, cls in sections.items():
        assert {f.name for f in fields(cls)} <= set(data[section]), section
    assert set(data) == {*sections, "keys", "alerts"}
    assert "command" in data["alerts"]
    assert all(set(feed) == {"name", "url"} for feed in data["news"]["rss_feeds"])


def test_repo_config_toml_comments_every_key() -> None:
    """Each `key = value` line has a comment line somewhere above it in its block."""
    lines = REPO_CONFIG.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if "=" in line and not line.lstrip().startswith(("#", "[")) and not line.startswith(
                ("name", "url")):
            block = lines[max(0, number - 12):number]
            assert any(b.lstrip().startswith("#") for b in block), line


def test_defaults_are_sensible() -> None:
    config = Config()
    assert config.api.gamma_url == "https://gamma-api.polymarket.com"
    assert config.api.clob_url == "https://clob.polymarket.com"
    assert config.api.data_url == "https://data-api.polymarket.com"
    assert config.api.ws_url.startswith("wss://")
    assert config.api.user_agent.startswith(f"polydash/{__version__} ")
    assert config.news.google_news is False and config.news.newsapi_key == ""
    assert config.ui == UiConfig(theme="textual-dark", mouse=True)
    assert config.tradingview.use_defaults is True and config.tradingview.rules == ()
    assert config.alerts_command == () and dict(config.keys) == {}
    names = {feed.name for feed in config.news.rss_feeds}
    assert {"CoinDesk", "The Block", "Federal Reserve", "The Oracle (Polymarket)"} <= names
    assert all(feed.url.startswith("https://") for feed in config.news.rss_feeds)


def test_default_tradingview_rules_cover_the_instruments() -> None:
    symbols = {rule.symbol for rule in DEFAULT_TRADINGVIEW_RULES}
    assert {"BITSTAMP:BTCUSD", "COINBASE:ETHUSD", "COINBASE:SOLUSD", "CBOT:ZQ1!", "TVC:US10Y",
            "ECONOMICS:USIRYY", "SP:SPX", "NASDAQ:NDX", "CBOE:VIX", "TVC:DXY", "TVC:GOLD",
            "TVC:USOIL", "NASDAQ:NVDA", "NASDAQ:TSLA", "NASDAQ:AAPL", "NASDAQ:MSFT",
            "NASDAQ:GOOGL", "NASDAQ:AMZN", "NASDAQ:META"} <= symbols
    for rule in DEFAULT_TRADINGVIEW_RULES:
        assert rule.keywords and rule.label and rule.interval in ("D", "M")
        assert all(k == k.lower() for k in rule.keywords)
    order = [rule.symbol for rule in DEFAULT_TRADINGVIEW_RULES]
    # Companies before the broad macro words ("Will Tesla stock crash?" -> TSLA, not VIX).
    assert order.index("NASDAQ:TSLA") < order.index("CBOE:VIX")


# ---------------------------------------------------------------- load order and env


def test_load_order(tmp_path: Path, _no_user_config: Path) -> None:
    user_file = _no_user_config / "config" / "polydash" / "config.toml"
    assert default_config_path() == user_file
    user_file.parent.mkdir(parents=True)
    user_file.write_text('[ui]\ntheme = "user"\n', encoding="utf-8")
    from_env = write(tmp_path, '[ui]\ntheme = "env"\n', "env.toml")
    explicit = write(tmp_path, '[ui]\ntheme = "explicit"\n', "explicit.toml")
    env = {"POLYDASH_CONFIG": str(from_env)}
    assert load_config(explicit, env).ui.theme == "explicit"
    assert load_config(None, env).ui.theme == "env"
    assert load_config(None, {}).ui.theme == "user"
    assert load_config(None, {}).source == user_file
    user_file.unlink()
    assert load_config(None, {}).source is None


def test_missing_explicit_file_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    error = error_of(missing)
    assert (error.file, error.line, error.message) == (str(missing), None, "no such file")
    assert str(error) == f"{missing}: no such file"
    with pytest.raises(ConfigError, match="no such file"):
        load_config(None, {"POLYDASH_CONFIG": str(missing)})


def test_a_directory_is_not_a_config_file(tmp_path: Path) -> None:
    assert "directory" in error_of(tmp_path).message


def test_env_overrides(tmp_path: Path) -> None:
    path = write(tmp_path, '[api]\ngamma_url = "https://file.example"\n')
    env = {"POLYDASH_GAMMA_URL": "http://127.0.0.1:8123/", "POLYDASH_CLOB_URL":
           "http://127.0.0.1:8124", "POLYDASH_WS_URL": "ws://127.0.0.1:8125/ws/market",
           "POLYDASH_NEWSAPI_KEY": "sekrit-key", "POLYDASH_DATA_URL": "http://127.0.0.1:8126/"}
    config = load_config(path, env)
    assert config.api.data_url == "http://127.0.0.1:8126"
    assert config.api.gamma_url == "http://127.0.0.1:8123"  # trailing slash dropped
    assert config.api.clob_url == "http://127.0.0.1:8124"
    assert config.api.ws_url == "ws://127.0.0.1:8125/ws/market"
    assert config.news.newsapi_key == "sekrit-key"
    assert load_config(None, {"POLYDASH_GAMMA_URL": ""}).api.gamma_url == Config().api.gamma_url


def test_bad_env_url_names_the_variable() -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(None, {"POLYDASH_WS_URL": "https://not-a-socket.example"})
    assert caught.value.file == "environment variable POLYDASH_WS_URL"
    assert "ws:// or wss://" in caught.value.message


def test_newsapi_key_is_never_shown(tmp_path: Path) -> None:
    path = write(tmp_path, '[news]\nnewsapi_key = "file-secret"\n')
    config = load_config(path, {})
    assert config.news.newsapi_key == "file-secret"
    for text in (repr(config), str(config), repr(config.news), str(config.news)):
        assert "file-secret" not in text
    from_env = load_config(None, {"POLYDASH_NEWSAPI_KEY": "env-secret"})
    assert "env-secret" not in repr(from_env)


def test_resolve_db_path(tmp_path: Path, _no_user_config: Path) -> None:
    env = {"POLYDASH_DB": str(tmp_path / "env.db")}
    assert resolve_db_path(str(tmp_path / "cli.db"), env) == tmp_path / "cli.db"
    assert resolve_db_path(None, env) == tmp_path / "env.db"
    assert resolve_db_path(None, {}) == _no_user_config / "data" / "polydash" / "polydash.db"
    assert resolve_db_path("~/x.db", {}) == Path.home() / "x.db"
    # Demo data never lands in the real cache unless a database is named explicitly.
    assert resolve_db_path(None, {}, demo=True) == (
        _no_user_config / "data" / "polydash" / "polydash-demo.db")
    assert resolve_db_path(None, env, demo=True) == tmp_path / "env.db"


# ---------------------------------------------------------------- reading values


def test_a_full_file_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, """
[api]
gamma_url = "http://127.0.0.1:9000/"
timeout_s = 3
user_agent = "polydash/{version} (ops@example.org)"
[refresh]
markets_s = 60
prices_s = 2.5
news_s = 600
[news]
providers = ["rss", "gdelt", "rss"]
google_news = true
rss_feeds = []
[tradingview]
use_defaults = false
[[tradingview.rules]]
symbol = "NASDAQ:COIN"
keywords = ["Coinbase"]
tags = ["Coinbase"]
interval = "w"
[ui]
theme = "nord"
mouse = false
[keys]
favorite = "f,space"
quit = "ctrl+q"
[alerts]
command = ["notify-send", "polydash"]
""")
    config = load_config(path, {})
    assert config.api.gamma_url == "http://127.0.0.1:9000"
    assert config.api.timeout_s == 3.0 and isinstance(config.api.timeout_s, float)
    assert config.api.user_agent == f"polydash/{__version__} (ops@example.org)"
    assert config.refresh == RefreshConfig(markets_s=60.0, prices_s=2.5, news_s=600.0)
    assert config.news.providers == ("rss", "gdelt")
    assert config.news.rss_feeds == ()
    assert config.news.enabled_providers == ("rss", "gdelt", "google_news")
    rule = TradingViewRule(symbol="NASDAQ:COIN", keywords=("coinbase",), tags=("coinbase",),
                           interval="W", label="NASDAQ:COIN")
    assert config.tradingview == TradingViewConfig(rules=(rule,), use_defaults=False)
    assert config.tradingview.effective_rules == (rule,)
    assert config.ui == UiConfig(theme="nord", mouse=False)
    assert dict(config.keys) == {"favorite": "f,space", "quit": "ctrl+q"}
    assert config.alerts_command == ("notify-send", "polydash")
    assert config.warnings == ()


def test_user_rules_come_before_the_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, '[[tradingview.rules]]\nsymbol = "BINANCE:BTCUSDT"\n'
                           'keywords = ["bitcoin"]\nlabel = "BTC on Binance"\n')
    rules = load_config(path, {}).tradingview.effective_rules
    assert rules[0].symbol == "BINANCE:BTCUSDT" and rules[0].label == "BTC on Binance"
    assert rules[1:] == DEFAULT_TRADINGVIEW_RULES


def test_rss_feeds_replace_the_default_list(tmp_path: Path) -> None:
    path = write(tmp_path, '[[news.rss_feeds]]\nname = "Mine"\nurl = "http://127.0.0.1/f"\n')
    assert load_config(path, {}).news.rss_feeds == (RssFeed("Mine", "http://127.0.0.1/f"),)


def test_enabled_providers_needs_a_newsapi_key() -> None:
    assert NewsConfig().enabled_providers == ("gdelt", "rss")
    assert NewsConfig(newsapi_key="k").enabled_providers == ("gdelt", "rss", "newsapi")
    listed = NewsConfig(providers=("gdelt", "google_news"))
    assert listed.enabled_providers == ("gdelt", "google_news")


# ---------------------------------------------------------------- errors


def test_bad_toml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[api]\ntimeout_s = 10\nuser_agent = "unterminated\n')
    error = error_of(path)
    assert error.line == 3
    assert error.message.startswith("is not valid TOML: ")
    assert str(error).startswith(f"{path}:3: is not valid TOML")


def test_bad_toml_at_the_end_of_the_file(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, '[ui]\ntheme = "x'))
    assert error.line == 2 and "end of the file" in error.message


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'[ui]\ntheme = "\xff"\n')
    error = error_of(path)
    assert (error.line, error.message) == (2, "is not UTF-8 text")


@pytest.mark.parametrize(("text", "line", "message"), [
    ('[refresh]\nmarkets_s = 60\nprices_s = "5"\n', 3,
     "[refresh] prices_s must be a number, got a string"),
    ("[refresh]\nprices_s = true\n", 2, "[refresh] prices_s must be a number, got a boolean"),
    ("[api]\n\ntimeout_s = 500\n", 3,
     "[api] timeout_s must be between 0.5 and 120 seconds, got 500"),
    ("[api]\ntimeout_s = 0.1\n", 2, "[api] timeout_s must be between 0.5 and 120 seconds, got 0.1"),
    ("[refresh]\nmarkets_s = 1\n", 2,
     "[refresh] markets_s must be between 10 and 86400 seconds, got 1"),
    ('[api]\ngamma_url = "ftp://example.com"\n', 2,
     '[api] gamma_url must be an http:// or https:// URL, got "ftp://example.com"'),
    ('[api]\nclob_url = "clob.polymarket.com"\n', 2,
     '[api] clob_url must be an http:// or https:// URL, got "clob.polymarket.com"'),
    ('[api]\nws_url = "https://x.example/ws"\n', 2,
     '[api] ws_url must be a ws:// or wss:// URL, got "https://x.example/ws"'),
    ('[api]\ngamma_url = "https://u:p@x.example"\n', 2,
     "[api] gamma_url must not contain a user name or password"),
    ('[api]\nuser_agent = ""\n', 2, "[api] user_agent must not be empty"),
    ("[ui]\nmouse = 1\n", 2, "[ui] mouse must be true or false, got a number"),
    ('[ui]\ntheme = ["a"]\n', 2, "[ui] theme must be a string, got an array"),
    ('[news]\nproviders = "gdelt"\n', 2, "[news] providers must be an array of strings, "
                                         "got a string"),
    ('[news]\nproviders = ["gdelt", "bing"]\n', 2, '[news] providers has an unknown provider '
                                                   '"bing" (known: gdelt, rss, newsapi, '
                                                   'google_news)'),
    ('[alerts]\ncommand = "notify-send hi"\n', 2,
     "[alerts] command must be an array of strings, got a string"),
    ('[keys]\nquit = 1\n', 2, "[keys] quit must be a string, got a number"),
    ("api = 3\n", 1, "[api] must be a table, got a number"),
    ("[history]\nfull_days = 0\n", 2,
     "[history] full_days must be between 1 and 36500 days, got 0"),
    ("[history]\nfull_days = 30\nhourly_days = 10\n", 3,
     "[history] hourly_days must be at least full_days (30), got 10"),
    ("[history]\ncompact_every_min = 1\n", 2,
     "[history] compact_every_min must be between 5 and 10080 minutes, got 1"),
])
def test_wrong_values(tmp_path: Path, text: str, line: int, message: str) -> None:
    error = error_of(write(tmp_path, text))
    assert (error.line, error.message) == (line, message)


def test_error_in_the_second_array_table(tmp_path: Path) -> None:
    path = write(tmp_path, """[news]
[[news.rss_feeds]]
name = "A"
url = "https://a.example/feed"
[[news.rss_feeds]]
name = "B"
url = "gopher://b.example"
""")
    error = error_of(path)
    assert error.line == 7
    assert error.message.startswith("[[news.rss_feeds]] #2 url must be an http:// or https://")


def test_inline_array_error_points_at_the_array(tmp_path: Path) -> None:
    path = write(tmp_path, '[news]\nrss_feeds = [{name = "A", url = "nope"}]\n')
    assert error_of(path).line == 2


def test_duplicate_feed_name(tmp_path: Path) -> None:
    path = write(tmp_path, '[[news.rss_feeds]]\nname = "A"\nurl = "https://a.example"\n'
                           '[[news.rss_feeds]]\nname = "A"\nurl = "https://b.example"\n')
    error = error_of(path)
    assert (error.line, error.message) == (
        5, '[[news.rss_feeds]] #2 name "A" is used by another feed')


@pytest.mark.parametrize(("rule", "message"), [
    ('symbol = "NASDAQ:COIN"\n', "[[tradingview.rules]] #1 needs keywords or tags"),
    ('symbol = "bad symbol"\nkeywords = ["x"]\n', "is not a TradingView symbol"),
    ('symbol = "TVC:DXY"\nkeywords = ["x"]\ninterval = "2h"\n', "interval must be one of"),
    ('keywords = ["x"]\n', "[[tradingview.rules]] #1 symbol must not be empty"),
])
def test_bad_tradingview_rules(tmp_path: Path, rule: str, message: str) -> None:
    error = error_of(write(tmp_path, "[[tradingview.rules]]\n" + rule))
    assert message in error.message


def test_dotted_keys_are_located(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, '# top\nrefresh.prices_s = "x"\n'))
    assert (error.line, error.message) == (2, "[refresh] prices_s must be a number, got a string")


# ---------------------------------------------------------------- warnings


def test_unknown_keys_and_sections_are_warnings(tmp_path: Path) -> None:
    path = write(tmp_path, """stray = 1
[ui]
theme = "nord"
colour = "red"
[colours]
x = 1
[[news.rss_feeds]]
name = "A"
url = "https://a.example"
tag = "x"
""")
    config = load_config(path, {})
    assert config.ui.theme == "nord"
    assert config.warnings == (
        f"unknown top-level key stray in {path}:1",
        f"unknown key [ui] colour in {path}:4",
        f"unknown section [colours] in {path}:5",
        f"unknown key [[news.rss_feeds]] #1 tag in {path}:10",
    )


def test_config_error_str_without_line() -> None:
    assert str(ConfigError("a.toml", None, "no such file")) == "a.toml: no such file"
    assert str(ConfigError("a.toml", 4, "bad")) == "a.toml:4: bad"


def test_config_is_frozen() -> None:
    config = Config()
    with pytest.raises(AttributeError):
        config.api.timeout_s = 1.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        config.keys["quit"] = "x"  # type: ignore[index]


def test_import_stays_light() -> None:
    assert not modules_after("import tui.config") & {"httpx", "textual", "rich", "aiosqlite"}
