"""Domain models and the functions that build them from API payloads.

The builders are the service boundary for text: every string field passes
`clean_text` here, once. A payload item that cannot be understood raises
`PayloadError`; list parsers skip such items, log them and keep the rest.
Token ids are 70+ digit strings and stay strings.
"""

from __future__ import annotations

import json
import logging
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import msgspec

from tui.sanitize import LONG_TEXT_MAX_LEN, clean_text

log = logging.getLogger("polydash.models")

POLYMARKET_BASE = "https://polymarket.com"

# " - Reuters", " | AP News": the publisher some feeds append to a headline.
_PUBLISHER_SUFFIX = re.compile(r"\s+[-–—|]\s+([^-–—|]{2,40})$")
# Shorter normalized titles ("Markets wrap") are too generic to call two stories one.
_TITLE_KEY_MIN_LEN = 20


class PayloadError(ValueError):
    """An API item that cannot be turned into a model."""


@dataclass(frozen=True, slots=True)
class Tag:
    id: str
    slug: str
    label: str


@dataclass(frozen=True, slots=True)
class Outcome:
    name: str
    price: float | None
    token_id: str


@dataclass(frozen=True, slots=True)
class Market:
    id: str
    slug: str
    question: str
    condition_id: str = ""
    event_id: str = ""
    event_slug: str = ""
    event_title: str = ""
    group_title: str = ""
    # Its place among its event's markets (Gamma's groupItemThreshold: a ladder's strike
    # order); None when Gamma gives none.
    group_order: int | None = None
    event_sort: str = ""  # the event's own order of its markets: "price", or "" (group_order)
    outcomes: tuple[Outcome, ...] = ()
    volume_24h: float | None = None
    volume: float | None = None
    liquidity: float | None = None
    end_date: datetime | None = None
    start_date: datetime | None = None
    created_at: datetime | None = None
    best_bid: float | None = None
    best_ask: float | None = None
    last_trade_price: float | None = None
    spread: float | None = None
    change_24h: float | None = None
    change_1w: float | None = None
    description: str = ""
    tags: tuple[Tag, ...] = ()
    active: bool = True
    closed: bool = False
    accepting_orders: bool | None = None
    neg_risk: bool = False
    resolution_status: str = ""
    tick_size: float | None = None
    updated_at: datetime | None = None

    @property
    def url(self) -> str:
        """The polymarket.com page: the event, and the market inside a multi-market event."""
        event = self.event_slug or self.slug
        path = f"/event/{quote(event, safe='-_.~')}"
        if self.event_slug and self.slug and self.slug != self.event_slug:
            path += f"/{quote(self.slug, safe='-_.~')}"
        return POLYMARKET_BASE + path

    @property
    def leading(self) -> Outcome | None:
        """"Yes" for binary markets, else the outcome with the highest price."""
        if not self.outcomes:
            return None
        first = self.outcomes[0]
        if first.name.lower() == "yes" or all(o.price is None for o in self.outcomes):
            return first
        return max(self.outcomes, key=lambda o: -1.0 if o.price is None else o.price)

    @property
    def yes_price(self) -> float | None:
        """The first outcome's price ("Yes" of a binary market); None when unknown."""
        return self.outcomes[0].price if self.outcomes else None

    @property
    def token_ids(self) -> tuple[str, ...]:
        return tuple(o.token_id for o in self.outcomes if o.token_id)

    @property
    def title(self) -> str:
        """Question with the outcome's group title where the event has several markets."""
        if self.group_title and self.event_title and self.group_title not in self.question:
            return f"{self.event_title}: {self.group_title}"
        return self.question


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    slug: str
    title: str
    description: str = ""
    markets: tuple[Market, ...] = ()
    tags: tuple[Tag, ...] = ()
    volume_24h: float | None = None
    volume: float | None = None
    liquidity: float | None = None
    end_date: datetime | None = None
    neg_risk: bool = False

    @property
    def url(self) -> str:
        return f"{POLYMARKET_BASE}/event/{quote(self.slug, safe='-_.~')}"


@dataclass(frozen=True, slots=True)
class PricePoint:
    token_id: str
    t: int  # unix seconds, UTC
    p: float


