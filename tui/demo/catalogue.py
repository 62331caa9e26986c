"""The demo catalogue: events and markets built from the content with seeded Randoms.

Built once per transport, on its first request. Generation only draws numbers and short
strings (the Gamma JSON is assembled on first use, in tui.demo.endpoints.gamma_json).

Up to LAZY_ABOVE markets, everything is drawn from one Random in one pass. A larger
catalogue is first *planned* in one pass (each event's content, slugs, volumes and
liquidity: what the usual list orders sort on), and each event's other fields (ids,
tokens, dates, price model) are drawn from a Random of its own when it is first asked
for: the first page of the app's list, sorted by 24h volume, is built without building
the 20,000 markets behind it. Whatever needs every event (search, trader data, other
orders, lookups of an unknown id) builds the rest, with the same result in any order.
"""

from __future__ import annotations

import math
import os
import random
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tui.demo.content.common import CATEGORIES, Draws, EventSpec, Family, MarketSpec, slugify
from tui.demo.content.common import words as text_words
from tui.demo.content.families import FAMILIES
from tui.demo.content.tags import TAGS_BY_SLUG, DemoTag
from tui.demo.noise import logit, mix, stable_hash
from tui.idle import no_cyclic_gc

DEFAULT_DEMO_MARKETS = 480
MIN_DEMO_MARKETS = 40
MAX_DEMO_MARKETS = 100_000
DEFAULT_SEED = 7
LAZY_ABOVE = 2_000  # larger catalogues are planned first and built by event on demand

_TOKEN_LOW = 10**76  # + up to 2**259 (~9.3e77): 77- and 78-digit token ids
_KINDS = {"single": "binary", "exclusive": "exclusive", "ladder": "ladder"}


def demo_market_count(env: Mapping[str, str] | None = None) -> int:
    """POLYDASH_DEMO_MARKETS, clamped to 40..100000; the default when unset or junk."""
    env = os.environ if env is None else env
    raw = (env.get("POLYDASH_DEMO_MARKETS") or "").strip().replace("_", "")
    try:
        count = int(raw)
    except ValueError:
        return DEFAULT_DEMO_MARKETS
    return max(MIN_DEMO_MARKETS, min(MAX_DEMO_MARKETS, count))


@dataclass(slots=True, eq=False)
class DemoMarket:
    """One generated market; times are epoch seconds (datetimes cost too much here)."""

    index: int
    event: DemoEvent
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


@dataclass(slots=True, eq=False, kw_only=True)
class EventTotals:
    """An event's volumes and liquidity: the sums over its markets'."""

    volume: float = 0.0
    volume_24h: float = 0.0
    volume_1wk: float = 0.0
    volume_1mo: float = 0.0
    volume_1yr: float = 0.0
    liquidity: float = 0.0


@dataclass(slots=True, eq=False)
class DemoEvent(EventTotals):
    """One generated event with its markets."""

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
    markets: list[DemoMarket] = field(default_factory=list)
    search_text: str = ""  # " word word ... " for word-prefix matching, built lazily
    news_text: str = ""


@dataclass(slots=True, eq=False)
class EventPlan(EventTotals):
    """A lazy catalogue's event before it is built: what list orders and filters read
    (the same names as on DemoEvent), its content and each market's money."""

    index: int
    spec: EventSpec
    first_market: int  # the catalogue index of its first market
    tags: tuple[DemoTag, ...]
    end: datetime
    money: list[tuple[float, float, float, float, float, float]]  # see _plan_event


class MarketRow:
    """A lazy catalogue's market before it is built: what list orders and filters read,
    under DemoMarket's names (`event` is its event's plan)."""

    __slots__ = ("event", "index", "liquidity", "volume", "volume_1mo", "volume_1wk",
                 "volume_1yr", "volume_24h")

    def __init__(self, index: int, event: EventPlan,
                 money: tuple[float, float, float, float, float, float]) -> None:
        self.index = index
        self.event = event
        (self.volume, self.volume_24h, self.volume_1wk, self.volume_1mo, self.volume_1yr,
         self.liquidity) = money


def _randint(rng: random.Random, low: int, high: int) -> int:
    """rng.randint without its argument checks: generation calls it 100,000+ times."""
    return low + int(rng.random() * (high - low + 1))


