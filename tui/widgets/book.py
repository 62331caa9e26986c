"""BookView: the order book ladder of one outcome: a header naming the outcome, the asks
and the bids under their own headings, each level's price, size, cumulative depth and a
size bar, then spread, mid and last trade.

Asks sit above the spread line (best ask nearest to it), bids below (best bid nearest).
Depth is the shares from the best price out to that level: what a market order must
take to reach it. Both sides are padded to `depth` lines so the widget keeps its height
while a live book changes. Sizes are `fmt_shares` (one rule); the outcome's name is
data and, like the numbers, enters `Content` as a plain part: never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import accumulate

from textual.content import Content
from textual.widget import Widget

from tui.models import BookLevel, OrderBook
from tui.view.format import HOUR_UNITS, fmt_ago, fmt_price, fmt_shares

DEPTH = 10
PRICE_W = 7  # "100.0¢"
GAP = "  "
MIN_BAR = 4
EIGHTHS = " ▏▎▍▌▋▊▉"
FULL = "█"
SIZE_TITLE = "Size"
DEPTH_TITLE = "Depth"
# Lines besides the levels: header, "Asks" heading, spread line, "Bids" heading.
CHROME_LINES = 4

ASK_STYLE = "$text-error"
BID_STYLE = "$text-success"
MUTED = "$text-muted"


def cumulative(levels: Sequence[BookLevel]) -> list[float]:
    """The depth at each level (best first): the shares from the best price out to it."""
    return list(accumulate(level.size for level in levels))


def bar_text(size: float, largest: float, width: int) -> str:
    """A bar of `width` cells at most, in eighths of a cell, proportional to size."""
    if width <= 0 or largest <= 0 or size <= 0:
        return ""
    eighths = max(1, round(size / largest * width * 8))
    full, rest = divmod(min(eighths, width * 8), 8)
    return FULL * full + (EIGHTHS[rest] if rest else "")


@dataclass(frozen=True, slots=True)
class Columns:
    """The ladder's column widths, shared by both sides so their numbers line up."""

    size: int
    depth: int
    bar: int
    largest: float  # the largest level shown: the full bar

    @classmethod
    def fit(cls, asks: Sequence[BookLevel], bids: Sequence[BookLevel], width: int) -> Columns:
        sizes = [fmt_shares(level.size) for level in (*asks, *bids)]
        depths = [fmt_shares(total) for side in (asks, bids) for total in cumulative(side)]
        size_w = max([len(SIZE_TITLE), *map(len, sizes)])
        depth_w = max([len(DEPTH_TITLE), *map(len, depths)])
        bar = max(MIN_BAR, width - PRICE_W - size_w - depth_w - 3 * len(GAP))
        largest = max((level.size for level in (*asks, *bids)), default=0.0)
        return cls(size_w, depth_w, bar, largest)

    def heading(self, side: str, style: str) -> Content:
        return Content.assemble((side.rjust(PRICE_W), f"bold {style}"), GAP,
                                (SIZE_TITLE.rjust(self.size), MUTED), GAP,
                                (DEPTH_TITLE.rjust(self.depth), MUTED))

    def level(self, level: BookLevel | None, depth: float, style: str) -> Content:
        if level is None:
            return Content("")
        return Content.assemble(
            (fmt_price(level.price, "tick").rjust(PRICE_W), f"bold {style}"), GAP,
            fmt_shares(level.size).rjust(self.size), GAP,
            (fmt_shares(depth).rjust(self.depth), MUTED), GAP,
            (bar_text(level.size, self.largest, self.bar), style),
        )


def book_time(book: OrderBook) -> datetime | None:
    """When the exchange stamped the book; None when it did not say."""
    return datetime.fromtimestamp(book.timestamp_ms / 1000, UTC) if book.timestamp_ms else None


def header_content(book: OrderBook | None, *, live: bool, now: datetime, outcome: str = "",
                   hint: str = "") -> Content:
    """ "Order book · Yes  ● live  tick 0.1¢  O: No" (`hint`: how to switch outcome)."""
    parts: list[str | tuple[str, str]] = [("Order book", "bold underline")]
    if outcome:
        parts += [(" · ", "bold"), (outcome, "bold")]
    if book is not None and live:
        parts += ["  ", ("● live", f"bold {BID_STYLE}")]
    elif book is not None:
        age = fmt_ago(book_time(book), now, HOUR_UNITS, unknown="age unknown")
        parts += ["  ", (f"snapshot {age}", MUTED)]
    if book is not None and book.tick_size:
        parts += ["  ", ("tick " + fmt_price(book.tick_size, "tick"), MUTED)]
    if hint:
        parts += ["  ", (hint, MUTED)]
    return Content.assemble(*parts)


