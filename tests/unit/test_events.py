"""One event index and one choice of chart lines, shared by the catalog and the facade."""

from __future__ import annotations

from tests.fakedata import make_markets
from tui.models import EventIndex, Market, chart_lines, with_prices


def fed_event() -> tuple[list[Market], dict[str, Market]]:
    markets = make_markets(12)
    return markets, {m.id: m for m in markets}


def test_siblings_in_list_order_and_alone() -> None:
    markets, by_id = fed_event()
    index = EventIndex(markets)
    assert [m.id for m in index.siblings(markets[2], by_id)] == [m.id for m in markets[:6]]
    assert index.siblings(markets[8], by_id) == [markets[8]]


def test_siblings_are_the_current_objects() -> None:
    markets, by_id = fed_event()
    index = EventIndex(markets)
    fresher = with_prices(markets[1], {markets[1].outcomes[0].token_id: 0.99})
    by_id[fresher.id] = fresher
    assert index.siblings(markets[0], by_id)[1] is fresher


def test_a_market_unknown_to_the_index_stands_alone() -> None:
    markets, by_id = fed_event()
    assert EventIndex().siblings(markets[0], by_id) == [markets[0]]


def test_chart_lines_of_an_event_are_its_top_markets_and_keep_the_selected_one() -> None:
    markets, _ = fed_event()
    siblings = markets[:6]
    ranked = sorted(siblings, key=lambda m: m.yes_price or 0.0, reverse=True)
    lowest = ranked[-1]
    lines = chart_lines(lowest, siblings, top=3)
    assert len(lines) == 3
    assert lowest.outcomes[0].token_id in lines  # the market on screen is always drawn
    assert ranked[0].outcomes[0].token_id in lines
    assert set(lines.values()) <= {m.group_title for m in siblings}


def test_chart_lines_of_a_binary_market_is_its_yes_line() -> None:
    markets, _ = fed_event()
    market = markets[8]
    assert chart_lines(market, [market]) == {market.outcomes[0].token_id: "Yes"}
