"""The feeds of the dashboard, as small objects the App owns.

- `MarketFeed`: the market list from SQLite at once (a screenful first), then from the
  API (page by page the first time) every `[refresh] markets_s`, and REST prices of the
  watched tokens every `prices_s`; a failed refresh is retried with backoff (5 s
  doubling to 5 min).
- `DetailFeed`: what the detail shows of one market (previous visit, chart, book) and
  the list's sparklines, each in its own exclusive worker group.
- `NewsFeed`: the news pane follows the selected market (stored headlines at once, a
  fetch after NEWS_DEBOUNCE_S of rest, then every `[refresh] news_s`).
- `PriceFeed`: the market-channel websocket. Ticks are gathered and posted as one
  PricesUpdated every LIVE_FLUSH_S; the detail's book follows the socket; REST polling
  covers the watched tokens the socket does not price.
- `UiStateFeed`: the view, sort and theme the user chose, kept for the next start.
- `AlertFeed`: a fired alert is a toast (plain text: market names are data) and the
  bell; "ends within" alerts are checked against the clock.

They follow the App's rules: network and database work runs in the App's workers
(exclusive, grouped, exit_on_error=False), results reach the main screen through
`Host.deliver`, and a failed worker becomes a problem in the App's one failure handler.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from functools import partial
from typing import TYPE_CHECKING, Protocol

from tui.clock import Clock
from tui.messages import (
    BookLoaded,
    BookWanted,
    ChartLoaded,
    ChartWanted,
    DetailReady,
    DetailWanted,
    FavoritesLoaded,
    MarketsLoaded,
    MarketsPage,
    NewsLoaded,
    NewsStatus,
    PricesUpdated,
    Source,
    SparklinesLoaded,
    SparklinesWanted,
    UiStateLoaded,
    VisitSeen,
    VisitsLoaded,
)
from tui.models import Market
from tui.services.backoff import Backoff
from tui.services.errors import ApiError
from tui.services.source import DataSource
from tui.view.freshness import REFRESH_TASKS, StreamChanged, StreamStatus
from tui.view.outcomes import chosen_outcome

if TYPE_CHECKING:
    from textual.message import Message

    from tui.services.alert_rules import AlertSpec
    from tui.services.alerts import AlertFired, AlertService
    from tui.services.stream import MarketStream
    from tui.services.stream_protocol import StreamEvent

log = logging.getLogger("polydash.feeds")

NEWS_DEBOUNCE_S = 1.5  # the cursor rests this long on a market before its news is fetched
NEWS_STATUS_S = 5.0  # "GDELT: rate limited, next try in 40 s" counts down this often
LIVE_FLUSH_S = 0.25  # websocket ticks become one repaint at most this often
ALERT_CLOCK_S = 60.0  # "ends within" alerts are checked against the clock this often
BOOK_DEPTH = 10
FIRST_SCREENFUL = 100  # markets read from SQLite before the rest: a tall terminal's rows


class Host(Protocol):
    """What a feed needs from the App."""

    clock: Clock

    def deliver(self, message: Message) -> None: ...
    def start_worker(self, work: Callable[[], Awaitable[None]], group: str, *,
                     exclusive: bool = True) -> None: ...
    def every(self, seconds: float, callback: Callable[[], object], name: str) -> None: ...
    def after(self, task: str, seconds: float, callback: Callable[[], None]) -> None: ...
    def after_paint(self, callback: Callable[[], None]) -> None: ...
    def stream_changed(self, event: StreamChanged) -> None: ...
    def succeeded(self, task: str) -> None: ...
    def toast(self, text: str, *, title: str, warning: bool = False) -> None: ...


class NewsFeed:
    def __init__(self, host: Host, data: DataSource, *, every_s: float) -> None:
        self.host, self.data, self.every_s = host, data, every_s
        self.market: Market | None = None
        self.favorites: tuple[Market, ...] = ()
        self._status = ""
        self._started = False

    def start(self) -> None:
        """The status ticks, and the news of the subject the screen named meanwhile
        (general news if none). The App starts this feed once the first list shows:
        until then a subject is only remembered, so the news stack need not load."""
        self._started = True
        self.host.every(NEWS_STATUS_S, self._status_tick, name="news-status")
        self.follow(self.market, self.favorites)

    def follow(self, market: Market | None, favorites: tuple[Market, ...]) -> None:
        """The pane's subject changed: stored headlines now, a fetch after a pause."""
        self.market, self.favorites = market, favorites
        if not self._started:
            return
        self.host.start_worker(partial(self._load_stored, market), "news-cache")
        if not self.data.offline:
            self.host.after("news", NEWS_DEBOUNCE_S, self.refresh)

    def refresh(self) -> None:
        """Fetch the subject's news now (providers keep their own pacing and cache)."""
        if self._started and not self.data.offline:
            self.host.start_worker(partial(self._fetch, self.market, self.favorites), "news")

    def mark_read(self, url: str) -> None:
        self.host.start_worker(partial(self._mark_read, url), "news-read", exclusive=False)

    def _status_tick(self) -> None:
        text = self.data.news_status()
        if text != self._status:
            self._status = text
            self.host.deliver(NewsStatus(text))

    async def _load_stored(self, market: Market | None) -> None:
        headlines = await self.data.stored_news(market.id if market else None)
        if market is not self.market:
            return  # the selection moved on while SQLite answered
        self._status = self.data.news_status()
        self.host.deliver(NewsLoaded(
            headlines, self._status, stored=True, demo=self.data.demo,
            subject=market.title if market else "favorites and market news",
            empty="No saved headlines yet." if self.data.offline else "Looking for news…"))

    async def _fetch(self, market: Market | None, favorites: tuple[Market, ...]) -> None:
        try:
            headlines = await self.data.news_for(market, [] if market else favorites)
        except ApiError as error:  # the pane's status line says which source and when
            log.info("news: %s", error)
            headlines = []
        if market is not self.market:
            return  # a late answer for another market is dropped
        self._status = self.data.news_status()
        self.host.deliver(NewsLoaded(headlines, self._status, stored=False,
                                     empty="No matching headlines right now."))
        self.host.after("news", self.every_s, self.refresh)

    async def _mark_read(self, url: str) -> None:
        await self.data.mark_news_read(url)