def _share(spec: EventSpec, mspec: MarketSpec) -> float:
    """A market's part of its event's money: the favourites of a group and the strikes
    near the money."""
    if spec.shape == "exclusive":
        return mspec.p0 ** 0.6
    if spec.shape == "ladder":
        return 0.15 + 2.4 * mspec.p0 * (1 - mspec.p0)
    return 1.0


def _volumes(rand: Callable[[], float], heat: float, share: float,
             hours_left: float) -> tuple[float, float, float, float]:
    """Total, 24h, week and month volume of a market: four draws."""
    uniform = _uniform(rand)
    volume = heat * share * 10 ** uniform(0.0, 1.2)
    day = volume * (uniform(0.15, 0.6) if 0 < hours_left < 48 else uniform(0.003, 0.06))
    week = min(volume, day * uniform(4.0, 7.0))
    month = min(volume, week * uniform(2.5, 4.5))
    return volume, day, week, month


def _year_and_liquidity(uniform: Callable[[float, float], float], heat: float, share: float,
                        volume: float, month: float) -> tuple[float, float]:
    """A market's volume over a year and its liquidity: three draws."""
    return (min(volume, month * uniform(3.0, 9.0)),
            min(volume, heat * share) * uniform(0.02, 0.25) + uniform(500, 5000))


def _sum_money(target: EventTotals,
               money: Iterable[tuple[float, float, float, float, float, float]]) -> None:
    """An event's volumes and liquidity: the sums over its markets', in market order."""
    (target.volume, target.volume_24h, target.volume_1wk, target.volume_1mo,
     target.volume_1yr, target.liquidity) = (map(sum, zip(*money, strict=True)))


def _money(market: DemoMarket) -> tuple[float, float, float, float, float, float]:
    return (market.volume, market.volume_24h, market.volume_1wk, market.volume_1mo,
            market.volume_1yr, market.liquidity)


class _Whole[T]:
    """A catalogue attribute `x` that is `_x` once every event is built: reading it
    completes a lazy catalogue first."""

    def __set_name__(self, owner: type, name: str) -> None:
        self._attribute = f"_{name}"

    def __get__(self, catalogue: DemoCatalogue, owner: type | None = None) -> T:
        catalogue.complete()
        value: T = getattr(catalogue, self._attribute)
        return value


