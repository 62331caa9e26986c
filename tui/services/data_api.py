"""Polymarket's Data API (v1 routes): a market's trades, holders and open interest, and a
wallet's positions, value and activity. Public, no key.

Requests go through the shared HttpClient (retries, 429 Retry-After, per-route rate
limits, TTL cache); every body is parsed in data_parse.py. See docs/data-api.md.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import httpx

from tui.clock import utc_now
from tui.models import Outcome
from tui.services.data_parse import (
    RowError,
    activity_list_from_api,
    holder_groups_from_api,
    open_interest_from_api,
    positions_from_api,
    trades_from_api,
    value_from_api,
)
from tui.services.http import ApiBadPayload, ApiHttpError, HttpClient
from tui.trader_models import Activity, HolderGroup, Position, Trade, WalletReport

MAX_TRADES = 500
HOLDERS_PER_TOKEN = 20  # the v1 maximum
POSITIONS_LIMIT = 100
ACTIVITY_LIMIT = 50
# Positions below one share are dust; the API's own default threshold.
POSITION_SIZE_THRESHOLD = 1
# The tape polls every few seconds: a short TTL only merges simultaneous askers.
TRADES_TTL_S = 2.0
HOLDERS_TTL_S = 30.0
OI_TTL_S = 30.0
WALLET_TTL_S = 10.0


class AddressRejected(ApiHttpError):
    """The Data API refused a wallet address (HTTP 400); the message is a sentence."""


class DataApi:
    def __init__(self, http: HttpClient, base_url: str) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._host = httpx.URL(self._base).host

    # ------------------------------------------------------------ a market

    async def trades(self, condition_id: str, limit: int = 50) -> list[Trade]:
        """The market's latest fills, newest first, each once (the taker's side)."""
        params = {"market": condition_id, "limit": max(1, min(limit, MAX_TRADES)),
                  "takerOnly": "true"}
        return await self._get("/trades", params, TRADES_TTL_S, trades_from_api)

    async def holders(self, condition_id: str,
                      outcomes: Sequence[Outcome] = ()) -> list[HolderGroup]:
        """Top holders of each outcome token; `outcomes` name the tokens."""
        params = {"market": condition_id, "limit": HOLDERS_PER_TOKEN}
        return await self._get("/holders", params, HOLDERS_TTL_S,
                               lambda body: holder_groups_from_api(body, outcomes))

    async def open_interest(self, condition_id: str) -> float | None:
        """USD held in the market's outcome tokens; None when the API has no figure."""
        return await self._get("/oi", {"market": condition_id}, OI_TTL_S,
                               lambda body: open_interest_from_api(body, condition_id))

    # ------------------------------------------------------------ a wallet

    async def positions(self, address: str, limit: int = POSITIONS_LIMIT) -> list[Position]:
        params = {"user": address, "sizeThreshold": POSITION_SIZE_THRESHOLD, "limit": limit}
        return await self._wallet_get("/positions", address, params, positions_from_api)

    async def activity(self, address: str, limit: int = ACTIVITY_LIMIT) -> list[Activity]:
        params = {"user": address, "limit": limit}
        return await self._wallet_get("/activity", address, params, activity_list_from_api)

    async def value(self, address: str) -> float | None:
        return await self._wallet_get("/value", address, {"user": address}, value_from_api)

    async def wallet(self, address: str) -> WalletReport:
        """Positions, value and recent activity of a (normalized) proxy wallet, fetched
        together."""
        positions, activity, value = await asyncio.gather(
            self.positions(address), self.activity(address), self.value(address))
        return WalletReport(address, value, tuple(positions), tuple(activity), utc_now())

    # ------------------------------------------------------------ internals

    async def _wallet_get[T](self, path: str, address: str, params: Mapping[str, Any],
                             parse: Callable[[Any], T]) -> T:
        try:
            return await self._get(path, params, WALLET_TTL_S, parse)
        except ApiHttpError as exc:
            if exc.status != 400:
                raise
            raise AddressRejected(
                self._host, f"{self._host} does not accept {address} as a wallet address "
                f"(HTTP 400); check that it is the wallet's Polymarket (proxy) address",
                400) from exc

    async def _get[T](self, path: str, params: Mapping[str, Any], ttl: float,
                      parse: Callable[[Any], T]) -> T:
        body = await self._http.get_json(self._base + path, params, ttl=ttl)
        try:
            return parse(body)
        except RowError as exc:
            raise ApiBadPayload(
                self._host, f"{self._host} sent an unexpected reply to {path} ({exc})") from exc