class PriceFeed:
    """The websocket's prices and books; `stream` is None where there is no live feed.

    With `make_stream`, the stream (and the websocket stack it imports) is made only by
    `start`, which the App calls once the first rows are on screen."""

    def __init__(self, host: Host, stream: MarketStream | None = None, *,
                 make_stream: Callable[[], MarketStream | None] | None = None) -> None:
        self.host, self.stream = host, stream
        self._make_stream = make_stream
        self._tokens: list[str] = []  # what watch() asked for, for a stream made later
        self._ticks: dict[str, float] = {}
        self._book_of: tuple[str, str] | None = None  # (market id, token) the detail shows
        self._book_dirty = False

    def start(self) -> None:
        if self.stream is None and self._make_stream is not None:
            self.stream, self._make_stream = self._make_stream(), None
            if self.stream is not None and self._tokens:
                self.stream.set_tokens(self._tokens)
        if self.stream is None:
            return
        self.stream.add_listener(self._on_event)
        self.host.start_worker(self.stream.run, "stream")
        self.host.every(LIVE_FLUSH_S, self.flush, name="live-flush")

    async def stop(self) -> None:
        """Close the websocket before the app's loop moves on: its sockets shut cleanly
        and the ticks still buffered reach price history (the store closes after us)."""
        if self.stream is not None:
            await self.stream.close()

    def watch(self, tokens: list[str]) -> None:
        """Subscribe the websocket to exactly these tokens (it batches changes)."""
        self._tokens = tokens
        if self.stream is not None:
            self.stream.set_tokens(tokens)

    def uncovered(self, tokens: list[str]) -> list[str]:
        """The tokens REST polling must cover: those no live socket prices."""
        return self.stream.uncovered(tokens) if self.stream is not None else tokens

    def live_book(self, market: Market, token: str) -> BookLoaded | None:
        """The websocket's book of `token` when it has one (the detail then follows it)."""
        self._book_of = (market.id, token)
        self._book_dirty = False
        book = self.stream.book(token, depth=BOOK_DEPTH) if self.stream is not None else None
        return BookLoaded(market.id, book, live=True) if book is not None else None

    def _on_event(self, event: StreamEvent) -> None:
        """Called by the stream for every event, on the event loop: only bookkeeping."""
        from tui.services.stream_protocol import BookUpdate, PriceTick, StateChange

        if isinstance(event, PriceTick):
            self._ticks[event.token_id] = event.price
        elif isinstance(event, BookUpdate):
            if self._book_of is not None and event.token_id == self._book_of[1]:
                self._book_dirty = True
        elif isinstance(event, StateChange):
            status: StreamStatus = event.state.value  # type: ignore[assignment]
            self.host.stream_changed(StreamChanged(status, self.host.clock(), event.reason))

    def flush(self) -> None:
        if self._ticks:
            prices, self._ticks = self._ticks, {}
            self.host.deliver(PricesUpdated(prices, self.host.clock()))
        if self._book_dirty and self._book_of is not None and self.stream is not None:
            self._book_dirty = False
            market_id, token = self._book_of
            book = self.stream.book(token, depth=BOOK_DEPTH)
            if book is not None:
                self.host.deliver(BookLoaded(market_id, book, live=True))


