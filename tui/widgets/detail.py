"""Detail pane: one market's outcomes, numbers, chart, links and rules.

Every string from the network is untrusted here (it may read `[/b]` or
`[@click=app.quit]x`): it only ever enters a `Content` as a plain `str` part, which
Textual never parses as markup. Styles and layout are ours. Every price says how
old it is, against the `now` the app passes in (the app owns the clock).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Literal

from textual import events, on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.style import Style
from textual.widgets import Static

from tui.config import TradingViewConfig
from tui.models import Market, OrderBook, PricePoint, Visit
from tui.services.links import (
    TradingViewLink,
    polymarket_url,
    tradingview_for,
)
from tui.view.format import (
    LONG_UNITS,
    fmt_ago,
    fmt_change,
    fmt_duration,
    fmt_money,
    fmt_price,
    fmt_utc,
)
from tui.view.freshness import Freshness
from tui.view.prices import leading_price
from tui.widgets.book import BookView, book_time
from tui.widgets.chart import PriceChart

MarketState = Literal["open", "ending soon", "pending resolution", "resolved"]
ENDING_SOON_S = 24 * 3600
MAX_EVENT_ROWS = 12
EMPTY_TEXT = "Select a market to see its outcomes, chart, links and rules."
# Fewer rows than this for the lines and the chart is a flat line with one price label:
# while a trader pane shares the column, its room goes to the title and the prices.
MIN_CHART_ROWS = 4
CHART_NOTE = Content.assemble(("Chart hidden · N: news and chart", "$text-muted"))

Part = str | tuple[str, str | Style] | Content


# ---------------------------------------------------------------- formatting


_CHANGE_STYLES = {1: "$text-success", -1: "$text-error", 0: "$text-muted"}


def change_parts(delta: float | None) -> tuple[str, str]:
    """A price change (in price units) as ("▲ +2.5¢", style).

    The arrow and the sign carry the direction, so it reads without colour.
    """
    text, direction = fmt_change(delta, unit="¢")
    return text, _CHANGE_STYLES[direction]


def market_state(market: Market, now: datetime) -> MarketState:
    """open / ending soon (< 24 h) / pending resolution (past its end, not closed) / resolved."""
    if market.closed:
        return "resolved"
    if market.end_date is None:
        return "open"
    left = (market.end_date - now).total_seconds()
    if left <= 0:
        return "pending resolution"
    return "ending soon" if left < ENDING_SOON_S else "open"


def outcome_changes(market: Market) -> list[float | None]:
    """24h change per outcome: Gamma gives it for the first; the second of two mirrors it."""
    changes: list[float | None] = [None] * len(market.outcomes)
    if market.change_24h is not None and changes:
        changes[0] = market.change_24h
        if len(changes) == 2:
            changes[1] = -market.change_24h
    return changes


# ---------------------------------------------------------------- section builders


def _line(*parts: Part) -> Content:
    return Content.assemble(*parts)


def head_content(market: Market, *, favorite: bool) -> Content:
    parts: list[Part] = []
    if favorite:
        parts.append(("★ ", "$text-warning bold"))
    parts.append((market.question, "bold"))
    if market.event_title and market.event_title != market.question:
        parts += ["\n", ("Event: ", "$text-muted"), market.event_title]
    if market.group_title and market.group_title not in market.question:
        parts += ["\n", ("Outcome: ", "$text-muted"), market.group_title]
    if market.tags:
        tags = " · ".join(tag.label or tag.slug for tag in market.tags)
        parts += ["\n", ("Tags: ", "$text-muted"), tags]
    return _line(*parts)


def prices_at(market: Market, freshness: Freshness) -> datetime | None:
    """When the prices shown were last refreshed: the refresh while refreshing works
    (the detail's market is always watched), else when the list was fetched."""
    moment = freshness.refreshed_at if freshness.refreshing else freshness.data_at
    return moment or market.updated_at


def outcomes_content(market: Market, now: datetime,
                     freshness: Freshness | None = None) -> Content:
    moment = prices_at(market, freshness) if freshness is not None else market.updated_at
    rows: list[Content] = [
        _line(("Outcomes", "bold underline"), "  ",
              (f"prices as of {fmt_ago(moment, now)}", "$text-muted")),
    ]
    for outcome, change in zip(market.outcomes, outcome_changes(market), strict=True):
        change_text, change_style = change_parts(change)
        # Numbers first, the (untrusted, any length) name last: columns stay aligned.
        rows.append(_line(
            "  ", (fmt_price(outcome.price).rjust(7), "bold"), "  ",
            (change_text.ljust(9), change_style), (" 24h  ", "$text-muted"), outcome.name,
        ))
    if not market.outcomes:
        rows.append(_line(("  No outcomes listed", "$text-muted")))
    return Content("\n").join(rows)


def event_content(market: Market, event_markets: Sequence[Market]) -> Content | None:
    """The other outcomes of a multi-outcome event, highest price first."""
    if len(event_markets) < 2:
        return None
    ranked = sorted(event_markets, key=lambda m: -(m.yes_price or 0.0))
    rows: list[Content] = [_line((f"Outcomes in this event ({len(ranked)})", "bold underline"))]
    for other in ranked[:MAX_EVENT_ROWS]:
        change_text, change_style = change_parts(other.change_24h)
        label = other.group_title or other.question
        marker = ("› ", "bold $accent") if other.id == market.id else "  "
        rows.append(_line(
            marker, (fmt_price(other.yes_price).rjust(7), "bold"), "  ",
            (change_text.ljust(9), change_style), "  ", label,
        ))
    if len(ranked) > MAX_EVENT_ROWS:
        rows.append(_line((f"  … and {len(ranked) - MAX_EVENT_ROWS} more", "$text-muted")))
    return Content("\n").join(rows)


def quote_content(market: Market, book: OrderBook | None, now: datetime) -> Content:
    """Bid / ask / spread, from the order book when we have one, with its age."""
    if book is not None and (book.best_bid is not None or book.best_ask is not None):
        bid, ask, spread = book.best_bid, book.best_ask, book.spread
        # Name the outcome: after `O` the quote is the other side's book.
        side = next((o.name for o in market.outcomes if o.token_id == book.token_id), "")
        source = f"{side + ' ' if side else ''}order book {fmt_ago(book_time(book), now)}"
    else:
        bid, ask, spread = market.best_bid, market.best_ask, market.spread
        source = f"market data {fmt_ago(market.updated_at, now)}"
    return _line(
        ("Bid ", "$text-muted"), (fmt_price(bid), "bold"), ("   Ask ", "$text-muted"),
        (fmt_price(ask), "bold"), ("   Spread ", "$text-muted"), (fmt_price(spread), "bold"),
        ("   (" + source + ")", "$text-muted"),
    )


def money_content(market: Market, open_interest: float | None = None) -> Content:
    """Volume, 24h volume, liquidity, and open interest (the Data API's) once known."""
    parts: list[Part] = [
        ("Volume ", "$text-muted"), (fmt_money(market.volume), "bold"),
        ("   24h ", "$text-muted"), (fmt_money(market.volume_24h), "bold"),
        ("   Liquidity ", "$text-muted"), (fmt_money(market.liquidity), "bold"),
    ]
    if open_interest is not None:
        # Its own line: wrapped in a narrow pane it would split label from number.
        parts += ["\n", ("Open interest ", "$text-muted"), (fmt_money(open_interest), "bold")]
    return _line(*parts)


_STATE_STYLES: dict[MarketState, str] = {
    "open": "$text-success",
    "ending soon": "$text-warning bold",
    "pending resolution": "$text-warning",
    "resolved": "$text-muted bold",
}


def end_content(market: Market, now: datetime) -> Content:
    state = market_state(market, now)
    parts: list[Part] = [("State ", "$text-muted"), (state, _STATE_STYLES[state])]
    if market.end_date is not None:
        left = (market.end_date - now).total_seconds()
        span = fmt_duration(abs(left), LONG_UNITS)
        when = f"in {span}" if left > 0 else f"{span} ago"
        verb = "ends" if left > 0 else "ended"
        parts += [("   ", ""), (f"{verb} {fmt_utc(market.end_date)} ({when})", "")]
    else:
        parts.append(("   no end date given", "$text-muted"))
    if market.resolution_status:
        parts += [("   resolution: ", "$text-muted"), market.resolution_status]
    return _line(*parts)


def visit_content(market: Market, last_view: Visit | None, now: datetime) -> Content:
    """ "since your last visit 3h ago: ▲ +4.0¢" against the leading outcome's price."""
    if last_view is None:
        return _line(("First visit: changes since then will show here next time.",
                      "$text-muted"))
    current = leading_price(market)
    prefix = f"since your last visit {fmt_ago(last_view.viewed_at, now)}: "
    if current is None or last_view.price is None:
        return _line((prefix, "$text-muted"), ("no price to compare", "$text-muted"))
    change_text, change_style = change_parts(current - last_view.price)
    then_and_now = f" (then {fmt_price(last_view.price)}, now {fmt_price(current)})"
    return _line((prefix, "$text-muted"), (change_text, change_style),
                 (then_and_now, "$text-muted"))


def links_content(polymarket: str | None, tradingview: TradingViewLink | None) -> Content:
    """URLs as visible text carrying OSC 8 links (built in code: a validated URL only).

    The keys go on the heading line, so that a URL cut to the pane's width (the link
    still carries all of it) is the last thing on its line.
    """
    keys = [*(["o open", "y copy"] if polymarket is not None else []),
            *(["t chart"] if tradingview is not None else [])]
    parts: list[Part] = [("Links", "bold underline")]
    if keys:
        parts.append(("   " + " · ".join(keys), "$text-muted"))
    parts += ["\n", ("Polymarket   ", "$text-muted")]
    if polymarket is not None:
        parts.append((polymarket, Style(link=polymarket, underline=True)))
    else:
        parts.append(("no link for this market", "$text-muted"))
    parts += ["\n", ("TradingView  ", "$text-muted")]
    if tradingview is not None:
        parts.append((tradingview.symbol, Style(link=tradingview.url, underline=True)))
        if tradingview.label and tradingview.label != tradingview.symbol:
            parts.append((f" ({tradingview.label})", "$text-muted"))
    else:
        parts.append(("no related chart", "$text-muted"))
    return _line(*parts)


def rules_content(market: Market) -> Content:
    body: Part = market.description or ("Polymarket gave no description or rules.",
                                        "$text-muted")
    return _line(("Rules", "bold underline"), "\n", body)


# ---------------------------------------------------------------- the pane


class DetailPane(VerticalScroll):
    """Everything about one market; scrolls as a whole."""

    DEFAULT_CSS = """
    DetailPane {
        padding: 0 1;
    }
    DetailPane > Static {
        width: 1fr;
        height: auto;
        margin-bottom: 1;
    }
    DetailPane > .detail--tight {
        margin-bottom: 0;
    }
    /* Column-aligned lines: a long name or URL is cut with an ellipsis, never wrapped
       under the numbers (an OSC 8 link keeps its whole URL). */
    DetailPane > .detail--lines {
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    DetailPane > PriceChart {
        margin-bottom: 1;
    }
    DetailPane > BookView {
        margin-bottom: 1;
    }
    DetailPane.-empty > * {
        display: none;
    }
    DetailPane.-empty > #detail-empty {
        display: block;
    }
    DetailPane > #detail-empty {
        display: none;
        color: $text-muted;
    }
    DetailPane > .-hidden {
        display: none;
    }
    """

    class RangeChanged(Message):
        """The user picked a chart range in the pane: fetch it and call set_chart."""

        def __init__(self, range_: str) -> None:
            self.range_ = range_
            super().__init__()

    # How fresh the numbers are (the App's freshness model): the outcomes' age follows it.
    freshness: reactive[Freshness | None] = reactive(None, layout=False, repaint=False)

    def __init__(self, *, tradingview: TradingViewConfig | None = None,
                 name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        # Empty until the first show_market: only the placeholder line is displayed.
        super().__init__(name=name, id=id, classes=f"{classes or ''} -empty".strip())
        self._tradingview = tradingview
        self._market: Market | None = None
        self._event_markets: tuple[Market, ...] = ()
        self._last_view: Visit | None = None
        self._favorite = False
        self._book: OrderBook | None = None
        self._now = datetime.now(UTC)
        self._polymarket_url: str | None = None
        self._tradingview_link: TradingViewLink | None = None
        self._open_interest: tuple[str, float | None] | None = None  # (market id, USD)
        self._under_pane = False  # a trader pane shares the column

    def compose(self) -> ComposeResult:
        yield Static(EMPTY_TEXT, id="detail-empty", markup=False)
        yield Static(id="detail-head", markup=False)
        # The chart right under the question: in an 80×24 detail it is all on screen.
        yield PriceChart(id="detail-chart")
        yield Static(CHART_NOTE, id="detail-chart-note", markup=False,
                     classes="detail--lines detail--tight -hidden")
        yield Static(id="detail-outcomes", markup=False, classes="detail--lines")
        yield Static(id="detail-event", markup=False, classes="detail--lines")
        yield Static(id="detail-quote", markup=False, classes="detail--tight")
        yield Static(id="detail-money", markup=False, classes="detail--tight")
        yield Static(id="detail-end", markup=False, classes="detail--tight")
        yield Static(id="detail-visit", markup=False)
        yield BookView(id="detail-book", hide_empty=True)
        yield Static(id="detail-links", markup=False, classes="detail--lines")
        yield Static(id="detail-rules", markup=False)

    # ------------------------------------------------------------ public API

    @property
    def market(self) -> Market | None:
        return self._market

    @property
    def polymarket_link(self) -> str | None:
        return self._polymarket_url

    @property
    def tradingview_link(self) -> TradingViewLink | None:
        return self._tradingview_link

    @property
    def chart(self) -> PriceChart:
        return self.query_one("#detail-chart", PriceChart)

    def show_market(self, market: Market, *, event_markets: Sequence[Market] = (),
                    last_view: Visit | None = None, favorite: bool = False,
                    now: datetime) -> None:
        """Show `market`. A different market clears the chart until set_chart arrives."""
        if self._market is None or self._market.id != market.id:
            self._book = None
            self._show_book(None)
            self.chart.clear_series()
            self.scroll_home(animate=False)
        self._market = market
        self._event_markets = tuple(event_markets)
        self._last_view = last_view
        self._favorite = favorite
        self._now = now
        self._polymarket_url = polymarket_url(market)
        self._tradingview_link = tradingview_for(market, self._tradingview)
        self.remove_class("-empty")
        self._render_all()

    def set_chart(self, series: Mapping[str, Sequence[PricePoint]],
                  labels: Mapping[str, str], range_: str) -> None:
        self.chart.set_series(series, labels, range_)
        self._fit_chart()  # the legend's lines may have changed

    def set_under_pane(self, shown: bool) -> None:
        """A trader pane shares the column now (or no longer)."""
        self._under_pane = shown
        self._fit_chart()

    @property
    def chart_folded(self) -> bool:
        """The chart is hidden: a trader pane left it too few rows to be of use."""
        return self.chart.has_class("-hidden")

    def chart_rows(self) -> int:
        """The rows the chart would draw its lines in at the pane's present size."""
        # Width without padding and scrollbar whether or not one shows: hiding the chart
        # removes the scrollbar, and must not change the answer that hid it.
        width = self.size.width - 3
        height = self._chart_height(self.size)
        return self.chart.canvas_rows(width, height)

    def _chart_height(self, size: Size) -> int:
        """The chart's height in a pane of `size`, resolved as Textual does it (against
        the pane less the chart's margins), whether or not the chart is displayed."""
        styles, viewport = self.chart.styles, self.app.size
        room = size - styles.margin.totals
        height = styles.height.resolve(room, viewport) if styles.height is not None else 0
        if styles.max_height is not None:
            height = min(height, styles.max_height.resolve(room, viewport))
        if styles.min_height is not None:
            height = max(height, styles.min_height.resolve(room, viewport))
        return int(height)

    def on_resize(self, event: events.Resize) -> None:
        self._fit_chart()

    def _fit_chart(self) -> None:
        """Fold the chart (range tabs, lines, legend) while a trader pane leaves it fewer
        than MIN_CHART_ROWS rows, with one line saying so; it comes back with the room."""
        if not self.is_mounted:
            return
        fold = self._under_pane and self.size.height > 0 \
            and self.chart_rows() < MIN_CHART_ROWS
        if fold == self.chart_folded:
            return
        chart = self.chart
        chart.set_class(fold, "-hidden")
        self.query_one("#detail-chart-note", Static).set_class(not fold, "-hidden")
        if fold and chart.has_focus:
            self.focus()

    def set_chart_error(self, sentence: str) -> None:
        """The chart fetch failed: show why in the chart area instead of a stale chart."""
        self.chart.show_error(sentence)

    @property
    def book_view(self) -> BookView:
        return self.query_one("#detail-book", BookView)

    def set_book(self, book: OrderBook | None, *, live: bool = False,
                 loading: bool = False) -> None:
        """The selected outcome's book: `live` from the websocket, else a /book snapshot
        (`loading`: none yet, another outcome's is on its way)."""
        self._book = book
        self._show_book(book, live=live, loading=loading)
        if self._market is not None:
            self._update("#detail-quote", quote_content(self._market, book, self._now))

    def set_open_interest(self, market_id: str, value: float | None) -> None:
        """Open interest of `market_id` (it arrives after the market shows)."""
        self._open_interest = (market_id, value)
        if self._market is not None and self._market.id == market_id:
            self._update("#detail-money", money_content(self._market, value))

    def _known_open_interest(self, market: Market) -> float | None:
        known = self._open_interest
        return known[1] if known is not None and known[0] == market.id else None

    def refresh_ages(self, now: datetime) -> None:
        """Re-state every age against `now` (call it from the app's clock tick)."""
        self._now = now
        if self._market is not None:
            self.book_view.refresh_age(now)
            self._render_all()

    def select_range(self, range_: str) -> None:
        """Switch the chart to `range_` (shown as loading) and post RangeChanged."""
        self.chart.select_range(range_)

    def clear(self) -> None:
        self._market = None
        self._event_markets = ()
        self._last_view = None
        self._book = None
        self._show_book(None)
        self._polymarket_url = None
        self._tradingview_link = None
        self.chart.clear_series()
        self.add_class("-empty")

    # ------------------------------------------------------------ internals

    @on(PriceChart.RangeChanged)
    def _chart_range_changed(self, event: PriceChart.RangeChanged) -> None:
        event.stop()
        self.post_message(self.RangeChanged(event.range_))

    def _show_book(self, book: OrderBook | None, *, live: bool = False,
                   loading: bool = False) -> None:
        # Tolerates a pane not composed yet: a BookLoaded may arrive that early.
        for view in self.query("#detail-book").results(BookView):
            view.set_book(book, live=live, now=self._now, loading=loading)

    def watch_freshness(self) -> None:
        market = self._market
        if market is not None:
            self._update("#detail-outcomes", outcomes_content(market, self._now, self.freshness))

    def _render_all(self) -> None:
        market, now = self._market, self._now
        if market is None:
            return
        self._update("#detail-head", head_content(market, favorite=self._favorite))
        self._update("#detail-outcomes", outcomes_content(market, now, self.freshness))
        event = event_content(market, self._event_markets)
        self._update("#detail-event", event or Content(""), visible=event is not None)
        self._update("#detail-quote", quote_content(market, self._book, now))
        self._update("#detail-money", money_content(market, self._known_open_interest(market)))
        self._update("#detail-end", end_content(market, now))
        self._update("#detail-visit", visit_content(market, self._last_view, now))
        self._update("#detail-links",
                     links_content(self._polymarket_url, self._tradingview_link))
        self._update("#detail-rules", rules_content(market))

    def _update(self, selector: str, content: Content, *, visible: bool = True) -> None:
        static = self.query_one(selector, Static)
        static.update(content)
        # A class, not inline `display`, so the pane's -empty rule still hides it.
        static.set_class(not visible, "-hidden")
