"""Deterministic demo data served through an httpx transport.

`--demo` runs the same client, cache and store code as live mode: only the transport
changes. DemoTransport answers at the real hosts (gamma-api.polymarket.com,
clob.polymarket.com, api.gdeltproject.org) with the real response shapes
(reference/polymarket_api.md, news_and_links.md §1.2): JSON text inside JSON for
outcomes/outcomePrices/clobTokenIds, volume/liquidity as strings next to their numeric
twins, an `events` array on market objects, keyset cursors, best-last order books.

The catalogue (events, markets, tags, token ids) comes from `random.Random(seed)` and
is built once per transport, lazily. Prices are a pure function of (market, minute):
smooth multi-scale noise in logit space, so a dashboard left open visibly ticks, the
Gamma list, CLOB midpoints, books and histories agree with each other, and a history
always ends at the current price. Pass `now` to freeze the clock (tests, snapshots).
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import random
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import httpx

DEMO_GAMMA_URL = "https://gamma-api.polymarket.com"
DEMO_CLOB_URL = "https://clob.polymarket.com"
DEMO_GDELT_URL = "https://api.gdeltproject.org/api/v2/doc/doc"
DEMO_NEWS_DOMAIN = "demo.polydash.invalid"

GAMMA_HOST = "gamma-api.polymarket.com"
CLOB_HOST = "clob.polymarket.com"
GDELT_HOST = "api.gdeltproject.org"

DEFAULT_DEMO_MARKETS = 480
MIN_DEMO_MARKETS = 40
MAX_DEMO_MARKETS = 100_000
DEFAULT_SEED = 7

CATEGORIES = ("politics", "crypto", "sports", "economy", "culture", "tech", "world")

KEYSET_MAX_LIMIT = 100
KEYSET_DEFAULT_LIMIT = 20
BATCH_MAX = 500
HISTORY_MAX_POINTS = 1500
# interval -> (window in minutes or None for "since creation", default fidelity)
HISTORY_INTERVALS: Mapping[str, tuple[int | None, int]] = {
    "1h": (60, 1), "6h": (360, 10), "1d": (1440, 60), "1w": (10080, 360),
    "1m": (43200, 1440), "max": (None, 1440), "all": (None, 1440),
}


def demo_market_count(env: Mapping[str, str] | None = None) -> int:
    """POLYDASH_DEMO_MARKETS, clamped to 40..100000; the default when unset or junk."""
    env = os.environ if env is None else env
    raw = (env.get("POLYDASH_DEMO_MARKETS") or "").strip().replace("_", "")
    try:
        count = int(raw)
    except ValueError:
        return DEFAULT_DEMO_MARKETS
    return max(MIN_DEMO_MARKETS, min(MAX_DEMO_MARKETS, count))


# ---------------------------------------------------------------- deterministic noise

_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
_TO_UNIT = 2.0 / (1 << 53)


def _mix(x: int) -> int:
    """splitmix64 finaliser: a fast, well-spread 64-bit hash."""
    x = (x + _GOLDEN) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def _hash(*parts: int) -> int:
    h = 0x2545F4914F6CDD1D
    for part in parts:
        h = _mix(h ^ (part & _MASK))
    return h


def _knot(stream: int, n: int) -> int:
    """The n-th value of a hash stream: one mix, for the hot paths (prices, books)."""
    return _mix((stream + n * _GOLDEN) & _MASK)


def _knot_unit(stream: int, n: int) -> float:
    return (_knot(stream, n) >> 11) * _TO_UNIT - 1.0


# (knot spacing in minutes, amplitude in logit units, stream salt): weeks-long swings
# down to a five-minute wiggle, so every chart range has some shape.
_SCALES = tuple((period, amplitude, _mix(period)) for period, amplitude in (
    (10080, 0.55), (1440, 0.3), (240, 0.14), (45, 0.06), (5, 0.025)))


def _noise(key: int, minute: int) -> float:
    """Smooth value noise at several time scales, about -1..1 in total."""
    total = 0.0
    for period, amplitude, salt in _SCALES:
        stream = key ^ salt
        knot, rest = divmod(minute, period)
        a = _knot_unit(stream, knot)
        b = _knot_unit(stream, knot + 1)
        f = rest / period
        f = f * f * (3.0 - 2.0 * f)
        total += amplitude * (a + (b - a) * f)
    return total


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, x))))


def _logit(p: float) -> float:
    p = min(0.999, max(0.001, p))
    return math.log(p / (1.0 - p))


def _quantize(p: float, scale: int) -> int:
    """Price in ticks, kept two ticks off 0 and 1 so a book has room on both sides."""
    return min(scale - 2, max(2, round(p * scale)))


def _price_text(ticks: int, scale: int) -> str:
    digits = 3 if scale == 1000 else 2
    text = f"{ticks / scale:.{digits}f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def _price_num(ticks: int, scale: int) -> float:
    return round(ticks / scale, 3 if scale == 1000 else 2)


# ---------------------------------------------------------------- catalogue records


@dataclass(frozen=True, slots=True)
class DemoTag:
    id: str
    slug: str
    label: str

    def to_api(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "slug": self.slug, "forceShow": False,
                "publishedAt": "2023-10-25 18:55:50.674+00",
                "createdAt": "2023-10-25T18:55:50.681Z", "updatedAt": "2026-03-09T22:35:26.766Z",
                "requiresTranslation": False}


_TAG_TABLE: tuple[tuple[str, str, str], ...] = (
    ("2", "politics", "Politics"), ("21", "crypto", "Crypto"), ("1", "sports", "Sports"),
    ("100328", "economy", "Economy"), ("596", "culture", "Culture"), ("1401", "tech", "Tech"),
    ("101970", "world", "World"), ("144", "elections", "Elections"),
    ("1101", "us-presidential-election", "US Election"), ("235", "bitcoin", "Bitcoin"),
    ("39", "ethereum", "Ethereum"), ("818", "solana", "Solana"),
    ("100196", "fed-rates", "Fed Rates"),
    ("159", "fed", "Fed"), ("702", "inflation", "Inflation"), ("745", "nba", "NBA"),
    ("450", "nfl", "NFL"), ("100350", "soccer", "Soccer"), ("100381", "mlb", "MLB"),
    ("899", "nhl", "NHL"), ("864", "tennis", "Tennis"), ("53", "movies", "Movies"),
    ("100255", "music", "Music"), ("439", "ai", "AI"), ("604", "stocks", "Stocks"),
    ("101001", "commodities", "Commodities"), ("100265", "geopolitics", "Geopolitics"),
    ("87", "climate", "Climate"), ("1013", "earnings", "Earnings"), ("103", "awards", "Awards"),
    ("100639", "games", "Games"), ("1312", "crypto-prices", "Crypto Prices"),
    ("101545", "nvidia", "Nvidia"), ("101546", "tesla", "Tesla"), ("101547", "apple", "Apple"),
    ("101548", "microsoft", "Microsoft"), ("101549", "google", "Google"),
    ("101550", "amazon", "Amazon"), ("101551", "meta", "Meta"),
)
DEMO_TAGS: tuple[DemoTag, ...] = tuple(DemoTag(i, s, label) for i, s, label in _TAG_TABLE)
_TAGS_BY_SLUG = {tag.slug: tag for tag in DEMO_TAGS}


@dataclass(slots=True, eq=False)
class _Market:
    """One generated market. Its Gamma JSON is built on first use and cached."""

    index: int
    event: _Event
    id: str
    slug: str
    question: str
    description: str
    group: str
    outcomes: tuple[str, str]
    position: int
    tokens: tuple[str, str]
    condition_id: str
    question_id: str
    scale: int  # 1000 for a 0.001 tick, 100 for 0.01
    kind: str  # "binary" | "exclusive" | "ladder" | "settled"
    center: float  # logit of the typical Yes price (log share for "exclusive")
    vol: float
    key: int
    created: float  # epoch seconds
    start: float
    updated: float
    volume: float
    volume_24h: float
    volume_1wk: float
    volume_1mo: float
    volume_1yr: float
    liquidity: float
    competitive: float
    featured: bool = False
    proposed: bool = False  # past its end with a proposed resolution: no order book
    created_minute: int = 0
    cache: tuple[str, str, str] | None = None


@dataclass(slots=True, eq=False)
class _Event:
    """One generated event with its markets; its Gamma JSON is built on first use."""

    index: int
    category: str
    id: str
    slug: str
    title: str
    description: str
    tags: tuple[DemoTag, ...]
    topic: str
    keywords: str
    key: int
    shape: str  # "single" | "exclusive" | "ladder"
    end: datetime
    created: datetime
    created_s: float
    neg_risk_id: str
    comment_count: int
    markets: list[_Market] = field(default_factory=list)
    volume: float = 0.0
    volume_24h: float = 0.0
    volume_1wk: float = 0.0
    volume_1mo: float = 0.0
    volume_1yr: float = 0.0
    liquidity: float = 0.0
    cache: str | None = None
    tags_cache: str = ""
    search_text: str = ""  # " word word ... " for word-prefix matching, built lazily
    news_text: str = ""


@dataclass(slots=True)
class _MSpec:
    question: str
    description: str
    p0: float
    group: str = ""
    outcomes: tuple[str, str] = ("Yes", "No")


@dataclass(slots=True)
class _Spec:
    category: str
    title: str
    topic: str
    markets: list[_MSpec]
    end: datetime
    shape: str = "single"
    tags: tuple[str, ...] = ()
    keywords: str = ""
    scale: int = 1000
    heat: float = 1.0
    description: str = ""


# ---------------------------------------------------------------- text helpers

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


_WORD = re.compile(r"[a-z0-9]+")
_THOUSANDS = re.compile(r"(\d),(\d)")


def _slugify(text: str) -> str:
    text = text.lower()
    if "&" in text or "%" in text:
        text = text.replace("&", " and ").replace("%", " pct ")
    if "," in text:
        text = _THOUSANDS.sub(r"\1\2", text)
    return "-".join(_WORD.findall(text))[:90].strip("-")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _money(value: float) -> str:
    if value >= 10_000:
        return f"${value / 1000:g}k"
    if value >= 100:
        return f"${value:,.0f}"
    return f"${value:g}" if value >= 1 else f"${value:.2f}"


def _money_full(value: float) -> str:
    return f"${value:,.0f}" if value >= 100 else f"${value:,.2f}"


def _iso(moment: datetime, digits: int = 0) -> str:
    """`2026-11-26T10:15:00Z`, with `digits` fractional digits. Every demo time is UTC;
    formatting by hand is several times faster than strftime here."""
    m = moment
    text = f"{m.year:04d}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}:{m.second:02d}"
    if digits:
        text += f".{m.microsecond:06d}"[: digits + 1]
    return text + "Z"


def _iso_s(seconds: float, digits: int = 0) -> str:
    return _iso(datetime.fromtimestamp(seconds, UTC), digits)


def _randint(rng: random.Random, low: int, high: int) -> int:
    """rng.randint without its argument checks: generation calls it 100,000+ times."""
    return low + int(rng.random() * (high - low + 1))


def _minute(moment: datetime) -> int:
    return int(moment.timestamp()) // 60


class _Gen:
    """Random choices for one catalogue, all drawn from one seeded Random."""

    def __init__(self, rng: random.Random, now: datetime) -> None:
        self.rng = rng
        self.now = now

    def pick[T](self, items: Sequence[T]) -> T:
        return items[self.rng.randrange(len(items))]

    def sample[T](self, items: Sequence[T], k: int) -> list[T]:
        return self.rng.sample(list(items), min(k, len(items)))

    def end(self, *horizons: str) -> datetime:
        """An end date: "hours" (today), "days", "months", "past" (awaiting resolution)."""
        horizon = self.pick(horizons)
        base = self.now.replace(minute=self.now.minute // 15 * 15, second=0, microsecond=0)
        if horizon == "hours":
            return base + timedelta(minutes=15 * self.rng.randint(4, 88))
        if horizon == "days":
            return (base + timedelta(days=self.rng.randint(1, 20))).replace(hour=16, minute=0)
        if horizon == "past":
            return base - timedelta(minutes=15 * self.rng.randint(4, 190))
        return (base + timedelta(days=self.rng.randint(30, 540))).replace(hour=4, minute=59)

    def dated_end(self, *horizons: str, past_share: float = 0.04) -> datetime:
        """Like end(), with a few markets already past their end date."""
        if self.rng.random() < past_share:
            return self.end("past")
        return self.end(*horizons)

    def month_after(self, months: int, day: int = 15) -> datetime:
        year, month = divmod(self.now.month - 1 + months, 12)
        return datetime(self.now.year + year, month + 1, day, 18, 0, tzinfo=UTC)

    def day_text(self, when: datetime) -> str:
        text = f"{_MONTHS[when.month - 1]} {when.day}"
        return text if when.year == self.now.year else f"{text}, {when.year}"

    def moment_text(self, when: datetime) -> str:
        return f"{self.day_text(when)}, {when:%H:%M} UTC"

    def month_text(self, when: datetime) -> str:
        name = _MONTHS[when.month - 1]
        return name if when.year == self.now.year else f"{name} {when.year}"

    def prob(self, low: float = 0.03, high: float = 0.95) -> float:
        return low + (high - low) * self.rng.betavariate(0.9, 1.5)

    def weights(self, n: int) -> list[float]:
        """Shares of a mutually exclusive outcome set: a few favourites, a long tail."""
        raw = sorted((self.rng.random() ** 2.2 + 0.004 for _ in range(n)), reverse=True)
        total = sum(raw)
        return [w / total for w in raw]


def _rules(condition: str, deadline: str, source: str) -> str:
    return (f'This market will resolve to "Yes" if {condition} by {deadline}, 11:59 PM ET. '
            'Otherwise, this market will resolve to "No".\n\n'
            f"The resolution source for this market will be {source}.")


def _single(g: _Gen, category: str, question: str, description: str, p0: float,
            end: datetime, topic: str, tags: tuple[str, ...], keywords: str = "",
            outcomes: tuple[str, str] = ("Yes", "No"), heat: float = 1.0) -> _Spec:
    return _Spec(category=category, title=question, topic=topic,
                 markets=[_MSpec(question, description, p0, outcomes=outcomes)], end=end,
                 tags=tags, keywords=keywords, heat=heat,
                 scale=g.pick((1000, 1000, 100)))


def _exclusive(g: _Gen, category: str, title: str, names: Sequence[str],
               question: Callable[[str], str], description: Callable[[str], str],
               end: datetime, topic: str, tags: tuple[str, ...], keywords: str = "",
               heat: float = 1.0, likely: Sequence[int] | None = None) -> _Spec:
    """A negRisk group. The biggest shares go to `names` in the order of `likely`
    (indexes, most likely first; default: the order given)."""
    shares = g.weights(len(names))
    ranked = list(likely) if likely is not None else list(range(len(names)))
    share_of = {index: share for index, share in zip(ranked, shares, strict=True)}
    markets = [_MSpec(question(name), description(name), share_of[index], group=name)
               for index, name in enumerate(names)]
    return _Spec(category=category, title=title, topic=topic, markets=markets, end=end,
                 shape="exclusive", tags=tags, keywords=keywords, heat=heat,
                 description=description(names[0]))


# ---------------------------------------------------------------- pools

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
_COINS = (  # name, ticker, spot, strike step, tag
    ("Bitcoin", "BTC", 118_000.0, 5_000.0, "bitcoin"),
    ("Ethereum", "ETH", 4_200.0, 250.0, "ethereum"),
    ("Solana", "SOL", 210.0, 10.0, "solana"),
    ("XRP", "XRP", 3.1, 0.25, "crypto-prices"),
    ("Dogecoin", "DOGE", 0.27, 0.05, "crypto-prices"),
)
_ETF_COINS = ("Solana", "XRP", "Dogecoin", "Cardano", "Litecoin", "Avalanche", "Polkadot")
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
_FED_OPTIONS = ("50+ bps decrease", "25 bps decrease", "No change", "25+ bps increase")
_COMPANIES = (  # name, ticker tag
    ("Nvidia", "nvidia"), ("Tesla", "tesla"), ("Apple", "apple"), ("Microsoft", "microsoft"),
    ("Alphabet", "google"), ("Amazon", "amazon"), ("Meta", "meta"),
)
_AI_LABS = ("Google", "OpenAI", "Anthropic", "xAI", "Meta", "DeepSeek", "Mistral")
_BIGGEST = ("Nvidia", "Microsoft", "Apple", "Alphabet", "Amazon", "Broadcom", "Meta",
            "Saudi Aramco", "Tesla")
_PRODUCTS = ("GPT-6", "Gemini 4", "Grok 6", "a foldable iPhone", "Apple smart glasses",
             "Tesla's unsupervised robotaxi in California", "Starship's first crewed flight",
             "a Nintendo Switch 2 price cut")
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
_UK_PARTIES = ("Reform UK", "Labour", "Conservative", "Liberal Democrats", "Green")
_SNAP = ("France", "Germany", "Japan", "Canada", "Spain", "Israel", "the Netherlands",
         "South Korea", "Italy", "Australia")
_OLYMPIC = ("United States", "China", "Norway", "Germany", "Canada", "Japan",
            "Great Britain", "Italy")


def _midterm_day(g: _Gen, k: int) -> datetime:
    """Early November of the k-th US midterm year (2026, 2030, ...) still ahead."""
    year = g.now.year + (2 - g.now.year % 4) % 4
    while datetime(year, 11, 3, tzinfo=UTC) <= g.now:
        year += 4
    return datetime(year + 4 * k, 11, 3, 12, 0, tzinfo=UTC)


def _by_distance(n: int, center: float) -> list[int]:
    """Indexes 0..n-1, nearest to `center` first: the likeliest buckets of a range."""
    return sorted(range(n), key=lambda i: (abs(i - center), i))


# ---------------------------------------------------------------- families: politics


def _f_nominee(g: _Gen, k: int) -> _Spec:
    party, names = (("Democratic", _DEM_2028), ("Republican", _GOP_2028))[k % 2]
    year = 2028 + 4 * (k // 2)
    end = datetime(year, 11, 7, tzinfo=UTC)
    body = ("This market will resolve to \u201cYes\u201d if {n} wins and accepts the {y} "
            "nomination of the {p} Party for U.S. president. Otherwise, this market will "
            "resolve to \u201cNo\u201d.\n\nThe resolution source for this market will be a "
            "consensus of official {p} Party sources.")
    return _exclusive(
        g, "politics", f"{party} Presidential Nominee {year}", names,
        lambda n: f"Will {n} win the {year} {party} presidential nomination?",
        lambda n: body.format(n=n, y=year, p=party), end, f"the {year} {party} primary",
        ("elections", "us-presidential-election"),
        f"{party} primary nomination presidential election candidates", heat=4.0)


def _f_governor(g: _Gen, k: int) -> _Spec:
    state = _STATES[k % len(_STATES)]
    end = _midterm_day(g, k // len(_STATES))
    year = end.year
    parties = ("Democratic", "Republican", "Independent")[: 2 + k % 2]

    def text(p: str) -> str:
        return (f"This market will resolve to \u201cYes\u201d if the {p} candidate wins the {year} "
                f"{state} gubernatorial election. Otherwise, it will resolve to \u201cNo\u201d.\n\n"
                "The resolution source will be the official certified results.")
    return _exclusive(
        g, "politics", f"{state} Governor Election {year}", parties,
        lambda p: f"Will the {p} candidate win the {state} governor race in {year}?",
        text, end, f"the {state} governor race", ("elections",), f"{state} governor election")


def _f_run(g: _Gen, k: int) -> _Spec:
    person = _PEOPLE_RUNS[k % len(_PEOPLE_RUNS)]
    end = g.dated_end("months")
    when = g.day_text(end)
    return _single(g, "politics", f"Will {person} announce a presidential run by {when}?",
                   _rules(f"{person} publicly announces a campaign for U.S. president",
                          when, "official statements from the person or campaign"),
                   g.prob(0.03, 0.6), end, person, ("elections",), "presidential campaign 2028")


def _f_shutdown(g: _Gen, k: int) -> _Spec:
    end = g.dated_end("days", "months")
    when = g.day_text(end)
    return _single(g, "politics", f"Government shutdown by {when}?",
                   _rules("the U.S. federal government enters a shutdown (a lapse in "
                          "appropriations)", when, "the Office of Personnel Management"),
                   g.prob(0.05, 0.7), end, "a government shutdown", (),
                   "Congress government shutdown funding appropriations", heat=1.5)


def _f_bill(g: _Gen, k: int) -> _Spec:
    bill = _BILLS[k % len(_BILLS)]
    end = g.dated_end("days", "months")
    when = g.day_text(end)
    return _single(g, "politics", f"Will the Senate pass {bill} by {when}?",
                   _rules(f"the U.S. Senate passes {bill}", when, "congress.gov"),
                   g.prob(0.05, 0.8), end, "Congress", (), f"Senate Congress vote {bill}")


def _f_house(g: _Gen, k: int) -> _Spec:
    end = _midterm_day(g, k)
    year = end.year
    combos = ("Republicans win House and Senate", "Democrats win House and Senate",
              "Democrats win House, Republicans Senate", "Republicans win House, Democrats Senate")

    def text(c: str) -> str:
        return (f"This market will resolve to \u201cYes\u201d if, after the {year} U.S. midterm "
                f"elections, the outcome is: {c}. Otherwise \u201cNo\u201d.\n\nControl is "
                "determined by the party holding a majority of seats when the new Congress "
                "convenes.")
    return _exclusive(g, "politics", f"Balance of Power: {year} Midterms", combos,
                      lambda c: f"{year} midterms: {c}?", text, end, "the midterms",
                      ("elections",), "midterm elections Congress House Senate majority",
                      heat=2.5)


# ---------------------------------------------------------------- families: crypto


def _coin(k: int) -> tuple[str, str, float, float, str]:
    return _COINS[k % len(_COINS)]


def _f_reach(g: _Gen, k: int) -> _Spec:
    name, ticker, spot, step, tag = _coin(k)
    up = k % 3 != 2
    ratio = g.rng.uniform(0.08, 0.45)
    strike = round(spot * (1 + ratio if up else 1 - ratio) / step) * step or step
    end = g.dated_end("days", "months")
    when = g.day_text(end)
    verb = "reach" if up else "dip to"
    relation = "at or above" if up else "at or below"
    p0 = max(0.02, min(0.93, math.exp(-ratio * 6.0) * g.rng.uniform(0.6, 1.1)))
    return _single(g, "crypto", f"Will {name} {verb} {_money(strike)} by {when}?",
                   _rules(f"any Binance 1 minute candle for {ticker}/USDT has a final "
                          f"{'High' if up else 'Low'} price {relation} {_money_full(strike)}",
                          when, "Binance"),
                   p0, end, name, ("crypto-prices", tag), f"{name} {ticker} price", heat=2.0)


def _f_above(g: _Gen, k: int) -> _Spec:
    name, ticker, spot, step, tag = _coin(k)
    end = g.end("hours", "days")
    when = g.day_text(end)
    fine = step / 5
    center = round(spot / fine) * fine
    strikes = [center + (i - 4) * fine * 2 for i in range(9)]
    markets = []
    for strike in strikes:
        label = _money_full(strike)
        p0 = _sigmoid((spot - strike) / (spot * 0.025))
        rules = (f'This market will resolve to "Yes" if the Binance 1 minute candle for '
                 f'{ticker}/USDT 12:00 in the ET timezone (noon) on {when} has a final "Close" '
                 f'price higher than {label}. Otherwise, this market will resolve to "No".\n\n'
                 f'The resolution source for this market is Binance, specifically the '
                 f'{ticker}/USDT "Close" prices with "1m" and "Candles" selected.')
        markets.append(_MSpec(f"Will the price of {name} be above {label} on {when}?", rules,
                              p0, group=label))
    return _Spec(category="crypto", title=f"{name} above ___ on {when}?", topic=name,
                 markets=markets, end=end, shape="ladder", tags=("crypto-prices", tag),
                 keywords=f"{name} {ticker} price", heat=1.5,
                 description=markets[0].description)


def _f_updown(g: _Gen, k: int) -> _Spec:
    name, ticker, _spot, _step, tag = _coin(k)
    end = g.end("hours")
    when = g.moment_text(end)
    desc = (f'This market will resolve to "Up" if the {ticker}/USDT close price at {when} is '
            f'greater than or equal to the open price one hour earlier. Otherwise it will '
            f'resolve to "Down".\n\nThe resolution source is Binance.')
    return _single(g, "crypto", f"{name} Up or Down: {when}?", desc, g.rng.uniform(0.35, 0.65),
                   end, name, ("crypto-prices", tag), f"{name} {ticker} price",
                   outcomes=("Up", "Down"), heat=0.8)


def _f_etf(g: _Gen, k: int) -> _Spec:
    coin = _ETF_COINS[k % len(_ETF_COINS)]
    end = g.dated_end("months")
    when = g.day_text(end)
    return _single(g, "crypto", f"Will a spot {coin} ETF be approved by {when}?",
                   _rules(f"the SEC approves a spot {coin} exchange-traded fund", when,
                          "official SEC announcements"),
                   g.prob(0.1, 0.9), end, f"a spot {coin} ETF", ("crypto-prices",),
                   f"{coin} ETF SEC approval")


def _f_coin_range(g: _Gen, k: int) -> _Spec:
    name, ticker, spot, step, tag = _coin(k)
    end = g.month_after(1 + k // len(_COINS), day=1)
    month = g.month_text(end - timedelta(days=1))
    edges = [round(spot / step) * step + (i - 3) * step for i in range(7)]
    labels = [f"<{_money(edges[0])}"] + [
        f"{_money(a)}-{_money(b)}" for a, b in zip(edges, edges[1:], strict=False)
    ] + [f">{_money(edges[-1])}"]

    def text(label: str) -> str:
        return (f'This market will resolve to "Yes" if the {ticker}/USDT Binance close price at '
                f'the end of {month} falls in the range {label}. Otherwise "No".')
    return _exclusive(g, "crypto", f"{name} price at the end of {month}?", labels,
                      lambda label: f"Will {name} close {month} at {label}?", text, end, name,
                      ("crypto-prices", tag), f"{name} {ticker} price",
                      likely=_by_distance(len(labels), 3.5))


# ---------------------------------------------------------------- families: sports


def _f_champion(g: _Gen, k: int) -> _Spec:
    title, tag, (month, day), teams = _LEAGUES[k % len(_LEAGUES)]
    year = g.now.year + 1 + k // len(_LEAGUES)
    end = datetime(year, month, day, 23, 0, tzinfo=UTC)
    body = ('This market will resolve to "Yes" if the {t} win the {y} {l}. Otherwise, it will '
            'resolve to "No".\n\nThe resolution source is the league\'s official results.')
    return _exclusive(g, "sports", f"Who will win the {year} {title}?", teams,
                      lambda t: f"Will the {t} win the {year} {title}?",
                      lambda t: body.format(t=t, y=year, l=title), end, f"the {title}",
                      (tag,), f"{title} champion playoffs", heat=3.0)


def _f_soccer(g: _Gen, k: int) -> _Spec:
    title, clubs = _SOCCER[k % len(_SOCCER)]
    year = g.now.year + k // len(_SOCCER)
    season = f"{year}-{(year + 1) % 100:02d}"
    end = datetime(year + 1, 5, 30, tzinfo=UTC)
    return _exclusive(
        g, "sports", f"{title} Winner {season}", clubs,
        lambda c: f"Will {c} win the {season} {title}?",
        lambda c: (f'This market will resolve to "Yes" if {c} wins the {season} {title}. '
                   'Otherwise "No".'), end, f"the {title}", ("soccer",),
        f"{title} football soccer title", heat=2.0)


def _f_game(g: _Gen, k: int) -> _Spec:
    _title, tag, _final, teams = _LEAGUES[k % len(_LEAGUES)]
    home, away = g.sample(teams, 2)
    end = g.end("hours", "days")
    league = {"nba": "NBA", "nfl": "NFL", "nhl": "NHL", "mlb": "MLB"}[tag]
    desc = (f'In the upcoming {league} game, scheduled for {g.day_text(end)}: if the {home} win, '
            f'the market will resolve to "{home}"; if the {away} win, it will resolve to '
            f'"{away}". If the game is postponed past the end date, the market resolves 50-50.')
    return _single(g, "sports", f"{home} vs. {away}", desc, g.rng.uniform(0.25, 0.75), end,
                   f"{home} and {away}", (tag, "games"), f"{league} {home} {away} game",
                   outcomes=(home, away), heat=1.2)


def _f_slam(g: _Gen, k: int) -> _Spec:
    slam, month, day = _SLAMS[k % len(_SLAMS)]
    year = g.now.year + 1 + k // len(_SLAMS)
    end = datetime(year, month, day, 20, 0, tzinfo=UTC)
    name = slam.removeprefix("the ")
    return _exclusive(
        g, "sports", f"{name} Men's Singles Champion {year}", _TENNIS,
        lambda p: f"Will {p} win {slam} {year}?",
        lambda p: (f'This market will resolve to "Yes" if {p} wins the men\'s singles title at '
                   f'{slam} {year}. Otherwise "No".'), end, name, ("tennis",),
        f"{name} tennis grand slam")


# ---------------------------------------------------------------- families: economy


def _f_fed(g: _Gen, k: int) -> _Spec:
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
    return _exclusive(g, "economy", f"Fed decision in {month}?", _FED_OPTIONS,
                      lambda o: f"Will the Fed {words[o]} after the {month} meeting?", text,
                      end, "the Federal Reserve", ("fed-rates", "fed"),
                      "Fed Federal Reserve FOMC interest rates rate cut Powell", heat=3.0,
                      likely=(2, 1, 0, 3) if k % 2 else (1, 2, 0, 3))


def _f_cuts(g: _Gen, k: int) -> _Spec:
    year = g.now.year + k
    end = datetime(year, 12, 31, 23, 0, tzinfo=UTC)
    options = ("0", "1", "2", "3", "4", "5+")
    counted = {"0": "no Fed rate cuts happen", "1": "1 Fed rate cut happen"}
    return _exclusive(
        g, "economy", f"How many Fed rate cuts in {year}?", options,
        lambda o: f"Will {counted.get(o, f'{o} Fed rate cuts happen')} in {year}?",
        lambda o: (f'This market will resolve to "Yes" if the Federal Reserve announces exactly '
                   f'{o} cuts to the federal funds target range during {year}. Otherwise "No".'),
        end, "Fed rate cuts", ("fed-rates", "fed"),
        "Fed Federal Reserve FOMC rate cuts interest rates", heat=2.0,
        likely=_by_distance(len(options), 2.0))


def _f_cpi(g: _Gen, k: int) -> _Spec:
    end = g.month_after(1 + k, day=12)
    month = g.month_text(end - timedelta(days=31))
    options = ("2.4% or less", "2.5%", "2.6%", "2.7%", "2.8%", "2.9%", "3.0% or more")
    return _exclusive(
        g, "economy", f"US inflation (CPI YoY) in {month}?", options,
        lambda o: f"Will US CPI inflation for {month} be {o}?",
        lambda o: (f'This market will resolve to "Yes" if the year-over-year CPI change for '
                   f'{month}, as first published by the BLS, is {o}. Otherwise "No".'),
        end, "US inflation", ("inflation",), "inflation CPI consumer prices BLS",
        likely=_by_distance(len(options), 3.0))


def _f_macro(g: _Gen, k: int) -> _Spec:
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
    return _single(g, "economy", f"Will {subject} {action} by {when}?",
                   _rules(f"{subject} {third_person} {rest}", when,
                          "official closing values published by the exchange"),
                   g.prob(0.05, 0.85), end, topic, tags, words)


def _f_recession(g: _Gen, k: int) -> _Spec:
    year = g.now.year + k
    end = datetime(year + 1, 2, 28, tzinfo=UTC)
    return _single(g, "economy", f"US recession in {year}?",
                   _rules(f"the NBER declares a US recession that began in {year}",
                          f"February 28, {year + 1}", "the National Bureau of Economic Research"),
                   g.prob(0.05, 0.5), end, "a US recession", (),
                   "recession GDP economy NBER", heat=1.5)


# ---------------------------------------------------------------- families: tech


def _f_best_ai(g: _Gen, k: int) -> _Spec:
    end = g.month_after(1 + k, day=1)
    month = g.month_text(end - timedelta(days=1))
    return _exclusive(
        g, "tech", f"Which company has the best AI model end of {month}?", _AI_LABS,
        lambda c: f"Will {c} have the best AI model at the end of {month}?",
        lambda c: (f'This market will resolve to "Yes" if {c} owns the top model on the LMArena '
                   f'text leaderboard at the end of {month}. Otherwise "No".'),
        end, "AI models", ("ai",), "AI model leaderboard OpenAI Google Anthropic", heat=2.0)


def _f_biggest(g: _Gen, k: int) -> _Spec:
    end = g.month_after(1 + 2 * k, day=1)
    month = g.month_text(end - timedelta(days=1))
    return _exclusive(
        g, "tech", f"Largest company in the world end of {month}?", _BIGGEST,
        lambda c: f"Will {c} be the largest company in the world at the end of {month}?",
        lambda c: (f'This market will resolve to "Yes" if {c} has the largest market '
                   f'capitalisation of any public company at the end of {month}. Otherwise "No".'),
        end, "market capitalisation", ("stocks",), "market cap largest company stocks")


def _f_earnings(g: _Gen, k: int) -> _Spec:
    company, tag = _COMPANIES[k % len(_COMPANIES)]
    end = g.end("days") + timedelta(days=91 * (k // len(_COMPANIES)))
    reported = end - timedelta(days=45)  # results arrive some weeks after the quarter
    quarter = f"Q{1 + (reported.month - 1) // 3} {reported.year}"
    return _single(g, "tech", f"Will {company} beat quarterly earnings ({quarter})?",
                   _rules(f"{company} reports adjusted EPS above the consensus estimate for "
                          f"{quarter}", g.day_text(end), f"{company}'s earnings release"),
                   g.prob(0.4, 0.9), end, company, ("earnings", "stocks", tag),
                   f"{company} earnings stock EPS")


def _f_release(g: _Gen, k: int) -> _Spec:
    product = _PRODUCTS[k % len(_PRODUCTS)]
    end = g.dated_end("months")
    when = g.day_text(end)
    return _single(g, "tech", f"Will {product} be released by {when}?",
                   _rules(f"{product} is released to the public", when,
                          "official announcements from the company"),
                   g.prob(0.05, 0.8), end, product, ("ai",), f"{product} launch release")


# ---------------------------------------------------------------- families: culture


def _f_best_picture(g: _Gen, k: int) -> _Spec:
    year = g.now.year + 1 + k
    end = datetime(year, 3, 10, tzinfo=UTC)
    films = g.sample(_FILMS, 8)
    return _exclusive(
        g, "culture", f"Best Picture Winner {year}", films,
        lambda f: f"Will {f} win Best Picture at the {year} Oscars?",
        lambda f: (f'This market will resolve to "Yes" if "{f}" wins Best Picture at the {year} '
                   'Academy Awards. Otherwise "No".'), end, "the Oscars", ("movies", "awards"),
        "Oscars Academy Awards Best Picture film")


def _f_album(g: _Gen, k: int) -> _Spec:
    artist = _ARTISTS[k % len(_ARTISTS)]
    end = g.dated_end("months")
    when = g.day_text(end)
    return _single(g, "culture", f"Will {artist} release a new album by {when}?",
                   _rules(f"{artist} releases a new studio album", when,
                          "official streaming platforms"),
                   g.prob(0.05, 0.7), end, artist, ("music",), f"{artist} album music")


def _f_person_of_year(g: _Gen, k: int) -> _Spec:
    year = g.now.year + k
    end = datetime(year, 12, 12, tzinfo=UTC)
    if end <= g.now:
        end = g.end("months")
    return _exclusive(
        g, "culture", f"Time Person of the Year {year}", _PERSON_OF_YEAR,
        lambda p: f"Will {p} be named Time's {year} Person of the Year?",
        lambda p: (f'This market will resolve to "Yes" if Time names {p} its {year} Person of '
                   'the Year. Otherwise "No".'), end, "Time Person of the Year", ("awards",),
        "Time magazine Person of the Year")


def _f_show(g: _Gen, k: int) -> _Spec:
    show = _SHOWS[k % len(_SHOWS)]
    end = g.dated_end("months")
    when = g.day_text(end)
    return _single(g, "culture", f"Will {show} be renewed for another season by {when}?",
                   _rules(f"{show} is officially renewed for another season", when,
                          "the network's official announcement"),
                   g.prob(0.2, 0.9), end, show, (), f"{show} TV series renewal")


def _f_eurovision(g: _Gen, k: int) -> _Spec:
    year = g.now.year + 1 + k
    end = datetime(year, 5, 17, tzinfo=UTC)
    return _exclusive(
        g, "culture", f"Eurovision Winner {year}", _EUROVISION,
        lambda c: f"Will {c} win Eurovision {year}?",
        lambda c: f'This market will resolve to "Yes" if {c} wins Eurovision {year}.',
        end, "Eurovision", ("music",), "Eurovision song contest")


# ---------------------------------------------------------------- families: world


def _f_ceasefire(g: _Gen, k: int) -> _Spec:
    pairs = ("Russia x Ukraine", "Israel x Hamas", "India x Pakistan", "Thailand x Cambodia")
    pair = pairs[k % len(pairs)]
    end = g.dated_end("days", "months")
    when = g.day_text(end)
    return _single(g, "world", f"{pair} ceasefire by {when}?",
                   _rules(f"an official ceasefire agreement between {pair.replace(' x ', ' and ')}"
                          " is announced", when, "a consensus of credible reporting"),
                   g.prob(0.03, 0.6), end, f"a {pair} ceasefire", ("geopolitics",),
                   f"{pair.replace(' x ', ' ')} ceasefire peace talks war", heat=2.0)


def _f_snap(g: _Gen, k: int) -> _Spec:
    country = _SNAP[k % len(_SNAP)]
    end = g.dated_end("months")
    when = g.day_text(end)
    return _single(g, "world", f"Will {country} call a snap election by {when}?",
                   _rules(f"a snap national election is officially called in {country}", when,
                          "official government sources"),
                   g.prob(0.03, 0.5), end, country, ("elections", "geopolitics"),
                   f"{country} election government parliament")


def _f_uk(g: _Gen, k: int) -> _Spec:
    year = max(2029, g.now.year + 1) + 5 * k
    end = datetime(year, 8, 15, tzinfo=UTC)
    return _exclusive(
        g, "world", f"UK general election {year}: most seats?", _UK_PARTIES,
        lambda p: f"Will {p} win the most seats at the {year} UK general election?",
        lambda p: (f'This market will resolve to "Yes" if {p} wins the most seats in the House '
                   f'of Commons at the {year} UK general election. Otherwise "No".'),
        end, "the UK general election", ("elections",), "UK general election Parliament")


def _f_climate(g: _Gen, k: int) -> _Spec:
    year = g.now.year + k
    end = datetime(year + 1, 1, 20, tzinfo=UTC)
    return _single(g, "world", f"Will {year} be the hottest year on record?",
                   _rules(f"NASA reports {year} as the warmest year on record",
                          f"January 20, {year + 1}", "NASA GISS"),
                   g.prob(0.2, 0.8), end, "global temperatures", ("climate",),
                   "climate hottest year temperature record")


def _the(country: str) -> str:
    return f"the {country}" if country in ("United States", "Netherlands") else country


def _f_olympics(g: _Gen, k: int) -> _Spec:
    year = 2030 + 4 * k
    end = datetime(year, 2, 24, tzinfo=UTC)
    return _exclusive(
        g, "world", f"Most gold medals at the {year} Winter Olympics?", _OLYMPIC,
        lambda c: f"Will {_the(c)} win the most gold medals at the {year} Winter Olympics?",
        lambda c: (f'This market will resolve to "Yes" if {_the(c)} wins the most gold medals '
                   f'at the {year} Winter Olympics. Otherwise "No".'), end, "the Winter Olympics",
        ("sports",), "Winter Olympics gold medals")


FAMILIES: Mapping[str, tuple[Callable[[_Gen, int], _Spec], ...]] = {
    "politics": (_f_nominee, _f_run, _f_governor, _f_shutdown, _f_bill, _f_house),
    "crypto": (_f_reach, _f_above, _f_updown, _f_etf, _f_coin_range, _f_reach),
    "sports": (_f_champion, _f_game, _f_soccer, _f_game, _f_slam),
    "economy": (_f_fed, _f_macro, _f_cuts, _f_recession, _f_cpi, _f_macro),
    "culture": (_f_best_picture, _f_album, _f_person_of_year, _f_show, _f_eurovision),
    "tech": (_f_best_ai, _f_earnings, _f_release, _f_biggest),
    "world": (_f_ceasefire, _f_snap, _f_uk, _f_climate, _f_olympics),
}
_HEADLINE_TEMPLATES: Mapping[str, tuple[str, ...]] = {
    "politics": ("New poll shakes up the race around {topic}",
                 "Donors and strategists reassess {topic} after a tense week",
                 "What to watch next for {topic}",
                 "Analysis: the numbers behind {topic}",
                 "Campaign filings shed light on {topic}"),
    "crypto": ("{topic} swings as traders brace for a volatile week",
               "ETF flows and {topic}: what the latest data shows",
               "Options market prices bigger moves for {topic}",
               "Analysts split on where {topic} heads next",
               "On-chain data points to fresh demand for {topic}"),
    "sports": ("Power rankings: where {topic} stands after the weekend",
               "Injury report adds uncertainty to {topic}",
               "Odds shift on {topic} after a statement win",
               "Five takeaways on {topic}", "Inside the locker room ahead of {topic}"),
    "economy": ("Markets reprice expectations for {topic}",
                "Economists revise forecasts ahead of {topic}",
                "Traders weigh fresh data on {topic}",
                "What the latest figures mean for {topic}",
                "Bond market signals on {topic}"),
    "culture": ("Buzz builds around {topic}", "Critics weigh in on {topic}",
                "Fans react to the latest news on {topic}",
                "Industry insiders handicap {topic}", "Everything we know about {topic}"),
    "tech": ("Investors weigh the latest moves on {topic}",
             "Analysts debate the outlook for {topic}",
             "Leaks and rumors swirl around {topic}", "Why {topic} matters this quarter",
             "Benchmarks and buzz: the state of {topic}"),
    "world": ("Diplomats signal movement on {topic}",
              "Explainer: the latest on {topic}", "Officials trade warnings over {topic}",
              "What comes next for {topic}", "Analysts assess the odds on {topic}"),
}
_GENERIC_HEADLINES = ('Prediction markets move on "{title}"',
                      'Traders reprice the odds: "{title}"')
_PUBLISHERS: Mapping[str, tuple[str, ...]] = {
    "politics": ("capitolbrief", "pollingpost"), "crypto": ("chainwire", "ledgerdaily"),
    "sports": ("courtside", "matchday"), "economy": ("macrodesk", "ratewatch"),
    "culture": ("marquee", "popwire"), "tech": ("siliconbeat", "bytefront"),
    "world": ("globaldispatch", "wiredesk"),
}


# ---------------------------------------------------------------- the catalogue


class DemoCatalogue:
    """Events, markets, tags and token ids for one (n_markets, seed, anchor time).

    Generation only draws numbers and short strings; the JSON objects of markets and
    events are assembled on first use (see `market_static` / `event_static`), so that
    20,000 markets are ready in well under the 2 s budget.
    """

    def __init__(self, n_markets: int, seed: int, anchor: datetime) -> None:
        self.n_markets = n_markets
        self.seed = seed
        self.anchor = anchor
        self.anchor_s = anchor.timestamp()
        self.events: list[_Event] = []
        self.markets: list[_Market] = []
        self.by_id: dict[str, _Market] = {}
        self.by_slug: dict[str, _Market] = {}
        self.by_token: dict[str, tuple[_Market, int]] = {}
        self.events_by_id: dict[str, _Event] = {}
        self.events_by_slug: dict[str, _Event] = {}
        self._rng = random.Random(seed)
        self._gen = _Gen(self._rng, anchor)
        self._slugs: set[str] = set()
        self._tokens: set[str] = set()
        self._text_ready = False
        self._build()

    # -- building

    def _build(self) -> None:
        """Round-robin over categories, and over each category's families, until the
        catalogue holds exactly n_markets markets (the last group event is cut short)."""
        turns = dict.fromkeys(CATEGORIES, 0)
        uses: dict[Callable[[_Gen, int], _Spec], int] = {}
        while len(self.markets) < self.n_markets:
            for category in CATEGORIES:
                remaining = self.n_markets - len(self.markets)
                if remaining <= 0:
                    break
                families = FAMILIES[category]
                family = families[turns[category] % len(families)]
                turns[category] += 1
                k = uses.get(family, 0)
                uses[family] = k + 1
                spec = family(self._gen, k)
                if len(spec.markets) > remaining:
                    if remaining < 2:
                        continue
                    spec.markets = spec.markets[:remaining]
                self._add_event(spec)

    def _unique_slug(self, text: str) -> str:
        base = _slugify(text) or "market"
        slug, n = base, 1
        while slug in self._slugs:
            n += 1
            slug = f"{base}-{n}"
        self._slugs.add(slug)
        return slug

    def _token(self) -> str:
        """A 77- or 78-digit decimal token id, unique in the catalogue."""
        while True:
            token = str(_TOKEN_LOW + self._rng.getrandbits(259))
            if token not in self._tokens:
                self._tokens.add(token)
                return token

    def _hex(self) -> str:
        return f"0x{self._rng.getrandbits(256):064x}"

    def _add_event(self, spec: _Spec) -> None:
        rng = self._rng
        index = len(self.events)
        single = spec.shape == "single"
        # Short-dated events (daily ladders, games, hourly Up/Down) are listed days
        # before they end; the rest have been around for up to a year or so.
        short = timedelta(0) < spec.end - self.anchor < timedelta(days=3)
        oldest = 7 * 1440 if short else 400 * 1440
        created = self.anchor - timedelta(minutes=_randint(rng, 360, oldest),
                                          microseconds=_randint(rng, 0, 999_999))
        if created >= spec.end:
            created = spec.end - timedelta(days=_randint(rng, 1, 30))
        event = _Event(
            index=index, category=spec.category, id=str(30_000 + index * 3 + _randint(rng, 0, 2)),
            slug=self._unique_slug(spec.markets[0].question if single else spec.title),
            title=spec.title, description=spec.description or spec.markets[0].description,
            tags=tuple(_TAGS_BY_SLUG[s] for s in (spec.category, *spec.tags)
                       if s in _TAGS_BY_SLUG),
            topic=spec.topic, keywords=spec.keywords, key=_hash(self.seed, 1, index),
            shape=spec.shape, end=spec.end, created=created, created_s=created.timestamp(),
            neg_risk_id=self._hex() if spec.shape == "exclusive" else "",
            comment_count=_randint(rng, 0, 2500))
        heat = spec.heat * 10 ** rng.uniform(3.0, 6.2)
        hours_left = (spec.end - self.anchor).total_seconds() / 3600
        for position, mspec in enumerate(spec.markets):
            self._add_market(event, spec, mspec, position, heat, hours_left)
        markets = event.markets
        event.volume = sum(m.volume for m in markets)
        event.volume_24h = sum(m.volume_24h for m in markets)
        event.volume_1wk = sum(m.volume_1wk for m in markets)
        event.volume_1mo = sum(m.volume_1mo for m in markets)
        event.volume_1yr = sum(m.volume_1yr for m in markets)
        event.liquidity = sum(m.liquidity for m in markets)
        self.events.append(event)
        self.events_by_id[event.id] = event
        self.events_by_slug[event.slug] = event

    def _add_market(self, event: _Event, spec: _Spec, mspec: _MSpec, position: int,
                    heat: float, hours_left: float) -> None:
        """One market; hot at 20,000 markets, so times are epoch seconds, not datetimes."""
        rng = self._rng
        rand, uniform = rng.random, rng.uniform
        index = len(self.markets)
        past = hours_left <= 0
        kind = "settled" if past and spec.shape == "single" else _KINDS[spec.shape]
        # Money follows the favourites of a group and the strikes near the money.
        share = {"exclusive": mspec.p0 ** 0.6,
                 "ladder": 0.15 + 2.4 * mspec.p0 * (1 - mspec.p0)}.get(spec.shape, 1.0)
        volume = heat * share * 10 ** uniform(0.0, 1.2)
        day = volume * (uniform(0.15, 0.6) if 0 < hours_left < 48 else uniform(0.003, 0.06))
        week = min(volume, day * uniform(4.0, 7.0))
        month = min(volume, week * uniform(2.5, 4.5))
        if kind == "settled":
            center = 5.3 if rand() < mspec.p0 else -5.3
        elif kind == "exclusive":
            center = math.log(max(mspec.p0, 1e-4))
        else:
            center = _logit(mspec.p0)
        created = event.created_s + 600 * rand()
        market = _Market(
            index=index, event=event, id=str(500_000 + index * 4 + int(4 * rand())),
            slug=event.slug if spec.shape == "single" else self._unique_slug(mspec.question),
            question=mspec.question, description=mspec.description, group=mspec.group,
            outcomes=mspec.outcomes, position=position, tokens=(self._token(), self._token()),
            condition_id=self._hex(),
            question_id=(event.neg_risk_id[:-2] + f"{position:02x}" if event.neg_risk_id
                         else self._hex()),
            scale=spec.scale, kind=kind, center=center, vol=uniform(0.35, 1.1),
            key=_hash(self.seed, 2, index), created=created,
            start=created + 60 + 2400 * rand(), updated=self.anchor_s - 5 - 895 * rand(),
            volume=volume, volume_24h=day, volume_1wk=week, volume_1mo=month,
            volume_1yr=min(volume, month * uniform(3.0, 9.0)),
            liquidity=min(volume, heat * share) * uniform(0.02, 0.25) + uniform(500, 5000),
            competitive=uniform(0.55, 0.99), featured=spec.heat >= 3.0 and position == 0,
            proposed=past and rand() < 0.5, created_minute=int(created) // 60)
        self.by_token[market.tokens[0]] = (market, 0)
        self.by_token[market.tokens[1]] = (market, 1)
        event.markets.append(market)
        self.markets.append(market)
        self.by_id[market.id] = market
        self.by_slug[market.slug] = market

    # -- text indexes, built on first search

    def ensure_text(self) -> None:
        if self._text_ready:
            return
        for event in self.events:
            words = " ".join([event.title, *(m.question for m in event.markets),
                              *(m.group for m in event.markets)])
            event.search_text = " " + " ".join(_words(words)) + " "
            labels = " ".join(t.label for t in event.tags)
            event.news_text = " " + " ".join(
                _words(f"{words} {event.keywords} {event.topic} {labels}")) + " "
        self._text_ready = True

    # -- static JSON, built on first use

    def market_static(self, m: _Market) -> dict[str, Any]:
        """The Gamma market object without `events`, price fields as placeholders."""
        return _market_static(m)

    def market_fragments(self, m: _Market) -> tuple[str, str, str]:
        """The static JSON of a market in three pieces around its price fields.

        Encoding a 60-key object per market per request would dominate the cost of
        paging through 20,000 markets; the pieces are encoded once instead.
        """
        if m.cache is None:
            m.cache = _fragments(self.market_static(m))
        return m.cache

    def event_fragment(self, e: _Event) -> str:
        """The static JSON of an event without `markets`, `tags` and the closing brace."""
        if e.cache is None:
            static = _event_static(e)
            e.cache = json.dumps(static, separators=(",", ":"), ensure_ascii=False)[:-1]
        return e.cache

    def tags_json(self, e: _Event) -> str:
        if not e.tags_cache:
            e.tags_cache = json.dumps([tag.to_api() for tag in e.tags], separators=(",", ":"))
        return e.tags_cache


_KINDS = {"single": "binary", "exclusive": "exclusive", "ladder": "ladder"}
_PRICE_KEYS = ("spread", "oneDayPriceChange", "oneWeekPriceChange", "lastTradePrice",
               "bestBid", "bestAsk")


def _json_members(data: Mapping[str, Any], keys: Iterable[str]) -> str:
    """`"a":1,"b":2` for the given keys of `data`."""
    encoded = json.dumps({k: data[k] for k in keys}, separators=(",", ":"), ensure_ascii=False)
    return encoded[1:-1]


def _fragments(data: dict[str, Any]) -> tuple[str, str, str]:
    """(head up to `outcomes`, middle up to the price fields, tail after them)."""
    keys = list(data)
    prices_at = keys.index("outcomePrices")
    first_price = keys.index(_PRICE_KEYS[0])
    head = _json_members(data, keys[:prices_at])
    middle = _json_members(data, keys[prices_at + 1:first_price])
    tail = _json_members(data, keys[first_price + len(_PRICE_KEYS):])
    return "{" + head, middle, tail
_TOKEN_LOW = 10**76  # + up to 2**259 (~9.3e77): 77- and 78-digit token ids


def _market_static(m: _Market) -> dict[str, Any]:
    """The Gamma market object minus `events`; price fields are placeholders that
    `DemoTransport._market_json` fills (or drops, as the API does) per request."""
    end = _iso(m.event.end)
    start = _iso_s(m.start, 3)
    image = _image(m.event)
    volume_24h, liquidity = round(m.volume_24h, 6), round(m.liquidity, 5)
    data: dict[str, Any] = {
        "id": m.id, "question": m.question, "conditionId": m.condition_id, "slug": m.slug,
        "resolutionSource": "", "endDate": end, "liquidity": repr(liquidity),
        "startDate": start, "image": image, "icon": image,
        "description": m.description, "outcomes": json.dumps(list(m.outcomes)),
        "outcomePrices": None, "volume": repr(m.volume), "active": True, "closed": False,
        "marketMakerAddress": "", "createdAt": _iso_s(m.created, 6),
        "updatedAt": _iso_s(m.updated, 6), "new": m.updated - m.created < 2 * 86400,
        "featured": m.featured, "archived": False, "restricted": True,
        "groupItemTitle": m.group, "groupItemThreshold": str(m.position),
        "questionID": m.question_id, "enableOrderBook": True,
        "orderPriceMinTickSize": 1 / m.scale, "orderMinSize": 5, "volumeNum": m.volume,
        "liquidityNum": liquidity, "endDateIso": end[:10],
        "startDateIso": start[:10], "hasReviewedDates": True,
        "volume24hr": volume_24h, "volume1wk": round(m.volume_1wk, 6),
        "volume1mo": round(m.volume_1mo, 6), "volume1yr": round(m.volume_1yr, 6),
        "clobTokenIds": json.dumps(list(m.tokens)), "umaBond": "500", "umaReward": "5",
        "volume24hrClob": volume_24h, "volumeClob": m.volume, "liquidityClob": liquidity,
        "acceptingOrders": not m.proposed, "negRisk": bool(m.event.neg_risk_id),
        "negRiskMarketID": m.event.neg_risk_id, "ready": False, "funded": False,
        "acceptingOrdersTimestamp": start[:19] + "Z", "cyom": False,
        "competitive": round(m.competitive, 6), "approved": True, "rewardsMinSize": 50,
        "rewardsMaxSpread": 3.5,
        **dict.fromkeys(_PRICE_KEYS),
        "negRiskOther": False, "umaResolutionStatuses": "[]",
    }
    if not m.event.neg_risk_id:
        del data["negRiskMarketID"]
    if m.proposed:
        data["umaResolutionStatus"] = "proposed"
    return data


def _image(e: _Event) -> str:
    return f"https://{DEMO_NEWS_DOMAIN}/img/{e.slug[:60]}.png"


def _event_static(e: _Event) -> dict[str, Any]:
    """The Gamma event object minus `markets` and `tags` (added per response)."""
    first = e.markets[0]
    image = _image(e)
    data: dict[str, Any] = {
        "id": e.id, "ticker": e.slug, "slug": e.slug, "title": e.title,
        "description": e.description, "resolutionSource": "",
        "startDate": _iso_s(first.start, 3), "creationDate": _iso(e.created, 6),
        "endDate": _iso(e.end), "image": image, "icon": image,
        "active": True, "closed": False, "archived": False,
        "new": first.updated - first.created < 2 * 86400,
        "featured": first.featured, "restricted": True,
        "liquidity": round(e.liquidity, 5), "volume": e.volume,
        "openInterest": round(e.volume * 0.08, 6), "createdAt": _iso(e.created, 6),
        "updatedAt": _iso_s(first.updated, 6), "competitive": round(first.competitive, 6),
        "volume24hr": round(e.volume_24h, 6), "volume1wk": round(e.volume_1wk, 6),
        "volume1mo": round(e.volume_1mo, 6), "volume1yr": round(e.volume_1yr, 6),
        "enableOrderBook": True, "liquidityClob": round(e.liquidity, 5),
        "negRisk": bool(e.neg_risk_id), "negRiskMarketID": e.neg_risk_id,
        "commentCount": e.comment_count, "cyom": False, "showAllOutcomes": True,
        "showMarketImages": e.shape != "ladder", "enableNegRisk": bool(e.neg_risk_id),
        "negRiskAugmented": False, "pendingDeployment": False, "deploying": False,
    }
    if not e.neg_risk_id:
        del data["negRiskMarketID"]
    if e.shape == "exclusive":
        data["sortBy"] = "price"
    return data


# ---------------------------------------------------------------- prices


class _Prices:
    """Yes prices in ticks as a pure function of (market, minute), memoised."""

    def __init__(self) -> None:
        self._memo: dict[tuple[int, int], int] = {}

    def yes(self, market: _Market, minute: int) -> int:
        key = (market.index, minute)
        hit = self._memo.get(key)
        if hit is not None:
            return hit
        if len(self._memo) > 400_000:
            self._memo.clear()
        if market.kind == "exclusive":
            self._fill_group(market.event, minute)
            return self._memo[key]
        if market.kind == "settled":
            p = _sigmoid(market.center)
        elif market.kind == "ladder":
            p = _sigmoid(market.center + market.vol * 1.6 * _noise(market.event.key, minute))
        else:
            p = _sigmoid(market.center + market.vol * _noise(market.key, minute))
        ticks = _quantize(p, market.scale)
        self._memo[key] = ticks
        return ticks

    def _fill_group(self, event: _Event, minute: int) -> None:
        raw = [math.exp(m.center + m.vol * _noise(m.key, minute)) for m in event.markets]
        total = sum(raw)
        for market, value in zip(event.markets, raw, strict=True):
            self._memo[(market.index, minute)] = _quantize(value / total, market.scale)

    def outcome(self, market: _Market, outcome: int, minute: int) -> int:
        yes = self.yes(market, minute)
        return yes if outcome == 0 else market.scale - yes

    def half_spread(self, market: _Market, minute: int) -> int:
        yes = self.yes(market, minute)
        room = min(yes - 1, market.scale - 1 - yes)
        return max(1, min(room, 1 + _knot(market.key ^ 7, minute // 5) % 3))


# ---------------------------------------------------------------- errors and helpers


class _Raw(str):
    """A response body that is already JSON text."""


class _Reply(Exception):
    """An HTTP answer other than 200 JSON, raised from deep inside a handler."""

    def __init__(self, status: int, body: Any, content_type: str = "application/json",
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = dict(headers or {})


def _gamma_error(status: int, kind: str, message: str) -> _Reply:
    return _Reply(status, {"type": kind, "error": message})


def _bool_param(params: httpx.QueryParams, name: str, default: bool) -> bool:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    raise _gamma_error(422, "validation error", f"{name} must be a boolean")


def _int_param(params: httpx.QueryParams, name: str, default: int | None) -> int | None:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise _gamma_error(422, "validation error", f"{name} must be an integer") from None


def _float_param(params: httpx.QueryParams, name: str) -> float | None:
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    try:
        return float(raw)
    except ValueError:
        raise _gamma_error(422, "validation error", f"{name} must be a number") from None


def _date_param(params: httpx.QueryParams, name: str) -> datetime | None:
    """An RFC 3339 date filter (UTC when it has no offset)."""
    raw = params.get(name)
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise _gamma_error(422, "validation error", f"{name} must be a date") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _list_param(params: httpx.QueryParams, name: str) -> list[str]:
    values: list[str] = []
    for raw in params.get_list(name):
        values.extend(v.strip() for v in raw.split(",") if v.strip())
    return values


_MARKET_ORDERS: Mapping[str, Callable[[_Market], Any]] = {
    "volume24hr": lambda m: m.volume_24h, "volumeNum": lambda m: m.volume,
    # The string twins sort as text on the real API; the demo is kinder and sorts numbers.
    "volume": lambda m: m.volume, "liquidityNum": lambda m: m.liquidity,
    "liquidity": lambda m: m.liquidity, "endDate": lambda m: m.event.end,
    "startDate": lambda m: m.start, "createdAt": lambda m: m.created,
    "id": lambda m: int(m.id), "competitive": lambda m: m.competitive,
    "volume1wk": lambda m: m.volume_1wk,
    "oneDayPriceChange": lambda m: 0.0,  # live: DemoTransport._sorted_markets computes it
}
_EVENT_ORDERS: Mapping[str, Callable[[_Event], Any]] = {
    "volume24hr": lambda e: e.volume_24h, "volume": lambda e: e.volume,
    "volumeNum": lambda e: e.volume, "liquidity": lambda e: e.liquidity,
    "liquidityNum": lambda e: e.liquidity, "endDate": lambda e: e.end,
    "startDate": lambda e: e.markets[0].start, "createdAt": lambda e: e.created,
    "id": lambda e: int(e.id), "competitive": lambda e: e.markets[0].competitive,
    "volume1wk": lambda e: e.volume_1wk, "commentCount": lambda e: e.comment_count,
}


def _order_param(params: httpx.QueryParams, fields: Mapping[str, Any]) -> tuple[str, ...]:
    raw = params.get("order") or "id"
    names = tuple(part.strip() for part in raw.split(",") if part.strip())
    if not names or any(name not in fields for name in names):
        raise _gamma_error(422, "validation error", "order fields are not valid")
    return names


# ---------------------------------------------------------------- the transport


class DemoTransport(httpx.AsyncBaseTransport, httpx.BaseTransport):
    """Answers Gamma, CLOB and GDELT requests from a generated catalogue; no network.

    `now` freezes the clock (the catalogue's dates are relative to it too). `clock`, if
    given, is asked for the time at each request instead, while the catalogue stays
    anchored at `now` (or the time of construction): tests use it to let time pass.
    Works as an async transport (httpx.AsyncClient) and a sync one (httpx.Client).
    """

    def __init__(self, n_markets: int = DEFAULT_DEMO_MARKETS, seed: int = DEFAULT_SEED,
                 now: datetime | None = None, *,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.n_markets = max(1, int(n_markets))
        self.seed = seed
        self.fixed_now = now.astimezone(UTC) if now is not None else None
        self.clock = clock
        anchor = self.fixed_now or datetime.now(UTC)
        self.anchor = anchor.replace(second=0, microsecond=0)
        self._catalogue: DemoCatalogue | None = None
        self._prices = _Prices()
        self._selections: dict[tuple[Any, ...], list[Any]] = {}
        self.requests_served = 0

    # -- public helpers (tests, benchmarks)

    @property
    def catalogue(self) -> DemoCatalogue:
        if self._catalogue is None:
            self._catalogue = DemoCatalogue(self.n_markets, self.seed, self.anchor)
        return self._catalogue

    def now(self) -> datetime:
        if self.clock is not None:
            return self.clock().astimezone(UTC)
        return self.fixed_now or datetime.now(UTC)

    def current_price(self, token_id: str, at: datetime | None = None) -> float | None:
        """The price of a token right now (as every endpoint reports it)."""
        found = self.catalogue.by_token.get(token_id)
        if found is None:
            return None
        market, outcome = found
        ticks = self._prices.outcome(market, outcome, _minute(at or self.now()))
        return _price_num(ticks, market.scale)

    # -- httpx entry points

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        return self._respond(request, body)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._respond(request, request.read())

    def _respond(self, request: httpx.Request, body: bytes) -> httpx.Response:
        self.requests_served += 1
        host = (request.url.host or "").lower()
        handlers: dict[str, Callable[[httpx.Request, bytes], Any]] = {
            GAMMA_HOST: self._gamma, CLOB_HOST: self._clob, GDELT_HOST: self._gdelt,
        }
        try:
            handler = handlers.get(host)
            if handler is None and request.method == "GET" and _FEED_PATH.search(
                    request.url.path):
                handler = self._feed
            if handler is None:
                raise _Reply(404, {"error": f"the demo has no data for {host or 'this host'}"})
            payload = handler(request, body)
        except _Reply as reply:
            return self._encode(reply.status, reply.body, reply.content_type, reply.headers)
        return self._encode(200, payload)

    @staticmethod
    def _encode(status: int, payload: Any, content_type: str = "application/json",
                headers: Mapping[str, str] | None = None) -> httpx.Response:
        if isinstance(payload, str):  # _Raw JSON, or the text of a text reply
            content = payload.encode()
        else:
            content = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        return httpx.Response(status, headers={"content-type": content_type, **(headers or {})},
                              content=content)

    # -- Gamma

    def _gamma(self, request: httpx.Request, body: bytes) -> Any:
        if request.method != "GET":
            raise _gamma_error(405, "method not allowed", f"{request.method} is not supported")
        path = request.url.path.rstrip("/") or "/"
        params = request.url.params
        minute = _minute(self.now())
        parts = path.strip("/").split("/")
        if path == "/status":
            raise _Reply(200, "OK", "text/plain")
        if path == "/markets/keyset":
            return self._markets_keyset(params, minute)
        if path == "/events/keyset":
            return self._events_keyset(params, minute)
        if path == "/public-search":
            return self._search(params, minute)
        if path == "/tags":
            return self._tags(params)
        if len(parts) == 3 and parts[:2] == ["tags", "slug"] and parts[2] in _TAGS_BY_SLUG:
            return _TAGS_BY_SLUG[parts[2]].to_api()
        if len(parts) in (2, 3) and parts[0] in ("markets", "events"):
            return self._one(parts, params, minute)
        raise _gamma_error(404, "not found error", f"no route for {path}")

    def _one(self, parts: list[str], params: httpx.QueryParams, minute: int) -> Any:
        cat = self.catalogue
        include_tag = _bool_param(params, "include_tag", False)
        if parts[0] == "markets":
            market = (cat.by_slug.get(parts[2]) if len(parts) == 3 and parts[1] == "slug"
                      else cat.by_id.get(parts[1]) if len(parts) == 2 else None)
            if market is None:
                raise _gamma_error(404, "not found error", "market not found")
            return _Raw(self._market_json(market, minute, with_event=True,
                                          include_tag=include_tag))
        event = (cat.events_by_slug.get(parts[2]) if len(parts) == 3 and parts[1] == "slug"
                 else cat.events_by_id.get(parts[1]) if len(parts) == 2 else None)
        if event is None:
            raise _gamma_error(404, "not found error", "event not found")
        return _Raw(self._event_json(event, minute))

    def _keyset_page(self, params: httpx.QueryParams, selection: list[Any]) -> tuple[int, int]:
        """(start, end) of the page; validates `offset`, `limit` and `after_cursor`."""
        if "offset" in params:
            raise _gamma_error(422, "validation error",
                               "offset is not allowed on keyset endpoints")
        limit = _int_param(params, "limit", KEYSET_DEFAULT_LIMIT) or KEYSET_DEFAULT_LIMIT
        limit = max(1, min(KEYSET_MAX_LIMIT, limit))
        start = self._decode_cursor(params.get("after_cursor") or "", _fingerprint(params))
        return start, min(len(selection), start + limit)

    @staticmethod
    def _decode_cursor(cursor: str, fingerprint: str) -> int:
        if not cursor:
            return 0
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            data = json.loads(base64.urlsafe_b64decode(padded.encode()))
            start, query = int(data["k"]), str(data["q"])
        except (ValueError, KeyError, TypeError):
            raise _gamma_error(422, "validation error", "after_cursor is not valid") from None
        if query != fingerprint or start < 0:
            raise _gamma_error(422, "validation error",
                               "after_cursor does not belong to this query")
        return start

    @staticmethod
    def _encode_cursor(start: int, fingerprint: str) -> str:
        raw = json.dumps({"k": start, "q": fingerprint}, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def _markets_keyset(self, params: httpx.QueryParams, minute: int) -> Any:
        selection = self._select_markets(params, minute)
        start, end = self._keyset_page(params, selection)
        include_tag = _bool_param(params, "include_tag", False)
        items = [self._market_json(m, minute, with_event=True, include_tag=include_tag)
                 for m in selection[start:end]]
        return self._keyset_body("markets", items, end < len(selection), end, params)

    def _events_keyset(self, params: httpx.QueryParams, minute: int) -> Any:
        selection = self._select_events(params)
        start, end = self._keyset_page(params, selection)
        items = [self._event_json(e, minute) for e in selection[start:end]]
        return self._keyset_body("events", items, end < len(selection), end, params)

    def _keyset_body(self, kind: str, items: list[str], more: bool, end: int,
                     params: httpx.QueryParams) -> _Raw:
        """`{"$schema": ..., "<kind>": [...], "next_cursor": ...}`; no cursor on the last page."""
        schema = json.dumps(f"{DEMO_GAMMA_URL}/schemas/{kind.title()}KeysetResponse.json")
        body = f'{{"$schema":{schema},"{kind}":[{",".join(items)}]'
        if more:
            body += f',"next_cursor":"{self._encode_cursor(end, _fingerprint(params))}"'
        return _Raw(body + "}")

    def _select_markets(self, params: httpx.QueryParams, minute: int) -> list[_Market]:
        order = _order_param(params, _MARKET_ORDERS)
        ascending = _bool_param(params, "ascending", True)
        closed = _bool_param(params, "closed", False)
        tag_id = params.get("tag_id") or None
        tokens, ids = set(_list_param(params, "clob_token_ids")), set(_list_param(params, "id"))
        slugs = set(_list_param(params, "slug"))
        conditions = set(_list_param(params, "condition_ids"))
        bounds = (_float_param(params, "volume_num_min"), _float_param(params, "volume_num_max"),
                  _float_param(params, "liquidity_num_min"),
                  _float_param(params, "liquidity_num_max"),
                  _date_param(params, "end_date_min"), _date_param(params, "end_date_max"))
        live = "oneDayPriceChange" in order
        key = ("m", order, ascending, closed, tag_id, frozenset(tokens), frozenset(ids),
               frozenset(slugs), frozenset(conditions), bounds, minute if live else None)
        cached = self._selections.get(key)
        if cached is not None:
            return cached
        if closed:
            chosen: list[_Market] = []  # every demo market is open
        else:
            chosen = [m for m in self._sorted_markets(order, ascending, minute if live else None)
                      if _market_matches(m, tag_id, tokens, ids, slugs, conditions, bounds)]
        self._remember(key, chosen)
        return chosen

    def _sorted_markets(self, order: tuple[str, ...], ascending: bool,
                        minute: int | None) -> list[_Market]:
        key = ("sorted-m", order, ascending, minute)
        cached = self._selections.get(key)
        if cached is None:
            def sort_key(m: _Market) -> tuple[Any, ...]:
                return tuple(self._market_sort_value(m, name, minute) for name in order) + (
                    m.index,)
            cached = sorted(self.catalogue.markets, key=sort_key, reverse=not ascending)
            self._remember(key, cached)
        return cached

    def _market_sort_value(self, market: _Market, name: str, minute: int | None) -> Any:
        if name == "oneDayPriceChange" and minute is not None:
            return self._change(market, minute, 1440) or 0.0
        return _MARKET_ORDERS[name](market)

    def _select_events(self, params: httpx.QueryParams) -> list[_Event]:
        order = _order_param(params, _EVENT_ORDERS)
        ascending = _bool_param(params, "ascending", True)
        closed = _bool_param(params, "closed", False)
        tag_id = params.get("tag_id") or None
        tag_slug = params.get("tag_slug") or None
        exclude = params.get("exclude_tag_id") or None
        ids, slugs = set(_list_param(params, "id")), set(_list_param(params, "slug"))
        key = ("e", order, ascending, closed, tag_id, tag_slug, exclude, frozenset(ids),
               frozenset(slugs))
        cached = self._selections.get(key)
        if cached is not None:
            return cached
        chosen: list[_Event] = []
        if not closed:
            events = sorted(self.catalogue.events, reverse=not ascending, key=lambda e: tuple(
                _EVENT_ORDERS[name](e) for name in order) + (e.index,))
            chosen = [e for e in events if _event_matches(e, tag_id, tag_slug, exclude, ids,
                                                          slugs)]
        self._remember(key, chosen)
        return chosen

    def _remember(self, key: tuple[Any, ...], value: list[Any]) -> None:
        if len(self._selections) > 64:
            self._selections.clear()
        self._selections[key] = value

    def _search(self, params: httpx.QueryParams, minute: int) -> Any:
        query = (params.get("q") or "").strip()
        if not query:
            raise _gamma_error(422, "validation error", "q is required")
        words = _words(query)
        page = max(1, _int_param(params, "page", 1) or 1)
        per_page = max(1, min(100, _int_param(params, "limit_per_type", 10) or 10))
        self.catalogue.ensure_text()
        found = [e for e in self.catalogue.events
                 if words and all(f" {w}" in e.search_text for w in words)]
        found.sort(key=lambda e: (-e.volume, e.index))
        start = (page - 1) * per_page
        chosen = found[start:start + per_page]
        pagination = json.dumps({"hasMore": start + per_page < len(found),
                                 "totalResults": len(found)}, separators=(",", ":"))
        events = ",".join(self._event_json(e, minute) for e in chosen)
        return _Raw(f'{{"events":[{events}],"pagination":{pagination}}}')

    def _tags(self, params: httpx.QueryParams) -> Any:
        limit = max(1, min(100, _int_param(params, "limit", 100) or 100))
        offset = max(0, _int_param(params, "offset", 0) or 0)
        return [tag.to_api() for tag in DEMO_TAGS[offset:offset + limit]]

    # -- JSON shapes

    def _change(self, market: _Market, minute: int, span: int) -> float | None:
        if minute - span < market.created_minute:
            return None
        now = self._prices.yes(market, minute)
        before = self._prices.yes(market, minute - span)
        return round((now - before) / market.scale, 4) or None

    def _market_json(self, market: _Market, minute: int, *, with_event: bool,
                     include_tag: bool = False) -> str:
        """One Gamma market object as JSON text, priced at `minute`."""
        head, middle, tail = self.catalogue.market_fragments(market)
        parts = [head, ',"outcomePrices":', self._outcome_prices(market, minute), ",", middle]
        for name, value in self._price_fields(market, minute):
            parts.append(f',"{name}":{value!r}')
        parts += [",", tail]
        if include_tag:
            parts += [',"tags":', self.catalogue.tags_json(market.event)]
        if with_event:
            parts += [',"events":[', self.catalogue.event_fragment(market.event), "}]"]
        parts.append("}")
        return "".join(parts)

    def _outcome_prices(self, market: _Market, minute: int) -> str:
        """The JSON string value holding JSON text, as Gamma sends it:
        `"[\\"0.245\\", \\"0.755\\"]"` (prices are digits and a dot: nothing to escape)."""
        yes = self._prices.yes(market, minute)
        a, b = _price_text(yes, market.scale), _price_text(market.scale - yes, market.scale)
        return f'"[\\"{a}\\", \\"{b}\\"]"'

    def _price_fields(self, market: _Market, minute: int) -> list[tuple[str, float]]:
        """spread, changes, last trade, bid/ask; absent ones are left out, as Gamma does."""
        yes = self._prices.yes(market, minute)
        half = self._prices.half_spread(market, minute)
        scale = market.scale
        fields: list[tuple[str, float]] = [("spread", _price_num(2 * half, scale))]
        for name, span in (("oneDayPriceChange", 1440), ("oneWeekPriceChange", 10080)):
            change = self._change(market, minute, span)
            if change is not None:
                fields.append((name, change))
        fields.append(("lastTradePrice", _price_num(self._last_trade(market, minute), scale)))
        if not market.proposed:  # no book, so no best bid/ask
            fields += [("bestBid", _price_num(yes - half, scale)),
                       ("bestAsk", _price_num(yes + half, scale))]
        return fields

    def _event_json(self, event: _Event, minute: int) -> str:
        markets = ",".join(self._market_json(m, minute, with_event=False)
                           for m in event.markets)
        return (f'{self.catalogue.event_fragment(event)},"markets":[{markets}],'
                f'"tags":{self.catalogue.tags_json(event)}}}')

    def _last_trade(self, market: _Market, minute: int) -> int:
        yes = self._prices.yes(market, minute)
        half = self._prices.half_spread(market, minute)
        jitter = _knot(market.key ^ 11, minute) % (2 * half + 1) - half
        return yes + jitter

    # -- CLOB

    def _clob(self, request: httpx.Request, body: bytes) -> Any:
        path = request.url.path.rstrip("/")
        params = request.url.params
        minute = _minute(self.now())
        routes: dict[tuple[str, str], Callable[[], Any]] = {
            ("GET", "/prices-history"): lambda: self._history(params),
            ("GET", "/book"): lambda: self._book(self._token_param(params), minute),
            ("GET", "/midpoint"): lambda: {"mid": self._mid(self._token_param(params), minute)},
            ("GET", "/price"): lambda: {"price": self._side_price(
                self._token_param(params), (params.get("side") or "BUY").upper(), minute)},
            ("POST", "/midpoints"): lambda: self._midpoints(_batch(body), minute),
            ("POST", "/prices"): lambda: self._batch_prices(_batch(body), minute),
            ("POST", "/books"): lambda: self._books(_batch(body), minute),
        }
        route = routes.get((request.method, path))
        if route is None:
            status = 405 if any(p == path for _, p in routes) else 404
            raise _Reply(status, {"error": f"no route for {request.method} {path or '/'}"})
        return route()

    def _token_param(self, params: httpx.QueryParams) -> str:
        token = (params.get("token_id") or "").strip()
        if not token:
            raise _Reply(400, {"error": "Invalid token id"})
        return token

    def _lookup(self, token: str) -> tuple[_Market, int]:
        """The market of a token with an order book (none once a resolution is proposed)."""
        found = self.catalogue.by_token.get(token)
        if found is None or found[0].proposed:
            raise _Reply(404, {"error": "No orderbook exists for the requested token id"})
        return found

    def _mid(self, token: str, minute: int) -> str:
        market, outcome = self._lookup(token)
        return _price_text(self._prices.outcome(market, outcome, minute), market.scale)

    def _midpoints(self, items: list[Mapping[str, Any]], minute: int) -> dict[str, str]:
        result: dict[str, str] = {}
        for item in items:
            token = str(item.get("token_id") or "")
            found = self.catalogue.by_token.get(token)
            if found is not None and not found[0].proposed:
                result[token] = self._mid(token, minute)
        return result

    def _side_price(self, token: str, side: str, minute: int) -> str:
        """BUY -> best bid, SELL -> best ask (the maintainer's reading, reference §3.1)."""
        market, outcome = self._lookup(token)
        bids, asks = self._levels(market, outcome, minute)
        level = bids[-1] if side == "BUY" else asks[-1]
        return level["price"]

    def _batch_prices(self, items: list[Mapping[str, Any]], minute: int) -> dict[str, Any]:
        result: dict[str, dict[str, str]] = {}
        for item in items:
            token = str(item.get("token_id") or "")
            side = str(item.get("side") or "BUY").upper()
            found = self.catalogue.by_token.get(token)
            if found is not None and not found[0].proposed and side in ("BUY", "SELL"):
                result.setdefault(token, {})[side] = self._side_price(token, side, minute)
        return result

    def _books(self, items: list[Mapping[str, Any]], minute: int) -> list[Any]:
        books = []
        for item in items:
            token = str(item.get("token_id") or "")
            found = self.catalogue.by_token.get(token)
            if found is not None and not found[0].proposed:
                books.append(self._book(token, minute))
        return books

    def _levels(self, market: _Market, outcome: int,
                minute: int) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
        """Bids ascending and asks descending: the best of each side is the LAST element."""
        yes = self._prices.yes(market, minute)
        half = self._prices.half_spread(market, minute)
        scale = market.scale
        yes_bids = self._side(market, minute, yes - half, -1, 1)
        yes_asks = self._side(market, minute, yes + half, 1, 2)
        if outcome == 0:
            bids, asks = yes_bids, yes_asks
        else:  # the No book mirrors the Yes book
            bids = [(scale - p, s) for p, s in yes_asks]
            asks = [(scale - p, s) for p, s in yes_bids]
        bids.sort(key=lambda level: level[0])
        asks.sort(key=lambda level: -level[0])
        return ([{"price": _price_text(p, scale), "size": s} for p, s in bids],
                [{"price": _price_text(p, scale), "size": s} for p, s in asks])

    def _side(self, market: _Market, minute: int, best: int, step: int,
              salt: int) -> list[tuple[int, str]]:
        levels: list[tuple[int, str]] = []
        price = best
        for level in range(12):
            if not 1 <= price <= market.scale - 1:
                break
            h = _hash(market.key, salt, minute // 3, level)
            size = (10 ** (1.3 + (h % 10_000) / 10_000 * 3.4)) * (1 + level * 0.4)
            levels.append((price, f"{size:.2f}".rstrip("0").rstrip(".")))
            price += step * (1 + (h >> 20) % 3)
        return levels

    def _book(self, token: str, minute: int) -> dict[str, Any]:
        market, outcome = self._lookup(token)
        bids, asks = self._levels(market, outcome, minute)
        last = self._last_trade(market, minute)
        book: dict[str, Any] = {
            "market": market.condition_id, "asset_id": token,
            "timestamp": str(int(self.now().timestamp() * 1000)), "hash": "",
            "bids": bids, "asks": asks, "min_order_size": "5",
            "tick_size": _price_text(1, market.scale), "neg_risk": bool(market.event.neg_risk_id),
            "last_trade_price": _price_text(last, market.scale),
        }
        digest = json.dumps(book, separators=(",", ":")).encode()
        book["hash"] = hashlib.sha1(digest, usedforsecurity=False).hexdigest()
        return book

    def _history(self, params: httpx.QueryParams) -> dict[str, Any]:
        token = (params.get("market") or "").strip()
        if not token:
            raise _Reply(400, {"error": "market is required"})
        found = self.catalogue.by_token.get(token)
        if found is None:
            return {"history": []}  # the real API answers 200 with nothing
        market, outcome = found
        now_s = int(self.now().timestamp())
        span = self._history_span(params, now_s, market)
        if span is None:
            return {"history": []}
        start_s, end_s, fidelity = span
        step = fidelity * 60
        count = min(HISTORY_MAX_POINTS, (end_s - start_s) // step + 1)
        points = []
        for k in range(count - 1, -1, -1):
            t = end_s - k * step
            ticks = self._prices.outcome(market, outcome, t // 60)
            points.append({"t": t, "p": _price_num(ticks, market.scale)})
        return {"history": points}

    def _history_span(self, params: httpx.QueryParams, now_s: int,
                      market: _Market) -> tuple[int, int, int] | None:
        """(first second, last second, fidelity in minutes), or None for no data."""
        interval = (params.get("interval") or "").strip().lower()
        if interval and interval not in HISTORY_INTERVALS:
            raise _Reply(400, {"error": f"invalid interval: {interval[:20]}"})
        window, default_fidelity = HISTORY_INTERVALS[interval or "max"]
        try:
            fidelity = int(params.get("fidelity") or default_fidelity)
            start_ts = int(params["startTs"]) if params.get("startTs") else None
            end_ts = int(params["endTs"]) if params.get("endTs") else None
        except ValueError:
            raise _Reply(400, {"error": "invalid fidelity, startTs or endTs"}) from None
        if fidelity < 1:
            raise _Reply(400, {"error": "fidelity must be at least 1"})
        created_s = market.created_minute * 60
        end_s = min(now_s, end_ts) if end_ts is not None else now_s
        if start_ts is not None:
            start_s = start_ts
        elif window is None or not interval and end_ts is not None:
            start_s = created_s
        else:
            start_s = end_s - window * 60
        start_s = max(start_s, created_s)
        if end_s < start_s:
            return None
        # Align on the end so that the last point is "now", at the current price.
        start_s = end_s - ((end_s - start_s) // (fidelity * 60)) * fidelity * 60
        return start_s, end_s, fidelity

    # -- GDELT

    def _gdelt(self, request: httpx.Request, body: bytes) -> Any:
        if request.url.path.rstrip("/") != "/api/v2/doc/doc":
            raise _Reply(404, "Not Found", "text/html")
        params = httpx.QueryParams({k.lower(): v for k, v in request.url.params.multi_items()})
        if (params.get("mode") or "").lower() != "artlist":
            return {}
        clauses = _gdelt_clauses(params.get("query") or "")
        short = [term for clause in clauses for term in clause if len(term) < 3]
        if short or not clauses:
            text = ("One or more of your keywords were too short, too long or too common: "
                    f"({' '.join(short) or 'empty query'})\n")
            raise _Reply(200, text, "text/html; charset=utf-8")
        limit = max(1, min(250, _int_param(params, "maxrecords", 75) or 75))
        now = self.now()
        horizon = _timespan_minutes(params.get("timespan") or "") or 7 * 1440
        articles = self._articles(clauses, now, horizon)
        descending = (params.get("sort") or "datedesc").lower() != "dateasc"
        articles.sort(key=lambda a: (a["seendate"], a["url"]), reverse=descending)
        return {"articles": articles[:limit]} if articles else {}

    # -- RSS: any other host, for a feed-looking path (the [news] rss_feeds in demo mode)

    def _feed(self, request: httpx.Request, body: bytes) -> Any:
        """An RSS 2.0 feed of demo headlines for the feed's topics, with an ETag."""
        host = (request.url.host or "").lower()
        categories = next((cats for key, cats in _FEED_TOPICS if key in host), CATEGORIES)
        events = sorted((e for e in self.catalogue.events if e.category in categories),
                        key=lambda e: (-e.volume_24h, e.index))[:6]
        now = self.now()
        articles = [a for e in events for a in self._event_articles(e, now, 3 * 1440)]
        articles.sort(key=lambda a: (a["seendate"], a["url"]), reverse=True)
        text = _rss(host, articles[:12])
        etag = '"' + hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:20] + '"'
        if request.headers.get("if-none-match") == etag:
            raise _Reply(304, "", "application/rss+xml", {"etag": etag})
        raise _Reply(200, text, "application/rss+xml; charset=utf-8", {"etag": etag})

    def _articles(self, clauses: list[list[str]], now: datetime,
                  horizon: int) -> list[dict[str, str]]:
        self.catalogue.ensure_text()
        matched = [e for e in self.catalogue.events if all(
            any(f" {' '.join(_words(term))} " in e.news_text for term in clause)
            for clause in clauses)]
        matched.sort(key=lambda e: (-e.volume_24h, e.index))
        articles: dict[str, dict[str, str]] = {}
        for event in matched[:8]:
            for article in self._event_articles(event, now, horizon):
                articles.setdefault(article["url"], article)
        return list(articles.values())

    def _event_articles(self, event: _Event, now: datetime,
                        horizon: int) -> Iterable[dict[str, str]]:
        """A few headlines per event on a 15-minute grid: new ones appear as time passes."""
        period = 15 * (3 + event.key % 14)  # 45 min .. 4 h between stories
        phase = 15 * ((event.key >> 8) % (period // 15))
        now_minute = _minute(now)
        latest = (now_minute - phase) // period
        templates = _HEADLINE_TEMPLATES[event.category] + _GENERIC_HEADLINES
        publishers = _PUBLISHERS[event.category]
        for slot in range(latest, latest - (3 + event.key % 4), -1):
            seen_minute = slot * period + phase
            if now_minute - seen_minute > horizon:
                break
            h = _hash(event.key, 17, slot)
            template = templates[(slot + event.key) % len(templates)]
            title = template.format(topic=event.topic, title=event.title.rstrip("?"))
            title = title[0].upper() + title[1:]
            when = datetime.fromtimestamp(seen_minute * 60, UTC)
            host = f"{publishers[(h >> 8) % len(publishers)]}.{DEMO_NEWS_DOMAIN}"
            url = f"https://{host}/{when:%Y/%m/%d}/{_slugify(title)[:70]}-{slot % 100000}"
            yield {"url": url, "url_mobile": "", "title": title,
                   "seendate": when.strftime("%Y%m%dT%H%M%SZ"), "socialimage": "",
                   "domain": host, "language": "English", "sourcecountry": "United States"}


_FEED_PATH = re.compile(r"rss|feed|atom|\.xml", re.IGNORECASE)
# host fragment -> categories its demo feed covers (first match wins)
_FEED_TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("coindesk", ("crypto",)), ("theblock", ("crypto",)), ("cointelegraph", ("crypto",)),
    ("decrypt", ("crypto",)), ("federalreserve", ("economy",)), ("sec.gov", ("crypto", "economy")),
    ("politico", ("politics",)), ("thehill", ("politics",)), ("npr", ("politics", "world")),
    ("bbc", ("economy", "world")), ("cnbc", ("economy", "tech")),
)


def _rss(host: str, articles: Sequence[Mapping[str, str]]) -> str:
    items = []
    for article in articles:
        when = datetime.strptime(article["seendate"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        items.append(
            f"<item><title>{xml_escape(article['title'])}</title>"
            f"<link>{xml_escape(article['url'])}</link>"
            f'<guid isPermaLink="true">{xml_escape(article["url"])}</guid>'
            f"<pubDate>{format_datetime(when)}</pubDate>"
            f"<description>{xml_escape(article['title'])} (demo headline)</description></item>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>{xml_escape(host)} (polydash demo)</title>"
            f"<link>https://{DEMO_NEWS_DOMAIN}/</link>"
            "<description>Generated headlines for polydash --demo</description>"
            f"{''.join(items)}</channel></rss>\n")


def _fingerprint(params: httpx.QueryParams) -> str:
    """The query a keyset cursor belongs to (filters and order, not the page)."""
    items = sorted((k, v) for k, v in params.multi_items() if k not in ("after_cursor", "limit"))
    return hashlib.sha1(repr(items).encode(), usedforsecurity=False).hexdigest()[:16]


def _batch(body: bytes) -> list[Mapping[str, Any]]:
    try:
        items = json.loads(body or b"[]")
    except json.JSONDecodeError:
        raise _Reply(400, {"error": "Invalid payload"}) from None
    if not isinstance(items, list) or not all(isinstance(i, Mapping) for i in items):
        raise _Reply(400, {"error": "Invalid payload"})
    if len(items) > BATCH_MAX:
        raise _Reply(400, {"error": "Payload exceeds the limit"})
    return items


def _market_matches(m: _Market, tag_id: str | None, tokens: set[str], ids: set[str],
                    slugs: set[str], conditions: set[str],
                    bounds: tuple[Any, ...]) -> bool:
    if tag_id is not None and all(tag.id != tag_id for tag in m.event.tags):
        return False
    if tokens and not tokens.intersection(m.tokens):
        return False
    if ids and m.id not in ids or slugs and m.slug not in slugs:
        return False
    if conditions and m.condition_id not in conditions:
        return False
    vol_min, vol_max, liq_min, liq_max, end_min, end_max = bounds
    checks = ((vol_min, m.volume, 1), (vol_max, m.volume, -1), (liq_min, m.liquidity, 1),
              (liq_max, m.liquidity, -1), (end_min, m.event.end, 1), (end_max, m.event.end, -1))
    return all(limit is None or (value >= limit if sign > 0 else value <= limit)
               for limit, value, sign in checks)


def _event_matches(e: _Event, tag_id: str | None, tag_slug: str | None, exclude: str | None,
                   ids: set[str], slugs: set[str]) -> bool:
    if tag_id is not None and all(tag.id != tag_id for tag in e.tags):
        return False
    if tag_slug is not None and all(tag.slug != tag_slug for tag in e.tags):
        return False
    if exclude is not None and any(tag.id == exclude for tag in e.tags):
        return False
    return not (ids and e.id not in ids or slugs and e.slug not in slugs)


_GDELT_TOKEN = re.compile(r'\(|\)|"[^"]*"|[^\s()]+')


def _gdelt_clauses(query: str) -> list[list[str]]:
    """GDELT query -> AND of OR-groups of lower-case terms; operators are skipped."""
    clauses: list[list[str]] = []
    group: list[str] | None = None
    for token in _GDELT_TOKEN.findall(query):
        if token == "(":
            group = []
        elif token == ")":
            if group:
                clauses.append(group)
            group = None
        elif token.upper() in ("OR", "AND") or token.startswith("-"):
            continue
        elif ":" in token or "<" in token or ">" in token:
            continue  # sourcelang:english, domain:x, tone<-5 ...
        else:
            term = token.strip('"').strip().lower()
            if not term:
                continue
            if group is not None:
                group.append(term)
            else:
                clauses.append([term])
    return clauses


def _timespan_minutes(text: str) -> int | None:
    match = re.fullmatch(r"(\d+)\s*(min|h|d|w|months?)", text.strip().lower())
    if not match:
        return None
    number, unit = int(match.group(1)), match.group(2)
    factor = {"min": 1, "h": 60, "d": 1440, "w": 10080}.get(unit, 43200)
    return number * factor
