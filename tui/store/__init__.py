"""SQLite persistence for polydash (aiosqlite; no textual or rich import)."""

from __future__ import annotations

from tui.store.schema import SCHEMA_VERSION
from tui.store.store import Favorite, Store, StoreError, View

__all__ = ["SCHEMA_VERSION", "Favorite", "Store", "StoreError", "View"]
