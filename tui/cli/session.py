"""The store and the data facade a command works with, opened and closed in one place."""

from __future__ import annotations

import argparse
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.config import Config
    from tui.services.market_data import MarketData

EXIT_OK, EXIT_API, EXIT_USAGE = 0, 1, 2
EXIT_DATABASE = 3  # the local database is damaged, or cannot be written when it must be

Handler = Callable[[argparse.Namespace, "MarketData"], Awaitable[str]]


class UserError(Exception):
    """A mistake in what was asked (unknown market...): exit 2 with the sentence."""


@asynccontextmanager
async def open_data(
    args: argparse.Namespace, config: Config, env: Mapping[str, str]
) -> AsyncIterator[MarketData]:
    """Open the SQLite store (the demo one under --demo) and the clients over it.

    The dashboard goes on with the cache off (in memory) when the file is damaged, and
    on a copy when it is read-only; a headless command checks every page first, so
    damage is one sentence and EXIT_DATABASE rather than a failure halfway through."""
    from tui.config import resolve_db_path
    from tui.services.market_data import MarketData
    from tui.store import Store

    dashboard = args.command is None
    store = await Store.open(resolve_db_path(args.db, env, demo=args.demo),
                             memory_on_damage=dashboard, check=not dashboard)
    if store.notice() and not dashboard:
        print(f"polydash: note: {store.notice()}", file=sys.stderr)
    try:
        data = await MarketData.create(config, store, demo=args.demo, offline=args.offline)
        try:
            yield data
        finally:
            await data.aclose()
    finally:
        await store.close()


async def run_command(
    args: argparse.Namespace,
    config: Config,
    env: Mapping[str, str],
    handler: Handler,
    *,
    api_hint: Callable[[MarketData], Awaitable[str]] | None = None,
) -> int:
    """Print what `handler` returns; turn a user mistake into exit 2 and an API failure
    into exit 1, each as one sentence on stderr (with `api_hint` appended, if given)."""
    from tui.services.errors import ApiError

    async with open_data(args, config, env) as data:
        try:
            print(await handler(args, data))
            return EXIT_OK
        except UserError as error:
            print(f"polydash: {error}", file=sys.stderr)
            return EXIT_USAGE
        except ApiError as error:
            hint = await api_hint(data) if api_hint else ""
            print(f"polydash: {error}{hint}", file=sys.stderr)
            return EXIT_API
