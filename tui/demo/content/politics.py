"""US politics: nominations, governors, Congress, the midterms."""

from __future__ import annotations

from datetime import UTC, datetime

from tui.demo.content.common import (
    Draws,
    EventSpec,
    exclusive,
    rules,
    single,
)

_DEM_2028 = ("Gavin Newsom", "Alexandria Ocasio-Cortez", "Josh Shapiro", "Pete Buttigieg",
             "Gretchen Whitmer", "Wes Moore", "Andy Beshear", "JB Pritzker", "Cory Booker",
             "Ro Khanna", "Jon Ossoff", "Raphael Warnock")
_GOP_2028 = ("JD Vance", "Marco Rubio", "Donald Trump Jr.", "Ron DeSantis", "Tucker Carlson",
             "Vivek Ramaswamy", "Glenn Youngkin", "Nikki Haley", "Brian Kemp",
             "Sarah Huckabee Sanders", "Byron Donalds")
_STATES = ("Arizona", "Georgia", "Michigan", "Pennsylvania", "Wisconsin", "Nevada",
           "North Carolina", "Ohio", "Florida", "Texas", "Virginia", "New Hampshire", "Iowa",
           "Minnesota", "Kansas", "Maine", "New Mexico", "Colorado")
_BILLS = ("a government funding bill", "the crypto market structure bill",
          "a national stablecoin framework", "a federal AI safety bill",
          "a permanent extension of the tax cuts", "a border security package",
          "the Kids Online Safety Act", "a bipartisan housing bill")
_PEOPLE_RUNS = ("Gavin Newsom", "Josh Shapiro", "Pete Buttigieg", "Ron DeSantis", "Mark Cuban",
                "Stephen A. Smith", "Dwayne Johnson", "Jon Stewart", "Glenn Youngkin")


def _midterm_day(g: Draws, k: int) -> datetime:
    """Early November of the k-th US midterm year (2026, 2030, ...) still ahead."""
    year = g.now.year + (2 - g.now.year % 4) % 4
    while datetime(year, 11, 3, tzinfo=UTC) <= g.now:
        year += 4
    return datetime(year + 4 * k, 11, 3, 12, 0, tzinfo=UTC)



def nominee(g: Draws, k: int) -> EventSpec:
    party, names = (("Democratic", _DEM_2028), ("Republican", _GOP_2028))[k % 2]
    year = 2028 + 4 * (k // 2)
    end = datetime(year, 11, 7, tzinfo=UTC)
    body = ("This market will resolve to \u201cYes\u201d if {n} wins and accepts the {y} "
            "nomination of the {p} Party for U.S. president. Otherwise, this market will "
            "resolve to \u201cNo\u201d.\n\nThe resolution source for this market will be a "
            "consensus of official {p} Party sources.")
    return exclusive(
        g, "politics", f"{party} Presidential Nominee {year}", names,
        lambda n: f"Will {n} win the {year} {party} presidential nomination?",
        lambda n: body.format(n=n, y=year, p=party), end, f"the {year} {party} primary",
        ("elections", "us-presidential-election"),
        f"{party} primary nomination presidential election candidates", heat=4.0)


def governor(g: Draws, k: int) -> EventSpec:
    state = _STATES[k % len(_STATES)]
    end = _midterm_day(g, k // len(_STATES))
    year = end.year
    parties = ("Democratic", "Republican", "Independent")[: 2 + k % 2]

    def text(p: str) -> str:
        return (f"This market will resolve to \u201cYes\u201d if the {p} candidate wins the {year} "
                f"{state} gubernatorial election. Otherwise, it will resolve to \u201cNo\u201d.\n\n"
                "The resolution source will be the official certified results.")
    return exclusive(
        g, "politics", f"{state} Governor Election {year}", parties,
        lambda p: f"Will the {p} candidate win the {state} governor race in {year}?",
        text, end, f"the {state} governor race", ("elections",), f"{state} governor election")


def run(g: Draws, k: int) -> EventSpec:
    person = _PEOPLE_RUNS[k % len(_PEOPLE_RUNS)]
    end = g.dated_end("months")
    when = g.day_text(end)
    return single(g, "politics", f"Will {person} announce a presidential run by {when}?",
                  rules(f"{person} publicly announces a campaign for U.S. president",
                        when, "official statements from the person or campaign"),
                  g.prob(0.03, 0.6), end, person, ("elections",), "presidential campaign 2028")


def shutdown(g: Draws, k: int) -> EventSpec:
    end = g.dated_end("days", "months")
    when = g.day_text(end)
    return single(g, "politics", f"Government shutdown by {when}?",
                  rules("the U.S. federal government enters a shutdown (a lapse in "
                        "appropriations)", when, "the Office of Personnel Management"),
                  g.prob(0.05, 0.7), end, "a government shutdown", (),
                  "Congress government shutdown funding appropriations", heat=1.5)


def bill(g: Draws, k: int) -> EventSpec:
    bill = _BILLS[k % len(_BILLS)]
    end = g.dated_end("days", "months")
    when = g.day_text(end)
    return single(g, "politics", f"Will the Senate pass {bill} by {when}?",
                  rules(f"the U.S. Senate passes {bill}", when, "congress.gov"),
                  g.prob(0.05, 0.8), end, "Congress", (), f"Senate Congress vote {bill}")


def house(g: Draws, k: int) -> EventSpec:
    end = _midterm_day(g, k)
    year = end.year
    combos = ("Republicans win House and Senate", "Democrats win House and Senate",
              "Democrats win House, Republicans Senate", "Republicans win House, Democrats Senate")

    def text(c: str) -> str:
        return (f"This market will resolve to \u201cYes\u201d if, after the {year} U.S. midterm "
                f"elections, the outcome is: {c}. Otherwise \u201cNo\u201d.\n\nControl is "
                "determined by the party holding a majority of seats when the new Congress "
                "convenes.")
    return exclusive(g, "politics", f"Balance of Power: {year} Midterms", combos,
                     lambda c: f"{year} midterms: {c}?", text, end, "the midterms",
                     ("elections",), "midterm elections Congress House Senate majority",
                     heat=2.5)
