"""DemoTransport: an httpx transport that answers Gamma, CLOB and news requests from
the demo catalogue, in-process; nothing reaches the network.

`--demo` runs the same client, cache and store code as live mode: only the transport
changes. The catalogue is built on the first request; prices follow the clock, so a
dashboard left open visibly ticks. Pass `now` to freeze the clock (tests, snapshots).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from tui.demo.catalogue import DEFAULT_DEMO_MARKETS, DEFAULT_SEED, DemoCatalogue
from tui.demo.endpoints.clob import ClobApi
from tui.demo.endpoints.data import DataApi
from tui.demo.endpoints.gamma import GammaApi
from tui.demo.endpoints.news import FEED_PATH, NewsApi
from tui.demo.endpoints.wire import Reply
from tui.demo.hosts import CLOB_HOST, DATA_HOST, GAMMA_HOST, GDELT_HOST
from tui.demo.prices import PriceModel, minute_of


@dataclass(frozen=True, slots=True)
class _Endpoints:
    gamma: GammaApi
    clob: ClobApi
    news: NewsApi


class DemoTransport(httpx.AsyncBaseTransport, httpx.BaseTransport):
    """Answers Gamma, CLOB, GDELT and RSS requests from a generated catalogue.

    `now` freezes the clock, and the catalogue's dates are relative to it (else to the
    time of construction). Works as an async transport (httpx.AsyncClient) and a sync
    one (httpx.Client).
    """

    def __init__(self, n_markets: int = DEFAULT_DEMO_MARKETS, seed: int = DEFAULT_SEED,
                 now: datetime | None = None) -> None:
        self.n_markets = max(1, int(n_markets))
        self.seed = seed
        self.fixed_now = now.astimezone(UTC) if now is not None else None
        anchor = self.fixed_now or datetime.now(UTC)
        self.anchor = anchor.replace(second=0, microsecond=0)
        self._catalogue: DemoCatalogue | None = None
        self._endpoints: _Endpoints | None = None
        self._data: DataApi | None = None  # trader data, built on its first request

    @property
    def catalogue(self) -> DemoCatalogue:
        if self._catalogue is None:
            self._catalogue = DemoCatalogue(self.n_markets, self.seed, self.anchor)
        return self._catalogue

    def now(self) -> datetime:
        return self.fixed_now or datetime.now(UTC)

    # -- httpx entry points

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        return self._respond(request, body)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._respond(request, request.read())

    def _respond(self, request: httpx.Request, body: bytes) -> httpx.Response:
        try:
            payload = self._dispatch(request, body)
        except Reply as reply:
            return _encode(reply.status, reply.body, reply.content_type, reply.headers)
        return _encode(200, payload)

    def _dispatch(self, request: httpx.Request, body: bytes) -> Any:
        """By host; any other host serves an RSS feed at a feed-looking GET path."""
        host = (request.url.host or "").lower()
        now = self.now()
        if host == GAMMA_HOST and request.url.path.rstrip("/") == "/comments":
            return self._data_api().comments(request, now)
        if host == GAMMA_HOST:
            return self._served().gamma.handle(request, minute_of(now))
        if host == DATA_HOST:
            return self._data_api().handle(request, now)
        if host == CLOB_HOST:
            return self._served().clob.handle(request, body, now)
        if host == GDELT_HOST:
            return self._served().news.gdelt(request, now)
        if request.method == "GET" and FEED_PATH.search(request.url.path):
            return self._served().news.feed(request, now)
        raise Reply(404, {"error": f"the demo has no data for {host or 'this host'}"})

    def _served(self) -> _Endpoints:
        """The endpoints, built with the catalogue on the first request that needs it."""
        if self._endpoints is None:
            catalogue, prices = self.catalogue, PriceModel()
            self._endpoints = _Endpoints(GammaApi(catalogue, prices), ClobApi(catalogue, prices),
                                         NewsApi(catalogue))
        return self._endpoints

    def _data_api(self) -> DataApi:
        # Its own PriceModel: prices are a pure function of (market, minute), so it
        # agrees with the CLOB's and the list's.
        if self._data is None:
            self._data = DataApi(self.catalogue, PriceModel())
        return self._data


def _encode(status: int, payload: Any, content_type: str = "application/json",
            headers: Mapping[str, str] | None = None) -> httpx.Response:
    if isinstance(payload, str):  # RawJson, or the text of a text reply
        content = payload.encode()
    else:
        content = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    return httpx.Response(status, headers={"content-type": content_type, **(headers or {})},
                          content=content)
