"""The numbers the market list reads off a `Market`: the leading outcome's price and
its 24h change, and a market with live prices applied."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from tui.models import Market, with_prices


def leading_price(market: Market) -> float | None:
    leading = market.leading
    return leading.price if leading else None


def leading_change(market: Market) -> float | None:
    """24h change of the leading outcome.

    Gamma's oneDayPriceChange is the change of outcome[0]; when the leading outcome is
    the other side of a two-outcome market its change is the opposite.
    """
    change = market.change_24h
    if change is None or not market.outcomes:
        return change
    leading = market.leading
    if leading is market.outcomes[0]:
        return change
    if len(market.outcomes) == 2:
        return -change
    return None


def apply_prices(market: Market, prices: Mapping[str, float]) -> Market:
    """`market` with new outcome prices; the 24h change moves with outcome[0]'s price."""
    updated = with_prices(market, prices)
    if updated is market:
        return market
    change = market.change_24h
    before, after = market.outcomes[0].price, updated.outcomes[0].price
    if change is not None and before is not None and after is not None:
        change = round(change + (after - before), 6)
    return replace(updated, change_24h=change)
