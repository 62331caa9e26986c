"""Saved wallet rows for the Store (schema V4): the wallets the user follows, with labels.

A saved wallet is one `wallets` row keyed by its lowercase address; saving it again
changes only the label (its `added_at` stays). Rows are never removed except by an
explicit remove. Only Store calls these.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tui.store.codec import storable, unstamp
from tui.trader_models import SavedWallet

ALL = "SELECT address, label, added_at FROM wallets ORDER BY added_at, address"
ONE = "SELECT address, label, added_at FROM wallets WHERE address = ?"
DELETE = "DELETE FROM wallets WHERE address = ?"
UPSERT = """
INSERT INTO wallets (address, label, added_at) VALUES (?, ?, ?)
ON CONFLICT (address) DO UPDATE SET label = excluded.label
"""


def upsert_params(address: str, label: str, added_at: str) -> tuple[str, str, str]:
    return (storable(address.lower()), storable(label), added_at)


def wallet_of(row: Sequence[Any]) -> SavedWallet:
    return SavedWallet(row[0], row[1], unstamp(row[2]))
