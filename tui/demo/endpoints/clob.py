"""The demo's CLOB API: price history, batched midpoints and order books.

Only what polydash asks the CLOB for is served (tui/services/clob.py). A market past its
end with a proposed resolution has no order book: no midpoint, no book (404).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import httpx

from tui.demo.catalogue import DemoCatalogue, DemoMarket
from tui.demo.endpoints.wire import Reply, batch_body
from tui.demo.prices import HISTORY_INTERVALS, PriceModel, minute_of


class ClobApi:
    """Answers CLOB requests from one catalogue's prices."""

    def __init__(self, catalogue: DemoCatalogue, prices: PriceModel) -> None:
        self._catalogue = catalogue
        self._prices = prices

    def handle(self, request: httpx.Request, body: bytes, now: datetime) -> Any:
        path = request.url.path.rstrip("/")
        params = request.url.params
        minute = minute_of(now)
        routes: dict[tuple[str, str], Callable[[], Any]] = {
            ("GET", "/prices-history"): lambda: self._history(params, int(now.timestamp())),
            ("GET", "/book"): lambda: self._book(_token_param(params), minute, now),
            ("POST", "/midpoints"): lambda: self._midpoints(batch_body(body), minute),
        }
        route = routes.get((request.method, path))
        if route is None:
            status = 405 if any(p == path for _, p in routes) else 404
            raise Reply(status, {"error": f"no route for {request.method} {path or '/'}"})
        return route()

    def _lookup(self, token: str) -> tuple[DemoMarket, int] | None:
        """The market and outcome of a token with an order book."""
        found = self._catalogue.find_token(token)
        return None if found is None or found[0].proposed else found

    def _book(self, token: str, minute: int, now: datetime) -> dict[str, Any]:
        found = self._lookup(token)
        if found is None:
            raise Reply(404, {"error": "No orderbook exists for the requested token id"})
        market, outcome = found
        return self._prices.book(market, outcome, minute, int(now.timestamp() * 1000))

    def _midpoints(self, items: list[Mapping[str, Any]], minute: int) -> dict[str, str]:
        """Midpoints of the tokens that have a book; the others are left out."""
        result: dict[str, str] = {}
        for item in items:
            token = str(item.get("token_id") or "")
            found = self._lookup(token)
            if found is not None:
                result[token] = self._prices.midpoint(*found, minute)
        return result

    def _history(self, params: httpx.QueryParams, now_s: int) -> dict[str, Any]:
        token = (params.get("market") or "").strip()
        if not token:
            raise Reply(400, {"error": "market is required"})
        found = self._catalogue.find_token(token)
        if found is None:
            return {"history": []}  # the real API answers 200 with nothing
        interval = (params.get("interval") or "").strip().lower()
        if interval and interval not in HISTORY_INTERVALS:
            raise Reply(400, {"error": f"invalid interval: {interval[:20]}"})
        window, default_fidelity = HISTORY_INTERVALS[interval or "max"]
        try:
            fidelity = int(params.get("fidelity") or default_fidelity)
        except ValueError:
            raise Reply(400, {"error": "invalid fidelity"}) from None
        if fidelity < 1:
            raise Reply(400, {"error": "fidelity must be at least 1"})
        market, outcome = found
        return {"history": self._prices.history(market, outcome, window, fidelity, now_s)}


def _token_param(params: httpx.QueryParams) -> str:
    token = (params.get("token_id") or "").strip()
    if not token:
        raise Reply(400, {"error": "Invalid token id"})
    return token
