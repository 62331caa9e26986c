"""Start the dashboard in this terminal, or serve it to a browser with textual-serve."""

from __future__ import annotations

import argparse
import asyncio
import shlex
import sys
from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.app import PolydashApp
    from tui.config import Config
    from tui.services.market_data import MarketData


def run_dashboard(args: argparse.Namespace, config: Config, env: Mapping[str, str]) -> int:
    return asyncio.run(_run_dashboard(args, config, env))


async def _run_dashboard(args: argparse.Namespace, config: Config, env: Mapping[str, str]) -> int:
    # One event loop for the store, the clients and the App: aiosqlite and httpx
    # objects are bound to the loop that made them.
    from tui.cli.session import open_data

    async with open_data(args, config, env) as data:
        app = dashboard_app(config, data)
        await app.run_async()
        return app.return_code or 0


def dashboard_app(config: Config, data: MarketData) -> PolydashApp:
    """The App over `data`, told what is wrong with the local database: at once (a
    read-only file, damage found on opening) and when damage is found later."""
    from tui.app import PolydashApp

    app = PolydashApp(config, data)
    app.store_notice = data.store.notice()
    data.store.on_cache_off = partial(app.store_problem, damaged=True)
    return app


def run_serve(args: argparse.Namespace, config: Config, env: Mapping[str, str]) -> int:
    """Serve on 127.0.0.1 only: textual-serve has no authentication of its own."""
    from textual_serve.server import Server

    command = [sys.executable, "-m", "tui"]
    for flag in ("demo", "offline"):
        if getattr(args, flag):
            command.append(f"--{flag}")
    for option in ("config", "db", "log_file"):
        if getattr(args, option):
            command += [f"--{option.replace('_', '-')}", getattr(args, option)]
    print(f"polydash: serving on http://127.0.0.1:{args.port} (loopback only; put an "
          "authenticating proxy in front to share it)", file=sys.stderr)
    Server(shlex.join(command), host="127.0.0.1", port=args.port, title="polydash").serve()
    return 0
