"""`polydash trades | holders | comments MARKET`, `polydash wallet ADDRESS` and
`polydash wallets list|add|remove`: who trades and holds a market, what people say about
it, and how a wallet stands, without a screen.

Numbers are the API's numbers (JSON numbers, unrounded) in JSON and CSV; only the table
rounds. Trades, holders, comments and wallet reports are not saved locally, so under
--offline they exit 1 with a sentence; `wallets list` works offline (saved in SQLite).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from tui.cli.output import Column, in_cents, render, show_cents
from tui.cli.session import UserError
from tui.models import Market, iso
from tui.trader_models import (
    Activity,
    AddressError,
    Comment,
    Holder,
    HolderGroup,
    Position,
    SavedWallet,
    Trade,
    Trader,
    WalletReport,
    normalize_address,
)

if TYPE_CHECKING:
    from tui.config import Config
    from tui.services.market_data import MarketData

TABLE_NAME_MAX = 24
TABLE_BODY_MAX = 60


def _money(value: float) -> str:
    return f"{value:,.2f}"


def _shares(value: float) -> str:
    return f"{value:,.2f}"


def _share(value: float) -> str:
    return f"{value:.1f}%"


TRADE_COLUMNS = [Column("time", "Time (UTC)"), Column("side", "Side"),
                 Column("outcome", "Outcome"), Column("price_cents", "Price", show_cents),
                 Column("size", "Shares", _shares), Column("usd", "USD", _money),
                 Column("trader", "Trader")]
HOLDER_COLUMNS = [Column("outcome", "Outcome"), Column("trader", "Holder"),
                  Column("amount", "Shares", _shares), Column("share_pct", "Share", _share)]
POSITION_COLUMNS = [Column("title", "Market"), Column("outcome", "Outcome"),
                    Column("size", "Shares", _shares),
                    Column("avg_cents", "Avg", show_cents), Column("cur_cents", "Now", show_cents),
                    Column("value", "Value", _money), Column("pnl", "P&L", _money),
                    Column("end_date", "Ends")]
ACTIVITY_COLUMNS = [Column("time", "Time (UTC)"), Column("type", "Type"),
                    Column("title", "Market"), Column("outcome", "Outcome"),
                    Column("side", "Side"), Column("price_cents", "Price", show_cents),
                    Column("size", "Shares", _shares), Column("usd", "USD", _money)]
COMMENT_COLUMNS = [Column("time", "Time (UTC)"), Column("name", "Author"),
                   Column("likes", "Likes"), Column("body", "Comment")]
TRADE_KEYS = ("time", "side", "outcome", "price", "size", "usd", "wallet", "name", "tx")
HOLDER_KEYS = ("outcome", "token_id", "wallet", "name", "amount")
WALLET_COLUMNS = [Column("address", "Address"), Column("label", "Label"),
                  Column("added_at", "Added")]


def run_trader(args: argparse.Namespace, config: Config, env: Mapping[str, str]) -> int:
    return asyncio.run(_run(args, config, env))


async def _run(args: argparse.Namespace, config: Config, env: Mapping[str, str]) -> int:
    from tui.cli.session import run_command

    handler = {"trades": _trades, "holders": _holders, "comments": _comments,
               "wallet": _wallet, "wallets": _wallets}[args.command]
    return await run_command(args, config, env, handler)


def _note(text: str) -> None:
    print(f"polydash: {text}", file=sys.stderr)


def _needs_network(data: MarketData, what: str) -> None:
    """--offline: these answers are never saved, so there is nothing to show."""
    if data.offline:
        from tui.services.market_data import OfflineError

        raise OfflineError("offline", f"offline: {what} come from the network and are not "
                           "saved locally; run without --offline")
    if data.demo:
        _note("DEMO data, not real Polymarket activity")


async def _market(key: str, data: MarketData) -> Market:
    from tui.cli.headless import _resolve

    market, _ = await _resolve(key, data)
    if market is None:
        raise UserError(f"no market {key!r} (give a slug, a Gamma id or a token id)")
    return market


def shown_name(trader: Trader) -> str | None:
    """The name a person chose to show (name, else pseudonym); None without one."""
    return trader.name or trader.pseudonym or None


# ------------------------------------------------------------------ trades


async def _trades(args: argparse.Namespace, data: MarketData) -> str:
    _needs_network(data, "trades")
    market = await _market(args.market, data)
    trades = await data.trades(market, args.limit)
    _note(f"{market.title}: {len(trades)} latest trades")
    items = [trade_item(t) for t in trades]
    rows = [{**item, "price_cents": in_cents(t.price), "trader": _cut(t.trader.label)}
            for item, t in zip(items, trades, strict=True)]
    return _render(rows, items, TRADE_COLUMNS, TRADE_KEYS, args.format)


def trade_item(trade: Trade) -> dict[str, Any]:
    """The JSON item (and CSV row) of `polydash trades`."""
    return {"time": iso(trade.time), "side": trade.side, "outcome": trade.outcome,
            "price": trade.price, "size": trade.size, "usd": trade.usd,
            "wallet": trade.trader.wallet, "name": shown_name(trade.trader), "tx": trade.tx}


# ------------------------------------------------------------------ holders


async def _holders(args: argparse.Namespace, data: MarketData) -> str:
    _needs_network(data, "holders")
    market = await _market(args.market, data)
    groups = await data.holders(market)
    _note(f"{market.title}: top holders of {len(groups)} outcomes")
    items = [holder_item(g, h) for g in groups for h in g.holders]
    rows = []
    for group in groups:
        for holder in group.holders:
            share = holder.amount / group.total * 100 if group.total else None
            rows.append({**holder_item(group, holder), "trader": _cut(holder.trader.label),
                         "share_pct": share})
    return _render(rows, items, HOLDER_COLUMNS, HOLDER_KEYS, args.format)


def holder_item(group: HolderGroup, holder: Holder) -> dict[str, Any]:
    return {"outcome": group.outcome, "token_id": group.token_id,
            "wallet": holder.trader.wallet, "name": shown_name(holder.trader),
            "amount": holder.amount}


# ------------------------------------------------------------------ comments


async def _comments(args: argparse.Namespace, data: MarketData) -> str:
    _needs_network(data, "comments")
    market = await _market(args.market, data)
    comments = (await data.comments(market, args.limit))[: args.limit]
    _note(f"{market.event_title or market.title}: {len(comments)} latest comments")
    items = [comment_item(c) for c in comments]
    if args.format == "table":
        if not items:
            return "No comments yet."
        rows = [{**item, "name": _cut(c.author.label), "body": _one_line(c.body)}
                for item, c in zip(items, comments, strict=True)]
        return render(rows, COMMENT_COLUMNS, "table")
    return render(items, [Column(k, k) for k in ("time", "name", "body", "likes")], args.format)


def comment_item(comment: Comment) -> dict[str, Any]:
    return {"time": iso(comment.time), "name": shown_name(comment.author),
            "body": comment.body, "likes": comment.likes}


def _one_line(body: str) -> str:
    text = " / ".join(line for line in body.splitlines() if line.strip())
    return text if len(text) <= TABLE_BODY_MAX else text[: TABLE_BODY_MAX - 1] + "…"


# ------------------------------------------------------------------ one wallet


async def _wallet(args: argparse.Namespace, data: MarketData) -> str:
    address = _address(args.address)
    _needs_network(data, "wallet reports")
    from tui.services.data_api import AddressRejected

    try:
        report = await data.wallet(address)
    except AddressRejected as error:
        raise UserError(str(error)) from error
    item = wallet_item(report)
    if args.format == "json":
        return _json(item)
    if args.format == "csv":
        # One table per CSV file: the positions, which is what a spreadsheet sums.
        return render(item["positions"], [Column(k, k) for k in POSITION_KEYS], "csv")
    return _wallet_table(report, item)


POSITION_KEYS = ("title", "slug", "outcome", "token_id", "size", "avg_price", "cur_price",
                 "value", "pnl", "end_date")


def _json(item: Mapping[str, Any]) -> str:
    import json

    return json.dumps(item, ensure_ascii=False, indent=2)


def wallet_item(report: WalletReport) -> dict[str, Any]:
    """The one JSON object of `polydash wallet`."""
    return {"address": report.address, "value": report.value,
            "positions": [position_item(p) for p in report.positions],
            "activity": [activity_item(a) for a in report.activity]}


def position_item(position: Position) -> dict[str, Any]:
    return {"title": position.title, "slug": position.slug, "outcome": position.outcome,
            "token_id": position.token_id, "size": position.size,
            "avg_price": position.avg_price, "cur_price": position.cur_price,
            "value": position.value, "pnl": position.pnl, "end_date": position.end_date}


def activity_item(activity: Activity) -> dict[str, Any]:
    return {"time": iso(activity.time), "type": activity.type, "title": activity.title,
            "outcome": activity.outcome, "side": activity.side, "price": activity.price,
            "size": activity.size, "usd": activity.usd}


def _wallet_table(report: WalletReport, item: Mapping[str, Any]) -> str:
    value = "unknown" if report.value is None else f"${report.value:,.2f}"
    pnl = f"{'-' if report.pnl < 0 else '+'}${abs(report.pnl):,.2f}"
    lines = [f"Wallet {report.address}: value {value}, unrealized P&L {pnl} "
             f"on {len(report.positions)} positions", ""]
    if report.positions:
        rows = [{**p, "title": _cut(p["title"], 40), "avg_cents": in_cents(p["avg_price"]),
                 "cur_cents": in_cents(p["cur_price"])} for p in item["positions"]]
        lines += [render(rows, POSITION_COLUMNS, "table"), ""]
    else:
        lines += ["No open positions.", ""]
    if report.activity:
        rows = [{**a, "title": _cut(a["title"], 40), "price_cents": in_cents(a["price"])}
                for a in item["activity"]]
        lines.append(render(rows, ACTIVITY_COLUMNS, "table"))
    else:
        lines.append("No recent activity.")
    return "\n".join(lines)


# ------------------------------------------------------------------ saved wallets


async def _wallets(args: argparse.Namespace, data: MarketData) -> str:
    if args.action == "add":
        saved = await data.save_wallet(_address(_required(args)), args.label or "")
        _note(f"saved {saved.address}" + (f" as {saved.label!r}" if saved.label else ""))
    elif args.action == "remove":
        address = _address(_required(args))
        if not await data.remove_wallet(address):
            raise UserError(f"{address} is not a saved wallet")
        _note(f"removed {address}")
    elif args.address or args.label:
        raise UserError("wallets list takes no ADDRESS or --label (did you mean wallets add?)")
    wallets = await data.saved_wallets()
    if not wallets and args.format == "table":
        return "No saved wallets yet: add one with `polydash wallets add ADDRESS --label NAME`."
    return render([saved_item(w) for w in wallets], WALLET_COLUMNS, args.format)


def saved_item(wallet: SavedWallet) -> dict[str, Any]:
    added = wallet.added_at.replace(microsecond=0)  # a second is precise enough to read
    return {"address": wallet.address, "label": wallet.label, "added_at": iso(added)}


def _required(args: argparse.Namespace) -> str:
    if not args.address:
        raise UserError(f"wallets {args.action} needs an ADDRESS (0x and 40 hex digits)")
    return str(args.address)


def _address(text: str) -> str:
    try:
        return normalize_address(text)
    except AddressError as error:
        raise UserError(str(error)) from error


# ------------------------------------------------------------------ output


def _cut(text: str, most: int = TABLE_NAME_MAX) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def _render(rows: Sequence[Mapping[str, Any]], items: Sequence[Mapping[str, Any]],
            table_columns: Sequence[Column], keys: Sequence[str], fmt: str) -> str:
    """The table shows `rows` (rounded, names cut); JSON and CSV carry `items`."""
    if fmt == "table":
        return render(rows, table_columns, fmt) if rows else "Nothing yet."
    return render(items, [Column(k, k) for k in keys], fmt)
