"""The one family of compact formats every screen uses: prices in cents, price changes,
dollar amounts, numbers of shares, lengths of time (ages, time left, alert windows) and
UTC timestamps.

Where two places show a value differently on purpose (the market list's narrow columns,
the order book's sub-cent ticks), that is a parameter here, not a second function.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

MINUS = "\u2212"  # a real minus sign: the same width as "+", read as a sign not a hyphen
NO_VALUE = "—"


# Beyond this a number is junk, not an amount: it would print hundreds of digits.
_LARGEST = 1e15


def _known(value: float | None) -> bool:
    """A number a formatter can show: not None, NaN, an infinity or absurdly large. Every
    formatter here answers "—" for the rest rather than raise or print 300 digits (prices
    are range-checked where they arrive; this is the last guard before the screen)."""
    return value is not None and math.isfinite(value) and abs(value) <= _LARGEST

# ---------------------------------------------------------------- prices and money

Precision = Literal["tenth", "whole", "tick"]


def fmt_price(price: float | None, precision: Precision = "tenth") -> str:
    """A probability price in cents; "—" when unknown.

    "tenth": "54.5¢" (detail pane, alerts).
    "whole": "62¢", keeping a decimal within a cent of 0 and 100 ("0.4¢", "99.6¢"), for
    the market list's narrow column.
    "tick": "54.5¢", or "0.25¢" for a price on a sub-tenth tick (the order book).
    """
    if price is None or not _known(price * 100):
        return NO_VALUE
    cents = price * 100 + 0.0  # + 0.0: -0.0 shows as "0.0¢"
    if precision == "whole" and not (0 < cents < 1 or 99 < cents < 100):
        return f"{round(cents):d}¢"
    finer = precision == "tick" and abs(cents * 10 - round(cents * 10)) >= 1e-6
    return f"{cents:.{2 if finer else 1}f}¢"


def fmt_change(delta: float | None, *, unit: str = "") -> tuple[str, int]:
    """A price change in points with an arrow and a sign, and its direction (-1, 0, 1).

    The sign and arrow carry the meaning without colour: "▲ +2.5", "▼ −1.0"; no change
    is "0.0" and an unknown change "—", everywhere (`unit` follows the number: "▲ +2.5¢").
    """
    if delta is None or not _known(delta * 100):
        return NO_VALUE, 0
    points = round(delta * 100, 1)
    if points > 0:
        return f"▲ +{points:.1f}{unit}", 1
    if points < 0:
        return f"▼ {MINUS}{-points:.1f}{unit}", -1
    return f"0.0{unit}", 0


def fmt_money(amount: float | None, *, narrow: bool = False) -> str:
    """Compact dollars; "—" when unknown.

    Default: one decimal once scaled: "$950", "$12.3K", "$1.2M", "$2.5B".
    narrow: at most three digits, for the market list's columns: "$12K", "$1.2M", and
    "$1M" rather than "$1000K".
    """
    if amount is None or not _known(amount):
        return NO_VALUE
    sign = "-" if amount < 0 else ""
    size = abs(amount)
    return f"{sign}${_narrow_amount(size) if narrow else _scaled_amount(size)}"


def fmt_shares(size: float | None, *, compact: bool = False) -> str:
    """A number of shares (order book sizes and depths), one rule at every size: two
    decimals and thousands separators, "43.54", "1,210.00", "16,069,385.26"; "—" when
    unknown. The decimal points of a right-aligned column line up, so a longer number is
    always a bigger one (a rule that dropped the decimals above 1,000 would draw "43.54"
    and "1,210" the same width).

    compact: at most six cells, for the trades tape and the wallet's narrow columns:
    "43.5", "950", "12.3K", "1.2M"."""
    if not _known(size):
        return NO_VALUE
    assert size is not None  # for mypy: _known checked it
    if compact:
        sign = "-" if size < 0 else ""
        return sign + (f"{abs(size):.1f}" if abs(size) < 100 else _scaled_amount(abs(size)))
    return f"{size + 0.0:,.2f}"  # + 0.0: -0.0 shows as "0.00"


def _scaled_amount(size: float) -> str:
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if size >= limit:
            return f"{size / limit:.1f}{suffix}"
    return f"{size:.0f}"


def _narrow_amount(size: float) -> str:
    if size < 999.5:
        return f"{size:.0f}"
    for limit, suffix in ((1e3, "K"), (1e6, "M")):
        text = _three_digits(size / limit)
        if float(text) < 999.5:  # else rounding reached the next scale: "1000K" is "1M"
            return text + suffix
    return _three_digits(size / 1e9) + "B"


def _three_digits(scaled: float) -> str:
    """ "1.2", "12", "950": one decimal below 10."""
    text = f"{scaled:.1f}" if scaled < 9.95 else f"{scaled:.0f}"
    return text.removesuffix(".0")


# ---------------------------------------------------------------- lengths of time

MINUTE = 60
HOUR = 3600
DAY = 86400
WEEK = 7 * DAY
_LONGEST_S = 1e11  # ~3,000 years: an infinite length shows as this rather than raise


@dataclass(frozen=True, slots=True)
class Unit:
    """One rung of a duration ladder: `suffix` counts `size` seconds.

    The rung is used from `start` seconds on (None: one whole unit). `then` adds the
    next rung's count when it is not zero: "2d 4h".
    """

    suffix: str
    size: int
    start: int | None = None
    then: bool = False

    @property
    def starts_at(self) -> int:
        return self.size if self.start is None else self.start


Units = tuple[Unit, ...]

# Largest rung first. "12s", "3m", "2h", "4d": the status bar's ages.
AGE_UNITS: Units = (Unit("d", DAY), Unit("h", HOUR), Unit("m", MINUTE), Unit("s", 1, start=0))
# "12s", "3m", "50h": the order book's snapshot age.
HOUR_UNITS: Units = AGE_UNITS[1:]
# "12s", "5m", "3h", "2d 4h", "3w", "2mo": spans in the detail pane's sentences.
LONG_UNITS: Units = (Unit("mo", 30 * DAY, start=60 * DAY), Unit("w", WEEK),
                     Unit("d", DAY, then=True), *HOUR_UNITS)
# "4m", "47h", "2d" (hours up to two days): a headline's age in a three-cell column.
HEADLINE_UNITS: Units = (Unit("d", DAY, start=2 * DAY), Unit("h", HOUR), Unit("m", MINUTE))
# "2y", "3d", "5h", "42m": the market list's time left.
TIME_LEFT_UNITS: Units = (Unit("y", 365 * DAY), Unit("d", DAY), Unit("h", HOUR),
                          Unit("m", MINUTE))
# "90m", "1w", "45s": alert windows (exact, so they read as they were typed).
WINDOW_UNITS: Units = (Unit("w", WEEK), *AGE_UNITS)


def fmt_duration(seconds: float, units: Units = AGE_UNITS, *, below: str = "",
                 exact: bool = False) -> str:
    """A length of time in the largest of `units` that fits, rounded down: "3h".

    Negative lengths count as 0; `below` is shown under the smallest unit ("now",
    "<1m"). exact: the largest unit that divides the length ("90m" rather than "1h").
    NaN counts as 0 and an infinite length as _LONGEST_S: never an error.
    """
    whole = int(max(0.0, min(seconds, _LONGEST_S))) if seconds == seconds else 0
    for index, unit in enumerate(units):
        if whole < unit.starts_at or (exact and whole % unit.size):
            continue
        text = f"{whole // unit.size}{unit.suffix}"
        if unit.then and index + 1 < len(units):
            finer = units[index + 1]
            rest = whole % unit.size // finer.size
            if rest:
                text += f" {rest}{finer.suffix}"
        return text
    return below


def fmt_window(seconds: float) -> str:
    """An alert window as it was typed: "90m", "1w", "45s"."""
    return fmt_duration(seconds, WINDOW_UNITS, exact=True)


def fmt_elapsed(moment: datetime | None, now: datetime, units: Units = AGE_UNITS, *,
                below: str = "", unknown: str = "") -> str:
    """How long before `now` `moment` was, for a cell: "4m"; `unknown` without a moment."""
    if moment is None:
        return unknown
    return fmt_duration((now - moment).total_seconds(), units, below=below)


def fmt_ago(moment: datetime | None, now: datetime, units: Units = LONG_UNITS, *,
            unknown: str = "at an unknown time") -> str:
    """The same in a sentence: "12s ago", "2d 4h ago"; `unknown` without a moment."""
    if moment is None:
        return unknown
    return f"{fmt_elapsed(moment, now, units)} ago"


def fmt_time_left(end: datetime | None, now: datetime) -> str:
    """Time until `end`: "2y", "3d", "5h", "42m", "<1m" or "ended"; "—" when unknown."""
    if end is None:
        return NO_VALUE
    seconds = (end - now).total_seconds()
    if seconds <= 0:
        return "ended"
    return fmt_duration(seconds, TIME_LEFT_UNITS, below="<1m")


def fmt_utc(moment: datetime) -> str:
    """ "2026-03-01 12:00 UTC", whatever zone `moment` is in."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
