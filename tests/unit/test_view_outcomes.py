"""tui.view.outcomes: which outcome the detail's book and chart follow, how `O` cycles
it, and the chart's lines as the chosen outcome reads them."""

from __future__ import annotations

from tui.models import Market, Outcome, PricePoint
from tui.view.outcomes import (
    MARK,
    chart_for_outcome,
    chosen_outcome,
    complement,
    next_outcome,
)

YES, NO = Outcome("Yes", 0.35, "tok-yes"), Outcome("No", 0.65, "tok-no")


def market(*outcomes: Outcome, group_title: str = "") -> Market:
    return Market(id="m1", slug="m1", question="Will it?", outcomes=outcomes,
                  group_title=group_title)


def points(token: str, *prices: float) -> list[PricePoint]:
    return [PricePoint(token, 1_000 + 60 * i, price) for i, price in enumerate(prices)]


def test_the_default_is_the_leading_outcome_and_a_token_picks_another() -> None:
    binary = market(YES, NO)
    assert chosen_outcome(binary) == YES  # Yes leads a binary market, whatever its price
    assert chosen_outcome(binary, "tok-no") == NO
    assert chosen_outcome(binary, "tok-gone") == YES  # a token of another market
    three = market(Outcome("A", 0.2, "a"), Outcome("B", 0.5, "b"), Outcome("C", 0.3, "c"))
    assert chosen_outcome(three).name == "B"  # the highest price
    untradable = market(Outcome("Yes", 0.5, ""), Outcome("No", 0.5, "tok-no"))
    assert chosen_outcome(untradable) == untradable.outcomes[1]  # the one with a book
    assert chosen_outcome(market(Outcome("Yes", 0.5, ""))) is None


def test_switching_cycles_through_the_outcomes_with_a_token() -> None:
    binary = market(YES, NO)
    assert next_outcome(binary, None) == NO
    assert next_outcome(binary, "tok-no") == YES
    three = market(Outcome("A", 0.2, "a"), Outcome("B", 0.5, "b"), Outcome("C", 0.3, "c"))
    assert [o.name for o in (next_outcome(three, t) for t in (None, "c", "a"))] == [
        "C", "A", "B"]
    assert next_outcome(market(YES, Outcome("No", 0.5, "")), None) is None
    assert complement(binary, NO) == YES and complement(three, three.outcomes[0]) is None


def test_a_binary_chart_shows_no_as_100_minus_yes_clearly_labelled() -> None:
    binary = market(YES, NO)
    series = {"tok-yes": points("tok-yes", 0.30, 0.35)}
    lines, labels = chart_for_outcome(binary, series, {"tok-yes": "Yes"}, None)
    assert lines == series and labels == {"tok-yes": "Yes"}  # Yes: as loaded, no mark
    lines, labels = chart_for_outcome(binary, series, {"tok-yes": "Yes"}, "tok-no")
    assert list(lines) == ["tok-no"]
    assert [point.p for point in lines["tok-no"]] == [0.70, 0.65]
    assert [point.t for point in lines["tok-no"]] == [1_000, 1_060]
    assert labels == {"tok-no": "No (100¢ − Yes)"}
    assert series == {"tok-yes": points("tok-yes", 0.30, 0.35)}  # the input is untouched


def test_an_event_chart_marks_and_flips_only_this_markets_line() -> None:
    this = market(YES, NO, group_title="25 bps")
    series = {"other": points("other", 0.5), "tok-yes": points("tok-yes", 0.3),
              "third": points("third", 0.2)}
    labels = {"other": "50 bps", "tok-yes": "25 bps", "third": "0 bps"}
    _lines, marked = chart_for_outcome(this, series, labels, None)
    assert marked == {"other": "50 bps", "tok-yes": MARK + "25 bps", "third": "0 bps"}
    lines, flipped = chart_for_outcome(this, series, labels, "tok-no")
    assert list(lines) == ["other", "tok-no", "third"]  # same place, same colour
    assert flipped["tok-no"] == MARK + "25 bps: No (100¢ − Yes)"
    assert lines["other"] == series["other"] and [p.p for p in lines["tok-no"]] == [0.7]


def test_a_chart_with_every_outcome_marks_the_chosen_one() -> None:
    three = market(Outcome("A", 0.2, "a"), Outcome("B", 0.5, "b"), Outcome("C", 0.3, "c"))
    series = {token: points(token, 0.3) for token in "bca"}
    _lines, labels = chart_for_outcome(three, series, {"a": "A", "b": "B", "c": "C"}, "c")
    assert labels == {"a": "A", "b": "B", "c": MARK + "C"}
    up_down = market(Outcome("Up", 0.6, "up"), Outcome("Down", 0.4, "down"))
    both = {"up": points("up", 0.6), "down": points("down", 0.4)}
    lines, labels = chart_for_outcome(up_down, both, {"up": "Up", "down": "Down"}, "down")
    assert lines == both and labels == {"up": "Up", "down": MARK + "Down"}  # its own line
