"""The market list's columns, and which of them fit a given width."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str
    width: int  # cells, without the one-cell gap before it
    align: Literal["left", "right"] = "right"
    drop: int = 0  # drop order on narrow screens: 1 goes first; 0 never goes
    optional: bool = False  # shown only when asked for (its sort, its view)


# Cells of the "7 days" sparkline; MarketData cuts the week into as many time slices.
SPARK_CELLS = 12
COLUMNS: tuple[Column, ...] = (
    Column("fav", "", 1, "left"),
    Column("title", "Market", 0, "left"),
    Column("price", "Price", 6),
    Column("change", "24h", 7, drop=5),
    Column("since", "Since", 7, drop=6, optional=True),
    Column("spark", "7 days", SPARK_CELLS, "left", drop=3),
    Column("volume_24h", "Vol 24h", 8, drop=2),
    Column("volume", "Vol total", 10, drop=2, optional=True),
    Column("liquidity", "Liq", 6, drop=1),
    Column("created", "Created", 8, drop=4, optional=True),  # "364d ago"
    Column("ends", "Ends", 5, drop=4),
)
MIN_TITLE = 34
SMALLEST_TITLE = 12


@dataclass(frozen=True, slots=True)
class ColumnLayout:
    columns: tuple[Column, ...]
    title_width: int
    width: int

    def width_of(self, column: Column) -> int:
        return self.title_width if column.key == "title" else column.width

    def has(self, key: str) -> bool:
        return any(c.key == key for c in self.columns)


def fit_columns(width: int, min_title: int = MIN_TITLE, *, keep: str = "",
                show: Collection[str] = ()) -> ColumnLayout:
    """The columns that fit `width`, dropping the least useful first (liquidity, volume,
    sparkline, time left, change) until the question gets `min_title` cells.

    `keep` (the sorted column) is never dropped, so the order on screen can always be
    read off a column; optional columns show when they are `keep` or in `show`.
    """
    columns = [c for c in COLUMNS if not c.optional or c.key == keep or c.key in show]
    droppable = sorted((c for c in columns if c.drop and c.key != keep), key=lambda c: c.drop)

    def title_room() -> int:
        fixed = sum(c.width for c in columns if c.key != "title")
        return width - fixed - (len(columns) - 1)  # one-cell gaps between columns

    while title_room() < min_title and droppable:
        columns.remove(droppable.pop(0))
    title = max(title_room(), min(SMALLEST_TITLE, max(width, 0)))
    return ColumnLayout(tuple(columns), max(title, 0), width)
