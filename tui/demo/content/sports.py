"""Sports: league champions, single games, soccer titles, tennis slams."""

from __future__ import annotations

from datetime import UTC, datetime

from tui.demo.content.common import (
    Draws,
    EventSpec,
    exclusive,
    single,
)

_LEAGUES = (  # title, tag, final (month, day), teams
    ("NBA Finals", "nba", (6, 20),
     ("Oklahoma City Thunder", "Boston Celtics", "Denver Nuggets", "New York Knicks",
      "Cleveland Cavaliers", "Minnesota Timberwolves", "Houston Rockets", "Los Angeles Lakers",
      "Golden State Warriors", "Indiana Pacers", "Orlando Magic", "Milwaukee Bucks")),
    ("Super Bowl", "nfl", (2, 14),
     ("Kansas City Chiefs", "Philadelphia Eagles", "Baltimore Ravens", "Buffalo Bills",
      "Detroit Lions", "San Francisco 49ers", "Green Bay Packers", "Cincinnati Bengals",
      "Los Angeles Rams", "Houston Texans", "Washington Commanders", "Minnesota Vikings")),
    ("Stanley Cup", "nhl", (6, 18),
     ("Florida Panthers", "Edmonton Oilers", "Dallas Stars", "Colorado Avalanche",
      "Carolina Hurricanes", "Vegas Golden Knights", "Toronto Maple Leafs", "New York Rangers",
      "Winnipeg Jets", "Tampa Bay Lightning")),
    ("World Series", "mlb", (11, 1),
     ("Los Angeles Dodgers", "New York Yankees", "Philadelphia Phillies", "Atlanta Braves",
      "Houston Astros", "Baltimore Orioles", "Seattle Mariners", "Chicago Cubs",
      "San Diego Padres", "Detroit Tigers")),
)
_SOCCER = (("Premier League", ("Liverpool", "Arsenal", "Manchester City", "Chelsea",
                               "Newcastle United", "Aston Villa", "Tottenham Hotspur",
                               "Manchester United")),
           ("Champions League", ("Real Madrid", "Paris Saint-Germain", "Bayern Munich",
                                 "Barcelona", "Arsenal", "Inter Milan", "Liverpool",
                                 "Manchester City", "Atletico Madrid")))
_TENNIS = ("Jannik Sinner", "Carlos Alcaraz", "Novak Djokovic", "Alexander Zverev",
           "Taylor Fritz", "Jack Draper", "Holger Rune", "Daniil Medvedev")
_SLAMS = (("Wimbledon", 7, 13), ("the US Open", 9, 13), ("the Australian Open", 2, 1),
          ("the French Open", 6, 8))  # name, final month, day


def champion(g: Draws, k: int) -> EventSpec:
    title, tag, (month, day), teams = _LEAGUES[k % len(_LEAGUES)]
    year = g.now.year + 1 + k // len(_LEAGUES)
    end = datetime(year, month, day, 23, 0, tzinfo=UTC)
    body = ('This market will resolve to "Yes" if the {t} win the {y} {l}. Otherwise, it will '
            'resolve to "No".\n\nThe resolution source is the league\'s official results.')
    return exclusive(g, "sports", f"Who will win the {year} {title}?", teams,
                     lambda t: f"Will the {t} win the {year} {title}?",
                     lambda t: body.format(t=t, y=year, l=title), end, f"the {title}",
                     (tag,), f"{title} champion playoffs", heat=3.0)


def soccer(g: Draws, k: int) -> EventSpec:
    title, clubs = _SOCCER[k % len(_SOCCER)]
    year = g.now.year + k // len(_SOCCER)
    season = f"{year}-{(year + 1) % 100:02d}"
    end = datetime(year + 1, 5, 30, tzinfo=UTC)
    return exclusive(
        g, "sports", f"{title} Winner {season}", clubs,
        lambda c: f"Will {c} win the {season} {title}?",
        lambda c: (f'This market will resolve to "Yes" if {c} wins the {season} {title}. '
                   'Otherwise "No".'), end, f"the {title}", ("soccer",),
        f"{title} football soccer title", heat=2.0)


def game(g: Draws, k: int) -> EventSpec:
    _title, tag, _final, teams = _LEAGUES[k % len(_LEAGUES)]
    home, away = g.sample(teams, 2)
    end = g.end("hours", "days")
    league = {"nba": "NBA", "nfl": "NFL", "nhl": "NHL", "mlb": "MLB"}[tag]
    desc = (f'In the upcoming {league} game, scheduled for {g.day_text(end)}: if the {home} win, '
            f'the market will resolve to "{home}"; if the {away} win, it will resolve to '
            f'"{away}". If the game is postponed past the end date, the market resolves 50-50.')
    return single(g, "sports", f"{home} vs. {away}", desc, g.rng.uniform(0.25, 0.75), end,
                  f"{home} and {away}", (tag, "games"), f"{league} {home} {away} game",
                  outcomes=(home, away), heat=1.2)


def slam(g: Draws, k: int) -> EventSpec:
    slam, month, day = _SLAMS[k % len(_SLAMS)]
    year = g.now.year + 1 + k // len(_SLAMS)
    end = datetime(year, month, day, 20, 0, tzinfo=UTC)
    name = slam.removeprefix("the ")
    return exclusive(
        g, "sports", f"{name} Men's Singles Champion {year}", _TENNIS,
        lambda p: f"Will {p} win {slam} {year}?",
        lambda p: (f'This market will resolve to "Yes" if {p} wins the men\'s singles title at '
                   f'{slam} {year}. Otherwise "No".'), end, name, ("tennis",),
        f"{name} tennis grand slam")
