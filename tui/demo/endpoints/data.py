"""The demo's Data API (v1 routes) and Gamma `/comments`, from tui/demo/trader.py.

Only what tui/services/data_api.py and GammaClient.comments ask for is served, with
the real API's refusals: a missing `market` or `user` and a malformed address are 400
`{"error": ...}`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx

from tui.demo.catalogue import DemoCatalogue, DemoMarket
from tui.demo.endpoints.wire import Reply, int_param
from tui.demo.prices import PriceModel
from tui.demo.trader import TRADES_MAX, DemoTraders

_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")


class DataApi:
    """Answers Data API requests (and Gamma comments) for one catalogue."""

    def __init__(self, catalogue: DemoCatalogue, prices: PriceModel) -> None:
        self._catalogue = catalogue
        self._traders = DemoTraders(catalogue, prices)

    def handle(self, request: httpx.Request, now: datetime) -> Any:
        path = request.url.path.rstrip("/")
        params = request.url.params
        now_s = int(now.timestamp())
        routes: dict[str, Callable[[], Any]] = {
            "/trades": lambda: self._traders.trades(
                self._market(params), now_s, _limit(params, 100, TRADES_MAX)),
            "/holders": lambda: self._traders.holders(self._market(params),
                                                      _limit(params, 20, 20)),
            "/oi": lambda: self._oi(params),
            "/positions": lambda: self._traders.positions(_user(params), now_s,
                                                          _limit(params, 100, 500)),
            "/activity": lambda: self._traders.activity(_user(params), now_s,
                                                        _limit(params, 100, 500)),
            "/value": lambda: self._traders.value(_user(params), now_s),
        }
        route = routes.get(path)
        if request.method != "GET" or route is None:
            raise Reply(404, {"error": f"no route for {request.method} {path or '/'}"})
        return route()

    def comments(self, request: httpx.Request, now: datetime) -> Any:
        """Gamma `GET /comments?parent_entity_type=Event&parent_entity_id=N`."""
        params = request.url.params
        if (params.get("parent_entity_type") or "") != "Event":
            raise Reply(422, {"error": "parent_entity_type must be Event or Series"})
        event = self._catalogue.events_by_id.get((params.get("parent_entity_id") or "").strip())
        if event is None:
            return []
        return self._traders.comments(event, int(now.timestamp()), _limit(params, 40, 100))

    def _market(self, params: httpx.QueryParams) -> DemoMarket:
        condition = (params.get("market") or "").strip()
        if not condition:
            raise Reply(400, {"error": "required query param 'market' not provided"})
        market = self._traders.market(condition)
        if market is None:
            raise Reply(200, [])  # a well-formed id with no data: an empty list
        return market

    def _oi(self, params: httpx.QueryParams) -> list[dict[str, Any]]:
        market = self._market(params)
        return [{"market": market.condition_id,
                 "value": self._traders.open_interest(market)}]


def _user(params: httpx.QueryParams) -> str:
    user = (params.get("user") or "").strip()
    if not user:
        raise Reply(400, {"error": "required query param 'user' not provided"})
    if _ADDRESS.fullmatch(user) is None:
        raise Reply(400, {"error": f"invalid user address: {user[:60]}"})
    return user.lower()


def _limit(params: httpx.QueryParams, default: int, most: int) -> int:
    value = int_param(params, "limit", default)
    return max(0, min(most, default if value is None else value))
