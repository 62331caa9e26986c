"""The demo catalogue: events and markets built from the content with one seeded Random.

Built once per transport, lazily. Generation only draws numbers and short strings (the
Gamma JSON is assembled on first use, in tui.demo.transport.gamma_json), so that
20,000 markets are ready in well under the 2 s budget.
"""

from __future__ import annotations

import gc
import math
import os
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tui.demo.content.common import CATEGORIES, Draws, EventSpec, Family, MarketSpec, slugify
from tui.demo.content.common import words as text_words
from tui.demo.content.families import FAMILIES
from tui.demo.content.tags import TAGS_BY_SLUG, DemoTag
from tui.demo.noise import logit, mix, stable_hash

DEFAULT_DEMO_MARKETS = 480
MIN_DEMO_MARKETS = 40
MAX_DEMO_MARKETS = 100_000
DEFAULT_SEED = 7

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


@dataclass(slots=True, eq=False)
class DemoEvent:
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
    volume: float = 0.0
    volume_24h: float = 0.0
    volume_1wk: float = 0.0
    volume_1mo: float = 0.0
    volume_1yr: float = 0.0
    liquidity: float = 0.0
    search_text: str = ""  # " word word ... " for word-prefix matching, built lazily
    news_text: str = ""


def _randint(rng: random.Random, low: int, high: int) -> int:
    """rng.randint without its argument checks: generation calls it 100,000+ times."""
    return low + int(rng.random() * (high - low + 1))


class DemoCatalogue:
    """Events, markets, tags and token ids for one (n_markets, seed, anchor time)."""

    def __init__(self, n_markets: int, seed: int, anchor: datetime) -> None:
        self.n_markets = n_markets
        self.seed = seed
        self.anchor = anchor
        self.anchor_s = anchor.timestamp()
        self.events: list[DemoEvent] = []
        self.markets: list[DemoMarket] = []
        self.by_id: dict[str, DemoMarket] = {}
        self.by_slug: dict[str, DemoMarket] = {}
        self.by_token: dict[str, tuple[DemoMarket, int]] = {}
        self.events_by_id: dict[str, DemoEvent] = {}
        self.events_by_slug: dict[str, DemoEvent] = {}
        self._rng = random.Random(seed)
        self._draws = Draws(self._rng, anchor)
        self._slugs: set[str] = set()
        self._tokens: set[str] = set()
        self._text_ready = False
        # stable_hash(seed, kind, index) is mix(stable_hash(seed, kind) ^ index): the
        # shared part once, one mix per event or market.
        self._event_key_base = stable_hash(seed, 1)
        self._market_key_base = stable_hash(seed, 2)
        # Without the cyclic GC meanwhile: 20,000 markets are ~100,000 new objects, and
        # the collections they set off walk every object made so far (a tenth of the
        # time). What is built is kept, so nothing is left for a collection to free.
        enabled = gc.isenabled()
        gc.disable()
        try:
            self._build()
        finally:
            if enabled:
                gc.enable()

    # -- building

    def _build(self) -> None:
        """Round-robin over categories, and over each category's families, until the
        catalogue holds exactly n_markets markets (the last group event is cut short)."""
        turns = dict.fromkeys(CATEGORIES, 0)
        uses: dict[Family, int] = {}
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
                spec = family(self._draws, k)
                if len(spec.markets) > remaining:
                    if remaining < 2:
                        continue
                    spec.markets = spec.markets[:remaining]
                self._add_event(spec)

    def _unique_slug(self, text: str) -> str:
        base = slugify(text) or "market"
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

    def _add_event(self, spec: EventSpec) -> None:
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
        event = DemoEvent(
            index=index, category=spec.category, id=str(30_000 + index * 3 + _randint(rng, 0, 2)),
            slug=self._unique_slug(spec.markets[0].question if single else spec.title),
            title=spec.title, description=spec.description or spec.markets[0].description,
            tags=tuple(TAGS_BY_SLUG[s] for s in (spec.category, *spec.tags)
                       if s in TAGS_BY_SLUG),
            topic=spec.topic, keywords=spec.keywords, key=mix(self._event_key_base ^ index),
            shape=spec.shape, end=spec.end, created=created, created_s=created.timestamp(),
            neg_risk_id=self._hex() if spec.shape == "exclusive" else "",
            comment_count=_randint(rng, 0, 2500))
        heat = spec.heat * 10 ** (3.0 + (6.2 - 3.0) * rng.random())  # rng.uniform(3.0, 6.2)
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

    def _add_market(self, event: DemoEvent, spec: EventSpec, mspec: MarketSpec, position: int,
                    heat: float, hours_left: float) -> None:
        """One market; hot at 20,000 markets, so times are epoch seconds, not datetimes."""
        rand = self._rng.random

        def uniform(low: float, high: float) -> float:
            return low + (high - low) * rand()  # random.uniform's own arithmetic, inline
        index = len(self.markets)
        past = hours_left <= 0
        kind = "settled" if past and spec.shape == "single" else _KINDS[spec.shape]
        # Money follows the favourites of a group and the strikes near the money.
        if spec.shape == "exclusive":
            share = mspec.p0 ** 0.6
        elif spec.shape == "ladder":
            share = 0.15 + 2.4 * mspec.p0 * (1 - mspec.p0)
        else:
            share = 1.0
        volume = heat * share * 10 ** uniform(0.0, 1.2)
        day = volume * (uniform(0.15, 0.6) if 0 < hours_left < 48 else uniform(0.003, 0.06))
        week = min(volume, day * uniform(4.0, 7.0))
        month = min(volume, week * uniform(2.5, 4.5))
        if kind == "settled":
            center = 5.3 if rand() < mspec.p0 else -5.3
        elif kind == "exclusive":
            center = math.log(max(mspec.p0, 1e-4))
        else:
            center = logit(mspec.p0)
        created = event.created_s + 600 * rand()
        market = DemoMarket(
            index=index, event=event, id=str(500_000 + index * 4 + int(4 * rand())),
            slug=event.slug if spec.shape == "single" else self._unique_slug(mspec.question),
            question=mspec.question, description=mspec.description, group=mspec.group,
            outcomes=mspec.outcomes, position=position, tokens=(self._token(), self._token()),
            condition_id=self._hex(),
            question_id=(event.neg_risk_id[:-2] + f"{position:02x}" if event.neg_risk_id
                         else self._hex()),
            scale=spec.scale, kind=kind, center=center, vol=uniform(0.35, 1.1),
            key=mix(self._market_key_base ^ index), created=created,
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
            text = " ".join([event.title, *(m.question for m in event.markets),
                             *(m.group for m in event.markets)])
            event.search_text = " " + " ".join(text_words(text)) + " "
            labels = " ".join(t.label for t in event.tags)
            event.news_text = " " + " ".join(
                text_words(f"{text} {event.keywords} {event.topic} {labels}")) + " "
        self._text_ready = True
