"""BookView: an order book ladder, the top levels a side with size bars, then spread,
mid and last trade.

Asks sit above the spread line (best ask nearest to it), bids below (best bid nearest).
Both sides are padded to `depth` lines so the widget keeps its height while a live book
changes. Only numbers are drawn, and they enter `Content` as plain parts: nothing here
is ever parsed as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from textual.content import Content
from textual.widget import Widget

from tui.models import BookLevel, OrderBook
from tui.view.format import HOUR_UNITS, fmt_ago, fmt_price

DEPTH = 10
PRICE_W = 7  # "100.0¢"
SIZE_W = 8  # "156.6K"
GAP = "  "
MIN_BAR = 4
EIGHTHS = " ▏▎▍▌▋▊▉"
FULL = "█"

ASK_STYLE = "$text-error"
BID_STYLE = "$text-success"
MUTED = "$text-muted"


def size_text(size: float) -> str:
    """Shares: "9.37", "3,688", "156.6K", "16.1M"."""
    if size >= 1e6:
        return f"{size / 1e6:.1f}M"
    if size >= 1e5:
        return f"{size / 1e3:.1f}K"
    if size >= 100:
        return f"{size:,.0f}"
    return f"{size:.2f}".rstrip("0").rstrip(".")


def bar_text(size: float, largest: float, width: int) -> str:
    """A bar of `width` cells at most, in eighths of a cell, proportional to size."""
    if width <= 0 or largest <= 0 or size <= 0:
        return ""
    eighths = max(1, round(size / largest * width * 8))
    full, rest = divmod(min(eighths, width * 8), 8)
    return FULL * full + (EIGHTHS[rest] if rest else "")


def _level_line(level: BookLevel | None, largest: float, bar_w: int, style: str) -> Content:
    if level is None:
        return Content("")
    return Content.assemble(
        (fmt_price(level.price, "tick").rjust(PRICE_W), f"bold {style}"), GAP,
        size_text(level.size).rjust(SIZE_W), GAP,
        (bar_text(level.size, largest, bar_w), style),
    )


def book_time(book: OrderBook) -> datetime | None:
    """When the exchange stamped the book; None when it did not say."""
    return datetime.fromtimestamp(book.timestamp_ms / 1000, UTC) if book.timestamp_ms else None


def header_content(book: OrderBook | None, *, live: bool, now: datetime) -> Content:
    parts: list[str | tuple[str, str]] = [("Order book", "bold underline")]
    if book is None:
        return Content.assemble(*parts)
    if live:
        parts += ["  ", ("● live", f"bold {BID_STYLE}")]
    else:
        age = fmt_ago(book_time(book), now, HOUR_UNITS, unknown="age unknown")
        parts += ["  ", (f"snapshot {age}", MUTED)]
    if book.tick_size:
        parts += ["  ", ("tick " + fmt_price(book.tick_size, "tick"), MUTED)]
    return Content.assemble(*parts)


def summary_content(book: OrderBook, width: int) -> Content:
    """ "── Spread 1.0¢ · Mid 54.5¢ · Last 54.0¢ ──" across the widget."""
    spread, mid, last = (fmt_price(price, "tick")
                         for price in (book.spread, book.mid, book.last_trade_price))
    text = f" Spread {spread} · Mid {mid} · Last {last} "
    side = max(0, (width - len(text)) // 2)
    return Content.assemble(("─" * side, MUTED), (text, "bold"),
                            ("─" * max(0, width - side - len(text)), MUTED))


def book_lines(book: OrderBook | None, width: int, *, depth: int = DEPTH, live: bool = False,
               now: datetime | None = None) -> list[Content]:
    """Every line of the view, for `width` cells."""
    moment = now or datetime.now(UTC)
    lines = [header_content(book, live=live, now=moment)]
    if book is None:
        lines.append(Content.assemble(("No order book for this outcome yet.", MUTED)))
        return lines
    asks: Sequence[BookLevel] = book.asks[:depth]
    bids: Sequence[BookLevel] = book.bids[:depth]
    largest = max((level.size for level in (*asks, *bids)), default=0.0)
    bar_w = max(MIN_BAR, width - PRICE_W - SIZE_W - 2 * len(GAP))
    ask_rows: list[BookLevel | None] = [None] * (depth - len(asks)) + list(reversed(asks))
    bid_rows: list[BookLevel | None] = list(bids) + [None] * (depth - len(bids))
    ask_lines = [_level_line(level, largest, bar_w, ASK_STYLE) for level in ask_rows]
    bid_lines = [_level_line(level, largest, bar_w, BID_STYLE) for level in bid_rows]
    if not asks and ask_lines:
        ask_lines[-1] = Content.assemble(("no asks".rjust(PRICE_W + 2), MUTED))
    if not bids and bid_lines:
        bid_lines[0] = Content.assemble(("no bids".rjust(PRICE_W + 2), MUTED))
    lines += [*ask_lines, summary_content(book, width), *bid_lines]
    return lines


class BookView(Widget):
    """The order book of one token. `set_book(None)` shows a placeholder (or hides the
    widget when `hide_empty`)."""

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
        self._now: datetime | None = None
        self.set_class(hide_empty, "-hide-empty")
        self.add_class("-no-book")

    @property
    def book(self) -> OrderBook | None:
        return self._book

    @property
    def live(self) -> bool:
        return self._live

    def set_book(self, book: OrderBook | None, *, live: bool = False,
                 now: datetime | None = None) -> None:
        """Show `book`: `live` when it comes from the websocket, else a snapshot whose
        age is stated against `now`."""
        self._book, self._live, self._now = book, live, now
        self.set_class(book is None, "-no-book")
        self.refresh(layout=True)

    def refresh_age(self, now: datetime) -> None:
        self._now = now
        if self._book is not None and not self._live:
            self.refresh()

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return 2 if self._book is None else 2 * self.depth + 2

    def render(self) -> Content:
        width = max(self.size.width, PRICE_W + SIZE_W + 2 * len(GAP) + MIN_BAR)
        lines = book_lines(self._book, width, depth=self.depth, live=self._live, now=self._now)
        return Content("\n").join(lines)
