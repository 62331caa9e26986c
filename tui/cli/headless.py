"""`polydash markets | history | favorites | compact`: the data core without a screen."""

from __future__ import annotations

import argparse
import asyncio
import difflib
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from tui.cli.output import Column, age_sentence, in_cents, render, show_cents, show_change
from tui.cli.session import UserError
from tui.clock import utc_now
from tui.market_json import market_to_dict
from tui.models import Market, iso
from tui.view.prices import leading_change, leading_price

if TYPE_CHECKING:
    from tui.config import Config, HistoryConfig
    from tui.services.market_data import MarketData


MARKET_COLUMNS = [
    Column("question", "Market"), Column("price_cents", "Price", show_cents),
    Column("change_24h_cents", "24h", show_change), Column("volume_24h_usd", "24h vol"),
    Column("liquidity_usd", "Liquidity"), Column("end_date", "Ends"), Column("slug", "Slug"),
]
HISTORY_COLUMNS = [Column("time", "Time (UTC)"), Column("price_cents", "Price", show_cents),
                   Column("token_id", "Token")]
FAVORITE_COLUMNS = [Column("market_id", "Id"), Column("question", "Market"),
                    Column("price_cents", "Price", show_cents), Column("added_at", "Added"),
                    Column("slug", "Slug")]
TOKEN_ID_MIN_DIGITS = 30


def run_headless(args: argparse.Namespace, config: Config, env: Mapping[str, str]) -> int:
    return asyncio.run(_run(args, config, env))


async def _run(args: argparse.Namespace, config: Config, env: Mapping[str, str]) -> int:
    from tui.cli.session import Handler, run_command

    handlers: dict[str, Handler] = {
        "markets": _markets, "history": _history, "favorites": _favorites,
        "compact": partial(_compact, policy=config.history)}
    handler = handlers[args.command]
    return await run_command(args, config, env, handler, api_hint=_cache_hint)


async def _cache_hint(data: MarketData) -> str:
    markets, fetched_at = await data.store.load_markets()
    if not markets:
        return "; there is no local copy yet."
    return (f"; the local copy holds {len(markets)} markets from {age_sentence(fetched_at)}"
            " (use --offline to see them).")


def _note(text: str) -> None:
    print(f"polydash: {text}", file=sys.stderr)


# ------------------------------------------------------------------ markets


async def _markets(args: argparse.Namespace, data: MarketData) -> str:
    markets = await _fetch_markets(args, data)
    if args.tag and not markets:
        await _check_tag(args.tag, data, searched=bool(args.search))
    markets = _sort(markets, args.sort)[: args.limit]
    return render([market_row(m) for m in markets], MARKET_COLUMNS, args.format,
                  json_rows=[market_to_dict(m) for m in markets])


async def _fetch_markets(args: argparse.Namespace, data: MarketData) -> list[Market]:
    if data.offline:
        markets, fetched_at = await data.store.load_markets()
        _note(f"offline: {len(markets)} markets from the local copy, fetched "
              f"{age_sentence(fetched_at)}")
        return [m for m in markets if _matches(m, args.tag, args.search)]
    if data.demo:
        _note("DEMO data, not real markets")
    if args.search:
        found = await data.search(args.search)
        return [m for m in found if _matches(m, args.tag, None)]
    if args.tag:
        from tui.models import markets_of

        events = await data.gamma.events(order="volume24hr", ascending=False, tag_slug=args.tag)
        return [m for m in markets_of(events) if m.active and not m.closed]
    order, ascending = _gamma_order(args.sort)
    # Local sorts (change) need a wider pool than the limit to be meaningful.
    limit = args.limit if args.sort != "change" else max(args.limit, 500)
    markets = await data.gamma.markets(limit=limit, order=order, ascending=ascending)
    await _remember(data, markets)
    return markets


