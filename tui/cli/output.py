"""Table, JSON and CSV output for the headless commands."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

Row = Mapping[str, Any]


def render(rows: Sequence[Row], columns: Sequence[tuple[str, str]], fmt: str,
           *, json_rows: Sequence[Any] | None = None) -> str:
    """`columns` is [(key, heading)]; JSON prints `json_rows` (the full items) when given."""
    if fmt == "json":
        return json.dumps(list(rows if json_rows is None else json_rows), ensure_ascii=False,
                          indent=2)
    if fmt == "csv":
        return _csv(rows, columns)
    return _table(rows, columns)


def _csv(rows: Sequence[Row], columns: Sequence[tuple[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([key for key, _ in columns])
    for row in rows:
        writer.writerow(["" if row.get(key) is None else row.get(key) for key, _ in columns])
    return buffer.getvalue().rstrip("\n")


def _table(rows: Sequence[Row], columns: Sequence[tuple[str, str]]) -> str:
    cells = [[_cell(row.get(key)) for key, _ in columns] for row in rows]
    widths = [
        max([len(heading), *(len(line[i]) for line in cells)])
        for i, (_, heading) in enumerate(columns)
    ]
    widths = [min(width, 70) for width in widths]
    lines = ["  ".join(h.ljust(w) for (_, h), w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for line in cells:
        lines.append("  ".join(_fit(c, w) for c, w in zip(line, widths, strict=True)).rstrip())
    return "\n".join(lines)


def _fit(text: str, width: int) -> str:
    return text.ljust(width) if len(text) <= width else text[: width - 1] + "…"


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.4f}".rstrip("0").rstrip(".") if abs(value) < 10 else f"{value:,.0f}"
    return str(value)


def cents(price: float | None) -> str | None:
    return None if price is None else f"{price * 100:.1f}¢"


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
