"""tui.view.format: every compact format, table-driven, with the settings each screen uses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from tui.view.format import (
    AGE_UNITS,
    HEADLINE_UNITS,
    HOUR_UNITS,
    LONG_UNITS,
    MINUS,
    TIME_LEFT_UNITS,
    WINDOW_UNITS,
    Precision,
    Units,
    fmt_ago,
    fmt_change,
    fmt_duration,
    fmt_elapsed,
    fmt_money,
    fmt_price,
    fmt_shares,
    fmt_time_left,
    fmt_utc,
    fmt_window,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
MINUTE, HOUR, DAY = 60, 3600, 86400


# ---------------------------------------------------------------- prices and money


@pytest.mark.parametrize(("price", "precision", "text"), [
    # "tenth": the detail pane and alerts
    (0.545, "tenth", "54.5¢"), (0.62, "tenth", "62.0¢"), (1.0, "tenth", "100.0¢"),
    (0.0, "tenth", "0.0¢"), (None, "tenth", "—"),
    # "whole": the market list's narrow column keeps a decimal near 0 and 100
    (0.62, "whole", "62¢"), (0.625, "whole", "62¢"), (0.004, "whole", "0.4¢"),
    (0.996, "whole", "99.6¢"), (1.0, "whole", "100¢"), (0.0, "whole", "0¢"),
    (0.01, "whole", "1¢"), (0.99, "whole", "99¢"), (None, "whole", "—"),
    # "tick": the order book shows sub-tenth ticks
    (0.545, "tick", "54.5¢"), (0.311, "tick", "31.1¢"), (0.0025, "tick", "0.25¢"),
    (0.99, "tick", "99.0¢"), (None, "tick", "—"),
])
def test_fmt_price(price: float | None, precision: Precision, text: str) -> None:
    assert fmt_price(price, precision) == text


@pytest.mark.parametrize(("change", "unit", "expected"), [
    (0.025, "", ("▲ +2.5", 1)), (-0.01, "", (f"▼ {MINUS}1.0", -1)),
    (-0.1234, "", (f"▼ {MINUS}12.3", -1)),
    # no change is a plain zero, an unknown change a dash: the list, the detail, alike
    (0.0, "", ("0.0", 0)), (0.0004, "", ("0.0", 0)), (-0.0004, "", ("0.0", 0)),
    (None, "", ("—", 0)),
    # the detail pane: a unit after the number
    (0.025, "¢", ("▲ +2.5¢", 1)), (-0.04, "¢", (f"▼ {MINUS}4.0¢", -1)),
    (0.0004, "¢", ("0.0¢", 0)), (None, "¢", ("—", 0)),
])
def test_fmt_change_carries_sign_and_arrow(change: float | None, unit: str,
                                           expected: tuple[str, int]) -> None:
    assert fmt_change(change, unit=unit) == expected


@pytest.mark.parametrize(("amount", "text"), [
    (None, "—"), (0, "$0"), (950, "$950"), (12_345, "$12.3K"), (1_234_567, "$1.2M"),
    (2_500_000_000, "$2.5B"), (-12_345, "-$12.3K"),
])
def test_fmt_money_keeps_one_decimal(amount: float | None, text: str) -> None:
    assert fmt_money(amount) == text


@pytest.mark.parametrize(("amount", "text"), [
    (0, "$0"), (950, "$950"), (999.4, "$999"), (999.7, "$1K"), (1_000, "$1K"),
    (12_345, "$12K"), (1_234_567, "$1.2M"), (999_999, "$1M"), (3_400_000_000, "$3.4B"),
    (15_000_000, "$15M"), (None, "—"), (-12_345, "-$12K"),
])
def test_fmt_money_narrow_fits_the_list_columns(amount: float | None, text: str) -> None:
    assert fmt_money(amount, narrow=True) == text


@pytest.mark.parametrize(("size", "text"), [
    # one rule at every size: two decimals, thousands separators (the order book)
    (43.54, "43.54"), (5, "5.00"), (9.375, "9.38"), (100.09, "100.09"),
    (1_210, "1,210.00"), (3_687.87, "3,687.87"), (999.996, "1,000.00"),
    (16_069_385.26, "16,069,385.26"), (0, "0.00"), (None, "—"),
])
def test_fmt_shares_has_one_rule(size: float | None, text: str) -> None:
    assert fmt_shares(size) == text


def test_fmt_shares_lines_up_decimal_points() -> None:
    """Right-aligned, a longer number is a bigger one: 43.54 never looks like 1,210."""
    column = [fmt_shares(size).rjust(12) for size in (43.54, 1_210, 5, 156_606.14)]
    assert len({line.index(".") for line in column}) == 1


# ---------------------------------------------------------------- lengths of time


@pytest.mark.parametrize(("seconds", "units", "below", "text"), [
    # AGE_UNITS: the status bar
    (-3, AGE_UNITS, "", "0s"), (0, AGE_UNITS, "", "0s"), (12, AGE_UNITS, "", "12s"),
    (61, AGE_UNITS, "", "1m"), (2 * HOUR, AGE_UNITS, "", "2h"), (4 * DAY, AGE_UNITS, "", "4d"),
    (50 * HOUR, AGE_UNITS, "", "2d"),
    # HOUR_UNITS: the order book's snapshot age never goes past hours
    (95, HOUR_UNITS, "", "1m"), (50 * HOUR, HOUR_UNITS, "", "50h"),
    # LONG_UNITS: detail pane sentences
    (-5, LONG_UNITS, "", "0s"), (12, LONG_UNITS, "", "12s"), (300, LONG_UNITS, "", "5m"),
    (3 * HOUR, LONG_UNITS, "", "3h"), (50 * HOUR, LONG_UNITS, "", "2d 2h"),
    (48 * HOUR, LONG_UNITS, "", "2d"), (15 * DAY, LONG_UNITS, "", "2w"),
    (59 * DAY, LONG_UNITS, "", "8w"), (90 * DAY, LONG_UNITS, "", "3mo"),
    # HEADLINE_UNITS: hours up to two days, "now" under a minute
    (-5, HEADLINE_UNITS, "now", "now"), (59, HEADLINE_UNITS, "now", "now"),
    (4 * MINUTE, HEADLINE_UNITS, "now", "4m"), (47 * HOUR, HEADLINE_UNITS, "now", "47h"),
    (48 * HOUR, HEADLINE_UNITS, "now", "2d"),
    # TIME_LEFT_UNITS
    (30, TIME_LEFT_UNITS, "<1m", "<1m"), (800 * DAY, TIME_LEFT_UNITS, "<1m", "2y"),
])
def test_fmt_duration_in_each_ladder(seconds: float, units: Units, below: str,
                                     text: str) -> None:
    assert fmt_duration(seconds, units, below=below) == text


@pytest.mark.parametrize(("seconds", "text"), [
    (0, "0s"), (45, "45s"), (90, "90s"), (1800, "30m"), (3600, "1h"), (5400, "90m"),
    (86400, "1d"), (604800, "1w"), (2 * 604800 + DAY, "15d"),
])
def test_fmt_window_reads_as_typed(seconds: int, text: str) -> None:
    assert fmt_window(seconds) == text
    assert fmt_duration(seconds, WINDOW_UNITS, exact=True) == text


@pytest.mark.parametrize(("delta", "text"), [
    (timedelta(days=3, hours=2), "3d"), (timedelta(hours=5, minutes=59), "5h"),
    (timedelta(minutes=42), "42m"), (timedelta(seconds=30), "<1m"),
    (timedelta(milliseconds=300), "<1m"), (timedelta(seconds=0), "ended"),
    (timedelta(days=-2), "ended"), (timedelta(days=800), "2y"),
])
def test_fmt_time_left(delta: timedelta, text: str) -> None:
    assert fmt_time_left(NOW + delta, NOW) == text


def test_fmt_time_left_unknown() -> None:
    assert fmt_time_left(None, NOW) == "—"


@pytest.mark.parametrize(("moment", "units", "unknown", "text"), [
    (NOW - timedelta(hours=3), LONG_UNITS, "at an unknown time", "3h ago"),
    (NOW - timedelta(hours=50), LONG_UNITS, "at an unknown time", "2d 2h ago"),
    (None, LONG_UNITS, "at an unknown time", "at an unknown time"),
    (NOW - timedelta(seconds=95), HOUR_UNITS, "age unknown", "1m ago"),
    (NOW - timedelta(hours=50), HOUR_UNITS, "age unknown", "50h ago"),
    (None, HOUR_UNITS, "age unknown", "age unknown"),
])
def test_fmt_ago(moment: datetime | None, units: Units, unknown: str, text: str) -> None:
    assert fmt_ago(moment, NOW, units, unknown=unknown) == text


def test_fmt_ago_defaults_to_long_units_and_an_unknown_time() -> None:
    assert fmt_ago(NOW - timedelta(days=15), NOW) == "2w ago"
    assert fmt_ago(None, NOW) == "at an unknown time"


@pytest.mark.parametrize(("moment", "text"), [
    (NOW - timedelta(seconds=20), "now"), (NOW + timedelta(minutes=5), "now"),
    (NOW - timedelta(minutes=4), "4m"), (NOW - timedelta(hours=30), "30h"),
    (NOW - timedelta(days=3), "3d"), (None, ""),
])
def test_fmt_elapsed_for_headlines(moment: datetime | None, text: str) -> None:
    assert fmt_elapsed(moment, NOW, HEADLINE_UNITS, below="now") == text


def test_fmt_utc_converts_to_utc() -> None:
    paris = timezone(timedelta(hours=2))
    assert fmt_utc(datetime(2026, 6, 1, 14, 30, tzinfo=paris)) == "2026-06-01 12:30 UTC"
    assert fmt_utc(NOW) == "2026-03-01 12:00 UTC"
