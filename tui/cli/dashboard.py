"""Start the dashboard in this terminal, or serve it to a browser with textual-serve."""

from __future__ import annotations

import argparse
import asyncio
import shlex
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.config import Config


def run_dashboard(args: argparse.Namespace, config: Config, env: Mapping[str, str]) -> int:
    return asyncio.run(_run_dashboard(args, config, env))


async def _run_dashboard(args: argparse.Namespace, config: Config, env: Mapping[str, str]) -> int:
    # One event loop for the store, the clients and the App: aiosqlite and httpx
    # objects are bound to the loop that made them.
    from tui.app import PolydashApp
    from tui.cli.session import open_data

    async with open_data(args, config, env) as data:
        app = PolydashApp(config, data)
        await app.run_async()
        return app.return_code or 0


def run_serve(args: argparse.Namespace, config: Config, env: Mapping[str, str]) -> int:
    """Serve on 127.0.0.1 only: textual-serve has no authentication of its own."""
    from textual_serve.server import Server

    command = [sys.executable, "-m", "tui"]
    for flag in ("demo", "offline"):
        if getattr(args, flag):
            command.append(f"--{flag}")
    for option in ("config", "db"):
        if getattr(args, option):
            command += [f"--{option}", getattr(args, option)]
    print(f"polydash: serving on http://127.0.0.1:{args.port} (loopback only; put an "
          "authenticating proxy in front to share it)", file=sys.stderr)
    Server(shlex.join(command), host="127.0.0.1", port=args.port, title="polydash").serve()
    return 0