async def _remember(data: MarketData, markets: Sequence[Market]) -> None:
    """Keep what the API sent for --offline; a read-only database (the note said so at
    the start) keeps what it has."""
    if not data.store.read_only:
        await data.store.upsert_markets(markets, datetime.now(UTC))


async def _check_tag(tag: str, data: MarketData, *, searched: bool) -> None:
    """No market came back for `tag`: an unknown tag is a usage error that names the
    tags close to it; a known tag with no open market is only a note."""
    known = await _known_tags(data)
    if tag.lower() in known:
        if not searched:
            _note(f"no open market has the tag {tag!r} right now")
        return
    where = "in the local copy " if data.offline else ""
    close = close_tags(tag, known)
    hint = (f"did you mean {' or '.join(close)}?" if close
            else "a tag is a slug such as politics or crypto")
    raise UserError(f"unknown tag {tag!r}: no market {where}has it ({hint})")


async def _known_tags(data: MarketData) -> set[str]:
    """The tag slugs of the local copy's markets, and Polymarket's tag list when online."""
    stored, _ = await data.store.load_markets()
    slugs = {t.slug.lower() for market in stored for t in market.tags}
    if not data.offline:
        slugs |= {t.slug.lower() for t in await data.gamma.tags()}
    return slugs


def close_tags(tag: str, known: Iterable[str], limit: int = 3) -> list[str]:
    """The known tags a mistyped or shortened `tag` probably meant: near spellings first
    ("crypo" -> crypto), then tags that contain it ("elect" -> elections)."""
    wanted = tag.lower()
    ordered = sorted(known)
    near = difflib.get_close_matches(wanted, ordered, n=limit, cutoff=0.7)
    containing = [slug for slug in ordered if len(wanted) >= 3 and wanted in slug]
    return list(dict.fromkeys([*near, *containing]))[:limit]


def _gamma_order(sort: str) -> tuple[str, bool]:
    from tui.services.gamma import SORTS

    return SORTS.get(sort, SORTS["volume24hr"])


def _matches(market: Market, tag: str | None, search: str | None) -> bool:
    if tag and tag.lower() not in {t.slug.lower() for t in market.tags}:
        return False
    if search:
        text = f"{market.question} {market.event_title} {market.group_title}".lower()
        return all(word in text for word in search.lower().split())
    return True


def _sort(markets: Sequence[Market], sort: str) -> list[Market]:
    far = datetime.max.replace(tzinfo=UTC)
    keys: dict[str, Any] = {
        "volume24hr": lambda m: -(m.volume_24h or 0.0),
        "liquidity": lambda m: -(m.liquidity or 0.0),
        "end": lambda m: m.end_date or far,
        "new": lambda m: -(m.start_date or m.created_at or datetime.min.replace(
            tzinfo=UTC)).timestamp(),
        "change": lambda m: -abs(m.change_24h or 0.0),
    }
    return sorted(markets, key=keys[sort])


def market_row(market: Market) -> dict[str, Any]:
    """The table's and the CSV's row: the leading outcome's price and 24h change (as the
    dashboard's list shows them), in cents; amounts in dollars."""
    return {
        "question": market.title,
        "price_cents": in_cents(leading_price(market)),
        "change_24h_cents": in_cents(leading_change(market)),
        "volume_24h_usd": market.volume_24h,
        "liquidity_usd": market.liquidity,
        "end_date": market.end_date.strftime("%Y-%m-%d") if market.end_date else None,
        "slug": market.slug,
    }


# ------------------------------------------------------------------ history


async def _history(args: argparse.Namespace, data: MarketData) -> str:
    market, token = await _resolve(args.market, data)
    if data.offline:
        points = await data.store.history(token)
        _note(f"offline: {len(points)} stored points")
    else:
        points = await data.clob.price_history(token, args.range_)
    _note(f"{market.title if market else 'token ' + token[:12] + '…'}: "
          f"{len(points)} points ({args.range_})")
    times = [iso(datetime.fromtimestamp(p.t, UTC)) for p in points]
    rows = [{"time": time, "price_cents": in_cents(p.p), "token_id": p.token_id}
            for p, time in zip(points, times, strict=True)]
    json_rows = [{"t": p.t, "time": time, "price": p.p, "token_id": p.token_id}
                 for p, time in zip(points, times, strict=True)]
    return render(rows, HISTORY_COLUMNS, args.format, json_rows=json_rows)


