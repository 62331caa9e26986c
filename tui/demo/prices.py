"""Demo prices: a pure function of (market, minute), and what the CLOB derives from them.

Smooth multi-scale noise in logit space, so a dashboard left open visibly ticks, and the
Gamma list, CLOB midpoints, books and histories agree with each other: a history always
ends at the current price. Prices are in ticks (1/1000 or 1/100 of a dollar).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from tui.demo.catalogue import DemoEvent, DemoMarket
from tui.demo.noise import knot, noise, sigmoid, stable_hash

HISTORY_MAX_POINTS = 1500
# interval -> (window in minutes or None for "since creation", default fidelity)
HISTORY_INTERVALS: Mapping[str, tuple[int | None, int]] = {
    "1h": (60, 1), "6h": (360, 10), "1d": (1440, 60), "1w": (10080, 360),
    "1m": (43200, 1440), "max": (None, 1440), "all": (None, 1440),
}
_MEMO_MAX = 400_000
_BOOK_DEPTH = 12

Levels = list[dict[str, str]]


def minute_of(moment: datetime) -> int:
    return int(moment.timestamp()) // 60


def quantize(p: float, scale: int) -> int:
    """Price in ticks, kept two ticks off 0 and 1 so a book has room on both sides."""
    return min(scale - 2, max(2, round(p * scale)))


def price_text(ticks: int, scale: int) -> str:
    """`0.245`, `0.5`, `0.07`: the CLOB's price strings."""
    digits = 3 if scale == 1000 else 2
    text = f"{ticks / scale:.{digits}f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def price_num(ticks: int, scale: int) -> float:
    return round(ticks / scale, 3 if scale == 1000 else 2)


class PriceModel:
    """Yes prices in ticks as a pure function of (market, minute), memoised, and the
    spreads, last trades, books and histories derived from them."""

    def __init__(self) -> None:
        self._memo: dict[tuple[int, int], int] = {}

    def yes(self, market: DemoMarket, minute: int) -> int:
        key = (market.index, minute)
        hit = self._memo.get(key)
        if hit is not None:
            return hit
        if len(self._memo) > _MEMO_MAX:
            self._memo.clear()
        if market.kind == "exclusive":
            self._fill_group(market.event, minute)
            return self._memo[key]
        if market.kind == "settled":
            p = sigmoid(market.center)
        elif market.kind == "ladder":
            p = sigmoid(market.center + market.vol * 1.6 * noise(market.event.key, minute))
        else:
            p = sigmoid(market.center + market.vol * noise(market.key, minute))
        ticks = quantize(p, market.scale)
        self._memo[key] = ticks
        return ticks

    def _fill_group(self, event: DemoEvent, minute: int) -> None:
        """The shares of a mutually exclusive group, normalised to sum to one."""
        raw = [math.exp(m.center + m.vol * noise(m.key, minute)) for m in event.markets]
        total = sum(raw)
        for market, value in zip(event.markets, raw, strict=True):
            self._memo[(market.index, minute)] = quantize(value / total, market.scale)

    def outcome(self, market: DemoMarket, outcome: int, minute: int) -> int:
        yes = self.yes(market, minute)
        return yes if outcome == 0 else market.scale - yes

    def midpoint(self, market: DemoMarket, outcome: int, minute: int) -> str:
        return price_text(self.outcome(market, outcome, minute), market.scale)

    def half_spread(self, market: DemoMarket, minute: int) -> int:
        yes = self.yes(market, minute)
        room = min(yes - 1, market.scale - 1 - yes)
        return max(1, min(room, 1 + knot(market.key ^ 7, minute // 5) % 3))

    def last_trade(self, market: DemoMarket, minute: int) -> int:
        yes = self.yes(market, minute)
        half = self.half_spread(market, minute)
        jitter = knot(market.key ^ 11, minute) % (2 * half + 1) - half
        return yes + jitter

    def change(self, market: DemoMarket, minute: int, span: int) -> float | None:
        """The Yes price change over `span` minutes; None before the market existed."""
        if minute - span < market.created_minute:
            return None
        now = self.yes(market, minute)
        before = self.yes(market, minute - span)
        return round((now - before) / market.scale, 4) or None

    # -- order books

    def levels(self, market: DemoMarket, outcome: int, minute: int) -> tuple[Levels, Levels]:
        """Bids ascending and asks descending: the best of each side is the LAST element."""
        yes = self.yes(market, minute)
        half = self.half_spread(market, minute)
        scale = market.scale
        yes_bids = _side(market, minute, yes - half, -1, 1)
        yes_asks = _side(market, minute, yes + half, 1, 2)
        if outcome == 0:
            bids, asks = yes_bids, yes_asks
        else:  # the No book mirrors the Yes book
            bids = [(scale - p, s) for p, s in yes_asks]
            asks = [(scale - p, s) for p, s in yes_bids]
        bids.sort(key=lambda level: level[0])
        asks.sort(key=lambda level: -level[0])
        return ([{"price": price_text(p, scale), "size": s} for p, s in bids],
                [{"price": price_text(p, scale), "size": s} for p, s in asks])

    def book(self, market: DemoMarket, outcome: int, minute: int,
             timestamp_ms: int) -> dict[str, Any]:
        """The CLOB `/book` object of one outcome token, hashed as the CLOB does."""
        bids, asks = self.levels(market, outcome, minute)
        last = self.last_trade(market, minute)
        book: dict[str, Any] = {
            "market": market.condition_id, "asset_id": market.tokens[outcome],
            "timestamp": str(timestamp_ms), "hash": "",
            "bids": bids, "asks": asks, "min_order_size": "5",
            "tick_size": price_text(1, market.scale), "neg_risk": bool(market.event.neg_risk_id),
            "last_trade_price": price_text(last, market.scale),
        }
        digest = json.dumps(book, separators=(",", ":")).encode()
        book["hash"] = hashlib.sha1(digest, usedforsecurity=False).hexdigest()
        return book

    # -- price history

    def history(self, market: DemoMarket, outcome: int, window: int | None, fidelity: int,
                now_s: int) -> list[dict[str, Any]]:
        """`{"t", "p"}` points every `fidelity` minutes over the last `window` minutes
        (None: since the market was created), aligned on `now_s` so that the last point
        is "now", at the current price."""
        created_s = market.created_minute * 60
        start_s = created_s if window is None else max(now_s - window * 60, created_s)
        if now_s < start_s:
            return []
        step = fidelity * 60
        start_s = now_s - ((now_s - start_s) // step) * step
        count = min(HISTORY_MAX_POINTS, (now_s - start_s) // step + 1)
        points = []
        for k in range(count - 1, -1, -1):
            t = now_s - k * step
            ticks = self.outcome(market, outcome, t // 60)
            points.append({"t": t, "p": price_num(ticks, market.scale)})
        return points


def _side(market: DemoMarket, minute: int, best: int, step: int,
          salt: int) -> list[tuple[int, str]]:
    """One side of a Yes book from its best price outwards: (ticks, size text) levels."""
    levels: list[tuple[int, str]] = []
    price = best
    for level in range(_BOOK_DEPTH):
        if not 1 <= price <= market.scale - 1:
            break
        h = stable_hash(market.key, salt, minute // 3, level)
        size = (10 ** (1.3 + (h % 10_000) / 10_000 * 3.4)) * (1 + level * 0.4)
        levels.append((price, f"{size:.2f}".rstrip("0").rstrip(".")))
        price += step * (1 + (h >> 20) % 3)
    return levels
