"""DetailPane and PriceChart under Pilot: hostile text, numbers and their ages, chart
ranges, the inspect cursor, resize, and the pure formatting helpers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from tests.support import NOW, DetailApp, widget_links, widget_text
from tui.config import TradingViewConfig, TradingViewRule
from tui.models import (
    BookLevel,
    Market,
    OrderBook,
    Outcome,
    PricePoint,
    Tag,
    Visit,
    market_from_gamma,
)
from tui.widgets import chart as chart_module
from tui.widgets.chart import EMPTY_MESSAGE, PriceChart
from tui.widgets.chart_drawing import find_canvas, render_plot, thin, time_format, x_ticks
from tui.widgets.detail import (
    DetailPane,
    change_parts,
    market_state,
    outcome_changes,
)

T0 = int(NOW.timestamp())

HOSTILE = [
    "[/b]",
    "[@click=app.quit]x",
    "[link=https://evil.example]x[/link]",
    "Trump [R] vs Harris [D]",
    "[b]bold?[/] [UPDATED] [#ff0000]red",
]
HOSTILE_LINE = " | ".join(HOSTILE)


@pytest.fixture(autouse=True)
def nothing_opened(no_real_browser: list[str]) -> Iterator[None]:
    """The pane opens nothing by itself, whatever links its text holds."""
    yield
    assert no_real_browser == []


def make_market(**changes: Any) -> Market:
    base: dict[str, Any] = dict(
        id="559651", slug="will-btc-hit-100k", question="Will BTC hit $100k by June?",
        event_slug="btc-100k", event_title="Bitcoin price targets", group_title="",
        outcomes=(Outcome("Yes", 0.545, "tok-yes"), Outcome("No", 0.455, "tok-no")),
        volume_24h=12_345.0, volume=1_234_567.0, liquidity=98_765.0,
        end_date=NOW + timedelta(days=30), best_bid=0.54, best_ask=0.55, spread=0.01,
        change_24h=0.025, description="Resolves Yes if BTC trades at $100k.\nRules apply.",
        tags=(Tag("1", "crypto", "Crypto"), Tag("2", "bitcoin", "Bitcoin")),
        updated_at=NOW - timedelta(seconds=12),
    )
    base.update(changes)
    return Market(**base)


def hostile_market() -> Market:
    return make_market(
        question=f"Q {HOSTILE_LINE}?", event_title=f"E {HOSTILE_LINE}",
        group_title=f"G {HOSTILE_LINE}",
        outcomes=tuple(Outcome(text, 0.1 * (i + 1), f"tok{i}") for i, text in enumerate(HOSTILE)),
        tags=tuple(Tag(str(i), f"tag-{i}", text) for i, text in enumerate(HOSTILE)),
        description=f"Rules {HOSTILE_LINE}\nsecond line [/]",
        resolution_status="[/i]proposed",
    )


def series_for(tokens: dict[str, float], n: int = 60,
               step: int = 60) -> dict[str, list[PricePoint]]:
    """n points per token, one every `step` seconds, ending one step before NOW."""
    return {token: [PricePoint(token, T0 - (n - i) * step, min(1.0, base + i / 1000))
                    for i in range(n)] for token, base in tokens.items()}


def static_text(pane: DetailPane, selector: str) -> str:
    return str(pane.query_one(selector, Static).render())


def pane_text(pane: DetailPane) -> str:
    return "\n".join(str(s.render()) for s in pane.query(Static) if s.display)


# ---------------------------------------------------------------- hostile text


async def test_hostile_text_in_every_field_shows_literally_and_never_runs() -> None:
    app = DetailApp()
    async with app.run_test(size=(120, 60)) as pilot:
        pane = app.query_one(DetailPane)
        market = hostile_market()
        view = Visit(market.id, NOW - timedelta(hours=3), 0.2)
        sibling = make_market(id="2", group_title=HOSTILE[1])
        pane.show_market(market, event_markets=[market, sibling], last_view=view, favorite=True,
                         now=NOW)
        pane.set_chart(series_for({"tok0": 0.3, "tok1": 0.5}), {"tok0": HOSTILE[0],
                                                                 "tok1": HOSTILE[1]}, "1h")
        await pilot.pause()
        text = pane_text(pane)
        for needle in (f"Q {HOSTILE_LINE}?", f"E {HOSTILE_LINE}", f"G {HOSTILE_LINE}",
                       f"Rules {HOSTILE_LINE}", "second line [/]", "[/i]proposed", *HOSTILE):
            assert needle in text, needle
        chart_text = widget_text(pane.chart)
        assert HOSTILE[0] in chart_text and HOSTILE[1] in chart_text
        # Only our own validated links exist anywhere in the pane.
        for child in pane.query(Static):
            assert widget_links(child) <= {"https://polymarket.com/event/btc-100k/will-btc-hit-100k"}
        assert widget_links(pane.chart) == set()
        # Click right on every would-be action and link: nothing may run.
        targets = [*pane.query(Static), pane.chart]
        clicks = 0
        for widget in targets:
            for row, line in enumerate(widget_text(widget).splitlines()):
                for needle in ("[@click=app.quit]x", "[link=https://evil.example]x"):
                    if needle in line and row < widget.size.height:
                        await pilot.click(widget, offset=(line.index(needle) + 3, row))
                        clicks += 1
        assert clicks >= 6
        await pilot.pause()
        assert app.is_running and app.return_code is None


async def test_hostile_payload_through_the_real_builder_has_no_escapes() -> None:
    payload = {
        "id": "1", "slug": "x", "question": "\x1b]2;pwned\x07\x1b[2J\u202eWill [/b] X?",
        "outcomes": '["Yes \\u001b[31m", "No [@click=app.quit]x"]',
        "outcomePrices": '["0.5", "0.5"]', "clobTokenIds": '["1", "2"]',
        "description": "\x9b31m line\n\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
    }
    market = market_from_gamma(payload, fetched_at=NOW)
    app = DetailApp()
    async with app.run_test(size=(100, 40)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show_market(market, now=NOW)
        await pilot.pause()
        text = "\n".join(widget_text(static) for static in pane.query(Static))
        assert "Will [/b] X?" in text
        assert "No [@click=app.quit]x" in text
        for bad in ("\x1b", "\x07", "\x9b", "\u202e"):
            assert bad not in text
        links = set().union(*(widget_links(s) for s in pane.query(Static)))
        assert "https://evil.example" not in links


async def test_ten_thousand_characters_do_not_crash_and_scroll() -> None:
    long = "[" + "Very long question [/b] " * 420
    market = make_market(question=long[:10_000], description="D" * 10_000,
                         outcomes=(Outcome("x" * 10_000, 0.5, "a"), Outcome("No", 0.5, "b")))
    app = DetailApp()
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show_market(market, now=NOW)
        await pilot.pause()
        assert long[:60] in static_text(pane, "#detail-head")
        assert pane.max_scroll_y > 100
        pane.scroll_end(animate=False)
        await pilot.pause()
        assert app.is_running


# ---------------------------------------------------------------- numbers and ages


async def test_outcomes_prices_changes_and_quote() -> None:
    app = DetailApp()
    async with app.run_test(size=(120, 50)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show_market(make_market(), now=NOW)
        await pilot.pause()
        outcomes = static_text(pane, "#detail-outcomes")
        assert "prices as of 12s ago" in outcomes
        assert "54.5¢" in outcomes and "▲ +2.5¢" in outcomes
        assert "45.5¢" in outcomes and "▼ −2.5¢" in outcomes
        quote = static_text(pane, "#detail-quote")
        assert "Bid 54.0¢" in quote and "Ask 55.0¢" in quote and "Spread 1.0¢" in quote
        assert "market data 12s ago" in quote
        money = static_text(pane, "#detail-money")
        assert "Volume $1.2M" in money and "24h $12.3K" in money and "Liquidity $98.8K" in money


async def test_book_overrides_quote_with_its_age() -> None:
    app = DetailApp()
    async with app.run_test(size=(120, 50)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show_market(make_market(), now=NOW)
        book = OrderBook("tok-yes", "m", bids=(BookLevel(0.53, 100),), asks=(BookLevel(0.56, 50),),
                         timestamp_ms=(T0 - 5) * 1000)
        pane.set_book(book)
        await pilot.pause()
        quote = static_text(pane, "#detail-quote")
        assert "Bid 53.0¢" in quote and "Ask 56.0¢" in quote and "Spread 3.0¢" in quote
        assert "order book 5s ago" in quote
        pane.refresh_ages(NOW + timedelta(minutes=2))
        await pilot.pause()
        assert "order book 2m ago" in static_text(pane, "#detail-quote")
        assert "prices as of 2m ago" in static_text(pane, "#detail-outcomes")


@pytest.mark.parametrize(("changes", "state"), [
    ({"end_date": NOW + timedelta(days=3)}, "open"),
    ({"end_date": NOW + timedelta(hours=5)}, "ending soon"),
    ({"end_date": NOW - timedelta(hours=2)}, "pending resolution"),
    ({"end_date": NOW - timedelta(days=2), "closed": True}, "resolved"),
    ({"end_date": None}, "open"),
])
async def test_end_date_states(changes: dict[str, Any], state: str) -> None:
    market = make_market(**changes)
    assert market_state(market, NOW) == state
    app = DetailApp()
    async with app.run_test(size=(120, 50)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show_market(market, now=NOW)
        await pilot.pause()
        assert f"State {state}" in static_text(pane, "#detail-end")


async def test_end_line_says_when() -> None:
    app = DetailApp()
    async with app.run_test(size=(120, 50)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show_market(make_market(end_date=NOW + timedelta(hours=5)), now=NOW)
        await pilot.pause()
        assert "ends 2026-03-01 17:00 UTC (in 5h)" in static_text(pane, "#detail-end")
        pane.show_market(make_market(end_date=NOW - timedelta(hours=2)), now=NOW)
        await pilot.pause()
        assert "ended 2026-03-01 10:00 UTC (2h ago)" in static_text(pane, "#detail-end")


@pytest.mark.parametrize(("view", "expected"), [
    (Visit("559651", NOW - timedelta(hours=3), 0.505), "since your last visit 3h ago: ▲ +4.0¢"),
    (Visit("559651", NOW - timedelta(days=2), 0.60), "since your last visit 2d ago: ▼ −5.5¢"),
    # no change reads as a plain zero, with no stray separator
    (Visit("559651", NOW - timedelta(minutes=5), 0.545),
     "since your last visit 5m ago: 0.0¢ (then 54.5¢, now 54.5¢)"),
    (Visit("559651", NOW - timedelta(minutes=5), None), "no price to compare"),
    (None, "First visit"),
])
async def test_change_since_last_visit(view: Visit | None, expected: str) -> None:
    app = DetailApp()
    async with app.run_test(size=(120, 50)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show_market(make_market(), last_view=view, now=NOW)
        await pilot.pause()
        assert expected in static_text(pane, "#detail-visit")


async def test_event_outcomes_are_ranked_with_the_current_marked() -> None:
    rows = [("Newsom", 0.36, 0.02), ("Ocasio-Cortez", 0.12, -0.01), ("Shapiro", 0.07, None)]
    siblings = [make_market(id=str(i), group_title=name, change_24h=change,
                            outcomes=(Outcome("Yes", price, f"y{i}"),
                                      Outcome("No", 1 - price, f"n{i}")))
                for i, (name, price, change) in enumerate(rows)]
    app = DetailApp()
    async with app.run_test(size=(120, 50)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show_market(siblings[1], event_markets=siblings, now=NOW)
        await pilot.pause()
        lines = static_text(pane, "#detail-event").splitlines()
        assert lines[0] == "Outcomes in this event (3)"
        assert "Newsom" in lines[1] and "▲ +2.0¢" in lines[1]
        assert lines[2].startswith("›") and "Ocasio-Cortez" in lines[2] and "▼ −1.0¢" in lines[2]
        assert "Shapiro" in lines[3] and "—" in lines[3]


async def test_long_event_lines_are_cut_with_an_ellipsis_not_wrapped() -> None:
    question = "Will the price of Ethereum be above $4,200 on December 2 at noon Eastern?"
    siblings = [make_market(id=str(i), group_title="", question=question.replace("4,200", str(i)),
                            outcomes=(Outcome("Yes", 0.1 * i, f"y{i}"),)) for i in range(3)]
    app = DetailApp()
    async with app.run_test(size=(60, 50)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show_market(siblings[1], event_markets=siblings, now=NOW)
        await pilot.pause()
        lines = widget_text(pane.query_one("#detail-event", Static)).splitlines()
        assert len(lines) == 4  # the heading and one line per outcome: nothing wrapped
        for line in lines[1:]:
            assert line.rstrip().endswith("…") and "Will the price" in line
            assert "¢" in line[:20]  # the numbers keep their columns


async def test_single_market_hides_event_section_and_clear_empties() -> None:
    app = DetailApp()
    async with app.run_test(size=(120, 50)) as pilot:
        pane = app.query_one(DetailPane)
        assert pane.query_one("#detail-empty").display
        pane.show_market(make_market(), now=NOW)
        await pilot.pause()
        assert not pane.query_one("#detail-event").display
        assert not pane.query_one("#detail-empty").display
        pane.clear()
        await pilot.pause()
        assert pane.market is None
        assert pane.query_one("#detail-empty").display
        assert not pane.query_one("#detail-head").display
        assert not pane.chart.display


# ---------------------------------------------------------------- links line


async def test_links_line_has_polymarket_and_tradingview() -> None:
    app = DetailApp()
    async with app.run_test(size=(160, 50)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show_market(make_market(), now=NOW)
        await pilot.pause()
        text = static_text(pane, "#detail-links")
        assert "https://polymarket.com/event/btc-100k/will-btc-hit-100k" in text
        assert "BITSTAMP:BTCUSD" in text
        assert pane.polymarket_link == "https://polymarket.com/event/btc-100k/will-btc-hit-100k"
        assert pane.tradingview_link is not None
        assert widget_links(pane.query_one("#detail-links", Static)) == {
            "https://polymarket.com/event/btc-100k/will-btc-hit-100k",
            "https://www.tradingview.com/chart/?symbol=BITSTAMP%3ABTCUSD&interval=D",
        }


async def test_a_narrow_links_section_cuts_the_url_but_links_all_of_it() -> None:
    url = "https://polymarket.com/event/btc-100k/will-btc-hit-100k"
    app = DetailApp()
    async with app.run_test(size=(50, 50)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show_market(make_market(), now=NOW)
        await pilot.pause()
        links = pane.query_one("#detail-links", Static)
        heading, polymarket, tradingview = widget_text(links).splitlines()
        assert heading.split() == ["Links", "o", "open", "·", "y", "copy", "·", "t", "chart"]
        assert polymarket.startswith("Polymarket   https://polymarket.com/")
        assert polymarket.rstrip().endswith("…") and "open" not in polymarket
        assert tradingview.startswith("TradingView  BITSTAMP:BTCUSD")
        assert url in widget_links(links)


async def test_links_line_says_no_related_chart_and_uses_user_rules() -> None:
    election = make_market(question="Will Gavin Newsom win the 2028 nomination?",
                           event_title="Democratic Presidential Nominee 2028", tags=())
    app = DetailApp()
    async with app.run_test(size=(160, 50)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show_market(election, now=NOW)
        await pilot.pause()
        assert "no related chart" in static_text(pane, "#detail-links")
        assert pane.tradingview_link is None
    proxy = TradingViewConfig(rules=(TradingViewRule("TVC:DXY", keywords=("nomination",),
                                                     label="macro proxy"),))
    app = DetailApp(tradingview=proxy)
    async with app.run_test(size=(160, 50)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show_market(election, now=NOW)
        await pilot.pause()
        assert "TVC:DXY (macro proxy)" in static_text(pane, "#detail-links")


# ---------------------------------------------------------------- chart


async def test_chart_empty_state_then_lines_and_legend() -> None:
    app = DetailApp()
    async with app.run_test(size=(120, 60)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show_market(make_market(), now=NOW)
        await pilot.pause()
        assert EMPTY_MESSAGE in widget_text(pane.chart)
        pane.set_chart(series_for({"tok-yes": 0.5, "tok-no": 0.4}), {"tok-yes": "Yes",
                                                                     "tok-no": "No"}, "1h")
        await pilot.pause()
        text = widget_text(pane.chart)
        assert EMPTY_MESSAGE not in text
        # The y axis fits the prices (40-56¢, with room), not 0-100.
        assert "40¢┤" in text and "55¢┤" in text and "100¢" not in text
        assert "━━ Yes 55.9¢" in text and "━━ No 45.9¢" in text
        pane.chart.focus()
        await pilot.press("0")  # the whole 0-100 scale
        text = widget_text(pane.chart)
        assert "100¢┤" in text and " 0¢┤" in text and "40¢┤" not in text
        await pilot.press("0")
        assert "100¢" not in widget_text(pane.chart)
        pane.set_chart({}, {}, "1w")
        await pilot.pause()
        assert EMPTY_MESSAGE in widget_text(pane.chart)
        assert pane.chart.range_ == "1w"


async def test_at_most_four_lines() -> None:
    tokens = {f"t{i}": 0.1 * i for i in range(6)}
    app = DetailApp()
    async with app.run_test(size=(160, 60)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show_market(make_market(), now=NOW)
        pane.set_chart(series_for(tokens), {t: f"Outcome {t}" for t in tokens}, "1d")
        await pilot.pause()
        assert [s.label for s in pane.chart.series] == [f"Outcome t{i}" for i in range(4)]
        text = widget_text(pane.chart)
        assert "Outcome t3" in text and "Outcome t4" not in text


async def test_range_tabs_click_asks_for_that_range() -> None:
    app = DetailApp()
    async with app.run_test(size=(120, 60)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show_market(make_market(), now=NOW)
        pane.set_chart(series_for({"tok-yes": 0.5}), {"tok-yes": "Yes"}, "1d")
        await pilot.pause()
        tabs = widget_text(pane.chart).splitlines()[0]
        for label in ("1H", "6H", "1D", "1W", "1M", "ALL"):
            assert label in tabs
        await pilot.click(PriceChart, offset=(tabs.index("1W") + 1, 0))
        await pilot.pause()
        assert app.ranges == ["1w"]
        assert pane.chart.range_ == "1w" and pane.chart.pending
        assert "Loading 1W price history" in widget_text(pane.chart)
        pane.select_range("max")
        await pilot.pause()
        assert app.ranges == ["1w", "max"]
        pane.set_chart(series_for({"tok-yes": 0.5}, n=400, step=86400), {"tok-yes": "Yes"}, "max")
        await pilot.pause()
        assert not pane.chart.pending
        assert "Loading" not in widget_text(pane.chart)


async def test_inspect_cursor_moves_and_shows_time_and_values() -> None:
    app = DetailApp()
    async with app.run_test(size=(120, 60)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show_market(make_market(), now=NOW)
        pane.set_chart(series_for({"tok-yes": 0.5, "tok-no": 0.3}, n=60, step=60),
                       {"tok-yes": "Yes [/b]", "tok-no": "No"}, "1h")
        await pilot.pause()
        chart = pane.chart
        assert chart.cursor is None
        assert "last point 2026-03-01 11:59 UTC" in widget_text(chart).splitlines()[-1]
        chart.focus()
        await pilot.press("left")
        assert chart.cursor == 59
        assert chart.cursor_time == T0 - 60
        *_, legend, info = widget_text(chart).splitlines()
        assert "at 2026-03-01 11:59 UTC" in info
        # The legend reads the values under the cursor.
        assert "━━ Yes [/b] 55.9¢" in legend and "━━ No 35.9¢" in legend
        # Sparse data (fewer points than columns): one press, one point.
        await pilot.press("left", "left")
        assert chart.cursor == 57
        *_, legend, info = widget_text(chart).splitlines()
        assert "2026-03-01 11:57 UTC" in info and "Yes [/b] 55.7¢" in legend
        # shift moves ten columns: about five points of this 60-point hour.
        await pilot.press("shift+left")
        assert 50 <= chart.cursor <= 54
        moment = datetime.fromtimestamp(chart.cursor_time or 0, UTC)
        assert f"{moment:%Y-%m-%d %H:%M} UTC" in widget_text(chart).splitlines()[-1]
        await pilot.press("home")
        assert chart.cursor == 0
        await pilot.press("left")
        assert chart.cursor == 0
        await pilot.press("end", "right", "right")
        assert chart.cursor == 59
        # New data keeps the cursor on the same moment.
        await pilot.press("shift+left")
        moment = chart.cursor_time
        pane.set_chart(series_for({"tok-yes": 0.6}, n=120, step=60), {"tok-yes": "Yes"}, "1h")
        await pilot.pause()
        assert chart.cursor_time == moment


async def test_dense_history_moves_a_column_per_press() -> None:
    """An hourly week plus a burst of live ticks: each press still moves visibly."""
    week = [PricePoint("a", T0 - 7 * 86400 + h * 3600, 0.5) for h in range(168)]
    ticks = [PricePoint("a", T0 - 600 + s, 0.51) for s in range(0, 600, 2)]
    app = ChartApp()
    async with app.run_test(size=(100, 20)) as pilot:
        chart = app.query_one(PriceChart)
        chart.set_series({"a": week + ticks}, {"a": "A"}, "1w")
        chart.focus()
        await pilot.pause()
        await pilot.press("left")
        assert chart.cursor == len(week) + len(ticks) - 1
        columns = []
        for _ in range(3):
            await pilot.press("left")
            canvas = find_canvas(widget_text(chart).splitlines())
            assert canvas is not None and chart.cursor_time is not None
            columns.append(canvas.column(chart.cursor_time, T0 - 7 * 86400, T0 - 2))
        # 300 ticks share the last column or two: the cursor leaves them in one press.
        assert chart.cursor_time < T0 - 600
        assert columns[0] > columns[1] > columns[2]


async def test_chart_error_and_repeated_data(monkeypatch: pytest.MonkeyPatch) -> None:
    plots: list[object] = []  # one entry per plotext build

    def counted_render_plot(*args: Any, **kwargs: Any) -> str:
        plots.append(args)
        return render_plot(*args, **kwargs)

    monkeypatch.setattr(chart_module, "render_plot", counted_render_plot)
    app = DetailApp()
    async with app.run_test(size=(80, 40)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show_market(make_market(), now=NOW)
        pane.select_range("1w")
        pane.set_chart_error("clob.polymarket.com did not answer within 10 s [/b]; "
                             "the chart will retry on the next refresh.")
        await pilot.pause()
        text = widget_text(pane.chart)
        assert "did not answer within 10 s [/b];" in text and "next refresh." in text
        assert "Loading" not in text and EMPTY_MESSAGE not in text
        data = series_for({"tok-yes": 0.5})
        pane.set_chart(data, {"tok-yes": "Yes"}, "1w")
        await pilot.pause()
        assert "did not answer" not in widget_text(pane.chart)
        builds = len(plots)
        assert builds >= 1
        pane.set_chart(data, {"tok-yes": "Yes"}, "1w")  # the same poll again
        await pilot.pause()
        widget_text(pane.chart)
        assert len(plots) == builds  # no second plotext build


async def test_cursor_keys_without_data_do_nothing() -> None:
    app = DetailApp()
    async with app.run_test(size=(120, 60)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show_market(make_market(), now=NOW)
        pane.chart.focus()
        await pilot.press("left", "right", "home", "end")
        assert pane.chart.cursor is None
        assert EMPTY_MESSAGE in widget_text(pane.chart)


class ChartApp(App[None]):
    def compose(self) -> ComposeResult:
        yield PriceChart(local_zone=timezone(timedelta(hours=2)))


async def test_cursor_time_in_local_zone_and_drawn_marker() -> None:
    app = ChartApp()
    async with app.run_test(size=(100, 20)) as pilot:
        chart = app.query_one(PriceChart)
        chart.set_series(series_for({"a": 0.5}), {"a": "A"}, "1h")
        chart.focus()
        await pilot.pause()
        before = widget_text(chart).splitlines()
        await pilot.press("home")
        after = widget_text(chart).splitlines()
        # The cursor is drawn as a vertical rule in the first canvas column, top to bottom.
        canvas = find_canvas(after)
        assert canvas is not None
        rows = range(canvas.top, canvas.bottom + 1)
        assert not any(before[row][canvas.left] == "│" for row in rows)
        assert sum(after[row][canvas.left] == "│" for row in rows) >= len(rows) - 2
        assert "2026-03-01 11:00 UTC" in after[-1]
        await pilot.press("end")
        assert "2026-03-01 11:59 UTC" in widget_text(chart).splitlines()[-1]
        await pilot.press("z")
        assert not chart.utc
        assert "2026-03-01 13:59 UTC+02:00" in widget_text(chart).splitlines()[-1]


async def test_chart_redraws_on_resize() -> None:
    app = ChartApp()
    async with app.run_test(size=(100, 20)) as pilot:
        chart = app.query_one(PriceChart)
        chart.set_series(series_for({"a": 0.5}), {"a": "A"}, "1h")
        await pilot.pause()
        top = next(line for line in widget_text(chart).splitlines() if "┌" in line)
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        narrow = next(line for line in widget_text(chart).splitlines() if "┌" in line)
        assert len(narrow.rstrip()) < len(top.rstrip())
        assert len(narrow.rstrip()) <= 60
        await pilot.resize_terminal(20, 8)
        await pilot.pause()
        assert "larger" in widget_text(chart)


# ---------------------------------------------------------------- pure helpers


def test_change_parts_carry_sign_without_colour() -> None:
    assert change_parts(0.025) == ("▲ +2.5¢", "$text-success")
    assert change_parts(-0.04) == ("▼ −4.0¢", "$text-error")
    assert change_parts(0.0004) == ("0.0¢", "$text-muted")
    assert change_parts(None)[0] == "—"


def test_outcome_changes_mirror_binary_markets() -> None:
    assert outcome_changes(make_market()) == [0.025, -0.025]
    three = make_market(outcomes=(Outcome("A", 0.2, "a"), Outcome("B", 0.3, "b"),
                                  Outcome("C", 0.5, "c")))
    assert outcome_changes(three) == [0.025, None, None]
    assert outcome_changes(make_market(change_24h=None)) == [None, None]


def test_axis_labels_fit_the_range() -> None:
    assert time_format(3600) == "%H:%M"
    assert time_format(7 * 86400, 86400) == "%a %d"
    assert time_format(7 * 86400, 6 * 3600) == "%a %H:%M"
    assert time_format(30 * 86400, 7 * 86400) == "%d %b"
    assert time_format(800 * 86400, 182 * 86400) == "%b %Y"
    positions, labels = x_ticks(T0 - 3600, T0, 100, UTC)
    assert 2 <= len(positions) <= 100 // 12
    assert all(int(label[-2:]) % 5 == 0 for label in labels)  # round times: 11:10, 11:20...
    decade, _ = x_ticks(T0 - 3650 * 86400, T0, 30, UTC)
    assert len(decade) <= 30 // 12
    week, week_labels = x_ticks(T0 - 7 * 86400, T0, 100, UTC)
    assert all(datetime.fromtimestamp(p, UTC).hour == 0 for p in week)
    assert week_labels[0][:3] in {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}


def test_thin_keeps_first_and_last_and_bounds_the_count() -> None:
    times = list(range(1000))
    values = [float(t) for t in times]
    thinned_t, thinned_v = thin(times, values, 50)
    assert len(thinned_t) == 50 and thinned_t[0] == 0 and thinned_t[-1] == 999
    assert thinned_t == [int(v) for v in thinned_v]
    assert thin(times[:10], values[:10], 50) == (times[:10], values[:10])
