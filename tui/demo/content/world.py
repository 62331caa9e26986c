"""World: ceasefires, snap elections, the UK, climate, the Winter Olympics."""

from __future__ import annotations

from datetime import UTC, datetime

from tui.demo.content.common import (
    Draws,
    EventSpec,
    exclusive,
    rules,
    single,
)

_UK_PARTIES = ("Reform UK", "Labour", "Conservative", "Liberal Democrats", "Green")
_SNAP = ("France", "Germany", "Japan", "Canada", "Spain", "Israel", "the Netherlands",
         "South Korea", "Italy", "Australia")
_OLYMPIC = ("United States", "China", "Norway", "Germany", "Canada", "Japan",
            "Great Britain", "Italy")


def ceasefire(g: Draws, k: int) -> EventSpec:
    pairs = ("Russia x Ukraine", "Israel x Hamas", "India x Pakistan", "Thailand x Cambodia")
    pair = pairs[k % len(pairs)]
    end = g.dated_end("days", "months")
    when = g.day_text(end)
    return single(g, "world", f"{pair} ceasefire by {when}?",
                  rules(f"an official ceasefire agreement between {pair.replace(' x ', ' and ')}"
                        " is announced", when, "a consensus of credible reporting"),
                  g.prob(0.03, 0.6), end, f"a {pair} ceasefire", ("geopolitics",),
                  f"{pair.replace(' x ', ' ')} ceasefire peace talks war", heat=2.0)


def snap(g: Draws, k: int) -> EventSpec:
    country = _SNAP[k % len(_SNAP)]
    end = g.dated_end("months")
    when = g.day_text(end)
    return single(g, "world", f"Will {country} call a snap election by {when}?",
                  rules(f"a snap national election is officially called in {country}", when,
                        "official government sources"),
                  g.prob(0.03, 0.5), end, country, ("elections", "geopolitics"),
                  f"{country} election government parliament")


def uk(g: Draws, k: int) -> EventSpec:
    year = max(2029, g.now.year + 1) + 5 * k
    end = datetime(year, 8, 15, tzinfo=UTC)
    return exclusive(
        g, "world", f"UK general election {year}: most seats?", _UK_PARTIES,
        lambda p: f"Will {p} win the most seats at the {year} UK general election?",
        lambda p: (f'This market will resolve to "Yes" if {p} wins the most seats in the House '
                   f'of Commons at the {year} UK general election. Otherwise "No".'),
        end, "the UK general election", ("elections",), "UK general election Parliament")


def climate(g: Draws, k: int) -> EventSpec:
    year = g.now.year + k
    end = datetime(year + 1, 1, 20, tzinfo=UTC)
    return single(g, "world", f"Will {year} be the hottest year on record?",
                  rules(f"NASA reports {year} as the warmest year on record",
                        f"January 20, {year + 1}", "NASA GISS"),
                  g.prob(0.2, 0.8), end, "global temperatures", ("climate",),
                  "climate hottest year temperature record")


def _the(country: str) -> str:
    return f"the {country}" if country in ("United States", "Netherlands") else country


def olympics(g: Draws, k: int) -> EventSpec:
    year = 2030 + 4 * k
    end = datetime(year, 2, 24, tzinfo=UTC)
    return exclusive(
        g, "world", f"Most gold medals at the {year} Winter Olympics?", _OLYMPIC,
        lambda c: f"Will {_the(c)} win the most gold medals at the {year} Winter Olympics?",
        lambda c: (f'This market will resolve to "Yes" if {_the(c)} wins the most gold medals '
                   f'at the {year} Winter Olympics. Otherwise "No".'), end, "the Winter Olympics",
        ("sports",), "Winter Olympics gold medals")
