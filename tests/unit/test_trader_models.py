"""Wallet totals and live repricing, as the wallet view and the CLI use them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tui.trader_models import Position, WalletReport


def position(token: str, *, size: float, avg: float, cur: float) -> Position:
    return Position("T", "t", "t", "Yes", token, "0xc", size=size, avg_price=avg,
                    cur_price=cur, value=size * cur, initial_value=size * avg,
                    pnl=size * (cur - avg), pnl_pct=(cur - avg) / avg * 100, end_date=None)


REPORT = WalletReport("0x" + "a" * 40, 150.0,
                      (position("1", size=100, avg=0.5, cur=0.6),
                       position("2", size=200, avg=0.25, cur=0.45)),
                      (), datetime(2026, 12, 1, tzinfo=UTC))


def test_repricing_marks_only_the_priced_tokens() -> None:
    marked = REPORT.repriced({"2": 0.2, "9": 0.9})
    first, second = marked.positions
    assert first == REPORT.positions[0]
    assert (second.cur_price, second.value, second.pnl) == pytest.approx((0.2, 40.0, -10.0))
    assert second.pnl_pct == pytest.approx(-20.0)
    assert marked.positions_value == pytest.approx(100.0) and marked.cost == pytest.approx(100.0)
    assert marked.pnl == pytest.approx(0.0)
    assert REPORT.positions_value == pytest.approx(150.0)  # the fetched report is unchanged


def test_no_prices_is_the_report_itself() -> None:
    assert REPORT.repriced({}) is REPORT
