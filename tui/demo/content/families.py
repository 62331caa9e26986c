"""Which families of events each category draws from, in turn (repeats weigh a family)."""

from __future__ import annotations

from collections.abc import Mapping

from tui.demo.content import crypto, culture, economy, politics, sports, tech, world
from tui.demo.content.common import Family

FAMILIES: Mapping[str, tuple[Family, ...]] = {
    "politics": (politics.nominee, politics.run, politics.governor, politics.shutdown,
                 politics.bill, politics.house),
    "crypto": (crypto.reach, crypto.above, crypto.updown, crypto.etf, crypto.coin_range,
               crypto.reach),
    "sports": (sports.champion, sports.game, sports.soccer, sports.game, sports.slam),
    "economy": (economy.fed, economy.macro, economy.cuts, economy.recession, economy.cpi,
                economy.macro),
    "culture": (culture.best_picture, culture.album, culture.person_of_year, culture.show,
                culture.eurovision),
    "tech": (tech.best_ai, tech.earnings, tech.release, tech.biggest),
    "world": (world.ceasefire, world.snap, world.uk, world.climate, world.olympics),
}
