"""SQLite persistence for polydash (aiosqlite; no textual or rich import)."""

from __future__ import annotations

from tui.store.alerts import AlertLogRow, AlertRow
from tui.store.schema import SCHEMA_VERSION
from tui.store.store import Favorite, Store, StoreDamaged, StoreError, StoreReadOnly

__all__ = ["SCHEMA_VERSION", "AlertLogRow", "AlertRow", "Favorite", "Store", "StoreDamaged",
           "StoreError", "StoreReadOnly"]
