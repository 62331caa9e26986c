"""The chart as a trader first sees it, on the whole dashboard: at 160×48 and in the
80×24 detail the chart (its price axis, its date axis, its legend and readout) is on
screen without scrolling; a multi-outcome legend wraps between outcomes, never inside
one; the inspect readout stays on screen; the news pane has no empty rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, timedelta
from typing import Any

from tests.fakedata import FakeData, make_markets
from tests.support import NOW, dashboard, main_screen, screen_text, settle
from tui.models import Headline, Market, PricePoint
from tui.widgets.chart import PriceChart
from tui.widgets.chart_drawing import x_ticks
from tui.widgets.detail import DetailPane
from tui.widgets.news import NewsPane

T0 = int(NOW.timestamp())
WEEK = 7 * 86400
# The outcomes of a multi-outcome event, as Polymarket words them (long ones included).
EVENT_LINES = {"tok-a": "Gavin Newsom", "tok-b": "Alexandria Ocasio-Cortez",
               "tok-c": "Josh Shapiro", "tok-d": "Pete Buttigieg"}
EVENT_PRICES = {"tok-a": 0.27, "tok-b": 0.14, "tok-c": 0.29, "tok-d": 0.31}


class ChartData(FakeData):
    """FakeData whose chart is a week of 6-hourly prices for four outcomes (20-31¢)."""

    async def chart(self, market: Market, range_: str, top: int = 4
                    ) -> dict[str, list[PricePoint]]:
        self.calls.append(("chart", market.id, range_))
        return {token: [PricePoint(token, T0 - WEEK + i * 6 * 3600, price - (i % 5) / 100)
                        for i in range(29)] for token, price in EVENT_PRICES.items()}

    def chart_labels(self, market: Market, top: int = 4) -> dict[str, str]:
        return dict(EVENT_LINES)


def headlines(market: Market, count: int) -> list[Headline]:
    return [Headline(f"Story {n} on the race", f"https://news.example.com/{n}",
                     "news.example.com", NOW - timedelta(minutes=10 * n), "gdelt",
                     market_id=market.id) for n in range(count)]


def chart_data(news_count: int = 2) -> ChartData:
    data = ChartData(make_markets())
    data.news = {market.id: headlines(market, news_count) for market in data.markets}
    return data


def assert_whole_chart_on_screen(app: Any) -> None:
    """The price labels (fitted to 10-31¢, so no 100¢), the week's date labels, every
    legend item whole and the readout are all on the first screen, nothing scrolled."""
    detail = main_screen(app).query_one(DetailPane)
    chart = detail.query_one(PriceChart)
    assert detail.scroll_y == 0
    rows = screen_text(app).splitlines()
    text = "\n".join(rows)
    assert "┌" in text and "└" in text
    assert "100¢" not in text and "10¢┤" in text and "30¢┤" in text
    _, dates = x_ticks(T0 - WEEK, T0, chart.size.width, UTC)
    assert sum(date in text for date in dates) >= 2, dates
    for token, label in EVENT_LINES.items():  # each legend item whole, on one line
        last = f"{EVENT_PRICES[token] * 100 - 3:.1f}¢"  # the last point: i = 28, 28 % 5 = 3
        assert any(f"━━ {label} {last}" in row for row in rows), (label, last)
    assert "last point 2026-03-01 12:00 UTC" in text


async def test_whole_chart_on_screen_at_160x48() -> None:
    app = dashboard(chart_data())
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        assert_whole_chart_on_screen(app)


async def test_whole_chart_on_screen_in_the_80x24_detail_and_while_inspecting() -> None:
    app = dashboard(chart_data())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert_whole_chart_on_screen(app)
        # Read down to the rules, then inspect: focusing the chart brings all of it back.
        detail = main_screen(app).query_one(DetailPane)
        detail.scroll_end(animate=False)
        await pilot.pause()
        assert "last point" not in screen_text(app)
        chart = detail.query_one(PriceChart)
        chart.focus()
        await pilot.press("left", "left")
        await pilot.pause()
        # The readout: the cursor's time, and every outcome's price then, on screen.
        text = screen_text(app)
        assert chart.cursor_time is not None
        assert "at 2026-03-01 06:00 UTC" in text  # a point back: i = 27, 27 % 5 = 2
        for token, label in EVENT_LINES.items():
            assert f"━━ {label} {EVENT_PRICES[token] * 100 - 2:.1f}¢" in text, label


def news_rows(app: Any) -> Sequence[str]:
    news = main_screen(app).query_one(NewsPane)
    region = news.region
    rows = screen_text(app).splitlines()
    return [row[region.x:region.right] for row in rows[region.y:region.bottom]]


async def test_news_pane_is_as_tall_as_its_headlines() -> None:
    data = chart_data(news_count=6)
    app = dashboard(data)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        assert sum("Story" in row for row in news_rows(app)) == 6
        shown = main_screen(app).query_one(DetailPane).market
        assert shown is not None
        data.news[shown.id] = data.news[shown.id][:3]
        await pilot.press("down", "up")  # away and back: its news again, three now
        await settle(app, pilot)
        rows = news_rows(app)
        assert sum("Story" in row for row in rows) == 3
        # The border, the header, three headlines and the status line: no empty row.
        assert len(rows) == 6 and all(row.strip() for row in rows[1:]), rows