@dataclass(frozen=True, slots=True)
class BookLevel:
    price: float
    size: float


@dataclass(frozen=True, slots=True)
class OrderBook:
    token_id: str
    market: str
    bids: tuple[BookLevel, ...]  # best first (highest price first)
    asks: tuple[BookLevel, ...]  # best first (lowest price first)
    timestamp_ms: int | None = None
    tick_size: float | None = None
    last_trade_price: float | None = None

    @property
    def best_bid(self) -> float | None:
        return self.bids[0].price if self.bids else None

    @property
    def best_ask(self) -> float | None:
        return self.asks[0].price if self.asks else None

    @property
    def spread(self) -> float | None:
        if self.best_bid is None or self.best_ask is None:
            return None
        return round(self.best_ask - self.best_bid, 6)

    @property
    def mid(self) -> float | None:
        if self.best_bid is None or self.best_ask is None:
            return None
        return round((self.best_ask + self.best_bid) / 2, 6)


@dataclass(frozen=True, slots=True)
class Headline:
    """One news item. `provider` is "gdelt", "rss:<feed name>", "newsapi" or "google_news";
    `url` is https and canonical (tracking parameters and fragment removed);
    `first_seen` / `read` come from the store (None / False before it was saved)."""

    title: str
    url: str
    publisher: str
    published_at: datetime | None
    provider: str
    summary: str = ""
    market_id: str | None = None
    score: float = 0.0
    extra: Mapping[str, Any] = field(default_factory=dict)
    first_seen: datetime | None = None
    read: bool = False

    @property
    def when(self) -> datetime | None:
        """The time to sort and age by: published, else first seen."""
        return self.published_at or self.first_seen


def title_key(title: str) -> str:
    """A normalized headline title: the same story from two providers has the same key
    ("" for titles too short to trust). Case, accents, punctuation and a trailing
    " - Publisher" do not count."""
    match = _PUBLISHER_SUFFIX.search(title)
    if match and len(title) - len(match.group(0)) >= _TITLE_KEY_MIN_LEN:
        title = title[: match.start()]
    folded = unicodedata.normalize("NFKD", title.casefold())
    letters = "".join(c if c.isalnum() else " " for c in folded if not unicodedata.combining(c))
    key = " ".join(letters.split())
    return key if len(key) >= _TITLE_KEY_MIN_LEN else ""


@dataclass(frozen=True, slots=True)
class Visit:
    """When the user last opened a market, and its price then (None when unknown)."""

    market_id: str
    viewed_at: datetime
    price: float | None


# ---------------------------------------------------------------- field parsers


def parse_float(value: object) -> float | None:
    """A number given as int, float or decimal string; None when absent or junk."""
    if type(value) is float:  # the common case first: 12 of these per market
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:  # a JSON integer with hundreds of digits
            return None
        return number if math.isfinite(number) else None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            return None
        return number if number == number and number not in (float("inf"), float("-inf")) else None
    return None


def parse_price(value: object) -> float | None:
    """A probability price: parse_float's number when it lies in [0, 1], else None."""
    price = parse_float(value)
    return price if price is not None and 0.0 <= price <= 1.0 else None


def book_levels(items: object) -> tuple[list[BookLevel], int]:
    """One side of an order book (a list of {"price", "size"}) as levels, and how many
    were dropped: a price outside [0, 1], NaN or infinite, a negative or unreadable size,
    an item that is not an object. Size 0 means "no level": skipped, not counted."""
    levels: list[BookLevel] = []
    dropped = 0
    for item in items if isinstance(items, list) else ():
        if not isinstance(item, Mapping):
            dropped += 1
            continue
        price, size = parse_price(item.get("price")), parse_float(item.get("size"))
        if price is None or size is None or size < 0:
            dropped += 1
        elif size > 0:
            levels.append(BookLevel(price=price, size=size))
    return levels, dropped