class AlertFeed:
    """Alerts: `service` is None where they are not available."""

    def __init__(self, host: Host, service: AlertService | None) -> None:
        self.host, self.service = host, service

    @property
    def tokens(self) -> list[str]:
        return sorted(self.service.tokens) if self.service is not None else []

    def start(self) -> None:
        if self.service is None:
            return
        self.service.add_listener(self._fired)
        self.host.every(ALERT_CLOCK_S, self.check_time, name="alert-clock")

    def check_time(self) -> None:
        if self.service is not None:
            self.service.check_time(self.host.clock())

    def _fired(self, fired: AlertFired) -> None:
        self.host.toast(fired.message, title="Alert", warning=True)

    async def save(self, spec: AlertSpec, on_saved: Callable[[], None]) -> str | None:
        """Save `spec`; the sentence of why not, or None when saved."""
        if self.service is None:
            return "Alerts are not available here."
        try:
            await self.service.add(spec)
        except ValueError as error:  # the form checks first; this is the service's word
            return f"Could not set the alert: {str(error).rstrip('.')}."
        on_saved()
        if spec.kind == "ends":  # no price needed: it may be due already
            self.check_time()
        return None


class MarketFeed:
    """The list and its REST prices; `watched` is what the screen last asked to price."""

    def __init__(self, host: Host, data: DataSource, prices: PriceFeed, alerts: AlertFeed,
                 *, markets_s: float, prices_s: float) -> None:
        self.host, self.data, self.price_feed, self.alert_feed = host, data, prices, alerts
        self.markets_s, self.prices_s = markets_s, prices_s
        self.backoff = {task: Backoff(5.0, 300.0) for task in REFRESH_TASKS}
        self.screen_tokens: tuple[str, ...] = ()
        self.wallet_tokens: tuple[str, ...] = ()
        self._polling = False
        self._loaded_once = False  # a fresh list has loaded completely this session

    def start(self) -> None:
        self.host.start_worker(self._load_cache, "cache")

    @property
    def watched(self) -> list[str]:
        """What needs prices: what the screen shows, what the alerts watch and the
        positions of the wallet view on screen."""
        return list(dict.fromkeys([*self.screen_tokens, *self.alert_feed.tokens,
                                   *self.wallet_tokens]))

    def watch_wallet(self, tokens: tuple[str, ...]) -> None:
        """The wallet view's positions are priced live while it shows (() when it goes)."""
        self.wallet_tokens = tokens
        self.sync_stream()

    def watch(self, tokens: tuple[str, ...]) -> None:
        self.screen_tokens = tokens
        self.sync_stream()

    def sync_stream(self) -> None:
        self.price_feed.watch(self.watched)

    def poll_tokens(self) -> list[str]:
        """The watched tokens REST polling must cover: those no live socket prices."""
        return self.price_feed.uncovered(self.watched)

    def refresh_now(self) -> None:
        for backoff in self.backoff.values():
            backoff.reset()
        self.refresh_markets()

    def refresh_markets(self) -> None:
        self.host.start_worker(self._refresh_markets, "markets")

    def next_prices(self) -> None:
        tokens = self.poll_tokens()
        if tokens:
            self.host.start_worker(partial(self._refresh_prices, tokens), "prices")
        else:
            self.host.after("prices", self.prices_s, self.next_prices)

    def retry(self, task: str, at_least: float) -> float | None:
        """A refresh failed: schedule it again; the delay in seconds (None: not ours)."""
        if task not in self.backoff or self.data.offline:
            return None
        delay = self.backoff[task].next(at_least)
        self.host.after(task, delay,
                        self.refresh_markets if task == "markets" else self.next_prices)
        return delay

    async def _load_cache(self) -> None:
        """Paint from SQLite at once (a screenful first, then the rest), then start the
        refreshes (even if SQLite failed)."""
        try:
            self.host.deliver(UiStateLoaded(await self.data.ui_state()))
            self.host.deliver(FavoritesLoaded(await self.data.favorite_ids()))
            markets, fetched_at = await self.data.cached_markets(FIRST_SCREENFUL)
            if len(markets) >= FIRST_SCREENFUL:  # there may be more
                self.host.deliver(MarketsPage(markets, fetched_at, "cache", len(markets)))
                markets, fetched_at = await self.data.cached_markets()
            self.host.deliver(MarketsLoaded(markets, fetched_at, "cache"))
            self.host.deliver(VisitsLoaded(await self.data.recent_views()))
        finally:
            if not self.data.offline:
                # Once the saved rows are on screen: the refresh loads the HTTP stack
                # (tens of milliseconds of imports) that the first frame does without.
                self.host.after_paint(self.refresh_markets)

    async def _refresh_markets(self) -> None:
        """Until one load has finished, each page goes to the screen as it arrives (the
        first rows paint while the rest loads); later refreshes replace the list once,
        when complete. SQLite saves the list after the screen has it."""
        source: Source = "demo" if self.data.demo else "live"
        markets: dict[str, Market] = {}  # by id: a market that moved pages counts once
        async for page in self.data.market_pages():
            markets.update((m.id, m) for m in page)
            if not self._loaded_once:
                self.host.deliver(MarketsPage(page, self.host.clock(), source, len(markets)))
                self._start_polling()
        self.host.deliver(MarketsLoaded(list(markets.values()), self.host.clock(), source))
        self._loaded_once = True
        self._succeeded("markets")
        self.host.after("markets", self.markets_s, self.refresh_markets)
        self._start_polling()
        await self.data.save_snapshot()

    def _start_polling(self) -> None:
        if not self._polling:
            self._polling = True
            self.host.after("prices", self.prices_s, self.next_prices)

    async def _refresh_prices(self, tokens: list[str]) -> None:
        prices = await self.data.refresh_prices(tokens)
        self.host.deliver(PricesUpdated(prices, self.host.clock()))
        self._succeeded("prices")
        self.host.after("prices", self.prices_s, self.next_prices)

    def _succeeded(self, task: str) -> None:
        self.backoff[task].reset()
        self.host.succeeded(task)