async def _compact(args: argparse.Namespace, data: MarketData, *, policy: HistoryConfig) -> str:
    """Bounded history now (tui/store/retention.py), e.g. from cron on a machine where
    the dashboard seldom runs."""
    from tui.store import StoreReadOnly

    if data.store.read_only:  # the store would quietly do nothing: say why instead
        raise StoreReadOnly(data.store.notice())
    deleted = await data.compact_history(utc_now(), policy)
    return (f"price history compacted: {deleted:,} points deleted (every point of the last "
            f"{policy.full_days:g} days kept, one an hour to {policy.hourly_days:g} days, "
            "one a day before)")


async def _resolve(key: str, data: MarketData) -> tuple[Market | None, str]:
    """MARKET -> (market, the token to chart): a token id, or the market's leading token."""
    key = key.strip()
    is_token = key.isdigit() and len(key) >= TOKEN_ID_MIN_DIGITS
    market = await _find_market(key, data, is_token)
    if is_token:
        return market, key
    if market is None:
        raise UserError(f"no market {key!r} (give a slug, a Gamma id or a token id)")
    leading = market.leading
    if leading is None or not leading.token_id:
        raise UserError(f"market {key!r} has no tradable outcome")
    return market, leading.token_id


async def _find_market(key: str, data: MarketData, is_token: bool) -> Market | None:
    from tui.services.errors import ApiHttpError

    market = await data.store.get_market(key)
    if market is not None or data.offline:
        return market
    try:
        if is_token:
            market = await data.gamma.market_by_token(key)
        else:
            market = await data.gamma.market(key)
    except ApiHttpError as error:
        if error.status == 404:
            return None
        raise
    if market is not None:
        await _remember(data, [market])
    return market


# ------------------------------------------------------------------ favorites


async def _favorites(args: argparse.Namespace, data: MarketData) -> str:
    if args.action == "add":
        market, _ = await _resolve(args.market, data)
        if market is None:
            raise UserError(f"no market {args.market!r}")
        await data.store.add_favorite(market)
        _note(f"added to favorites: {market.title}")
    elif args.action == "remove":
        await _remove_favorite(args.market, data)
    return await _favorites_table(args.format, data)


async def _remove_favorite(key: str, data: MarketData) -> None:
    favorites = await data.store.favorites()
    market = await data.store.get_market(key)
    wanted = {key, market.id} if market else {key}
    match = next((f for f in favorites if f.market_id in wanted or f.slug == key), None)
    if match is None or not await data.store.remove_favorite(match.market_id):
        raise UserError(f"{key!r} is not a favorite")
    _note(f"removed from favorites: {match.question}")


async def _favorites_table(fmt: str, data: MarketData) -> str:
    favorites = await data.store.favorites()
    rows = []
    for favorite in favorites:
        market = await data.store.get_market(favorite.market_id)
        leading = market.leading if market else None
        rows.append({
            "market_id": favorite.market_id,
            "question": market.title if market else favorite.question,
            "slug": favorite.slug,
            "price": leading.price if leading else None,
            "price_cents": in_cents(leading.price if leading else None),
            "added_at": iso(favorite.added_at),
            "url": market.url if market else None,
        })
    if not rows and fmt == "table":
        return "No favorites yet: add one with `polydash favorites add MARKET` or press f."
    json_rows = [{k: v for k, v in row.items() if k != "price_cents"} for row in rows]
    return render(rows, FAVORITE_COLUMNS, fmt, json_rows=json_rows)
