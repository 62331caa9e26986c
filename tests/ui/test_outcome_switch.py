"""`O` switches the outcome the detail follows: the order book names it and asks for that
outcome's token, the chart's line follows, a late book of the previous outcome is
dropped, a new market starts on its default outcome, and help lists the key."""

from __future__ import annotations

from typing import Any

from textual.app import App

from tests.fakedata import FakeData
from tests.support import Recorder, main_screen, settle, toasts, widget_text
from tui.messages import BookLoaded, BookWanted
from tui.models import BookLevel, Market, OrderBook
from tui.screens.help import HelpScreen
from tui.widgets.book import BookView


def book_view(app: App[Any]) -> BookView:
    return main_screen(app).side.detail.book_view


def shown_market(app: App[Any]) -> Market:
    market = main_screen(app).side.detail.market
    assert market is not None
    return market


def book_header(app: App[Any]) -> str:
    return widget_text(book_view(app)).splitlines()[0].rstrip()


async def test_o_switches_the_book_and_the_chart_to_the_other_outcome(
        make_app: Any, data: FakeData, messages: Recorder) -> None:
    app = make_app(data)
    async with app.run_test(size=(160, 48), message_hook=messages.append) as pilot:
        await settle(app, pilot)
        market = shown_market(app)
        yes, no = market.outcomes
        assert ("book", yes.token_id) in data.calls
        assert book_header(app).startswith("Order book · Yes")
        assert book_header(app).endswith("O: No")
        assert "No (100¢ − Yes)" not in widget_text(main_screen(app).side.detail.chart)

        await pilot.press("O")
        await settle(app, pilot)
        wanted = messages.of(BookWanted)[-1]
        assert (wanted.market.id, wanted.token) == (market.id, no.token_id)
        assert data.calls[-1] == ("book", no.token_id)
        view = book_view(app)
        assert view.book is not None and view.book.token_id == no.token_id
        assert book_header(app).startswith("Order book · No")
        await settle(app, pilot)
        quote = widget_text(main_screen(app).side.detail.query_one("#detail-quote"))
        assert "(No order book" in quote  # the quote line says which side it is
        assert book_header(app).endswith("O: Yes")
        # The chart's line follows: No, derived from the Yes history, and says so.
        chart = main_screen(app).side.detail.chart
        assert [line.label for line in chart.series] == ["No (100¢ − Yes)"]
        assert "No (100¢ − Yes)" in widget_text(chart)

        await pilot.press("O")
        await settle(app, pilot)
        assert messages.of(BookWanted)[-1].token == yes.token_id
        assert book_header(app).startswith("Order book · Yes")
        assert [line.label for line in chart.series] == ["Yes"]


async def test_a_late_book_of_the_previous_outcome_is_dropped(
        make_app: Any, data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        market = shown_market(app)
        yes, no = market.outcomes
        await pilot.press("O")
        await settle(app, pilot)
        late = OrderBook(yes.token_id, "0xcond", (BookLevel(0.30, 5.0),),
                         (BookLevel(0.31, 5.0),))
        main_screen(app).post_message(BookLoaded(market.id, late, live=True))
        await settle(app, pilot)
        view = book_view(app)
        assert view.book is not None and view.book.token_id == no.token_id
        assert book_header(app).startswith("Order book · No")


async def test_another_market_starts_on_its_default_outcome(
        make_app: Any, data: FakeData, messages: Recorder) -> None:
    app = make_app(data)
    async with app.run_test(size=(160, 48), message_hook=messages.append) as pilot:
        await settle(app, pilot)
        await pilot.press("O")
        await settle(app, pilot)
        await pilot.press("j")
        await settle(app, pilot)
        second = shown_market(app)
        assert data.calls[-1] != ("book", second.outcomes[1].token_id)
        assert ("book", second.outcomes[0].token_id) in data.calls
        assert book_header(app).startswith("Order book · Yes")


async def test_o_without_a_market_open_says_what_to_do(make_app: Any, data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("O")
        await pilot.pause()
        assert toasts(app) == ["Open a market first, then press O to switch its outcome."]


async def test_help_lists_the_outcome_switch(make_app: Any, data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text").render())
        line = next(line for line in text.splitlines() if "outcome-switch" in line)
        assert line.split()[0] == "O" and "Switch outcome" in line
