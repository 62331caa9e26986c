"""NewsService: the enabled providers, asked together, deduplicated and matched.

`fetch(market, favorites)` asks every provider that is due, merges what came back
(one headline per article across providers), keeps what matches the market (or, with
no market, the favorites and general market news) and says which providers answered.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from tui.clock import Clock, SecondsClock, Sleep, utc_now
from tui.models import Headline, Market
from tui.services.http import ApiError, HttpClient
from tui.services.news.matching import (
    Topic,
    gdelt_query,
    general_topic,
    google_query,
    keyword_query,
    rank,
    topic_for,
)
from tui.services.news.parse import dedupe
from tui.services.news.providers import (
    GDELT_MIN_INTERVAL_S,
    GOOGLE_NEWS_URL,
    GdeltProvider,
    GoogleNewsProvider,
    NewsApiProvider,
    Plan,
    Provider,
    ProviderStatus,
    RssProvider,
)

if TYPE_CHECKING:
    import httpx

    from tui.config import Config

log = logging.getLogger("polydash.news")

MAX_RESULTS = 100
# A feed date more than this far ahead is a wrong clock or a lie: it would pin the
# headline to the top of a newest-first list for days.
FUTURE_SLACK = timedelta(minutes=10)
TIMEOUTS_S = {"gdelt": 30.0, "rss": 15.0, "newsapi": 15.0, "google_news": 15.0}


class NewsUnavailable(ApiError):
    """No news provider could answer; the message names what each one said."""


@dataclass(frozen=True, slots=True)
class NewsResult:
    headlines: list[Headline]     # matched, deduplicated, best first
    answered: bool                # at least one provider answered
    tried: bool                   # at least one provider was asked (or its cache used)
    statuses: tuple[ProviderStatus, ...]


class NewsService:
    def __init__(self, providers: Sequence[Provider], *,
                 off: Sequence[ProviderStatus] = (),
                 now: Clock = utc_now,
                 clients: Sequence[HttpClient] = ()) -> None:
        self.providers = list(providers)
        self._off = tuple(off)
        self._now = now
        self._clients = list(clients)

    @classmethod
    def create(cls, config: Config, *, transport: httpx.AsyncBaseTransport | None = None,
               demo: bool = False, clock: SecondsClock = time.monotonic,
               sleep: Sleep = asyncio.sleep, now: Clock = utc_now,
               google_url: str = GOOGLE_NEWS_URL) -> NewsService:
        """The providers `[news]` enables. Demo mode keeps GDELT and RSS (both served by
        the demo transport) and drops the in-process GDELT pacing."""
        news = config.news
        enabled = list(news.enabled_providers)
        off: list[ProviderStatus] = []
        if "newsapi" in news.providers and not news.newsapi_key:
            off.append(ProviderStatus("newsapi", "NewsAPI", "off", "off (no key)"))
        if demo:
            enabled = [name for name in enabled if name in ("gdelt", "rss")]
        clients: list[HttpClient] = []

        def client(name: str) -> HttpClient:
            http = HttpClient(timeout_s=TIMEOUTS_S[name], user_agent=config.api.user_agent,
                              transport=transport, max_attempts=1)
            clients.append(http)
            return http

        providers: list[Provider] = []
        for name in enabled:
            if name == "gdelt":
                providers.append(GdeltProvider(
                    client(name), _demo_gdelt_url() if demo else news.gdelt_url, clock=clock,
                    sleep=sleep, min_interval_s=0.0 if demo else GDELT_MIN_INTERVAL_S))
            elif name == "rss" and news.rss_feeds:
                providers.append(RssProvider(
                    client(name), news.rss_feeds, clock=clock, sleep=sleep,
                    poll_s=max(config.refresh.news_s, 300.0)))
            elif name == "newsapi" and news.newsapi_key:
                providers.append(NewsApiProvider(client(name), news.newsapi_url,
                                                 news.newsapi_key, clock=clock, sleep=sleep))
            elif name == "google_news":
                providers.append(GoogleNewsProvider(client(name), google_url, clock=clock,
                                                    sleep=sleep))
        return cls(providers, off=off, now=now, clients=clients)

    def now(self) -> datetime:
        """The service's wall clock (injectable: tests freeze it)."""
        return self._now()

    async def aclose(self) -> None:
        for http in self._clients:
            await http.aclose()

    # ------------------------------------------------------------ asking

    async def fetch(self, market: Market | None,
                    favorites: Sequence[Market] = ()) -> NewsResult:
        topic = topic_for(market) if market is not None else None
        favorite_topics = [topic_for(m) for m in favorites if market is None or m.id != market.id]
        plan = plan_for(topic, favorite_topics)
        outcomes = await asyncio.gather(*(p.run(plan) for p in self.providers))
        now = self._now()
        items = [_clamped(h, now) for outcome in outcomes for h in outcome.items]
        # Hundreds of headlines against one or more topics: tens of milliseconds of pure
        # CPU, kept off the event loop.
        ranked = await asyncio.to_thread(_matched, items, topic, now, favorite_topics)
        return NewsResult(ranked, any(o.ok for o in outcomes), any(o.tried for o in outcomes),
                          self.statuses())

    def statuses(self) -> tuple[ProviderStatus, ...]:
        return tuple(p.status() for p in self.providers) + self._off

    def status_line(self) -> str:
        """One line for the pane: every provider's state, problems first."""
        statuses = sorted(self.statuses(), key=lambda s: not s.failing)
        return " · ".join(s.text for s in statuses) or "No news source is enabled."

    def unavailable(self) -> NewsUnavailable:
        """The error for "nobody answered", naming what each provider said."""
        failing = [s.text for s in self.statuses() if s.failing]
        if not self.providers:
            why = "no news source is enabled (see [news] providers)"
        elif failing:
            why = "no news source answered (" + "; ".join(failing) + ")"
        else:
            why = "no news source is due yet"
        return NewsUnavailable("news", why)


def _demo_gdelt_url() -> str:
    from tui.demo.hosts import DEMO_GDELT_URL

    return DEMO_GDELT_URL


def plan_for(topic: Topic | None, favorites: Sequence[Topic] = ()) -> Plan:
    chosen = topic if topic is not None else general_topic(favorites)
    return Plan(gdelt=gdelt_query(chosen), keywords=keyword_query(chosen),
                google=google_query(chosen))


def _matched(items: Sequence[Headline], topic: Topic | None, now: datetime,
             favorites: Sequence[Topic]) -> list[Headline]:
    return rank(dedupe(items), topic, now, favorites=favorites)[:MAX_RESULTS]


def _clamped(headline: Headline, now: datetime) -> Headline:
    published = headline.published_at
    if published is not None and published > now + FUTURE_SLACK:
        return replace(headline, published_at=now)
    return headline
