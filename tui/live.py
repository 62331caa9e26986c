"""The live feeds of the dashboard: the news pane, the market-channel websocket, alerts.

`LiveFeeds` is a mixin of PolydashApp, kept apart so that app.py stays about the
market list and its refresh loop. It follows the app's rules: network and database
work runs in async workers (exclusive, grouped, exit_on_error=False); results reach the
main screen as messages; a failed worker becomes a sentence through the app's
`on_worker_state_changed`.

- News: the pane follows the selected market (stored headlines at once, then a fetch
  after NEWS_DEBOUNCE_S of rest, then every `[refresh] news_s`).
- Stream: ticks are gathered and posted as one PricesUpdated every LIVE_FLUSH_S; the
  selected outcome's book follows the websocket; REST polling covers what the stream
  does not (all of it while the stream is down).
- Alerts: a fired alert is a toast (plain text: market names are data) and the bell.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual import work

from tui.messages import BookLoaded, LiveState, NewsLoaded, Notice, PricesUpdated
from tui.models import Market
from tui.services.http import ApiError
from tui.widgets.news import NewsPane

if TYPE_CHECKING:
    from textual.worker import Worker

    from tui.config import Config
    from tui.screens.alert_form import AlertForm
    from tui.screens.alerts import AlertsScreen
    from tui.screens.main import MainScreen
    from tui.services.alerts import AlertFired, AlertService, AlertSpec
    from tui.services.market_data import MarketData
    from tui.services.stream import MarketStream, StreamEvent

log = logging.getLogger("polydash.live")

NEWS_DEBOUNCE_S = 1.5  # the cursor rests this long on a market before its news is fetched
LIVE_FLUSH_S = 0.25  # websocket ticks become one repaint at most this often
ALERT_CLOCK_S = 60.0  # "ends within" alerts are checked against the clock this often
BOOK_DEPTH = 10


class LiveFeeds:
    """News, live prices and alerts for PolydashApp (a mixin: `self` is the app)."""

    if TYPE_CHECKING:
        config: Config
        data: MarketData
        clock: Callable[[], datetime]

        @property
        def main(self) -> MainScreen: ...
        def _schedule(self, task: str, delay: float, callback: Callable[[], None]) -> None: ...
        def _succeeded(self, task: Any) -> None: ...
        def set_interval(self, *args: Any, **kwargs: Any) -> Any: ...
        def run_worker(self, *args: Any, **kwargs: Any) -> Worker[Any]: ...
        def notify(self, *args: Any, **kwargs: Any) -> None: ...
        def bell(self) -> None: ...
        @property
        def workers(self) -> Any: ...

    def _init_live(self) -> None:
        make_stream = getattr(self.data, "make_stream", None)
        self.stream: MarketStream | None = make_stream() if callable(make_stream) else None
        self.alerts: AlertService | None = getattr(self.data, "alerts", None)
        self._live_prices: dict[str, float] = {}
        self._book_of: tuple[str, str] | None = None  # (market id, token) the detail shows
        self._book_dirty = False
        self._news_market: Market | None = None

    def _start_live(self) -> None:
        if self.stream is not None:
            self.stream.add_listener(self._on_stream)
            self.run_worker(self.stream.run(), name="stream", group="stream",
                            exclusive=True, exit_on_error=False)
            self.set_interval(LIVE_FLUSH_S, self._flush_live, name="live-flush")
        if self.alerts is not None:
            self.alerts.add_listener(self._on_alert)
            self.set_interval(ALERT_CLOCK_S, self._check_alert_times, name="alert-clock")
        self.select_news(None)

    async def _stop_live(self) -> None:
        """Close the websocket before the app's loop moves on: its sockets shut cleanly
        and the ticks still buffered reach price history (the store closes after us)."""
        if self.stream is not None:
            await self.stream.close()

    # ------------------------------------------------------------ tokens

    def watched_tokens(self) -> list[str]:
        """What needs prices: favorites, the selected market, visible rows, alerts."""
        alerts = sorted(self.alerts.tokens) if self.alerts is not None else []
        return list(dict.fromkeys([*self.main.price_tokens(), *alerts]))

    def poll_tokens(self) -> list[str]:
        """The watched tokens REST polling must cover: those no live socket prices."""
        tokens = self.watched_tokens()
        return self.stream.uncovered(tokens) if self.stream is not None else tokens

    def sync_stream(self) -> None:
        """Subscribe the websocket to exactly the watched tokens (it batches changes)."""
        if self.stream is not None:
            self.stream.set_tokens(self.watched_tokens())

    # ------------------------------------------------------------ stream

    def _on_stream(self, event: StreamEvent) -> None:
        """Called by the stream for every event, on the event loop: only bookkeeping."""
        from tui.services.stream import BookUpdate, PriceTick, StateChange

        if isinstance(event, PriceTick):
            self._live_prices[event.token_id] = event.price
        elif isinstance(event, BookUpdate):
            if self._book_of is not None and event.token_id == self._book_of[1]:
                self._book_dirty = True
        elif isinstance(event, StateChange):
            self.main.post_message(LiveState(event.state.value, event.reason))

    def _flush_live(self) -> None:
        if self._live_prices:
            prices, self._live_prices = self._live_prices, {}
            self.main.post_message(PricesUpdated(prices, self.clock()))
        if self._book_dirty and self._book_of is not None and self.stream is not None:
            self._book_dirty = False
            market_id, token = self._book_of
            book = self.stream.book(token, depth=BOOK_DEPTH)
            if book is not None:
                self.main.post_message(BookLoaded(market_id, book, live=True))

    def live_book_message(self, market: Market, token: str) -> BookLoaded | None:
        """The websocket's book of `token` when it has one (the detail then follows it)."""
        self._book_of = (market.id, token)
        self._book_dirty = False
        book = self.stream.book(token, depth=BOOK_DEPTH) if self.stream is not None else None
        return BookLoaded(market.id, book, live=True) if book is not None else None

    # ------------------------------------------------------------ news

    def select_news(self, market: Market | None) -> None:
        """The news pane follows `market` (None: the favorites' topics and market news)."""
        self._news_market = market
        self.workers.cancel_group(self, "news")
        self.load_stored_news(market)
        if not self.data.offline:
            self._schedule("news", NEWS_DEBOUNCE_S, self._next_news)

    def _next_news(self) -> None:
        self.refresh_news(self._news_market)

    def refresh_news_now(self) -> None:
        """`r`: fetch the pane's news at once (providers keep their own pacing and cache)."""
        if not self.data.offline:
            self._next_news()

    @work(group="news-cache", exclusive=True, exit_on_error=False)
    async def load_stored_news(self, market: Market | None) -> None:
        headlines = await self.data.stored_news(market.id if market else None)
        if market is not self._news_market:
            return  # the selection moved on while SQLite answered
        self.main.post_message(NewsLoaded(
            headlines, self.data.news_status(), stored=True, demo=self.data.demo,
            subject=market.title if market else "favorites and market news",
            empty="No saved headlines yet." if self.data.offline else "Looking for news…"))

    @work(group="news", exclusive=True, exit_on_error=False)
    async def refresh_news(self, market: Market | None) -> None:
        catalog = self.main.catalog
        favorites = [] if market else [catalog.markets[i] for i in sorted(catalog.favorites)
                                       if i in catalog.markets]
        try:
            headlines = await self.data.news_for(market, favorites)
        except ApiError as error:  # the pane's status line says which source and when
            log.info("news: %s", error)
            headlines = []
        if market is not self._news_market:
            return  # a late answer for another market is dropped
        self.main.post_message(NewsLoaded(headlines, self.data.news_status(), stored=False,
                                          empty="No matching headlines right now."))
        self._schedule("news", self.config.refresh.news_s, self._next_news)

    def on_news_pane_opened(self, message: NewsPane.Opened) -> None:
        self.mark_news_read(message.headline.url)

    @work(group="news-read", exit_on_error=False)
    async def mark_news_read(self, url: str) -> None:
        await self.data.mark_news_read(url)

    # ------------------------------------------------------------ alerts

    def _on_alert(self, fired: AlertFired) -> None:
        self.notify(fired.message, title="Alert", severity="warning", markup=False,
                    timeout=10)
        self.bell()

    def _check_alert_times(self) -> None:
        if self.alerts is not None:
            self.alerts.check_time(self.clock())

    def on_alert_form_submitted(self, message: AlertForm.Submitted) -> None:
        self.save_alert(message.spec)

    def on_alerts_screen_deleted(self, message: AlertsScreen.Deleted) -> None:
        self.sync_stream()

    @work(group="alert", exit_on_error=False)
    async def save_alert(self, spec: AlertSpec) -> None:
        from tui.screens.alert_form import describe_spec

        if self.alerts is None:
            self.main.post_message(Notice("Alerts are not available here."))
            return
        try:
            await self.alerts.add(spec)
        except ValueError as error:  # the form checks first; this is the service's word
            reason = str(error).rstrip(".")
            self.main.post_message(Notice(f"Could not set the alert: {reason}."))
            return
        self._succeeded("alert")
        # A toast, not the status line: the sentence holds the whole question.
        self.notify(describe_spec(spec), title="Alert", markup=False)
        self.sync_stream()
        if spec.kind == "ends":  # no price needed: it may be due already
            self.alerts.check_time(self.clock())
