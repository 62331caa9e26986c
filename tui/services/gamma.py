"""Gamma, Polymarket's catalogue: markets and events by keyset pages, search, tags.

Pages follow `next_cursor` as `after_cursor` with the same filters every time, and
stop on a missing, empty or null cursor, on an empty page, or on a cursor already
seen (a server bug must not become an endless loop). See docs/polymarket-api.md §2.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, Callable, Mapping
from contextlib import aclosing
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx

from tui.models import (
    Event,
    Market,
    PayloadError,
    Tag,
    parse_items,
    tag_from_api,
)
from tui.services.data_parse import RowError, comments_from_gamma
from tui.services.gamma_json import event_of, loads_event_page, loads_market_page, market_of
from tui.services.http import ApiBadPayload, HttpClient
from tui.trader_models import Comment

log = logging.getLogger("polydash.gamma")

# CLI sort name -> (Gamma order field, ascending). Gamma wants camelCase fields; the
# string fields `volume`/`liquidity` would sort as text, hence the *Num variants.
SORTS: dict[str, tuple[str, bool]] = {
    "volume24hr": ("volume24hr", False),
    "liquidity": ("liquidityNum", False),
    "end": ("endDate", True),
    "new": ("startDate", False),
}
MAX_PAGE_SIZE = 100
# Single items and tags change slowly; lists are fetched fresh on every refresh.
ITEM_TTL_S = 30.0
SEARCH_TTL_S = 60.0
TAGS_TTL_S = 3600.0
COMMENTS_TTL_S = 30.0
MAX_COMMENTS = 100  # per request, the documented maximum


class GammaClient:
    def __init__(self, http: HttpClient, base_url: str) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._host = httpx.URL(self._base).host

    # ------------------------------------------------------------ lists

    async def iter_market_pages(
        self, *, order: str = "volume24hr", ascending: bool = False, tag_id: int | None = None,
        page_size: int = MAX_PAGE_SIZE,
    ) -> AsyncGenerator[list[Market], None]:
        """Every page of open markets, parsed; `order` is a Gamma field (see SORTS)."""
        params = _list_params(order, ascending, page_size)
        params["include_tag"] = True
        if tag_id is not None:
            params["tag_id"] = tag_id
        async with aclosing(self._parsed_pages("/markets/keyset", "markets", params,
                                               _build_market, "market",
                                               loads=loads_market_page)) as pages:
            async for markets in pages:
                yield markets

    async def markets(
        self, *, limit: int | None = None, order: str = "volume24hr", ascending: bool = False,
        tag_id: int | None = None,
    ) -> list[Market]:
        """All pages, or the first `limit` markets."""
        pages = self.iter_market_pages(order=order, ascending=ascending, tag_id=tag_id,
                                       page_size=_page_size(limit))
        return await _collect(pages, limit)

    async def events(
        self, *, limit: int | None = None, order: str = "volume24hr", ascending: bool = False,
        tag_slug: str | None = None,
    ) -> list[Event]:
        params = _list_params(order, ascending, _page_size(limit))
        if tag_slug:
            params["tag_slug"] = tag_slug
        return await _collect(self._parsed_pages("/events/keyset", "events", params,
                                                 _build_event, "event",
                                                 loads=loads_event_page), limit)

    async def iter_event_pages(
        self, *, order: str = "volume24hr", ascending: bool = False,
    ) -> AsyncGenerator[list[Event], None]:
        """Every page of open events, parsed, as each arrives: a caller can show the
        first page while the rest is still on the way."""
        params = _list_params(order, ascending, MAX_PAGE_SIZE)
        async with aclosing(self._parsed_pages("/events/keyset", "events", params,
                                               _build_event, "event",
                                               loads=loads_event_page)) as pages:
            async for events in pages:
                yield events

    # ------------------------------------------------------------ single items

    async def market(self, key: str) -> Market:
        """By Gamma id (all digits) or by slug."""
        path = _item_path("/markets", key)
        body = await self._http.get_json(self._base + path, ttl=ITEM_TTL_S)
        return self._one(body, path, _build_market)

    async def event(self, key: str) -> Event:
        path = _item_path("/events", key)
        body = await self._http.get_json(self._base + path, ttl=ITEM_TTL_S)
        return self._one(body, path, _build_event)

    async def market_by_token(self, token_id: str) -> Market | None:
        """The market trading `token_id` (a v1 CLOB token id, else a v2 position id)."""
        for name in ("clob_token_ids", "position_ids"):
            body = await self._http.get_json(
                self._base + "/markets/keyset", {name: token_id, "limit": 1, "include_tag": True},
                ttl=ITEM_TTL_S)
            items = self._items(body, "/markets/keyset", "markets")
            markets = parse_items(items, _build_market, what="market")
            if markets:
                return markets[0]
        return None

    # ------------------------------------------------------------ search and tags

    async def search(self, query: str, *, limit: int = 50) -> list[Market]:
        """Open markets of the events `/public-search` finds; each carries its event."""
        if not query.strip() or limit <= 0:
            return []
        params = {"q": query.strip(), "limit_per_type": min(limit, 50),
                  "keep_closed_markets": 0, "search_tags": False, "search_profiles": False}
        body = await self._http.get_json(self._base + "/public-search", params, ttl=SEARCH_TTL_S)
        events = parse_items(self._items(body, "/public-search", "events", optional=True),
                             _build_event, what="search event")
        found = [m for event in events for m in event.markets if m.active and not m.closed]
        return found[:limit]

    async def tags(self) -> list[Tag]:
        body = await self._http.get_json(self._base + "/tags", {"limit": MAX_PAGE_SIZE},
                                         ttl=TAGS_TTL_S)
        if not isinstance(body, list):
            raise self._bad("/tags", "a list of tags")
        return parse_items(body, tag_from_api, what="tag")

    # ------------------------------------------------------------ comments

    async def comments(self, event_id: str, *, limit: int = 40) -> list[Comment]:
        """An event's comments and their replies, newest first (docs/data-api.md).

        Without `order` Gamma pages newest first; `limit` counts top-level comments."""
        if not event_id.isascii() or not event_id.isdigit() or limit <= 0:
            return []
        params = {"parent_entity_type": "Event", "parent_entity_id": int(event_id),
                  "limit": min(limit, MAX_COMMENTS)}
        body = await self._http.get_json(self._base + "/comments", params, ttl=COMMENTS_TTL_S)
        try:
            return comments_from_gamma(body)
        except RowError as exc:
            raise self._bad("/comments", f"a list of comments ({exc})") from exc

    # ------------------------------------------------------------ paging

    async def _parsed_pages[T](
        self, path: str, key: str, params: dict[str, Any], build: Callable[[Any], T], what: str,
        *, loads: Callable[[bytes], Any] | None = None,
    ) -> AsyncGenerator[list[T], None]:
        read_any = False
        async with aclosing(self._pages(path, key, params, loads)) as pages:
            async for items in pages:
                # In a thread: a page of 100 events is tens of milliseconds of Python, and
                # the event loop must keep answering keys while 200 of them load.
                parsed: list[T] = await asyncio.to_thread(parse_items, items, build,
                                                          what=what)
                if not parsed and not read_any:
                    # Not "no markets": the API answered, and nothing in it was usable.
                    raise ApiBadPayload(self._host, f"{self._host} answered {path}, but none "
                                        f"of its {len(items)} {key} could be read")
                read_any = True
                yield parsed

    async def _pages(self, path: str, key: str, params: Mapping[str, Any],
                     loads: Callable[[bytes], Any] | None = None,
                     ) -> AsyncGenerator[list[Any], None]:
        """Raw item lists of every keyset page, following `next_cursor`; `loads` decodes
        a page (see HttpClient.get_json)."""
        seen: set[str] = set()
        cursor: str | None = None
        while True:
            query = dict(params) if cursor is None else {**params, "after_cursor": cursor}
            body = await self._http.get_json(self._base + path, query, loads=loads)
            items = self._items(body, path, key)
            if not items:
                return
            yield items
            cursor = _next_cursor(body)
            if cursor is None:
                return
            if cursor in seen:
                log.warning("%s repeated the cursor %r on %s; stopping after %d pages",
                            self._host, cursor[:40], path, len(seen) + 1)
                return
            seen.add(cursor)

    def _items(self, body: Any, path: str, key: str, *, optional: bool = False) -> list[Any]:
        if isinstance(body, Mapping):
            items = body.get(key)
            if isinstance(items, list):
                return items
            if items is None and optional:
                return []
        raise self._bad(path, f"a list of {key}")

    def _one[T](self, body: Any, path: str, build: Callable[[Any], T]) -> T:
        try:
            return build(body)
        except PayloadError as exc:
            raise self._bad(path, f"an item ({exc})") from exc

    def _bad(self, path: str, expected: str) -> ApiBadPayload:
        message = f"{self._host} sent an unexpected reply to {path} (expected {expected})"
        return ApiBadPayload(self._host, message)


def _build_market(data: Any) -> Market:
    return market_of(data, fetched_at=datetime.now(UTC))


def _build_event(data: Any) -> Event:
    return event_of(data, fetched_at=datetime.now(UTC))


def _list_params(order: str, ascending: bool, page_size: int) -> dict[str, Any]:
    return {"closed": False, "limit": max(1, min(page_size, MAX_PAGE_SIZE)), "order": order,
            "ascending": ascending}


def _page_size(limit: int | None) -> int:
    return MAX_PAGE_SIZE if limit is None else max(1, min(limit, MAX_PAGE_SIZE))


def _next_cursor(body: Mapping[str, Any]) -> str | None:
    cursor = body.get("next_cursor")
    if isinstance(cursor, int) and not isinstance(cursor, bool):
        cursor = str(cursor)
    return cursor if isinstance(cursor, str) and cursor.strip() else None


def _item_path(collection: str, key: str) -> str:
    """`/markets/123` for a Gamma id, else `/markets/slug/<slug>` as one path segment:
    a `/` or `..` in user input cannot walk to another endpoint."""
    key = key.strip()
    if key.isascii() and key.isdigit():
        return f"{collection}/{key}"
    segment = quote(key, safe="")
    if set(key) <= {"."}:
        segment = segment.replace(".", "%2E")
    return f"{collection}/slug/{segment}"


async def _collect[T](pages: AsyncGenerator[list[T], None], limit: int | None) -> list[T]:
    if limit is not None and limit <= 0:
        return []
    found: list[T] = []
    async with aclosing(pages):
        async for page in pages:
            found.extend(page)
            if limit is not None and len(found) >= limit:
                return found[:limit]
    return found
