"""Command line: the dashboard and the headless commands.

Only argparse is imported at module level; each command imports its own modules,
so `polydash --help` stays fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from tui import __version__

SORT_CHOICES = ("volume24hr", "liquidity", "end", "new", "change")
RANGE_CHOICES = ("1h", "6h", "1d", "1w", "1m", "max")
FORMAT_CHOICES = ("table", "json", "csv")
ALERT_ACTIONS = ("list", "add", "remove", "log")

FORMAT_HELP = "table to read (default), json or csv to process: plain numbers in named units"
SHORT_FORMAT_HELP = "table to read (default), or json to process"

EXIT_OK, EXIT_API, EXIT_USAGE = 0, 1, 2
# The local database is damaged (kept as it is), or read-only when a command must write.
EXIT_DATABASE = 3
# The reader of our output went away (`polydash markets | head -1`): 128 + SIGPIPE (13),
# the status a shell reports for `yes | head -1`'s `yes`, which SIGPIPE ends.
EXIT_PIPE = 141


def _common_options(defaults: bool) -> argparse.ArgumentParser:
    """Options every command takes, before or after the command name.

    The sub-command copy uses SUPPRESS so it does not overwrite a value given
    before the command name (an argparse quirk with shared options).
    """
    parser = argparse.ArgumentParser(add_help=False)

    def default(value: object) -> object:
        return value if defaults else argparse.SUPPRESS

    parser.add_argument("--demo", action="store_true", default=default(False),
                        help="run on bundled demo data, with no network")
    parser.add_argument("--offline", action="store_true", default=default(False),
                        help="answer from the local SQLite cache only, and say how old it is")
    parser.add_argument("--config", metavar="PATH", default=default(None),
                        help="config file (default: $POLYDASH_CONFIG or the user config dir)")
    parser.add_argument("--db", metavar="PATH", default=default(None),
                        help="SQLite database (default: $POLYDASH_DB or the user data dir)")
    parser.add_argument("--log-file", metavar="PATH", default=default(None), dest="log_file",
                        help="the log file (default: $POLYDASH_LOG_FILE or polydash.log in "
                        "the user log dir)")
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="polydash",
        description="A keyboard-driven terminal dashboard for Polymarket prediction markets. "
        "Without a command it starts the dashboard.",
        parents=[_common_options(defaults=True)],
    )
    parser.add_argument("--version", action="version", version=f"polydash {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND",
                                help="a headless command (none: start the dashboard)")
    common = _common_options(defaults=False)

    markets = sub.add_parser("markets", parents=[common], help="list active markets")
    markets.add_argument("--limit", type=_positive_int, default=50, metavar="N",
                         help="how many markets (default 50)")
    markets.add_argument("--sort", choices=SORT_CHOICES, default="volume24hr",
                         help="order: 24h volume (default), liquidity, end date soonest, "
                         "newest, or biggest 24h price move")
    markets.add_argument("--tag", metavar="SLUG",
                         help="only markets of events with this tag (politics, crypto...)")
    markets.add_argument("--search", metavar="TEXT", help="search Polymarket for TEXT")
    markets.add_argument("--format", choices=FORMAT_CHOICES, default="table", help=FORMAT_HELP)

    history = sub.add_parser("history", parents=[common], help="price history of a market")
    history.add_argument("market", metavar="MARKET", help="slug, Gamma id or token id")
    history.add_argument("--range", choices=RANGE_CHOICES, default="1d", dest="range_",
                         help="how far back (default 1d)")
    history.add_argument("--format", choices=FORMAT_CHOICES, default="table", help=FORMAT_HELP)

    favorites = sub.add_parser("favorites", parents=[common], help="list, add or remove favorites")
    favorites.add_argument("action", choices=("list", "add", "remove"), nargs="?", default="list",
                           help="what to do (default list)")
    favorites.add_argument("market", metavar="MARKET", nargs="?",
                           help="slug, Gamma id or token id (for add/remove)")
    favorites.add_argument("--format", choices=FORMAT_CHOICES, default="table", help=FORMAT_HELP)

    sub.add_parser("compact", parents=[common],
                   help="thin the stored price history now, as [history] says "
                   "(the dashboard also does it in the background)")

    _add_alerts_parser(sub, common)
    _add_news_parser(sub, common)
    _add_trader_parsers(sub, common)

    serve = sub.add_parser("serve", parents=[common],
                           help="serve the dashboard to a browser (textual-serve, loopback only)")
    serve.add_argument("--port", type=_positive_int, default=8000,
                       help="the port on 127.0.0.1 to serve on (default 8000)")
    return parser


def _add_alerts_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """`polydash alerts list|add|remove|log` (run by tui.cli.alerts)."""
    alerts = sub.add_parser(
        "alerts", parents=[common], help="list, add or remove price alerts",
        description="Alerts fire in the dashboard (toast, bell, alert log and [alerts] "
        "command). Prices are between 0 and 1: 0.6 or 60c both mean 60 cents.")
    alerts.add_argument("action", choices=ALERT_ACTIONS, nargs="?", default="list",
                        help="what to do: list (default), add, remove, or log (what fired)")
    alerts.add_argument("target", metavar="MARKET|ID", nargs="?",
                        help="add: slug, Gamma id or token id; remove: the alert id")
    kinds = alerts.add_mutually_exclusive_group()
    kinds.add_argument("--above", metavar="PRICE", help="fire when the price crosses above")
    kinds.add_argument("--below", metavar="PRICE", help="fire when the price crosses below")
    kinds.add_argument("--move", metavar="POINTS",
                       help="fire when the price moves this much (0.1 = 10 points) "
                       "within --window")
    kinds.add_argument("--ends-within", metavar="DURATION", dest="ends_within",
                       help="fire when the market ends within this time (24h, 2d...)")
    alerts.add_argument("--window", metavar="DURATION", default="1h",
                        help="the window of --move (default 1h)")
    alerts.add_argument("--format", choices=("table", "json"), default="table",
                        help=SHORT_FORMAT_HELP)


def _add_news_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """`polydash news [--market MARKET]` (run by tui.cli.news)."""
    news = sub.add_parser(
        "news", parents=[common], help="headlines for a market, or for your favorites",
        description="Asks the news sources of [news] providers (GDELT, RSS feeds, NewsAPI with "
        "a key, Google News when enabled), keeps what matches the market and saves it; "
        "--offline shows the saved headlines.")
    news.add_argument("--market", metavar="MARKET",
                      help="slug, Gamma id or token id (default: favorites and general news)")
    news.add_argument("--limit", type=_positive_int, default=20, metavar="N",
                      help="how many headlines (default 20)")
    news.add_argument("--format", choices=("table", "json"), default="table",
                      help=SHORT_FORMAT_HELP)


def _add_trader_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    """`polydash trades|holders|comments MARKET`, `wallet ADDRESS`, `wallets ...` (run by
    tui.cli.trader). They need the network, except `wallets`."""
    trades = sub.add_parser("trades", parents=[common], help="the latest trades of a market")
    trades.add_argument("market", metavar="MARKET", help="slug, Gamma id or token id")
    trades.add_argument("--limit", type=_positive_int, default=50, metavar="N",
                        help="how many trades (default 50, at most 500)")
    trades.add_argument("--format", choices=FORMAT_CHOICES, default="table", help=FORMAT_HELP)

    holders = sub.add_parser("holders", parents=[common],
                             help="the top holders of each outcome of a market")
    holders.add_argument("market", metavar="MARKET", help="slug, Gamma id or token id")
    holders.add_argument("--format", choices=FORMAT_CHOICES, default="table", help=FORMAT_HELP)

    comments = sub.add_parser("comments", parents=[common],
                              help="the latest comments on a market's event")
    comments.add_argument("market", metavar="MARKET", help="slug, Gamma id or token id")
    comments.add_argument("--limit", type=_positive_int, default=20, metavar="N",
                          help="how many comments (default 20, at most 100)")
    comments.add_argument("--format", choices=FORMAT_CHOICES, default="table", help=FORMAT_HELP)

    wallet = sub.add_parser("wallet", parents=[common],
                            help="a wallet's positions, value and recent activity")
    wallet.add_argument("address", metavar="ADDRESS",
                        help="the wallet's Polymarket (proxy) address: 0x and 40 hex digits")
    wallet.add_argument("--format", choices=FORMAT_CHOICES, default="table",
                        help=FORMAT_HELP + " (csv: the positions)")

    wallets = sub.add_parser("wallets", parents=[common],
                             help="list, add or remove saved wallets")
    wallets.add_argument("action", choices=("list", "add", "remove"), nargs="?", default="list",
                         help="what to do (default list)")
    wallets.add_argument("address", metavar="ADDRESS", nargs="?",
                         help="the wallet address (for add/remove)")
    wallets.add_argument("--label", metavar="TEXT", help="a name for the wallet (add)")
    wallets.add_argument("--format", choices=FORMAT_CHOICES, default="table", help=FORMAT_HELP)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def run(argv: list[str], env: Mapping[str, str] | None = None) -> int:
    """Run the command line. A reader that goes away (`polydash markets | head -1`) ends
    it quietly with EXIT_PIPE.

    That is the recipe of the Python docs (library/signal, "Note on SIGPIPE"), with 141
    instead of its 1, which here means "API unreachable": BrokenPipeError is caught once,
    here; stdout is flushed inside the try (short output only fails at that flush), then
    pointed at devnull so the interpreter's own flush at exit has nothing to fail on.
    """
    try:
        try:
            return _run(argv, env)
        finally:
            sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_PIPE


def _run(argv: list[str], env: Mapping[str, str] | None) -> int:
    args = build_parser().parse_args(argv)
    env = os.environ if env is None else env
    if args.command == "favorites" and args.action in ("add", "remove") and not args.market:
        print(f"polydash: favorites {args.action} needs a MARKET (slug, Gamma id or token id)",
              file=sys.stderr)
        return EXIT_USAGE
    from tui.config import ConfigError, load_config

    try:
        config = load_config(Path(args.config) if args.config else None, env)
    except ConfigError as error:
        print(f"polydash: {error}", file=sys.stderr)
        return EXIT_USAGE
    for warning in config.warnings:
        print(f"polydash: warning: {warning}", file=sys.stderr)
    _start_log(args, config, env)
    return _dispatch(args, config, env)


def _start_log(args: argparse.Namespace, config: Any, env: Mapping[str, str]) -> None:
    """The log file of every command (tui/logs.py); without one polydash still runs."""
    from tui.logs import setup_logging

    chosen = args.log_file or env.get("POLYDASH_LOG_FILE")
    path = Path(chosen).expanduser() if chosen else None
    secrets = (config.news.newsapi_key, env.get("POLYDASH_NEWSAPI_KEY", ""))
    if setup_logging(path, config.log.level, secrets) is None:
        where = path or "the user log directory"
        print(f"polydash: warning: cannot write the log file in {where}; running without "
              "a log", file=sys.stderr)
        return
    import logging

    logging.getLogger("polydash.cli").info("polydash %s: %s", __version__,
                                           args.command or "dashboard")


def _dispatch(args: argparse.Namespace, config: object, env: Mapping[str, str]) -> int:
    command: Callable[..., int]
    if args.command is None:
        from tui.cli.dashboard import run_dashboard as command
    elif args.command == "serve":
        from tui.cli.dashboard import run_serve as command
    elif args.command == "alerts":
        from tui.cli.alerts import run_alerts as command
    elif args.command == "news":
        from tui.cli.news import run_news as command
    elif args.command in ("trades", "holders", "comments", "wallet", "wallets"):
        from tui.cli.trader import run_trader as command
    else:
        from tui.cli.headless import run_headless as command
    from tui.store import StoreDamaged, StoreError, StoreReadOnly

    try:
        return command(args, config, env)
    except (StoreDamaged, StoreReadOnly) as error:
        print(f"polydash: {error}", file=sys.stderr)
        return EXIT_DATABASE
    except StoreError as error:  # e.g. --db names a file that is not a polydash database
        print(f"polydash: {error}", file=sys.stderr)
        return EXIT_USAGE
