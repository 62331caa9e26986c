"""The one object the UI and the headless commands talk to.

It wires config, the HTTP clients and the SQLite store together, so that every price
the clients fetch lands in price history and the next start can paint from SQLite.
In demo mode the same clients run over the in-process demo transport; in offline
mode nothing touches the network and every answer comes from SQLite.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tui.models import Market, OrderBook, PricePoint, markets_of
from tui.services.clob import RANGES, ClobClient
from tui.services.gamma import GammaClient
from tui.services.http import ApiError, HttpClient

if TYPE_CHECKING:
    import httpx

    from tui.config import Config
    from tui.store import Store, View

SPARKLINE_SECONDS = 7 * 24 * 3600
# Enough stored points to draw a sparkline without asking the API again.
SPARKLINE_MIN_POINTS = 8
SPARKLINE_FETCH_CONCURRENCY = 6
RANGE_SECONDS = {"1h": 3600, "6h": 6 * 3600, "1d": 86400, "1w": 7 * 86400, "1m": 30 * 86400}


class OfflineError(ApiError):
    """Raised for a network call in --offline mode."""


def _offline_error() -> OfflineError:
    return OfflineError("offline", "offline mode: answering from SQLite only")


class MarketData:
    def __init__(
        self,
        store: Store,
        http: HttpClient,
        gamma: GammaClient,
        clob: ClobClient,
        *,
        demo: bool,
        offline: bool,
    ) -> None:
        self.store = store
        self.http = http
        self.gamma = gamma
        self.clob = clob
        self.demo = demo
        self.offline = offline
        self._by_event: dict[str, list[Market]] = {}

    @classmethod
    async def create(
        cls,
        config: Config,
        store: Store,
        *,
        demo: bool = False,
        offline: bool = False,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> MarketData:
        gamma_url, clob_url = config.api.gamma_url, config.api.clob_url
        rate_limits: dict[str, float] | None = None
        if demo:
            from tui.services.demo import (
                DEMO_CLOB_URL,
                DEMO_GAMMA_URL,
                DemoTransport,
                demo_market_count,
            )

            transport = transport or DemoTransport(n_markets=demo_market_count(os.environ))
            gamma_url, clob_url = DEMO_GAMMA_URL, DEMO_CLOB_URL
            # In-process data: Polymarket's rate limits do not apply.
            rate_limits = {"gamma-api.polymarket.com": 0, "clob.polymarket.com": 0}
        http = HttpClient(
            timeout_s=config.api.timeout_s,
            user_agent=config.api.user_agent,
            transport=transport,
            rate_limits=rate_limits,
        )
        gamma = GammaClient(http, gamma_url)
        clob = ClobClient(http, clob_url, recorder=store)
        return cls(store, http, gamma, clob, demo=demo, offline=offline)

    async def aclose(self) -> None:
        await self.http.aclose()

    # ------------------------------------------------------------ markets

    async def cached_markets(self) -> tuple[list[Market], datetime | None]:
        markets, fetched_at = await self.store.load_markets()
        self._index(markets)
        return markets, fetched_at

    async def refresh_markets(self, limit: int | None = None) -> list[Market]:
        """Every active market (through the events list, which carries tags), saved."""
        if self.offline:
            raise _offline_error()
        events = await self.gamma.events(limit=limit, order="volume24hr", ascending=False)
        markets = [m for m in markets_of(events) if m.active and not m.closed]
        await self.store.save_markets(markets, datetime.now(UTC))
        self._index(markets)
        return markets

    async def search(self, query: str) -> list[Market]:
        if self.offline:
            raise _offline_error()
        found = await self.gamma.search(query)
        return [m for m in found if not m.closed]

    def event_markets(self, market: Market) -> list[Market]:
        """Open sibling markets of `market`'s event, by price (highest first)."""
        siblings = self._by_event.get(market.event_id) if market.event_id else None
        if not siblings:
            return [market]
        return sorted(siblings, key=_yes_price, reverse=True)

    def _index(self, markets: Sequence[Market]) -> None:
        by_event: dict[str, list[Market]] = {}
        for market in markets:
            if market.event_id:
                by_event.setdefault(market.event_id, []).append(market)
        self._by_event = by_event

    # ------------------------------------------------------------ prices

    async def refresh_prices(self, token_ids: Sequence[str]) -> dict[str, float]:
        if self.offline:
            raise _offline_error()
        unique = list(dict.fromkeys(t for t in token_ids if t))
        if not unique:
            return {}
        return await self.clob.midpoints(unique)

    async def sparklines(
        self, token_ids: Sequence[str], points: int = 28
    ) -> dict[str, list[float]]:
        """7-day series per token from SQLite, fetching a week of history where thin."""
        tokens = list(dict.fromkeys(t for t in token_ids if t))
        stored = await self._recent_points(tokens, SPARKLINE_SECONDS)
        thin = [t for t in tokens if len(stored.get(t, ())) < SPARKLINE_MIN_POINTS]
        if thin and not self.offline:
            fetched = await self._fetch_histories(thin, "1w")
            for token, series in fetched.items():
                stored[token] = _merge(stored.get(token, []), series)
        return {t: [p.p for p in _downsample(stored.get(t, []), points)] for t in tokens}

    async def _recent_points(
        self, tokens: Sequence[str], seconds: int
    ) -> dict[str, list[PricePoint]]:
        if not tokens:
            return {}
        cutoff = int(time.time()) - seconds
        last = await self.store.last_points(tokens, 400)
        return {t: [p for p in last.get(t, []) if p.t >= cutoff] for t in tokens}

    async def _fetch_histories(
        self, tokens: Sequence[str], range_: str
    ) -> dict[str, list[PricePoint]]:
        gate = asyncio.Semaphore(SPARKLINE_FETCH_CONCURRENCY)

        async def one(token: str) -> tuple[str, list[PricePoint]]:
            async with gate:
                return token, await self.clob.price_history(token, range_)

        results = await asyncio.gather(*(one(t) for t in tokens))
        return dict(results)

    async def chart(
        self, market: Market, range_: str, top: int = 4
    ) -> dict[str, list[PricePoint]]:
        """History of the chart's series (see chart_labels), API merged with SQLite."""
        if range_ not in RANGES:
            raise ValueError(f"unknown range {range_!r}")
        tokens = list(self.chart_labels(market, top))
        since = None
        if range_ in RANGE_SECONDS:
            since = int(time.time()) - RANGE_SECONDS[range_]
        fetched: dict[str, list[PricePoint]] = {}
        if not self.offline:
            fetched = await self._fetch_histories(tokens, range_)
        series = {}
        for token in tokens:
            stored = await self.store.history(token, since)
            series[token] = _merge(stored, fetched.get(token, []))
        return series

    def chart_labels(self, market: Market, top: int = 4) -> dict[str, str]:
        """Token -> label for the chart: the top outcomes of a multi-market event, the
        top outcomes of a multi-outcome market, or the Yes line of a binary market."""
        siblings = self.event_markets(market)
        if len(siblings) > 1:
            chosen = [m for m in siblings[:top] if m.outcomes and m.outcomes[0].token_id]
            if market not in chosen and market.outcomes and market.outcomes[0].token_id:
                chosen = [*chosen[: top - 1], market]
            return {m.outcomes[0].token_id: m.group_title or m.question for m in chosen}
        outcomes = [o for o in market.outcomes if o.token_id]
        if len(outcomes) == 2 and outcomes[0].name.lower() == "yes":
            return {outcomes[0].token_id: outcomes[0].name}
        ranked = sorted(outcomes, key=lambda o: -1.0 if o.price is None else o.price, reverse=True)
        return {o.token_id: o.name for o in ranked[:top]}

    async def book(self, token_id: str) -> OrderBook:
        if self.offline:
            raise _offline_error()
        return await self.clob.book(token_id)

    # ------------------------------------------------------------ user state

    async def favorite_ids(self) -> set[str]:
        return await self.store.favorite_ids()

    async def toggle_favorite(self, market: Market) -> bool:
        if market.id in await self.store.favorite_ids():
            await self.store.remove_favorite(market.id)
            return False
        await self.store.add_favorite(market)
        return True

    async def record_view(self, market: Market) -> None:
        leading = market.leading
        await self.store.record_view(market.id, leading.price if leading else None)

    async def last_view(self, market_id: str) -> View | None:
        return await self.store.last_view(market_id)

    async def recent_views(self) -> list[View]:
        return await self.store.recent_views()


def _yes_price(market: Market) -> float:
    leading = market.outcomes[0] if market.outcomes else None
    return -1.0 if leading is None or leading.price is None else leading.price


def _merge(stored: Sequence[PricePoint], fetched: Sequence[PricePoint]) -> list[PricePoint]:
    """Union by timestamp (fetched wins), ascending."""
    by_time = {p.t: p for p in stored}
    by_time.update({p.t: p for p in fetched})
    return [by_time[t] for t in sorted(by_time)]


def _downsample(series: Sequence[PricePoint], points: int) -> list[PricePoint]:
    if len(series) <= points:
        return list(series)
    step = len(series) / points
    return [series[min(len(series) - 1, int((i + 1) * step) - 1)] for i in range(points)]
