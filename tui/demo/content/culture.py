"""Culture: awards, albums, TV renewals, Eurovision."""

from __future__ import annotations

from datetime import UTC, datetime

from tui.demo.content.common import (
    Draws,
    EventSpec,
    exclusive,
    rules,
    single,
)

_FILMS = ("The Long Meridian", "Salt and Iron", "Paper Lanterns", "Night Harbor",
          "A Quiet Republic", "The Cartographer", "Glass Orchard", "Northern Line",
          "Sister Tide", "Ember Season")
_ARTISTS = ("Taylor Swift", "Rihanna", "Kendrick Lamar", "Beyonce", "Drake", "Adele",
            "Frank Ocean", "Billie Eilish", "Bad Bunny", "SZA")
_SHOWS = ("The Lantern Office", "Harbor Lights", "Dead Reckoning", "Low Orbit",
          "The Understudy", "Kingsbridge")
_PERSON_OF_YEAR = ("Donald Trump", "Pope Leo XIV", "Elon Musk", "Jensen Huang", "Sam Altman",
                   "Taylor Swift", "Volodymyr Zelenskyy", "Xi Jinping", "Claudia Sheinbaum")
_EUROVISION = ("Sweden", "Italy", "Ukraine", "France", "Israel", "Netherlands", "Finland",
               "Switzerland", "Norway", "Austria")


def best_picture(g: Draws, k: int) -> EventSpec:
    year = g.now.year + 1 + k
    end = datetime(year, 3, 10, tzinfo=UTC)
    films = g.sample(_FILMS, 8)
    return exclusive(
        g, "culture", f"Best Picture Winner {year}", films,
        lambda f: f"Will {f} win Best Picture at the {year} Oscars?",
        lambda f: (f'This market will resolve to "Yes" if "{f}" wins Best Picture at the {year} '
                   'Academy Awards. Otherwise "No".'), end, "the Oscars", ("movies", "awards"),
        "Oscars Academy Awards Best Picture film")


def album(g: Draws, k: int) -> EventSpec:
    artist = _ARTISTS[k % len(_ARTISTS)]
    end = g.dated_end("months")
    when = g.day_text(end)
    return single(g, "culture", f"Will {artist} release a new album by {when}?",
                  rules(f"{artist} releases a new studio album", when,
                        "official streaming platforms"),
                  g.prob(0.05, 0.7), end, artist, ("music",), f"{artist} album music")


def person_of_year(g: Draws, k: int) -> EventSpec:
    year = g.now.year + k
    end = datetime(year, 12, 12, tzinfo=UTC)
    if end <= g.now:
        end = g.end("months")
    return exclusive(
        g, "culture", f"Time Person of the Year {year}", _PERSON_OF_YEAR,
        lambda p: f"Will {p} be named Time's {year} Person of the Year?",
        lambda p: (f'This market will resolve to "Yes" if Time names {p} its {year} Person of '
                   'the Year. Otherwise "No".'), end, "Time Person of the Year", ("awards",),
        "Time magazine Person of the Year")


def show(g: Draws, k: int) -> EventSpec:
    show = _SHOWS[k % len(_SHOWS)]
    end = g.dated_end("months")
    when = g.day_text(end)
    return single(g, "culture", f"Will {show} be renewed for another season by {when}?",
                  rules(f"{show} is officially renewed for another season", when,
                        "the network's official announcement"),
                  g.prob(0.2, 0.9), end, show, (), f"{show} TV series renewal")


def eurovision(g: Draws, k: int) -> EventSpec:
    year = g.now.year + 1 + k
    end = datetime(year, 5, 17, tzinfo=UTC)
    return exclusive(
        g, "culture", f"Eurovision Winner {year}", _EUROVISION,
        lambda c: f"Will {c} win Eurovision {year}?",
        lambda c: f'This market will resolve to "Yes" if {c} wins Eurovision {year}.',
        end, "Eurovision", ("music",), "Eurovision song contest")
