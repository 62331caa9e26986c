"""Market <-> plain JSON: the SQLite snapshot and `polydash markets --format json`.

Our own trusted JSON (not the API's): the warm start decodes every cached market here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from tui.models import Market, Outcome, Tag, iso, parse_time


def market_to_dict(market: Market) -> dict[str, Any]:
    """The JSON shape used by `polydash markets --format json` and the SQLite snapshot."""
    leading = market.leading
    return {
        "id": market.id,
        "slug": market.slug,
        "event_id": market.event_id,
        "event_slug": market.event_slug,
        "event_title": market.event_title,
        "group_title": market.group_title,
        "group_order": market.group_order,
        "event_sort": market.event_sort,
        "question": market.question,
        "condition_id": market.condition_id,
        "outcomes": [
            {"name": o.name, "price": o.price, "token_id": o.token_id} for o in market.outcomes
        ],
        "price": leading.price if leading else None,
        "volume_24h": market.volume_24h,
        "volume": market.volume,
        "liquidity": market.liquidity,
        "end_date": iso(market.end_date),
        "start_date": iso(market.start_date),
        "created_at": iso(market.created_at),
        "best_bid": market.best_bid,
        "best_ask": market.best_ask,
        "last_trade_price": market.last_trade_price,
        "spread": market.spread,
        "change_24h": market.change_24h,
        "change_1w": market.change_1w,
        "description": market.description,
        "tags": [{"id": t.id, "slug": t.slug, "label": t.label} for t in market.tags],
        "active": market.active,
        "closed": market.closed,
        "accepting_orders": market.accepting_orders,
        "neg_risk": market.neg_risk,
        "resolution_status": market.resolution_status,
        "tick_size": market.tick_size,
        "url": market.url,
        "updated_at": iso(market.updated_at),
    }


def market_from_dict(data: Mapping[str, Any]) -> Market:
    """Inverse of `market_to_dict` (our own trusted JSON from SQLite).

    On the warm-start path for every cached market, so it trusts its own ISO times and
    shares Tag objects: thousands of markets carry the same few tags.
    """
    get = data.get
    return Market(
        id=data["id"],
        slug=get("slug", ""),
        question=get("question", ""),
        condition_id=get("condition_id", ""),
        event_id=get("event_id", ""),
        event_slug=get("event_slug", ""),
        event_title=get("event_title", ""),
        group_title=get("group_title", ""),
        group_order=get("group_order"),
        event_sort=get("event_sort", ""),
        outcomes=tuple(
            Outcome(name=o["name"], price=o.get("price"), token_id=o.get("token_id", ""))
            for o in get("outcomes", ())
        ),
        volume_24h=get("volume_24h"),
        volume=get("volume"),
        liquidity=get("liquidity"),
        end_date=_stored_time(get("end_date")),
        start_date=_stored_time(get("start_date")),
        created_at=_stored_time(get("created_at")),
        best_bid=get("best_bid"),
        best_ask=get("best_ask"),
        last_trade_price=get("last_trade_price"),
        spread=get("spread"),
        change_24h=get("change_24h"),
        change_1w=get("change_1w"),
        description=get("description", ""),
        tags=tuple(shared_tag(t["id"], t["slug"], t["label"]) for t in get("tags", ())),
        active=get("active", True),
        closed=get("closed", False),
        accepting_orders=get("accepting_orders"),
        neg_risk=get("neg_risk", False),
        resolution_status=get("resolution_status", ""),
        tick_size=get("tick_size"),
        updated_at=_stored_time(get("updated_at")),
    )


_TAGS: dict[tuple[str, str, str], Tag] = {}


def shared_tag(tag_id: str, slug: str, label: str) -> Tag:
    """One Tag object for every market that carries these values."""
    key = (tag_id, slug, label)
    tag = _TAGS.get(key)
    if tag is None:
        tag = _TAGS[key] = Tag(id=tag_id, slug=slug, label=label)
    return tag


def _stored_time(value: str | None) -> datetime | None:
    """Times we wrote ourselves with `iso`; anything else goes the careful way."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return parse_time(value)


