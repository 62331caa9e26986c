"""The messages of the one-way flow (typed dataclasses).

Requests go up: screens and widgets post them (they bubble to the App), carrying all
the App needs, so the App never reads a screen's state. The App answers each with a
worker whose result is posted to the main screen as a result message (no bubbling).
Tests see both kinds through `run_test(message_hook=...)`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from textual.message import Message

from tui.models import Headline, Market, OrderBook, PricePoint, Visit
from tui.trader_models import Comment, HolderGroup, SavedWallet, Trade, WalletReport
from tui.view.freshness import Freshness

if TYPE_CHECKING:
    from tui.services.alert_rules import AlertSpec

Source = Literal["cache", "live", "demo"]
LinkKind = Literal["polymarket", "tradingview", "copy"]
# What the side column's lower pane shows besides the news (tui/widgets/trader_panes.py).
TraderPaneKind = Literal["trades", "holders", "comments"]

# ------------------------------------------------------------------ requests (bubble up)


@dataclass
class DetailWanted(Message):
    """Show `market` in the detail: its previous visit, chart, book and news.
    `record`: the user opened it (Enter), so this visit counts at once."""

    market: Market
    range_: str
    record: bool = False


@dataclass
class ChartWanted(Message):
    market: Market
    range_: str


@dataclass
class BookWanted(Message):
    """The book of `market`'s outcome `token` for the detail (another outcome was chosen,
    the live one stopped, or none yet). None: the default outcome (Yes, or the leading)."""

    market: Market
    token: str | None = None


@dataclass
class VisitSeen(Message):
    """The market stayed on screen long enough to count as viewed."""

    market: Market


@dataclass
class TokensWatched(Message):
    """What needs live prices now: favorites, the selected market, visible rows."""

    tokens: tuple[str, ...]


@dataclass
class SparklinesWanted(Message):
    tokens: tuple[str, ...]


@dataclass
class NewsWanted(Message):
    """The news pane follows `market` (None: the favorites' topics and market news)."""

    market: Market | None
    favorites: tuple[Market, ...] = ()


@dataclass
class SearchWanted(Message):
    query: str


@dataclass
class FavoriteWanted(Message):
    """Toggle `market` in the favorites."""

    market: Market


@dataclass
class LinkWanted(Message):
    kind: LinkKind
    market: Market | None


@dataclass
class ArticleWanted(Message):
    """Open a headline's article (or copy its link): the App marks it read."""

    url: str
    copy: bool = False


@dataclass
class AlertFormWanted(Message):
    """Open the form that sets an alert on `market`."""

    market: Market


@dataclass
class AlertsWanted(Message):
    """Open the alerts screen."""


# The alert screens post these two; defined here so the App handles them without
# importing the screens before one opens.
@dataclass
class AlertSaveWanted(Message):
    """The alert form's answer: store this alert (AlertService.add)."""

    spec: AlertSpec


@dataclass
class AlertDeleted(Message):
    """An alert was deleted in the alerts screen (the service has forgotten it already)."""

    alert_id: int


@dataclass
class UiStateChanged(Message):
    """What the user chose (view, sort, direction, grouping): kept for the next start."""

    state: Mapping[str, str]


@dataclass
class RefreshWanted(Message):
    """`r`: refresh the list, prices and news now."""


@dataclass
class TraderPaneWanted(Message):
    """The side column's lower pane shows `pane` of `market` now (refreshed while it
    shows); `pane` None: it shows the news again, so the refreshes stop."""

    pane: TraderPaneKind | None
    market: Market | None


@dataclass
class WalletWanted(Message):
    """Open the wallet view of `address` (normalized: the UI checked it) and load it."""

    address: str
    label: str = ""


@dataclass
class WalletReloadWanted(Message):
    """Load `address`'s report again for the wallet view on screen."""

    address: str


@dataclass
class WalletTokensWatched(Message):
    """The wallet view on screen holds these tokens: price them live (() when it goes)."""

    tokens: tuple[str, ...]


@dataclass
class WalletsWanted(Message):
    """Open the saved wallets view."""


@dataclass
class WalletSaveWanted(Message):
    """Save `address` with `label` (a saved one is renamed)."""

    address: str
    label: str


@dataclass
class WalletRemoveWanted(Message):
    address: str


@dataclass
class MarketWanted(Message):
    """Show this market (of a wallet's position) in the dashboard, if it is listed."""

    token_id: str
    condition_id: str
    title: str


# ------------------------------------------------------------------ results (to the screen)


@dataclass
class MarketsLoaded(Message, bubble=False):
    """A full market list: from SQLite at start, or a fresh one from the API."""

    markets: Sequence[Market]
    fetched_at: datetime | None
    source: Source


@dataclass
class MarketsPage(Message, bubble=False):
    """Part of a list still loading, to merge into what shows: the first screenful from
    SQLite, or a page from the API. `loaded` markets of this load have arrived so far;
    a MarketsLoaded with the whole list ends the load."""

    markets: Sequence[Market]
    fetched_at: datetime | None
    source: Source
    loaded: int


@dataclass
class PricesUpdated(Message, bubble=False):
    """New prices by token id. A burst of these coalesces into one (merged) message."""

    prices: Mapping[str, float]
    at: datetime

    def can_replace(self, message: Message) -> bool:
        # Called on the older pending message with the newer one: fold ours into it so
        # a backlog of ticks becomes one repaint with every price.
        if isinstance(message, PricesUpdated):
            message.prices = {**self.prices, **message.prices}
            return True
        return False


@dataclass
class SparklinesLoaded(Message, bubble=False):
    series: Mapping[str, Sequence[float]]


@dataclass
class UiStateLoaded(Message, bubble=False):
    """The view, sort, direction, grouping and theme saved by the previous session."""

    state: Mapping[str, str]


@dataclass
class FavoritesLoaded(Message, bubble=False):
    ids: set[str]


@dataclass
class FavoriteToggled(Message, bubble=False):
    market_id: str
    favorite: bool


@dataclass
class VisitsLoaded(Message, bubble=False):
    visits: Sequence[Visit]


@dataclass
class DetailReady(Message, bubble=False):
    """The selected market with the price seen at the previous visit."""

    market: Market
    last_view: Visit | None


@dataclass
class ChartLoaded(Message, bubble=False):
    market_id: str
    range_: str
    series: Mapping[str, Sequence[PricePoint]]
    labels: Mapping[str, str]


@dataclass
class BookLoaded(Message, bubble=False):
    market_id: str
    book: OrderBook | None
    live: bool = False  # from the websocket (else a /book snapshot)


@dataclass
class NewsLoaded(Message, bubble=False):
    """Headlines for the news pane and its provider status line. `stored` ones (from
    SQLite, for a new subject) replace the list; fresh ones merge in live."""

    headlines: Sequence[Headline]
    status: str
    stored: bool
    subject: str = ""
    empty: str = ""  # what the pane says while it has no headline
    demo: bool = False


@dataclass
class NewsStatus(Message, bubble=False):
    """The news providers' line changed ("GDELT: rate limited, next try in 40 s")."""

    text: str


@dataclass
class SearchFinished(Message, bubble=False):
    query: str
    markets: Sequence[Market]


@dataclass
class FreshnessChanged(Message, bubble=False):
    """The freshness model moved: the status line and the detail show it."""

    freshness: Freshness


@dataclass
class Notice(Message, bubble=False):
    """A one-off sentence for the status line (search results, links, nothing to do)."""

    sentence: str


@dataclass
class TradesLoaded(Message, bubble=False):
    """The newest fills of `market_id`, newest first, fetched at `at`."""

    market_id: str
    trades: Sequence[Trade]
    at: datetime


@dataclass
class HoldersLoaded(Message, bubble=False):
    market_id: str
    groups: Sequence[HolderGroup]
    at: datetime


@dataclass
class CommentsLoaded(Message, bubble=False):
    """Comments on `market_id`'s event, newest first."""

    market_id: str
    comments: Sequence[Comment]
    at: datetime


@dataclass
class OpenInterestLoaded(Message, bubble=False):
    """The USD value of `market_id`'s outstanding shares (None: the API has none)."""

    market_id: str
    value: float | None
    at: datetime


@dataclass
class WalletLoaded(Message, bubble=False):
    """A wallet's report, for the wallet view showing `report.address`."""

    report: WalletReport


@dataclass
class SavedWalletsLoaded(Message, bubble=False):
    """The saved wallets, for the wallet views (labels) and the Wallets list."""

    wallets: Sequence[SavedWallet]
