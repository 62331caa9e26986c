"""CLOB REST reads: price history, batched midpoints, order books.

Every price fetched here goes to the recorder (the store) so the history the
dashboard shows grows with what it has seen. See docs/polymarket-api.md §3.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

import httpx

from tui.models import (
    OrderBook,
    PayloadError,
    PricePoint,
    book_from_clob,
    parse_price,
    price_points_from_clob,
)
from tui.services.http import ApiBadPayload, HttpClient

log = logging.getLogger("polydash.clob")

# Chart range -> (CLOB interval, fidelity in minutes): the pairs the web UI uses, and
# fidelities the API is known to answer (docs/polymarket-api.md §3.3).
RANGES: dict[str, tuple[str, int]] = {
    "1h": ("1h", 1),
    "6h": ("6h", 10),
    "1d": ("1d", 60),
    "1w": ("1w", 360),
    "1m": ("1m", 1440),
    "max": ("max", 1440),
}
MIDPOINTS_BATCH = 500  # documented maximum per POST; 501 gets HTTP 400
HISTORY_TTL_S = 30.0


class PriceRecorder(Protocol):
    # `object`, not None: Store.record_prices returns the number of rows it added.
    async def record_prices(self, points: Sequence[PricePoint]) -> object: ...


class ClobClient:
    def __init__(self, http: HttpClient, base_url: str, recorder: PriceRecorder | None = None,
                 *, clock: Callable[[], float] = time.time) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._host = httpx.URL(self._base).host
        self._recorder = recorder
        self._clock = clock

    async def price_history(self, token_id: str, range_: str = "1d") -> list[PricePoint]:
        """Points of one token over a range (see RANGES), oldest first; recorded."""
        if range_ not in RANGES:
            raise ValueError(f"unknown range {range_!r}; use one of {', '.join(RANGES)}")
        interval, fidelity = RANGES[range_]
        params = {"market": token_id, "interval": interval, "fidelity": fidelity}
        body = await self._http.get_json(self._base + "/prices-history", params,
                                         ttl=HISTORY_TTL_S)
        try:
            points = price_points_from_clob(token_id, body)
        except PayloadError as exc:
            raise self._bad("/prices-history", exc) from exc
        await self._record(points)
        return points

    async def midpoints(self, token_ids: Sequence[str]) -> dict[str, float]:
        """Midpoint prices of many tokens, <= 500 per POST; recorded at t = now."""
        wanted = list(dict.fromkeys(t for t in token_ids if t))
        prices: dict[str, float] = {}
        for start in range(0, len(wanted), MIDPOINTS_BATCH):
            batch = wanted[start:start + MIDPOINTS_BATCH]
            body = await self._http.post_json(self._base + "/midpoints",
                                              [{"token_id": token} for token in batch])
            prices.update(self._midpoints_of(body, batch))
        now = int(self._clock())
        await self._record([PricePoint(token, now, price) for token, price in prices.items()])
        return prices

    async def book(self, token_id: str) -> OrderBook:
        """The order book of one token, best levels first; its midpoint is recorded."""
        body = await self._http.get_json(self._base + "/book", {"token_id": token_id})
        try:
            book = book_from_clob(body)
        except PayloadError as exc:
            raise self._bad("/book", exc) from exc
        if book.mid is not None:
            stamp = book.timestamp_ms // 1000 if book.timestamp_ms else int(self._clock())
            await self._record([PricePoint(book.token_id, stamp, book.mid)])
        return book

    # ------------------------------------------------------------ internals

    def _midpoints_of(self, body: Any, batch: Sequence[str]) -> dict[str, float]:
        if not isinstance(body, Mapping):
            raise self._bad("/midpoints", "not an object of token prices")
        prices = {}
        for token in batch:
            price = parse_price(body.get(token))
            if price is not None:
                prices[token] = price
        dropped = sum(1 for token in batch if body.get(token) is not None) - len(prices)
        if dropped:
            log.warning("/midpoints: dropped %d prices outside 0-1", dropped)
        return prices

    async def _record(self, points: Sequence[PricePoint]) -> None:
        if not points or self._recorder is None:
            return
        try:
            await self._recorder.record_prices(points)
        except Exception as exc:
            # Recording is a side effect: a full disk or a locked database must not
            # take the prices away from the screen. The failure is logged, not hidden.
            log.warning("could not record %d prices: %s", len(points), exc)

    def _bad(self, path: str, why: object) -> ApiBadPayload:
        return ApiBadPayload(self._host,
                             f"{self._host} sent an unexpected reply to {path} ({why})")
