"""The dashboard's DataSource in memory (FakeData), and markets built through the real
Gamma builder so the real sanitizer runs on them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tests.support import NOW
from tui.config import HistoryConfig
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
from tui.trader_models import (
    Activity,
    Comment,
    Holder,
    HolderGroup,
    Position,
    SavedWallet,
    Trade,
    Trader,
    WalletReport,
)

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


# Two wallets the canned trader data mentions; WALLET_A has a report in FakeData.
WALLET_A = "0x" + "a1" * 20
WALLET_B = "0x" + "b2" * 20
TRADERS = (
    Trader(WALLET_A, "whale.eth", "Brave-Otter"),
    Trader(WALLET_B, "", "Quiet-Heron"),
    Trader("0x" + "c3" * 20),
)


def make_trades(market: Market, count: int = 12) -> list[Trade]:
    """`count` fills of `market`, newest first, a few seconds apart."""
    trades = []
    for index in range(count):
        outcome = market.outcomes[index % len(market.outcomes)]
        price = round(0.3 + (index * 7 % 40) / 100, 3)
        trades.append(Trade(
            time=NOW - timedelta(seconds=7 * index), side="BUY" if index % 3 else "SELL",
            outcome=outcome.name, token_id=outcome.token_id, price=price,
            size=float(10 + index * 13 % 90), trader=TRADERS[index % len(TRADERS)],
            tx=f"0x{index:064x}", condition_id=market.condition_id, title=market.question,
            slug=market.slug))
    return trades


def make_holders(market: Market) -> list[HolderGroup]:
    """Three holders per outcome, largest first."""
    return [HolderGroup(o.token_id, o.name, tuple(
        Holder(o.name, o.token_id, trader, 5000.0 / (rank + 1) + index * 100)
        for rank, trader in enumerate(TRADERS))) for index, o in enumerate(market.outcomes)]


def make_comments(count: int = 4) -> list[Comment]:
    """Newest first; the second one has two lines, the third is a reply."""
    bodies = ("Volume is picking up.", "Read the rules:\nit resolves on the official count.",
              "Agreed.", "Too cheap at this price.")
    return [Comment(id=str(100 + count - index), time=NOW - timedelta(minutes=5 * index + 1),
                    author=TRADERS[index % len(TRADERS)], body=bodies[index % len(bodies)],
                    likes=index * 2, parent_id="101" if index == 2 else None)
            for index in range(count)]


def make_wallet(address: str = WALLET_A) -> WalletReport:
    """Two open positions (one up, one down) and three activity rows incl. a redeem."""
    positions = (
        Position("Will it rain in Paris?", "rain-paris", "rain-paris", "Yes", "9000001", "0xc1",
                 size=200.0, avg_price=0.4, cur_price=0.55, value=110.0, initial_value=80.0,
                 pnl=30.0, pnl_pct=37.5, end_date="2026-12-31"),
        Position("Fed cuts in March?", "fed-march", "fed-march", "No", "9000003", "0xc2",
                 size=100.0, avg_price=0.7, cur_price=0.6, value=60.0, initial_value=70.0,
                 pnl=-10.0, pnl_pct=-14.285714285714286, end_date=None),
    )
    activity = (
        Activity(NOW - timedelta(minutes=3), "TRADE", "Will it rain in Paris?", "rain-paris",
                 "Yes", "BUY", 0.4, 200.0, 80.0, "0x" + "1" * 64, "9000001"),
        Activity(NOW - timedelta(hours=2), "REDEEM", "Old market?", "old-market", None, None,
                 None, 50.0, 50.0, "0x" + "2" * 64),
        Activity(NOW - timedelta(days=1), "TRADE", "Fed cuts in March?", "fed-march", "No",
                 "BUY", 0.7, 100.0, 70.0, "0x" + "3" * 64, "9000003"),
    )
    return WalletReport(address, 170.0, positions, activity, NOW)


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
    # Trader data: None answers with the canned rows above; tests set their own.
    trade_rows: list[Trade] | None = None
    holder_groups: list[HolderGroup] | None = None
    oi: float | None = 123_456.78
    comment_rows: list[Comment] = field(default_factory=make_comments)
    # Wallet reports by address; an address not here answers with make_wallet(address).
    wallet_reports: dict[str, WalletReport] = field(default_factory=dict)
    saved: dict[str, SavedWallet] = field(default_factory=dict)
    # market_pages: pages of `page_size` markets (None: one page); while `held` is set,
    # every page after the first waits for it (a test releases them with held.set()).
    page_size: int | None = None
    held: asyncio.Event | None = None
    snapshots: list[list[Market]] = field(default_factory=list)  # what save_snapshot got
    unsaved: list[Market] | None = None  # the last finished walk of market_pages

    def _maybe_fail(self, name: str) -> None:
        queue = self.failures.get(name)
        if queue:
            raise queue.pop(0)

    async def cached_markets(self, limit: int | None = None
                             ) -> tuple[list[Market], datetime | None]:
        self.calls.append(("cached_markets",) if limit is None else ("cached_markets", limit))
        cached = self.markets if self.cached is None else self.cached
        return list(cached[:limit]), self.cached_at

    async def refresh_markets(self, limit: int | None = None) -> list[Market]:
        self.calls.append(("refresh_markets",))
        self._maybe_fail("refresh_markets")
        return list(self.markets)

    async def market_pages(self) -> AsyncIterator[list[Market]]:
        self.calls.append(("refresh_markets",))  # one refresh, as tests count them
        self._maybe_fail("refresh_markets")
        markets = list(self.markets)
        size = self.page_size or max(len(markets), 1)
        for start in range(0, len(markets), size):
            if start and self.held is not None:
                await self.held.wait()
            if start:
                self._maybe_fail("market_page")  # a load failing after its first page
            yield markets[start:start + size]
        self.unsaved = markets

    async def save_snapshot(self) -> None:
        unsaved, self.unsaved = self.unsaved, None
        if unsaved is not None:
            self.snapshots.append(unsaved)

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

    async def compact_history(self, now: datetime, policy: HistoryConfig) -> int:
        self.calls.append(("compact_history", now, policy))
        self._maybe_fail("compact_history")
        return 0

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

    async def trades(self, market: Market, limit: int = 50) -> list[Trade]:
        self.calls.append(("trades", market.id, limit))
        self._maybe_fail("trades")
        rows = make_trades(market) if self.trade_rows is None else self.trade_rows
        return list(rows)[:limit]

    async def holders(self, market: Market) -> list[HolderGroup]:
        self.calls.append(("holders", market.id))
        self._maybe_fail("holders")
        return list(make_holders(market) if self.holder_groups is None else self.holder_groups)

    async def open_interest(self, market: Market) -> float | None:
        self.calls.append(("open_interest", market.id))
        self._maybe_fail("open_interest")
        return self.oi

    async def comments(self, market: Market, limit: int = 40) -> list[Comment]:
        self.calls.append(("comments", market.id, limit))
        self._maybe_fail("comments")
        return list(self.comment_rows)[:limit]

    async def wallet(self, address: str) -> WalletReport:
        self.calls.append(("wallet", address))
        self._maybe_fail("wallet")
        return self.wallet_reports.get(address) or make_wallet(address)

    async def saved_wallets(self) -> list[SavedWallet]:
        self._maybe_fail("saved_wallets")
        return sorted(self.saved.values(), key=lambda w: w.added_at)

    async def save_wallet(self, address: str, label: str) -> SavedWallet:
        self.calls.append(("save_wallet", address, label))
        self._maybe_fail("save_wallet")
        old = self.saved.get(address)
        saved = SavedWallet(address, label, old.added_at if old else NOW)
        self.saved[address] = saved
        return saved

    async def remove_wallet(self, address: str) -> bool:
        self.calls.append(("remove_wallet", address))
        return self.saved.pop(address, None) is not None

    async def aclose(self) -> None:
        return None
