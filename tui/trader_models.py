"""Who trades and holds a market, what they say, and how a wallet stands.

Plain frozen dataclasses shared by the Data API client, the store, the headless
commands and the panes. Text in them has passed `clean_text` once, where the payload
was parsed (tui/services/data_parse.py); numbers are the API's numbers, unrounded.
Wallet addresses are lowercase; token ids are decimal strings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

# A proxy wallet: what the Data API's `user=` takes (docs/data-api.md).
_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")
# Names the Data API shows as a name by default: "0x<checksummed address>-<ms timestamp>".
_DEFAULT_NAME = re.compile(r"0x[0-9a-fA-F]{40}-\d{10,16}")
NAME_MAX_LEN = 40


class AddressError(ValueError):
    """Text that is not a wallet address; its message is a sentence for the user."""


def normalize_address(text: str) -> str:
    """The lowercase address in `text` (spaces around it allowed), or AddressError."""
    candidate = text.strip()
    if _ADDRESS.fullmatch(candidate) is None:
        shown = candidate if len(candidate) <= 50 else candidate[:47] + "..."
        raise AddressError(
            f"{shown!r} is not a wallet address: one is 0x followed by 40 hex digits."
        )
    return candidate.lower()


def short_address(address: str) -> str:
    """0x1234…abcd: enough to tell wallets apart in a column."""
    return f"{address[:6]}…{address[-4:]}" if len(address) > 12 else address


def is_default_name(name: str) -> bool:
    return _DEFAULT_NAME.fullmatch(name) is not None


@dataclass(frozen=True, slots=True)
class Trader:
    """A wallet as the tape, the holders and comments show it."""

    wallet: str  # lowercase proxy wallet, "" when the API gave none
    name: str = ""  # the public name; "" when hidden, empty or the default 0x…-<ms> name
    pseudonym: str = ""

    @property
    def label(self) -> str:
        """Name, else pseudonym, else short address."""
        return self.name or self.pseudonym or short_address(self.wallet) or "?"


@dataclass(frozen=True, slots=True)
class Trade:
    time: datetime  # UTC
    side: str  # "BUY" or "SELL", from the trader's side
    outcome: str
    token_id: str
    price: float  # USD per share, [0, 1]
    size: float  # shares
    trader: Trader
    tx: str
    condition_id: str = ""
    title: str = ""
    slug: str = ""

    @property
    def usd(self) -> float:
        return self.price * self.size

    @property
    def key(self) -> tuple[str, str, str, str, float]:
        """What identifies a fill: the API gives trades no id."""
        return (self.tx, self.trader.wallet, self.token_id, self.side, self.size)


@dataclass(frozen=True, slots=True)
class Holder:
    outcome: str
    token_id: str
    trader: Trader
    amount: float  # shares held


@dataclass(frozen=True, slots=True)
class HolderGroup:
    """The top holders of one outcome token, largest first."""

    token_id: str
    outcome: str
    holders: tuple[Holder, ...]

    @property
    def total(self) -> float:
        return sum(h.amount for h in self.holders)


@dataclass(frozen=True, slots=True)
class Comment:
    id: str
    time: datetime | None  # UTC
    author: Trader
    body: str  # multi-line, cleaned
    likes: int
    parent_id: str | None = None  # a reply's parent comment


@dataclass(frozen=True, slots=True)
class Position:
    title: str
    slug: str
    event_slug: str
    outcome: str
    token_id: str
    condition_id: str
    size: float  # shares
    avg_price: float
    cur_price: float
    value: float  # size × current price, as the API gives it
    initial_value: float  # size × average price
    pnl: float  # value − initial value (unrealized), USD
    pnl_pct: float | None  # percent: 92.8 = +92.8 %
    end_date: str | None  # YYYY-MM-DD
    redeemable: bool = False

    def repriced(self, price: float) -> Position:
        """The position marked at a live price (the stream's), P&L recomputed."""
        value = self.size * price
        pnl = value - self.initial_value
        pct = pnl / self.initial_value * 100 if self.initial_value else None
        return replace(self, cur_price=price, value=value, pnl=pnl, pnl_pct=pct)


@dataclass(frozen=True, slots=True)
class Activity:
    time: datetime  # UTC
    type: str  # TRADE, REDEEM, SPLIT, MERGE, REWARD, CONVERSION, ...
    title: str
    slug: str
    outcome: str | None  # None where the API says 999 / "" (redeems, splits, merges)
    side: str | None  # BUY/SELL for trades, None otherwise
    price: float | None  # None where the row has no price (redeems send 0)
    size: float  # shares
    usd: float
    tx: str
    token_id: str = ""


@dataclass(frozen=True, slots=True)
class WalletReport:
    """One wallet's public standing, as fetched at `fetched_at`."""

    address: str
    value: float | None  # the API's marked value of open positions; None if unknown
    positions: tuple[Position, ...]
    activity: tuple[Activity, ...]
    fetched_at: datetime

    @property
    def positions_value(self) -> float:
        return sum(p.value for p in self.positions)

    @property
    def pnl(self) -> float:
        return sum(p.pnl for p in self.positions)

    @property
    def cost(self) -> float:
        return sum(p.initial_value for p in self.positions)

    def repriced(self, prices: Mapping[str, float]) -> WalletReport:
        """The report with each position whose token is in `prices` marked at it."""
        if not prices:
            return self
        positions = tuple(p.repriced(prices[p.token_id]) if p.token_id in prices else p
                          for p in self.positions)
        return replace(self, positions=positions)


@dataclass(frozen=True, slots=True)
class SavedWallet:
    address: str  # lowercase
    label: str
    added_at: datetime
