"""The dashboard screen: status line, market list, detail pane, filter and footer.

It owns what is shown (a `Catalog` and a `Selection`) and renders the messages the
app's workers post. It starts no I/O itself: it asks the app (`self.app.load_*`),
whose workers post results back here.

Layout by size (classes on the screen, rules in app.tcss):
  -wide      >= 120 columns: list left, detail right
  -narrow    the list alone; Enter shows the detail in its place (-detail-open), Esc back
  -too-small below 50×12: one sentence and nothing else
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, cast

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Input, Static

from tui.browse import SORTS, Catalog, Selection, ViewSpec
from tui.messages import (
    BookLoaded,
    ChartLoaded,
    DetailReady,
    FavoritesLoaded,
    FavoriteToggled,
    LiveState,
    MarketsLoaded,
    NewsLoaded,
    Notice,
    PricesUpdated,
    Problem,
    Recovered,
    SearchFinished,
    SparklinesLoaded,
    VisitsLoaded,
)
from tui.models import Market
from tui.widgets.detail import DetailPane
from tui.widgets.market_list import MarketList
from tui.widgets.news import NewsPane
from tui.widgets.status import Mode, StatusLine

if TYPE_CHECKING:
    from tui.app import PolydashApp

WIDE = 120
TICK_S = 1.0
DETAIL_AGES_S = 5.0
MIN_SIZE = (50, 12)
TOO_SMALL = f"Terminal too small (need {MIN_SIZE[0]}×{MIN_SIZE[1]})"
RANGES = ("1h", "6h", "1d", "1w", "1m", "max")
DEFAULT_RANGE = "1w"


class FilterInput(Input):
    """The filter box.

    Textual's Input assigns its layout-reactive `virtual_size` whenever the text width
    changes, which re-lays out the whole screen (detail pane included) at every
    keystroke. The new size is stored first without a layout, so the assignment inside
    Input finds nothing to change; only the input's own scroll range is updated.
    """

    def _watch_value(self, value: str) -> None:
        size = Size(self.content_width, 1)
        if size != self.virtual_size:
            self.set_reactive(Widget.virtual_size, size)
            self._scroll_update(size)
        super()._watch_value(value)


class MainScreen(Screen[None], inherit_bindings=False):
    """Everything the user browses; one instance for the life of the app."""

    AUTO_FOCUS = "#markets"
    # Cursor rests this long before the detail loads its chart and book (holding j
    # would otherwise start a request per row). Tests set it to 0.
    DETAIL_DELAY: ClassVar[float] = 0.12
    TYPING_DETAIL_DELAY: ClassVar[float] = 0.6
    # A market shown this long in the side pane counts as viewed (for "since last visit").
    VIEW_DELAY: ClassVar[float] = 2.0
    SPARK_DELAY: ClassVar[float] = 0.25
    # Price ticks are applied twice a second at most (a burst becomes one repaint: a
    # full-list repaint costs ~10 ms), and the detail pane, which re-renders and
    # re-lays out every section, once a second at most.
    PRICE_FLUSH_S: ClassVar[float] = 0.5
    WARM_DELAY: ClassVar[float] = 0.05
    DETAIL_REFRESH_S: ClassVar[float] = 1.0

    BINDINGS = [
        Binding("enter", "open_detail", "Detail", id="open-detail"),
        Binding("escape", "back", "Back", show=False, id="back"),
        Binding("f,space", "toggle_favorite", "Favorite", id="favorite"),
        Binding("o", "open_polymarket", "Open", id="open-polymarket"),
        Binding("t", "open_tradingview", "TradingView", show=False, id="open-tradingview"),
        Binding("y", "copy_link", "Copy link", show=False, id="copy-link"),
        # Off the footer: at 80 columns it would push "? Help" out of sight.
        Binding("a", "add_alert", "Add alert", show=False, id="alert-add"),
        Binding("A", "alerts", "Alerts", show=False, id="alerts-view"),
        Binding("r", "refresh", "Refresh", show=False, id="refresh"),
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("s", "cycle_sort", "Sort", id="sort-cycle"),
        Binding("S", "reverse_sort", "Reverse sort", show=False, id="sort-reverse"),
        Binding("v", "cycle_view(1)", "View", id="view-next"),
        Binding("V", "cycle_view(-1)", "Previous view", show=False, id="view-previous"),
        Binding("e", "toggle_group", "Group by event", show=False, id="group-by-event"),
        *(
            Binding(str(n), f"chart_range('{r}')", f"Chart {r.upper()}", show=False,
                    id=f"range-{r}")
            for n, r in enumerate(RANGES, 1)
        ),
        Binding("tab", "next_pane", "Next pane", show=False, id="pane-next"),
        Binding("shift+tab", "previous_pane", "Previous pane", show=False, id="pane-previous"),
        Binding("ctrl+c,super+c", "screen.copy_text", "Copy selected text", show=False,
                id="copy-text"),
    ]

    def __init__(self, *, mode: Mode, clock: Callable[[], datetime],
                 tradingview: object | None = None, mouse: bool = True) -> None:
        super().__init__(id="main")
        self.catalog = Catalog()
        self.selection = Selection()
        self.chart_range = DEFAULT_RANGE
        self.clock = clock
        self._mode: Mode = mode
        self._tradingview = tradingview
        self._mouse = mouse
        self._live = False  # a fresh list from the API has arrived
        self._detail_open = False
        self._detail_timer: Timer | None = None
        self._view_timer: Timer | None = None
        self._spark_timer: Timer | None = None
        self._price_timer: Timer | None = None
        self._warm_timer: Timer | None = None
        self._detail_refresh_timer: Timer | None = None
        self._pending_prices: dict[str, float] = {}
        self._prices_at: datetime | None = None
        self._problems: dict[str, Problem] = {}
        self._stream_live = False  # the websocket prices the watched tokens
        # Previous visits read when a market's detail first shows (before this visit).
        self._last_views: dict[str, object] = {}

    # ------------------------------------------------------------ composition

    @property
    def polyapp(self) -> PolydashApp:
        return cast("PolydashApp", self.app)

    @property
    def market_list(self) -> MarketList:
        return self.query_one("#markets", MarketList)

    @property
    def status(self) -> StatusLine:
        return self.query_one("#status", StatusLine)

    @property
    def detail(self) -> DetailPane:
        return self.query_one("#detail", DetailPane)

    @property
    def news(self) -> NewsPane:
        return self.query_one("#news", NewsPane)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#filter", Input)

    def compose(self) -> ComposeResult:
        # Status, list and filter share one column: what changes together on a keystroke
        # or a price tick sits in one rectangle, and Textual repaints the rectangle that
        # surrounds every change (a full-width status line would drag the detail along).
        with Horizontal(id="body"):
            with Vertical(id="main-column"):
                yield StatusLine(clock=self.clock, id="status")
                yield MarketList(id="markets")
                yield FilterInput(id="filter", compact=True,
                                  placeholder="Filter: words in any order · Enter also "
                                              "searches Polymarket · Esc clears")
            with Vertical(id="side"):
                yield DetailPane(id="detail", tradingview=self._tradingview)  # type: ignore[arg-type]
                yield NewsPane(id="news")
        yield Footer(compact=True)
        yield Static(TOO_SMALL, id="too-small", markup=False)

    def on_mount(self) -> None:
        self.filter_input.display = False
        # The clock ticks here, not on the app: screen timers stop with the screen.
        self.set_interval(TICK_S, self._tick)
        self.set_interval(DETAIL_AGES_S, self._tick_detail)
        self.market_list.mouse_enabled = self._mouse
        self.status.update(mode=self._mode, view=self._view_spec().label,
                           sort=self._sort_label())
        self._apply_size(self.app.size.width, self.app.size.height)

    # ------------------------------------------------------------ size

    def on_resize(self, event: events.Resize) -> None:
        self._apply_size(event.size.width, event.size.height)

    def _apply_size(self, width: int, height: int) -> None:
        too_small = width < MIN_SIZE[0] or height < MIN_SIZE[1]
        wide = width >= WIDE
        self.set_class(too_small, "-too-small")
        self.set_class(wide, "-wide")
        self.set_class(not wide, "-narrow")
        self.set_class(self._detail_open and not wide, "-detail-open")
        self._sync_filter()
        if wide and self.market_list.cursor_key:
            self._schedule_detail()

    @property
    def detail_visible(self) -> bool:
        return self.has_class("-wide") or self._detail_open

    # ------------------------------------------------------------ showing

    def _view_spec(self) -> ViewSpec:
        return self.catalog.view(self.selection.view)

    def _sort_label(self) -> str:
        spec = SORTS[self.selection.sort]
        flipped = " (reversed)" if self.selection.reverse else ""
        return f"by {spec.label}{flipped}"

    def apply_selection(self, *, keep: str | None = None) -> None:
        """Recompute the rows for the current selection and show them."""
        now = self.clock()
        rows = self.catalog.select(self.selection, now)
        view = self._view_spec()
        listing = self.market_list
        listing.configure(markets=self.catalog.markets, favorites=self.catalog.favorites,
                          visits=self.catalog.visits, change_column=view.change_column,
                          now=now, empty_message=self._empty_message(view))
        listing.set_sort(self.selection.sort, self.selection.reverse)
        listing.set_rows(rows, keep=keep)
        self.status.update(shown=rows.market_count, total=len(self.catalog.markets),
                           view=view.label, sort=self._sort_label(),
                           query=self.selection.query)

    def _empty_message(self, view: ViewSpec) -> str:
        if not self.catalog.markets:
            if self._mode == "OFFLINE":
                return "No saved markets: run polydash once with a network connection."
            if "markets" in self._problems:
                return "No markets yet: loading them failed (the status line says why)."
            return "Loading markets…"
        if self.selection.query:
            return "No loaded market matches the filter. Press Enter in the filter to " \
                   "search Polymarket."
        if view.key == "favorites":
            return "No favorites yet: press f on a market to add it."
        if view.key == "since":
            return "No market opened before: press Enter on a market to open it."
        return f"No market in {view.label} right now."

    def select(self, **changes: object) -> None:
        """Change the selection (view, sort, query, group) and repaint."""
        self.selection = Selection(**{**_fields(self.selection), **changes})  # type: ignore[arg-type]
        self.apply_selection()

    def set_view(self, key: str) -> None:
        view = self.catalog.view(key)
        self.select(view=view.key, sort=view.sort, reverse=False)

    def set_sort(self, key: str, reverse: bool = False) -> None:
        if key in SORTS:
            self.select(sort=key, reverse=reverse)

    def current_market(self) -> Market | None:
        if self.detail_visible and self.detail.market is not None:
            return self.catalog.markets.get(self.detail.market.id, self.detail.market)
        return self.market_list.cursor_market

    def jump_to(self, market_id: str) -> None:
        """Put the cursor on a market, widening the selection if it is filtered out."""
        if not self.market_list.move_to_key(market_id):
            self.filter_input.value = ""
            self.selection = Selection(view="all", sort=self.selection.sort,
                                       reverse=self.selection.reverse,
                                       group=self.selection.group)
            self.apply_selection(keep=market_id)
            self._show_filter(False)
        self.market_list.focus()

    def price_tokens(self) -> list[str]:
        """Tokens to price: favorites first, then the selected market, then visible rows."""
        ids = [*sorted(self.catalog.favorites)]
        market = self.current_market()
        if market is not None:
            ids.append(market.id)
        ids += self.market_list.visible_market_ids()
        tokens: dict[str, None] = {}
        for market_id in ids:
            found = self.catalog.markets.get(market_id)
            if found is not None:
                tokens.update(dict.fromkeys(found.token_ids))
        return list(tokens)

    def _tick(self) -> None:
        """Ages in the status line, time left in the list."""
        now = self.clock()
        self.status.tick()
        self.market_list.tick(now)
        self.news.tick(now)

    def _tick_detail(self) -> None:
        if self.detail_visible and self.detail.market is not None:
            self.detail.refresh_ages(self.clock())
        news_status = getattr(self.polyapp.data, "news_status", None)
        if callable(news_status):  # "GDELT: rate limited, next try in 40 s" counts down
            text = news_status()
            if text != self.news.status_text:
                self.news.set_status(text)

    # ------------------------------------------------------------ worker results

    def on_markets_loaded(self, message: MarketsLoaded) -> None:
        if message.source == "cache" and self._live:
            return  # a fresh list already arrived; the snapshot is older
        if message.source != "cache":
            self._live = True
        keep = self.market_list.cursor_key
        self.catalog.set_markets(message.markets)
        self.polyapp.collector.soon()  # a full garbage collection at the next idle moment
        mode = self._mode
        if message.source == "live" and self._mode not in ("OFFLINE", "DEMO"):
            mode = "LIVE" if self._stream_live else "POLLING"
        self._mode = mode
        self.status.update(mode=mode, data_at=message.fetched_at,
                           refreshed_at=message.fetched_at if message.source != "cache"
                           else None)
        self.apply_selection(keep=keep)
        self.polyapp.sync_stream()
        # The list paints first; the detail catches up with the fresh numbers after.
        self.call_after_refresh(self._refresh_detail)
        self._warm_timer = self._debounce(self._warm_timer, self.WARM_DELAY, self._warm)

    def _warm(self) -> None:
        """Build the filter's texts a slice at a time while the user reads the list."""
        self._warm_timer = None
        if not self.catalog.warm():
            self._warm_timer = self.set_timer(self.WARM_DELAY, self._warm)

    def on_prices_updated(self, message: PricesUpdated) -> None:
        self._pending_prices.update(message.prices)
        self._prices_at = message.at
        if self._price_timer is None:
            self._price_timer = self._throttle(self.PRICE_FLUSH_S, self._flush_prices)

    def _flush_prices(self) -> None:
        self._price_timer = None
        prices, self._pending_prices = self._pending_prices, {}
        ids = self.catalog.ids_for_tokens(prices)
        changed = self.catalog.apply_prices(prices, ids)
        self.market_list.touch(changed)
        self.status.update(refreshed_at=self._prices_at)
        market = self.detail.market
        if market is not None and market.id in changed and self.detail_visible \
                and self._detail_refresh_timer is None:
            self._detail_refresh_timer = self._throttle(self.DETAIL_REFRESH_S,
                                                        self._refresh_detail)

    def _refresh_detail(self) -> None:
        self._detail_refresh_timer = None
        market = self.detail.market
        if market is not None and market.id in self.catalog.markets and self.detail_visible:
            self._show_detail(self.catalog.markets[market.id], load=False)

    def on_sparklines_loaded(self, message: SparklinesLoaded) -> None:
        self.market_list.set_sparks(message.series)

    def on_favorites_loaded(self, message: FavoritesLoaded) -> None:
        self.catalog.set_favorites(message.ids)
        if self.catalog.markets:
            self.apply_selection()

    def on_favorite_toggled(self, message: FavoriteToggled) -> None:
        self.catalog.set_favorite(message.market_id, message.favorite)
        self.market_list.touch([message.market_id])  # its star changed
        self.polyapp.sync_stream()  # favorites stay priced live
        if self.selection.view in ("favorites", "all"):  # where favorites are first
            self.apply_selection()
        market = self.catalog.markets.get(message.market_id)
        if market is not None and self.detail.market is not None \
                and self.detail.market.id == market.id:
            self._show_detail(market, load=False)
        verb = "Added to" if message.favorite else "Removed from"
        self.status.notify_sentence(f"{verb} favorites.")

    def on_visits_loaded(self, message: VisitsLoaded) -> None:
        self.catalog.set_visits(message.visits)  # type: ignore[arg-type]
        if self.selection.view == "since":
            self.apply_selection()

    def on_chart_loaded(self, message: ChartLoaded) -> None:
        market = self.detail.market
        if market is not None and market.id == message.market_id:
            self.detail.set_chart(message.series, message.labels, message.range_)

    def on_book_loaded(self, message: BookLoaded) -> None:
        market = self.detail.market
        if market is not None and market.id == message.market_id:
            self.detail.set_book(message.book, live=message.live)

    def on_news_loaded(self, message: NewsLoaded) -> None:
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

    def on_search_finished(self, message: SearchFinished) -> None:
        added = self.catalog.merge(message.markets, message.query)
        self.market_list.touch([m.id for m in message.markets])  # fresher numbers
        self.apply_selection()
        found = len(message.markets)
        if not found:
            notice = "Polymarket search found nothing more for the filter."
        else:
            more = f", {added} not loaded before" if added else ""
            notice = f"Polymarket search found {found} market{'s' if found != 1 else ''}{more}."
        self.status.notify_sentence(notice)

    def on_problem(self, message: Problem) -> None:
        self._problems[message.task] = message
        if message.task in ("markets", "prices") and self._mode == "POLLING":
            self._mode = "CACHED"  # the numbers on screen are no longer being refreshed
        self._show_problem()
        if message.task == "book":
            self.detail.set_book(None)
        if message.task == "markets" and not self.catalog.markets:
            self.apply_selection()  # the empty list says it failed, not "Loading…"

    def on_recovered(self, message: Recovered) -> None:
        self._problems.pop(message.task, None)
        if message.task in ("markets", "prices") and self._mode == "CACHED" and self._live \
                and not any(task in self._problems for task in ("markets", "prices")):
            self._mode = "LIVE" if self._stream_live else "POLLING"
        self._show_problem()

    def on_live_state(self, message: LiveState) -> None:
        """LIVE while the websocket prices the list; POLLING (REST) while it is down."""
        self._stream_live = message.state == "LIVE"
        if message.state == "LIVE":
            self._problems.pop("stream", None)
        elif message.state == "DOWN":
            # Short: the mode (POLLING) already says where prices come from meanwhile.
            reason = message.reason.rstrip(".") or "the connection was lost"
            self._problems["stream"] = Problem(
                "stream", f"Live prices down: {reason}; reconnecting.")
        if self._live and self._mode in ("LIVE", "POLLING"):
            self._mode = "LIVE" if self._stream_live else "POLLING"
        self._show_problem()
        market = self.detail.market
        if message.state == "DOWN" and market is not None and self.detail_visible:
            self.polyapp.load_book(market)  # the live book stopped: a /book snapshot

    def _show_problem(self) -> None:
        latest = max(self._problems.values(), key=lambda p: p.time, default=None)
        self.status.update(mode=self._mode, problem=latest.sentence if latest else "",
                           retry_at=latest.retry_at if latest else None)

    def on_notice(self, message: Notice) -> None:
        self.status.notify_sentence(message.sentence)

    # ------------------------------------------------------------ list events

    @on(MarketList.Highlighted)
    def _highlighted(self, message: MarketList.Highlighted) -> None:
        if message.market_id is not None and self.detail_visible:
            self._schedule_detail()
        self.polyapp.sync_stream()

    @on(MarketList.Chosen)
    def _chosen(self, message: MarketList.Chosen) -> None:
        self.action_open_detail()

    @on(MarketList.VisibleChanged)
    def _visible_changed(self) -> None:
        self._spark_timer = self._debounce(self._spark_timer, self.SPARK_DELAY, self._load_sparks)
        self.polyapp.sync_stream()

    def _load_sparks(self) -> None:
        wanted = []
        for market_id in self.market_list.visible_market_ids():
            market = self.catalog.markets.get(market_id)
            if market and market.outcomes and market.outcomes[0].token_id:
                token = market.outcomes[0].token_id
                if token not in self.market_list.sparks:
                    wanted.append(token)
        if wanted:
            self.polyapp.load_sparklines(wanted)

    @on(DetailPane.RangeChanged)
    def _range_changed(self, message: DetailPane.RangeChanged) -> None:
        self.chart_range = message.range_
        market = self.detail.market
        if market is not None:
            self.polyapp.load_chart(market, message.range_)

    # ------------------------------------------------------------ detail

    def _throttle(self, delay: float, callback: Callable[[], None]) -> Timer | None:
        """Run `callback` after `delay` (0: now); the caller keeps the timer to skip
        scheduling it again meanwhile."""
        if delay <= 0:
            callback()
            return None
        return self.set_timer(delay, callback)

    def _debounce(self, timer: Timer | None, delay: float,
                  callback: Callable[[], None]) -> Timer | None:
        """Run `callback` once `delay` passes without another call (0: at once)."""
        if timer is not None:
            timer.stop()
        if delay <= 0:
            callback()
            return None
        return self.set_timer(delay, callback)

    def _schedule_detail(self) -> None:
        # While typing a filter the highlighted market changes at every keystroke: wait for
        # a pause in the typing before re-rendering the detail.
        typing = self.DETAIL_DELAY > 0 and self.filter_input.has_focus
        delay = max(self.DETAIL_DELAY, self.TYPING_DETAIL_DELAY) if typing else self.DETAIL_DELAY
        self._detail_timer = self._debounce(self._detail_timer, delay, self._load_highlighted)

    def _load_highlighted(self) -> None:
        market = self.market_list.cursor_market
        if market is None or not self.detail_visible:
            return
        if self.detail.market is None or self.detail.market.id != market.id:
            self._show_detail(market, load=True)
            self._schedule_view(market)

    def _show_detail(self, market: Market, *, load: bool, record: bool = False) -> None:
        last_view = self._last_views.get(market.id) or self.catalog.visits.get(market.id)
        self.detail.show_market(
            market,
            event_markets=self.catalog.event_markets(market),
            last_view=last_view,  # type: ignore[arg-type]
            favorite=market.id in self.catalog.favorites,
            now=self.clock(),
        )
        if load:
            self.polyapp.load_detail(market, record=record)
            self.polyapp.load_chart(market, self.chart_range)
            self.polyapp.load_book(market)
            self.polyapp.select_news(market)

    def on_detail_ready(self, message: DetailReady) -> None:
        """The visit before this one (from SQLite): the detail shows the change since."""
        if message.last_view is None or message.market.id in self._last_views:
            return
        self._last_views[message.market.id] = message.last_view
        market = self.detail.market
        if market is not None and market.id == message.market.id and self.detail_visible:
            self._show_detail(self.catalog.markets.get(market.id, market), load=False)

    def _cancel_view(self) -> None:
        if self._view_timer is not None:
            self._view_timer.stop()
            self._view_timer = None

    def _schedule_view(self, market: Market) -> None:
        def record() -> None:
            shown = self.detail.market
            if shown is not None and shown.id == market.id and self.detail_visible:
                self.polyapp.record_view(market)

        self._view_timer = self._debounce(self._view_timer, self.VIEW_DELAY, record)

    # ------------------------------------------------------------ actions

    def action_open_detail(self) -> None:
        market = self.market_list.cursor_market
        if market is None:
            return
        # "Open" survives a resize: narrowing the terminal keeps the detail on screen.
        self._detail_open = True
        self.set_class(not self.has_class("-wide"), "-detail-open")
        self._sync_filter()
        if self.detail.market is None or self.detail.market.id != market.id:
            self._show_detail(market, load=True, record=True)
        else:
            self.polyapp.record_view(market)
        self.detail.focus()

    def action_back(self) -> None:
        if self.has_class("-filtering") and (self.filter_input.has_focus
                                             or self.selection.query):
            self._close_filter(clear=True)
        elif self._detail_open:
            self._detail_open = False
            self.remove_class("-detail-open")
            self._sync_filter()
            self.market_list.focus()
            if not self.has_class("-wide"):
                self._cancel_view()
        elif self.focused is not self.market_list:
            self.market_list.focus()
        elif self.selection.query:
            self._close_filter(clear=True)

    def action_toggle_favorite(self) -> None:
        market = self.current_market()
        if market is None:
            self.status.notify_sentence("Select a market first.")
            return
        self.polyapp.toggle_favorite(market)

    def action_open_polymarket(self) -> None:
        self.polyapp.open_link("polymarket", self.current_market())

    def action_open_tradingview(self) -> None:
        self.polyapp.open_link("tradingview", self.current_market())

    def action_copy_link(self) -> None:
        self.polyapp.open_link("copy", self.current_market())

    def action_add_alert(self) -> None:
        from tui.screens.alert_form import AlertForm

        market = self.current_market()
        if market is None:
            self.status.notify_sentence("Select a market first, then press a to add an alert.")
        elif self.polyapp.alerts is None:
            self.status.notify_sentence("Alerts are not available here.")
        else:
            self.app.push_screen(AlertForm(market))

    def action_alerts(self) -> None:
        from tui.screens.alerts import AlertsScreen

        if self.polyapp.alerts is None:
            self.status.notify_sentence("Alerts are not available here.")
        else:
            self.app.push_screen(AlertsScreen(self.polyapp.alerts))

    def action_refresh(self) -> None:
        self.polyapp.refresh_now()

    def action_filter(self) -> None:
        self._show_filter(True)
        # Now, not focus()'s call_later: keys typed right after "/" are already queued.
        self.set_focus(self.filter_input)

    def action_cycle_sort(self) -> None:
        from tui.browse import next_sort

        self.set_sort(next_sort(self.selection.sort))

    def action_reverse_sort(self) -> None:
        self.select(reverse=not self.selection.reverse)

    def action_cycle_view(self, step: int) -> None:
        views = self.catalog.views()
        keys = [v.key for v in views]
        index = keys.index(self.selection.view) if self.selection.view in keys else 0
        self.set_view(keys[(index + step) % len(keys)])

    def action_toggle_group(self) -> None:
        self.select(group=not self.selection.group)
        state = "grouped under their events" if self.selection.group else "ungrouped"
        self.status.notify_sentence(f"Markets {state}.")

    def action_chart_range(self, range_: str) -> None:
        self.chart_range = range_
        if self.detail_visible and self.detail.market is not None:
            self.detail.select_range(range_)  # the pane posts RangeChanged: load follows
        else:
            self.status.notify_sentence(f"Chart range {range_.upper()}: open a market to see it.")

    def action_next_pane(self) -> None:
        self._cycle_pane(1)

    def action_previous_pane(self) -> None:
        self._cycle_pane(-1)

    def _cycle_pane(self, step: int) -> None:
        if self.has_class("-filtering") and self.filter_input.has_focus:
            self.market_list.focus()
            return
        panes = []
        if not self.has_class("-detail-open"):
            panes.append(self.market_list)
        if self.detail_visible:
            panes += [self.detail, self.detail.chart, self.news.list]
        if not panes:
            return
        focused = self.focused
        index = panes.index(focused) if focused in panes else -1
        # Now, not focus()'s call_later: a second Tab typed at once starts from here.
        self.set_focus(panes[(index + step) % len(panes)])

    # ------------------------------------------------------------ filter

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.select(query=event.value)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        query = event.value.strip()
        if query:
            self.polyapp.search(query)
        else:
            self._show_filter(False)
        self.market_list.focus()

    def _show_filter(self, show: bool) -> None:
        # `display` directly, not through a CSS class: a class applies at the next style
        # update, and focus() on a widget that is not displayed yet does nothing, so keys
        # typed right after "/" would reach the list (and run its bindings).
        self.set_class(show, "-filtering")
        self._sync_filter()

    def _sync_filter(self) -> None:
        """The filter box shows while filtering, except over a full-screen detail."""
        covered = self._detail_open and not self.has_class("-wide")
        self.filter_input.display = self.has_class("-filtering") and not covered

    def _close_filter(self, *, clear: bool) -> None:
        if clear and self.filter_input.value:
            self.filter_input.value = ""  # posts Changed: the list follows
            self.select(query="")
        self._show_filter(False)
        self.market_list.focus()


def _fields(selection: Selection) -> dict[str, object]:
    return {name: getattr(selection, name) for name in Selection.__slots__}
