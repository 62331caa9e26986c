"""Sorting, position and grouping as a trader meets them: a new order starts at its
top, the status line says where the cursor is, the sorted column is always on screen,
pinning favorites is a visible choice, and an event's markets fold under its heading in
the event's own order."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.fakedata import FakeData, gamma_market, make_markets
from tests.support import NOW, main_screen, screen_text, settle
from tui.app import PolydashApp
from tui.models import Market, Visit, market_from_gamma
from tui.widgets.market_list import MarketList


def listing(app: PolydashApp) -> MarketList:
    return main_screen(app).market_list


def header(app: PolydashApp) -> str:
    """The market list's column header line."""
    return next(line for line in screen_text(app).splitlines() if "Market" in line)


def ladder_markets() -> list[Market]:
    """make_markets, with the Fed event a strike ladder Gamma orders by groupItemThreshold
    (0 bps first) while its 24h volumes put another rung first."""
    markets = make_markets()[6:]
    event = {"id": "ev-fed", "slug": "fed-march", "title": "Fed decision in March?"}
    for rung in range(6):
        markets.append(market_from_gamma(
            gamma_market(rung, question=f"Fed outcome {rung} in March?",
                         groupItemTitle=f"{rung * 25} bps", groupItemThreshold=str(rung),
                         volume24hr=1000.0 * (rung * 3 % 6 + 1)),
            event, fetched_at=NOW))
    return markets


# ---------------------------------------------------------------- sort and position


async def test_a_new_sort_or_view_starts_at_the_top(make_app: Any, data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        lst = listing(app)
        await pilot.press(*"j" * 30)
        assert lst.cursor == 30 and lst.top_row > 0
        await pilot.press("s")
        await pilot.pause()
        assert (lst.cursor, lst.top_row) == (0, 0)  # the top mover, on screen
        await pilot.press(*"j" * 5, "S")
        await pilot.pause()
        assert lst.cursor == 0
        await pilot.press(*"j" * 5, "v", "v")  # Trending
        await pilot.pause()
        assert lst.cursor == 0


async def test_the_status_line_says_where_the_cursor_is(make_app: Any,
                                                        data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        status = main_screen(app).status
        assert "· 1/60 markets ·" in status.text
        await pilot.press("j", "j", "end")
        await pilot.pause()
        assert "· 60/60 markets ·" in status.text
        await pilot.press("slash", *"fed")
        await pilot.pause()
        place = listing(app).cursor + 1
        assert 1 <= place <= 6 and f"· {place}/6 of 60 markets ·" in status.text


async def test_the_sorted_column_is_on_screen_at_80_columns(make_app: Any,
                                                            data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        main = main_screen(app)
        assert "Liq" not in header(app)  # the first column to go at 80
        for sort, arrow in (("liquidity", "Liq▼"), ("new", "Created▼"),
                            ("volume", "Vol total▼"), ("ending", "Ends▲"),
                            ("change", "24h▼")):
            main.set_sort(sort)
            await pilot.pause()
            assert arrow in header(app), sort
        main.set_sort("new")
        await pilot.pause()
        assert "ago" in screen_text(app).splitlines()[2]  # "29d ago": the created column


async def test_since_view_header_and_status_agree(make_app: Any) -> None:
    markets = make_markets()
    visits = [Visit(m.id, NOW - timedelta(days=1), 0.5) for m in markets[:8]]
    app = make_app(FakeData(markets, visits=visits))
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(app, pilot)
        main = main_screen(app)
        main.set_view("since")
        main.set_sort("since")
        await pilot.pause()
        assert "Since▼" in header(app) and "24h▼" not in header(app)
        assert "by change since last visit" in main.status.text
        main.set_sort("change")
        await pilot.pause()
        assert "24h▼" in header(app) and "Since" in header(app)  # both shown, one sorted
        assert "by 24h change" in main.status.text


async def test_pinning_favorites_is_a_visible_switch(make_app: Any) -> None:
    markets = make_markets()
    quiet = min(markets, key=lambda m: m.volume_24h or 0.0)
    data = FakeData(markets, favorites={quiet.id})
    app = make_app(data)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(app, pilot)
        main = main_screen(app)
        assert listing(app).rows.keys[0] == quiet.id
        assert "★ first" in main.status.text
        await pilot.press("p")
        await settle(app, pilot)
        assert not main.selection.pin_favorites
        assert listing(app).rows.keys[-1] == quiet.id  # in its place by 24h volume
        assert "★ first" not in main.status.text
        assert data.saved_ui["pin_favorites"] == "false"  # the next session keeps it
        await pilot.press("p")
        await pilot.pause()
        assert listing(app).rows.keys[0] == quiet.id and "★ first" in main.status.text


async def test_the_palette_offers_the_pin_switch(make_app: Any, data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"sort favorites with")
        await settle(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert not main_screen(app).selection.pin_favorites


# ---------------------------------------------------------------- groups


async def test_events_fold_and_unfold_with_keys(make_app: Any) -> None:
    app = make_app(FakeData(ladder_markets()))
    async with app.run_test(size=(80, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        lst = listing(app)
        heading = lst.rows.keys.index("event:ev-fed")
        # The ladder in Gamma's order, not by 24h volume.
        children = lst.rows.keys[heading + 1:heading + 7]
        assert [lst.rows.labels[k] for k in children] == [f"{n * 25} bps" for n in range(6)]
        lst.move_cursor(heading)
        await pilot.pause()
        place = lst.place
        await pilot.press("enter")
        await pilot.pause()
        assert "▸ Fed decision in March?" in screen_text(app)
        assert "25 bps" not in screen_text(app)
        assert lst.cursor_heading == "event:ev-fed"
        status = main_screen(app).status.text
        assert f"· {place}/60 markets ·" in status  # folded markets still counted
        await pilot.press("right")
        await pilot.pause()
        assert "▾ Fed decision in March?" in screen_text(app) and "25 bps" in screen_text(app)
        await pilot.press("right")  # on an open heading: down to its first market
        await pilot.press("j")
        assert lst.cursor_key == children[1]
        await pilot.press("left")  # from a market: fold its event, cursor on the heading
        await pilot.pause()
        assert lst.cursor_heading == "event:ev-fed"
        assert "▸ Fed decision in March?" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert "▾ Fed decision in March?" in screen_text(app)
