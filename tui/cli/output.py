"""Table, JSON and CSV output for the headless commands.

A row holds plain values: numbers in the unit its key names (`price_cents`,
`volume_24h_usd`), so CSV and JSON carry numbers a spreadsheet can add up. Only the table
dresses them for reading ("30.7¢", "+0.3"), through each column's `show`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tui.view.format import NO_VALUE, fmt_price

Row = Mapping[str, Any]
TABLE_CELL_MAX = 70


def plain(value: Any) -> str:
    """A table cell with no unit of its own: amounts with thousands separators."""
    if isinstance(value, float):
        return f"{value:,.4f}".rstrip("0").rstrip(".") if abs(value) < 10 else f"{value:,.0f}"
    return str(value)


@dataclass(frozen=True, slots=True)
class Column:
    """`key` names the row value (and the CSV header), `heading` the table's header;
    `show` writes a present value in a table cell (an absent one is "—")."""

    key: str
    heading: str
    show: Callable[[Any], str] = plain


def render(rows: Sequence[Row], columns: Sequence[Column], fmt: str,
           *, json_rows: Sequence[Any] | None = None) -> str:
    """JSON prints `json_rows` (the full items) when given, else the rows."""
    if fmt == "json":
        return json.dumps(list(rows if json_rows is None else json_rows), ensure_ascii=False,
                          indent=2)
    if fmt == "csv":
        return _csv(rows, columns)
    return _table(rows, columns)


def _csv(rows: Sequence[Row], columns: Sequence[Column]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([column.key for column in columns])
    for row in rows:
        writer.writerow(["" if row.get(column.key) is None else row.get(column.key)
                         for column in columns])
    return buffer.getvalue().rstrip("\n")


def _table(rows: Sequence[Row], columns: Sequence[Column]) -> str:
    cells = [[_cell(row.get(column.key), column) for column in columns] for row in rows]
    widths = [
        min(TABLE_CELL_MAX, max([len(column.heading), *(len(line[i]) for line in cells)]))
        for i, column in enumerate(columns)
    ]
    headings = (column.heading.ljust(width) for column, width in zip(columns, widths, strict=True))
    lines = ["  ".join(headings).rstrip(), "  ".join("-" * width for width in widths)]
    for line in cells:
        lines.append("  ".join(_fit(c, w) for c, w in zip(line, widths, strict=True)).rstrip())
    return "\n".join(lines)


def _fit(text: str, width: int) -> str:
    return text.ljust(width) if len(text) <= width else text[: width - 1] + "…"


def _cell(value: Any, column: Column) -> str:
    return NO_VALUE if value is None else column.show(value)


# ---------------------------------------------------------------- units


def in_cents(amount: float | None) -> float | None:
    """A price or a price change (dollars a share, 0 to 1) in cents, without float noise
    (0.307 * 100 is 30.700000000000003): prices tick in hundredths of a cent at the finest."""
    return None if amount is None else round(amount * 100, 4)


def show_cents(cents: float) -> str:
    """A price in cents in a table cell: "30.7¢", the format of the dashboard."""
    return fmt_price(cents / 100, "tick")


def show_change(cents: float) -> str:
    """A 24h change in cents in a table cell: "+0.3", "-1.2", and "0.0" for no change
    (a change that rounds to zero is no change, whichever side of it it came from)."""
    tenths = round(cents, 1)
    return "0.0" if tenths == 0 else f"{tenths:+.1f}"


# ---------------------------------------------------------------- ages


def age_sentence(moment: datetime | None, now: datetime | None = None) -> str:
    """'3 h 5 min ago' style age of a cache."""
    if moment is None:
        return "at an unknown time"
    seconds = max(0, int(((now or datetime.now(UTC)) - moment).total_seconds()))
    if seconds < 60:
        return f"{seconds} s ago"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min ago"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min ago"
    return f"{hours // 24} days ago"
