"""BookView: the ladder's lines and numbers (headings, sizes, cumulative depth), its bars,
the outcome it names, live vs snapshot, a steady height, and its place in the DetailPane."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from textual.app import App, ComposeResult

from tests.support import DetailApp, polymarket_fixture, screen_text
from tui.models import BookLevel, Market, OrderBook, Outcome
from tui.services.stream_protocol import BookKeeper
from tui.view.format import fmt_price
from tui.widgets.book import (
    CHROME_LINES,
    DEPTH,
    BookView,
    bar_text,
    book_lines,
    cumulative,
)
from tui.widgets.detail import DetailPane

NOW = datetime(2026, 9, 29, 5, 11, 43, tzinfo=UTC)
PREFIX = polymarket_fixture("ws_market_stream_prefix_2026-09.json")


def prefix_book() -> OrderBook:
    keeper = BookKeeper()
    for message in PREFIX:
        keeper.apply(message)
    book = keeper.book(PREFIX[0]["asset_id"])
    assert book is not None
    return book


def plain(lines: list[Any]) -> list[str]:
    return [line.plain.rstrip() for line in lines]


# ---------------------------------------------------------------- pure rendering


HEIGHT = 2 * DEPTH + CHROME_LINES


def test_cumulative_depth_runs_from_the_best_level_out() -> None:
    levels = (BookLevel(0.50, 10), BookLevel(0.49, 2.5), BookLevel(0.45, 100))
    assert cumulative(levels) == [10, 12.5, 112.5]
    assert cumulative(()) == []


def test_bars_scale_to_the_largest_level() -> None:
    assert bar_text(100, 100, 10) == "█" * 10
    assert bar_text(50, 100, 10) == "█" * 5
    assert bar_text(1, 1000, 10) == "▏"  # tiny, but visible
    assert bar_text(0, 100, 10) == "" and bar_text(5, 0, 10) == ""
    assert len(bar_text(55, 100, 3)) == 2  # 1.65 cells: one full, one partial


def test_ladder_of_the_recorded_stream() -> None:
    book = prefix_book()
    lines = plain(book_lines(book, 60, live=True, now=NOW, outcome="Yes", hint="O: No"))
    assert len(lines) == HEIGHT
    assert lines[0] == "Order book · Yes  ● live  tick 0.1¢  O: No"
    assert lines[1].split() == ["Asks", "Size", "Depth"]
    asks = lines[2:DEPTH + 2]
    summary = lines[DEPTH + 2]
    assert "Spread 7.9¢ · Mid 35.05¢ · Last 25.5¢" in summary
    assert summary.startswith("─") and summary.endswith("─")
    assert lines[DEPTH + 3].split() == ["Bids", "Size", "Depth"]
    bids = lines[DEPTH + 4:]
    # Best ask next to the spread: its depth is its own size; one size format throughout.
    assert asks[-1].split()[:3] == ["39.0¢", "4,765.00", "4,765.00"]
    assert asks[-2].split()[:3] == ["39.7¢", "100.09", "4,865.09"]
    # The 10th ask from the best is at the top, with the depth of all ten.
    assert asks[0].split()[0] == fmt_price(book.asks[DEPTH - 1].price, "tick")
    assert asks[0].split()[2] == f"{sum(level.size for level in book.asks[:DEPTH]):,.2f}"
    assert bids[0].split()[:3] == ["31.1¢", "2,000.00", "2,000.00"]  # best bid below it
    assert bids[1].split()[:3] == ["30.1¢", "1,000.00", "3,000.00"]
    assert bids[-1].split()[0] == fmt_price(book.bids[DEPTH - 1].price, "tick")
    # Right-aligned with two decimals: the decimal points of a column line up.
    assert len({line.index(".", 9) for line in asks + bids}) == 1
    # The largest level shown has the longest bar, filling what the numbers leave.
    bars = [len(line.split()[-1]) for line in asks + bids]
    assert max(bars) == 60 - len(asks[0].rsplit(" ", 1)[0]) - 1
    assert all(len(line) <= 60 for line in lines)


def test_thin_and_empty_sides_keep_the_height() -> None:
    thin = OrderBook("t", "m", bids=(BookLevel(0.4, 10),), asks=())
    lines = plain(book_lines(thin, 50, now=NOW))
    assert len(lines) == HEIGHT
    assert lines[DEPTH + 1].strip() == "no asks"
    assert lines[DEPTH + 4].split() == ["40.0¢", "10.00", "10.00", "█" * (50 - 7 - 5 - 5 - 6)]
    assert "Spread —" in lines[DEPTH + 2]
    none = plain(book_lines(None, 50, outcome="No"))
    assert none == ["Order book · No", "No order book for this outcome yet."]
    loading = plain(book_lines(None, 50, outcome="No", loading=True))
    assert loading == ["Order book · No", "Loading the order book…"]


def test_every_line_fits_the_width() -> None:
    """A long outcome name (data) is cut with an ellipsis, never wrapped: a wrapped line
    would push the ladder out of the widget's fixed height."""
    lines = plain(book_lines(prefix_book(), 30, live=True, now=NOW,
                             outcome="A very long outcome name " * 3, hint="O: No"))
    assert len(lines) == HEIGHT
    assert all(len(line) <= 30 for line in lines)
    assert lines[0].startswith("Order book · A very") and lines[0].endswith("…")