def summary_content(book: OrderBook, width: int) -> Content:
    """ "── Spread 1.0¢ · Mid 54.5¢ · Last 54.0¢ ──" across the widget."""
    spread, mid, last = (fmt_price(price, "tick")
                         for price in (book.spread, book.mid, book.last_trade_price))
    text = f" Spread {spread} · Mid {mid} · Last {last} "
    side = max(0, (width - len(text)) // 2)
    return Content.assemble(("─" * side, MUTED), (text, "bold"),
                            ("─" * max(0, width - side - len(text)), MUTED))


def ladder_lines(book: OrderBook, width: int, depth: int) -> list[Content]:
    """The asks heading and levels, the spread line, the bids heading and levels."""
    asks: Sequence[BookLevel] = book.asks[:depth]
    bids: Sequence[BookLevel] = book.bids[:depth]
    columns = Columns.fit(asks, bids, width)
    pad = [Content("")] * (depth - len(asks))
    ask_lines = pad + [columns.level(level, total, ASK_STYLE) for level, total
                       in reversed(list(zip(asks, cumulative(asks), strict=True)))]
    bid_lines = [columns.level(level, total, BID_STYLE)
                 for level, total in zip(bids, cumulative(bids), strict=True)]
    bid_lines += [Content("")] * (depth - len(bids))
    if not asks and ask_lines:
        ask_lines[-1] = Content.assemble(("no asks".rjust(PRICE_W + 2), MUTED))
    if not bids and bid_lines:
        bid_lines[0] = Content.assemble(("no bids".rjust(PRICE_W + 2), MUTED))
    return [columns.heading("Asks", ASK_STYLE), *ask_lines, summary_content(book, width),
            columns.heading("Bids", BID_STYLE), *bid_lines]


def book_lines(book: OrderBook | None, width: int, *, depth: int = DEPTH, live: bool = False,
               now: datetime | None = None, outcome: str = "", hint: str = "",
               loading: bool = False) -> list[Content]:
    """Every line of the view, at most `width` cells each (`loading`: the book of a newly
    chosen outcome is on its way)."""
    moment = now or datetime.now(UTC)
    lines = [header_content(book, live=live, now=moment, outcome=outcome, hint=hint)]
    if book is not None:
        lines += ladder_lines(book, width, depth)
    elif loading:
        lines.append(Content.assemble(("Loading the order book…", MUTED)))
    else:
        lines.append(Content.assemble(("No order book for this outcome yet.", MUTED)))
    return [line.truncate(width, ellipsis=True) for line in lines]


class BookView(Widget):
    """The order book of one outcome's token. `set_book(None)` shows a placeholder (or
    hides the widget when `hide_empty`); `set_book(None, loading=True)` keeps the
    ladder's height while another outcome's book is on its way."""

    DEFAULT_CSS = """
    BookView {
        width: 1fr;
        height: auto;
    }
    BookView.-no-book.-hide-empty {
        display: none;
    }
    """

    def __init__(self, *, depth: int = DEPTH, hide_empty: bool = False,
                 name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.depth = depth
        self._book: OrderBook | None = None
        self._live = False
        self._loading = False
        self._now: datetime | None = None
        self._outcome = ""
        self._hint = ""
        self.set_class(hide_empty, "-hide-empty")
        self.add_class("-no-book")

    @property
    def book(self) -> OrderBook | None:
        return self._book

    @property
    def live(self) -> bool:
        return self._live

    @property
    def outcome(self) -> str:
        return self._outcome

    def set_outcome(self, outcome: str, hint: str = "") -> None:
        """Name the outcome whose book this is, and say how to switch (`hint`, "O: No")."""
        self._outcome, self._hint = outcome, hint
        self.refresh()

    def set_book(self, book: OrderBook | None, *, live: bool = False,
                 now: datetime | None = None, loading: bool = False) -> None:
        """Show `book`: `live` when it comes from the websocket, else a snapshot whose
        age is stated against `now`."""
        self._book, self._live, self._now = book, live, now
        self._loading = loading and book is None
        self.set_class(book is None and not self._loading, "-no-book")
        self.refresh(layout=True)

    def refresh_age(self, now: datetime) -> None:
        self._now = now
        if self._book is not None and not self._live:
            self.refresh()

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        if self._book is None and not self._loading:
            return 2
        return 2 * self.depth + CHROME_LINES

    def render(self) -> Content:
        # Every line is cut to the widget's width: a wrapped line would break the height.
        width = self.size.width
        lines = book_lines(self._book, width, depth=self.depth, live=self._live, now=self._now,
                           outcome=self._outcome, hint=self._hint, loading=self._loading)
        return Content("\n").join(lines)
