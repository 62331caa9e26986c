"""The list's "7 days" sparkline on screen: its last cell (the running 14-hour slice)
follows the live price of the row's first outcome."""

from __future__ import annotations

from typing import Any

from tests.fakedata import FakeData
from tests.support import main_screen, screen_text, settle
from tui.widgets.sparkline import BARS


def last_bar(line: str) -> str:
    """The sparkline's last cell: the rightmost block character of a market's line."""
    return [char for char in line if char in BARS][-1]


async def test_the_last_cell_follows_live_prices(make_app: Any, data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        market_list = main_screen(app).market_list
        market = market_list.cursor_market
        assert market is not None
        token = market.outcomes[0].token_id
        week = list(market_list.sparks[token])  # FakeData's week: 0.40 to 0.58
        row = screen_text(app).splitlines()[2]
        for price, bar in ((0.99, "█"), (0.01, "▁"), (0.99, "█")):
            data.prices = {token: price}
            app.market_feed.next_prices()
            await settle(app, pilot)
            line = screen_text(app).splitlines()[2]
            assert last_bar(line) == bar, (price, line)
            # The earlier cells keep their shape (only the scale may move).
            assert len([c for c in line if c in BARS]) == len([c for c in row if c in BARS])
        assert list(market_list.sparks[token]) == week  # the stored week is untouched


async def test_a_new_slice_of_the_week_reloads_the_sparklines(data: FakeData) -> None:
    from datetime import timedelta

    from tests.support import NOW, dash_config
    from tui.app import PolydashApp

    now = [NOW]
    app = PolydashApp(dash_config(), data, clock=lambda: now[0])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        browser = main_screen(app).browser
        browser.tick()
        asked = sum(1 for call in data.calls if call[0] == "sparklines")
        browser.tick()  # the same slice: nothing to reload
        await settle(app, pilot)
        assert sum(1 for call in data.calls if call[0] == "sparklines") == asked
        now[0] = NOW + timedelta(hours=14)  # the next 14-hour slice has begun
        browser.tick()
        await settle(app, pilot)
        assert sum(1 for call in data.calls if call[0] == "sparklines") == asked + 1
