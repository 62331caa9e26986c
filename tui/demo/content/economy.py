"""The economy: Fed decisions and cuts, CPI, market levels, recession."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tui.demo.content.common import (
    Draws,
    EventSpec,
    by_distance,
    exclusive,
    rules,
    single,
)

_FED_OPTIONS = ("50+ bps decrease", "25 bps decrease", "No change", "25+ bps increase")


def fed(g: Draws, k: int) -> EventSpec:
    end = g.month_after(1 + k, day=17)
    month = g.month_text(end)
    words = {"50+ bps decrease": "decrease interest rates by 50+ bps",
             "25 bps decrease": "decrease interest rates by 25 bps",
             "No change": "make no change to interest rates",
             "25+ bps increase": "increase interest rates by 25+ bps"}

    def text(option: str) -> str:
        return (f'This market will resolve to "Yes" if the FOMC {words[option]} after its '
                f'{month} meeting. Otherwise "No".\n\nThe resolution source is the FOMC '
                'statement published on federalreserve.gov.')
    return exclusive(g, "economy", f"Fed decision in {month}?", _FED_OPTIONS,
                     lambda o: f"Will the Fed {words[o]} after the {month} meeting?", text,
                     end, "the Federal Reserve", ("fed-rates", "fed"),
                     "Fed Federal Reserve FOMC interest rates rate cut Powell", heat=3.0,
                     likely=(2, 1, 0, 3) if k % 2 else (1, 2, 0, 3))


def cuts(g: Draws, k: int) -> EventSpec:
    year = g.now.year + k
    end = datetime(year, 12, 31, 23, 0, tzinfo=UTC)
    options = ("0", "1", "2", "3", "4", "5+")
    counted = {"0": "no Fed rate cuts happen", "1": "1 Fed rate cut happen"}
    return exclusive(
        g, "economy", f"How many Fed rate cuts in {year}?", options,
        lambda o: f"Will {counted.get(o, f'{o} Fed rate cuts happen')} in {year}?",
        lambda o: (f'This market will resolve to "Yes" if the Federal Reserve announces exactly '
                   f'{o} cuts to the federal funds target range during {year}. Otherwise "No".'),
        end, "Fed rate cuts", ("fed-rates", "fed"),
        "Fed Federal Reserve FOMC rate cuts interest rates", heat=2.0,
        likely=by_distance(len(options), 2.0))


def cpi(g: Draws, k: int) -> EventSpec:
    end = g.month_after(1 + k, day=12)
    month = g.month_text(end - timedelta(days=31))
    options = ("2.4% or less", "2.5%", "2.6%", "2.7%", "2.8%", "2.9%", "3.0% or more")
    return exclusive(
        g, "economy", f"US inflation (CPI YoY) in {month}?", options,
        lambda o: f"Will US CPI inflation for {month} be {o}?",
        lambda o: (f'This market will resolve to "Yes" if the year-over-year CPI change for '
                   f'{month}, as first published by the BLS, is {o}. Otherwise "No".'),
        end, "US inflation", ("inflation",), "inflation CPI consumer prices BLS",
        likely=by_distance(len(options), 3.0))


def macro(g: Draws, k: int) -> EventSpec:
    cases = (
        ("the 10-year Treasury yield", "close above {x}%", (3.8, 4.2, 4.5, 4.8, 5.0), "10-year",
         "Treasury yield bond market", ()),
        ("the S&P 500", "close above {x}", (6000, 6500, 7000, 7500), "S&P 500",
         "S&P 500 stocks index", ("stocks",)),
        ("gold", "reach ${x}/oz", (3500, 4000, 4500), "gold", "gold price commodities",
         ("commodities",)),
        ("WTI crude oil", "fall below ${x}", (55, 60, 65), "oil", "oil crude WTI OPEC",
         ("commodities",)),
        ("the Nasdaq-100", "close above {x}", (22000, 24000, 26000), "Nasdaq",
         "Nasdaq tech stocks", ("stocks",)),
        ("the VIX", "close above {x}", (25, 30, 40), "VIX", "VIX volatility stocks",
         ("stocks",)),
        ("the US dollar index (DXY)", "fall below {x}", (94, 96, 98), "the dollar",
         "dollar DXY currency", ()),
    )
    subject, verb, levels, topic, words, tags = cases[k % len(cases)]
    level = g.pick(levels)
    end = g.dated_end("days", "months")
    when = g.day_text(end)
    action = verb.format(x=f"{level:,}")
    first, _, rest = action.partition(" ")
    third_person = {"close": "closes", "reach": "reaches", "fall": "falls"}[first]
    return single(g, "economy", f"Will {subject} {action} by {when}?",
                  rules(f"{subject} {third_person} {rest}", when,
                        "official closing values published by the exchange"),
                  g.prob(0.05, 0.85), end, topic, tags, words)


def recession(g: Draws, k: int) -> EventSpec:
    year = g.now.year + k
    end = datetime(year + 1, 2, 28, tzinfo=UTC)
    return single(g, "economy", f"US recession in {year}?",
                  rules(f"the NBER declares a US recession that began in {year}",
                        f"February 28, {year + 1}", "the National Bureau of Economic Research"),
                  g.prob(0.05, 0.5), end, "a US recession", (),
                  "recession GDP economy NBER", heat=1.5)
