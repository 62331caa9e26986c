"""The dashboard screen: the browsing column, the detail and news beside it, the footer.

It lays the panes out by size, turns keys into actions, routes the App's result
messages to the pane that shows them, and asks for what the detail needs by posting
requests (DetailWanted, ChartWanted, VisitSeen, ...). It starts no I/O itself.

The layout by size (-wide, -narrow, -detail-open, -tiny, -too-small) is
tui/screens/layout.py.
"""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input, Static

from tui.clock import Clock
from tui.config import TradingViewConfig
from tui.messages import (
    AlertFormWanted,
    AlertsWanted,
    BookLoaded,
    ChartLoaded,
    CommentsLoaded,
    DetailReady,
    FavoritesLoaded,
    FavoriteToggled,
    FavoriteWanted,
    FreshnessChanged,
    HoldersLoaded,
    LinkKind,
    LinkWanted,
    MarketsLoaded,
    MarketsPage,
    NewsLoaded,
    NewsStatus,
    NewsWanted,
    Notice,
    OpenInterestLoaded,
    PricesUpdated,
    RefreshWanted,
    SearchFinished,
    SparklinesLoaded,
    TradesLoaded,
    UiStateLoaded,
    VisitSeen,
    VisitsLoaded,
    WalletsWanted,
)
from tui.models import Market
from tui.screens.layout import TOO_SMALL, PaneLayout, next_pane
from tui.view.catalog import Catalog, Selection
from tui.view.freshness import Freshness
from tui.widgets.browser import ListResult, MarketBrowser
from tui.widgets.chart import RANGE_LABELS
from tui.widgets.market_list import MarketList
from tui.widgets.pacer import Pacer
from tui.widgets.side import LowerPane, SideColumn, SideResult, TraderResult
from tui.widgets.status import StatusLine

TICK_S = 1.0
DETAIL_AGES_S = 5.0
RANGES = ("1h", "6h", "1d", "1w", "1m", "max")
DEFAULT_RANGE = "1w"


# Every binding has an id: [keys] in config.toml remaps it.
DASHBOARD_BINDINGS: list[BindingType] = [
    Binding("enter", "open_detail", "Detail", id="open-detail"),
    Binding("escape", "back", "Back", id="back"),  # in the footer when it does something
    Binding("f,space", "toggle_favorite", "Favorite", id="favorite"),
    # Off the footer: at 60 columns it would cut "? Help".
    Binding("o", "open_link('polymarket')", "Open", show=False, id="open-polymarket"),
    Binding("t", "open_link('tradingview')", "TradingView", show=False,
            id="open-tradingview"),
    Binding("y", "open_link('copy')", "Copy link", show=False, id="copy-link"),
    # Off the footer: at 80 columns it would push "? Help" out of sight.
    Binding("a", "add_alert", "Add alert", show=False, id="alert-add"),
    Binding("A", "alerts", "Alerts", show=False, id="alerts-view"),
    Binding("r", "refresh", "Refresh", show=False, id="refresh"),
    Binding("exclamation_mark", "problems", "Problems", show=False, id="problems"),
    Binding("slash", "filter", "Filter", id="filter"),
    Binding("s", "cycle_sort", "Sort", id="sort-cycle"),
    Binding("S", "reverse_sort", "Reverse sort", show=False, id="sort-reverse"),
    Binding("v", "cycle_view(1)", "View", id="view-next"),
    Binding("V", "cycle_view(-1)", "Previous view", show=False, id="view-previous"),
    Binding("e", "toggle_group", "Group by event", show=False, id="group-by-event"),
    Binding("p", "pin_favorites", "Pin favorites first", show=False, id="pin-favorites"),
    *(
        Binding(str(n), f"chart_range('{r}')", f"Chart {RANGE_LABELS[r]}", show=False,
                id=f"range-{r}")
        for n, r in enumerate(RANGES, 1)
    ),
    # The detail's order book and chart line follow one outcome: Yes → No → Yes.
    Binding("O", "switch_outcome", "Switch outcome (book, chart)", show=False,
            id="outcome-switch"),
    # The side column's lower pane: trades tape, top holders, comments, news (N back).
    Binding("T", "lower_pane('trades')", "Trades", show=False, id="pane-trades"),
    Binding("H", "lower_pane('holders')", "Holders", show=False, id="pane-holders"),
    Binding("C", "lower_pane('comments')", "Comments", show=False, id="pane-comments"),
    Binding("N", "lower_pane('news')", "News", show=False, id="pane-news"),
    Binding("w", "open_wallet", "Open wallet…", show=False, id="wallet-open"),
    Binding("W", "wallets", "Wallets", show=False, id="wallets-view"),
    Binding("tab", "next_pane", "Next pane", show=False, id="pane-next"),
    Binding("shift+tab", "previous_pane", "Previous pane", show=False, id="pane-previous"),
    Binding("ctrl+c,super+c", "screen.copy_text", "Copy selected text", show=False,
            id="copy-text"),
]


