"""What an alert is, before the service watches it: its kinds, the spec the user asks
for (checked, described, stored as params), and the form's and the CLI's parsing and
suggestions. No textual or rich import here; the watching is tui.services.alerts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, cast

from tui.models import Market, Outcome, iso, parse_time
from tui.view.format import fmt_price, fmt_window

AlertKind = Literal["above", "below", "move", "ends"]
KINDS: tuple[AlertKind, ...] = ("above", "below", "move", "ends")
PRICE_KINDS = frozenset({"above", "below", "move"})
KIND_LABELS: dict[AlertKind, str] = {
    "above": "Price crosses above",
    "below": "Price crosses below",
    "move": "Price moves by",
    "ends": "Market ends within",
}
EPSILON = 1e-9
MAX_WINDOW_S = 30 * 86400
# The form's suggested above/below level sits this far from the price: an alert that
# fired the moment it was made would tell the user nothing.
DEFAULT_DISTANCE = 0.05

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hr|d|day|days|w|wk|week|weeks)?\s*$",
                       re.IGNORECASE)
_UNIT_S = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600, "d": 86400,
           "day": 86400, "days": 86400, "w": 604800, "wk": 604800, "week": 604800,
           "weeks": 604800}


# ---------------------------------------------------------------- parsing and wording


def parse_price(text: str) -> float:
    """"0.6", "60c", "60¢" -> 0.6. A bare number above 1 is refused (0.6 or 60¢?)."""
    raw = text.strip().lower()
    in_cents = raw.endswith(("¢", "c"))
    number = raw.rstrip("¢c").strip()
    try:
        value = float(number)
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a price: write 0.6 or 60¢") from None
    if in_cents:
        value /= 100
    if not 0.0 < value < 1.0 or value != value:
        raise ValueError(f"{text.strip()!r} is not a price between 0 and 1 (0.6 = 60¢)")
    return round(value, 6)


def parse_duration(text: str) -> int:
    """"90s", "30m", "1h", "24h", "2d", "1w" (a bare number is hours) -> seconds."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"{text.strip()!r} is not a duration: write 30m, 1h, 24h or 2d")
    seconds = float(match.group(1)) * _UNIT_S[(match.group(2) or "h").lower()]
    if seconds < 1 or seconds > MAX_WINDOW_S:
        raise ValueError(f"{text.strip()!r} must be between 1 s and 30 days")
    return int(seconds)


def default_level(kind: AlertKind, price: float | None) -> float | None:
    """A crosses above/below level 5¢ from `price` on the side the alert waits for,
    rounded to the cent and kept within 1¢..99¢; None for other kinds or no price."""
    if price is None or kind not in ("above", "below"):
        return None
    level = price + DEFAULT_DISTANCE if kind == "above" else price - DEFAULT_DISTANCE
    return min(max(round(level, 2), 0.01), 0.99)


def already_crossed(kind: AlertKind, threshold: float | None,
                    price: float | None) -> str | None:
    """Why an above/below alert at `threshold` would fire on the first price it sees
    (`price` is already on the far side), as a sentence; None when it would wait."""
    if threshold is None or price is None or kind not in ("above", "below"):
        return None
    above = kind == "above"
    if (price < threshold - EPSILON) if above else (price > threshold + EPSILON):
        return None
    side = "above" if above else "below"
    return (f"the price is already {fmt_price(price)}, at or {side} {fmt_price(threshold)}, "
            f"so this alert would fire at once: pick a level {side} {fmt_price(price)}")


# ---------------------------------------------------------------- the spec


@dataclass(frozen=True, slots=True)
class AlertSpec:
    """What the user asked for; `threshold` is a price (above/below) or a price
    difference (move); `window_s` is the move window or how long before the end."""

    market_id: str
    kind: AlertKind
    token_id: str = ""
    threshold: float | None = None
    window_s: int | None = None
    question: str = ""
    outcome: str = ""
    end_date: datetime | None = None
    url: str = ""

    def problem(self) -> str | None:
        """Why this spec cannot be an alert, as a sentence; None when it is fine."""
        if self.kind not in KINDS:
            return f"unknown alert kind {self.kind!r}"
        if not self.market_id:
            return "an alert needs a market"
        if self.kind in PRICE_KINDS and not self.token_id:
            return "this market has no tradable outcome to watch"
        if self.kind in ("above", "below") and not _between(self.threshold, 0.0, 1.0):
            return "the price must be between 0 and 1 (0.6 = 60¢)"
        if self.kind == "move" and not _between(self.threshold, 0.0, 1.0):
            return "the move must be between 0 and 1 (0.1 = 10 points)"
        if self.kind in ("move", "ends") and not (self.window_s and self.window_s > 0):
            return "a window or a time before the end is needed (1h, 24h...)"
        if self.kind == "ends" and self.end_date is None:
            return "this market has no end date to watch"
        return None

    @property
    def market_text(self) -> str:
        if self.outcome and self.outcome.lower() != "yes":
            return f"{self.question} — {self.outcome}"
        return self.question

    def describe(self) -> str:
        """ "crosses above 60.0¢", "moves 10.0¢ within 1h", "ends within 1d"."""
        if self.kind == "above":
            return f"crosses above {fmt_price(self.threshold)}"
        if self.kind == "below":
            return f"crosses below {fmt_price(self.threshold)}"
        if self.kind == "move":
            return f"moves {fmt_price(self.threshold)} within {fmt_window(self.window_s or 0)}"
        return f"ends within {fmt_window(self.window_s or 0)}"

    def params(self) -> dict[str, Any]:
        return {"token_id": self.token_id, "threshold": self.threshold,
                "window_s": self.window_s, "question": self.question, "outcome": self.outcome,
                "end_date": iso(self.end_date), "url": self.url}

    @classmethod
    def from_row(cls, market_id: str, kind: str, params: Mapping[str, Any]) -> AlertSpec:
        threshold, window = params.get("threshold"), params.get("window_s")
        return cls(
            market_id=market_id, kind=cast(AlertKind, kind),
            token_id=str(params.get("token_id") or ""),
            threshold=float(threshold) if isinstance(threshold, int | float) else None,
            window_s=int(window) if isinstance(window, int | float) else None,
            question=str(params.get("question") or ""), outcome=str(params.get("outcome") or ""),
            end_date=parse_time(params.get("end_date")), url=str(params.get("url") or ""),
        )


def _between(value: float | None, low: float, high: float) -> bool:
    return value is not None and low < value < high


def spec_for(market: Market, kind: AlertKind, *, threshold: float | None = None,
             window_s: int | None = None, outcome: Outcome | None = None) -> AlertSpec:
    """An AlertSpec on `market`'s leading outcome (or `outcome`)."""
    chosen = outcome or market.leading
    return AlertSpec(
        market_id=market.id, kind=kind, token_id=chosen.token_id if chosen else "",
        threshold=threshold, window_s=window_s, question=market.title,
        outcome=chosen.name if chosen else "", end_date=market.end_date, url=market.url,
    )
