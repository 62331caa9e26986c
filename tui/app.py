"""The polydash App: screens, bindings with ids, keymap, themes, and the workers.

Every network or database call runs in an async worker (exclusive per group,
exit_on_error=False) and posts its result to the main screen as a message. One
handler, `on_worker_state_changed`, turns any failure into a sentence on the status
line and, for the periodic refreshes, a retry with backoff (5 s doubling to 5 min).
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme
from textual.timer import Timer
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from tui.commands import MarketCommands
from tui.live import LiveFeeds
from tui.messages import (
    BookLoaded,
    ChartLoaded,
    DetailReady,
    FavoritesLoaded,
    FavoriteToggled,
    MarketsLoaded,
    Notice,
    PricesUpdated,
    Problem,
    Recovered,
    SearchFinished,
    SparklinesLoaded,
    Task,
    VisitsLoaded,
)
from tui.models import Market
from tui.screens.main import MainScreen
from tui.widgets.status import Mode

if TYPE_CHECKING:
    from tui.config import Config
    from tui.services.market_data import MarketData

log = logging.getLogger("polydash.app")

THEMES = (
    Theme(
        name="polydash-dark", dark=True,
        primary="#4C8DFF", secondary="#7AA2F7", accent="#F5A524",
        foreground="#E6E9EF", background="#0E1116", surface="#131920", panel="#1C2430",
        success="#3FB950", error="#F85149", warning="#D29922",
    ),
    Theme(
        name="polydash-light", dark=False,
        primary="#1652F0", secondary="#3A5CCC", accent="#9A5B00",
        foreground="#1F2328", background="#FFFFFF", surface="#F6F8FA", panel="#E8ECF0",
        success="#1A7F37", error="#CF222E", warning="#9A6700",
    ),
)
DEFAULT_THEME = "polydash-dark"
TICK_S = 1.0

_WHAT: dict[str, str] = {
    "cache": "Could not read the saved markets",
    "markets": "Could not refresh the market list",
    "prices": "Could not refresh prices",
    "sparklines": "Could not load the 7-day sparklines",
    "chart": "Could not load the price chart",
    "book": "Could not load the order book",
    "search": "Polymarket search failed",
    "favorite": "Could not save the favorite",
    "detail": "Could not read the previous visit",
    "visit": "Could not record the visit",
    "link": "Could not open the link",
    "news": "Could not refresh the news",
    "news-cache": "Could not read the saved headlines",
    "news-read": "Could not mark the headline as read",
    "stream": "Live prices stopped",
    "alert": "Could not save the alert",
}


def describe_failure(task: str, error: BaseException | None) -> str:
    """A sentence for the status line; never a Python exception name or repr."""
    from tui.services.http import ApiError

    what = _WHAT.get(task, "Something went wrong")
    if isinstance(error, ApiError):
        reason = error.message.strip().rstrip(".")
        return f"{what}: {reason}."
    return f"{what} because of an unexpected error (details in the log)."


def known_binding_ids() -> set[str]:
    from tui.screens.alerts import AlertsScreen
    from tui.widgets.market_list import MarketList
    from tui.widgets.news import NewsList, NewsPane

    classes = (PolydashApp, MainScreen, MarketList, NewsPane, NewsList, AlertsScreen)
    return {b.id for cls in classes for b in cls.BINDINGS if isinstance(b, Binding) and b.id}


def normalize_keymap(keys: Mapping[str, str], known: set[str]) -> dict[str, str]:
    """config [keys] -> Textual keymap; "open_polymarket" is read as "open-polymarket".

    Ids this app does not know are kept (the detail pane has its own) and logged.
    """
    keymap = {}
    for binding_id, key in keys.items():
        spelled = binding_id.replace("_", "-")
        if binding_id not in known and spelled in known:
            binding_id = spelled
        elif binding_id not in known:
            log.info("[keys] %s is not a dashboard binding id", binding_id)
        keymap[binding_id] = key
    return keymap


class Backoff:
    """Retry delays: `first` seconds, doubling up to `ceiling`; reset on success."""

    def __init__(self, first: float = 5.0, ceiling: float = 300.0) -> None:
        self.first, self.ceiling = first, ceiling
        self._next = first

    def next(self, at_least: float = 0.0) -> float:
        delay = max(self._next, at_least)
        self._next = min(self._next * 2, self.ceiling)
        return min(delay, max(self.ceiling, at_least))

    def reset(self) -> None:
        self._next = self.first


def _utc_now() -> datetime:
    return datetime.now(UTC)


class IdleCollector:
    """Full garbage collections only while the user is idle.

    With 20,000 markets loaded, one of Python's automatic full collections takes 50-300
    ms, and Textual's strips (their caches refer to themselves) make plenty of cyclic
    garbage, so they came often: random stalls while typing or scrolling. Here the
    automatic full pass is switched off (the young generations still run) and a full
    pass runs after `idle_s` without input; what survives it is frozen, so the next pass
    only walks what is new. Unfreezing first lets frozen objects that died be collected.
    """

    THRESHOLDS = (700, 10, 1_000_000)  # gen0 and gen1 as Python's defaults; no auto gen2

    def __init__(self, *, idle_s: float = 1.5, every_s: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.idle_s, self.every_s, self.clock = idle_s, every_s, clock
        self.last_input = self.last_run = clock()
        self.pending = False

    def install(self) -> None:
        gc.set_threshold(*self.THRESHOLDS)

    def touched(self) -> None:
        self.last_input = self.clock()

    def soon(self) -> None:
        """Something big was allocated (a market list): collect at the next idle moment."""
        self.pending = True

    def due(self) -> bool:
        now = self.clock()
        if now - self.last_input < self.idle_s:
            return False
        return self.pending or now - self.last_run >= self.every_s

    def run(self) -> None:
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self.last_run = self.clock()
        self.pending = False

    def maybe_run(self) -> bool:
        if self.due():
            self.run()
            return True
        return False


class PolydashApp(LiveFeeds, App[None], inherit_bindings=False):
    """Keyboard-driven Polymarket dashboard."""

    CSS_PATH = "app.tcss"
    TITLE = "polydash"
    COMMANDS = App.COMMANDS | {MarketCommands}
    BINDINGS: ClassVar[list[Binding]] = [  # type: ignore[assignment]
        Binding("q", "quit", "Quit", id="quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="quit-now"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("ctrl+p", "command_palette", "Palette", show=False, priority=True,
                id="command-palette"),
        Binding("ctrl+c", "help_quit", show=False, system=True, id="help-quit"),
    ]

    def __init__(self, config: Config, data: MarketData, *,
                 clock: Callable[[], datetime] | None = None) -> None:
        super().__init__()
        self.config = config
        self.data = data
        self.clock = clock or _utc_now
        self.mouse_enabled = bool(config.ui.mouse)
        self._backoff: dict[str, Backoff] = {"markets": Backoff(), "prices": Backoff()}
        self._refresh_timers: dict[str, Timer] = {}
        self._failed: set[str] = set()
        self._main: MainScreen | None = None
        self.collector = IdleCollector()
        self._init_live()  # news, websocket and alerts (tui/live.py)
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = self._pick_theme(config.ui.theme)
        if config.keys:
            self.set_keymap(normalize_keymap(config.keys, known_binding_ids()))

    # ------------------------------------------------------------ running

    def run(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        """[ui] mouse = false keeps the terminal's own mouse (text selection) working."""
        kwargs.setdefault("mouse", self.mouse_enabled)
        return super().run(*args, **kwargs)

    async def run_async(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        kwargs.setdefault("mouse", self.mouse_enabled)
        return await super().run_async(*args, **kwargs)

    def _pick_theme(self, name: str) -> str:
        if name in self.available_themes:
            return name
        if name:
            log.warning("unknown theme %r, using %s", name, DEFAULT_THEME)
        return DEFAULT_THEME

    @property
    def mode(self) -> Mode:
        if self.data.demo:
            return "DEMO"
        if self.data.offline:
            return "OFFLINE"
        return "CACHED"

    @property
    def main(self) -> MainScreen:
        assert self._main is not None
        return self._main

    def get_default_screen(self) -> Screen[Any]:
        self._main = MainScreen(mode=self.mode, clock=self.clock,
                                tradingview=self.config.tradingview, mouse=self.mouse_enabled)
        return self._main

    def on_mount(self) -> None:
        self.collector.install()
        self.set_interval(TICK_S, self.collector.maybe_run)
        self.load_cache()
        self._start_live()

    async def on_unmount(self) -> None:
        await self._stop_live()

    def on_key(self, event: events.Key) -> None:
        """A character typed ahead of a focus change ("/" then a word in one burst) was
        routed to the list before "/" focused the filter: it belongs to the filter."""
        focused = self.focused
        if isinstance(focused, Input) and event.is_printable and event.character:
            event.prevent_default()
            event.stop()
            focused.post_message(events.Key(event.key, event.character))

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown | events.MouseScrollDown
                      | events.MouseScrollUp):
            self.collector.touched()
        await super().on_event(event)

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.main))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Keys: help screen", "Every key and its [keys] id", self.action_help)

    # ------------------------------------------------------------ scheduling

    def _schedule(self, task: str, delay: float, callback: Callable[[], None]) -> None:
        timer = self._refresh_timers.pop(task, None)
        if timer is not None:
            timer.stop()
        self._refresh_timers[task] = self.set_timer(
            delay, lambda: self._run_scheduled(callback), name=f"refresh-{task}")

    def _run_scheduled(self, callback: Callable[[], None]) -> None:
        # A timer can fire while the app closes, after the main screen's widgets are gone.
        if self._exit or len(self.main.query("#markets")) == 0:
            return
        callback()

    def _succeeded(self, task: Task) -> None:
        if task in self._backoff:
            self._backoff[task].reset()
        if task in self._failed:
            self._failed.discard(task)
            self.main.post_message(Recovered(task))

    def refresh_now(self) -> None:
        """`r`: refresh the list, prices and news at once (and reset any backoff)."""
        if self.data.offline:
            self.main.post_message(Notice(
                "Offline mode: showing saved data; start without --offline to refresh."))
            return
        for backoff in self._backoff.values():
            backoff.reset()
        self.main.post_message(Notice("Refreshing…"))
        self.refresh_markets()
        self.refresh_news_now()

    def _next_prices(self) -> None:
        tokens = self.poll_tokens()  # what the websocket does not cover
        if tokens:
            self.refresh_prices(tokens)
        else:
            self._schedule("prices", self.config.refresh.prices_s, self._next_prices)

    # ------------------------------------------------------------ workers

    @work(group="cache", exclusive=True, exit_on_error=False)
    async def load_cache(self) -> None:
        """Paint from SQLite at once, then start the live refreshes (even if SQLite failed)."""
        try:
            self.main.post_message(FavoritesLoaded(await self.data.favorite_ids()))
            markets, fetched_at = await self.data.cached_markets()
            self.main.post_message(MarketsLoaded(markets, fetched_at, "cache"))
            self.main.post_message(VisitsLoaded(await self.data.recent_views()))
        finally:
            if not self.data.offline:
                self.refresh_markets()

    @work(group="markets", exclusive=True, exit_on_error=False)
    async def refresh_markets(self) -> None:
        markets = await self.data.refresh_markets()
        source = "demo" if self.data.demo else "live"
        self.main.post_message(MarketsLoaded(markets, self.clock(), source))
        self._succeeded("markets")
        self._schedule("markets", self.config.refresh.markets_s, self.refresh_markets)
        if "prices" not in self._refresh_timers:
            self._schedule("prices", self.config.refresh.prices_s, self._next_prices)

    @work(group="prices", exclusive=True, exit_on_error=False)
    async def refresh_prices(self, tokens: Sequence[str]) -> None:
        prices = await self.data.refresh_prices(tokens)
        self.main.post_message(PricesUpdated(prices, self.clock()))
        self._succeeded("prices")
        self._schedule("prices", self.config.refresh.prices_s, self._next_prices)

    @work(group="sparklines", exclusive=True, exit_on_error=False)
    async def load_sparklines(self, tokens: Sequence[str]) -> None:
        series = await self.data.sparklines(tokens)
        self.main.post_message(SparklinesLoaded(series))
        self._succeeded("sparklines")

    @work(group="chart", exclusive=True, exit_on_error=False)
    async def load_chart(self, market: Market, range_: str) -> None:
        series = await self.data.chart(market, range_)
        self.main.post_message(ChartLoaded(market.id, range_, series,
                                           self._chart_labels(market, series)))
        self._succeeded("chart")

    def _chart_labels(self, market: Market, series: dict[str, Any]) -> dict[str, str]:
        labels_of = getattr(self.data, "chart_labels", None)
        labels: dict[str, str] = dict(labels_of(market)) if callable(labels_of) else {}
        for sibling in self.main.catalog.event_markets(market):
            for outcome in sibling.outcomes:
                if outcome.token_id in series and outcome.token_id not in labels:
                    multi = len(self.main.catalog.event_markets(market)) > 1
                    labels[outcome.token_id] = (sibling.group_title or sibling.question
                                                if multi else outcome.name)
        return labels

    @work(group="book", exclusive=True, exit_on_error=False)
    async def load_book(self, market: Market) -> None:
        leading = market.leading
        if self.data.offline or leading is None or not leading.token_id:
            self.main.post_message(BookLoaded(market.id, None))
            return
        live = self.live_book_message(market, leading.token_id)
        if live is not None:
            self.main.post_message(live)
            return
        book = await self.data.book(leading.token_id)
        self._succeeded("book")
        # The websocket may have sent this book meanwhile: the live one wins.
        live = self.live_book_message(market, leading.token_id)
        self.main.post_message(live or BookLoaded(market.id, book))

    @work(group="detail", exclusive=True, exit_on_error=False)
    async def load_detail(self, market: Market, *, record: bool) -> None:
        """The price at the previous visit, then (if opened) this visit is recorded:
        one worker, so the previous visit is read before it is overwritten."""
        last_view = await self.data.last_view(market.id)
        self.main.post_message(DetailReady(market, last_view))
        if record:
            await self.data.record_view(market)

    @work(group="visit", exit_on_error=False)
    async def record_view(self, market: Market) -> None:
        await self.data.record_view(market)

    @work(group="search", exclusive=True, exit_on_error=False)
    async def search(self, query: str) -> None:
        if self.data.offline:
            self.main.post_message(Notice("Offline mode: the filter covers saved markets only."))
            return
        self.main.post_message(Notice("Searching Polymarket…"))
        markets = await self.data.search(query)
        self.main.post_message(SearchFinished(query, markets))
        self._succeeded("search")

    @work(group="favorite", exit_on_error=False)
    async def toggle_favorite(self, market: Market) -> None:
        favorite = await self.data.toggle_favorite(market)
        self.main.post_message(FavoriteToggled(market.id, favorite))

    @work(group="link", exit_on_error=False)
    async def open_link(self, kind: str, market: Market | None) -> None:
        from tui.screens import link

        if kind == "polymarket":
            sentence = await link.open_polymarket(self, market)
        elif kind == "tradingview":
            sentence = await link.open_tradingview(self, market, self.config.tradingview)
        else:
            sentence = link.copy_polymarket(self, market)
        self.main.post_message(Notice(sentence))

    # ------------------------------------------------------------ failures

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place where a failed worker becomes a visible state."""
        worker = event.worker
        if event.state != WorkerState.ERROR:
            return
        task = worker.group
        error = worker.error
        log.warning("%s failed", task, exc_info=error)
        sentence = describe_failure(task, error)
        retry_at = None
        if task in self._backoff and not self.data.offline:
            delay = self._backoff[task].next(getattr(error, "retry_after", None) or 0.0)
            retry_at = self.clock() + timedelta(seconds=delay)
            callback = self.refresh_markets if task == "markets" else self._next_prices
            self._schedule(task, delay, callback)
        self._failed.add(task)
        self.main.post_message(Problem(task, sentence, retry_at))  # type: ignore[arg-type]
