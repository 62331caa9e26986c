"""The outcome the detail follows: its order book shows that outcome's token, and the
chart marks (or derives) that outcome's line. `O` on the dashboard cycles it.

What a trader expects of the chart when they switch to "No" on a Yes/No market: the line
they read is the price of the shares the book shows. The chart draws only the Yes line of
such a market (`models.chart_lines`: No is its mirror), so the No line is derived as
100¢ − Yes and its label says so. One rule covers every chart:

- the market's line follows the chosen outcome: where the chart has no line of that
  outcome but has its complement's (the other side of a two-outcome market), the line
  becomes the complement mirrored, labelled "No (100¢ − Yes)" ("25 bps: No (100¢ − Yes)"
  in an event's chart, whose other markets keep their Yes lines);
- when the chart draws several lines, the chosen outcome's is marked "› " in the legend
  and in the inspect cursor's values (the marker the event list uses for this market).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tui.models import Market, Outcome, PricePoint

MARK = "› "

Series = Mapping[str, Sequence[PricePoint]]


def tradable(market: Market) -> tuple[Outcome, ...]:
    """The outcomes that have a token, so a book and a price history."""
    return tuple(outcome for outcome in market.outcomes if outcome.token_id)


def chosen_outcome(market: Market, token: str | None = None) -> Outcome | None:
    """The outcome of `token` in `market`; else the default: the leading outcome (Yes of a
    binary market), or the first with a token. None when no outcome has a token."""
    outcomes = tradable(market)
    for outcome in outcomes:
        if outcome.token_id == token:
            return outcome
    leading = market.leading
    if leading is not None and leading in outcomes:
        return leading
    return outcomes[0] if outcomes else None


def next_outcome(market: Market, token: str | None) -> Outcome | None:
    """The outcome after the chosen one, in the market's order, wrapping around; None
    when there is nothing to switch to (fewer than two outcomes with a token)."""
    outcomes = tradable(market)
    chosen = chosen_outcome(market, token)
    if len(outcomes) < 2 or chosen is None:
        return None
    return outcomes[(outcomes.index(chosen) + 1) % len(outcomes)]


def complement(market: Market, outcome: Outcome) -> Outcome | None:
    """The other side of a two-outcome market (No for Yes); None for any other market."""
    outcomes = tradable(market)
    if len(outcomes) != 2 or outcome not in outcomes:
        return None
    return outcomes[1] if outcome == outcomes[0] else outcomes[0]


def chart_for_outcome(market: Market, series: Series, labels: Mapping[str, str],
                      token: str | None) -> tuple[dict[str, Sequence[PricePoint]],
                                                  dict[str, str]]:
    """The chart's lines and labels as the chosen outcome reads them (see the module)."""
    lines: dict[str, Sequence[PricePoint]] = dict(series)
    names = dict(labels)
    chosen = chosen_outcome(market, token)
    if chosen is None:
        return lines, names
    other = complement(market, chosen)
    if not lines.get(chosen.token_id) and other is not None and lines.get(other.token_id):
        lines, names = _mirrored(lines, names, other, chosen)
    drawn = [key for key, points in lines.items() if points]
    if len(drawn) > 1 and chosen.token_id in drawn:
        names[chosen.token_id] = MARK + names.get(chosen.token_id, chosen.name)
    return lines, names


def _mirrored(lines: dict[str, Sequence[PricePoint]], names: dict[str, str],
              source: Outcome, target: Outcome) -> tuple[dict[str, Sequence[PricePoint]],
                                                         dict[str, str]]:
    """`source`'s line replaced, in place (its colour stays), by `target` = 100¢ − it."""
    derived = f"{target.name} (100¢ − {source.name})"
    shown = names.get(source.token_id, source.name)
    label = derived if shown == source.name else f"{shown}: {derived}"
    new_lines: dict[str, Sequence[PricePoint]] = {}
    new_names: dict[str, str] = {}
    for key, points in lines.items():
        if key == source.token_id:
            new_lines[target.token_id] = [
                PricePoint(target.token_id, point.t, round(1.0 - point.p, 6))
                for point in points]
            new_names[target.token_id] = label
        else:
            new_lines[key] = points
            if key in names:
                new_names[key] = names[key]
    return new_lines, new_names
