"""Filter, search and Esc as a trader meets them: results always shown, the filter box
always visible, Esc closes the innermost thing first."""

from __future__ import annotations

from typing import Any

from tests.fakedata import FakeData, make_markets
from tests.support import main_screen, screen_text, settle, toasts
from tui.models import market_from_gamma


def zebra() -> Any:
    return market_from_gamma(
        {"id": "77", "slug": "zebra", "question": "Will a zebra win the derby?",
         "outcomes": '["Yes","No"]', "outcomePrices": '["0.3","0.7"]',
         "clobTokenIds": '["1","2"]',
         "tags": [{"id": "9", "slug": "animals", "label": "Animals"}]})


async def test_search_results_a_view_hides_are_shown_in_all(make_app: Any) -> None:
    data = FakeData(make_markets())
    data.search_results = [zebra()]
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        main = main_screen(app)
        main.set_view("tag:sports")
        await pilot.press("slash", *"zebra", "enter")
        await settle(app, pilot)
        assert main.selection.view == "all"
        assert main.selection.query == "zebra"
        assert main.market_list.rows.market_ids() == ["77"]
        assert "Will a zebra win the derby?" in screen_text(app)
        assert "No loaded market matches" not in screen_text(app)
        assert any("Showing them in All (Sports hides some)." in t for t in toasts(app))


async def test_slash_over_the_full_screen_detail_shows_the_filter(make_app: Any,
                                                                 data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        main = main_screen(app)
        await pilot.press("enter")
        await settle(app, pilot)
        assert main.has_class("-detail-open")
        await pilot.press("slash")
        await pilot.pause()
        assert not main.has_class("-detail-open")
        assert main.browser.filter_input.display and main.browser.filter_input.has_focus
        await pilot.press(*"crypto")
        await pilot.pause()
        assert main.selection.query == "crypto"


async def test_escape_closes_the_detail_before_clearing_the_filter(make_app: Any,
                                                                   data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        main = main_screen(app)
        await pilot.press("slash", *"crypto", "enter")  # filter kept, focus back on the list
        await settle(app, pilot)
        await pilot.press("enter")  # open the detail of a filtered market
        await settle(app, pilot)
        assert main.has_class("-detail-open")
        await pilot.press("escape")
        await pilot.pause()
        assert not main.has_class("-detail-open")
        assert main.selection.query == "crypto"  # the filter is still there
        await pilot.press("escape")
        await pilot.pause()
        assert main.selection.query == ""


async def test_escape_while_typing_the_filter_clears_it(make_app: Any, data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        main = main_screen(app)
        await pilot.press("slash", *"crypto")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert main.selection.query == ""
        assert main.market_list.has_focus
