"""The polydash App: bindings with ids, keymap, themes, request handlers and workers.

Data flows one way. Screens and widgets post request messages (tui/messages.py);
the handlers here start workers (exclusive per group, exit_on_error=False) whose
results are posted to the main screen. The App never reads a screen's state: what it
needs travels in the request. The feeds (tui/feeds.py) own the refresh loops, the
websocket, news and alerts. One handler, `on_worker_state_changed`, turns any failure
into a problem of the freshness model (tui/view/freshness.py), which the status line
and the detail show.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from tui.clock import Clock, utc_now
from tui.commands import MarketCommands, palette_help
from tui.failures import describe_failure
from tui.feeds import (
    AlertFeed,
    DetailFeed,
    DetailRequest,
    MarketFeed,
    NewsFeed,
    PriceFeed,
    UiStateFeed,
)
from tui.history_feed import HistoryFeed
from tui.idle import IdleCollector
from tui.keys import Scope, plan_keymap
from tui.messages import (
    AlertDeleted,
    AlertFormWanted,
    AlertSaveWanted,
    AlertsWanted,
    ArticleWanted,
    BookWanted,
    ChartWanted,
    DetailWanted,
    FavoriteToggled,
    FavoriteWanted,
    FreshnessChanged,
    LinkWanted,
    MarketsLoaded,
    MarketsPage,
    MarketWanted,
    NewsWanted,
    Notice,
    PricesUpdated,
    RefreshWanted,
    SavedWalletsLoaded,
    SearchFinished,
    SearchWanted,
    SparklinesWanted,
    TokensWatched,
    TraderPaneWanted,
    UiStateChanged,
    UiStateLoaded,
    VisitSeen,
    WalletLoaded,
    WalletReloadWanted,
    WalletRemoveWanted,
    WalletSaveWanted,
    WalletsWanted,
    WalletTokensWatched,
    WalletWanted,
)
from tui.models import Market
from tui.screens.main import MainScreen
from tui.services.errors import ApiRateLimited, ApiUnreachable
from tui.services.source import DataSource
from tui.store import StoreDamaged, StoreError
from tui.themes import DEFAULT_THEME, THEMES
from tui.trader_feed import TraderFeed
from tui.view.freshness import (
    Event,
    Freshness,
    ListLoaded,
    ListProgress,
    PricesArrived,
    ProblemCleared,
    ProblemRaised,
    StreamChanged,
)
from tui.widgets.news import NewsPane

if TYPE_CHECKING:
    from tui.config import Config
    from tui.services.alert_rules import AlertSpec

log = logging.getLogger("polydash.app")

TICK_S = 1.0
LATER_START_S = 10.0  # the latest the websocket and news start when no list shows
LATER_GRACE_S = 0.1  # from the first whole list to starting them


class PolydashApp(App[None], inherit_bindings=False):
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

    def __init__(self, config: Config, data: DataSource, *, clock: Clock | None = None) -> None:
        super().__init__()
        self.config = config
        self.data = data
        self.clock: Clock = clock or utc_now
        self.mouse_enabled = bool(config.ui.mouse)
        self.freshness = Freshness.starting(demo=data.demo, offline=data.offline)
        self.collector = IdleCollector()
        self._refresh_timers: dict[str, Timer] = {}
        self._shutting_down = False
        self._main: MainScreen | None = None
        self.live = PriceFeed(self, make_stream=data.make_stream)
        self._later_started = False  # the feeds that wait for the first rows
        self.alert_feed = AlertFeed(self, data.alerts)
        self.market_feed = MarketFeed(self, data, self.live, self.alert_feed,
                                      markets_s=config.refresh.markets_s,
                                      prices_s=config.refresh.prices_s)
        self.news_feed = NewsFeed(self, data, every_s=config.refresh.news_s)
        self.detail_feed = DetailFeed(self, data, self.live)
        self.ui_feed = UiStateFeed(self, data)
        self.trader_feed = TraderFeed(self, data)
        self.history_feed = HistoryFeed(self, data, config.history)
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = self._pick_theme(config.ui.theme)
        # Without [keys] remaps there is nothing to check: the screens (imported by
        # key_scopes) load when they open.
        keys = plan_keymap(config.keys, key_scopes() if config.keys else ())
        self.user_keymap = keys.keymap
        # Shown once mounted: stderr (where the CLI prints config warnings) is hidden
        # behind the dashboard until it quits.
        self.startup_warnings = (*config.warnings, *keys.warnings)
        for warning in keys.warnings:
            log.warning("%s", warning)
        if self.user_keymap:
            self.set_keymap(self.user_keymap)

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

    # Set by the dashboard command from Store.notice(): the cache is off (a damaged file)
    # or the file is read-only. Shown as a problem that stays (the status line and `!`).
    store_notice = ""

    def get_default_screen(self) -> Screen[Any]:
        self._main = MainScreen(freshness=self.freshness, clock=self.clock,
                                tradingview=self.config.tradingview, mouse=self.mouse_enabled)
        return self._main

    def on_mount(self) -> None:
        self.collector.install()
        self.set_interval(TICK_S, self._collect_when_idle)
        self.market_feed.start()
        self.alert_feed.start()
        # The websocket and the news (and the modules they import) wait for the first
        # rows: see deliver. Without any list (SQLite and the API failing) they start soon.
        self.set_timer(LATER_START_S, self._start_after_first_list)
        if self.startup_warnings:
            self.toast("\n".join(self.startup_warnings), title="Config", warning=True)
        if self.store_notice:
            self.store_problem(self.store_notice, damaged="cache off" in self.store_notice)

    async def on_unmount(self) -> None:
        await self.live.stop()

    def exit(self, *args: Any, **kwargs: Any) -> None:
        self._shutting_down = True  # a refresh timer firing now starts nothing
        super().exit(*args, **kwargs)

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
            self.push_screen(HelpScreen(self.screen, self.user_keymap))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Keys: help screen", palette_help("Every key and its [keys] id"),
                            self.action_help)

    # ------------------------------------------------------------ what feeds use (Host)

    def deliver(self, message: Message) -> None:
        """Post a result to the main screen; what it says of freshness moves the model."""
        if isinstance(message, UiStateLoaded):
            self._restore_theme(message.state.get("theme", ""))
        if isinstance(message, MarketsLoaded | MarketsPage):
            if message.source == "cache" and self.freshness.fresh_list:
                return  # a fresh list already arrived; the snapshot is older
        if isinstance(message, MarketsLoaded):
            self.collector.soon()  # a full garbage collection at the next idle moment
        if self._main is not None:
            self._main.post_message(message)
            if (isinstance(message, MarketsLoaded) and not self._later_started
                    and (message.markets or message.source != "cache" or self.data.offline)):
                # Once the screen has handled a whole list and repainted: not between
                # the pages of a first load, whose input must stay quick.
                self._main.call_after_refresh(self._start_after_first_list)
        if isinstance(message, WALLET_RESULTS) and len(self.screen_stack) > 1:
            from tui.screens.wallet import WalletScreen
            from tui.screens.wallets import WalletsScreen

            for screen in self.screen_stack:  # the wallet views show these too
                if isinstance(screen, WalletScreen | WalletsScreen):
                    screen.post_message(message)
        if isinstance(message, MarketsLoaded):
            self._advance(ListLoaded(message.source, message.fetched_at))
        elif isinstance(message, MarketsPage):
            self._advance(ListProgress(message.source, message.fetched_at, message.loaded))
        elif isinstance(message, PricesUpdated):
            self._advance(PricesArrived(message.at))

    def _collect_when_idle(self) -> None:
        """A full collection walks every market: not while a list is still loading (a
        person reading the first rows is "idle", but the next key must not wait)."""
        if self.freshness.loading is None:
            self.collector.maybe_run()

    def _start_after_first_list(self) -> None:
        if not self._later_started and not self._shutting_down:
            self._later_started = True
            self.start_worker(self._start_later, "later")

    async def _start_later(self) -> None:
        """The websocket, the news and history compaction (tui/history_feed.py); the
        first two's modules load in a thread, so that the event loop keeps answering
        keys meanwhile (an import is tens of milliseconds)."""
        modules = [name for name, wanted in (("tui.services.stream", not self.data.demo),
                                             ("tui.services.news", True))
                   if wanted and not self.data.offline]
        await asyncio.sleep(LATER_GRACE_S)  # the frame with the list goes out first
        await asyncio.to_thread(lambda: [importlib.import_module(m) for m in modules])
        if not self._shutting_down:
            self.live.start()
            self.news_feed.start()
            self.history_feed.start()

    def start_worker(self, work: Callable[[], Awaitable[None]], group: str, *,
                     exclusive: bool = True) -> None:
        self.run_worker(work, name=group, group=group, exclusive=exclusive,
                        exit_on_error=False)

    def every(self, seconds: float, callback: Callable[[], object], name: str) -> None:
        self.set_interval(seconds, callback, name=name)

    def after(self, task: str, seconds: float, callback: Callable[[], None]) -> None:
        """One pending timer per task: a new one replaces the old."""
        timer = self._refresh_timers.pop(task, None)
        if timer is not None:
            timer.stop()

        def fire() -> None:
            self._refresh_timers.pop(task, None)
            if not self._shutting_down:
                callback()

        self._refresh_timers[task] = self.set_timer(seconds, fire, name=f"refresh-{task}")

    def after_paint(self, callback: Callable[[], None]) -> None:
        """`callback` once the main screen has painted what was delivered to it so far."""
        (self._main or self).call_after_refresh(callback)

    def cancel(self, task: str) -> None:
        """Stop `task`'s pending timer (its pane is hidden)."""
        timer = self._refresh_timers.pop(task, None)
        if timer is not None:
            timer.stop()

    def stream_changed(self, event: StreamChanged) -> None:
        self._advance(event)

    def succeeded(self, task: str) -> None:
        self._advance(ProblemCleared(task))

    def toast(self, text: str, *, title: str, warning: bool = False) -> None:
        self.notify(text, title=title, severity="warning" if warning else "information",
                    markup=False, timeout=10 if warning else 5)
        if warning:
            self.bell()

    def _advance(self, event: Event) -> None:
        state = self.freshness.apply(event)
        if state is not self.freshness:
            self.freshness = state
            self.deliver(FreshnessChanged(state))

    # ------------------------------------------------------------ failures

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place where a failed worker becomes a visible state."""
        if event.state != WorkerState.ERROR:
            return
        task, error = event.worker.group, event.worker.error
        log.warning("%s failed", task, exc_info=error)
        if isinstance(error, StoreError):  # it stays: later tasks run on the memory copy
            self.store_problem(str(error), damaged=isinstance(error, StoreDamaged))
        asked = error.retry_after if isinstance(error, ApiRateLimited) else None
        delay = self.market_feed.retry(task, asked or 0.0)
        now = self.clock()
        retry_at = now + timedelta(seconds=delay) if delay is not None else None
        self._advance(ProblemRaised(task, describe_failure(task, error), now, retry_at,
                                    unreachable=isinstance(error, ApiUnreachable)))

    def store_problem(self, sentence: str, *, damaged: bool) -> None:
        """The local database is damaged (the cache is off) or read-only: a problem that
        stays, in the status line and under `!`."""
        task = "database" if damaged else "database-read-only"
        self._advance(ProblemRaised(task, sentence[:1].upper() + sentence[1:], self.clock()))

    # ------------------------------------------------------------ requests

    @on(TokensWatched)
    def _tokens_watched(self, request: TokensWatched) -> None:
        self.market_feed.watch(request.tokens)

    @on(DetailWanted)
    @on(ChartWanted)
    @on(BookWanted)
    @on(VisitSeen)
    @on(SparklinesWanted)
    def _detail_wanted(self, request: DetailRequest) -> None:
        self.detail_feed.handle(request)
        if isinstance(request, DetailWanted):
            self.news_feed.follow(request.market, ())
            self.trader_feed.open_interest(request.market)

    @on(TraderPaneWanted)
    def _trader_pane_wanted(self, request: TraderPaneWanted) -> None:
        self.trader_feed.follow(request.pane, request.market)

    @on(WalletWanted)
    def _wallet_wanted(self, request: WalletWanted) -> None:
        """Open the wallet view (one per wallet: the same one again is just reloaded)."""
        from tui.screens.wallet import WalletScreen

        screen = self.screen
        if not (isinstance(screen, WalletScreen) and screen.address == request.address):
            self.push_screen(WalletScreen(request.address, label=request.label,
                                          clock=self.clock))
        self.trader_feed.wallet(request.address)
        self.trader_feed.saved()

    @on(WalletTokensWatched)
    def _wallet_tokens_watched(self, request: WalletTokensWatched) -> None:
        self.market_feed.watch_wallet(request.tokens)

    @on(WalletReloadWanted)
    def _wallet_reload_wanted(self, request: WalletReloadWanted) -> None:
        self.trader_feed.wallet(request.address)

    @on(WalletsWanted)
    def _wallets_wanted(self) -> None:
        from tui.screens.wallets import WalletsScreen

        if not isinstance(self.screen, WalletsScreen):
            self.push_screen(WalletsScreen())
        self.trader_feed.saved()

    @on(WalletSaveWanted)
    def _wallet_save_wanted(self, request: WalletSaveWanted) -> None:
        self.trader_feed.save(request.address, request.label)

    @on(WalletRemoveWanted)
    def _wallet_remove_wanted(self, request: WalletRemoveWanted) -> None:
        self.trader_feed.remove(request.address)

    @on(MarketWanted)
    def _market_wanted(self, request: MarketWanted) -> None:
        """Enter on a wallet's position: back to the dashboard, on that market."""
        main = self._main
        if main is None:
            return
        market_id = main.catalog.find_market(request.token_id, request.condition_id)
        if market_id is None:
            self.notify(f"Not in the dashboard's list (closed, or not loaded): "
                        f"{request.title[:80]}", markup=False)
            return
        while self.screen is not main and len(self.screen_stack) > 1:
            self.pop_screen()
        main.open_market(market_id)

    @on(NewsWanted)
    def _news_wanted(self, request: NewsWanted) -> None:
        self.news_feed.follow(request.market, request.favorites)

    @on(ArticleWanted)
    def _article_wanted(self, request: ArticleWanted) -> None:
        self.open_article(request)

    @on(UiStateChanged)
    def _ui_state_changed(self, request: UiStateChanged) -> None:
        self.ui_feed.remember(**request.state)

    def watch_theme(self, theme: str) -> None:
        if self.is_running:
            self.ui_feed.remember(theme=theme)

    def _restore_theme(self, theme: str) -> None:
        self.ui_feed.state["theme"] = self.theme
        if theme and theme in self.available_themes:
            self.ui_feed.state["theme"] = theme
            self.theme = theme

    @on(SearchWanted)
    def _search_wanted(self, request: SearchWanted) -> None:
        if self.data.offline:
            self.deliver(Notice("Offline mode: the filter covers saved markets only."))
            return
        self.deliver(Notice("Searching Polymarket…"))
        self.search(request.query)

    @on(FavoriteWanted)
    def _favorite_wanted(self, request: FavoriteWanted) -> None:
        self.toggle_favorite(request.market)

    @on(LinkWanted)
    def _link_wanted(self, request: LinkWanted) -> None:
        self.open_link(request)

    @on(RefreshWanted)
    def _refresh_wanted(self) -> None:
        """`r`: refresh the list, prices and news at once (and reset any backoff)."""
        if self.data.offline:
            self.deliver(Notice(
                "Offline mode: showing saved data; start without --offline to refresh."))
            return
        self.deliver(Notice("Refreshing…"))
        self.market_feed.refresh_now()
        self.news_feed.refresh()

    @on(AlertFormWanted)
    def _alert_form_wanted(self, request: AlertFormWanted) -> None:
        if self.alert_feed.service is None:
            self.deliver(Notice("Alerts are not available here."))
        else:
            from tui.screens.alert_form import AlertForm

            self.push_screen(AlertForm(request.market))

    @on(AlertsWanted)
    def _alerts_wanted(self) -> None:
        if self.alert_feed.service is None:
            self.deliver(Notice("Alerts are not available here."))
        else:
            from tui.screens.alerts import AlertsScreen

            self.push_screen(AlertsScreen(self.alert_feed.service))

    @on(AlertSaveWanted)
    def _alert_submitted(self, message: AlertSaveWanted) -> None:
        self.save_alert(message.spec)

    @on(AlertDeleted)
    def _alert_deleted(self) -> None:
        self.market_feed.sync_stream()

    # ------------------------------------------------------------ workers

    @work(group="search", exclusive=True, exit_on_error=False)
    async def search(self, query: str) -> None:
        self.deliver(SearchFinished(query, await self.data.search(query)))
        self.succeeded("search")

    @work(group="favorite", exit_on_error=False)
    async def toggle_favorite(self, market: Market) -> None:
        favorite = await self.data.toggle_favorite(market)
        self.deliver(FavoriteToggled(market.id, favorite))
        self.market_feed.sync_stream()  # favorites stay priced live

    @work(group="link", exit_on_error=False)
    async def open_link(self, request: LinkWanted) -> None:
        from tui.screens.link import follow_link

        await follow_link(self, request.kind, request.market, self.config.tradingview)

    @work(group="link", exit_on_error=False)
    async def open_article(self, request: ArticleWanted) -> None:
        from tui.screens.link import follow_article

        if await follow_article(self, request.url, copy=request.copy):
            self.news_feed.mark_read(request.url)

    @work(group="alert", exit_on_error=False)
    async def save_alert(self, spec: AlertSpec) -> None:
        from tui.screens.alert_form import describe_spec

        refused = await self.alert_feed.save(spec, self.market_feed.sync_stream)
        if refused is not None:
            self.deliver(Notice(refused))
            return
        self.succeeded("alert")
        # A toast, not the status line: the sentence holds the whole question.
        self.notify(describe_spec(spec), title="Alert", markup=False)