class MainScreen(Screen[None], inherit_bindings=False):
    """Everything the user browses; one instance for the life of the app."""

    AUTO_FOCUS = "#markets"

    BINDINGS = DASHBOARD_BINDINGS

    def __init__(self, *, freshness: Freshness, clock: Clock,
                 tradingview: TradingViewConfig | None = None, mouse: bool = True) -> None:
        super().__init__(id="main")
        self.clock = clock
        self._freshness = freshness
        self._tradingview = tradingview
        self._mouse = mouse
        self.panes = PaneLayout(self)
        self._catalog = Catalog()  # shared by the list and the detail
        self._pacer = Pacer(lambda delay, callback: self.set_timer(delay, callback))
        self._news_started = False

    # ------------------------------------------------------------ composition

    @property
    def browser(self) -> MarketBrowser:
        return self.query_one("#main-column", MarketBrowser)

    @property
    def catalog(self) -> Catalog:
        return self._catalog

    @property
    def selection(self) -> Selection:
        return self.browser.selection

    @property
    def market_list(self) -> MarketList:
        return self.browser.market_list

    @property
    def status(self) -> StatusLine:
        return self.browser.status

    @property
    def side(self) -> SideColumn:
        return self.query_one("#side", SideColumn)

    def compose(self) -> ComposeResult:
        # The size classes before the panes exist: styling them once mounted would
        # restyle every widget again on the way to the first frame.
        self.panes.apply_size(self.app.size.width, self.app.size.height)
        with Horizontal(id="body"):
            yield MarketBrowser(self._catalog, freshness=self._freshness, clock=self.clock,
                                mouse=self._mouse, id="main-column")
            yield SideColumn(self._catalog, clock=self.clock,
                             tradingview=self._tradingview, id="side")
        yield Footer(compact=True)
        yield Static(TOO_SMALL, id="too-small", markup=False)

    def on_mount(self) -> None:
        # The clock ticks here, not on the app: screen timers stop with the screen.
        self.set_interval(TICK_S, self._tick)
        self.set_interval(DETAIL_AGES_S, lambda: self.side.tick(self.clock()))
        self._apply_size(self.app.size.width, self.app.size.height)

    # ------------------------------------------------------------ size

    def on_resize(self, event: events.Resize) -> None:
        self._apply_size(event.size.width, event.size.height)

    def _apply_size(self, width: int, height: int) -> None:
        self.panes.apply_size(width, height)
        self._sync_panes()
        if self.panes.wide and self.market_list.cursor_key:
            self._schedule_detail()

    @property
    def detail_visible(self) -> bool:
        return self.panes.detail_visible

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer follows the context: "Detail" while it is closed, "Back" while
        Esc has something to close."""
        if action == "open_detail":
            return not self.panes.detail_covers_list
        if action == "back":
            focused = self.focused
            return self.panes.detail_open or self.browser.filtering \
                or (focused is not None and focused is not self.market_list)
        return True

    def _sync_panes(self) -> None:
        """The side column knows it is on screen; the filter box shows while filtering,
        except over a full-screen detail."""
        self.side.shown = self.detail_visible
        self.side.sync_lower()  # a hidden trader pane is not refreshed
        self.refresh_bindings()
        self.browser.show_filter(self.browser.filtering, covered=self.panes.detail_covers_list)

    # ------------------------------------------------------------ showing

    def current_market(self) -> Market | None:
        if self.detail_visible and self.side.detail.market is not None:
            return self.catalog.markets.get(self.side.detail.market.id, self.side.detail.market)
        return self.market_list.cursor_market

    def set_view(self, key: str) -> None:
        self.browser.set_view(key)

    def set_sort(self, key: str, reverse: bool = False) -> None:
        self.browser.set_sort(key, reverse)

    def jump_to(self, market_id: str) -> None:
        self.browser.jump_to(market_id)

    def open_market(self, market_id: str) -> None:
        """The cursor on `market_id` and its detail open (from a wallet's position)."""
        self.jump_to(market_id)
        self.action_open_detail()

    def _tick(self) -> None:
        """Ages in the status line, time left in the list."""
        self.browser.tick()
        self.side.news.tick(self.clock())
        self.side.tick_lower(self.clock())

    # ------------------------------------------------------------ results

    def on_markets_loaded(self, message: MarketsLoaded) -> None:
        self.browser.show_markets(message)
        # The list paints first; the detail catches up with the fresh numbers after.
        self.call_after_refresh(self.side.refresh_market)
        if not self._news_started and not self.detail_visible:
            # No market in the detail (the wide layout's follows the cursor): general
            # news, with the favorites' topics.
            self._news_started = True
            self.post_message(NewsWanted(None, self.browser.favorite_markets()))

    def on_markets_page(self, message: MarketsPage) -> None:
        """Part of a list still loading (see MarketBrowser.merge_page)."""
        self.browser.merge_page(message)

    def on_ui_state_loaded(self, message: UiStateLoaded) -> None:
        self.browser.restore(message.state)

    @on(MarketBrowser.PricesApplied)
    def _prices_applied(self, message: MarketBrowser.PricesApplied) -> None:
        self.side.prices_changed(message.market_ids)

    def on_favorite_toggled(self, message: FavoriteToggled) -> None:
        self.browser.toggle_favorite(message)
        self.side.refresh_market()  # its star

    @on(PricesUpdated)
    @on(SparklinesLoaded)
    @on(FavoritesLoaded)
    @on(VisitsLoaded)
    @on(SearchFinished)
    def _to_browser(self, message: ListResult) -> None:
        self.browser.show(message)

    @on(DetailReady)
    @on(ChartLoaded)
    @on(BookLoaded)
    @on(NewsLoaded)
    @on(NewsStatus)
    def _to_side(self, message: SideResult) -> None:
        self.side.show_result(message)

    @on(TradesLoaded)
    @on(HoldersLoaded)
    @on(CommentsLoaded)
    @on(OpenInterestLoaded)
    def _to_trader_panes(self, message: TraderResult) -> None:
        self.side.trader_result(message)

    def on_notice(self, message: Notice) -> None:
        # A toast, never the status line: it has room for the whole sentence.
        self.notify(message.sentence, markup=False)

    def on_freshness_changed(self, message: FreshnessChanged) -> None:
        before, self._freshness = self._freshness, message.freshness
        self.browser.set_freshness(message.freshness)
        self.side.freshness_changed(before, message.freshness)

    # ------------------------------------------------------------ the detail follows

    @on(MarketList.Highlighted)
    def _highlighted(self, message: MarketList.Highlighted) -> None:
        if message.market_id is not None and self.detail_visible:
            self._schedule_detail()
        self.browser.watch_tokens()

    @on(MarketList.Chosen)
    def _chosen(self) -> None:
        self.action_open_detail()

    def _schedule_detail(self) -> None:
        # While typing a filter the highlighted market changes at every keystroke.
        self.side.follow(lambda: self.market_list.cursor_market,
                         typing=self.browser.filter_input.has_focus)

    @on(SideColumn.Opened)
    def _side_opened(self, message: SideColumn.Opened) -> None:
        self.browser.selected_id = message.market_id
        self.browser.watch_tokens()

    # ------------------------------------------------------------ actions

    def action_open_detail(self) -> None:
        if self.focused is self.market_list and self.market_list.toggle_fold():
            return  # Enter on an event's heading folds or unfolds it
        market = self.market_list.cursor_market
        if market is None:
            return
        self.panes.open_detail()
        self._sync_panes()
        if self.side.detail.market is None or self.side.detail.market.id != market.id:
            self.side.open(market, record=True)
        else:
            self.post_message(VisitSeen(market))
        self.side.detail.focus()

    def action_back(self) -> None:
        """Esc closes the innermost thing: the filter being typed, then the full-screen
        detail, then leaves a side pane for the list, then clears the filter."""
        browser = self.browser
        if browser.filtering and self.browser.filter_input.has_focus:
            browser.close_filter(clear=True)
        elif self.panes.detail_open:
            self._close_detail()
        elif self.focused is not self.market_list:
            self.market_list.focus()
        elif self.selection.query:
            browser.close_filter(clear=True)

    def _close_detail(self) -> None:
        self.panes.close_detail()
        self._sync_panes()
        self.set_focus(self.market_list)  # now: a focus asked for right after must win
        if not self.panes.wide:
            self.side.cancel_visit()

    def _selected(self, hint: str) -> Market | None:
        market = self.current_market()
        if market is None:
            self.notify(hint, markup=False)
        return market

    def action_toggle_favorite(self) -> None:
        market = self._selected("Select a market first.")
        if market is not None:
            self.post_message(FavoriteWanted(market))

    def action_open_link(self, kind: LinkKind) -> None:
        self.post_message(LinkWanted(kind, self.current_market()))

    def action_add_alert(self) -> None:
        market = self._selected("Select a market first, then press a to add an alert.")
        if market is not None:
            self.post_message(AlertFormWanted(market))

    def action_alerts(self) -> None:
        self.post_message(AlertsWanted())

    def action_problems(self) -> None:
        from tui.screens.problems import ProblemsScreen

        self.app.push_screen(ProblemsScreen(self._freshness, self.clock()))

    def action_refresh(self) -> None:
        self.post_message(RefreshWanted())

    def action_filter(self) -> None:
        if self.has_class("-detail-open"):
            self._close_detail()  # the filter box and the list it filters must be seen
        self.browser.open_filter()

    def action_cycle_sort(self) -> None:
        self.browser.cycle_sort()

    def action_reverse_sort(self) -> None:
        self.browser.select(reverse=not self.selection.reverse)

    def action_cycle_view(self, step: int) -> None:
        self.browser.cycle_view(step)

    def action_toggle_group(self) -> None:
        self.browser.select(group=not self.selection.group)
        state = "grouped under their events" if self.selection.group else "ungrouped"
        self.notify(f"Markets {state}.", markup=False)

    def action_pin_favorites(self) -> None:
        self.browser.toggle_pin()

    def action_chart_range(self, range_: str) -> None:
        self.side.select_range(range_)
        if not self.detail_visible or self.side.detail.market is None:
            self.notify(f"Chart range {RANGE_LABELS[range_]}: open a market to see it.",
                        markup=False)

    def action_switch_outcome(self) -> None:
        self.side.switch_outcome_asked()

    async def action_lower_pane(self, pane: LowerPane) -> None:
        """T, H, C: the selected market's trades, holders or comments under the detail
        (opened first where it is closed), with the cursor in them; N: the news again."""
        if pane != "news" and not self.detail_visible:
            if self.market_list.cursor_market is None:
                self.notify("Select a market first.", markup=False)
                return
            self.action_open_detail()
        await self.side.show_lower(pane)
        # focus(), not set_focus(): it lands after the detail's own (opening it focuses it).
        if pane != "news" and self.detail_visible:
            self.side.lower_list.focus()
        elif self.focused is not None and self.focused not in (
                self.market_list, self.side.detail, self.side.detail.chart):
            self.side.lower_list.focus()

    def action_open_wallet(self) -> None:
        from tui.screens.prompt import ask_for_address

        ask_for_address(self.app)

    def action_wallets(self) -> None:
        self.post_message(WalletsWanted())

    def action_next_pane(self) -> None:
        self._cycle_pane(1)

    def action_previous_pane(self) -> None:
        self._cycle_pane(-1)

    # The filter's events are handled here, not in the browser: the list's Highlighted
    # would otherwise come from the browser and stop there (Textual stops a message at
    # its sender), and the detail must follow it.
    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.browser.select(query=event.value)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        self.browser.submit_filter(event.value)

    def _cycle_pane(self, step: int) -> None:
        if self.browser.filtering and self.browser.filter_input.has_focus:
            self.market_list.focus()
            return
        panes: list[Widget] = [] if self.panes.detail_covers_list else [self.market_list]
        if self.detail_visible:
            chart = self.side.detail.chart  # hidden while a trader pane leaves it no room
            panes += [self.side.detail, *([chart] if chart.display else []),
                      self.side.lower_list]
        # Now, not focus()'s call_later: a second Tab typed at once starts from here.
        self.set_focus(next_pane(panes, self.focused, step))