class DemoCatalogue:
    """Events, markets, tags and token ids for one (n_markets, seed, anchor time).

    `events`, `markets` and the `by_...` indexes hold the whole catalogue (a lazy one is
    completed first); `event_rows`, `event` and the `find_...` lookups build only what
    they need.
    """

    def __init__(self, n_markets: int, seed: int, anchor: datetime,
                 lazy: bool | None = None) -> None:
        self.n_markets = n_markets
        self.seed = seed
        self.anchor = anchor
        self.anchor_s = anchor.timestamp()
        self.lazy = n_markets > LAZY_ABOVE if lazy is None else lazy
        self.plans: list[EventPlan] = []
        self._market_rows: list[MarketRow] | None = None
        self._first_markets: list[int] = []  # lazy: plans[i].first_market, for bisect
        self._events: list[DemoEvent] = []
        self._markets: list[DemoMarket] = []
        self._built: dict[int, DemoEvent] = {}  # lazy: the events built so far, by index
        self._by_id: dict[str, DemoMarket] = {}
        self._by_slug: dict[str, DemoMarket] = {}
        self._by_token: dict[str, tuple[DemoMarket, int]] = {}
        self._by_condition: dict[str, DemoMarket] = {}  # condition ids are lower-case hex
        self._events_by_id: dict[str, DemoEvent] = {}
        self._events_by_slug: dict[str, DemoEvent] = {}
        self._rng = random.Random(seed)
        self._draws = Draws(self._rng, anchor)
        self._slugs: set[str] = set()
        self._tokens: set[str] = set()
        self._text_ready = False
        self._complete = not self.lazy
        # stable_hash(seed, kind, index) is mix(stable_hash(seed, kind) ^ index): the
        # shared part once, one mix per event or market.
        self._event_key_base = stable_hash(seed, 1)
        self._market_key_base = stable_hash(seed, 2)
        self._event_seed_base = stable_hash(seed, 3)
        with no_cyclic_gc():
            if self.lazy:
                self._plan()
            else:
                self._build()

    # -- the whole catalogue

    events = _Whole[list[DemoEvent]]()
    markets = _Whole[list[DemoMarket]]()
    by_id = _Whole[dict[str, DemoMarket]]()
    by_slug = _Whole[dict[str, DemoMarket]]()
    by_token = _Whole[dict[str, tuple[DemoMarket, int]]]()
    events_by_id = _Whole[dict[str, DemoEvent]]()
    events_by_slug = _Whole[dict[str, DemoEvent]]()

    @property
    def built_events(self) -> int:
        """How many events are built so far (all of them unless lazy)."""
        return len(self._built) if self.lazy else len(self._events)

    def complete(self) -> None:
        """Build every event not built yet (lazy catalogues), in catalogue order."""
        if self._complete:
            return
        with no_cyclic_gc():
            self._events = [self.event(plan.index) for plan in self.plans]
            self._markets = [m for event in self._events for m in event.markets]
        self._complete = True

    # -- what is built on demand

    def event_rows(self) -> list[Any]:
        """One row per event, in catalogue order, with `index`, `tags`, `end`, the
        volumes and liquidity: plans in a lazy catalogue, the events otherwise."""
        return self.plans if self.lazy else self._events

    def market_rows(self) -> list[Any]:
        """One row per market, in catalogue order, with `index`, `event.tags`,
        `event.end`, the volumes and liquidity: MarketRows in a lazy catalogue."""
        if not self.lazy:
            return self._markets
        if self._market_rows is None:
            self._market_rows = [MarketRow(plan.first_market + position, plan, money)
                                 for plan in self.plans
                                 for position, money in enumerate(plan.money)]
        return self._market_rows

    def market(self, index: int) -> DemoMarket:
        """The market at `index` in catalogue order, built with its event if it was not."""
        if not self.lazy:
            return self._markets[index]
        plan = self.plans[bisect_right(self._first_markets, index) - 1]
        return self.event(plan.index).markets[index - plan.first_market]

    def event(self, index: int) -> DemoEvent:
        """The event at `index` in catalogue order, built if it was not."""
        if not self.lazy:
            return self._events[index]
        event = self._built.get(index)
        if event is None:
            event = self._built[index] = self._build_planned(self.plans[index])
        return event

    def find_token(self, token: str) -> tuple[DemoMarket, int] | None:
        return self._by_token.get(token) or self.by_token.get(token)

    def find_market(self, market_id: str = "", slug: str = "") -> DemoMarket | None:
        if market_id:
            return self._by_id.get(market_id) or self.by_id.get(market_id)
        return self._by_slug.get(slug) or self.by_slug.get(slug)

    def find_condition(self, condition_id: str) -> DemoMarket | None:
        """The market of a condition id (lower case)."""
        found = self._by_condition.get(condition_id)
        if found is None and not self._complete:
            self.complete()
            found = self._by_condition.get(condition_id)
        return found

    def find_event(self, event_id: str = "", slug: str = "") -> DemoEvent | None:
        if event_id:
            return self._events_by_id.get(event_id) or self.events_by_id.get(event_id)
        return self._events_by_slug.get(slug) or self.events_by_slug.get(slug)

    # -- building

    def _specs(self) -> Iterator[EventSpec]:
        """Round-robin over categories, and over each category's families, until the
        specs hold exactly n_markets markets (the last group event is cut short)."""
        turns = dict.fromkeys(CATEGORIES, 0)
        uses: dict[Family, int] = {}
        count = 0
        while count < self.n_markets:
            for category in CATEGORIES:
                remaining = self.n_markets - count
                if remaining <= 0:
                    break
                families = FAMILIES[category]
                family = families[turns[category] % len(families)]
                turns[category] += 1
                k = uses.get(family, 0)
                uses[family] = k + 1
                spec = family(self._draws, k)
                if len(spec.markets) > remaining:
                    if remaining < 2:
                        continue
                    spec.markets = spec.markets[:remaining]
                count += len(spec.markets)
                yield spec

    def _build(self) -> None:
        """Everything from one Random, event by event."""
        for spec in self._specs():
            self._add_event(spec)

    def _plan(self) -> None:
        """Every event's plan from one Random, in catalogue order."""
        first_market = 0
        for spec in self._specs():
            plan = self._plan_event(spec, len(self.plans), first_market)
            self.plans.append(plan)
            self._first_markets.append(first_market)
            first_market += len(spec.markets)

    def _unique_slug(self, text: str) -> str:
        base = slugify(text) or "market"
        slug, n = base, 1
        while slug in self._slugs:
            n += 1
            slug = f"{base}-{n}"
        self._slugs.add(slug)
        return slug

    def _slugs_of(self, spec: EventSpec) -> tuple[str, tuple[str, ...]]:
        """The event's slug and its markets', unique in the catalogue."""
        single = spec.shape == "single"
        slug = self._unique_slug(spec.markets[0].question if single else spec.title)
        if single:
            return slug, (slug,)
        return slug, tuple(self._unique_slug(m.question) for m in spec.markets)

    def _token(self) -> str:
        """A 77- or 78-digit decimal token id, unique in the catalogue."""
        while True:
            token = str(_TOKEN_LOW + self._rng.getrandbits(259))
            if token not in self._tokens:
                self._tokens.add(token)
                return token

    def _new_event(self, rng: random.Random, index: int, spec: EventSpec, slug: str,
                   tags: tuple[DemoTag, ...]) -> DemoEvent:
        # Short-dated events (daily ladders, games, hourly Up/Down) are listed days
        # before they end; the rest have been around for up to a year or so.
        short = timedelta(0) < spec.end - self.anchor < timedelta(days=3)
        oldest = 7 * 1440 if short else 400 * 1440
        created = self.anchor - timedelta(minutes=_randint(rng, 360, oldest),
                                          microseconds=_randint(rng, 0, 999_999))
        if created >= spec.end:
            created = spec.end - timedelta(days=_randint(rng, 1, 30))
        return DemoEvent(
            index=index, category=spec.category, id=str(30_000 + index * 3 + _randint(rng, 0, 2)),
            slug=slug, title=spec.title,
            description=spec.description or spec.markets[0].description, tags=tags,
            topic=spec.topic, keywords=spec.keywords,
            key=mix(self._event_key_base ^ index), shape=spec.shape, end=spec.end,
            created=created, created_s=created.timestamp(),
            neg_risk_id=f"0x{rng.getrandbits(256):064x}" if spec.shape == "exclusive" else "",
            comment_count=_randint(rng, 0, 2500))

    def _add_event(self, spec: EventSpec) -> None:
        rng = self._rng
        index = len(self._events)
        slug, market_slugs = self._slugs_of(spec)
        event = self._new_event(rng, index, spec, slug, _tags(spec))
        heat = spec.heat * 10 ** (3.0 + (6.2 - 3.0) * rng.random())  # rng.uniform(3.0, 6.2)
        hours_left = (spec.end - self.anchor).total_seconds() / 3600
        uniform = _uniform(rng.random)
        for position, mspec in enumerate(spec.markets):
            share = _share(spec, mspec)
            volume, day, week, month = _volumes(rng.random, heat, share, hours_left)

            def more(volume: float = volume, month: float = month,
                     share: float = share) -> tuple[float, float]:
                return _year_and_liquidity(uniform, heat, share, volume, month)
            self._add_market(event, spec, mspec, position, len(self._markets),
                             market_slugs[position], (volume, day, week, month), more,
                             rng, self._token)
        _sum_money(event, map(_money, event.markets))
        self._events.append(event)
        self._register(event)

    def _plan_event(self, spec: EventSpec, index: int, first_market: int) -> EventPlan:
        """The plan of one event: each market's money drawn as
        (volume, 24h, week, month, year, liquidity)."""
        rand = self._rng.random
        uniform = _uniform(rand)
        heat = spec.heat * 10 ** uniform(3.0, 6.2)
        hours_left = (spec.end - self.anchor).total_seconds() / 3600
        money = []
        for mspec in spec.markets:
            share = _share(spec, mspec)
            volume, day, week, month = _volumes(rand, heat, share, hours_left)
            money.append((volume, day, week, month,
                          *_year_and_liquidity(uniform, heat, share, volume, month)))
        plan = EventPlan(index=index, spec=spec, first_market=first_market, tags=_tags(spec),
                         end=spec.end, money=money)
        _sum_money(plan, money)
        return plan

    def _build_planned(self, plan: EventPlan) -> DemoEvent:
        """A planned event with its markets, from a Random of its own. Token ids are not
        checked against each other: 259 random bits make a repeat unthinkable. Slugs end
        in the event's or market's id, so they are unique without looking at the others
        (the event is built with a placeholder slug: its id is drawn with it)."""
        rng = random.Random(mix(self._event_seed_base ^ plan.index))
        spec = plan.spec
        single = spec.shape == "single"
        event = self._new_event(rng, plan.index, spec, "", plan.tags)
        event.slug = _id_slug(spec.markets[0].question if single else spec.title, event.id)

        def token() -> str:
            return str(_TOKEN_LOW + rng.getrandbits(259))
        for position, mspec in enumerate(spec.markets):
            money = plan.money[position]

            def year_and_liquidity(money: tuple[float, ...] = money) -> tuple[float, ...]:
                return money[4:]
            self._add_market(event, spec, mspec, position, plan.first_market + position,
                             event.slug if single else "", money[:4], year_and_liquidity,
                             rng, token)
            market = event.markets[-1]
            if not single:
                market.slug = _id_slug(mspec.question, market.id)
        _sum_money(event, plan.money)
        self._register(event)
        return event

    def _add_market(self, event: DemoEvent, spec: EventSpec, mspec: MarketSpec, position: int,
                    index: int, slug: str, money: tuple[float, ...],
                    more_money: Callable[[], tuple[float, ...]], rng: random.Random,
                    token: Callable[[], str]) -> None:
        """One market; hot at 20,000 markets, so times are epoch seconds, not datetimes.
        `money` is (volume, 24h, week, month); `more_money()` gives (year, liquidity)."""
        rand = rng.random
        uniform = _uniform(rand)
        hours_left = (spec.end - self.anchor).total_seconds() / 3600
        past = hours_left <= 0
        kind = "settled" if past and spec.shape == "single" else _KINDS[spec.shape]
        if kind == "settled":
            center = 5.3 if rand() < mspec.p0 else -5.3
        elif kind == "exclusive":
            center = math.log(max(mspec.p0, 1e-4))
        else:
            center = logit(mspec.p0)
        created = event.created_s + 600 * rand()
        market_id = str(500_000 + index * 4 + int(4 * rand()))
        tokens = (token(), token())
        condition_id = f"0x{rng.getrandbits(256):064x}"
        question_id = (event.neg_risk_id[:-2] + f"{position:02x}" if event.neg_risk_id
                       else f"0x{rng.getrandbits(256):064x}")
        vol = uniform(0.35, 1.1)
        start = created + 60 + 2400 * rand()
        updated = self.anchor_s - 5 - 895 * rand()
        volume, day, week, month = money
        year, liquidity = more_money()
        market = DemoMarket(
            index=index, event=event, id=market_id, slug=slug,
            question=mspec.question, description=mspec.description, group=mspec.group,
            outcomes=mspec.outcomes, position=position, tokens=tokens,
            condition_id=condition_id, question_id=question_id,
            scale=spec.scale, kind=kind, center=center, vol=vol,
            key=mix(self._market_key_base ^ index), created=created, start=start,
            updated=updated, volume=volume, volume_24h=day, volume_1wk=week,
            volume_1mo=month, volume_1yr=year, liquidity=liquidity,
            competitive=uniform(0.55, 0.99), featured=spec.heat >= 3.0 and position == 0,
            proposed=past and rand() < 0.5, created_minute=int(created) // 60)
        event.markets.append(market)
        if not self.lazy:
            self._markets.append(market)

    def _register(self, event: DemoEvent) -> None:
        self._events_by_id[event.id] = event
        self._events_by_slug[event.slug] = event
        for market in event.markets:
            self._by_token[market.tokens[0]] = (market, 0)
            self._by_token[market.tokens[1]] = (market, 1)
            self._by_id[market.id] = market
            self._by_slug[market.slug] = market
            self._by_condition[market.condition_id] = market

    # -- text indexes, built on first search

    def ensure_text(self) -> None:
        if self._text_ready:
            return
        for event in self.events:
            text = " ".join([event.title, *(m.question for m in event.markets),
                             *(m.group for m in event.markets)])
            event.search_text = " " + " ".join(text_words(text)) + " "
            labels = " ".join(t.label for t in event.tags)
            event.news_text = " " + " ".join(
                text_words(f"{text} {event.keywords} {event.topic} {labels}")) + " "
        self._text_ready = True


def _id_slug(text: str, item_id: str) -> str:
    return f"{slugify(text) or 'market'}-{item_id}"


def _tags(spec: EventSpec) -> tuple[DemoTag, ...]:
    return tuple(TAGS_BY_SLUG[s] for s in (spec.category, *spec.tags) if s in TAGS_BY_SLUG)


def _uniform(rand: Callable[[], float]) -> Callable[[float, float], float]:
    def uniform(low: float, high: float) -> float:
        return low + (high - low) * rand()  # random.uniform's own arithmetic, inline
    return uniform
