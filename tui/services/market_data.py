"""The one object the UI and the headless commands talk to.

It wires config, the HTTP clients and the SQLite store together, so that every price
the clients fetch lands in price history and the next start can paint from SQLite.
In demo mode the same clients run over the in-process demo transport; in offline
mode nothing touches the network and every answer comes from SQLite.

The HTTP clients (and httpx, tenacity and the demo transport with them) are made on
first use: a warm start paints from SQLite before anything needs the network.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import logging
import os
import time
from collections.abc import AsyncGenerator, Callable, Mapping, Sequence
from contextlib import aclosing
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from tui.clock import SecondsClock, utc_now
from tui.models import (
    EventIndex,
    Headline,
    Market,
    OrderBook,
    PricePoint,
    Visit,
    chart_lines,
    markets_of,
)
from tui.sanitize import clean_text
from tui.services.alerts import AlertService
from tui.services.errors import ApiError
from tui.trader_models import (
    NAME_MAX_LEN,
    Comment,
    HolderGroup,
    SavedWallet,
    Trade,
    WalletReport,
    normalize_address,
)
from tui.view.columns import SPARK_CELLS
from tui.view.sparkline import SparkSlices, covers, spark_values

if TYPE_CHECKING:
    import httpx

    from tui.config import Config, HistoryConfig
    from tui.services.clob import ClobClient
    from tui.services.data_api import DataApi
    from tui.services.gamma import GammaClient
    from tui.services.http import HttpClient
    from tui.services.news import NewsService, ProviderStatus
    from tui.services.stream import MarketStream, Timing
    from tui.store import Store

log = logging.getLogger("polydash.data")
UI_STATE_KEY = "ui_state"  # meta key: the view, sort and theme of the last session
NEWS_LIMIT = 200
NEWS_KEEP_DAYS = 30
SPARKLINE_FETCH_CONCURRENCY = 6
# How long closing waits for a market-list save still running (quitting just after the
# first load): long enough for 20,000 markets, short enough not to hold the quit up.
SAVE_ON_CLOSE_S = 2.0
RANGE_SECONDS = {"1h": 3600, "6h": 6 * 3600, "1d": 86400, "1w": 7 * 86400, "1m": 30 * 86400}
DAY_SECONDS = 86400
# How far from exactly a day ago a stored price may lie and still stand for it: half the
# spacing of the week of history the sparklines store (a point every 6 hours).
DAY_AGO_TOLERANCE_S = 3 * 3600


class OfflineError(ApiError):
    """Raised for a network call in --offline mode."""


def _offline_error() -> OfflineError:
    return OfflineError("offline", "offline mode: answering from SQLite only")


@dataclass(frozen=True, slots=True)
class Clients:
    """The HTTP stack: one HttpClient (pool, retries, rate limits) under the Gamma, CLOB
    and Data API clients; `transport` is the one they run over (the demo's, a test's)."""

    http: HttpClient
    gamma: GammaClient
    clob: ClobClient
    data_api: DataApi
    transport: httpx.AsyncBaseTransport | None = None


class MarketData:
    def __init__(
        self,
        store: Store,
        http: HttpClient | None = None,
        gamma: GammaClient | None = None,
        clob: ClobClient | None = None,
        *,
        demo: bool,
        offline: bool,
        ws_url: str | None = None,
        alerts: AlertService | None = None,
        user_agent: str | None = None,
        news: NewsService | None = None,
        clock: SecondsClock = time.time,
        data_api: DataApi | None = None,
        make_news: Callable[[], NewsService] | None = None,
        make_clients: Callable[[], Clients] | None = None,
    ) -> None:
        """Give the clients (`http`, `gamma`, `clob`, optionally `data_api`) or
        `make_clients`, which makes them when first needed."""
        self.store = store
        self._clients: Clients | None = None
        if http is not None and gamma is not None and clob is not None:
            self._clients = Clients(http, gamma, clob, data_api or _default_data_api(http))
        elif make_clients is None:
            raise TypeError("MarketData needs http, gamma and clob, or make_clients")
        self._make_clients = make_clients
        self.demo = demo
        self.offline = offline
        # The market-channel websocket; None where there is no live feed (demo, offline).
        self.ws_url = ws_url
        self.user_agent = user_agent
        # Alerts see every price fetched here; make_stream() feeds them the live ticks.
        self.alerts = alerts or AlertService(store)
        self.events = EventIndex()
        self._by_id: dict[str, Market] = {}
        self._unsaved: tuple[list[Market], datetime] | None = None  # see save_snapshot
        self._saving: set[asyncio.Task[None]] = set()  # snapshot saves aclose waits for
        # News providers (none in offline mode); see the news section below. Made when
        # first asked for: the news stack need not load before the first rows show.
        self._news = news
        self._make_news = make_news
        self._news_pruned = False
        self._clock = clock  # unix seconds: the sparklines' and charts' "now"

    @classmethod
    async def create(
        cls,
        config: Config,
        store: Store,
        *,
        demo: bool = False,
        offline: bool = False,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: SecondsClock = time.time,
    ) -> MarketData:
        ws_url = None if demo or offline else config.api.ws_url
        alerts = AlertService(store, command=config.alerts_command)
        await alerts.load()
        data = cls(store, demo=demo, offline=offline, ws_url=ws_url, alerts=alerts,
                   user_agent=config.api.user_agent, clock=clock,
                   make_clients=partial(_make_clients, config, store, demo=demo,
                                        transport=transport))
        if not offline:  # the news runs over the same transport as the clients
            data._make_news = lambda: _news_service(config, transport=data.clients.transport,
                                                    demo=demo)
        return data

    @property
    def clients(self) -> Clients:
        """The HTTP clients, made on first use (see the module's docstring)."""
        if self._clients is None:
            self._clients = self._new_clients()
        return self._clients

    def _new_clients(self) -> Clients:
        assert self._make_clients is not None  # __init__ checked it
        return self._make_clients()

    async def prepare_clients(self) -> None:
        """Make the clients with their modules imported in a thread (httpx and the rest
        are tens of milliseconds of imports), so the event loop keeps painting."""
        if self._clients is None:
            await asyncio.to_thread(_import_http_stack, demo=self.demo)
            if self._clients is None:  # (another caller may have made them meanwhile)
                self._clients = self._new_clients()

    @property
    def http(self) -> HttpClient:
        return self.clients.http

    @property
    def gamma(self) -> GammaClient:
        return self.clients.gamma

    @property
    def clob(self) -> ClobClient:
        return self.clients.clob

    @property
    def data_api(self) -> DataApi:
        return self.clients.data_api

    @property
    def news(self) -> NewsService:
        if self._news is None:
            if self._make_news is not None:
                self._news = self._make_news()
            else:
                from tui.services.news import NewsService

                self._news = NewsService([])
        return self._news

    @news.setter
    def news(self, service: NewsService) -> None:
        self._news = service

    async def aclose(self) -> None:
        await self._finish_saves()
        await self.alerts.aclose()
        if self._clients is not None:
            await self._clients.http.aclose()
        if self._news is not None:
            await self._news.aclose()

    # ------------------------------------------------------------ live stream

    def make_stream(self, *, timing: Timing | None = None) -> MarketStream | None:
        """A MarketStream on [api] ws_url that records its ticks in price history and
        checks them against the alerts; None in demo and offline mode. The caller runs
        it (`await stream.run()` in a worker) and gives it tokens with set_tokens()."""
        if self.ws_url is None:
            return None
        from tui.services.stream import MarketStream
        from tui.services.stream_protocol import PriceTick

        stream = MarketStream(self.ws_url, recorder=self.store, timing=timing,
                              user_agent=self.user_agent)

        def check(event: object) -> None:
            if isinstance(event, PriceTick):
                self.alerts.check((event,))

        stream.add_listener(check)
        return stream

    # ------------------------------------------------------------ markets

    async def cached_markets(self, limit: int | None = None
                             ) -> tuple[list[Market], datetime | None]:
        """The saved snapshot (its first `limit` markets: a screenful to paint first)."""
        if limit is None:
            markets, fetched_at = await self.store.load_markets()
        else:
            markets, fetched_at = await self.store.load_first_markets(limit)
        markets = await self._fill_day_changes(markets)
        self._index(markets)
        self.alerts.check_markets(markets)  # "ends within" alerts learn the end dates
        return markets, fetched_at

    async def refresh_markets(self, limit: int | None = None) -> list[Market]:
        """Every active market (through the events list, which carries tags), saved."""
        if self.offline:
            raise _offline_error()
        await self.prepare_clients()
        events = await self.gamma.events(limit=limit, order="volume24hr", ascending=False)
        markets = [m for m in markets_of(events) if m.active and not m.closed]
        await self.store.save_markets(markets, utc_now())  # as the API sent them
        markets = await self._fill_day_changes(markets)
        self._index(markets)
        self.alerts.check_markets(markets)
        return markets

    async def market_pages(self) -> AsyncGenerator[list[Market], None]:
        """Every active market, a page at a time as Gamma sends it, so the list can
        paint the first page while the rest loads. Nothing is saved here: the caller
        calls `save_snapshot` once the screen has the whole list."""
        if self.offline:
            raise _offline_error()
        await self.prepare_clients()
        fetched: dict[str, Market] = {}  # by id: a market moving between pages is kept once
        shown: dict[str, Market] = {}
        async with aclosing(self.gamma.iter_event_pages()) as pages:
            async for events in pages:
                page = [m for m in markets_of(events) if m.active and not m.closed]
                fetched.update((m.id, m) for m in page)
                page = await self._fill_day_changes(page)
                shown.update((m.id, m) for m in page)
                if len(shown) == len(page):  # the first page: the detail can find it
                    self._index(page)
                self.alerts.check_markets(page)
                yield page
        self._index(list(shown.values()))
        self._unsaved = (list(fetched.values()), utc_now())

    async def save_snapshot(self) -> None:
        """Save what the last finished `market_pages` walk fetched (as the API sent it)
        as the snapshot the next start paints from; nothing when it is saved already."""
        unsaved, self._unsaved = self._unsaved, None
        if unsaved is not None:
            # Shielded: a caller cancelled (the App's worker, when the user quits right
            # after the load) leaves the save running, and aclose waits for it.
            save = asyncio.create_task(self.store.save_markets(*unsaved))
            self._saving.add(save)
            save.add_done_callback(self._save_done)
            await asyncio.shield(save)

    def _save_done(self, save: asyncio.Task[None]) -> None:
        self._saving.discard(save)
        if not save.cancelled() and save.exception() is not None:
            # Also when nobody awaits it any more (its caller was cancelled).
            log.warning("could not save the market list", exc_info=save.exception())

    async def _finish_saves(self) -> None:
        """Wait up to SAVE_ON_CLOSE_S for the snapshot saves still running."""
        if not self._saving:
            return
        _, late = await asyncio.wait(set(self._saving), timeout=SAVE_ON_CLOSE_S)
        for save in late:
            log.warning("closing before the market list was saved: the next start "
                        "fetches it again")
            save.cancel()

    async def search(self, query: str) -> list[Market]:
        if self.offline:
            raise _offline_error()
        found = await self.gamma.search(query)
        return [m for m in found if not m.closed]

    async def _fill_day_changes(self, markets: list[Market]) -> list[Market]:
        """`markets`, where Gamma gave no 24h change, with the change since the price
        stored about a day ago (of outcome[0], as Gamma's is); still None without one."""
        tokens = [m.outcomes[0].token_id for m in markets
                  if m.change_24h is None and _first_price(m) is not None]
        if not tokens:
            return markets
        # The newest stored point within the tolerance either side of a day ago.
        day_ago = int(self._clock()) - DAY_SECONDS
        found = await self.store.last_in_slices(tokens, [day_ago - DAY_AGO_TOLERANCE_S],
                                                2 * DAY_AGO_TOLERANCE_S)
        then = {token: points[-1].p for token, points in found.items() if points}
        return [_with_day_change(m, then) for m in markets] if then else markets

    def _index(self, markets: Sequence[Market]) -> None:
        self.events = EventIndex(markets)
        self._by_id = {m.id: m for m in markets}

    # ------------------------------------------------------------ prices

    async def refresh_prices(self, token_ids: Sequence[str]) -> dict[str, float]:
        if self.offline:
            raise _offline_error()
        unique = list(dict.fromkeys(t for t in token_ids if t))
        if not unique:
            return {}
        prices = await self.clob.midpoints(unique)
        self.alerts.check(prices)  # polled prices count as much as live ones
        return prices

    async def sparklines(
        self, token_ids: Sequence[str], points: int = SPARK_CELLS
    ) -> dict[str, list[float]]:
        """The last 7 days of each token as `points` time slices, one value per slice
        (see tui/view/sparkline.py), from SQLite; a week of history is fetched for the
        tokens whose stored points leave a past slice empty."""
        tokens = list(dict.fromkeys(t for t in token_ids if t))
        slices = SparkSlices.ending_at(self._clock(), points)
        stored = await self.store.last_in_slices(tokens, slices.starts, slices.width_s)
        thin = [t for t in tokens if not covers(stored[t], slices)]
        if thin and not self.offline:
            fetched = await self._fetch_histories(thin, "1w")
            for token, series in fetched.items():
                stored[token] = [*stored[token], *series]  # last: fetched wins a tie
        return {t: spark_values(stored[t], slices) for t in tokens}

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
        """History of the chart's series (see chart_labels), API merged with SQLite,
        trimmed to the range's window (the API's answer may reach further back)."""
        from tui.services.clob import RANGES

        if range_ not in RANGES:
            raise ValueError(f"unknown range {range_!r}")
        tokens = list(self.chart_labels(market, top))
        since = None
        if range_ in RANGE_SECONDS:
            since = int(self._clock()) - RANGE_SECONDS[range_]
        fetched: dict[str, list[PricePoint]] = {}
        if not self.offline:
            fetched = await self._fetch_histories(tokens, range_)
        series = {}
        for token in tokens:
            stored = await self.store.history(token, since)
            series[token] = in_window(_merge(stored, fetched.get(token, [])), since)
        return series

    def chart_labels(self, market: Market, top: int = 4) -> dict[str, str]:
        """Token -> label of the chart's lines (see models.chart_lines)."""
        return chart_lines(market, self.events.siblings(market, self._by_id), top)

    async def book(self, token_id: str) -> OrderBook:
        if self.offline:
            raise _offline_error()
        book = await self.clob.book(token_id)
        if book.mid is not None:
            self.alerts.check({token_id: book.mid})
        return book

    async def compact_history(self, now: datetime, policy: HistoryConfig) -> int:
        """Bounded history (tui/store/retention.py); offline too: it is local work."""
        return await self.store.compact_history(now, policy)

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

    async def last_view(self, market_id: str) -> Visit | None:
        return await self.store.last_view(market_id)

    async def recent_views(self) -> list[Visit]:
        return await self.store.recent_views()

    async def ui_state(self) -> dict[str, str]:
        """The view, sort and theme the user left (nothing saved, or unreadable: {})."""
        text = await self.store.get_meta(UI_STATE_KEY)
        try:
            saved = json.loads(text) if text else {}
        except ValueError:
            log.warning("the saved UI state is not JSON; starting from the defaults")
            return {}
        if not isinstance(saved, dict):
            return {}
        return {str(k): str(v) for k, v in saved.items() if isinstance(v, str | bool | int)}

    async def save_ui_state(self, state: Mapping[str, str]) -> None:
        await self.store.set_meta(UI_STATE_KEY, json.dumps(dict(state), sort_keys=True))

    # ------------------------------------------------------------ news

    async def news_for(self, market: Market | None,
                       favorites: Sequence[Market] = ()) -> list[Headline]:
        """Fresh headlines for `market` (or, with None, the favorites' topics and general
        market news), best first, saved in SQLite; `first_seen` and `read` come from
        there. Raises NewsUnavailable (an ApiError) when no provider could answer."""
        if self.offline:
            raise _offline_error()
        result = await self.news.fetch(market, favorites)
        if result.tried and not result.answered:
            raise self.news.unavailable()
        now = self.news.now()
        fresh = [replace(h, first_seen=now) for h in result.headlines]
        market_id = market.id if market is not None else None
        await self.store.save_headlines(fresh, market_id, seen_at=now)
        await self._prune_news_once(now)
        stored = {h.url: h for h in await self.store.recent_headlines(market_id, NEWS_LIMIT)}
        return [_with_state(h, stored.get(h.url)) for h in fresh]

    async def stored_news(self, market_id: str | None = None,
                          limit: int = NEWS_LIMIT) -> list[Headline]:
        """Headlines saved earlier, newest first (offline too): a market's, or (None)
        general news and the favorites' news."""
        return await self.store.recent_headlines(market_id, limit)

    async def mark_news_read(self, url: str) -> bool:
        return await self.store.mark_read(url)

    def news_statuses(self) -> tuple[ProviderStatus, ...]:
        return self.news.statuses()

    def news_status(self) -> str:
        """One line for the news pane ("GDELT: rate limited, next try in 40 s · ...")."""
        if self.offline:
            return "Offline: showing saved headlines only."
        return self.news.status_line()

    async def _prune_news_once(self, now: datetime) -> None:
        if not self._news_pruned:
            self._news_pruned = True
            await self.store.prune_news(now - timedelta(days=NEWS_KEEP_DAYS))

    # ------------------------------------------------------------ traders and wallets

    async def trades(self, market: Market, limit: int = 50) -> list[Trade]:
        """The market's latest fills, newest first; [] for a market without a condition."""
        if self.offline:
            raise _offline_error()
        if not market.condition_id:
            return []
        return await self.data_api.trades(market.condition_id, limit)

    async def holders(self, market: Market) -> list[HolderGroup]:
        if self.offline:
            raise _offline_error()
        if not market.condition_id:
            return []
        return await self.data_api.holders(market.condition_id, market.outcomes)

    async def open_interest(self, market: Market) -> float | None:
        if self.offline:
            raise _offline_error()
        if not market.condition_id:
            return None
        return await self.data_api.open_interest(market.condition_id)

    async def comments(self, market: Market, limit: int = 40) -> list[Comment]:
        """The comments on the market's event, newest first (Gamma keeps them per event)."""
        if self.offline:
            raise _offline_error()
        return await self.gamma.comments(market.event_id, limit=limit)

    async def wallet(self, address: str) -> WalletReport:
        if self.offline:
            raise _offline_error()
        return await self.data_api.wallet(address)

    async def saved_wallets(self) -> list[SavedWallet]:
        return await self.store.saved_wallets()

    async def save_wallet(self, address: str, label: str) -> SavedWallet:
        """Save or relabel a wallet; AddressError (a sentence) for a malformed address."""
        return await self.store.save_wallet(normalize_address(address),
                                            clean_text(label, NAME_MAX_LEN))

    async def remove_wallet(self, address: str) -> bool:
        return await self.store.remove_wallet(normalize_address(address))


def _make_clients(config: Config, store: Store, *, demo: bool,
                  transport: httpx.AsyncBaseTransport | None) -> Clients:
    """The clients on [api]'s URLs, or on the in-process demo API under --demo."""
    from tui.services.clob import ClobClient
    from tui.services.data_api import DataApi
    from tui.services.gamma import GammaClient
    from tui.services.http import DEFAULT_RATE_LIMITS, HttpClient

    gamma_url, clob_url = config.api.gamma_url, config.api.clob_url
    data_url = config.api.data_url
    rate_limits: dict[str, float] | None = None
    if demo:
        from tui.demo.catalogue import demo_market_count
        from tui.demo.hosts import DEMO_CLOB_URL, DEMO_DATA_URL, DEMO_GAMMA_URL
        from tui.demo.transport import DemoTransport

        transport = transport or DemoTransport(n_markets=demo_market_count(os.environ))
        gamma_url, clob_url, data_url = DEMO_GAMMA_URL, DEMO_CLOB_URL, DEMO_DATA_URL
        # In-process data: Polymarket's rate limits do not apply.
        rate_limits = dict.fromkeys(DEFAULT_RATE_LIMITS, 0.0)
    http = HttpClient(
        timeout_s=config.api.timeout_s,
        user_agent=config.api.user_agent,
        transport=transport,
        rate_limits=rate_limits,
    )
    return Clients(http, GammaClient(http, gamma_url), ClobClient(http, clob_url, recorder=store),
                   DataApi(http, data_url), transport)


def _import_http_stack(*, demo: bool) -> None:
    """Import what `_make_clients` needs (run in a thread: see prepare_clients)."""
    modules = ["tui.services.clob", "tui.services.data_api", "tui.services.gamma"]
    for name in [*modules, *(["tui.demo.transport"] if demo else [])]:
        importlib.import_module(name)


def _default_data_api(http: HttpClient) -> DataApi:
    from tui.config import DEFAULT_DATA_URL
    from tui.services.data_api import DataApi

    return DataApi(http, DEFAULT_DATA_URL)


def _news_service(config: Config, *, transport: httpx.AsyncBaseTransport | None,
                  demo: bool) -> NewsService:
    from tui.services.news import NewsService

    return NewsService.create(config, transport=transport, demo=demo)


def _with_state(fresh: Headline, stored: Headline | None) -> Headline:
    """A fetched headline with what SQLite knows: when it was first seen, if it was read."""
    if stored is None:
        return fresh
    return replace(fresh, first_seen=stored.first_seen or fresh.first_seen, read=stored.read)


def _first_price(market: Market) -> float | None:
    """outcome[0]'s price, when it has a token to look its history up by."""
    first = market.outcomes[0] if market.outcomes else None
    return first.price if first is not None and first.token_id else None


def _with_day_change(market: Market, day_ago: dict[str, float]) -> Market:
    """`market` with its missing 24h change computed from outcome[0]'s price a day ago."""
    price = _first_price(market)
    before = day_ago.get(market.outcomes[0].token_id) if market.outcomes else None
    if market.change_24h is not None or price is None or before is None:
        return market
    return replace(market, change_24h=round(price - before, 6))


def in_window(points: Sequence[PricePoint], since: int | None) -> list[PricePoint]:
    """The points at or after `since` (all of them for None: the "max" range)."""
    return list(points) if since is None else [p for p in points if p.t >= since]


def _merge(stored: Sequence[PricePoint], fetched: Sequence[PricePoint]) -> list[PricePoint]:
    """Union by timestamp (fetched wins), ascending."""
    by_time = {p.t: p for p in stored}
    by_time.update({p.t: p for p in fetched})
    return [by_time[t] for t in sorted(by_time)]

