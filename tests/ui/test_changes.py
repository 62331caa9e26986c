"""One convention for a 24h change on every screen: "—" when it is unknown, "0.0" when
the price did not move, an arrow and a sign otherwise."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.widgets import Static

from tests.fakedata import FakeData, make_markets
from tests.support import main_screen, settle, widget_text

QUESTIONS = {"unknown": None, "flat": 0.0, "rising": 0.025}


def markets() -> list[Any]:
    base = make_markets(20)[10:13]  # three markets outside the multi-outcome event
    return [replace(market, question=f"Will the {name} market move?", change_24h=change)
            for market, (name, change) in zip(base, QUESTIONS.items(), strict=True)]


def row_of(app: Any, name: str) -> str:
    lines = widget_text(main_screen(app).market_list).splitlines()
    [row] = [line for line in lines if f"{name} market" in line]
    return row


async def test_the_list_and_the_detail_say_unknown_and_unchanged_alike(make_app: Any) -> None:
    app = make_app(FakeData(markets()))
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        assert "—" in row_of(app, "unknown").split()
        assert "0.0" in row_of(app, "flat").split() and "·" not in row_of(app, "flat")
        assert "▲ +2.5" in row_of(app, "rising")
        detail = main_screen(app).query_one("#detail-outcomes", Static)
        listing = main_screen(app).market_list
        for name, expected in (("unknown", "—"), ("flat", "0.0¢"), ("rising", "▲")):
            for _ in range(len(QUESTIONS)):
                market = listing.cursor_market
                if market is not None and name in market.question:
                    break
                await pilot.press("j")
                await settle(app, pilot)
            yes = widget_text(detail).splitlines()[1].split()  # "54.5¢ ▲ +2.5¢ 24h Yes"
            assert yes[1] == expected and "·" not in yes, (name, yes)