def test_snapshot_says_its_age() -> None:
    book = OrderBook("t", "m", (BookLevel(0.5, 1),), (BookLevel(0.6, 1),),
                     timestamp_ms=int(NOW.timestamp() * 1000) - 95_000)
    assert plain(book_lines(book, 40, now=NOW))[0] == "Order book  snapshot 1m ago"


# ---------------------------------------------------------------- the widget


class BookApp(App[None]):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__()
        self.kwargs = kwargs

    def compose(self) -> ComposeResult:
        yield BookView(id="book", **self.kwargs)


async def test_book_view_under_pilot() -> None:
    app = BookApp()
    async with app.run_test(size=(60, 30)) as pilot:
        view = app.query_one(BookView)
        assert "No order book for this outcome yet." in screen_text(app)
        view.set_book(prefix_book(), live=True, now=NOW)
        await pilot.pause()
        text = screen_text(app)
        assert "● live" in text and "Spread 7.9¢" in text
        assert view.size.height == HEIGHT
        view.set_book(OrderBook("t", "m", (BookLevel(0.5, 3),), (BookLevel(0.52, 1),)),
                      now=NOW)
        await pilot.pause()
        assert view.size.height == HEIGHT  # same height: no relayout jump
        assert "snapshot" in screen_text(app)


async def test_hide_empty_hides_until_a_book_arrives() -> None:
    app = BookApp(hide_empty=True)
    async with app.run_test(size=(60, 30)) as pilot:
        view = app.query_one(BookView)
        assert not view.display or view.size.height == 0 or "Order book" not in \
            screen_text(app)
        view.set_book(prefix_book(), live=True, now=NOW)
        await pilot.pause()
        assert "Order book" in screen_text(app)
        # Another outcome's book on its way: shown as loading, at the ladder's height.
        view.set_outcome("No", "O: Yes")
        view.set_book(None, loading=True, now=NOW)
        await pilot.pause()
        assert "Order book · No" in screen_text(app) and view.size.height == HEIGHT
        assert "Loading the order book…" in screen_text(app)


def market(market_id: str) -> Market:
    return Market(id=market_id, slug=f"m-{market_id}", question=f"Market {market_id}?",
                  outcomes=(Outcome("Yes", 0.35, "1" * 70), Outcome("No", 0.65, "2" * 70)))


async def test_detail_pane_hosts_the_book() -> None:
    app = DetailApp()
    async with app.run_test(size=(80, 60)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show_market(market("1"), now=NOW)
        await pilot.pause()
        assert "Order book" not in screen_text(app)  # no book yet: nothing to show
        pane.set_book(prefix_book(), live=True)
        await pilot.pause()
        assert pane.book_view.book is not None and pane.book_view.live
        assert "Spread 7.9¢" in screen_text(app)
        pane.show_market(market("2"), now=NOW)  # another market: its book is unknown
        await pilot.pause()
        assert pane.book_view.book is None
        assert "Spread 7.9¢" not in screen_text(app)