WALLET_RESULTS = (WalletLoaded, SavedWalletsLoaded, PricesUpdated, FreshnessChanged)


def key_scopes() -> tuple[Scope, ...]:
    """The bindings active together: the App's, a screen's and its focused widget's.
    [keys] remaps are checked within each (tui/keys.py); every class with BINDINGS must
    be in one (tests/ui/test_keys.py checks it)."""
    from tui.screens.alert_form import AlertForm
    from tui.screens.alerts import AlertsScreen, ConfirmDelete
    from tui.screens.help import HelpScreen
    from tui.screens.link import LinkScreen
    from tui.screens.problems import ProblemsScreen
    from tui.screens.prompt import PromptScreen
    from tui.screens.wallet import WalletScreen
    from tui.screens.wallets import WalletsScreen
    from tui.widgets.chart import PriceChart
    from tui.widgets.market_list import MarketList
    from tui.widgets.news import NewsList
    from tui.widgets.trader_list import TraderList

    app = PolydashApp
    return (
        (app, MainScreen, MarketList),
        (app, MainScreen, PriceChart),
        (app, MainScreen, NewsPane, NewsList),
        (app, MainScreen, TraderList),
        (app, WalletScreen, TraderList),
        (app, WalletsScreen, TraderList),
        (app, PromptScreen),
        (app, AlertsScreen),
        (app, ConfirmDelete),
        (app, AlertForm),
        (app, LinkScreen),
        (app, ProblemsScreen),
        (app, HelpScreen),
    )