def parse_order(value: object) -> int | None:
    """A small non-negative whole number given as int or digit string ("12"); else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and 0 <= value < 2**31 else None


def parse_time(value: object) -> datetime | None:
    """ISO 8601 (any fractional digits, Z), Postgres "+00", date-only, or epoch s/ms."""
    # The common case first, three times per market: "2026-11-01T12:00:00.123Z". Only
    # this shape: fromisoformat alone takes more than the careful way below does.
    if type(value) is str and value[10:11] == "T" and value.find("Z") == len(value) - 1:
        try:
            quick = datetime.fromisoformat(value)
        except ValueError:
            quick = None
        if quick is not None and quick.tzinfo is UTC:
            return quick
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 10**11 else value
        try:
            return datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        try:
            return parse_time(int(text))
        except ValueError:  # "²" is a digit to isdigit(), not to int()
            return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def parse_json_list(value: object) -> list[Any] | None:
    """Gamma sends some lists as JSON text inside JSON; accept both forms."""
    if value is None:
        return None
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            decoded = _small_json(text)
        except json.JSONDecodeError as exc:
            raise PayloadError(f"not a JSON list: {text[:40]!r}") from exc
        if isinstance(decoded, list):
            return decoded
    raise PayloadError(f"expected a list, got {type(value).__name__}")


def _small_json(text: str) -> Any:
    """json.loads, a few times faster for the short lists of every Gamma market."""
    try:
        return msgspec.json.decode(text)
    except msgspec.DecodeError:
        return json.loads(text)  # NaN and the like: json's answer, or its error


def _text_id(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    return clean_text(value, 120) if isinstance(value, str) else ""


def _bool(value: object, default: bool = False) -> bool:
    return value if isinstance(value, bool) else default


# ---------------------------------------------------------------- builders


def tag_from_api(data: Mapping[str, Any]) -> Tag:
    if not isinstance(data, Mapping):
        raise PayloadError("tag is not an object")
    slug = clean_text(data.get("slug"), 80)
    if not slug:
        raise PayloadError("tag without slug")
    return Tag(id=_text_id(data.get("id")), slug=slug, label=clean_text(data.get("label"), 80))


def _tags(items: object) -> tuple[Tag, ...]:
    if not isinstance(items, list):
        return ()
    tags = []
    for item in items:
        try:
            tags.append(tag_from_api(item))
        except PayloadError:
            continue
    return tuple(tags)


def _outcomes(data: Mapping[str, Any]) -> tuple[Outcome, ...]:
    names = parse_json_list(data.get("outcomes")) or []
    prices = parse_json_list(data.get("outcomePrices")) or []
    if data.get("version") == "v2" and isinstance(data.get("positionIds"), list):
        tokens = data["positionIds"]
    else:
        tokens = parse_json_list(data.get("clobTokenIds")) or []
    outcomes = []
    for index, name in enumerate(names):
        token = tokens[index] if index < len(tokens) else ""
        if not isinstance(token, str):
            # A token id that arrived as a JSON number has already lost precision.
            raise PayloadError("token id is not a string")
        price = parse_price(prices[index]) if index < len(prices) else None
        outcomes.append(Outcome(name=clean_text(name, 120), price=price, token_id=token.strip()))
    dropped = sum(1 for o, given in zip(outcomes, prices, strict=False)
                  if o.price is None and given not in (None, ""))
    if dropped:
        log.warning("market %s: dropped %d outcome prices outside 0-1",
                    _text_id(data.get("id"))[:40], dropped)
    return tuple(outcomes)


def market_from_gamma(
    data: Mapping[str, Any],
    event: Mapping[str, Any] | None = None,
    *,
    fetched_at: datetime | None = None,
) -> Market:
    """Build a Market from a Gamma market object; `event` is its parent when nested."""
    if not isinstance(data, Mapping):
        raise PayloadError("market is not an object")
    market_id = _text_id(data.get("id"))
    if not market_id:
        raise PayloadError("market without id")
    question = clean_text(data.get("question"), 500)
    if not question:
        raise PayloadError(f"market {market_id} without question")
    if event is None:
        events = data.get("events")
        event = events[0] if isinstance(events, list) and events and isinstance(
            events[0], Mapping) else {}
    tags = _tags(data.get("tags")) or _tags(event.get("tags"))
    return Market(
        id=market_id,
        slug=clean_text(data.get("slug"), 200),
        question=question,
        condition_id=clean_text(data.get("conditionId"), 80),
        event_id=_text_id(event.get("id")),
        event_slug=clean_text(event.get("slug"), 200),
        event_title=clean_text(event.get("title"), 300),
        group_title=clean_text(data.get("groupItemTitle"), 120),
        group_order=parse_order(data.get("groupItemThreshold")),
        event_sort="price" if event.get("sortBy") == "price" else "",
        outcomes=_outcomes(data),
        volume_24h=parse_float(data.get("volume24hr")),
        volume=parse_float(data.get("volumeNum", data.get("volume"))),
        liquidity=parse_float(data.get("liquidityNum", data.get("liquidity"))),
        end_date=parse_time(data.get("endDate") or data.get("endDateIso")),
        start_date=parse_time(data.get("startDate") or data.get("startDateIso")),
        created_at=parse_time(data.get("createdAt")),
        best_bid=parse_price(data.get("bestBid")),
        best_ask=parse_price(data.get("bestAsk")),
        last_trade_price=parse_price(data.get("lastTradePrice")),
        spread=parse_float(data.get("spread")),
        change_24h=parse_float(data.get("oneDayPriceChange")),
        change_1w=parse_float(data.get("oneWeekPriceChange")),
        description=clean_text(data.get("description"), LONG_TEXT_MAX_LEN, multiline=True),
        tags=tags,
        active=_bool(data.get("active"), True),
        closed=_bool(data.get("closed")),
        accepting_orders=data.get("acceptingOrders") if isinstance(
            data.get("acceptingOrders"), bool) else None,
        neg_risk=_bool(data.get("negRisk")),
        resolution_status=clean_text(data.get("umaResolutionStatus"), 40),
        tick_size=parse_float(data.get("orderPriceMinTickSize")),
        updated_at=fetched_at,
    )


def event_from_gamma(data: Mapping[str, Any], *, fetched_at: datetime | None = None) -> Event:
    """Build an Event and its markets; a bad child market is skipped and logged."""
    if not isinstance(data, Mapping):
        raise PayloadError("event is not an object")
    event_id = _text_id(data.get("id"))
    slug = clean_text(data.get("slug"), 200)
    if not event_id or not slug:
        raise PayloadError("event without id or slug")
    children = data.get("markets") if isinstance(data.get("markets"), list) else []
    markets = parse_items(
        children, lambda item: market_from_gamma(item, data, fetched_at=fetched_at),
        what=f"market of event {event_id}",
    )
    return Event(
        id=event_id,
        slug=slug,
        title=clean_text(data.get("title"), 300),
        description=clean_text(data.get("description"), LONG_TEXT_MAX_LEN, multiline=True),
        markets=tuple(markets),
        tags=_tags(data.get("tags")),
        volume_24h=parse_float(data.get("volume24hr")),
        volume=parse_float(data.get("volume")),
        liquidity=parse_float(data.get("liquidity")),
        end_date=parse_time(data.get("endDate")),
        neg_risk=_bool(data.get("negRisk")),
    )


def parse_items[T](items: Iterable[Any], build: Any, *, what: str) -> list[T]:
    """Build every item with `build`; log and skip the ones that fail."""
    built: list[T] = []
    for index, item in enumerate(items):
        try:
            built.append(build(item))
        except PayloadError as exc:
            log.warning("skipped %s #%d: %s", what, index, exc)
        except (TypeError, KeyError, AttributeError, ValueError, ArithmeticError) as exc:
            log.warning("skipped malformed %s #%d: %s", what, index, exc)
    return built


def price_points_from_clob(token_id: str, data: object) -> list[PricePoint]:
    """`/prices-history` body `{"history": [{"t": s, "p": x}]}`; bad points are skipped."""
    if not isinstance(data, Mapping):
        raise PayloadError("price history is not an object")
    history = data.get("history")
    if not isinstance(history, list):
        raise PayloadError("price history without a history list")
    points = []
    for item in history:
        if not isinstance(item, Mapping):
            continue
        stamp = item.get("t")
        price = parse_price(item.get("p"))
        if isinstance(stamp, bool) or not isinstance(stamp, int | float) or price is None:
            continue
        if isinstance(stamp, float) and not math.isfinite(stamp):
            continue
        points.append(PricePoint(token_id=token_id, t=int(stamp), p=price))
    if len(points) < len(history):
        log.warning("price history of %s: dropped %d of %d points (no time, or a price "
                    "outside 0-1)", token_id[:20], len(history) - len(points), len(history))
    return points


def _sorted(levels: list[BookLevel], *, best_is_highest: bool) -> tuple[BookLevel, ...]:
    # REST and WS send best-last; sort explicitly rather than trust the order.
    return tuple(sorted(levels, key=lambda level: level.price, reverse=best_is_highest))


def book_from_clob(data: object) -> OrderBook:
    """A REST /book body; levels with a price outside [0, 1] or a negative size are
    dropped, and counted in one log line per book."""
    if not isinstance(data, Mapping):
        raise PayloadError("order book is not an object")
    token = data.get("asset_id")
    if not isinstance(token, str) or not token:
        raise PayloadError("order book without asset_id")
    stamp = data.get("timestamp")
    bids, bad_bids = book_levels(data.get("bids"))
    asks, bad_asks = book_levels(data.get("asks"))
    if bad_bids or bad_asks:
        log.warning("order book of %s: dropped %d levels (a price outside 0-1 or a "
                    "negative size)", token[:20], bad_bids + bad_asks)
    return OrderBook(
        token_id=token,
        market=clean_text(data.get("market"), 80),
        bids=_sorted(bids, best_is_highest=True),
        asks=_sorted(asks, best_is_highest=False),
        timestamp_ms=int(stamp) if isinstance(stamp, str) and stamp.isascii() and stamp.isdigit()
        else None,
        tick_size=parse_price(data.get("tick_size")),
        last_trade_price=parse_price(data.get("last_trade_price")),
    )


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, or None."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def with_prices(market: Market, prices: Mapping[str, float]) -> Market:
    """A copy of `market` whose outcome prices are replaced where `prices` has the token."""
    from dataclasses import replace

    if not any(o.token_id in prices for o in market.outcomes):
        return market
    outcomes = tuple(
        replace(o, price=prices[o.token_id]) if o.token_id in prices else o
        for o in market.outcomes
    )
    return replace(market, outcomes=outcomes)


def markets_of(events: Sequence[Event]) -> list[Market]:
    return [market for event in events for market in event.markets]


# ---------------------------------------------------------------- events


class EventIndex:
    """The market ids of each event, in list order: one index for the catalog and the
    facade. Ids, not markets: the holder swaps in fresher Market objects as prices move."""

    def __init__(self, markets: Iterable[Market] = ()) -> None:
        self._ids: dict[str, list[str]] = {}
        for market in markets:
            if market.event_id:
                self._ids.setdefault(market.event_id, []).append(market.id)

    def siblings(self, market: Market, current: Mapping[str, Market]) -> list[Market]:
        """`market` and the other markets of its event as `current` has them now
        ([market] when it stands alone)."""
        ids = self._ids.get(market.event_id) if market.event_id else None
        found = [current[i] for i in ids if i in current] if ids else []
        return found or [market]


def chart_lines(market: Market, siblings: Sequence[Market], top: int = 4) -> dict[str, str]:
    """Token -> label of the chart's lines: the top outcomes of a multi-market event, the
    top outcomes of a multi-outcome market, or the Yes line of a binary market."""
    if len(siblings) > 1:
        ranked = sorted(siblings, key=lambda m: -1.0 if m.yes_price is None else m.yes_price,
                        reverse=True)
        chosen = [m for m in ranked[:top] if m.outcomes and m.outcomes[0].token_id]
        if market not in chosen and market.outcomes and market.outcomes[0].token_id:
            chosen = [*chosen[: top - 1], market]
        return {m.outcomes[0].token_id: m.group_title or m.question for m in chosen}
    outcomes = [o for o in market.outcomes if o.token_id]
    if len(outcomes) == 2 and outcomes[0].name.lower() == "yes":
        return {outcomes[0].token_id: outcomes[0].name}
    ranked_outcomes = sorted(outcomes, key=lambda o: -1.0 if o.price is None else o.price,
                             reverse=True)
    return {o.token_id: o.name for o in ranked_outcomes[:top]}
