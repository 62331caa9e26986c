"""App-wide messages: what the workers found, posted to the main screen (no bubbling).

Workers never touch widgets; they post one of these and the screen renders it. Tests
see them through `run_test(message_hook=...)`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from textual.message import Message

from tui.models import Headline, Market, OrderBook, PricePoint

Source = Literal["cache", "live", "demo"]
Task = Literal["markets", "prices", "sparklines", "chart", "book", "search", "favorite",
               "detail", "visit", "link", "cache", "news", "news-cache", "news-read",
               "stream", "alert"]


@dataclass
class MarketsLoaded(Message, bubble=False):
    """A full market list: from SQLite at start, or a fresh one from the API."""

    markets: Sequence[Market]
    fetched_at: datetime | None
    source: Source


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
class FavoritesLoaded(Message, bubble=False):
    ids: set[str]


@dataclass
class FavoriteToggled(Message, bubble=False):
    market_id: str
    favorite: bool


@dataclass
class VisitsLoaded(Message, bubble=False):
    visits: Sequence[object]  # store View records: market_id, viewed_at, price


@dataclass
class DetailReady(Message, bubble=False):
    """The selected market with the price seen at the previous visit."""

    market: Market
    last_view: object | None


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
class LiveState(Message, bubble=False):
    """The websocket's state changed: LIVE, CONNECTING, DOWN (with a reason) or IDLE."""

    state: str
    reason: str = ""


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
class SearchFinished(Message, bubble=False):
    query: str
    markets: Sequence[Market]


@dataclass
class Problem(Message, bubble=False):
    """A task failed. `sentence` is for people; `retry_at` is when it is tried again."""

    task: Task
    sentence: str
    retry_at: datetime | None = None


@dataclass
class Recovered(Message, bubble=False):
    """A task that had failed worked again."""

    task: Task


@dataclass
class Notice(Message, bubble=False):
    """A one-off sentence for the status line (search results, links, nothing to do)."""

    sentence: str
    at: datetime | None = None
    extra: Mapping[str, object] = field(default_factory=dict)
