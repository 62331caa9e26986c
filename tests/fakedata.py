"""The dashboard's DataSource in memory (FakeData), and markets built through the real
Gamma builder so the real sanitizer runs on them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tests.support import NOW
from tui.models import (
    BookLevel,
    Headline,
    Market,
    OrderBook,
    PricePoint,
    Visit,
    market_from_gamma,
)
from tui.services.alerts import AlertService
from tui.services.stream import MarketStream

CATEGORIES = ("Politics", "Crypto", "Sports", "Economy", "Culture")


def gamma_market(index: int, *, question: str | None = None, event: dict[str, Any] | None = None,
                 **extra: Any) -> dict[str, Any]:
    """A Gamma market object shaped like the real API (JSON text inside JSON)."""
    category = CATEGORIES[index % len(CATEGORIES)]
    price = round(0.05 + (index * 37 % 90) / 100, 3)
    data: dict[str, Any] = {
        "id": str(1000 + index),
        "slug": f"market-{index}",
        "question": question or f"Will {category.lower()} thing number {index} happen?",
        "conditionId": f"0xcond{index}",
        "outcomes": '["Yes", "No"]',
        "outcomePrices": f'["{price}", "{round(1 - price, 3)}"]',
        "clobTokenIds": f'["{9_000_000 + index * 2}", "{9_000_001 + index * 2}"]',
        "volume24hr": 1000.0 * ((index * 7919) % 500 + 1),
        "volumeNum": 50_000.0 * (index % 13 + 1),
        "liquidityNum": 2_000.0 * (index % 17 + 1),
        "endDate": (NOW + timedelta(days=index % 40, hours=index % 7 + 1)).isoformat(),
        "createdAt": (NOW - timedelta(days=index % 30)).isoformat(),
        "oneDayPriceChange": ((index % 11) - 5) / 100,
        "active": True,
        "closed": False,
        "tags": [{"id": str(index % 5), "slug": category.lower(), "label": category}],
    }
    data.update(extra)
    return data


def make_markets(count: int = 60) -> list[Market]:
    markets = []
    for index in range(count):
        event = None
        if index < 6:  # one multi-outcome event: "Fed decision in March?"
            event = {"id": "ev-fed", "slug": "fed-march", "title": "Fed decision in March?"}
            markets.append(market_from_gamma(
                gamma_market(index, question=f"Fed outcome {index} in March?",
                             groupItemTitle=f"{index * 25} bps"), event, fetched_at=NOW))
            continue
        event = {"id": f"ev-{index}", "slug": f"event-{index}", "title": f"Event {index}"}
        markets.append(market_from_gamma(gamma_market(index), event, fetched_at=NOW))
    return markets


@dataclass
class FakeData:
    """The DataSource protocol in memory (checked statically by test_source_contract);
    failures can be queued per call."""

    markets: list[Market]
    cached: list[Market] | None = None
    cached_at: datetime | None = NOW - timedelta(minutes=5)
    demo: bool = False
    offline: bool = False
    favorites: set[str] = field(default_factory=set)
    visits: list[Visit] = field(default_factory=list)
    search_results: list[Market] = field(default_factory=list)
    failures: dict[str, list[BaseException]] = field(default_factory=dict)
    calls: list[tuple[Any, ...]] = field(default_factory=list)
    prices: dict[str, float] = field(default_factory=dict)
    # News by market id ("" for general news): stored_news and news_for answer from it.
    news: dict[str, list[Headline]] = field(default_factory=dict)
    news_line: str = "GDELT: ready"
    read_urls: list[str] = field(default_factory=list)
    alerts: AlertService | None = None  # None: the dashboard says alerts are not available
    stream: MarketStream | None = None  # no websocket unless a test gives one
    saved_ui: dict[str, str] = field(default_factory=dict)

    def _maybe_fail(self, name: str) -> None:
        queue = self.failures.get(name)
        if queue:
            raise queue.pop(0)

    async def cached_markets(self) -> tuple[list[Market], datetime | None]:
        self.calls.append(("cached_markets",))
        cached = self.markets if self.cached is None else self.cached
        return list(cached), self.cached_at

    async def refresh_markets(self, limit: int | None = None) -> list[Market]:
        self.calls.append(("refresh_markets",))
        self._maybe_fail("refresh_markets")
        return list(self.markets)

    async def refresh_prices(self, token_ids: Sequence[str]) -> dict[str, float]:
        self.calls.append(("refresh_prices", tuple(token_ids)))
        self._maybe_fail("refresh_prices")
        return {t: p for t, p in self.prices.items() if t in token_ids}

    async def sparklines(self, token_ids: Sequence[str], points: int = 28
                         ) -> dict[str, list[float]]:
        self.calls.append(("sparklines", tuple(token_ids)))
        return {t: [0.4 + 0.02 * ((i * 7 + len(t)) % 10) for i in range(points)]
                for t in token_ids}

    async def chart(self, market: Market, range_: str, top: int = 4
                    ) -> dict[str, list[PricePoint]]:
        self.calls.append(("chart", market.id, range_))
        start = int((NOW - timedelta(days=1)).timestamp())
        token = market.outcomes[0].token_id
        return {token: [PricePoint(token, start + i * 3600, 0.4 + i / 100) for i in range(24)]}

    def chart_labels(self, market: Market, top: int = 4) -> dict[str, str]:
        first = market.outcomes[0]
        return {first.token_id: first.name}

    def make_stream(self) -> MarketStream | None:
        return self.stream

    async def book(self, token_id: str) -> OrderBook:
        self.calls.append(("book", token_id))
        self._maybe_fail("book")
        return OrderBook(token_id, "0xcond", (BookLevel(0.54, 100.0),),
                         (BookLevel(0.56, 80.0),))

    async def search(self, query: str) -> list[Market]:
        self.calls.append(("search", query))
        self._maybe_fail("search")
        return list(self.search_results)

    async def favorite_ids(self) -> set[str]:
        return set(self.favorites)

    async def toggle_favorite(self, market: Market) -> bool:
        self.calls.append(("toggle_favorite", market.id))
        if market.id in self.favorites:
            self.favorites.discard(market.id)
            return False
        self.favorites.add(market.id)
        return True

    async def record_view(self, market: Market) -> None:
        self.calls.append(("record_view", market.id))
        leading = market.leading
        self.visits.append(Visit(market.id, NOW, leading.price if leading else None))

    async def last_view(self, market_id: str) -> Visit | None:
        self.calls.append(("last_view", market_id))
        found = [v for v in self.visits if v.market_id == market_id]
        return found[-1] if found else None

    async def recent_views(self) -> list[Visit]:
        return list(self.visits)

    async def ui_state(self) -> dict[str, str]:
        return dict(self.saved_ui)

    async def save_ui_state(self, state: Mapping[str, str]) -> None:
        self.saved_ui = dict(state)

    async def stored_news(self, market_id: str | None = None, limit: int = 200
                          ) -> list[Headline]:
        self.calls.append(("stored_news", market_id))
        self._maybe_fail("stored_news")
        return list(self.news.get(market_id or "", ()))[:limit]

    async def news_for(self, market: Market | None, favorites: Sequence[Market] = ()
                       ) -> list[Headline]:
        self.calls.append(("news_for", market.id if market else None))
        self._maybe_fail("news_for")
        return list(self.news.get(market.id if market else "", ()))

    def news_status(self) -> str:
        return self.news_line

    async def mark_news_read(self, url: str) -> bool:
        self.read_urls.append(url)
        return True

    async def aclose(self) -> None:
        return None
