"""The browsing column: status line, market list and filter, over one Catalog.

It owns what the list shows (a `Catalog` and a `Selection`), renders the list's
results (markets, prices, sparklines, favorites, visits, search) and asks for what it
needs by posting requests (TokensWatched, SparklinesWanted, SearchWanted); it never
calls the App. Status, list and filter share one column on purpose: what changes
together on a keystroke or a price tick sits in one rectangle, and Textual repaints the
rectangle that surrounds every change.

Requests are posted to the App itself: a message created while the screen runs
stops bubbling at the screen (Textual stops it at the node that sent it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message

from tui.clock import Clock
from tui.messages import (
    FavoritesLoaded,
    FavoriteToggled,
    MarketsLoaded,
    MarketsPage,
    PricesUpdated,
    SearchFinished,
    SearchWanted,
    SparklinesLoaded,
    SparklinesWanted,
    TokensWatched,
    UiStateChanged,
    VisitsLoaded,
)
from tui.models import Market
from tui.view.catalog import Catalog, Selection
from tui.view.columns import SPARK_CELLS
from tui.view.freshness import Freshness
from tui.view.selection import empty_message, restored, saved_state
from tui.view.sorts import SORTS, next_sort
from tui.view.sparkline import SparkSlices
from tui.view.views import ViewSpec
from tui.widgets.filter import FilterInput
from tui.widgets.market_list import MarketList
from tui.widgets.pacer import Pacer
from tui.widgets.status import StatusLine

ListResult = PricesUpdated | SparklinesLoaded | FavoritesLoaded | VisitsLoaded | SearchFinished

PAGE_FLUSH_STEP = 5_000  # markets on screen per step of the merge interval
PAGE_FLUSH_STEPS = 4  # at most this many times the base interval


def page_flush_delay(shown: int, base: float) -> float:
    """Seconds before the pages of a loading list merge: at once when nothing shows
    yet (the first rows), then `base`, growing a step every PAGE_FLUSH_STEP markets
    shown: the user reads the top of the list while its tail loads, and fewer
    merges of a long list leave the keys less to wait behind."""
    if not shown:
        return 0.0
    return base * min(PAGE_FLUSH_STEPS, 1 + shown // PAGE_FLUSH_STEP)


class MarketBrowser(Vertical):
    """Status line, market list and filter; one instance for the life of the app."""

    SPARK_DELAY: ClassVar[float] = 0.25
    # Price ticks are applied twice a second at most: a burst becomes one repaint (a
    # full-list repaint costs ~10 ms).
    PRICE_FLUSH_S: ClassVar[float] = 0.5
    WARM_DELAY: ClassVar[float] = 0.05
    # Pages of a list still loading are merged this often at most, and less often as
    # the list grows (see page_flush_delay): each merge re-sorts the whole list (~10 ms
    # at 20,000 markets) and repaints it, and a key waits behind both.
    PAGE_FLUSH_S: ClassVar[float] = 0.25

    @dataclass
    class PricesApplied(Message):
        """Prices changed these markets (the detail may follow)."""

        market_ids: frozenset[str]

    def __init__(self, catalog: Catalog, *, freshness: Freshness, clock: Clock, mouse: bool,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.catalog = catalog
        self.selection = Selection()
        self.freshness = freshness
        self.clock = clock
        self.selected_id: str | None = None  # the market the detail shows
        self._mouse = mouse
        self._pending_prices: dict[str, float] = {}
        self._pending_pages: dict[str, Market] = {}  # markets of pages not merged yet
        self._slices_end = 0  # where the sparklines' last slice ends (unix seconds)
        self._pacer = Pacer(lambda delay, callback: self.set_timer(delay, callback))

    @property
    def market_list(self) -> MarketList:
        return self.query_one("#markets", MarketList)

    @property
    def status(self) -> StatusLine:
        return self.query_one("#status", StatusLine)

    @property
    def filter_input(self) -> FilterInput:
        return self.query_one("#filter", FilterInput)

    def compose(self) -> ComposeResult:
        yield StatusLine(clock=self.clock, freshness=self.freshness, id="status")
        yield MarketList(id="markets")
        yield FilterInput(id="filter",
                          placeholder="Filter: words in any order · Enter also "
                                      "searches Polymarket · Esc clears")

    def on_mount(self) -> None:
        self.market_list.mouse_enabled = self._mouse
        self.status.update(view=self.view_spec.label, sort=self.sort_label)

    # ------------------------------------------------------------ selection

    @property
    def view_spec(self) -> ViewSpec:
        return self.catalog.view(self.selection.view)

    @property
    def sort_label(self) -> str:
        flipped = " (reversed)" if self.selection.reverse else ""
        return f"by {SORTS[self.selection.sort].label}{flipped}"

    def apply_selection(self, *, keep: str | None = None, top: bool = False,
                        steady: bool = False) -> None:
        """Recompute the rows for the current selection and show them; the cursor goes
        to the first row (`top`) or stays on row `keep` (or where it is), and with
        `steady` on the same screen line."""
        now = self.clock()
        rows = self.catalog.select(self.selection, now)
        view = self.view_spec
        listing = self.market_list
        listing.configure(markets=self.catalog.markets, favorites=self.catalog.favorites,
                          visits=self.catalog.visits, columns=view.columns,
                          now=now, empty_message=empty_message(self.catalog, self.selection, view,
                                                        self.freshness))
        listing.set_sort(self.selection.sort, self.selection.reverse)
        listing.set_rows(rows, keep=keep, top=top, steady=steady)
        self.status.update(shown=rows.market_count, total=len(self.catalog.markets),
                           position=listing.place, view=view.label, sort=self.sort_label,
                           query=self.selection.query,
                           pinned=self.selection.pinned and bool(self.catalog.favorites))

    # A new order starts at its top: the cursor would otherwise stay on its market,
    # somewhere down the new order, with the top of the list out of sight.
    REORDERING: ClassVar[frozenset[str]] = frozenset({"view", "sort", "reverse",
                                                      "pin_favorites"})

    def select(self, **changes: object) -> None:
        """Change the selection (view, sort, query, group, pinning) and repaint."""
        self.selection = replace(self.selection, **changes)  # type: ignore[arg-type]
        self.apply_selection(top=bool(changes.keys() & self.REORDERING))
        if changes.keys() - {"query"}:
            self.app.post_message(UiStateChanged(self.ui_state()))

    def toggle_pin(self) -> None:
        """Favorites first in All, or in the sort order with the rest."""
        pin = not self.selection.pin_favorites
        self.select(pin_favorites=pin)
        self.notify("Favorites pinned first in All." if pin
                    else "Favorites sorted with the rest.", markup=False)

    def set_view(self, key: str) -> None:
        """Another view keeps the sort the user chose."""
        self.select(view=self.catalog.view(key).key)

    def ui_state(self) -> dict[str, str]:
        return saved_state(self.selection)

    def restore(self, state: Mapping[str, str]) -> None:
        """The previous session's choices."""
        self.selection = restored(self.selection, state)
        self.apply_selection(top=True)

    def set_sort(self, key: str, reverse: bool = False) -> None:
        if key in SORTS:
            self.select(sort=key, reverse=reverse)

    def cycle_sort(self) -> None:
        self.set_sort(next_sort(self.selection.sort, self.selection.view))

    def cycle_view(self, step: int) -> None:
        keys = [v.key for v in self.catalog.views()]
        index = keys.index(self.selection.view) if self.selection.view in keys else 0
        self.set_view(keys[(index + step) % len(keys)])

    def jump_to(self, market_id: str) -> None:
        """Put the cursor on a market, widening the selection if it is filtered out."""
        if not self.market_list.move_to_key(market_id):
            self.filter_input.value = ""
            market = self.catalog.markets.get(market_id)
            event = f"event:{market.event_id}" if market and market.event_id else ""
            self.selection = replace(self.selection, view="all", query="",
                                     folded=self.selection.folded - {event})
            self.apply_selection(keep=market_id)
            self.show_filter(False)
        self.market_list.focus()

    def watch_tokens(self) -> None:
        """Ask for prices of the favorites, the detail's market and the visible rows."""
        shown = [self.selected_id, self.market_list.cursor_key,
                 *self.market_list.visible_market_ids()]
        self.app.post_message(TokensWatched(self.catalog.tokens_to_watch(shown)))

    def favorite_markets(self) -> tuple[Market, ...]:
        markets = self.catalog.markets
        return tuple(markets[i] for i in sorted(self.catalog.favorites) if i in markets)

    def tick(self) -> None:
        now = self.clock()
        self.status.tick()
        self.market_list.tick(now)
        slices_end = SparkSlices.ending_at(now.timestamp(), SPARK_CELLS).end
        if slices_end != self._slices_end:
            # A new slice of the week began: every sparkline moves one cell along.
            if self._slices_end:
                self.market_list.sparks.clear()
                self._want_sparks()
            self._slices_end = slices_end

    def set_freshness(self, freshness: Freshness) -> None:
        failed_first_load = (freshness.issue("markets") is not None
                             and self.freshness.issue("markets") is None)
        load_ended = self.freshness.loading is not None and freshness.loading is None
        self.freshness = freshness
        self.status.freshness = freshness
        if failed_first_load and not self.catalog.markets:
            self.apply_selection()  # the empty list says it failed, not "Loading…"
        if load_ended:  # the sparklines that waited for it (see _want_sparks)
            self._pacer.debounce("sparks", self.SPARK_DELAY, self._want_sparks)

    # ------------------------------------------------------------ results

    def show(self, message: ListResult) -> None:
        """A result of the App's for the list (the screen routes them here)."""
        match message:
            case PricesUpdated():
                self.add_prices(message)
            case SparklinesLoaded():
                self.market_list.set_sparks(message.series)
            case FavoritesLoaded():
                self.show_favorites(message)
            case VisitsLoaded():
                self.show_visits(message)
            case SearchFinished():
                self.show_search(message)

    def show_markets(self, message: MarketsLoaded) -> None:
        """A whole list: it replaces what shows; the cursor stays on its row and line."""
        self._pacer.cancel("pages")
        self._pending_pages = {}
        keep = self.market_list.cursor_key
        self.catalog.set_markets(message.markets)
        self.apply_selection(keep=keep, steady=True)
        self.watch_tokens()
        self._pacer.debounce("warm", self.WARM_DELAY, self._warm)

    def merge_page(self, message: MarketsPage) -> None:
        """Part of a list still loading: the first part shows at once, later ones are
        merged a few times a second (each merge re-sorts the list), and the cursor's
        row stays on its line."""
        self._pending_pages.update((m.id, m) for m in message.markets)
        self._pacer.throttle("pages", page_flush_delay(len(self.catalog.markets),
                                                       self.PAGE_FLUSH_S), self._flush_pages)

    def _flush_pages(self) -> None:
        pending, self._pending_pages = self._pending_pages, {}
        if not pending:
            return
        self.catalog.merge(pending.values())
        self.market_list.touch(pending)  # fresher numbers for rows already drawn
        self.apply_selection(steady=True)
        self.watch_tokens()

    def _warm(self) -> None:
        """Build the filter's texts a slice at a time while the user reads the list."""
        if not self.catalog.warm():
            self._pacer.debounce("warm", self.WARM_DELAY, self._warm)

    def add_prices(self, message: PricesUpdated) -> None:
        self._pending_prices.update(message.prices)
        self._pacer.throttle("prices", self.PRICE_FLUSH_S, self._flush_prices)

    def _flush_prices(self) -> None:
        prices, self._pending_prices = self._pending_prices, {}
        changed = self.catalog.apply_prices(prices, self.catalog.ids_for_tokens(prices))
        self.market_list.touch(changed)
        if changed:
            self.post_message(self.PricesApplied(frozenset(changed)))

    def show_favorites(self, message: FavoritesLoaded) -> None:
        self.catalog.set_favorites(message.ids)
        if self.catalog.markets:
            self.apply_selection()

    def toggle_favorite(self, message: FavoriteToggled) -> None:
        self.catalog.set_favorite(message.market_id, message.favorite)
        self.market_list.touch([message.market_id])  # its star changed
        if self.selection.view in ("favorites", "all"):  # where favorites are first
            self.apply_selection()
        verb = "Added to" if message.favorite else "Removed from"
        self.notify(f"{verb} favorites.", markup=False)

    def show_visits(self, message: VisitsLoaded) -> None:
        self.catalog.set_visits(message.visits)
        if self.selection.view == "since":
            self.apply_selection()

    def show_search(self, message: SearchFinished) -> None:
        added = self.catalog.merge(message.markets, message.query)
        self.market_list.touch([m.id for m in message.markets])  # fresher numbers
        self.apply_selection()
        found = len(message.markets)
        hidden_by = self._widen_for(message.markets)
        if not found:
            notice = "Polymarket search found nothing more for the filter."
        else:
            more = f", {added} not loaded before" if added else ""
            notice = f"Polymarket search found {found} market{'s' if found != 1 else ''}{more}."
            if hidden_by:
                notice += f" Showing them in All ({hidden_by} hides some)."
        self.notify(notice, markup=False)

    def _widen_for(self, found: Sequence[Market]) -> str:
        """Search results are always shown: when the view hides some, switch to All
        (keeping the filter and the sort); the label of the view that hid them, or ""."""
        shown = set(self.market_list.rows.market_ids())
        if self.selection.view == "all" or all(m.id in shown for m in found):
            return ""
        hidden_by = self.view_spec.label
        self.select(view="all")
        return hidden_by

    # ------------------------------------------------------------ list events

    @on(MarketList.Placed)
    def _placed(self, message: MarketList.Placed) -> None:
        self.status.update(position=message.place, shown=message.count)

    @on(MarketList.FoldWanted)
    def _fold(self, message: MarketList.FoldWanted) -> None:
        """Fold or unfold an event's markets; the cursor goes to its heading."""
        folded = self.selection.folded
        folded = folded | {message.heading} if message.fold else folded - {message.heading}
        self.selection = replace(self.selection, folded=folded)
        self.apply_selection(keep=message.heading)
        heading = self.market_list.rows.headings.get(message.heading)
        if heading is not None and not message.fold:
            self.market_list.reveal_below(heading.count)

    @on(MarketList.VisibleChanged)
    def _visible_changed(self) -> None:
        self._pacer.debounce("sparks", self.SPARK_DELAY, self._want_sparks)
        self.watch_tokens()

    def _want_sparks(self) -> None:
        """Sparklines of the rows in sight, except while a list loads from the API: the
        rows in sight change as pages merge, and their week of history (a request per
        token) would take the main thread's time from the load and from the keys."""
        if self.freshness.fresh_list and self.freshness.loading is not None:
            return  # asked for when the load ends (set_freshness)
        wanted = self.catalog.spark_tokens(self.market_list.visible_market_ids(),
                                           have=self.market_list.sparks)
        if wanted:
            self.app.post_message(SparklinesWanted(wanted))

    # ------------------------------------------------------------ filter

    @property
    def filtering(self) -> bool:
        return self.filter_input.shown

    def open_filter(self) -> None:
        self.filter_input.open()

    def submit_filter(self, text: str) -> None:
        """Enter in the filter: search Polymarket for it (empty: close the filter)."""
        query = text.strip()
        if query:
            self.app.post_message(SearchWanted(query))
        else:
            self.filter_input.show(False)
        self.market_list.focus()

    def show_filter(self, show: bool, *, covered: bool | None = None) -> None:
        self.filter_input.show(show, covered=covered)

    def close_filter(self, *, clear: bool) -> None:
        if clear and self.filter_input.value:
            self.filter_input.value = ""  # posts Changed: the list follows
            self.select(query="")
        self.filter_input.show(False)
        self.market_list.focus()