DetailRequest = DetailWanted | ChartWanted | BookWanted | VisitSeen | SparklinesWanted


class DetailFeed:
    """One market's previous visit, chart and book; the list's sparklines."""

    def __init__(self, host: Host, data: DataSource, live: PriceFeed) -> None:
        self.host, self.data, self.live = host, data, live

    def handle(self, request: DetailRequest) -> None:
        match request:
            case DetailWanted(market=market, range_=range_, record=record):
                self.open(market, range_, record=record)
            case ChartWanted(market=market, range_=range_):
                self.chart(market, range_)
            case BookWanted(market=market, token=token):
                self.book(market, token)
            case VisitSeen(market=market):
                self.visit(market)
            case SparklinesWanted(tokens=tokens):
                self.sparklines(tokens)

    def open(self, market: Market, range_: str, *, record: bool) -> None:
        self.host.start_worker(partial(self._visit_then_record, market, record), "detail")
        self.chart(market, range_)
        self.book(market)

    def chart(self, market: Market, range_: str) -> None:
        self.host.start_worker(partial(self._chart, market, range_), "chart")

    def book(self, market: Market, token: str | None = None) -> None:
        """The book of `market`'s outcome `token` (None: the default outcome)."""
        self.host.start_worker(partial(self._book, market, token), "book")

    def visit(self, market: Market) -> None:
        self.host.start_worker(partial(self._record, market), "visit", exclusive=False)

    async def _record(self, market: Market) -> None:
        """Record the visit; "Since last visit" lists it at once, not after a restart."""
        await self.data.record_view(market)
        self.host.deliver(VisitsLoaded(await self.data.recent_views()))

    def sparklines(self, tokens: tuple[str, ...]) -> None:
        self.host.start_worker(partial(self._sparklines, tokens), "sparklines")

    async def _visit_then_record(self, market: Market, record: bool) -> None:
        """The price at the previous visit, then (if opened) this visit is recorded:
        one worker, so the previous visit is read before it is overwritten."""
        self.host.deliver(DetailReady(market, await self.data.last_view(market.id)))
        if record:
            await self._record(market)

    async def _chart(self, market: Market, range_: str) -> None:
        series = await self.data.chart(market, range_)
        self.host.deliver(ChartLoaded(market.id, range_, series,
                                      self.data.chart_labels(market)))
        self.host.succeeded("chart")

    async def _book(self, market: Market, token: str | None) -> None:
        # The same choice as the side column's, so the book is the outcome it names.
        outcome = chosen_outcome(market, token)
        if self.data.offline or outcome is None:
            self.host.deliver(BookLoaded(market.id, None))
            return
        # From here the websocket's book of this token (not the previous outcome's) is
        # the one the detail follows.
        live = self.live.live_book(market, outcome.token_id)
        if live is None:
            book = await self.data.book(outcome.token_id)
            self.host.succeeded("book")
            # The websocket may have sent this book meanwhile: the live one wins.
            live = self.live.live_book(market, outcome.token_id)
            self.host.deliver(live or BookLoaded(market.id, book))
        else:
            self.host.deliver(live)

    async def _sparklines(self, tokens: tuple[str, ...]) -> None:
        self.host.deliver(SparklinesLoaded(await self.data.sparklines(tokens)))
        self.host.succeeded("sparklines")


class UiStateFeed:
    """What the user chose (view, sort, grouping, pinning, theme), saved in SQLite for
    the next start: config.toml is the user's and is never written."""

    def __init__(self, host: Host, data: DataSource) -> None:
        self.host, self.data = host, data
        self.state: dict[str, str] = {}

    def remember(self, **state: str) -> None:
        if state.items() <= self.state.items():
            return  # nothing new: no write
        self.state.update(state)
        self.host.start_worker(partial(self.data.save_ui_state, dict(self.state)), "ui-state")
