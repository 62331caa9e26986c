"""The store and the data facade a command works with, opened and closed in one place."""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.config import Config
    from tui.services.market_data import MarketData


@asynccontextmanager
async def open_data(
    args: argparse.Namespace, config: Config, env: Mapping[str, str]
) -> AsyncIterator[MarketData]:
    """Open the SQLite store (the demo one under --demo) and the clients over it."""
    from tui.config import resolve_db_path
    from tui.services.market_data import MarketData
    from tui.store import Store

    store = await Store.open(resolve_db_path(args.db, env, demo=args.demo))
    try:
        data = await MarketData.create(config, store, demo=args.demo, offline=args.offline)
        try:
            yield data
        finally:
            await data.aclose()
    finally:
        await store.close()
