"""Every Data API (v1) and Gamma comment payload becomes a trader model here, and only here.

The v1 routes answer bare camelCase arrays; a move to `/v2/...` (snake_case inside a
`{"data": ...}` envelope) changes this module and the paths in data_api.py, nothing
else. Rules (docs/data-api.md):

- every string passes `clean_text` once; names are capped at NAME_MAX_LEN, comment
  bodies keep their lines and are capped at COMMENT_MAX_LEN;
- a trader's shown name is `name`, unless it is empty, hidden (displayUsernamePublic
  false) or the default `0x<address>-<ms>` name; then the pseudonym, then the short
  address (Trader.label);
- `outcomeIndex` 999 or an empty `outcome` means "no outcome": None, never an index;
- a row with a price outside [0, 1], a NaN or infinite number, a negative size, or no
  timestamp is skipped and logged; the rest of the payload is kept.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from tui.models import Outcome, parse_float, parse_time
from tui.sanitize import clean_text
from tui.trader_models import (
    NAME_MAX_LEN,
    Activity,
    Comment,
    Holder,
    HolderGroup,
    Position,
    Trade,
    Trader,
    is_default_name,
)

log = logging.getLogger("polydash.data")

COMMENT_MAX_LEN = 2000
TITLE_MAX_LEN = 200
# Data API sentinel: the row belongs to no outcome (redeems, splits, merges).
NO_OUTCOME_INDEX = 999
SIDES = frozenset({"BUY", "SELL"})
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_HEX_ID = re.compile(r"0x[0-9a-fA-F]{1,128}")
_TOKEN_ID = re.compile(r"\d{1,100}")
# v2 reports an unknown end date as the epoch's first day.
_NO_DATE = "1970-01-01"


class RowError(ValueError):
    """One payload row that cannot become a model; the row is skipped and logged."""


# ---------------------------------------------------------------- shared fields


def _text(data: Mapping[str, Any], key: str, max_len: int = TITLE_MAX_LEN) -> str:
    return clean_text(data.get(key), max_len)


def _address(value: object) -> str:
    """A lowercase 0x address or hash; "" when absent or not one."""
    if isinstance(value, str) and _HEX_ID.fullmatch(value.strip()):
        return value.strip().lower()
    return ""


def _token(value: object) -> str:
    """A token id as its decimal string ("" when absent: redeems send "")."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    if isinstance(value, str) and _TOKEN_ID.fullmatch(value.strip()):
        return value.strip()
    return ""


def _number(data: Mapping[str, Any], key: str) -> float | None:
    """A finite number, None when absent; RowError when present but NaN, infinite or junk."""
    value = data.get(key)
    if value is None or value == "":
        return None
    number = parse_float(value)
    if number is None:
        raise RowError(f"{key} is not a finite number: {clean_text(value, 40)!r}")
    return number


def _required(data: Mapping[str, Any], key: str) -> float:
    number = _number(data, key)
    if number is None:
        raise RowError(f"no {key}")
    return number


def _price(data: Mapping[str, Any], key: str = "price") -> float:
    price = _required(data, key)
    if not 0.0 <= price <= 1.0:
        raise RowError(f"{key} {price} is outside [0, 1]")
    return price


def _size(data: Mapping[str, Any], key: str = "size") -> float:
    size = _required(data, key)
    if size < 0:
        raise RowError(f"{key} {size} is negative")
    return size


def _time(data: Mapping[str, Any], key: str = "timestamp") -> datetime:
    moment = parse_time(data.get(key))
    if moment is None:
        raise RowError(f"no usable {key}")
    return moment


def _outcome(data: Mapping[str, Any]) -> str | None:
    """The outcome label, or None for "no outcome" (index 999 or an empty label)."""
    index = data.get("outcomeIndex")
    if index == NO_OUTCOME_INDEX or index == str(NO_OUTCOME_INDEX):
        return None
    return _text(data, "outcome", NAME_MAX_LEN * 2) or None


