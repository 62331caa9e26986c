"""Gamma's keyset pages decoded with msgspec: only the keys the builders read.

A keyset page of 100 markets is about 600 KB of JSON, most of it keys polydash never
reads (the parent event's whole description, rewards, fees, images). Decoding every
value into Python objects was a third of the time of loading 20,000 markets; here
msgspec skips what is not read, in C, and hands `market_from_gamma` (or
`event_from_gamma`) a small dict of the rest. That dict holds exactly the values
json.loads would have given for those keys, so the builders' checks and their answers
are the same.

Whatever msgspec refuses (a page or an item of another shape, NaN, an escaped lone
surrogate) goes through json.loads instead: the same answers and the same errors as
before, only slower.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import msgspec

from tui.models import Event, Market, event_from_gamma, market_from_gamma

# Every key `market_from_gamma` reads of a market and of its parent event (`events[0]`).
# tests/unit/test_gamma_json.py checks these against what the builder really reads.
MARKET_KEYS: tuple[str, ...] = (
    "id", "question", "slug", "conditionId", "groupItemTitle", "groupItemThreshold",
    "outcomes", "outcomePrices", "version", "positionIds", "clobTokenIds", "volume24hr",
    "volumeNum", "volume", "liquidityNum", "liquidity", "endDate", "endDateIso",
    "startDate", "startDateIso", "createdAt", "bestBid", "bestAsk", "lastTradePrice",
    "spread", "oneDayPriceChange", "oneWeekPriceChange", "description", "tags", "active",
    "closed", "acceptingOrders", "negRisk", "umaResolutionStatus", "orderPriceMinTickSize",
)
EVENT_KEYS: tuple[str, ...] = ("id", "slug", "title", "sortBy", "tags")
# Every key `event_from_gamma` reads of an event of /events/keyset, its markets aside.
EVENT_ITEM_KEYS: tuple[str, ...] = (
    *EVENT_KEYS, "description", "volume24hr", "volume", "liquidity", "endDate", "negRisk",
)

# Every field is Any, so no value is judged here (the builder does that), and UNSET
# when absent, so that `to_builtins` leaves it out: absent stays absent, null stays null.
_Event = msgspec.defstruct("_GammaEvent", [(key, Any, msgspec.UNSET) for key in EVENT_KEYS])
_Market = msgspec.defstruct(
    "_GammaMarket",
    [(key, Any, msgspec.UNSET) for key in MARKET_KEYS]
    + [("events", list[_Event] | None | msgspec.UnsetType, msgspec.UNSET)],  # type: ignore[valid-type]
)

_EventItem = msgspec.defstruct(
    "_GammaEventItem",
    [(key, Any, msgspec.UNSET) for key in EVENT_ITEM_KEYS]
    + [("markets", list[_Market] | None | msgspec.UnsetType, msgspec.UNSET)],  # type: ignore[valid-type]
)


def _page_decoders(key: str, item: type) -> tuple[msgspec.json.Decoder[Any], ...]:
    """Two decoders of a page whose items are under `key`: one reads each item into
    `item` in the same pass (the common case, the JSON is scanned once); the other, for
    a page where an item has another shape, keeps each item as its own JSON text."""
    return tuple(msgspec.json.Decoder(msgspec.defstruct(
        f"_Gamma_{key}_page", [(key, list[items] | None, None), ("next_cursor", Any, None)]))
        for items in (item, msgspec.Raw))


_MARKET_PAGE = _page_decoders("markets", _Market)
_EVENT_PAGE = _page_decoders("events", _EventItem)
_MARKET_DECODER = msgspec.json.Decoder(_Market)
_EVENT_DECODER = msgspec.json.Decoder(_EventItem)


def loads_market_page(content: bytes) -> Any:
    """A keyset page body as `{"markets": [item, ...], "next_cursor": ...}`, the items
    read only as far as `market_of` needs. Raises ValueError on bad JSON, as json.loads."""
    return _loads_page(_MARKET_PAGE, "markets", content)


def loads_event_page(content: bytes) -> Any:
    """The same for /events/keyset: `{"events": [item, ...], ...}`, for `event_of`."""
    return _loads_page(_EVENT_PAGE, "events", content)


def market_of(item: Any, *, fetched_at: datetime | None = None) -> Market:
    """The Market of a page item (as `loads_market_page` left it, or a value of
    json.loads); raises as `market_from_gamma` does."""
    if isinstance(item, _Market):
        item = msgspec.to_builtins(item)
    elif isinstance(item, msgspec.Raw):
        item = _read_keys(_MARKET_DECODER, item)
    return market_from_gamma(item, fetched_at=fetched_at)


def event_of(item: Any, *, fetched_at: datetime | None = None) -> Event:
    """The Event (and its markets) of a page item, as `event_from_gamma` builds it."""
    if isinstance(item, _EventItem):
        item = msgspec.to_builtins(item)
    elif isinstance(item, msgspec.Raw):
        item = _read_keys(_EVENT_DECODER, item)
    return event_from_gamma(item, fetched_at=fetched_at)


def _loads_page(decoders: tuple[msgspec.json.Decoder[Any], ...], key: str,
                content: bytes) -> Any:
    for decoder in decoders:
        try:
            page = decoder.decode(content)
        except msgspec.MsgspecError:
            continue
        return {key: getattr(page, key), "next_cursor": page.next_cursor}
    return json.loads(content)  # the careful way, for its answer or its error


def _read_keys(decoder: msgspec.json.Decoder[Any], item: msgspec.Raw) -> Any:
    try:
        return msgspec.to_builtins(decoder.decode(item))
    except msgspec.MsgspecError:
        # An item of another shape (not an object, a nested market that is not one):
        # the builder judges what json.loads makes of it.
        return json.loads(memoryview(item).tobytes())
