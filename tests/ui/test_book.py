"""BookView: the ladder's lines and numbers, its bars, live vs snapshot, a steady height,
and its place in the DetailPane."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from textual.app import App, ComposeResult

from tests.support import DetailApp, polymarket_fixture, screen_text
from tui.models import BookLevel, Market, OrderBook, Outcome
from tui.services.stream_protocol import BookKeeper
from tui.view.format import fmt_price
from tui.widgets.book import (
    DEPTH,
    BookView,
    bar_text,
    book_lines,
    size_text,
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


def test_share_sizes() -> None:
    assert [size_text(s) for s in (9.37, 100.09, 3687.87, 156606.14, 16069385.26)] == [
        "9.37", "100", "3,688", "156.6K", "16.1M"]


def test_bars_scale_to_the_largest_level() -> None:
    assert bar_text(100, 100, 10) == "█" * 10
    assert bar_text(50, 100, 10) == "█" * 5
    assert bar_text(1, 1000, 10) == "▏"  # tiny, but visible
    assert bar_text(0, 100, 10) == "" and bar_text(5, 0, 10) == ""
    assert len(bar_text(55, 100, 3)) == 2  # 1.65 cells: one full, one partial


def test_ladder_of_the_recorded_stream() -> None:
    book = prefix_book()
    lines = plain(book_lines(book, 60, live=True, now=NOW))
    assert len(lines) == 2 * DEPTH + 2
    assert lines[0] == "Order book  ● live  tick 0.1¢"
    summary = lines[DEPTH + 1]
    assert "Spread 7.9¢ · Mid 35.05¢ · Last 25.5¢" in summary
    assert summary.startswith("─") and summary.endswith("─")
    assert lines[DEPTH].split()[:2] == ["39.0¢", "4,765"]  # best ask, next to the spread
    # The 10th ask from the best is at the top, the 10th bid at the bottom.
    assert lines[1].split()[0] == fmt_price(book.asks[DEPTH - 1].price, "tick")
    assert lines[DEPTH + 2].split()[:2] == ["31.1¢", "2,000"]  # best bid below it
    assert lines[-1].split()[0] == fmt_price(book.bids[DEPTH - 1].price, "tick")
    # The largest level shown has the longest bar.
    bars = {len(line.split()[-1]) for line in lines[1:DEPTH + 1] + lines[DEPTH + 2:]}
    assert max(bars) == 60 - 7 - 8 - 4
    assert all(len(line) <= 60 for line in lines)


def test_thin_and_empty_sides_keep_the_height() -> None:
    thin = OrderBook("t", "m", bids=(BookLevel(0.4, 10),), asks=())
    lines = plain(book_lines(thin, 50, now=NOW))
    assert len(lines) == 2 * DEPTH + 2
    assert lines[DEPTH].strip() == "no asks"
    assert lines[DEPTH + 2].split()[0] == "40.0¢"
    assert "Spread —" in lines[DEPTH + 1]
    none = plain(book_lines(None, 50))
    assert none == ["Order book", "No order book for this outcome yet."]


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
        assert view.size.height == 2 * DEPTH + 2
        view.set_book(OrderBook("t", "m", (BookLevel(0.5, 3),), (BookLevel(0.52, 1),)),
                      now=NOW)
        await pilot.pause()
        assert view.size.height == 2 * DEPTH + 2  # same height: no relayout jump
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
