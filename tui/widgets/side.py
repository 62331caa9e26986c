"""The side column: the detail of one market above, the news that matters below.

It renders the App's results for the market it shows (previous visit, chart, book,
headlines) and asks for them with requests (DetailWanted, ChartWanted, BookWanted,
VisitSeen); the screen tells it which market and whether it is on screen.

It owns the outcome the detail follows (`switch_outcome`, the `O` key): the book is that
outcome's, and the chart marks or derives its line (the rule is in tui/view/outcomes.py).
A market opened afresh starts on its default outcome (Yes, or the leading one).

Its requests go to the App directly (`self.app.post_message`): Textual stops a
bubbling message at the node that created it, which would be the screen here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget

from tui import messages
from tui.clock import Clock
from tui.config import TradingViewConfig
from tui.models import Market, Outcome, Visit
from tui.view.catalog import Catalog
from tui.view.freshness import Freshness
from tui.view.outcomes import chart_for_outcome, chosen_outcome, next_outcome
from tui.widgets.detail import DetailPane
from tui.widgets.news import NewsPane
from tui.widgets.pacer import Pacer

if TYPE_CHECKING:
    from tui.widgets.trader_panes import TraderPane

DEFAULT_RANGE = "1w"
SWITCH_KEY = "O"  # the default key of the dashboard's "outcome-switch" binding
SideResult = (messages.DetailReady | messages.ChartLoaded | messages.BookLoaded
              | messages.NewsLoaded | messages.NewsStatus)
TraderResult = (messages.TradesLoaded | messages.HoldersLoaded | messages.CommentsLoaded
                | messages.OpenInterestLoaded)
LowerPane = Literal["news", "trades", "holders", "comments"]
TRADER_PANES: tuple[messages.TraderPaneKind, ...] = ("trades", "holders", "comments")


class SideColumn(Vertical):
    """DetailPane over NewsPane; `shown` says whether the screen shows the column."""

    # Cursor rests this long before the detail loads its chart and book (holding j
    # would otherwise start a request per row), longer while a filter is typed. Tests
    # set it to 0.
    DETAIL_DELAY: ClassVar[float] = 0.12
    TYPING_DETAIL_DELAY: ClassVar[float] = 0.6
    # A market shown this long in the side pane counts as viewed (for "since last visit").
    VIEW_DELAY: ClassVar[float] = 2.0
    # The detail re-renders and re-lays out every section: once a second at most.
    DETAIL_REFRESH_S: ClassVar[float] = 1.0

    def __init__(self, catalog: Catalog, *, clock: Clock,
                 tradingview: TradingViewConfig | None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.catalog = catalog
        self.clock = clock
        self.chart_range = DEFAULT_RANGE
        self.shown = False
        self._tradingview = tradingview
        self._pacer = Pacer(lambda delay, callback: self.set_timer(delay, callback))
        # Previous visits read when a market's detail first shows (before this visit).
        self._last_views: dict[str, Visit] = {}
        self._outcome_token: str | None = None  # None: the market's default outcome
        self._chart: messages.ChartLoaded | None = None  # as loaded, before the outcome's rule
        # The lower pane: the news, or one of the trader panes (T, H, C; N back).
        self.lower: LowerPane = "news"
        self._following: tuple[str, str] | None = None  # (pane, market id) the App refreshes

    @property
    def detail(self) -> DetailPane:
        return self.query_one("#detail", DetailPane)

    @property
    def news(self) -> NewsPane:
        return self.query_one("#news", NewsPane)

    @property
    def market(self) -> Market | None:
        return self.detail.market

    def compose(self) -> ComposeResult:
        yield DetailPane(id="detail", tradingview=self._tradingview)
        yield NewsPane(id="news")
        # The trader panes mount the first time one shows (show_lower): the first frame
        # neither imports nor composes them.

    def _showing(self, market_id: str) -> bool:
        market = self.detail.market
        return market is not None and market.id == market_id

    # ------------------------------------------------------------ what it shows

    @property
    def outcome(self) -> Outcome | None:
        """The outcome whose book the detail shows and whose chart line it marks."""
        market = self.detail.market
        return chosen_outcome(market, self._outcome_token) if market is not None else None

    @dataclass
    class Opened(Message):
        """The column shows another market (its prices must be watched)."""

        market_id: str

    def follow(self, current: Callable[[], Market | None], *, typing: bool) -> None:
        """The list's cursor moved: show its market once the cursor rests."""
        delay = self.DETAIL_DELAY
        if typing and delay > 0:
            delay = max(delay, self.TYPING_DETAIL_DELAY)
        self._pacer.debounce("detail", delay, lambda: self._follow_now(current()))

    def _follow_now(self, market: Market | None) -> None:
        if market is not None and self.shown and not self._showing(market.id):
            self.open(market, record=False)

    def open(self, market: Market, *, record: bool) -> None:
        """Show `market` (its default outcome) and ask for its previous visit, chart,
        book and news."""
        self._outcome_token, self._chart = None, None
        self.show(market)
        self._name_outcome()
        self.app.post_message(messages.DetailWanted(market, self.chart_range, record=record))
        self.post_message(self.Opened(market.id))
        self.sync_lower()
        if not record:
            self._pacer.debounce("visit", self.VIEW_DELAY, lambda: self._count_visit(market))

    def show(self, market: Market) -> None:
        last_view = self._last_views.get(market.id) or self.catalog.visits.get(market.id)
        self.detail.show_market(
            market,
            event_markets=self.catalog.event_markets(market),
            last_view=last_view,
            favorite=market.id in self.catalog.favorites,
            now=self.clock(),
        )

    def refresh_market(self) -> None:
        """Show the catalog's newest numbers for the market on screen."""
        market = self.detail.market
        if market is not None and market.id in self.catalog.markets and self.shown:
            self.show(self.catalog.markets[market.id])

    def prices_changed(self, market_ids: frozenset[str]) -> None:
        market = self.detail.market
        if market is not None and market.id in market_ids and self.shown:
            self._pacer.throttle("refresh", self.DETAIL_REFRESH_S, self.refresh_market)

    def switch_outcome_asked(self) -> None:
        """`O`: the other outcome, or why there is none to switch to."""
        if not self.shown or self.detail.market is None:
            self.notify("Open a market first, then press O to switch its outcome.",
                        markup=False)
        elif self.switch_outcome() is None:
            self.notify("This market has only one outcome to show.", markup=False)

    def switch_outcome(self) -> Outcome | None:
        """Follow the market's next outcome: its book (asked for now) and its chart line.
        None when there is nothing to switch to."""
        market = self.detail.market
        after = next_outcome(market, self._outcome_token) if market is not None else None
        if market is None or after is None:
            return None
        self._outcome_token = after.token_id
        self._name_outcome()
        self.detail.set_book(None, loading=True)  # never the other outcome's numbers
        chart = self.detail.chart
        # A range on its way is drawn when it lands; a failed load keeps saying why.
        if not chart.pending and chart.error is None:
            self._show_chart()
        self.app.post_message(messages.BookWanted(market, after.token_id))
        return after

    def _name_outcome(self) -> None:
        """ "Order book · Yes … O: No": the book names its outcome and the next one."""
        market, chosen = self.detail.market, self.outcome
        if market is None:
            return
        after = next_outcome(market, self._outcome_token)
        hint = f"{SWITCH_KEY}: {after.name}" if after is not None else ""
        self.detail.book_view.set_outcome(chosen.name if chosen else "", hint)

    def cancel_visit(self) -> None:
        self._pacer.cancel("visit")

    def _count_visit(self, market: Market) -> None:
        if self._showing(market.id) and self.shown:
            self.app.post_message(messages.VisitSeen(market))

    def tick(self, now: datetime) -> None:
        if self.shown and self.detail.market is not None:
            self.detail.refresh_ages(now)

    # ------------------------------------------------------------ results

    def show_result(self, message: SideResult) -> None:
        """A result of the App's for the detail or the news (the screen routes them)."""
        match message:
            case messages.DetailReady():
                self.detail_ready(message)
            case messages.ChartLoaded():
                self.chart_loaded(message)
            case messages.BookLoaded():
                self.book_loaded(message)
            case messages.NewsLoaded():
                self.news_loaded(message)
            case messages.NewsStatus():
                self.news.set_status(message.text)

    def freshness_changed(self, before: Freshness, after: Freshness) -> None:
        self.detail.freshness = after
        if after.issue("book") is not None and before.issue("book") is None:
            self.detail.set_book(None)
        chart = after.issue("chart")
        if chart is not None and chart != before.issue("chart"):
            self.detail.set_chart_error(chart.sentence)  # instead of a stale chart
        for kind in self._trader_panes_mounted():
            issue = after.issue(kind)
            if issue is not None and issue != before.issue(kind):
                self.trader_pane(kind).failed(issue.sentence)
        market = self.detail.market
        if after.stream == "DOWN" and before.stream != "DOWN" and market is not None \
                and self.shown:
            # The live book stopped: a /book snapshot of the same outcome.
            self.app.post_message(messages.BookWanted(market, self._outcome_token))

    def detail_ready(self, message: messages.DetailReady) -> None:
        """The visit before this one (from SQLite): the detail shows the change since."""
        if message.last_view is None or message.market.id in self._last_views:
            return
        self._last_views[message.market.id] = message.last_view
        market = self.detail.market
        if market is not None and market.id == message.market.id and self.shown:
            self.show(self.catalog.markets.get(market.id, market))

    def chart_loaded(self, message: messages.ChartLoaded) -> None:
        if self._showing(message.market_id):
            self._chart = message
            self._show_chart()

    def _show_chart(self) -> None:
        """The last chart loaded, as the chosen outcome reads it."""
        chart, market = self._chart, self.detail.market
        if chart is None or market is None or chart.market_id != market.id:
            return
        series, labels = chart_for_outcome(market, chart.series, chart.labels,
                                           self._outcome_token)
        self.detail.set_chart(series, labels, chart.range_)

    def book_loaded(self, message: messages.BookLoaded) -> None:
        book, outcome = message.book, self.outcome
        if not self._showing(message.market_id):
            return
        if book is not None and outcome is not None and book.token_id != outcome.token_id:
            return  # the previous outcome's book, landing late
        self.detail.set_book(book, live=message.live)

    def news_loaded(self, message: messages.NewsLoaded) -> None:
        news = self.news
        if message.stored:
            news.set_headlines(message.headlines, now=self.clock(), demo=message.demo,
                               subject=message.subject, empty=message.empty)
        else:
            news.add_headlines(message.headlines, self.clock())
            if not news.headlines and message.empty:
                news.list.empty_message = message.empty
                news.list.refresh()
        news.set_status(message.status)

    def select_range(self, range_: str) -> None:
        self.chart_range = range_
        if self.shown and self.detail.market is not None:
            self.detail.select_range(range_)  # the pane posts RangeChanged: load follows

    @on(DetailPane.RangeChanged)
    def _range_changed(self, message: DetailPane.RangeChanged) -> None:
        self.chart_range = message.range_
        market = self.detail.market
        if market is not None:
            self.app.post_message(messages.ChartWanted(market, message.range_))

    # ------------------------------------------------------------ the lower pane

    def trader_pane(self, kind: messages.TraderPaneKind) -> TraderPane:
        """A mounted trader pane (show_lower mounts it)."""
        from tui.widgets.trader_panes import TraderPane

        return self.query_one(f"#{kind}-pane", TraderPane)

    def _trader_panes_mounted(self) -> list[messages.TraderPaneKind]:
        return [kind for kind in TRADER_PANES if self.query(f"#{kind}-pane")]

    async def mount_trader_pane(self, kind: messages.TraderPaneKind) -> None:
        if kind not in self._trader_panes_mounted():
            from tui.widgets.trader_panes import TraderPane

            await self.mount(TraderPane(kind, id=f"{kind}-pane", classes="-hidden"))

    @property
    def lower_list(self) -> Widget:
        """The list of the lower pane (Tab reaches it)."""
        return self.news.list if self.lower == "news" else self.trader_pane(self.lower).list

    async def show_lower(self, pane: LowerPane) -> None:
        """Show `pane` under the detail: the news, or a trader pane of its market."""
        if pane != "news":
            await self.mount_trader_pane(pane)
        self.lower = pane
        self.news.display = pane == "news"
        for kind in self._trader_panes_mounted():
            self.trader_pane(kind).set_class(kind != pane, "-hidden")
        self.set_class(pane != "news", "-trader")
        self.detail.set_under_pane(pane != "news")
        self.sync_lower()

    def sync_lower(self) -> None:
        """Ask the App to keep the trader pane on screen fresh, or to stop refreshing
        when none shows (the news is back, or the column is hidden)."""
        market = self.detail.market
        wanted = None
        if self.lower != "news" and self.shown and market is not None:
            wanted = (self.lower, market.id)
        if wanted == self._following:
            return
        self._following = wanted
        if self.lower == "news" or market is None or wanted is None:
            self.app.post_message(messages.TraderPaneWanted(None, None))
            return
        pane = self.trader_pane(self.lower)
        if pane.market_id != market.id:
            freshness = self.detail.freshness
            pane.start(market.id, self.clock(),
                       offline=freshness is not None and freshness.start == "offline")
        self.app.post_message(messages.TraderPaneWanted(self.lower, market))

    def trader_result(self, message: TraderResult) -> None:
        """A result of the App's for a trader pane or the detail's open interest."""
        match message:
            case messages.OpenInterestLoaded():
                self.detail.set_open_interest(message.market_id, message.value)
            case messages.TradesLoaded():
                self.trader_pane("trades").loaded(message.market_id, message.trades,
                                                  message.at)
            case messages.HoldersLoaded():
                self.trader_pane("holders").loaded(message.market_id, message.groups,
                                                   message.at)
            case messages.CommentsLoaded():
                self.trader_pane("comments").loaded(message.market_id, message.comments,
                                                    message.at)

    def tick_lower(self, now: datetime) -> None:
        """The trader pane's age ("12s ago") follows the clock."""
        if self.lower != "news" and self.shown:
            self.trader_pane(self.lower).tick(now)
