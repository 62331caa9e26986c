"""The demo's Gamma API: keyset lists of markets and events, single items, search, tags.

Only what polydash asks Gamma for is served (tui/services/gamma.py): the filters
`closed`, `tag_id` and `clob_token_ids` on markets, `closed` and `tag_slug` on events,
and Gamma's validation of `order`, booleans and keyset paging.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from tui.demo.catalogue import DemoCatalogue, DemoEvent, DemoMarket
from tui.demo.content.common import words as text_words
from tui.demo.content.tags import DEMO_TAGS
from tui.demo.endpoints.gamma_json import GammaJson
from tui.demo.endpoints.wire import RawJson, bool_param, gamma_error, int_param, list_param
from tui.demo.hosts import DEMO_GAMMA_URL
from tui.demo.keyset import KeysetError, KeysetPage, keyset_page
from tui.demo.prices import PriceModel

_MARKET_ORDERS: Mapping[str, Callable[[DemoMarket], Any]] = {
    "volume24hr": lambda m: m.volume_24h, "volumeNum": lambda m: m.volume,
    # The string twins sort as text on the real API; the demo is kinder and sorts numbers.
    "volume": lambda m: m.volume, "liquidityNum": lambda m: m.liquidity,
    "liquidity": lambda m: m.liquidity, "endDate": lambda m: m.event.end,
    "startDate": lambda m: m.start, "createdAt": lambda m: m.created,
    "id": lambda m: int(m.id), "competitive": lambda m: m.competitive,
    "volume1wk": lambda m: m.volume_1wk,
}
_EVENT_ORDERS: Mapping[str, Callable[[DemoEvent], Any]] = {
    "volume24hr": lambda e: e.volume_24h, "volume": lambda e: e.volume,
    "volumeNum": lambda e: e.volume, "liquidity": lambda e: e.liquidity,
    "liquidityNum": lambda e: e.liquidity, "endDate": lambda e: e.end,
    "startDate": lambda e: e.markets[0].start, "createdAt": lambda e: e.created,
    "id": lambda e: int(e.id), "competitive": lambda e: e.markets[0].competitive,
    "volume1wk": lambda e: e.volume_1wk, "commentCount": lambda e: e.comment_count,
}
# Orders on fields that a lazy catalogue knows before it builds an event or a market
# (tui.demo.catalogue.EventPlan, MarketRow): lists in these orders build only their page.
_PLANNED_ORDERS = frozenset({"volume24hr", "volume", "volumeNum", "liquidity", "liquidityNum",
                             "endDate", "volume1wk"})
_SELECTIONS_MAX = 64


class GammaApi:
    """Answers Gamma requests from one catalogue; sorted selections are kept a while, so
    paging through 20,000 markets sorts them once."""

    def __init__(self, catalogue: DemoCatalogue, prices: PriceModel) -> None:
        self._catalogue = catalogue
        self._json = GammaJson(catalogue, prices)
        self._selections: dict[tuple[Any, ...], list[Any]] = {}

    def handle(self, request: httpx.Request, minute: int) -> Any:
        if request.method != "GET":
            raise gamma_error(405, "method not allowed", f"{request.method} is not supported")
        path = request.url.path.rstrip("/") or "/"
        params = request.url.params
        parts = path.strip("/").split("/")
        if path == "/markets/keyset":
            return self._markets_keyset(params, minute)
        if path == "/events/keyset":
            return self._events_keyset(params, minute)
        if path == "/public-search":
            return self._search(params, minute)
        if path == "/tags":
            return self._tags(params)
        if len(parts) in (2, 3) and parts[0] in ("markets", "events"):
            return self._one(parts, params, minute)
        raise gamma_error(404, "not found error", f"no route for {path}")

    def _one(self, parts: list[str], params: httpx.QueryParams, minute: int) -> RawJson:
        """`/markets/<id>`, `/markets/slug/<slug>` and the same for events."""
        cat = self._catalogue
        include_tag = bool_param(params, "include_tag", False)
        if parts[0] == "markets":
            market = (cat.find_market(slug=parts[2]) if len(parts) == 3 and parts[1] == "slug"
                      else cat.find_market(parts[1]) if len(parts) == 2 else None)
            if market is None:
                raise gamma_error(404, "not found error", "market not found")
            return RawJson(self._json.market(market, minute, with_event=True,
                                             include_tag=include_tag))
        event = (cat.find_event(slug=parts[2]) if len(parts) == 3 and parts[1] == "slug"
                 else cat.find_event(parts[1]) if len(parts) == 2 else None)
        if event is None:
            raise gamma_error(404, "not found error", "event not found")
        return RawJson(self._json.event(event, minute))

    # -- keyset lists

    def _markets_keyset(self, params: httpx.QueryParams, minute: int) -> RawJson:
        selection = self._select_markets(params)
        page = _page(params, len(selection))
        include_tag = bool_param(params, "include_tag", False)
        market = self._catalogue.market
        items = [self._json.market(market(row.index), minute, with_event=True,
                                   include_tag=include_tag)
                 for row in selection[page.start:page.end]]
        return _keyset_body("markets", items, page.next_cursor)

    def _events_keyset(self, params: httpx.QueryParams, minute: int) -> RawJson:
        selection = self._select_events(params)
        page = _page(params, len(selection))
        event = self._catalogue.event
        items = [self._json.event(event(row.index), minute)
                 for row in selection[page.start:page.end]]
        return _keyset_body("events", items, page.next_cursor)

    def _select_markets(self, params: httpx.QueryParams) -> list[Any]:
        """The rows (DemoCatalogue.market_rows) of the markets asked for, in order; as
        for events, some orders and filters need every market built."""
        order = _order_param(params, _MARKET_ORDERS)
        ascending = bool_param(params, "ascending", True)
        closed = bool_param(params, "closed", False)
        tag_id = params.get("tag_id") or None
        tokens = frozenset(list_param(params, "clob_token_ids"))
        key = ("m", order, ascending, closed, tag_id, tokens)
        cached = self._selections.get(key)
        if cached is not None:
            return cached
        chosen: list[Any] = []  # every demo market is open: none when closed
        if not closed:
            planned = not tokens and _PLANNED_ORDERS.issuperset(order)
            chosen = [m for m in self._sorted_markets(order, ascending, planned)
                      if _market_matches(m, tag_id, tokens)]
        self._remember(key, chosen)
        return chosen

    def _sorted_markets(self, order: tuple[str, ...], ascending: bool,
                        planned: bool) -> list[Any]:
        key = ("sorted-m", order, ascending, planned)
        cached = self._selections.get(key)
        if cached is None:
            rows = self._catalogue.market_rows() if planned else self._catalogue.markets
            cached = sorted(rows, reverse=not ascending,
                            key=_sort_key([_MARKET_ORDERS[name] for name in order]))
            self._remember(key, cached)
        return cached

    def _select_events(self, params: httpx.QueryParams) -> list[Any]:
        """The rows (DemoCatalogue.event_rows) of the events asked for, in order. Orders
        on volumes, liquidity or end dates sort rows that are known before the events are
        built; the others need every event built."""
        order = _order_param(params, _EVENT_ORDERS)
        ascending = bool_param(params, "ascending", True)
        closed = bool_param(params, "closed", False)
        tag_slug = params.get("tag_slug") or None
        key = ("e", order, ascending, closed, tag_slug)
        cached = self._selections.get(key)
        if cached is not None:
            return cached
        chosen: list[Any] = []
        if not closed:
            rows = (self._catalogue.event_rows() if _PLANNED_ORDERS.issuperset(order)
                    else self._catalogue.events)
            events = sorted(rows, reverse=not ascending,
                            key=_sort_key([_EVENT_ORDERS[name] for name in order]))
            chosen = [e for e in events
                      if tag_slug is None or any(tag.slug == tag_slug for tag in e.tags)]
        self._remember(key, chosen)
        return chosen

    def _remember(self, key: tuple[Any, ...], value: list[Any]) -> None:
        if len(self._selections) > _SELECTIONS_MAX:
            self._selections.clear()
        self._selections[key] = value

    # -- search and tags

    def _search(self, params: httpx.QueryParams, minute: int) -> RawJson:
        """Events whose words start with every query word, by volume, in pages."""
        query = (params.get("q") or "").strip()
        if not query:
            raise gamma_error(422, "validation error", "q is required")
        words = text_words(query)
        page = max(1, int_param(params, "page", 1) or 1)
        per_page = max(1, min(100, int_param(params, "limit_per_type", 10) or 10))
        self._catalogue.ensure_text()
        found = [e for e in self._catalogue.events
                 if words and all(f" {w}" in e.search_text for w in words)]
        found.sort(key=lambda e: (-e.volume, e.index))
        start = (page - 1) * per_page
        chosen = found[start:start + per_page]
        pagination = json.dumps({"hasMore": start + per_page < len(found),
                                 "totalResults": len(found)}, separators=(",", ":"))
        events = ",".join(self._json.event(e, minute) for e in chosen)
        return RawJson(f'{{"events":[{events}],"pagination":{pagination}}}')

    @staticmethod
    def _tags(params: httpx.QueryParams) -> list[dict[str, Any]]:
        limit = max(1, min(100, int_param(params, "limit", 100) or 100))
        offset = max(0, int_param(params, "offset", 0) or 0)
        return [tag.to_api() for tag in DEMO_TAGS[offset:offset + limit]]


def _order_param(params: httpx.QueryParams, fields: Mapping[str, Any]) -> tuple[str, ...]:
    raw = params.get("order") or "id"
    names = tuple(part.strip() for part in raw.split(",") if part.strip())
    if not names or any(name not in fields for name in names):
        raise gamma_error(422, "validation error", "order fields are not valid")
    return names


def _page(params: httpx.QueryParams, total: int) -> KeysetPage:
    try:
        return keyset_page(params.multi_items(), total)
    except KeysetError as exc:
        raise gamma_error(422, "validation error", str(exc)) from None


def _keyset_body(kind: str, items: list[str], next_cursor: str | None) -> RawJson:
    """`{"$schema": ..., "<kind>": [...], "next_cursor": ...}`; no cursor on the last page."""
    schema = json.dumps(f"{DEMO_GAMMA_URL}/schemas/{kind.title()}KeysetResponse.json")
    body = f'{{"$schema":{schema},"{kind}":[{",".join(items)}]'
    if next_cursor is not None:
        body += f',"next_cursor":"{next_cursor}"'
    return RawJson(body + "}")


def _sort_key(getters: list[Callable[[Any], Any]]) -> Callable[[Any], Any]:
    """The values of `getters`, then the catalogue index (of a market, an event or an
    event's plan). One order (the usual request) without a generator per item: the
    first page of 20,000 markets waits on it."""
    if len(getters) == 1:
        get = getters[0]
        return lambda m: (get(m), m.index)
    return lambda m: (*(get(m) for get in getters), m.index)


def _market_matches(m: Any, tag_id: str | None, tokens: frozenset[str]) -> bool:
    if tag_id is not None and all(tag.id != tag_id for tag in m.event.tags):
        return False
    return not tokens or not tokens.isdisjoint(m.tokens)

