"""`polydash alerts list | add | remove | log`: the alerts of the local database.

    polydash alerts add MARKET --above 0.6          (or 60¢)
    polydash alerts add MARKET --below 0.3
    polydash alerts add MARKET --move 0.1 --window 1h
    polydash alerts add MARKET --ends-within 24h
    polydash alerts remove ID

The dashboard checks them against every price it sees; this command only manages them.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tui.cli.headless import UserError, _resolve
from tui.cli.output import Column, render
from tui.models import iso

if TYPE_CHECKING:
    from tui.config import Config
    from tui.models import Market
    from tui.services.alert_rules import AlertKind, AlertSpec
    from tui.services.alerts import AlertService
    from tui.services.market_data import MarketData

ALERT_COLUMNS = [Column("id", "Id"), Column("market", "Market"), Column("condition", "Alert"),
                 Column("state", "State"), Column("created_at", "Created (UTC)")]
# What happened before the market: a long question cut short must not hide the news.
LOG_COLUMNS = [Column("fired_at", "Fired (UTC)"), Column("alert_id", "Alert"),
               Column("detail", "What happened"), Column("market", "Market")]


def run_alerts(args: argparse.Namespace, config: Config, env: Mapping[str, str]) -> int:
    return asyncio.run(_run(args, config, env))


async def _run(args: argparse.Namespace, config: Config, env: Mapping[str, str]) -> int:
    from tui.cli.session import run_command

    return await run_command(args, config, env, _handle)


async def _handle(args: argparse.Namespace, data: MarketData) -> str:
    service = data.alerts
    if args.action == "add":
        await _add(args, data, service)
    elif args.action == "remove":
        await _remove(args.target, service)
    elif args.action == "log":
        return await _log_table(args.format, service)
    elif _kind_flag(args) is not None or args.target:
        raise UserError("`alerts list` takes no MARKET or condition; did you mean `alerts add`?")
    return await _alerts_table(args.format, service)


def _note(text: str) -> None:
    print(f"polydash: {text}", file=sys.stderr)


def _kind_flag(args: argparse.Namespace) -> AlertKind | None:
    flags: tuple[tuple[AlertKind, str | None], ...] = (
        ("above", args.above), ("below", args.below), ("move", args.move),
        ("ends", args.ends_within))
    return next((kind for kind, value in flags if value is not None), None)


async def _add(args: argparse.Namespace, data: MarketData, service: AlertService) -> None:
    if not args.target:
        raise UserError("alerts add needs a MARKET (slug, Gamma id or token id)")
    kind = _kind_flag(args)
    if kind is None:
        raise UserError("alerts add needs one of --above, --below, --move or --ends-within")
    market, token = await _resolve(args.target, data)
    spec = _spec(args, kind, market, token)
    problem = spec.problem() or _crossed(spec, market, token)
    if problem is not None:
        raise UserError(problem)
    alert = await service.add(spec)
    _note(f"added alert {alert.id}: {spec.market_text} {spec.describe()}")


def _crossed(spec: AlertSpec, market: Market | None, token: str) -> str | None:
    """As the form does: a level the price is already past would fire at once."""
    from tui.services.alert_rules import already_crossed

    outcome = next((o for o in market.outcomes if o.token_id == token), None) if market else None
    return already_crossed(spec.kind, spec.threshold, outcome.price if outcome else None)


def _spec(args: argparse.Namespace, kind: AlertKind, market: Market | None,
          token: str) -> AlertSpec:
    from tui.services.alert_rules import AlertSpec, parse_duration, parse_price, spec_for

    try:
        threshold = parse_price(args.above or args.below or args.move) \
            if kind != "ends" else None
        window = parse_duration(args.ends_within if kind == "ends" else args.window) \
            if kind in ("move", "ends") else None
    except ValueError as error:
        raise UserError(str(error)) from None
    if market is None:  # a bare token id nobody could name: watch the token itself
        return AlertSpec(market_id=token, kind=kind, token_id=token, threshold=threshold,
                         window_s=window, question=f"token {token[:12]}…")
    outcome = next((o for o in market.outcomes if o.token_id == token), None)
    return spec_for(market, kind, threshold=threshold, window_s=window, outcome=outcome)


async def _remove(target: str | None, service: AlertService) -> None:
    if not target or not target.strip().isdigit():
        raise UserError("alerts remove needs the alert id (see `polydash alerts list`)")
    alert_id = int(target)
    alerts = {a.id: a for a in await service.alerts()}
    if alert_id not in alerts or not await service.remove(alert_id):
        raise UserError(f"there is no alert {alert_id}")
    removed = alerts[alert_id]
    _note(f"removed alert {alert_id}: {removed.spec.market_text} {removed.describe()}")


async def _alerts_table(fmt: str, service: AlertService) -> str:
    alerts = await service.alerts()
    if not alerts and fmt == "table":
        return "No alerts yet: add one with `polydash alerts add MARKET --above 0.6` or press a."
    rows = [{"id": a.id, "market": a.spec.market_text, "condition": a.describe(),
             "state": "armed" if a.armed else "fired (re-arms when it crosses back)",
             "created_at": _minute(a.created_at)} for a in alerts]
    return render(rows, ALERT_COLUMNS, fmt, json_rows=[a.to_dict() for a in alerts])


async def _log_table(fmt: str, service: AlertService) -> str:
    """Every firing, newest first, also of alerts deleted since (the log is history)."""
    entries = await service.log()
    if not entries and fmt == "table":
        return "No alert has fired yet."
    alive = {a.id for a in await service.alerts()}
    rows = [{"fired_at": _minute(e.fired_at), "detail": e.detail, "market": e.market_text,
             "alert_id": _alert_label(e.alert_id, alive, fmt)} for e in entries]
    json_rows = [{"id": e.id, "alert_id": e.alert_id, "fired_at": iso(e.fired_at),
                  **{k: v for k, v in e.payload.items() if k != "fired_at"},
                  "alert_deleted": e.alert_id not in alive} for e in entries]
    return render(rows, LOG_COLUMNS, fmt, json_rows=json_rows)


def _alert_label(alert_id: int, alive: set[int], fmt: str) -> int | str:
    """The alert's id; a table also says when that alert has been deleted (CSV keeps
    the bare number, JSON says it in `alert_deleted`)."""
    return alert_id if fmt != "table" or alert_id in alive else f"{alert_id} (deleted)"


def _minute(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
