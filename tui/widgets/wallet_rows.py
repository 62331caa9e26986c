"""How a wallet's positions, its activity and the saved wallets draw as rows.

Painters for the shared TraderList: one row of cells per item, data as plain strings
(never markup), P&L signed so that it reads without colour.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import UTC, datetime

from textual.message import Message

from tui.messages import (
    MarketWanted,
    WalletWanted,
)
from tui.trader_models import (
    Activity,
    Position,
    SavedWallet,
    short_address,
)
from tui.view.format import NO_VALUE, fmt_money, fmt_price, fmt_shares
from tui.widgets.trader_list import Cell, Line, Painter, fit
from tui.widgets.trader_panes import trade_time


def signed_money(amount: float | None) -> str:
    """ "+$20", "−$1.2K": a P&L reads without colour."""
    if amount is None:
        return NO_VALUE
    sign = "+" if amount > 0 else "\u2212" if amount < 0 else ""
    return sign + fmt_money(abs(amount))


def signed_percent(value: float | None) -> str:
    if value is None:
        return NO_VALUE
    sign = "+" if value > 0 else "\u2212" if value < 0 else ""
    return f"{sign}{abs(value):.1f}%"


def direction(value: float | None) -> str:
    return "up" if value and value > 0 else "down" if value and value < 0 else "muted"



class PositionsPainter(Painter[Position]):
    """Numbers first, the (untrusted, any length) outcome and market last."""

    heading = True
    noun = "open positions"
    FIXED = 7 + 1 + 6 + 1 + 6 + 1 + 8 + 1 + 8 + 1 + 7 + 1

    def key(self, item: Position) -> Hashable:
        return item.token_id or (item.condition_id, item.outcome)

    @staticmethod
    def _outcome_width(width: int) -> int:
        return max(0, min(10, (width - PositionsPainter.FIXED) // 3))

    def heading_cells(self, width: int) -> list[Cell]:
        outcome = self._outcome_width(width)
        fixed = " ".join(fit(name, size, "right") for name, size in (
            ("Shares", 7), ("Avg", 6), ("Now", 6), ("Value", 8), ("P&L", 8), ("P&L %", 7)))
        return [(fixed + " ", "heading"), (fit("Outcome", outcome) + " ", "heading"),
                (fit("Market", max(0, width - self.FIXED - outcome - 1)), "heading")]

    def cells(self, item: Position, line: Line, width: int, now: datetime) -> list[Cell]:
        outcome = self._outcome_width(width)
        trend = direction(item.pnl)
        return [
            (fit(fmt_shares(item.size, compact=True), 7, "right") + " ", ""),
            (fit(fmt_price(item.avg_price), 6, "right") + " ", "muted"),
            (fit(fmt_price(item.cur_price), 6, "right") + " ", "bold"),
            (fit(fmt_money(item.value), 8, "right") + " ", ""),
            (fit(signed_money(item.pnl), 8, "right") + " ", trend),
            (fit(signed_percent(item.pnl_pct), 7, "right") + " ", trend),
            (fit(item.outcome or NO_VALUE, outcome) + " ", "accent"),
            (fit(item.title, max(0, width - self.FIXED - outcome - 1)), ""),
        ]

    def request(self, item: Position) -> Message | None:
        """Enter: the position's market in the dashboard."""
        return MarketWanted(item.token_id, item.condition_id, item.title)


class ActivityPainter(Painter[Activity]):
    """A trade, redeem, split or merge; the outcome of a row without one is "—"."""

    heading = True
    noun = "recent activity"
    FIXED = 8 + 1 + 7 + 1 + 4 + 1 + 6 + 1 + 6 + 1 + 8 + 1

    def key(self, item: Activity) -> Hashable:
        return item.tx, item.type, item.token_id, item.size, item.time

    @staticmethod
    def _outcome_width(width: int) -> int:
        return max(0, min(8, (width - ActivityPainter.FIXED) // 3))

    def heading_cells(self, width: int) -> list[Cell]:
        outcome = self._outcome_width(width)
        fixed = (fit("Time", 8) + " " + fit("Type", 7) + " " + fit("Side", 4) + " "
                 + fit("Price", 6, "right") + " " + fit("Shares", 6, "right") + " "
                 + fit("USD", 8, "right") + " ")
        return [(fixed, "heading"), (fit("Outcome", outcome) + " ", "heading"),
                (fit("Market", max(0, width - self.FIXED - outcome - 1)), "heading")]

    def cells(self, item: Activity, line: Line, width: int, now: datetime) -> list[Cell]:
        outcome = self._outcome_width(width)
        side_role = "up" if item.side == "BUY" else "down" if item.side == "SELL" else ""
        return [
            (trade_time(item.time, now) + " ", "muted"),
            (fit(item.type.title(), 7) + " ", "bold"),
            (fit(item.side or "", 4) + " ", side_role),
            (fit(fmt_price(item.price), 6, "right") + " ", ""),
            (fit(fmt_shares(item.size, compact=True), 6, "right") + " ", ""),
            (fit(fmt_money(item.usd), 8, "right") + " ", ""),
            (fit(item.outcome or NO_VALUE, outcome) + " ", "accent"),
            (fit(item.title, max(0, width - self.FIXED - outcome - 1)), ""),
        ]


class SavedPainter(Painter[SavedWallet]):
    heading = True
    noun = "saved wallets"

    def key(self, item: SavedWallet) -> Hashable:
        return item.address

    def heading_cells(self, width: int) -> list[Cell]:
        return [(fit("Label", 24) + " ", "heading"), (fit("Address", 43) + " ", "heading"),
                (fit("Saved", max(0, width - 69)), "heading")]

    def cells(self, item: SavedWallet, line: Line, width: int, now: datetime) -> list[Cell]:
        address = item.address if width >= 69 else short_address(item.address)
        return [(fit(item.label or "(no label)", 24) + " ", "accent" if item.label else "muted"),
                (fit(address, 43 if width >= 69 else 13) + " ", ""),
                (fit(item.added_at.astimezone(UTC).strftime("%Y-%m-%d"),
                     max(0, width - (69 if width >= 69 else 39))), "muted")]

    def request(self, item: SavedWallet) -> Message | None:
        return WalletWanted(item.address, item.label)


