"""The status line and the detail show the App's freshness model, and nothing else."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.fakedata import FakeData, make_markets
from tests.support import NOW, main_screen, problems_text, screen_text, settle
from tui.messages import FreshnessChanged
from tui.services.http import ApiTimeout
from tui.view.freshness import Freshness, ListLoaded, PricesArrived, ProblemRaised


async def test_status_and_detail_follow_the_model(make_app: Any) -> None:
    app = make_app(FakeData(make_markets()))
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        main = main_screen(app)
        assert main.status.text.startswith(" POLLING ")
        assert app.freshness.mode == "POLLING"

        live = app.freshness.apply(PricesArrived(NOW - timedelta(seconds=40)))
        main.post_message(FreshnessChanged(live))
        await pilot.pause()
        assert "updated 40s ago" in main.status.text
        outcomes = str(main.side.detail.query_one("#detail-outcomes").render())
        assert "prices as of 40s ago" in outcomes

        failing = live.apply(ProblemRaised("markets", "Could not refresh: timeout.", NOW,
                                           NOW + timedelta(seconds=20)))
        main.post_message(FreshnessChanged(failing))
        await pilot.pause()
        assert main.status.text.startswith(" CACHED ")
        assert "⚠ list refresh failing, retrying in 20 s (! details)" in main.status.text
        # Mode, count, view and sort stay on the line whatever the problem.
        assert "60 markets · All · by 24h volume" in main.status.text
        assert "Could not refresh: timeout." in await problems_text(app, pilot)


async def test_cached_prices_in_the_detail_say_how_old_the_list_is(make_app: Any) -> None:
    data = FakeData(make_markets(), offline=True, cached_at=NOW - timedelta(hours=3))
    app = make_app(data)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        main = main_screen(app)
        assert main.status.text.startswith(" OFFLINE ")
        outcomes = str(main.side.detail.query_one("#detail-outcomes").render())
        assert "prices as of 3h ago" in outcomes


def test_a_list_from_the_cache_is_its_own_age() -> None:
    state = Freshness.starting(demo=False, offline=False).apply(
        ListLoaded("cache", NOW - timedelta(minutes=5)))
    assert state.data_age_s(NOW) == 300 and state.mode == "CACHED"


async def test_a_failed_chart_says_why_in_the_chart(make_app: Any) -> None:
    data = FakeData(make_markets())

    async def no_history(market: Any, range_: str, top: int = 4) -> Any:
        raise ApiTimeout("clob.polymarket.com",
                         "clob.polymarket.com did not answer within 10 s")

    data.chart = no_history  # type: ignore[method-assign]
    app = make_app(data)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        chart = main_screen(app).side.detail.chart
        assert chart.error == ("Could not load the price chart: "
                               "clob.polymarket.com did not answer within 10 s.")
        assert "answer within 10 s." in screen_text(app)  # in the chart, not only the status