def _side(data: Mapping[str, Any]) -> str | None:
    side = data.get("side")
    if isinstance(side, str) and side.strip().upper() in SIDES:
        return side.strip().upper()
    return None


def trader_from(data: Mapping[str, Any], wallet_key: str = "proxyWallet") -> Trader:
    """The wallet, shown name and pseudonym of a row or a comment profile."""
    raw_name = data.get("name")
    hidden = data.get("displayUsernamePublic") is False
    default = isinstance(raw_name, str) and is_default_name(raw_name.strip())
    name = "" if hidden or default else clean_text(raw_name, NAME_MAX_LEN)
    return Trader(_address(data.get(wallet_key)), name,
                  clean_text(data.get("pseudonym"), NAME_MAX_LEN))


def _rows[T](body: object, build: Callable[[Mapping[str, Any]], T], what: str) -> list[T]:
    """`build` over a v1 array body; a bad row is skipped and logged, the rest kept."""
    if not isinstance(body, list):
        raise RowError(f"the {what} reply is not a list")
    return _build_all(body, build, what)


def _build_all[T](items: Iterable[object], build: Callable[[Mapping[str, Any]], T],
                  what: str) -> list[T]:
    built: list[T] = []
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            log.warning("skipped %s #%d: not an object", what, index)
            continue
        try:
            built.append(build(item))
        except RowError as exc:
            log.warning("skipped %s #%d: %s", what, index, exc)
    return built


# ---------------------------------------------------------------- trades


def trade_from_api(data: Mapping[str, Any]) -> Trade:
    side = _side(data)
    if side is None:
        raise RowError("side is neither BUY nor SELL")
    return Trade(
        time=_time(data), side=side, outcome=_outcome(data) or "",
        token_id=_token(data.get("asset")), price=_price(data), size=_size(data),
        trader=trader_from(data), tx=_address(data.get("transactionHash")),
        condition_id=_address(data.get("conditionId")), title=_text(data, "title"),
        slug=_text(data, "slug"),
    )


def trades_from_api(body: object) -> list[Trade]:
    """`GET /trades` (newest first, as the API sends them)."""
    return _rows(body, trade_from_api, "trade")


# ---------------------------------------------------------------- holders


def holder_groups_from_api(body: object, outcomes: Sequence[Outcome] = ()) -> list[HolderGroup]:
    """`GET /holders`: one group per outcome token, in the market's outcome order where
    `outcomes` (the market's) names the tokens; holders largest first."""
    names = {o.token_id: o.name for o in outcomes}

    def group(data: Mapping[str, Any]) -> HolderGroup:
        token = _token(data.get("token"))
        items = data.get("holders")
        if not token or not isinstance(items, list):
            raise RowError("a group without a token or a holders list")

        def holder(row: Mapping[str, Any]) -> Holder:
            amount = _size(row, "amount")
            return Holder(_group_outcome(row, token, names, outcomes), token,
                          trader_from(row), amount)

        holders = sorted(_build_all(items, holder, "holder"), key=lambda h: -h.amount)
        outcome = holders[0].outcome if holders else names.get(token, "")
        return HolderGroup(token, outcome, tuple(holders))

    groups = _rows(body, group, "holder group")
    order = {o.token_id: index for index, o in enumerate(outcomes)}
    return sorted(groups, key=lambda g: order.get(g.token_id, len(order)))


def _group_outcome(row: Mapping[str, Any], token: str, names: Mapping[str, str],
                   outcomes: Sequence[Outcome]) -> str:
    """Holder rows carry an index, not a label: the market's name for the token."""
    if token in names:
        return names[token]
    index = row.get("outcomeIndex")
    if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(outcomes):
        return outcomes[index].name
    return ""


# ---------------------------------------------------------------- open interest and value


def open_interest_from_api(body: object, condition_id: str) -> float | None:
    """`GET /oi`: `[{"market": id, "value": usd}]`; the value for `condition_id`."""
    if not isinstance(body, list):
        raise RowError("the open interest reply is not a list")
    wanted = condition_id.lower()
    for item in body:
        if isinstance(item, Mapping) and _address(item.get("market")) == wanted:
            value = parse_float(item.get("value"))
            return value if value is not None and value >= 0 else None
    return None


