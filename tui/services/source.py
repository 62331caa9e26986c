"""What the UI needs from its data source, written down.

`MarketData` (the real facade over HTTP, the websocket and SQLite) satisfies it, and
so does the in-memory double the UI tests use; tests/unit/test_source_contract.py
checks both statically with mypy. The App talks to nothing else.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from tui.config import HistoryConfig
from tui.models import Headline, Market, OrderBook, PricePoint, Visit
from tui.trader_models import Comment, HolderGroup, SavedWallet, Trade, WalletReport
from tui.view.columns import SPARK_CELLS

if TYPE_CHECKING:
    from tui.services.alerts import AlertService
    from tui.services.stream import MarketStream


class DataSource(Protocol):
    """Markets, prices, history, user state and news, as the dashboard asks for them."""

    @property
    def demo(self) -> bool:
        """Bundled demo data served in-process: nothing touches the network."""

    @property
    def offline(self) -> bool:
        """--offline: every answer comes from SQLite; network calls raise."""

    @property
    def alerts(self) -> AlertService | None:
        """Alerts, or None where they are not available."""

    def make_stream(self) -> MarketStream | None:
        """The live price websocket, or None where there is none (demo, offline)."""

    # markets and prices
    async def cached_markets(self, limit: int | None = None
                             ) -> tuple[list[Market], datetime | None]: ...
    async def refresh_markets(self, limit: int | None = None) -> list[Market]: ...
    def market_pages(self) -> AsyncIterator[list[Market]]:
        """Every active market a page at a time (the first page first); unsaved."""
    async def save_snapshot(self) -> None:
        """Save what the last finished market_pages() walk fetched."""
    async def refresh_prices(self, token_ids: Sequence[str]) -> dict[str, float]: ...
    async def search(self, query: str) -> list[Market]: ...

    # history and depth
    async def sparklines(self, token_ids: Sequence[str], points: int = SPARK_CELLS
                         ) -> dict[str, list[float]]: ...
    async def chart(self, market: Market, range_: str, top: int = 4
                    ) -> dict[str, list[PricePoint]]: ...
    def chart_labels(self, market: Market, top: int = 4) -> dict[str, str]: ...
    async def book(self, token_id: str) -> OrderBook: ...
    async def compact_history(self, now: datetime, policy: HistoryConfig) -> int:
        """Thin stored price history by `policy`; how many points went (0 where the
        store keeps nothing: read-only, in memory)."""

    # what the user saved
    async def favorite_ids(self) -> set[str]: ...
    async def toggle_favorite(self, market: Market) -> bool: ...
    async def record_view(self, market: Market) -> None: ...
    async def last_view(self, market_id: str) -> Visit | None: ...
    async def recent_views(self) -> list[Visit]: ...

    async def ui_state(self) -> dict[str, str]: ...
    async def save_ui_state(self, state: Mapping[str, str]) -> None: ...

    # news
    async def stored_news(self, market_id: str | None = None, limit: int = 200
                          ) -> list[Headline]: ...
    async def news_for(self, market: Market | None, favorites: Sequence[Market] = ()
                       ) -> list[Headline]: ...
    def news_status(self) -> str: ...
    async def mark_news_read(self, url: str) -> bool: ...

    # who trades and holds a market, what people say, and wallets (docs/data-api.md)
    async def trades(self, market: Market, limit: int = 50) -> list[Trade]: ...
    async def holders(self, market: Market) -> list[HolderGroup]: ...
    async def open_interest(self, market: Market) -> float | None: ...
    async def comments(self, market: Market, limit: int = 40) -> list[Comment]: ...
    async def wallet(self, address: str) -> WalletReport:
        """One wallet's positions, value and recent activity; `address` is normalized."""
    async def saved_wallets(self) -> list[SavedWallet]: ...
    async def save_wallet(self, address: str, label: str) -> SavedWallet: ...
    async def remove_wallet(self, address: str) -> bool: ...

    async def aclose(self) -> None: ...
