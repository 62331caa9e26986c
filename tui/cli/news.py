"""`polydash news [--market MARKET] [--limit N] [--format table|json]`.

Asks the enabled news sources, keeps what matches the market (or, without --market, the
favorites' topics and general market news), saves it, and prints it newest first
together with what was saved before. --offline prints the saved headlines only.
Exit 1 with a sentence when no source could answer (saying whether saved news exists).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tui.cli.output import Column, age_sentence, render
from tui.models import Headline, Market, iso

if TYPE_CHECKING:
    from tui.config import Config
    from tui.services.market_data import MarketData

EXIT_OK, EXIT_API, EXIT_USAGE = 0, 1, 2
NEWS_COLUMNS = [Column("age", "Age"), Column("publisher", "Publisher"),
                Column("title", "Headline"), Column("provider", "Source"),
                Column("score", "Score")]
STORED_LIMIT = 200


def run_news(args: argparse.Namespace, config: Config, env: Mapping[str, str]) -> int:
    return asyncio.run(_run(args, config, env))


async def _run(args: argparse.Namespace, config: Config, env: Mapping[str, str]) -> int:
    from tui.cli.headless import UserError
    from tui.cli.session import open_data
    from tui.services.errors import ApiError

    async with open_data(args, config, env) as data:
        market: Market | None = None
        try:
            market = await _market(args.market, data) if args.market else None
            headlines = await _headlines(market, data)
        except UserError as error:
            print(f"polydash: {error}", file=sys.stderr)
            return EXIT_USAGE
        except ApiError as error:
            hint = "" if data.offline else f"; {await _stored_hint(market, data)}"
            print(f"polydash: {error}{hint}", file=sys.stderr)
            return EXIT_API
    shown = headlines[: args.limit]
    print(_render(shown, args.format, datetime.now(UTC)))
    return EXIT_OK


async def _market(key: str, data: MarketData) -> Market:
    from tui.cli.headless import UserError, _resolve

    market, _ = await _resolve(key, data)
    if market is None:
        raise UserError(f"no market {key!r} (give a slug, a Gamma id or a token id)")
    return market


async def _headlines(market: Market | None, data: MarketData) -> list[Headline]:
    market_id = market.id if market is not None else None
    if data.offline:
        stored = await data.stored_news(market_id, STORED_LIMIT)
        if not stored:
            from tui.services.market_data import OfflineError

            raise OfflineError("offline", f"offline: there are no saved headlines {_for(market)}"
                               " yet (run `polydash news` once with a network connection)")
        _note(f"offline: {len(stored)} saved headlines {_for(market)}, newest "
              f"{age_sentence(stored[0].when)}")
        return stored
    if data.demo:
        _note("DEMO headlines, not real news")
    favorites = [] if market is not None else await _favorites(data)
    fresh = await data.news_for(market, favorites)
    for status in data.news_statuses():
        if status.failing:
            _note(status.text)
    stored = await data.stored_news(market_id, STORED_LIMIT)
    return newest_first(_union(fresh, stored))


async def _favorites(data: MarketData) -> list[Market]:
    markets = []
    for favorite in await data.store.favorites():
        market = await data.store.get_market(favorite.market_id)
        markets.append(market or Market(id=favorite.market_id, slug=favorite.slug,
                                        question=favorite.question))
    return markets


def _union(first: Sequence[Headline], second: Sequence[Headline]) -> list[Headline]:
    seen = {h.url for h in first}
    return [*first, *(h for h in second if h.url not in seen)]


def newest_first(headlines: Sequence[Headline]) -> list[Headline]:
    oldest = datetime.min.replace(tzinfo=UTC)
    return sorted(headlines, key=lambda h: (h.when or oldest, h.score), reverse=True)


async def _stored_hint(market: Market | None, data: MarketData) -> str:
    stored = await data.stored_news(market.id if market else None, STORED_LIMIT)
    if not stored:
        return f"there are no saved headlines {_for(market)} yet."
    return (f"{len(stored)} saved headlines {_for(market)}, newest "
            f"{age_sentence(stored[0].when)} (use --offline to see them).")


def _for(market: Market | None) -> str:
    return "for this market" if market is not None else "for your favorites or general news"


def _note(text: str) -> None:
    print(f"polydash: {text}", file=sys.stderr)


# ------------------------------------------------------------------ output


def headline_to_dict(headline: Headline) -> dict[str, Any]:
    """The JSON item of `polydash news --format json`."""
    return {
        "title": headline.title,
        "url": headline.url,
        "publisher": headline.publisher,
        "published_at": iso(headline.published_at),
        "provider": headline.provider,
        "market_id": headline.market_id,
        "score": headline.score,
        "summary": headline.summary,
        "first_seen": iso(headline.first_seen),
        "read": headline.read,
    }


def _render(headlines: Sequence[Headline], fmt: str, now: datetime) -> str:
    if not headlines and fmt == "table":
        return "No matching headlines right now."
    from tui.view.format import HEADLINE_UNITS, fmt_elapsed

    rows = [{"age": fmt_elapsed(h.when, now, HEADLINE_UNITS, below="now"),
             "publisher": h.publisher[:24], "title": h.title,
             "provider": h.provider, "score": h.score} for h in headlines]
    return render(rows, NEWS_COLUMNS, fmt, json_rows=[headline_to_dict(h) for h in headlines])
