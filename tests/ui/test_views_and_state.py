"""Views, the footer and what the dashboard keeps between sessions."""

from __future__ import annotations

from typing import Any

from tests.fakedata import FakeData, make_markets
from tests.support import main_screen, screen_text, settle
from tui.view.views import is_trending


def footer(app: Any) -> str:
    return screen_text(app).splitlines()[-1]


async def test_the_footer_follows_the_context(make_app: Any, data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert "Detail" in footer(app) and "Back" not in footer(app)
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Back" in footer(app) and "Detail" not in footer(app)
        await pilot.press("escape")
        await pilot.pause()
        assert "Detail" in footer(app) and "Back" not in footer(app)


async def test_trending_is_not_all(make_app: Any) -> None:
    markets = make_markets()
    app = make_app(FakeData(markets))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        main = main_screen(app)
        main.set_view("trending")
        await pilot.pause()
        shown = main.market_list.rows.market_ids()
        assert shown and len(shown) < len(markets)
        assert all(is_trending(main.catalog.markets[i]) for i in shown)


async def test_since_last_visit_lists_markets_opened_this_session(make_app: Any,
                                                                  data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        main = main_screen(app)
        opened = []
        for _ in range(2):
            opened.append(main.market_list.cursor_key)
            await pilot.press("enter")
            await settle(app, pilot)
            await pilot.press("escape", "j")
            await settle(app, pilot)
        main.set_view("since")
        await pilot.pause()
        assert sorted(main.market_list.rows.market_ids()) == sorted(opened)
        assert "No market opened before" not in screen_text(app)


async def test_a_view_change_keeps_the_sort(make_app: Any, data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        main = main_screen(app)
        main.set_sort("liquidity")
        await pilot.press("v")
        await pilot.pause()
        assert main.selection.view == "favorites"
        assert main.selection.sort == "liquidity"


async def test_views_are_found_in_the_palette_by_name_and_number(make_app: Any,
                                                                 data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"view 4")
        await pilot.pause(0.3)
        assert "View 4: Movers" in screen_text(app)
        await pilot.press("enter")
        await settle(app, pilot)
        assert main_screen(app).selection.view == "movers"


async def test_view_sort_grouping_and_theme_come_back_after_a_restart(make_app: Any) -> None:
    data = FakeData(make_markets())
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        main = main_screen(app)
        main.set_view("tag:crypto")
        await pilot.press("s", "S", "e")  # next sort, reversed, grouped
        app.theme = "polydash-light"
        await settle(app, pilot)
        chosen = main.selection
    assert data.saved_ui["view"] == "tag:crypto"

    again = make_app(data)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(again, pilot)
        restored = main_screen(again).selection
        assert (restored.view, restored.sort, restored.reverse, restored.group) == (
            chosen.view, chosen.sort, chosen.reverse, chosen.group)
        assert again.theme == "polydash-light"
        assert "Crypto" in main_screen(again).status.text
