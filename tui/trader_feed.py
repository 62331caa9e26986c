"""The trader-data feed: the side column's trades, holders and comments panes, the
detail's open interest, and the wallet views, as one small object the App owns.

- The lower pane of the side column shows one of trades / holders / comments for one
  market (`follow`); that pane is fetched at once and then every `REFRESH_S[pane]`
  while it shows. Hiding it (`follow(None, ...)`) stops its timer: nothing is fetched
  for a pane nobody sees.
- Open interest is fetched once per market the detail opens.
- A wallet's report, the saved wallets, saving and removing one.

It follows the rules of tui/feeds.py: network and database work runs in the App's
workers (exclusive per group, exit_on_error=False), results go out through
`Host.deliver`, and a failed worker becomes a problem in the App's one failure handler
(the worker group is the task name tui/failures.py turns into a sentence).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Protocol

from tui.feeds import Host
from tui.messages import (
    CommentsLoaded,
    HoldersLoaded,
    OpenInterestLoaded,
    SavedWalletsLoaded,
    TraderPaneKind,
    TradesLoaded,
    WalletLoaded,
)
from tui.models import Market

if TYPE_CHECKING:
    from textual.message import Message

    from tui.services.source import DataSource

# The tape is what changes by the second; who holds and what people say, slowly.
REFRESH_S: dict[TraderPaneKind, float] = {"trades": 5.0, "holders": 60.0, "comments": 60.0}
PANES: tuple[TraderPaneKind, ...] = ("trades", "holders", "comments")
TRADES_LIMIT = 50
COMMENTS_LIMIT = 40


class TraderHost(Host, Protocol):
    """What the feed needs from the App: a feed's Host, and stopping a pending timer."""

    def cancel(self, task: str) -> None: ...


class TraderFeed:
    def __init__(self, host: TraderHost, data: DataSource,
                 refresh_s: dict[TraderPaneKind, float] | None = None) -> None:
        self.host, self.data = host, data
        self.refresh_s = refresh_s or dict(REFRESH_S)
        self.pane: TraderPaneKind | None = None
        self.market: Market | None = None

    # ------------------------------------------------------------ the lower pane

    def follow(self, pane: TraderPaneKind | None, market: Market | None) -> None:
        """The lower pane shows `pane` of `market` (None: the news): fetch it now and
        keep it fresh; every other pane's timer stops."""
        self.pane, self.market = pane, market
        for kind in PANES:
            if kind != pane:
                self.host.cancel(kind)
                # Nobody looks at it any more: its failure is no longer a problem.
                self.host.succeeded(kind)
        self.refresh()

    def refresh(self) -> None:
        pane, market = self.pane, self.market
        if pane is not None and market is not None and not self.data.offline:
            self.host.start_worker(partial(self._load, pane, market), pane)

    def _current(self, pane: TraderPaneKind, market: Market) -> bool:
        return pane == self.pane and self.market is not None and market.id == self.market.id

    async def _load(self, pane: TraderPaneKind, market: Market) -> None:
        try:
            message = await self._fetch(pane, market)
        finally:
            # A failed fetch is tried again at the next beat (the pane says it failed).
            if self._current(pane, market):
                self.host.after(pane, self.refresh_s[pane], self.refresh)
        if self._current(pane, market):  # else a late answer for another market or pane
            self.host.deliver(message)
            self.host.succeeded(pane)

    async def _fetch(self, pane: TraderPaneKind, market: Market) -> Message:
        now = self.host.clock
        if pane == "trades":
            trades = await self.data.trades(market, TRADES_LIMIT)
            return TradesLoaded(market.id, trades, now())
        if pane == "holders":
            return HoldersLoaded(market.id, await self.data.holders(market), now())
        comments = await self.data.comments(market, COMMENTS_LIMIT)
        return CommentsLoaded(market.id, comments, now())

    # ------------------------------------------------------------ the detail

    def open_interest(self, market: Market) -> None:
        if not self.data.offline:
            self.host.start_worker(partial(self._open_interest, market), "open-interest")

    async def _open_interest(self, market: Market) -> None:
        value = await self.data.open_interest(market)
        self.host.deliver(OpenInterestLoaded(market.id, value, self.host.clock()))
        self.host.succeeded("open-interest")

    # ------------------------------------------------------------ wallets

    def wallet(self, address: str) -> None:
        self.host.start_worker(partial(self._wallet, address), "wallet")

    def saved(self) -> None:
        self.host.start_worker(self._saved, "wallets")

    def save(self, address: str, label: str) -> None:
        self.host.start_worker(partial(self._save, address, label), "wallet-save",
                               exclusive=False)

    def remove(self, address: str) -> None:
        self.host.start_worker(partial(self._remove, address), "wallet-remove",
                               exclusive=False)

    async def _wallet(self, address: str) -> None:
        self.host.deliver(WalletLoaded(await self.data.wallet(address)))
        self.host.succeeded("wallet")

    async def _saved(self) -> None:
        self.host.deliver(SavedWalletsLoaded(await self.data.saved_wallets()))
        self.host.succeeded("wallets")

    async def _save(self, address: str, label: str) -> None:
        saved = await self.data.save_wallet(address, label)
        self.host.succeeded("wallet-save")
        self.host.toast(f"Saved wallet {saved.label or saved.address}.", title="Wallets")
        await self._saved()

    async def _remove(self, address: str) -> None:
        removed = await self.data.remove_wallet(address)
        if removed:
            self.host.toast(f"Removed wallet {address} from the saved wallets.",
                            title="Wallets")
        await self._saved()
