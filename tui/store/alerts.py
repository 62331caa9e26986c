"""Alert rows for the Store: the alerts the alerts service keeps, and their firing log.

An alert is one `alerts` row whose `params` column holds the JSON the alerts service
keeps (kind-specific); `alert_log` holds one row per firing and outlives its alert: the
log is history, and its `payload` carries the market text and the sentence, so a row
reads the same once the alert is deleted. Alert ids are never reused (AUTOINCREMENT), so
a log row never seems to belong to a later alert. Only Store calls these, inside its own
transactions.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from tui.store.codec import json_text, stamp, storable, unstamp


@dataclass(frozen=True, slots=True)
class AlertRow:
    """An alert as stored; `params` is the JSON the alerts service keeps (kind-specific)."""

    id: int
    market_id: str
    kind: str
    params: dict[str, Any]
    created_at: datetime
    armed: bool


@dataclass(frozen=True, slots=True)
class AlertLogRow:
    id: int
    alert_id: int
    fired_at: datetime
    payload: dict[str, Any]


ALL = "SELECT id, market_id, kind, params, created_at, armed FROM alerts ORDER BY id"
DELETE = "DELETE FROM alerts WHERE id = ?"
SET_ARMED = "UPDATE alerts SET armed = ? WHERE id = ?"
SET_PARAMS = "UPDATE alerts SET params = ? WHERE id = ?"
_INSERT = """
INSERT INTO alerts (market_id, kind, params, created_at, armed) VALUES (?, ?, ?, ?, 1)
"""
_DISARM = "UPDATE alerts SET armed = 0 WHERE id = ?"
_LOG_FIRING = "INSERT INTO alert_log (alert_id, fired_at, payload) VALUES (?, ?, ?)"
_LOG = """
SELECT id, alert_id, fired_at, payload FROM alert_log
WHERE (? IS NULL OR alert_id = ?) ORDER BY fired_at DESC, id DESC LIMIT ?
"""


async def add(db: aiosqlite.Connection, market_id: str, kind: str, params: Mapping[str, Any],
              created_at: datetime) -> int:
    """Insert an armed alert; returns its id."""
    cursor = await db.execute(_INSERT, (storable(market_id), kind, json_text(params),
                                        stamp(created_at)))
    alert_id = int(cursor.lastrowid or 0)
    await cursor.close()
    return alert_id


async def record_fired(db: aiosqlite.Connection, alert_id: int, fired_at: datetime,
                       payload: Mapping[str, Any]) -> int:
    """Disarm the alert and log the firing; returns the log id. The firing is logged
    even when the alert was deleted meanwhile: the user has already seen it."""
    await (await db.execute(_DISARM, (int(alert_id),))).close()
    cursor = await db.execute(_LOG_FIRING, (int(alert_id), stamp(fired_at), json_text(payload)))
    log_id = int(cursor.lastrowid or 0)
    await cursor.close()
    return log_id


def log_query(limit: int, alert_id: int | None) -> tuple[str, tuple[Any, ...]]:
    """SQL and parameters for `Store.alert_log`."""
    key = None if alert_id is None else int(alert_id)
    return _LOG, (key, key, max(int(limit), 0))


def alert_of(row: Sequence[Any]) -> AlertRow:
    params = json.loads(row[3]) if row[3] else {}
    return AlertRow(int(row[0]), row[1], row[2], params if isinstance(params, dict) else {},
                    unstamp(row[4]), bool(row[5]))


def log_entry_of(row: Sequence[Any]) -> AlertLogRow:
    return AlertLogRow(row[0], row[1], unstamp(row[2]), json.loads(row[3]))
