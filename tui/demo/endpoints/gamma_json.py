"""Gamma's JSON for demo markets and events, as the real API sends it: JSON text inside
JSON for outcomes/outcomePrices/clobTokenIds, volume/liquidity as strings next to their
numeric twins, an `events` array on market objects, absent fields left out.

Encoding a 60-key object per market per request would dominate the cost of paging
through 20,000 markets, so the static part of each object is encoded once, in pieces
around its price fields, and the prices are spliced in per request.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from tui.demo.catalogue import DemoCatalogue, DemoEvent, DemoMarket
from tui.demo.content.news import DEMO_NEWS_DOMAIN
from tui.demo.prices import PriceModel, price_num, price_text

_PRICE_KEYS = ("spread", "oneDayPriceChange", "oneWeekPriceChange", "lastTradePrice",
               "bestBid", "bestAsk")


class GammaJson:
    """Market and event objects of one catalogue as JSON text, priced at a minute."""

    def __init__(self, catalogue: DemoCatalogue, prices: PriceModel) -> None:
        self._catalogue = catalogue
        self._prices = prices
        self._market_pieces: dict[int, tuple[str, str, str]] = {}
        self._event_heads: dict[int, str] = {}
        self._event_tags: dict[int, str] = {}

    def market(self, market: DemoMarket, minute: int, *, with_event: bool,
               include_tag: bool = False) -> str:
        """One Gamma market object as JSON text, priced at `minute`."""
        head, middle, tail = self._market_fragments(market)
        parts = [head, ',"outcomePrices":', self._outcome_prices(market, minute), ",", middle]
        for name, value in self._price_fields(market, minute):
            parts.append(f',"{name}":{value!r}')
        parts += [",", tail]
        if include_tag:
            parts += [',"tags":', self._tags(market.event)]
        if with_event:
            parts += [',"events":[', self._event_head(market.event), "}]"]
        parts.append("}")
        return "".join(parts)

    def event(self, event: DemoEvent, minute: int) -> str:
        """One Gamma event object with its markets and tags, as JSON text."""
        markets = ",".join(self.market(m, minute, with_event=False) for m in event.markets)
        return f'{self._event_head(event)},"markets":[{markets}],"tags":{self._tags(event)}}}'

    def _market_fragments(self, market: DemoMarket) -> tuple[str, str, str]:
        """The static JSON of a market in three pieces around its price fields."""
        pieces = self._market_pieces.get(market.index)
        if pieces is None:
            pieces = self._market_pieces[market.index] = _fragments(_market_static(market))
        return pieces

    def _event_head(self, event: DemoEvent) -> str:
        """The static JSON of an event without `markets`, `tags` and the closing brace."""
        head = self._event_heads.get(event.index)
        if head is None:
            encoded = json.dumps(_event_static(event), separators=(",", ":"), ensure_ascii=False)
            head = self._event_heads[event.index] = encoded[:-1]
        return head

    def _tags(self, event: DemoEvent) -> str:
        tags = self._event_tags.get(event.index)
        if tags is None:
            tags = json.dumps([tag.to_api() for tag in event.tags], separators=(",", ":"))
            self._event_tags[event.index] = tags
        return tags

    def _outcome_prices(self, market: DemoMarket, minute: int) -> str:
        """The JSON string value holding JSON text, as Gamma sends it:
        `"[\\"0.245\\", \\"0.755\\"]"` (prices are digits and a dot: nothing to escape)."""
        yes = self._prices.yes(market, minute)
        a, b = price_text(yes, market.scale), price_text(market.scale - yes, market.scale)
        return f'"[\\"{a}\\", \\"{b}\\"]"'

    def _price_fields(self, market: DemoMarket, minute: int) -> list[tuple[str, float]]:
        """spread, changes, last trade, bid/ask; absent ones are left out, as Gamma does."""
        prices = self._prices
        yes = prices.yes(market, minute)
        half = prices.half_spread(market, minute)
        scale = market.scale
        fields: list[tuple[str, float]] = [("spread", price_num(2 * half, scale))]
        for name, span in (("oneDayPriceChange", 1440), ("oneWeekPriceChange", 10080)):
            change = prices.change(market, minute, span)
            if change is not None:
                fields.append((name, change))
        fields.append(("lastTradePrice", price_num(prices.last_trade(market, minute), scale)))
        if not market.proposed:  # no book, so no best bid/ask
            fields += [("bestBid", price_num(yes - half, scale)),
                       ("bestAsk", price_num(yes + half, scale))]
        return fields


def _iso(moment: datetime, digits: int = 0) -> str:
    """`2026-11-26T10:15:00Z`, with `digits` fractional digits. Every demo time is UTC;
    formatting by hand is several times faster than strftime here."""
    m = moment
    text = f"{m.year:04d}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}:{m.second:02d}"
    if digits:
        text += f".{m.microsecond:06d}"[: digits + 1]
    return text + "Z"


def _iso_s(seconds: float, digits: int = 0) -> str:
    return _iso(datetime.fromtimestamp(seconds, UTC), digits)


def _json_members(data: Mapping[str, Any], keys: Iterable[str]) -> str:
    """`"a":1,"b":2` for the given keys of `data`."""
    encoded = json.dumps({k: data[k] for k in keys}, separators=(",", ":"), ensure_ascii=False)
    return encoded[1:-1]


def _fragments(data: dict[str, Any]) -> tuple[str, str, str]:
    """(head up to `outcomes`, middle up to the price fields, tail after them)."""
    keys = list(data)
    prices_at = keys.index("outcomePrices")
    first_price = keys.index(_PRICE_KEYS[0])
    head = _json_members(data, keys[:prices_at])
    middle = _json_members(data, keys[prices_at + 1:first_price])
    tail = _json_members(data, keys[first_price + len(_PRICE_KEYS):])
    return "{" + head, middle, tail


def _market_static(m: DemoMarket) -> dict[str, Any]:
    """The Gamma market object minus `events`; price fields are placeholders that
    `GammaJson.market` fills (or drops, as the API does) per request."""
    end = _iso(m.event.end)
    start = _iso_s(m.start, 3)
    image = _image(m.event)
    volume_24h, liquidity = round(m.volume_24h, 6), round(m.liquidity, 5)
    data: dict[str, Any] = {
        "id": m.id, "question": m.question, "conditionId": m.condition_id, "slug": m.slug,
        "resolutionSource": "", "endDate": end, "liquidity": repr(liquidity),
        "startDate": start, "image": image, "icon": image,
        "description": m.description, "outcomes": json.dumps(list(m.outcomes)),
        "outcomePrices": None, "volume": repr(m.volume), "active": True, "closed": False,
        "marketMakerAddress": "", "createdAt": _iso_s(m.created, 6),
        "updatedAt": _iso_s(m.updated, 6), "new": m.updated - m.created < 2 * 86400,
        "featured": m.featured, "archived": False, "restricted": True,
        "groupItemTitle": m.group, "groupItemThreshold": str(m.position),
        "questionID": m.question_id, "enableOrderBook": True,
        "orderPriceMinTickSize": 1 / m.scale, "orderMinSize": 5, "volumeNum": m.volume,
        "liquidityNum": liquidity, "endDateIso": end[:10],
        "startDateIso": start[:10], "hasReviewedDates": True,
        "volume24hr": volume_24h, "volume1wk": round(m.volume_1wk, 6),
        "volume1mo": round(m.volume_1mo, 6), "volume1yr": round(m.volume_1yr, 6),
        "clobTokenIds": json.dumps(list(m.tokens)), "umaBond": "500", "umaReward": "5",
        "volume24hrClob": volume_24h, "volumeClob": m.volume, "liquidityClob": liquidity,
        "acceptingOrders": not m.proposed, "negRisk": bool(m.event.neg_risk_id),
        "negRiskMarketID": m.event.neg_risk_id, "ready": False, "funded": False,
        "acceptingOrdersTimestamp": start[:19] + "Z", "cyom": False,
        "competitive": round(m.competitive, 6), "approved": True, "rewardsMinSize": 50,
        "rewardsMaxSpread": 3.5,
        **dict.fromkeys(_PRICE_KEYS),
        "negRiskOther": False, "umaResolutionStatuses": "[]",
    }
    if not m.event.neg_risk_id:
        del data["negRiskMarketID"]
    if m.proposed:
        data["umaResolutionStatus"] = "proposed"
    return data


def _image(e: DemoEvent) -> str:
    return f"https://{DEMO_NEWS_DOMAIN}/img/{e.slug[:60]}.png"


def _event_static(e: DemoEvent) -> dict[str, Any]:
    """The Gamma event object minus `markets` and `tags` (added per response)."""
    first = e.markets[0]
    image = _image(e)
    data: dict[str, Any] = {
        "id": e.id, "ticker": e.slug, "slug": e.slug, "title": e.title,
        "description": e.description, "resolutionSource": "",
        "startDate": _iso_s(first.start, 3), "creationDate": _iso(e.created, 6),
        "endDate": _iso(e.end), "image": image, "icon": image,
        "active": True, "closed": False, "archived": False,
        "new": first.updated - first.created < 2 * 86400,
        "featured": first.featured, "restricted": True,
        "liquidity": round(e.liquidity, 5), "volume": e.volume,
        "openInterest": round(e.volume * 0.08, 6), "createdAt": _iso(e.created, 6),
        "updatedAt": _iso_s(first.updated, 6), "competitive": round(first.competitive, 6),
        "volume24hr": round(e.volume_24h, 6), "volume1wk": round(e.volume_1wk, 6),
        "volume1mo": round(e.volume_1mo, 6), "volume1yr": round(e.volume_1yr, 6),
        "enableOrderBook": True, "liquidityClob": round(e.liquidity, 5),
        "negRisk": bool(e.neg_risk_id), "negRiskMarketID": e.neg_risk_id,
        "commentCount": e.comment_count, "cyom": False, "showAllOutcomes": True,
        "showMarketImages": e.shape != "ladder", "enableNegRisk": bool(e.neg_risk_id),
        "negRiskAugmented": False, "pendingDeployment": False, "deploying": False,
    }
    if not e.neg_risk_id:
        del data["negRiskMarketID"]
    if e.shape == "exclusive":
        data["sortBy"] = "price"
    return data