def value_from_api(body: object) -> float | None:
    """`GET /value`: `[{"user": address, "value": usd}]`; None when it gave no number."""
    items = body if isinstance(body, list) else [body]
    for item in items:
        if isinstance(item, Mapping):
            value = parse_float(item.get("value"))
            if value is not None:
                return value
    return None


# ---------------------------------------------------------------- positions and activity


def position_from_api(data: Mapping[str, Any]) -> Position:
    size = _size(data)
    avg = _price(data, "avgPrice")
    current = _price(data, "curPrice")
    value = _number(data, "currentValue")
    initial = _number(data, "initialValue")
    value = size * current if value is None else value
    initial = size * avg if initial is None else initial
    pnl = _number(data, "cashPnl")
    return Position(
        title=_text(data, "title"), slug=_text(data, "slug"),
        event_slug=_text(data, "eventSlug"), outcome=_outcome(data) or "",
        token_id=_token(data.get("asset")), condition_id=_address(data.get("conditionId")),
        size=size, avg_price=avg, cur_price=current, value=value, initial_value=initial,
        pnl=value - initial if pnl is None else pnl, pnl_pct=_number(data, "percentPnl"),
        end_date=_end_date(data.get("endDate")), redeemable=data.get("redeemable") is True,
    )


def _end_date(value: object) -> str | None:
    text = clean_text(value, 40)[:10]
    return text if _DATE.fullmatch(text) and text != _NO_DATE else None


def positions_from_api(body: object) -> list[Position]:
    """`GET /positions`, in the API's order (largest holding first by default)."""
    return _rows(body, position_from_api, "position")


def activity_from_api(data: Mapping[str, Any]) -> Activity:
    kind = clean_text(data.get("type"), 24).upper() or "?"
    side = _side(data)
    # Only trades have a price; redeems, splits and merges send 0.
    price = _price(data) if side is not None else None
    usd = _number(data, "usdcSize")
    size = _size(data)
    if usd is not None and usd < 0:
        raise RowError(f"usdcSize {usd} is negative")
    return Activity(
        time=_time(data), type=kind, title=_text(data, "title"), slug=_text(data, "slug"),
        outcome=_outcome(data), side=side, price=price, size=size,
        usd=usd if usd is not None else (price or 0.0) * size,
        tx=_address(data.get("transactionHash")), token_id=_token(data.get("asset")),
    )


def activity_list_from_api(body: object) -> list[Activity]:
    """`GET /activity`, newest first."""
    return _rows(body, activity_from_api, "activity")


# ---------------------------------------------------------------- Gamma comments


def comment_from_gamma(data: Mapping[str, Any]) -> Comment:
    comment_id = clean_text(data.get("id"), 40)
    if not comment_id:
        raise RowError("a comment without an id")
    profile = data.get("profile")
    if isinstance(profile, Mapping):
        author = trader_from(profile)
        if not author.wallet:
            author = Trader(_address(data.get("userAddress")), author.name, author.pseudonym)
    else:
        author = Trader(_address(data.get("userAddress")))
    likes = parse_float(data.get("reactionCount"))
    parent = clean_text(data.get("parentCommentID"), 40)
    return Comment(
        id=comment_id, time=parse_time(data.get("createdAt")), author=author,
        body=clean_text(data.get("body"), COMMENT_MAX_LEN, multiline=True),
        likes=max(0, int(likes)) if likes is not None else 0, parent_id=parent or None,
    )


def comments_from_gamma(body: object) -> list[Comment]:
    """`GET /comments` (a flat list of comments and replies), newest first."""
    comments = _rows(body, comment_from_gamma, "comment")
    oldest = datetime.min.replace(tzinfo=UTC)
    return sorted(comments, key=lambda c: c.time or oldest, reverse=True)
